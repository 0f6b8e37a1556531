/**
 * One fleet-wide run of one command: batched SendCommand, per-command
 * polling with ListCommandInvocations, the GetCommandInvocation fallback for
 * cut outputs, and the deadline. Every targeted instance ends with exactly
 * one outcome. Used through runCommand() in runner.ts.
 */
import { setMaxListeners } from 'node:events';
import type { CommandInvocation, GetCommandInvocationCommandOutput } from '@aws-sdk/client-ssm';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import { awsErrorName, isAccessDenied, isCredentialsError, isRetryable, toAwsError } from '../aws/aws-errors.js';
import type { SsmApi } from '../aws/ssm-api.js';
import { ToolError } from '../errors.js';
import { withBackoff, type BackoffPolicy } from './backoff.js';
import type { CallResult } from './call-result.js';
import { chunk } from './chunk.js';
import type { Clock } from './clock.js';
import { judgeInvocation, type Verdict } from './invocation-status.js';
import type { CommandOutcome, CommandSpec } from './outcome.js';
import {
  needsFullOutput,
  notSentOutcome,
  runnerTimedOutOutcome,
  terminalOutcome,
  type FullOutput,
} from './outcome-factory.js';
import { PollInterval } from './poll-interval.js';
import { buildSendCommandInput, MAX_INSTANCES_PER_SEND } from './send-command-input.js';

export interface CommandRunSettings {
  concurrency: number;
  timeoutMs: number;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  visibilityTimeoutMs: number;
  cancellingGraceMs: number;
  cancelGraceMs: number;
  deliveryTimeoutSeconds?: number;
  outputS3Bucket?: string;
  comment?: string;
  signal?: AbortSignal;
}

export interface CommandRunDeps {
  ssm: SsmApi;
  clock: Clock;
  random: () => number;
  logger?: Logger;
}

const SEND_RETRY: BackoffPolicy = { maxAttempts: 6, baseMs: 500, capMs: 8_000 };
const LIST_RETRY: BackoffPolicy = { maxAttempts: 3, baseMs: 300, capMs: 3_000 };
/** Also covers InvocationDoesNotExist right after the list showed the invocation (eventual consistency). */
const GET_RETRY: BackoffPolicy = { maxAttempts: 10, baseMs: 300, capMs: 3_000 };
const CANCEL_RETRY: BackoffPolicy = { maxAttempts: 2, baseMs: 200, capMs: 500 };
const LIST_PAGE_SIZE = 50;
const MAX_LIST_PAGES = 1_000;

type StopReason = 'deadline' | 'aborted' | 'fatal' | 'done';

interface Tracking {
  phase: 'queued' | 'sending' | 'sent';
  commandId?: string;
  lastStatus?: string;
  lastDetails?: string;
}

type SendResult = { kind: 'sent'; commandId: string } | { kind: 'split' } | { kind: 'none' };

interface Finished {
  invocation: CommandInvocation;
  verdict: Extract<Verdict, { terminal: true }>;
}

export class CommandRun {
  private readonly outcomes = new Map<string, CommandOutcome>();
  private readonly tracking = new Map<string, Tracking>();
  /** Instances still waiting for a terminal status, per CommandId. */
  private readonly pendingByCommand = new Map<string, Set<string>>();
  private readonly lastPollError = new Map<string, string>();
  private readonly stop = new AbortController();
  private readonly limit: LimitFunction;
  private stopReason?: StopReason;
  private fatalError?: unknown;
  private deadline = 0;

  constructor(
    private readonly deps: CommandRunDeps,
    private readonly spec: CommandSpec,
    private readonly settings: CommandRunSettings,
  ) {
    this.limit = pLimit(settings.concurrency);
    // One listener per call in flight and per sleeping poll loop: many, by design.
    setMaxListeners(0, this.stop.signal);
  }

  async execute(instanceIds: string[]): Promise<Map<string, CommandOutcome>> {
    const { clock } = this.deps;
    this.deadline = clock.now() + this.settings.timeoutMs;
    const unlink = this.followCallerSignal();
    const deadlineTimer = clock.sleep(this.settings.timeoutMs, this.stop.signal).then(() => this.halt('deadline'));
    try {
      const batches = chunk(instanceIds, MAX_INSTANCES_PER_SEND);
      const settled = await Promise.allSettled(batches.map((batch, index) => this.runBatch(batch, index, batches.length)));
      const defect = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (defect) throw new ToolError('RunnerDefect', `fleet runner failed: ${String(defect.reason)}`, { cause: defect.reason });
      if (this.stopReason !== undefined && !(this.stopReason === 'fatal' && isCredentialsError(this.fatalError))) {
        await this.cancelUnfinished();
      }
    } finally {
      this.halt('done');
      unlink();
      await deadlineTimer;
    }
    if (this.fatalError !== undefined) throw toAwsError(this.fatalError, 'fleet command run');
    return this.collect(instanceIds);
  }

  private get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  private halt(reason: StopReason): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.stop.abort();
  }

  private failRun(err: unknown): void {
    if (this.fatalError === undefined) this.fatalError = err;
    this.halt('fatal');
  }

  private followCallerSignal(): () => void {
    const signal = this.settings.signal;
    if (!signal) return () => {};
    const onAbort = () => this.halt('aborted');
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  }

  // ---- one batch: send, then poll until every instance is terminal ----

  private async runBatch(batch: string[], index: number, total: number): Promise<void> {
    for (const id of batch) this.tracking.set(id, { phase: 'queued' });
    await this.sendAndPoll(batch, `${index + 1}/${total}`);
  }

  private async sendAndPoll(batch: string[], label: string): Promise<void> {
    if (this.stopped) return;
    const sent = await this.send(batch);
    if (sent.kind === 'split') {
      // AWS refuses a whole SendCommand for one id it does not accept (InvalidInstanceId,
      // e.g. an agent that deregistered since discovery): bisect to isolate it.
      const half = Math.ceil(batch.length / 2);
      await Promise.all([this.sendAndPoll(batch.slice(0, half), `${label}a`), this.sendAndPoll(batch.slice(half), `${label}b`)]);
      return;
    }
    if (sent.kind === 'none') return;
    const { commandId } = sent;
    this.deps.logger?.info({ batch: label, instances: batch.length, commandId }, 'command sent');
    await this.pollUntilDone(commandId, batch);
    this.deps.logger?.info({ batch: label, commandId, statuses: this.countStatuses(batch) }, 'batch finished');
  }

  private async send(batch: string[]): Promise<SendResult> {
    const input = buildSendCommandInput(batch, this.spec, {
      remainingMs: this.deadline - this.deps.clock.now(),
      deliveryTimeoutSeconds: this.settings.deliveryTimeoutSeconds,
      outputS3Bucket: this.settings.outputS3Bucket,
      comment: this.settings.comment,
    });
    for (const id of batch) this.tracking.get(id)!.phase = 'sending';
    const result = await this.call('SendCommand', SEND_RETRY, isRetryable, (signal) =>
      this.deps.ssm.sendCommand(input, { abortSignal: signal }),
    );
    if (result.kind === 'stopped') return { kind: 'none' };
    if (result.kind === 'failed') {
      if (isCredentialsError(result.error)) {
        this.failRun(result.error);
        return { kind: 'none' };
      }
      if (batch.length > 1 && awsErrorName(result.error) === 'InvalidInstanceId') return { kind: 'split' };
      const reason = `SendCommand failed: ${describeError(result.error)}`;
      this.deps.logger?.warn({ instances: batch.length, err: reason }, 'batch not sent');
      for (const id of batch) this.record(notSentOutcome(id, reason));
      return { kind: 'none' };
    }
    const commandId = result.value.Command?.CommandId;
    if (!commandId) {
      for (const id of batch) this.record(notSentOutcome(id, 'SendCommand answered without a CommandId'));
      return { kind: 'none' };
    }
    for (const id of batch) Object.assign(this.tracking.get(id)!, { phase: 'sent', commandId });
    return { kind: 'sent', commandId };
  }

  private async pollUntilDone(commandId: string, batch: string[]): Promise<void> {
    const { clock, random, logger } = this.deps;
    const pending = new Set(batch);
    this.pendingByCommand.set(commandId, pending);
    const listed = new Set<string>();
    const cancellingSince = new Map<string, number>();
    const interval = new PollInterval(this.settings.pollIntervalMs, this.settings.maxPollIntervalMs, random);
    const sentAt = clock.now();

    while (pending.size > 0 && !this.stopped) {
      await clock.sleep(interval.next(), this.stop.signal);
      if (this.stopped) break;
      const result = await this.listInvocations(commandId);
      if (result.kind === 'stopped') break;
      if (result.kind === 'failed') {
        if (isCredentialsError(result.error) || isAccessDenied(result.error)) {
          this.failRun(result.error);
          break;
        }
        this.lastPollError.set(commandId, describeError(result.error));
        logger?.warn({ commandId, err: describeError(result.error) }, 'ListCommandInvocations failed; will poll again');
        interval.failed();
        continue;
      }
      const { finished, changed } = this.absorb(result.value, pending, listed, cancellingSince);
      const invisible = this.expireInvisible(commandId, pending, listed, sentAt);
      await Promise.all(finished.map((f) => this.finish(commandId, f)));
      interval.observed(changed);
      logger?.debug(
        { commandId, listed: result.value.length, finished: finished.length, pending: pending.size, nextPollMs: interval.next() },
        'poll',
      );
      if (invisible.length > 0) await this.cancel(commandId, invisible);
    }
  }

  /** Reads one listing: which pending instances changed status, which became terminal. */
  private absorb(
    invocations: CommandInvocation[],
    pending: Set<string>,
    listed: Set<string>,
    cancellingSince: Map<string, number>,
  ): { finished: Finished[]; changed: boolean } {
    const now = this.deps.clock.now();
    const finished: Finished[] = [];
    let changed = false;
    for (const invocation of invocations) {
      const id = invocation.InstanceId;
      if (id === undefined || !pending.has(id)) continue;
      listed.add(id);
      const track = this.tracking.get(id)!;
      if (track.lastStatus !== invocation.Status || track.lastDetails !== invocation.StatusDetails) {
        changed = true;
        track.lastStatus = invocation.Status;
        track.lastDetails = invocation.StatusDetails;
      }
      let verdict = judgeInvocation(invocation.Status, invocation.StatusDetails);
      if (!verdict.terminal && verdict.cancelling) {
        const since = cancellingSince.get(id) ?? now;
        cancellingSince.set(id, since);
        if (now - since >= this.settings.cancellingGraceMs) {
          verdict = {
            terminal: true,
            status: 'Cancelling',
            reason: `still Cancelling ${Math.round((now - since) / 1000)} s after SSM first reported it`,
          };
        }
      }
      if (verdict.terminal) {
        pending.delete(id);
        finished.push({ invocation, verdict });
      }
    }
    return { finished, changed };
  }

  /** Instances SSM still does not list long after SendCommand: give up on them rather than wait for the deadline. */
  private expireInvisible(commandId: string, pending: Set<string>, listed: Set<string>, sentAt: number): string[] {
    const waited = this.deps.clock.now() - sentAt;
    if (waited < this.settings.visibilityTimeoutMs) return [];
    const invisible = [...pending].filter((id) => !listed.has(id));
    for (const id of invisible) {
      pending.delete(id);
      this.record(
        runnerTimedOutOutcome(id, `SSM listed no invocation for this instance ${Math.round(waited / 1000)} s after SendCommand`, {
          commandId,
        }),
      );
    }
    return invisible;
  }

  private async finish(commandId: string, { invocation, verdict }: Finished): Promise<void> {
    let full: FullOutput;
    if (needsFullOutput(invocation, verdict)) {
      full = await this.fetchFullOutput(commandId, invocation);
    }
    this.record(terminalOutcome(invocation, verdict, full, { commandId, outputS3Bucket: this.settings.outputS3Bucket }));
  }

  private async fetchFullOutput(commandId: string, invocation: CommandInvocation): Promise<FullOutput> {
    const pluginName = invocation.CommandPlugins?.[0]?.Name;
    const result = await this.call<GetCommandInvocationCommandOutput>(
      'GetCommandInvocation',
      GET_RETRY,
      (err) => isRetryable(err) || awsErrorName(err) === 'InvocationDoesNotExist',
      (signal) =>
        this.deps.ssm.getCommandInvocation(
          { CommandId: commandId, InstanceId: invocation.InstanceId!, ...(pluginName ? { PluginName: pluginName } : {}) },
          { abortSignal: signal },
        ),
    );
    if (result.kind === 'ok') return { kind: 'ok', value: result.value };
    if (result.kind === 'stopped') return { kind: 'unavailable', reason: `the run ${this.stopText()} before it was fetched` };
    return { kind: 'unavailable', reason: `GetCommandInvocation failed: ${describeError(result.error)}` };
  }

  // ---- AWS calls: bounded concurrency, our own backoff, abandoned at the deadline ----

  private async listInvocations(commandId: string): Promise<CallResult<CommandInvocation[]>> {
    const invocations: CommandInvocation[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const input = { CommandId: commandId, Details: true, MaxResults: LIST_PAGE_SIZE, NextToken: nextToken };
      const result = await this.call('ListCommandInvocations', LIST_RETRY, isRetryable, (signal) =>
        this.deps.ssm.listCommandInvocations(input, { abortSignal: signal }),
      );
      if (result.kind !== 'ok') return result;
      invocations.push(...(result.value.CommandInvocations ?? []));
      nextToken = result.value.NextToken || undefined;
      if (nextToken === undefined) return { kind: 'ok', value: invocations };
    }
    return { kind: 'failed', error: new ToolError('PaginationLoop', `ListCommandInvocations returned more than ${MAX_LIST_PAGES} pages`) };
  }

  private async call<T>(
    operation: string,
    policy: BackoffPolicy,
    shouldRetry: (err: unknown) => boolean,
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<CallResult<T>> {
    if (this.stopped) return { kind: 'stopped' };
    const attempt = () =>
      this.limit(() => {
        if (this.stopped) throw new StoppedError();
        return fn(this.stop.signal);
      });
    try {
      const value = await this.untilStopped(
        withBackoff(attempt, {
          clock: this.deps.clock,
          policy,
          shouldRetry,
          signal: this.stop.signal,
          random: this.deps.random,
          onRetry: (err, n, delayMs) =>
            this.deps.logger?.debug({ operation, attempt: n, delayMs, err: describeError(err) }, 'retrying AWS call'),
        }),
      );
      return value === STOPPED ? { kind: 'stopped' } : { kind: 'ok', value };
    } catch (error) {
      return this.stopped ? { kind: 'stopped' } : { kind: 'failed', error };
    }
  }

  /** Resolves with STOPPED as soon as the run stops, leaving the call to settle (and be aborted) on its own. */
  private untilStopped<T>(work: Promise<T>): Promise<T | typeof STOPPED> {
    const signal = this.stop.signal;
    return new Promise((resolve, reject) => {
      const onStop = () => resolve(STOPPED);
      if (signal.aborted) {
        work.catch(() => undefined);
        return onStop();
      }
      signal.addEventListener('abort', onStop, { once: true });
      work.then(
        (value) => {
          signal.removeEventListener('abort', onStop);
          resolve(value);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onStop);
          reject(err);
        },
      );
    });
  }

  // ---- the end of the run ----

  /** Best effort, bounded by cancelGraceMs: ask SSM to cancel what is still running. */
  private async cancelUnfinished(): Promise<void> {
    const work = [...this.pendingByCommand].filter(([, pending]) => pending.size > 0);
    if (work.length === 0) return;
    const grace = new AbortController();
    const limit = pLimit(this.settings.concurrency);
    const cancels = Promise.allSettled(
      work.map(([commandId, pending]) => limit(() => this.cancelOnce(commandId, [...pending], grace.signal))),
    );
    await Promise.race([cancels, this.deps.clock.sleep(this.settings.cancelGraceMs, grace.signal)]);
    grace.abort();
  }

  private async cancel(commandId: string, instanceIds: string[]): Promise<void> {
    await this.limit(() => this.cancelOnce(commandId, instanceIds, this.stop.signal));
  }

  private async cancelOnce(commandId: string, instanceIds: string[], signal: AbortSignal): Promise<void> {
    try {
      await withBackoff(() => this.deps.ssm.cancelCommand({ CommandId: commandId, InstanceIds: instanceIds }, { abortSignal: signal }), {
        clock: this.deps.clock,
        policy: CANCEL_RETRY,
        shouldRetry: isRetryable,
        signal,
        random: this.deps.random,
      });
      this.deps.logger?.info({ commandId, instances: instanceIds.length }, 'cancel requested');
    } catch (err) {
      this.deps.logger?.warn({ commandId, err: describeError(err) }, 'CancelCommand failed (best effort)');
    }
  }

  private record(outcome: CommandOutcome): void {
    if (!this.outcomes.has(outcome.instanceId)) this.outcomes.set(outcome.instanceId, outcome);
  }

  private collect(instanceIds: string[]): Map<string, CommandOutcome> {
    const result = new Map<string, CommandOutcome>();
    for (const id of instanceIds) result.set(id, this.outcomes.get(id) ?? this.unfinishedOutcome(id));
    return result;
  }

  private unfinishedOutcome(id: string): CommandOutcome {
    const track = this.tracking.get(id) ?? { phase: 'queued' };
    const stop = `the run ${this.stopText()}`;
    if (track.phase === 'queued') return runnerTimedOutOutcome(id, `${stop} before SendCommand was called`);
    if (track.phase === 'sending') {
      return runnerTimedOutOutcome(id, `${stop} while SendCommand was in flight (the command may have started)`);
    }
    const where = track.lastStatus ? `while the invocation was ${track.lastStatus}` : 'before SSM listed the invocation';
    const pollError = track.commandId ? this.lastPollError.get(track.commandId) : undefined;
    const reason = `${stop} ${where}; cancel requested${pollError ? `; last poll error: ${pollError}` : ''}`;
    return runnerTimedOutOutcome(id, reason, { commandId: track.commandId, statusDetails: track.lastDetails });
  }

  private stopText(): string {
    if (this.stopReason === 'aborted') return `was ${abortText(this.settings.signal?.reason)}`;
    if (this.stopReason === 'fatal') return 'stopped on a fatal error';
    return `deadline of ${Math.round(this.settings.timeoutMs / 1000)} s expired`;
  }

  private countStatuses(batch: string[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const id of batch) {
      const status = this.outcomes.get(id)?.status ?? 'unfinished';
      counts[status] = (counts[status] ?? 0) + 1;
    }
    return counts;
  }
}

const STOPPED = Symbol('stopped');

class StoppedError extends Error {
  constructor() {
    super('the run stopped before this call started');
    this.name = 'StoppedError';
  }
}

/** The caller's abort reason ("cancelled by SIGTERM") when it gave one, else "aborted". */
function abortText(reason: unknown): string {
  if (typeof reason === 'string' && reason !== '') return reason;
  if (reason instanceof Error && reason.name !== 'AbortError' && reason.message !== '') return reason.message;
  return 'aborted';
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const name = awsErrorName(err);
    return err.message.startsWith(name) || err.message.includes(`${name}:`) ? err.message : `${name}: ${err.message}`;
  }
  return String(err);
}
