/**
 * Plays the SSM agent of each instance: delivers an invocation or leaves it
 * waiting (offline agents), runs its steps as real processes through the
 * shared ProcessPool, and records results the way the agent reports them.
 *
 * An instance with `exec.recorded` runs no process: each step answers the
 * recorded result after a runtime drawn from `exec.runtimeMs`, so a bench
 * can host 10,000 instances without 10,000 `sh`.
 *
 * Agent behaviours: online runs at once; slow waits `delayMs` (InProgress)
 * first; crash kills the step after `delayMs` (default 100 ms) and reports
 * Failed/Failed with ResponseCode -1, the way an agent that died mid-command
 * never reports an exit code (partial output is kept, as the agent's
 * orchestration files are after a restart).
 */
import { existsSync } from 'node:fs';
import type { FleetFileInstance, RecordedResult } from '../../fleet-file-types.js';
import { agentPicksUpCommands, isManaged } from '../fleet-index.js';
import type { ProcessPool, RunResult } from '../runner/process-pool.js';
import type { RenderedStep } from './documents.js';
import { aggregatePlugins, endUnrun, type Invocation, type PluginState } from './invocation.js';
import { MAX_STDERR_CONTENT, MAX_STDOUT_CONTENT, stringPrefix, truncatePluginOutput } from './truncation.js';

/** Keeps a finished step's whole streams (the agent's S3 upload), called once per step that ran. */
export type StepOutputSink = (stepIndex: number, stepName: string, result: Pick<RunResult, 'stdout' | 'stderr'>) => void;

/** Linux agent: exit code reported for a process it killed (timeout or cancel), 128 + SIGKILL. */
const KILLED_EXIT_CODE = 137;
const DEFAULT_CRASH_AFTER_MS = 100;

export class InvocationExecutor {
  constructor(
    private readonly pool: ProcessPool,
    private readonly shutdown: AbortSignal,
    private readonly onStepStarted: () => void,
    /** Draws recorded runtimes; seeded by the fleet file so a bench replays. */
    private readonly random: () => number = Math.random,
  ) {}

  private drawRuntime(range: [number, number] | undefined): number {
    const [min, max] = range ?? [0, 0];
    return Math.round(min + (max - min) * this.random());
  }

  start(
    invocation: Invocation,
    instance: FleetFileInstance | undefined,
    steps: RenderedStep[],
    deliveryTimeoutMs: number,
    saveOutput?: StepOutputSink,
  ): void {
    if (!isManaged(instance)) {
      endUnrun(invocation, 'Failed', 'Undeliverable');
      return;
    }
    if (!agentPicksUpCommands(instance)) {
      invocation.deliveryDeadline = Date.now() + deliveryTimeoutMs;
      invocation.cancel = () => endUnrun(invocation, 'Cancelled', 'Cancelled');
      return;
    }
    this.run(invocation, instance, steps, saveOutput).catch((err: unknown) => {
      // A defect here must not leave the invocation InProgress forever (nor crash the server).
      endUnrun(invocation, 'Failed', 'Failed');
      invocation.plugins.forEach((p) => (p.stderrContent = `sandbox endpoint error: ${(err as Error).message}`));
    });
  }

  private async run(invocation: Invocation, instance: FleetFileInstance, steps: RenderedStep[], saveOutput?: StepOutputSink): Promise<void> {
    const behaviour = instance.agent?.behaviour ?? 'online';
    let cancelled = false;
    let cancelCurrent: (() => void) | undefined;
    const abort = new AbortController();
    invocation.cancel = () => {
      cancelled = true;
      if (invocation.status === 'InProgress') invocation.status = 'Cancelling';
      abort.abort();
      cancelCurrent?.();
    };
    const stop = AbortSignal.any([abort.signal, this.shutdown]);

    if (behaviour === 'slow') {
      markInProgress(invocation);
      await delay(instance.agent?.delayMs ?? 0, stop);
    }
    for (const [index, step] of steps.entries()) {
      if (cancelled || this.shutdown.aborted) break;
      const plugin = invocation.plugins[index];
      const recorded = instance.exec?.recorded;
      if (recorded) {
        const runtimeMs = this.drawRuntime(instance.exec?.runtimeMs);
        this.onStepStarted();
        markInProgress(invocation);
        Object.assign(plugin, { status: 'InProgress', statusDetails: 'InProgress' });
        const result = await answerRecorded(recorded, runtimeMs, step.executionTimeoutSeconds * 1000, stop);
        recordResult(plugin, result);
        saveOutput?.(index, step.name, result);
        continue;
      }
      if (step.workingDirectory !== undefined && !existsSync(step.workingDirectory)) {
        recordMissingDirectory(plugin, step.workingDirectory);
        continue;
      }
      const handle = this.pool.submit(
        {
          script: step.script,
          netns: instance.exec?.netns,
          env: instance.exec?.env,
          cwd: step.workingDirectory,
          timeoutMs: step.executionTimeoutSeconds * 1000,
          crashAfterMs: behaviour === 'crash' && index === 0 ? (instance.agent?.delayMs ?? DEFAULT_CRASH_AFTER_MS) : undefined,
        },
        {
          onStart: () => {
            this.onStepStarted();
            markInProgress(invocation);
            plugin.status = 'InProgress';
            plugin.statusDetails = 'InProgress';
          },
        },
      );
      cancelCurrent = handle.cancel;
      const result = await handle.result;
      recordResult(plugin, result);
      saveOutput?.(index, step.name, result);
      cancelCurrent = undefined;
    }
    for (const plugin of invocation.plugins) {
      if (plugin.status === 'Pending' || plugin.status === 'InProgress') {
        plugin.status = 'Cancelled';
        plugin.statusDetails = 'Cancelled';
      }
    }
    aggregatePlugins(invocation);
  }
}

/**
 * A recorded step: the result after `runtimeMs`, as a process that printed it
 * would report; the execution timeout and cancel still apply (nothing to kill).
 */
async function answerRecorded(
  recorded: RecordedResult,
  runtimeMs: number,
  timeoutMs: number,
  stop: AbortSignal,
): Promise<RunResult> {
  const startedAt = Date.now();
  await delay(Math.min(runtimeMs, timeoutMs), stop);
  const endedAt = Date.now();
  const base = { started: true, crashed: false, startedAt, endedAt };
  if (stop.aborted) return { ...base, exitCode: null, stdout: '', stderr: '', timedOut: false, cancelled: true };
  if (runtimeMs > timeoutMs) return { ...base, exitCode: null, stdout: '', stderr: '', timedOut: true, cancelled: false };
  return { ...base, exitCode: recorded.code, stdout: recorded.stdout, stderr: recorded.stderr, timedOut: false, cancelled: false };
}

function markInProgress(invocation: Invocation): void {
  if (invocation.status === 'Pending') {
    invocation.status = 'InProgress';
    invocation.statusDetails = 'InProgress';
  }
}

function recordMissingDirectory(plugin: PluginState, directory: string): void {
  const now = Date.now();
  const stderr = `Failed to find workingDirectory ${directory}: no such directory`;
  Object.assign(plugin, {
    status: 'Failed',
    statusDetails: 'Failed',
    responseCode: 1,
    startedAt: now,
    endedAt: now,
    stdoutContent: '',
    stderrContent: stringPrefix(stderr, MAX_STDERR_CONTENT),
    output: truncatePluginOutput('', stderr),
  });
}

function recordResult(plugin: PluginState, result: RunResult): void {
  plugin.startedAt = result.startedAt;
  plugin.endedAt = result.endedAt;
  plugin.stdoutContent = stringPrefix(result.stdout, MAX_STDOUT_CONTENT);
  plugin.stderrContent = stringPrefix(result.stderr, MAX_STDERR_CONTENT);
  plugin.output = truncatePluginOutput(result.stdout, result.stderr);
  if (result.cancelled) {
    plugin.status = 'Cancelled';
    plugin.statusDetails = 'Cancelled';
    plugin.responseCode = result.started ? KILLED_EXIT_CODE : -1;
  } else if (result.timedOut) {
    plugin.status = 'TimedOut';
    plugin.statusDetails = 'ExecutionTimedOut';
    plugin.responseCode = KILLED_EXIT_CODE;
  } else if (result.crashed) {
    plugin.status = 'Failed';
    plugin.statusDetails = 'Failed';
    plugin.responseCode = -1;
  } else if (result.exitCode === 0) {
    plugin.status = 'Success';
    plugin.statusDetails = 'Success';
    plugin.responseCode = 0;
  } else {
    plugin.status = 'Failed';
    plugin.statusDetails = 'Failed';
    // Killed by a signal we did not send: Go's ExitStatus() reports -1.
    plugin.responseCode = result.exitCode ?? -1;
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
