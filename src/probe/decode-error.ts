/** Why a probe record could not be decoded; the public shape is DecodeResult's failure branch. */
export type DecodeFailureReason = 'truncated' | 'corrupt' | 'no-frame' | 'version' | 'malformed' | 'count-mismatch';

/**
 * Thrown inside the decoder only; decodeProbeOutput() catches it and returns
 * it as a value, so the public API never throws.
 */
export class ProbeDecodeError extends Error {
  constructor(
    readonly reason: DecodeFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'ProbeDecodeError';
  }
}

export function malformed(message: string): ProbeDecodeError {
  return new ProbeDecodeError('malformed', message);
}

/** A section holds more or fewer lines than the probe counted when it wrote them. */
export function countMismatch(part: string, expected: number | undefined, actual: number): ProbeDecodeError {
  const said = expected === undefined ? 'its count line is missing' : `count=${expected} but ${actual} line${actual === 1 ? '' : 's'}`;
  return new ProbeDecodeError('count-mismatch', `section ${part}: ${said}${expected === undefined ? ` (${actual} lines read)` : ''}`);
}
