/** Why a probe record could not be decoded; the public shape is DecodeResult's failure branch. */
export type DecodeFailureReason = 'truncated' | 'corrupt' | 'no-frame' | 'version' | 'malformed';

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
