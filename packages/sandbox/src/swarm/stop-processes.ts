/**
 * Stops a set of processes and returns only once each one has exited:
 * SIGTERM, poll until gone or the grace period ends, SIGKILL the survivors,
 * poll again. A process is only ever signalled after its identity is checked
 * again (start time and/or command line): a pid may have been reused since it
 * was recorded. The process table and the clock are injected so the
 * escalation can be tested without root.
 */

/** One row of the process table (/proc/<pid>/stat). */
export interface ProcessSnapshot {
  pid: number;
  ppid: number;
  /** Clock ticks after boot (field 22 of /proc/<pid>/stat); survives exec, differs when the pid is reused. */
  startTime: string;
  /** Exited but not yet reaped by its parent: it runs nothing and holds nothing. */
  zombie: boolean;
}

export interface ProcessTable {
  read(pid: number): Promise<ProcessSnapshot | undefined>;
  commandLine(pid: number): Promise<string | undefined>;
  list(): Promise<ProcessSnapshot[]>;
  /** Sends the signal; false when the process is already gone. */
  signal(pid: number, signal: 'SIGTERM' | 'SIGKILL'): boolean;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface StopTarget {
  pid: number;
  /** For reports: "dockerd of dev-manager", "containerd (pid 1234's child)". */
  label: string;
  /** Identity: the start time seen when it was recorded or found, and/or a string its command line must contain. At least one. */
  startTime?: string;
  match?: string;
  /** Gets SIGTERM at once. The others (children a daemon stops itself) are only waited for until the grace period ends. */
  terminate: boolean;
}

export interface StopTimings {
  /** How long SIGTERM gets before SIGKILL. */
  graceMs: number;
  /** How long SIGKILL gets before the process counts as a survivor. */
  killWaitMs: number;
  /**
   * How long to wait, after the exit, for the parent to reap the zombie. Until
   * then `kill -0` still finds the pid, so a script that runs `down` and then
   * checks would see the process as alive. The daemons of a sandbox made by
   * the CLI are orphans: pid 1 reaps them, not us.
   */
  reapWaitMs: number;
  pollMs: number;
}

export interface StopOutcome {
  /** Exited within the grace period. */
  exited: StopTarget[];
  /** Needed SIGKILL, then exited. */
  killed: StopTarget[];
  /** Still running after SIGKILL and killWaitMs: the caller must not go on as if they were gone. */
  survivors: StopTarget[];
  /** Already gone (or the pid now belongs to someone else) before anything was sent. */
  notRunning: StopTarget[];
  /** Exited, but still a zombie its parent had not reaped when reapWaitMs ended. */
  unreaped: StopTarget[];
}

export interface StopDeps {
  table: ProcessTable;
  clock: Clock;
}

export async function stopProcesses(targets: readonly StopTarget[], timings: StopTimings, deps: StopDeps): Promise<StopOutcome> {
  for (const target of targets) {
    if (target.startTime === undefined && target.match === undefined) throw new Error(`no identity for pid ${target.pid} (${target.label}): refusing to signal it`);
  }
  const outcome: StopOutcome = { exited: [], killed: [], survivors: [], notRunning: [], unreaped: [] };
  const running: StopTarget[] = [];
  for (const target of uniqueByPid(targets)) ((await isOurs(target, deps.table)) ? running : outcome.notRunning).push(target);
  for (const target of running) if (target.terminate) deps.table.signal(target.pid, 'SIGTERM');
  const afterTerm = await waitUntilGone(running, timings.graceMs, timings.pollMs, deps);
  outcome.exited.push(...running.filter((t) => !afterTerm.includes(t)));
  const signalled: StopTarget[] = [];
  for (const target of afterTerm) if ((await isOurs(target, deps.table)) && deps.table.signal(target.pid, 'SIGKILL')) signalled.push(target);
  outcome.exited.push(...afterTerm.filter((t) => !signalled.includes(t)));
  const afterKill = await waitUntilGone(signalled, timings.killWaitMs, timings.pollMs, deps);
  outcome.killed.push(...signalled.filter((t) => !afterKill.includes(t)));
  outcome.survivors.push(...afterKill);
  outcome.unreaped.push(...(await waitUntilReaped([...outcome.exited, ...outcome.killed, ...outcome.notRunning], timings, deps)));
  return outcome;
}

/** A zombie of ours: exited, but its pid is still taken until the parent reaps it. */
async function isUnreaped(target: StopTarget, table: ProcessTable): Promise<boolean> {
  const row = await table.read(target.pid);
  return row !== undefined && row.zombie && (target.startTime === undefined || row.startTime === target.startTime);
}

async function waitUntilReaped(targets: readonly StopTarget[], timings: StopTimings, deps: StopDeps): Promise<StopTarget[]> {
  const deadline = deps.clock.now() + timings.reapWaitMs;
  let left = [...targets];
  for (;;) {
    const zombies = await Promise.all(left.map((t) => isUnreaped(t, deps.table)));
    left = left.filter((_, i) => zombies[i]);
    if (left.length === 0 || deps.clock.now() >= deadline) return left;
    await deps.clock.sleep(timings.pollMs);
  }
}

/** Alive (not a zombie) and still the process that was recorded. */
export async function isOurs(target: StopTarget, table: ProcessTable): Promise<boolean> {
  const row = await table.read(target.pid);
  if (!row || row.zombie) return false;
  if (target.startTime !== undefined && row.startTime !== target.startTime) return false;
  if (target.match !== undefined && !(await table.commandLine(target.pid))?.includes(target.match)) return false;
  return true;
}

/** Polls until every target is gone or the time is up; returns those still running. Always looks at least once. */
async function waitUntilGone(targets: readonly StopTarget[], timeoutMs: number, pollMs: number, deps: StopDeps): Promise<StopTarget[]> {
  const deadline = deps.clock.now() + timeoutMs;
  let left = [...targets];
  for (;;) {
    const ours = await Promise.all(left.map((t) => isOurs(t, deps.table)));
    left = left.filter((_, i) => ours[i]);
    if (left.length === 0 || deps.clock.now() >= deadline) return left;
    await deps.clock.sleep(pollMs);
  }
}

/**
 * Every live descendant of the given pids, as targets identified by the start
 * time seen now (a daemon's children: dockerd's containerd, the endpoint's
 * shells). Found by ppid, never by name.
 */
export async function descendantsOf(pids: readonly number[], table: ProcessTable, labelOf: (row: ProcessSnapshot) => string): Promise<StopTarget[]> {
  const rows = (await table.list()).filter((r) => !r.zombie);
  const found: StopTarget[] = [];
  const seen = new Set(pids);
  let frontier = [...pids];
  while (frontier.length > 0) {
    const children = rows.filter((r) => frontier.includes(r.ppid) && !seen.has(r.pid));
    children.forEach((r) => seen.add(r.pid));
    found.push(...children.map((r) => ({ pid: r.pid, label: labelOf(r), startTime: r.startTime, terminate: false })));
    frontier = children.map((r) => r.pid);
  }
  return found;
}

/** Targets for pids found live (e.g. in a cgroup), identified by the start time they have now. */
export async function snapshotTargets(pids: readonly number[], table: ProcessTable, label: (pid: number) => string, terminate: boolean): Promise<StopTarget[]> {
  const rows = await Promise.all(pids.map((pid) => table.read(pid)));
  return rows.filter((r): r is ProcessSnapshot => r !== undefined && !r.zombie).map((r) => ({ pid: r.pid, label: label(r.pid), startTime: r.startTime, terminate }));
}

export function mergeOutcomes(outcomes: readonly StopOutcome[]): StopOutcome {
  return {
    exited: outcomes.flatMap((o) => o.exited),
    killed: outcomes.flatMap((o) => o.killed),
    survivors: outcomes.flatMap((o) => o.survivors),
    notRunning: outcomes.flatMap((o) => o.notRunning),
    unreaped: outcomes.flatMap((o) => o.unreaped),
  };
}

function uniqueByPid(targets: readonly StopTarget[]): StopTarget[] {
  const byPid = new Map<number, StopTarget>();
  for (const target of targets) {
    const known = byPid.get(target.pid);
    // The same pid listed twice (ledger and pid file): it gets SIGTERM if either says so.
    byPid.set(target.pid, known ? { ...known, terminate: known.terminate || target.terminate } : target);
  }
  return [...byPid.values()];
}
