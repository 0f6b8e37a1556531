/** A sent command and the service-side aggregation of its invocations into one status. */
import { isTerminal, settle, type Invocation } from './invocation.js';

export interface CommandRecord {
  commandId: string;
  documentName: string;
  documentVersion: string;
  comment: string;
  parameters: Record<string, string[]>;
  instanceIds: string[];
  targets: { Key: string; Values: string[] }[];
  requestedAt: number;
  /** Before this instant the invocations are not visible (eventual consistency). */
  visibleAt: number;
  timeoutSeconds: number;
  maxConcurrency: string;
  maxErrors: string;
  outputS3Region: string;
  outputS3BucketName: string;
  outputS3KeyPrefix: string;
  invocations: Map<string, Invocation>;
}

export interface CommandSummary {
  status: 'Pending' | 'InProgress' | 'Success' | 'Cancelled' | 'Failed' | 'TimedOut' | 'Cancelling';
  statusDetails: string;
  targetCount: number;
  completedCount: number;
  errorCount: number;
  deliveryTimedOutCount: number;
}

/**
 * AWS's rules (Run Command "Understanding command statuses"): not all final ->
 * InProgress once any agent got it, else Pending; all final -> Success when all
 * succeeded, Cancelled when all were cancelled, Failed when errors (Failed or
 * ExecutionTimedOut; Undeliverable does not count) exceed MaxErrors, TimedOut
 * "Delivery Timed Out" when delivery timeouts exceed MaxErrors, otherwise
 * Failed with "Incomplete" (some did not succeed, not enough to fail).
 */
export function summarize(command: CommandRecord, now: number): CommandSummary {
  const invocations = [...command.invocations.values()];
  invocations.forEach((i) => settle(i, now));
  const terminal = invocations.filter((i) => isTerminal(i.status));
  const errors = invocations.filter(
    (i) => (i.status === 'Failed' && i.statusDetails !== 'Undeliverable') || (i.status === 'TimedOut' && i.statusDetails === 'ExecutionTimedOut'),
  ).length;
  const deliveryTimedOut = invocations.filter((i) => i.statusDetails === 'DeliveryTimedOut').length;
  const counts = {
    targetCount: invocations.length,
    completedCount: terminal.length,
    errorCount: errors,
    deliveryTimedOutCount: deliveryTimedOut,
  };
  if (terminal.length < invocations.length) {
    const started = invocations.some((i) => i.status !== 'Pending');
    const cancelling = invocations.some((i) => i.status === 'Cancelling');
    if (cancelling) return { status: 'Cancelling', statusDetails: 'Cancelling', ...counts };
    return started ? { status: 'InProgress', statusDetails: 'InProgress', ...counts } : { status: 'Pending', statusDetails: 'Pending', ...counts };
  }
  const maxErrors = maxErrorsAllowed(command.maxErrors, invocations.length);
  if (invocations.every((i) => i.status === 'Success')) return { status: 'Success', statusDetails: 'Success', ...counts };
  if (invocations.every((i) => i.status === 'Cancelled')) return { status: 'Cancelled', statusDetails: 'Cancelled', ...counts };
  if (errors > maxErrors) return { status: 'Failed', statusDetails: 'Failed', ...counts };
  if (deliveryTimedOut > maxErrors) return { status: 'TimedOut', statusDetails: 'Delivery Timed Out', ...counts };
  return { status: 'Failed', statusDetails: 'Incomplete', ...counts };
}

function maxErrorsAllowed(maxErrors: string, targets: number): number {
  if (maxErrors.endsWith('%')) return Math.floor((Number(maxErrors.slice(0, -1)) / 100) * targets);
  return Number(maxErrors);
}
