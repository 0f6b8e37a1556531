/**
 * Finds the probe's one framed record in what SSM returned and turns it back
 * into the raw payload text, checking length and POSIX cksum.
 *
 *   SWARM-AUDIT-PROBE/1 enc=<raw|gz64> bytes=<n> cksum=<crc>
 *   <payload lines>
 *   SWARM-AUDIT-PROBE/1 END
 *
 * Text around the frame (motd, agent messages) is ignored. ListCommandInvocations
 * joins stdout and stderr with "\n----------ERROR-------\n": only what comes
 * before the first such line is stdout.
 */
import { gunzipSync } from 'node:zlib';
import { posixCksum } from './cksum.js';
import { ProbeDecodeError, malformed } from './decode-error.js';

const FRAME_TAG = 'SWARM-AUDIT-PROBE';
const FRAME_VERSION = '1';
const END_LINE = `${FRAME_TAG}/${FRAME_VERSION} END`;
const STDERR_JOIN_LINE = '----------ERROR-------';
const SSM_TRUNCATION_MARKERS = ['---Output truncated---', '--output truncated--'];
const HEADER = /^SWARM-AUDIT-PROBE\/1 enc=(raw|gz64) bytes=(\d{1,9}) cksum=(\d{1,10})$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Far above any real probe payload; bounds what a hostile gzip stream can inflate to. */
const MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;

interface FrameHeader {
  enc: 'raw' | 'gz64';
  bytes: number;
  cksum: number;
}

function stdoutLines(output: string): string[] {
  const lines = output.replace(/\r\n?/g, '\n').split('\n');
  const join = lines.indexOf(STDERR_JOIN_LINE);
  return join === -1 ? lines : lines.slice(0, join);
}

function ssmTruncationNote(output: string): string {
  return SSM_TRUNCATION_MARKERS.some((marker) => output.includes(marker))
    ? ' (SSM truncated the output: fetch it from S3 or GetCommandInvocation)'
    : '';
}

function isFrameLine(line: string): boolean {
  return line.startsWith(`${FRAME_TAG}/`);
}

/** An END line (of any record version), or what is left of ours when the output was cut inside it. */
function isEndLine(line: string): boolean {
  return END_LINE.startsWith(line) || /^SWARM-AUDIT-PROBE\/\S+ END$/.test(line);
}

function parseHeader(line: string): FrameHeader {
  const version = /^SWARM-AUDIT-PROBE\/(\S*)/.exec(line)?.[1] ?? '';
  if (version !== FRAME_VERSION) {
    throw new ProbeDecodeError('version', `probe record version ${JSON.stringify(version)} is not supported (expected ${FRAME_VERSION})`);
  }
  const match = HEADER.exec(line);
  if (!match) throw malformed(`bad frame header: ${JSON.stringify(line.slice(0, 120))}`);
  const cksum = Number(match[3]);
  if (cksum > 0xffffffff) throw malformed('bad frame header: cksum out of range');
  return { enc: match[1] as FrameHeader['enc'], bytes: Number(match[2]), cksum };
}

function decodeBody(header: FrameHeader, body: string[]): Buffer {
  if (header.enc === 'raw') {
    return Buffer.from(body.length === 0 ? '' : `${body.join('\n')}\n`, 'utf8');
  }
  const base64 = body.join('');
  if (!BASE64.test(base64) || base64.length % 4 !== 0) {
    throw new ProbeDecodeError('corrupt', 'frame body is not valid base64');
  }
  try {
    return gunzipSync(Buffer.from(base64, 'base64'), { maxOutputLength: MAX_PAYLOAD_BYTES });
  } catch (error) {
    throw new ProbeDecodeError('corrupt', `frame body does not gunzip: ${(error as Error).message}`);
  }
}

function verify(header: FrameHeader, payload: Buffer): void {
  if (payload.length < header.bytes) {
    throw new ProbeDecodeError('truncated', `payload has ${payload.length} of ${header.bytes} bytes`);
  }
  if (payload.length > header.bytes) {
    throw new ProbeDecodeError('corrupt', `payload has ${payload.length} bytes, header says ${header.bytes}`);
  }
  const cksum = posixCksum(payload);
  if (cksum !== header.cksum) {
    throw new ProbeDecodeError('corrupt', `payload cksum ${cksum} does not match header ${header.cksum}`);
  }
}

/** Returns the verified raw payload text; throws ProbeDecodeError otherwise. */
export function extractPayload(output: string): string {
  const lines = stdoutLines(output);
  const starts = lines.flatMap((line, index) => (isFrameLine(line) && !isEndLine(line) ? [index] : []));
  if (starts.length === 0) {
    const note = ssmTruncationNote(output);
    if (note) throw new ProbeDecodeError('truncated', `no probe frame found${note}`);
    throw new ProbeDecodeError('no-frame', 'no probe frame found in the output');
  }
  if (starts.length > 1) throw malformed(`${starts.length} probe frames in one output`);
  const start = starts[0];
  if (start === lines.length - 1) {
    throw new ProbeDecodeError('truncated', `output ends in the frame header${ssmTruncationNote(output)}`);
  }
  const header = parseHeader(lines[start]);
  const endOffset = lines.slice(start + 1).findIndex(isFrameLine);
  if (endOffset === -1) {
    throw new ProbeDecodeError('truncated', `probe frame has no END line${ssmTruncationNote(output)}`);
  }
  const end = start + 1 + endOffset;
  if (lines[end] !== END_LINE && END_LINE.startsWith(lines[end])) {
    throw new ProbeDecodeError('truncated', `output ends inside the END line${ssmTruncationNote(output)}`);
  }
  if (lines[end] !== END_LINE) {
    throw malformed(`unexpected frame line: ${JSON.stringify(lines[end].slice(0, 120))}`);
  }
  const payload = decodeBody(header, lines.slice(start + 1, end));
  verify(header, payload);
  return payload.toString('utf8');
}
