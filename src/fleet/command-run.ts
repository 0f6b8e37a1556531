/**
 * One fleet-wide run of one command: batched SendCommand, one poll loop for
 * every command (ListCommands, 50 commands a page), each finished command's
 * invocations read once (ListCommandInvocations with Details, every page; see
 * command-watch.ts for when a read is due), the GetCommandInvocation fallback
 * for cut outputs, and the deadline. Every targeted instance ends with exactly
 * one outcome. Used through runCommand() in runner.ts.
 */
import { setMaxListeners } from 'node:events';
import type { Command, CommandFilter, CommandInvocation, GetCommandInvocationCommandOutput } from '@aws-sdk/client-ssm';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import { allPages } from '../aws/all-pages.js';
import { awsErrorName, isAccessDenied, isCredentialsError, isRetryable, isThrottling, toAwsError } from '../aws/aws-errors.js';
import type { S3Api } from '../aws/s3-api.js';
import type { SsmApi } from '../aws/ssm-api.js';
import { ToolError } from '../errors.js';
import { withBackoff, type BackoffPolicy } from './backoff.js';
import type { CallResult } from './call-result.js';
import { chunk } from './chunk.js';
import type { Clock } from './clock.js';
import { CommandWatch, type WatchTiming } from './command-watch.js';
import { judgeInvocation, type Verdict } from './invocation-status.js';
import type { CommandOutcome, CommandSpec } from './outcome.js';
import {
  needsFullOutput,
  notSentOutcome,
  runnerTimedOutOutcome,
  terminalOutcome,
  type FullOutput,
  type S3Stdout,
} from './outcome-factory.js';
import { GET_STDOUT_LIMIT, isGetStreamCut } from './plugin-output.js';
import { invocationPrefix, readS3Stdout, S3_OUTPUT_MISSING } from './s3-output.js';
import { PollInterval } from './poll-interval.js';
import type { RunEvent } from './run-events.js';
import { buildSendCommandInput, MAX_INSTANCES_PER_SEND, SHELL_DOCUMENT } from './send-command-input.js';

export interface CommandRunSettings {
  concurrency: number;
  timeoutMs: number;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  visibilityTimeoutMs: number;
  /** Read a quiet, unfinished command's invocations after this long (partial results, instances SSM never lists). */
  stallReadMs: number;
  cancellingGraceMs: number;
  cancelGraceMs: number;
  deliveryTimeoutSeconds?: number;
  outputS3Bucket?: string;
  comment?: string;
  signal?: AbortSignal;
  onProgress?: (event: RunEvent) => void;
}

export interface CommandRunDeps {
  ssm: SsmApi;
  /** Reads full outputs from `outputS3Bucket`; without it a cut output stays incomplete. */
  s3?: S3Api;
  clock: Clock;
  random: () => number;
  logger?: Logger;
}

/** Throttling is retried up to maxAttempts (a fleet-wide send meets the SendCommand rate); other errors SEND_OTHER_ERROR_ATTEMPTS. */
const SEND_RETRY: BackoffPolicy = { maxAttempts: 12, baseMs: 500, capMs: 8_000 };
const SEND_OTHER_ERROR_ATTEMPTS = 6;
const LIST_RETRY: BackoffPolicy = { maxAttempts: 3, baseMs: 300, capMs: 3_000 };
/** Also covers InvocationDoesNotExist right after the list showed the invocation (eventual consistency). */
const GET_RETRY: BackoffPolicy = { maxAttempts: 10, baseMs: 300, capMs: 3_000 };
const CANCEL_RETRY: BackoffPolicy = { maxAttempts: 2, baseMs: 200, capMs: 500 };
const LIST_PAGE_SIZE = 50;
const MAX_LIST_PAGES = 1_000;
/** Without SSM's own RequestedDateTime, list commands from this long before our clock's send time (clock skew). */
const CLOCK_SKEW_MARGIN_MS = 5 * 60_000;

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
  private readonly watches = new Map<string, CommandWatch>();
  private readonly lastPollError = new Map<string, string>();
  private lastListError?: string;
  private sendsDone = false;
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
      for (const id of instanceIds) this.tracking.set(id, { phase: 'queued' });
      this.report({ kind: 'started', instanceIds });
      const polling = this.pollLoop();
      const sends = await Promise.allSettled(batches.map((batch, index) => this.sendBatch(batch, `${index + 1}/${batches.length}`)));
      this.sendsDone = true;
      const settled = [...sends, ...(await Promise.allSettled([polling]))];
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
    const result = this.collect(instanceIds);
    // The outputs now belong to the caller, which may drop each once decoded.
    this.outcomes.clear();
    this.watches.clear();
    return result;
  }

  private get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  private halt(reason: StopReason): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    // A plain reason: the default AbortError's stack would reference this run (and every output it holds)
    // for as long as anything keeps the signal, e.g. an SDK request it was passed to.
    this.stop.abort(reason);
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

  // ---- sending: each batch once (bisected on InvalidInstanceId), then watched by the poll loop ----

  private async sendBatch(batch: string[], label: string): Promise<void> {
    if (this.stopped) return;
    const sent = await this.send(batch);
    if (sent.kind === 'split') {
      // AWS refuses a whole SendCommand for one id it does not accept (InvalidInstanceId,
      // e.g. an agent that deregistered since discovery): bisect to isolate it.
      const half = Math.ceil(batch.length / 2);
      await Promise.all([this.sendBatch(batch.slice(0, half), `${label}a`), this.sendBatch(batch.slice(half), `${label}b`)]);
      return;
    }
    if (sent.kind === 'none') return;
    this.deps.logger?.info({ batch: label, instances: batch.length, commandId: sent.commandId }, 'command sent');
  }

  private async send(batch: string[]): Promise<SendResult> {
    const input = buildSendCommandInput(batch, this.spec, {
      remainingMs: this.deadline - this.deps.clock.now(),
      deliveryTimeoutSeconds: this.settings.deliveryTimeoutSeconds,
      outputS3Bucket: this.settings.outputS3Bucket,
      comment: this.settings.comment,
    });
    for (const id of batch) this.tracking.get(id)!.phase = 'sending';
    const result = await this.call('SendCommand', SEND_RETRY, sendRetryRule(), (signal) =>
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
    this.report({ kind: 'sent', instanceIds: batch });
    const now = this.deps.clock.now();
    const requestedAt = result.value.Command?.RequestedDateTime?.getTime() ?? now - CLOCK_SKEW_MARGIN_MS;
    this.watches.set(commandId, new CommandWatch(commandId, batch, now, requestedAt));
    return { kind: 'sent', commandId };
  }

  // ---- polling: ListCommands for all commands, invocations only of those worth reading ----

  private get timing(): WatchTiming {
    return { stallReadMs: this.settings.stallReadMs, visibilityTimeoutMs: this.settings.visibilityTimeoutMs };
  }

  private openWatches(): CommandWatch[] {
    return [...this.watches.values()].filter((w) => w.open);
  }

  private async pollLoop(): Promise<void> {
    const { clock, random, logger } = this.deps;
    const interval = new PollInterval(this.settings.pollIntervalMs, this.settings.maxPollIntervalMs, random);
    while (!this.stopped && (!this.sendsDone || this.openWatches().length > 0)) {
      await clock.sleep(interval.next(), this.stop.signal);
      if (this.stopped) break;
      const open = this.openWatches();
      if (open.length === 0) continue;
      const listing = await this.listCommands(open);
      if (listing.kind === 'stopped') break;
      let changed = false;
      if (listing.kind === 'failed') {
        if (isFatalPollError(listing.error)) return this.failRun(listing.error);
        this.lastListError = describeError(listing.error);
        logger?.warn({ err: this.lastListError }, 'ListCommands failed; will poll again');
        interval.failed();
      } else {
        for (const watch of open) changed = watch.observe(listing.value.get(watch.commandId), clock.now()) || changed;
      }
      const due = open.filter((watch) => watch.wantsRead(clock.now(), this.timing));
      const recordedBefore = this.outcomes.size;
      await Promise.all(due.map((watch) => this.readInvocations(watch)));
      changed = changed || this.outcomes.size > recordedBefore;
      if (listing.kind === 'ok') interval.observed(changed);
      logger?.debug({ commands: open.length, read: due.length, outcomes: this.outcomes.size, nextPollMs: interval.next() }, 'poll');
    }
  }

  /** Our open commands as ListCommands shows them (newest first): pages until every one of them was seen. */
  private async listCommands(open: CommandWatch[]): Promise<CallResult<Map<string, Command>>> {
    const wanted = new Set(open.map((w) => w.commandId));
    const since = Math.min(...open.map((w) => w.requestedAt));
    const filters: CommandFilter[] = [{ key: 'InvokedAfter', value: wholeSecondsIso(since - 1_000) }, ...this.documentFilter()];
    const found = new Map<string, Command>();
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const input = { Filters: filters, MaxResults: LIST_PAGE_SIZE, NextToken: nextToken };
      const result = await this.call('ListCommands', LIST_RETRY, isRetryable, (signal) =>
        this.deps.ssm.listCommands(input, { abortSignal: signal }),
      );
      if (result.kind !== 'ok') return result;
      for (const command of result.value.Commands ?? []) {
        if (command.CommandId !== undefined && wanted.has(command.CommandId)) found.set(command.CommandId, command);
      }
      nextToken = result.value.NextToken || undefined;
      if (nextToken === undefined || found.size === wanted.size) return { kind: 'ok', value: found };
    }
    return { kind: 'failed', error: new ToolError('PaginationLoop', `ListCommands returned more than ${MAX_LIST_PAGES} pages`) };
  }

  /** Narrows the listing to our document when it is named plainly (an ARN may be listed under another form). */
  private documentFilter(): CommandFilter[] {
    const name = this.spec.kind === 'shell' ? SHELL_DOCUMENT : this.spec.documentName;
    return /^[a-zA-Z0-9_.-]+$/.test(name) ? [{ key: 'DocumentName', value: name }] : [];
  }

  private async readInvocations(watch: CommandWatch): Promise<void> {
    const { commandId } = watch;
    const result = await this.listInvocations(commandId);
    watch.markRead(this.deps.clock.now(), this.timing);
    if (result.kind === 'stopped') return;
    if (result.kind === 'failed') {
      if (isFatalPollError(result.error)) return this.failRun(result.error);
      this.lastPollError.set(commandId, describeError(result.error));
      this.deps.logger?.warn({ commandId, err: describeError(result.error) }, 'ListCommandInvocations failed; will read again');
      return;
    }
    const finished = this.absorb(result.value, watch);
    const invisible = this.expireInvisible(watch);
    await Promise.all(finished.map((f) => this.finish(commandId, f)));
    if (invisible.length > 0) await this.cancel(commandId, invisible);
    if (!watch.open) this.deps.logger?.info({ commandId, statuses: this.countStatuses(watch) }, 'command finished');
  }

  /** Reads one listing: which pending instances became terminal (a read may miss some; see CommandWatch). */
  private absorb(invocations: CommandInvocation[], watch: CommandWatch): Finished[] {
    const now = this.deps.clock.now();
    const finished: Finished[] = [];
    for (const invocation of invocations) {
      const id = invocation.InstanceId;
      if (id === undefined || !watch.pending.has(id)) continue;
      watch.listed.add(id);
      const track = this.tracking.get(id)!;
      if (invocation.Status !== undefined && invocation.Status !== track.lastStatus) {
        this.report({ kind: 'status', instanceId: id, status: invocation.Status });
      }
      track.lastStatus = invocation.Status;
      track.lastDetails = invocation.StatusDetails;
      let verdict = judgeInvocation(invocation.Status, invocation.StatusDetails);
      if (!verdict.terminal && verdict.cancelling) {
        const since = watch.cancellingSince.get(id) ?? now;
        watch.cancellingSince.set(id, since);
        if (now - since >= this.settings.cancellingGraceMs) {
          verdict = {
            terminal: true,
            status: 'Cancelling',
            reason: `still Cancelling ${Math.round((now - since) / 1000)} s after SSM first reported it`,
          };
        }
      }
      if (verdict.terminal) {
        watch.pending.delete(id);
        finished.push({ invocation, verdict });
      }
    }
    return finished;
  }

  /** Instances SSM still does not list long after SendCommand: give up on them rather than wait for the deadline. */
  private expireInvisible(watch: CommandWatch): string[] {
    const waited = this.deps.clock.now() - watch.sentAt;
    if (waited < this.settings.visibilityTimeoutMs) return [];
    const invisible = [...watch.pending].filter((id) => !watch.listed.has(id));
    for (const id of invisible) {
      watch.pending.delete(id);
      this.record(
        runnerTimedOutOutcome(id, `SSM listed no invocation for this instance ${Math.round(waited / 1000)} s after SendCommand`, {
          commandId: watch.commandId,
        }),
      );
    }
    return invisible;
  }

  private async finish(commandId: string, { invocation, verdict }: Finished): Promise<void> {
    let full: FullOutput;
    let s3: S3Stdout;
    if (needsFullOutput(invocation, verdict)) {
      const fetched = await this.fetchFullOutput(commandId, invocation);
      full = fetched;
      if (fetched?.kind === 'ok' && isGetStreamCut(fetched.value.StandardOutputContent ?? '', GET_STDOUT_LIMIT)) {
        s3 = await this.fetchS3Stdout(commandId, invocation, fetched.value);
      }
    }
    const { outputS3Bucket } = this.settings;
    this.record(terminalOutcome(invocation, verdict, full, { commandId, outputS3Bucket, canReadS3: this.deps.s3 !== undefined }, s3));
  }

  /** The whole stdout from the S3 copy SSM wrote (`--output-s3-bucket`); retried while the agent's upload is not there yet. */
  private async fetchS3Stdout(commandId: string, invocation: CommandInvocation, got: GetCommandInvocationCommandOutput): Promise<S3Stdout> {
    const { s3 } = this.deps;
    const bucket = this.settings.outputS3Bucket;
    if (!s3 || !bucket) return undefined;
    const location = {
      bucket,
      keyPrefix: '',
      commandId,
      instanceId: invocation.InstanceId!,
      pluginName: invocation.CommandPlugins?.[0]?.Name ?? got.PluginName,
      outputUrl: got.StandardOutputUrl,
    };
    const result = await this.call(
      'S3 GetObject',
      GET_RETRY,
      (err) => isRetryable(err) || [S3_OUTPUT_MISSING, 'NoSuchKey'].includes(awsErrorName(err)),
      (signal) => readS3Stdout(s3, location, { abortSignal: signal }),
    );
    if (result.kind === 'ok') return { kind: 'ok', stdout: result.value };
    const where = `s3://${bucket}/${invocationPrefix(location)}`;
    if (result.kind === 'stopped') return { kind: 'unavailable', reason: `the run ${this.stopText()} before ${where} was read` };
    return { kind: 'unavailable', reason: `${where}: ${describeError(result.error)}` };
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
      work.finally(() => signal.removeEventListener('abort', onStop)).then(resolve, reject);
    });
  }

  // ---- the end of the run ----

  /** Best effort, bounded by cancelGraceMs: ask SSM to cancel what is still running. */
  private async cancelUnfinished(): Promise<void> {
    const work = this.openWatches();
    if (work.length === 0) return;
    const grace = new AbortController();
    const limit = pLimit(this.settings.concurrency);
    // Harvest first: results already final must not be lost to the stop, nor statuses changed by our cancel.
    const cancels = Promise.allSettled(
      work.map((watch) =>
        limit(async () => {
          await this.harvest(watch, grace.signal);
          if (watch.open) await this.cancelOnce(watch.commandId, [...watch.pending], grace.signal);
        }),
      ),
    );
    await Promise.race([cancels, this.deps.clock.sleep(this.settings.cancelGraceMs, grace.signal)]);
    grace.abort();
  }

  /**
   * After a stop, one read (no retry, within the cancel grace) of a command
   * ListCommands showed with more instances final than recorded, so they keep
   * their results; the rest learn their last status. Cut outputs are not
   * fetched any more (the outcome says so).
   */
  private async harvest(watch: CommandWatch, signal: AbortSignal): Promise<void> {
    if ((watch.completedCount ?? 0) <= watch.instanceIds.length - watch.pending.size) return;
    try {
      const pages = await allPages('ListCommandInvocations', async (nextToken) => {
        const input = { CommandId: watch.commandId, Details: true, MaxResults: LIST_PAGE_SIZE, NextToken: nextToken };
        const answer = await this.deps.ssm.listCommandInvocations(input, { abortSignal: signal });
        return { items: answer.CommandInvocations ?? [], nextToken: answer.NextToken };
      });
      await Promise.all(this.absorb(pages, watch).map((f) => this.finish(watch.commandId, f)));
    } catch (err) {
      this.deps.logger?.warn({ commandId: watch.commandId, err: describeError(err) }, 'reading final results after the stop failed');
    }
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
    if (this.outcomes.has(outcome.instanceId)) return;
    this.outcomes.set(outcome.instanceId, outcome);
    const { instanceId, status, stdoutComplete } = outcome;
    this.report({ kind: 'finished', instanceId, status, stdoutComplete });
  }

  /** A progress display that throws must not end the run. */
  private report(event: RunEvent): void {
    try {
      this.settings.onProgress?.(event);
    } catch (err) {
      this.deps.logger?.debug({ err: describeError(err) }, 'progress display failed');
    }
  }

  private collect(instanceIds: string[]): Map<string, CommandOutcome> {
    const result = new Map<string, CommandOutcome>();
    for (const id of instanceIds) {
      if (!this.outcomes.has(id)) this.record(this.unfinishedOutcome(id));
      result.set(id, this.outcomes.get(id)!);
    }
    return result;
  }

  private unfinishedOutcome(id: string): CommandOutcome {
    const track = this.tracking.get(id) ?? { phase: 'queued' };
    const stop = `the run ${this.stopText()}`;
    if (track.phase === 'queued') return runnerTimedOutOutcome(id, `${stop} before SendCommand was called`);
    if (track.phase === 'sending') {
      return runnerTimedOutOutcome(id, `${stop} while SendCommand was in flight (the command may have started)`);
    }
    const command = track.commandId ? this.watches.get(track.commandId)?.describe() : undefined;
    let where = 'before SSM listed the command';
    if (track.lastStatus) where = `while the invocation was ${track.lastStatus}`;
    else if (command) where = `while the command was ${command}`;
    const pollError = (track.commandId ? this.lastPollError.get(track.commandId) : undefined) ?? this.lastListError;
    const reason = `${stop} ${where}; cancel requested${pollError ? `; last poll error: ${pollError}` : ''}`;
    return runnerTimedOutOutcome(id, reason, { commandId: track.commandId, statusDetails: track.lastDetails });
  }

  private stopText(): string {
    if (this.stopReason === 'aborted') return `was ${abortText(this.settings.signal?.reason)}`;
    if (this.stopReason === 'fatal') return 'stopped on a fatal error';
    return `deadline of ${Math.round(this.settings.timeoutMs / 1000)} s expired`;
  }

  private countStatuses(watch: CommandWatch): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const id of watch.instanceIds) {
      const status = this.outcomes.get(id)?.status ?? 'unfinished';
      counts[status] = (counts[status] ?? 0) + 1;
    }
    return counts;
  }
}

const STOPPED = Symbol('stopped');

/** 2021-07-07T00:00:00Z: the form AWS documents for the InvokedAfter filter. */
function wholeSecondsIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

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

function sendRetryRule(): (err: unknown) => boolean {
  let otherErrors = 0;
  return (err) => isThrottling(err) || (isRetryable(err) && ++otherErrors < SEND_OTHER_ERROR_ATTEMPTS);
}

function isFatalPollError(error: unknown): boolean {
  return isCredentialsError(error) || isAccessDenied(error);
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const name = awsErrorName(err);
    return err.message.startsWith(name) || err.message.includes(`${name}:`) ? err.message : `${name}: ${err.message}`;
  }
  return String(err);
}
