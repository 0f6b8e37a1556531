/**
 * What one SSM invocation status means to the runner: keep polling, or the
 * final outcome status and a human-readable reason. StatusDetails is read
 * first because it is more precise (a Failed status may hide Undeliverable).
 */
import type { InvocationStatus } from './outcome.js';

export type Verdict =
  | { terminal: false; cancelling: boolean }
  | { terminal: true; status: InvocationStatus; reason?: string };

const TERMINAL_DETAILS: Record<string, { status: InvocationStatus; reason: string }> = {
  DeliveryTimedOut: {
    status: 'TimedOut',
    reason: 'the SSM agent did not pick up the command before the delivery timeout (agent offline or stopped?)',
  },
  ExecutionTimedOut: { status: 'TimedOut', reason: 'the command ran longer than its execution timeout and was stopped' },
  Undeliverable: {
    status: 'Undeliverable',
    reason: 'SSM could not deliver the command (instance not managed, terminated or of the wrong account/region)',
  },
  InvalidPlatform: { status: 'Undeliverable', reason: "the document does not support this instance's platform" },
  AccessDenied: { status: 'Undeliverable', reason: 'SSM denied access to this instance (IAM policy or resource tag condition)' },
  Terminated: {
    status: 'Cancelled',
    reason: 'SSM terminated this invocation because the command exceeded its MaxErrors',
  },
};

export function judgeInvocation(status: string | undefined, details: string | undefined): Verdict {
  const byDetails = details !== undefined ? TERMINAL_DETAILS[details] : undefined;
  if (byDetails) return { terminal: true, ...byDetails };
  switch (status) {
    case 'Success':
      return { terminal: true, status: 'Success' };
    case 'Failed':
      return { terminal: true, status: 'Failed', reason: 'the command failed on the instance' };
    case 'Cancelled':
      return { terminal: true, status: 'Cancelled', reason: 'the command was cancelled' };
    case 'TimedOut':
      return { terminal: true, status: 'TimedOut', reason: `the command timed out (${details ?? 'no details'})` };
    case 'Cancelling':
      return { terminal: false, cancelling: true };
    default:
      // Pending, InProgress, Delayed, and any status this code does not know yet.
      return { terminal: false, cancelling: false };
  }
}

