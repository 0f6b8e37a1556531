import type { Writable } from 'node:stream';
import type { AwsClientOptions, AwsClients } from '../aws/client-factory.js';
import type { CheckRegistry } from '../checks/registry.js';
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
  /** The checks the commands select from, validate config against and list; absent: the shipped ones (src/checks/registry.ts). Tests register extra ones here. */
  checks?: CheckRegistry;
  /** Builds one set of AWS clients (every command and every (account, region) scope asks it); absent: the SDK's (createAwsClients). Tests pass fakes at the narrow APIs here. */
  awsClients?: AwsClientsFactory;
}

/** Settings in, narrow AWS APIs out: the signature of createAwsClients (src/aws/client-factory.ts). */
export type AwsClientsFactory = (options: AwsClientOptions) => AwsClients;

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
