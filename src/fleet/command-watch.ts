/**
 * What the runner knows about one sent command between reads of its
 * invocations, and when reading them (ListCommandInvocations with Details,
 * every page) is worth a call. ListCommands tells, 50 commands a call, each
 * command's Status and CompletedCount (invocations final: Success, Failed,
 * timed out, Cancelled, Terminated, Undeliverable); a command is read:
 *
 * - once it is finished (CompletedCount = TargetCount, or a final Status), and
 *   again each round while a read still misses some of its instances (SSM can
 *   report a command finished before its invocations are listable);
 * - each round while it is Cancelling (the per-instance Cancelling grace);
 * - when it has been quiet for `stallReadMs` and there is something to learn:
 *   more instances final than recorded (one stuck agent must not hold back the
 *   other 49 results), a command ListCommands does not list, or instances SSM
 *   may never list once `visibilityTimeoutMs` has passed.
 *
 * Unfinished commands cost no detail calls otherwise.
 */
import type { Command } from '@aws-sdk/client-ssm';

const FINAL_COMMAND_STATUSES: ReadonlySet<string> = new Set(['Success', 'Failed', 'Cancelled', 'TimedOut']);

export interface WatchTiming {
  stallReadMs: number;
  visibilityTimeoutMs: number;
}

export class CommandWatch {
  /** Instances still without an outcome. */
  readonly pending: Set<string>;
  /** Instances a read has listed at least once. */
  readonly listed = new Set<string>();
  readonly cancellingSince = new Map<string, number>();
  /** The command as ListCommands last showed it. */
  status?: string;
  completedCount?: number;
  targetCount?: number;
  private readonly size: number;
  private progressAt: number;
  private lastReadAt?: number;
  private readAfterVisibilityTimeout = false;

  constructor(
    readonly commandId: string,
    readonly instanceIds: readonly string[],
    readonly sentAt: number,
    /** When SSM registered the command (its clock), for the ListCommands InvokedAfter filter. */
    readonly requestedAt: number,
  ) {
    this.pending = new Set(instanceIds);
    this.size = this.pending.size;
    this.progressAt = sentAt;
  }

  get open(): boolean {
    return this.pending.size > 0;
  }

  /** Takes this round's ListCommands entry (undefined: not listed); true when the command moved. */
  observe(command: Command | undefined, now: number): boolean {
    if (command === undefined) return false;
    const changed = command.Status !== this.status || command.CompletedCount !== this.completedCount;
    this.status = command.Status;
    this.completedCount = command.CompletedCount;
    this.targetCount = command.TargetCount;
    if (changed) this.progressAt = now;
    return changed;
  }

  finished(): boolean {
    if (this.status !== undefined && FINAL_COMMAND_STATUSES.has(this.status)) return true;
    return this.targetCount !== undefined && this.targetCount > 0 && (this.completedCount ?? 0) >= this.targetCount;
  }

  wantsRead(now: number, timing: WatchTiming): boolean {
    if (!this.open) return false;
    if (this.status === 'Cancelling' || this.finished()) return true;
    const quietSince = Math.max(this.progressAt, this.lastReadAt ?? Number.NEGATIVE_INFINITY);
    if (now - quietSince < timing.stallReadMs) return false;
    if (this.completedCount === undefined) return true;
    if (this.completedCount > this.size - this.pending.size) return true;
    return now - this.sentAt >= timing.visibilityTimeoutMs && !this.readAfterVisibilityTimeout;
  }

  markRead(now: number, timing: WatchTiming): void {
    this.lastReadAt = now;
    if (now - this.sentAt >= timing.visibilityTimeoutMs) this.readAfterVisibilityTimeout = true;
  }

  /** "InProgress, 48 of 50 final" for an unfinished instance's reason. */
  describe(): string | undefined {
    if (this.status === undefined) return undefined;
    const counts = this.targetCount !== undefined ? `, ${this.completedCount ?? 0} of ${this.targetCount} final` : '';
    return `${this.status}${counts}`;
  }
}
