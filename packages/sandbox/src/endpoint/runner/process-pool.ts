/**
 * Runs shell scripts as real child processes, at most `maxConcurrent` at once
 * (a FIFO queue holds the rest, so thousands of instances cannot fork-bomb the
 * machine). Each child leads its own process group; timeouts, cancellation and
 * close() kill the whole group with SIGKILL, as the SSM agent does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CappedBuffer } from './capped-buffer.js';

/** 8 MiB per stream: the S3 copy (OutputS3BucketName) holds the whole output, far beyond the API's 24,000 / 8,000. */
const CAPTURE_LIMIT = 8 * 1024 * 1024;
/** Linux MAX_ARG_STRLEN: `sh -c SCRIPT` cannot take a longer argument. */
const MAX_SCRIPT_BYTES = 131_072 - 1;
/** How long to wait for stdout/stderr to end after the shell exits: a background child may hold them open, and on a loaded machine the last chunk can arrive well after exit (200 ms lost a final stderr line 1 run in 3). */
const DRAIN_GRACE_MS = 2_000;
export const SANDBOX_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

export interface RunSpec {
  script: string;
  netns?: string;
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs: number;
  /** Kill the run after this many ms and report it as a crash (agent behaviour "crash"). */
  crashAfterMs?: number;
}

export interface RunResult {
  /** Exit status, or null when killed by a signal or never started. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  started: boolean;
  timedOut: boolean;
  cancelled: boolean;
  crashed: boolean;
  startedAt?: number;
  endedAt: number;
}

export interface RunHandle {
  result: Promise<RunResult>;
  cancel: () => void;
}

interface PoolHooks {
  onStart?(): void;
  onEnd?(): void;
}

interface Job {
  spec: RunSpec;
  hooks: PoolHooks;
  resolve: (result: RunResult) => void;
  state: 'queued' | 'running' | 'done';
  child?: ChildProcess;
  kill?(reason: 'cancel' | 'close'): void;
}

export class ProcessPool {
  private readonly queue: Job[] = [];
  private readonly running = new Set<Job>();
  private closed = false;
  maxObserved = 0;

  constructor(private readonly maxConcurrent: number) {}

  get runningCount(): number {
    return this.running.size;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  submit(spec: RunSpec, hooks: PoolHooks = {}): RunHandle {
    let job!: Job;
    const result = new Promise<RunResult>((resolve) => {
      job = { spec, hooks, resolve, state: 'queued' };
    });
    if (this.closed) {
      job.state = 'done';
      job.resolve(notStarted({ cancelled: true }));
    } else {
      this.queue.push(job);
      this.pump();
    }
    return { result, cancel: () => this.cancel(job, 'cancel') };
  }

  /** Kills every running group, drops the queue, resolves once all children are gone. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.finish(job, notStarted({ cancelled: true }));
    const pending = [...this.running].map(
      (job) => new Promise<void>((done) => {
        const original = job.resolve;
        job.resolve = (r) => {
          original(r);
          done();
        };
        job.kill?.('close');
      }),
    );
    await Promise.all(pending);
  }

  private cancel(job: Job, reason: 'cancel' | 'close'): void {
    if (job.state === 'queued') {
      this.queue.splice(this.queue.indexOf(job), 1);
      this.finish(job, notStarted({ cancelled: true }));
    } else if (job.state === 'running') {
      job.kill?.(reason);
    }
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.maxConcurrent && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running.add(job);
      this.maxObserved = Math.max(this.maxObserved, this.running.size);
      job.state = 'running';
      job.hooks.onStart?.();
      this.start(job);
    }
  }

  private finish(job: Job, result: RunResult): void {
    if (job.state === 'done') return;
    const wasRunning = job.state === 'running';
    job.state = 'done';
    this.running.delete(job);
    job.child = undefined;
    if (wasRunning) job.hooks.onEnd?.();
    job.resolve(result);
    this.pump();
  }

  private start(job: Job): void {
    const { spec } = job;
    const startedAt = Date.now();
    if (Buffer.byteLength(spec.script) > MAX_SCRIPT_BYTES) {
      this.finish(job, {
        ...notStarted({}),
        started: true,
        startedAt,
        exitCode: 1,
        stderr: `sandbox: script of ${Buffer.byteLength(spec.script)} bytes exceeds ${MAX_SCRIPT_BYTES} bytes (sh -c limit)`,
      });
      return;
    }
    const [command, args] = spec.netns
      ? ['nsenter', [`--net=/var/run/netns/${spec.netns}`, '/bin/sh', '-c', spec.script]]
      : ['/bin/sh', ['-c', spec.script]];
    const child = spawn(command, args, {
      detached: true, // own process group, killed as a whole
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: spec.cwd,
      env: { PATH: SANDBOX_PATH, ...spec.env },
    });
    job.child = child;
    const stdout = new CappedBuffer(CAPTURE_LIMIT);
    const stderr = new CappedBuffer(CAPTURE_LIMIT);
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => stderr.push(c));

    let timedOut = false;
    let cancelled = false;
    let crashed = false;
    let exitCode: number | null = null;
    let spawnError: string | undefined;
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    job.kill = (reason) => {
      cancelled = reason === 'cancel' || reason === 'close';
      killGroup();
    };
    const timers = [
      setTimeout(() => {
        timedOut = true;
        killGroup();
      }, spec.timeoutMs),
    ];
    if (spec.crashAfterMs !== undefined) {
      timers.push(
        setTimeout(() => {
          crashed = true;
          killGroup();
        }, spec.crashAfterMs),
      );
    }
    let drainTimer: NodeJS.Timeout | undefined;
    const done = () => {
      timers.forEach(clearTimeout);
      if (drainTimer) clearTimeout(drainTimer);
      this.finish(job, {
        exitCode,
        stdout: stdout.text(),
        stderr: spawnError ? `${stderr.text()}${spawnError}` : stderr.text(),
        started: true,
        timedOut: timedOut && !cancelled,
        cancelled,
        crashed: crashed && !timedOut && !cancelled,
        startedAt,
        endedAt: Date.now(),
      });
    };
    child.on('error', (err) => {
      spawnError = `sandbox: cannot start ${command}: ${err.message}`;
      exitCode = 127;
      done();
    });
    child.on('exit', (code) => {
      exitCode = code;
      drainTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        done();
      }, DRAIN_GRACE_MS);
    });
    child.on('close', done);
  }
}

function notStarted(over: Partial<RunResult>): RunResult {
  return {
    exitCode: null,
    stdout: '',
    stderr: '',
    started: false,
    timedOut: false,
    cancelled: false,
    crashed: false,
    endedAt: Date.now(),
    ...over,
  };
}
