import type { Writable } from 'node:stream';
import { processSignals, type SignalPort } from './interruption.js';

/** What a command needs from the process, passed in so commands stay testable. */
export interface CliContext {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  isTty: boolean;
  /** Set by the command handler; read by main() once yargs has finished. */
  exitCode: number;
  /** SIGINT/SIGTERM for long runs (audit); absent: the run cannot be interrupted (tests that do not need it). */
  signals?: SignalPort;
}

export function processContext(): CliContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTty: Boolean(process.stdout.isTTY),
    exitCode: 0,
    signals: processSignals,
  };
}
