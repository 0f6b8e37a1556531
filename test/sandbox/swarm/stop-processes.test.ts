import { descendantsOf, stopProcesses, type Clock, type ProcessSnapshot, type ProcessTable, type StopTarget } from '../../../packages/sandbox/src/swarm/stop-processes.js';
import { parseStat } from '../../../packages/sandbox/src/swarm/proc-table.js';

/** A process that reacts to signals after a delay; `never` = it ignores that signal (or is stuck in D state). */
interface FakeProcess {
  pid: number;
  ppid: number;
  startTime: string;
  cmdline: string;
  onTerm: number | 'never';
  onKill: number | 'never';
  /** Exits this long after another pid has exited (containerd after dockerd). */
  exitsAfter?: { pid: number; ms: number };
  exitAt?: number;
  zombie?: boolean;
  /** After the exit it stays a zombie this long, until its parent reaps it. */
  reapAfter?: number | 'never';
  reapAt?: number;
}

class FakeSystem implements ProcessTable, Clock {
  time = 0;
  readonly sent: { pid: number; signal: string; at: number }[] = [];
  private readonly procs = new Map<number, FakeProcess>();
  private readonly exitedAt = new Map<number, number>();

  add(p: Partial<FakeProcess> & { pid: number }): this {
    this.procs.set(p.pid, { ppid: 1, startTime: `${1000 + p.pid}`, cmdline: `/usr/bin/thing ${p.pid}`, onTerm: 0, onKill: 0, ...p });
    return this;
  }

  /** Another program starts with a pid that was ours. */
  reuse(pid: number, cmdline: string): void {
    this.procs.set(pid, { pid, ppid: 1, startTime: `${9000 + pid}`, cmdline, onTerm: 'never', onKill: 'never' });
  }

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.time += ms;
    this.settle();
  }

  private settle(): void {
    for (const p of [...this.procs.values()]) {
      const leaderGoneAt = p.exitsAfter ? this.exitedAt.get(p.exitsAfter.pid) : undefined;
      if (p.exitAt === undefined && leaderGoneAt !== undefined) p.exitAt = leaderGoneAt + p.exitsAfter!.ms;
      if (p.exitAt !== undefined && p.exitAt <= this.time && !p.zombie) {
        this.exitedAt.set(p.pid, p.exitAt);
        p.zombie = true;
        p.reapAt = p.reapAfter === 'never' ? Infinity : p.exitAt + (p.reapAfter ?? 0);
      }
      if (p.reapAt !== undefined && p.reapAt <= this.time) this.procs.delete(p.pid);
    }
  }

  async read(pid: number): Promise<ProcessSnapshot | undefined> {
    const p = this.procs.get(pid);
    return p && { pid, ppid: p.ppid, startTime: p.startTime, zombie: p.zombie ?? false };
  }

  async commandLine(pid: number): Promise<string | undefined> {
    return this.procs.get(pid)?.cmdline;
  }

  async list(): Promise<ProcessSnapshot[]> {
    return Promise.all([...this.procs.keys()].map(async (pid) => (await this.read(pid))!));
  }

  signal(pid: number, signal: 'SIGTERM' | 'SIGKILL'): boolean {
    const p = this.procs.get(pid);
    if (!p) return false;
    this.sent.push({ pid, signal, at: this.time });
    const delay = signal === 'SIGTERM' ? p.onTerm : p.onKill;
    if (delay !== 'never') p.exitAt = Math.min(p.exitAt ?? Infinity, this.time + delay);
    this.settle();
    return true;
  }

  alive(pid: number): boolean {
    return this.procs.has(pid);
  }
}

const TIMINGS = { graceMs: 20_000, killWaitMs: 5_000, reapWaitMs: 10_000, pollMs: 50 };
const dockerd = (pid: number, extra: Partial<StopTarget> = {}): StopTarget => ({ pid, label: 'dockerd of m1', startTime: `${1000 + pid}`, match: '/tmp/sb/nodes/m1/data', terminate: true, ...extra });
const helper = (pid: number): StopTarget => ({ pid, label: `helper ${pid}`, startTime: `${1000 + pid}`, terminate: false });
const pids = (targets: StopTarget[]) => targets.map((t) => t.pid);

describe('stopProcesses', () => {
  it('returns only after the daemon and the children it stops itself have exited, without SIGKILL when they leave in time', async () => {
    const sys = new FakeSystem()
      .add({ pid: 100, cmdline: '/usr/sbin/dockerd --data-root /tmp/sb/nodes/m1/data', onTerm: 8_400 })
      .add({ pid: 101, ppid: 100, cmdline: 'containerd --config x', onTerm: 'never', exitsAfter: { pid: 100, ms: 700 } });
    const outcome = await stopProcesses([dockerd(100), helper(101)], TIMINGS, { table: sys, clock: sys });
    expect(sys.alive(100) || sys.alive(101)).toBe(false);
    expect(sys.time).toBeGreaterThanOrEqual(9_100);
    expect(sys.time).toBeLessThan(9_100 + 2 * TIMINGS.pollMs);
    expect(sys.sent).toEqual([{ pid: 100, signal: 'SIGTERM', at: 0 }]);
    expect(pids(outcome.exited).sort()).toEqual([100, 101]);
    expect(outcome.killed).toEqual([]);
    expect(outcome.survivors).toEqual([]);
  });

  it('sends SIGKILL when the grace period ends, waits for the exit, and reports the process as killed hard', async () => {
    const sys = new FakeSystem()
      .add({ pid: 100, cmdline: '/usr/sbin/dockerd --data-root /tmp/sb/nodes/m1/data', onTerm: 'never', onKill: 300 })
      .add({ pid: 101, ppid: 100, onTerm: 'never', onKill: 10 });
    const outcome = await stopProcesses([dockerd(100), helper(101)], TIMINGS, { table: sys, clock: sys });
    const kills = sys.sent.filter((s) => s.signal === 'SIGKILL');
    expect(kills.map((k) => k.pid).sort()).toEqual([100, 101]);
    for (const kill of kills) expect(kill.at).toBeGreaterThanOrEqual(TIMINGS.graceMs);
    expect(sys.alive(100) || sys.alive(101)).toBe(false);
    expect(sys.time).toBeGreaterThanOrEqual(TIMINGS.graceMs + 300);
    expect(pids(outcome.killed).sort()).toEqual([100, 101]);
    expect(outcome.exited).toEqual([]);
  });

  it('reports a process that outlives SIGKILL as a survivor after killWaitMs instead of pretending it is gone', async () => {
    const sys = new FakeSystem().add({ pid: 100, cmdline: '/usr/sbin/dockerd --data-root /tmp/sb/nodes/m1/data', onTerm: 'never', onKill: 'never' });
    const outcome = await stopProcesses([dockerd(100)], TIMINGS, { table: sys, clock: sys });
    expect(pids(outcome.survivors)).toEqual([100]);
    expect(sys.time).toBeGreaterThanOrEqual(TIMINGS.graceMs + TIMINGS.killWaitMs);
  });

  it('never signals a pid now held by another program (start time differs, or the command line lacks the match)', async () => {
    const sys = new FakeSystem();
    sys.reuse(100, '/usr/sbin/dockerd --data-root /tmp/sb/nodes/m1/data');
    sys.reuse(200, '/usr/sbin/sshd');
    const oldLedger = { pid: 200, label: 'dockerd of w1', match: '/tmp/sb/nodes/w1/data', terminate: true };
    const outcome = await stopProcesses([dockerd(100), oldLedger], TIMINGS, { table: sys, clock: sys });
    expect(sys.sent).toEqual([]);
    expect(pids(outcome.notRunning).sort()).toEqual([100, 200]);
    expect(sys.alive(100) && sys.alive(200)).toBe(true);
  });

  it('checks identity again before SIGKILL: a pid that exited and was reused during the grace period is left alone', async () => {
    const sys = new FakeSystem().add({ pid: 100, cmdline: '/usr/sbin/dockerd --data-root /tmp/sb/nodes/m1/data', onTerm: 'never', onKill: 0 });
    const reuseAt = 5_000;
    const realSleep = sys.sleep.bind(sys);
    sys.sleep = async (ms) => {
      await realSleep(ms);
      if (sys.time >= reuseAt && sys.alive(100) && (await sys.read(100))!.startTime === '1100') sys.reuse(100, '/usr/sbin/dockerd --data-root /tmp/sb/nodes/m1/data');
    };
    const outcome = await stopProcesses([dockerd(100)], TIMINGS, { table: sys, clock: sys });
    expect(sys.sent).toEqual([{ pid: 100, signal: 'SIGTERM', at: 0 }]);
    expect(pids(outcome.exited)).toEqual([100]);
    expect(sys.time).toBeLessThan(reuseAt + 2 * TIMINGS.pollMs);
  });

  it('returns only once the exited daemon has been reaped by its parent, so kill -0 no longer finds the pid', async () => {
    const sys = new FakeSystem().add({ pid: 100, cmdline: '/usr/sbin/dockerd --data-root /tmp/sb/nodes/m1/data', onTerm: 3_000, reapAfter: 1_200 });
    const outcome = await stopProcesses([dockerd(100)], TIMINGS, { table: sys, clock: sys });
    expect(await sys.read(100)).toBeUndefined();
    expect(sys.time).toBeGreaterThanOrEqual(4_200);
    expect(sys.sent).toEqual([{ pid: 100, signal: 'SIGTERM', at: 0 }]);
    expect(pids(outcome.exited)).toEqual([100]);
    expect(outcome.unreaped).toEqual([]);
  });

  it('reports a zombie its parent never reaps after reapWaitMs, without signalling it again', async () => {
    const sys = new FakeSystem().add({ pid: 100, cmdline: '/usr/sbin/dockerd --data-root /tmp/sb/nodes/m1/data', onTerm: 100, reapAfter: 'never' });
    const outcome = await stopProcesses([dockerd(100)], TIMINGS, { table: sys, clock: sys });
    expect(pids(outcome.unreaped)).toEqual([100]);
    expect(outcome.killed).toEqual([]);
    expect(sys.time).toBeGreaterThanOrEqual(100 + TIMINGS.reapWaitMs);
    expect(sys.time).toBeLessThan(TIMINGS.graceMs);
  });

  it('counts a zombie as exited (it holds nothing; its parent reaps it)', async () => {
    const sys = new FakeSystem().add({ pid: 100, cmdline: '/usr/sbin/dockerd --data-root /tmp/sb/nodes/m1/data', zombie: true });
    const outcome = await stopProcesses([dockerd(100)], TIMINGS, { table: sys, clock: sys });
    expect(sys.sent).toEqual([]);
    expect(pids(outcome.notRunning)).toEqual([100]);
  });

  it('sends SIGTERM once to a pid listed twice (ledger and pid file)', async () => {
    const sys = new FakeSystem().add({ pid: 100, cmdline: '/usr/sbin/dockerd --data-root /tmp/sb/nodes/m1/data', onTerm: 100 });
    await stopProcesses([dockerd(100), dockerd(100, { startTime: undefined })], TIMINGS, { table: sys, clock: sys });
    expect(sys.sent).toEqual([{ pid: 100, signal: 'SIGTERM', at: 0 }]);
  });

  it('refuses a target it could not tell from a reused pid', async () => {
    const sys = new FakeSystem().add({ pid: 100 });
    await expect(stopProcesses([{ pid: 100, label: 'x', terminate: true }], TIMINGS, { table: sys, clock: sys })).rejects.toThrow(/no identity for pid 100/);
    expect(sys.sent).toEqual([]);
  });
});

describe('descendantsOf', () => {
  it('follows ppid down the tree from the given pids only, skipping zombies', async () => {
    const sys = new FakeSystem()
      .add({ pid: 100 })
      .add({ pid: 101, ppid: 100 })
      .add({ pid: 102, ppid: 101 })
      .add({ pid: 103, ppid: 100, zombie: true })
      .add({ pid: 200, ppid: 1 })
      .add({ pid: 201, ppid: 200 });
    const found = await descendantsOf([100], sys, (row) => `child ${row.pid}`);
    expect(found).toEqual([
      { pid: 101, label: 'child 101', startTime: '1101', terminate: false },
      { pid: 102, label: 'child 102', startTime: '1102', terminate: false },
    ]);
  });
});

describe('parseStat', () => {
  it('reads state, ppid and start time after a command name holding spaces and parentheses', () => {
    const stat = '4242 (my (odd) name) S 17 4242 4242 0 -1 4194560 98 0 0 0 1 2 0 0 20 0 1 0 302588 1000 200 18446744073709551615';
    expect(parseStat(4242, stat)).toEqual({ pid: 4242, ppid: 17, startTime: '302588', zombie: false });
    expect(parseStat(4242, stat.replace(') S ', ') Z '))?.zombie).toBe(true);
    expect(parseStat(4242, '4242 (x) S 1')).toBeUndefined();
  });
});
