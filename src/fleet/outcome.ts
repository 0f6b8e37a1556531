/**
 * The single terminal outcome of one command on one instance. The runner
 * guarantees exactly one per targeted instance, whatever happened.
 */
export type InvocationStatus =
  | 'Success'
  | 'Failed'
  | 'Cancelled'
  | 'TimedOut'
  | 'Cancelling'
  | 'Undeliverable'
  | 'NotSent' // the runner never got a CommandId for it (SendCommand failed)
  | 'RunnerTimedOut'; // our own --timeout expired before a terminal status

export interface CommandOutcome {
  instanceId: string;
  commandId?: string;
  status: InvocationStatus;
  statusDetails?: string;
  /** -1 when the command did not run. */
  responseCode: number;
  stdout: string;
  stderr: string;
  /**
   * False when stdout may be cut (the 24,000-character Get limit was hit and no
   * S3 copy was read). Consumers must never turn an incomplete output into PASS.
   */
  stdoutComplete: boolean;
  /** Human-readable reason when status is not Success. */
  error?: string;
}

/** What to run: a shell script through AWS-RunShellScript, or a named document with parameters. */
export type CommandSpec =
  | { kind: 'shell'; commands: string[]; executionTimeoutSeconds?: number; comment?: string }
  | { kind: 'document'; documentName: string; parameters: Record<string, string[]>; comment?: string };
