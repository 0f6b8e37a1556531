/**
 * Fleet-scale execution of one command through SSM Run Command.
 *
 *   const outcomes = await runCommand({ ssm, logger }, ids, { kind: 'shell', commands: ['uname -a'] },
 *                                     { concurrency: 10, timeoutMs: 120_000 });
 *
 * - SendCommand in batches of at most 50 InstanceIds, p-limit bounding the
 *   AWS calls in flight to `concurrency`; a batch whose SendCommand fails
 *   for good gets NotSent outcomes.
 * - One poll loop: ListCommands (50 commands a call) tells which commands
 *   finished; each finished command's invocations are read once with
 *   ListCommandInvocations(Details), never GetCommandInvocation per instance;
 *   adaptive interval (pollIntervalMs, growing to maxPollIntervalMs while
 *   nothing changes).
 * - Outputs cut at 2,500 characters are fetched with GetCommandInvocation;
 *   beyond its 24,000 characters, stdout is read from the S3 copy when
 *   `outputS3Bucket` and an S3 client are given, else stdoutComplete is false
 *   and the error names the flag to add.
 * - Throttling / 5xx: exponential backoff with jitter on top of the SDK's.
 * - `timeoutMs` bounds the whole run: then CancelCommand (best effort,
 *   bounded) and RunnerTimedOut for whatever is unfinished. `signal` likewise;
 *   its reason (a string or an Error's message, e.g. "cancelled by SIGTERM")
 *   is named in each unfinished instance's error.
 * - Exactly one outcome per distinct instance id, in input order.
 * - Credentials errors (and AccessDenied while polling) stop the run and are
 *   thrown as AwsError: no outcome would be meaningful.
 */
import type { Logger } from 'pino';
import type { S3Api } from '../aws/s3-api.js';
import type { SsmApi } from '../aws/ssm-api.js';
import { UsageError } from '../errors.js';
import { systemClock, type Clock } from './clock.js';
import { CommandRun } from './command-run.js';
import type { CommandOutcome, CommandSpec } from './outcome.js';
import type { RunEvent } from './run-events.js';

export interface RunnerDeps {
  ssm: SsmApi;
  /** Reads full outputs (beyond GetCommandInvocation's 24,000 characters) from `outputS3Bucket`. */
  s3?: S3Api;
  logger?: Logger;
  /** Injectable time (tests use virtual time). */
  clock?: Clock;
  /** Injectable randomness for backoff and poll jitter. */
  random?: () => number;
}

export interface RunOptions {
  /** AWS calls in flight at once. */
  concurrency: number;
  /** Wall-clock budget of the whole run, in ms. */
  timeoutMs: number;
  /** First poll interval (default 500 ms). */
  pollIntervalMs?: number;
  /** Longest poll interval while nothing changes (default 5,000 ms). */
  maxPollIntervalMs?: number;
  /** SendCommand TimeoutSeconds; default: the time left in the run, at least AWS's minimum of 30. */
  deliveryTimeoutSeconds?: number;
  outputS3Bucket?: string;
  comment?: string;
  /** Ends the run like the deadline; abort it with a reason ("cancelled by SIGTERM") to name the cause. */
  signal?: AbortSignal;
  /** Give up on an instance SSM has not listed this long after SendCommand (default 60,000 ms). */
  visibilityTimeoutMs?: number;
  /** Read an unfinished command's invocations once it has been quiet this long (default 10,000 ms): keeps the results of its finished instances when one hangs. */
  stallReadMs?: number;
  /** How long an invocation may stay Cancelling before it counts as final (default 30,000 ms). */
  cancellingGraceMs?: number;
  /** Time allowed for CancelCommand calls after the deadline (default 2,000 ms). */
  cancelGraceMs?: number;
  /** Told of each instance's progress as it happens (a progress display); see run-events.ts. */
  onProgress?: (event: RunEvent) => void;
}

export async function runCommand(
  deps: RunnerDeps,
  instanceIds: readonly string[],
  spec: CommandSpec,
  opts: RunOptions,
): Promise<Map<string, CommandOutcome>> {
  validate(instanceIds, spec, opts);
  const ids = [...new Set(instanceIds)];
  if (ids.length === 0) return new Map();
  const run = new CommandRun(
    { ssm: deps.ssm, s3: deps.s3, logger: deps.logger, clock: deps.clock ?? systemClock, random: deps.random ?? Math.random },
    spec,
    {
      concurrency: opts.concurrency,
      timeoutMs: opts.timeoutMs,
      pollIntervalMs: opts.pollIntervalMs ?? 500,
      maxPollIntervalMs: Math.max(opts.maxPollIntervalMs ?? 5_000, opts.pollIntervalMs ?? 500),
      visibilityTimeoutMs: opts.visibilityTimeoutMs ?? 60_000,
      stallReadMs: opts.stallReadMs ?? 10_000,
      cancellingGraceMs: opts.cancellingGraceMs ?? 30_000,
      cancelGraceMs: opts.cancelGraceMs ?? 2_000,
      deliveryTimeoutSeconds: opts.deliveryTimeoutSeconds,
      outputS3Bucket: opts.outputS3Bucket,
      comment: opts.comment,
      signal: opts.signal,
      onProgress: opts.onProgress,
    },
  );
  return run.execute(ids);
}

function validate(instanceIds: readonly string[], spec: CommandSpec, opts: RunOptions): void {
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) {
    throw new UsageError(`--concurrency must be a positive integer, got ${opts.concurrency}`, 'InvalidRunnerOption');
  }
  if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0) {
    throw new UsageError(`--timeout must be a positive number of seconds, got ${opts.timeoutMs / 1000}`, 'InvalidRunnerOption');
  }
  for (const [name, value] of Object.entries({
    pollIntervalMs: opts.pollIntervalMs,
    maxPollIntervalMs: opts.maxPollIntervalMs,
    visibilityTimeoutMs: opts.visibilityTimeoutMs,
    stallReadMs: opts.stallReadMs,
  })) {
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
      throw new UsageError(`${name} must be a positive number, got ${value}`, 'InvalidRunnerOption');
    }
  }
  const bad = instanceIds.find((id) => typeof id !== 'string' || id.trim() === '');
  if (bad !== undefined) throw new UsageError(`invalid instance id ${JSON.stringify(bad)}`, 'InvalidRunnerOption');
  if (spec.kind === 'shell' && spec.commands.length === 0) {
    throw new UsageError('a shell command spec needs at least one command line', 'InvalidRunnerOption');
  }
}
