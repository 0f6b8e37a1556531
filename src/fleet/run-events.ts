import type { InvocationStatus } from './outcome.js';

/**
 * What a command run reports as it goes (RunOptions.onProgress), for a
 * progress display: never the outputs, which stay with the runner until the
 * run ends. The display must not throw; if it does, the runner logs it at
 * debug level and carries on.
 */
export type RunEvent =
  /** The run starts on these (distinct) instances. */
  | { kind: 'started'; instanceIds: readonly string[] }
  /** SendCommand accepted this batch. */
  | { kind: 'sent'; instanceIds: readonly string[] }
  /** SSM listed this instance's invocation with a new status that is not final yet (Pending, InProgress, Delayed, Cancelling...). */
  | { kind: 'status'; instanceId: string; status: string }
  /** The instance's one outcome is recorded. */
  | { kind: 'finished'; instanceId: string; status: InvocationStatus; stdoutComplete: boolean };
