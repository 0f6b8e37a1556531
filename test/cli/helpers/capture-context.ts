import { PassThrough } from 'node:stream';
import type { CliContext } from '../../../src/cli/context.js';

/** A CliContext whose stdout and stderr are kept for the test to read. */
export function captureContext(): CliContext & { err: () => string; out: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { stdout, stderr, env: {}, isTty: false, exitCode: 0, out: () => out, err: () => err };
}
