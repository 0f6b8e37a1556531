import { readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { ToolError } from '../../../../src/errors.js';
import { pidsInCgroup, removeCgroup } from './cgroups.js';
import { DOCKERD_STOP, stopDockerd } from './dockerd.js';
import { deleteLink, deleteNetns } from './host-network.js';
import { readLedger, type LedgerEntry } from './ledger.js';
import { mountsUnder, unmountUnder } from './mounts.js';
import { DEFAULT_SANDBOX_DIR } from './paths.js';
import { procTable, systemClock } from './proc-table.js';
import { descendantsOf, mergeOutcomes, snapshotTargets, stopProcesses, type StopDeps, type StopOutcome, type StopTarget, type StopTimings } from './stop-processes.js';

export interface SandboxDownOptions {
  dir?: string;
  logger?: Logger;
}

/** What down did to the processes `up` started; it returns only once all of them have exited. */
export interface SandboxDownReport {
  dir: string;
  ms: number;
  /** Exited after SIGTERM (or on their own while their daemon stopped). */
  stopped: string[];
  /** Still running when the grace period ended: killed with SIGKILL. */
  killedHard: string[];
  /** Exited, but their parent (not this process) had not reaped them yet: `kill -0` still finds these pids. */
  unreaped: string[];
}

const LEDGER_FILE = 'ledger.jsonl';
const ENDPOINT_STOP: StopTimings = { graceMs: 5_000, killWaitMs: 5_000, reapWaitMs: 10_000, pollMs: 50 };
/** Task containers: the busybox sleep ignores SIGTERM as PID 1, so SIGKILL follows at once. */
const TASK_STOP: StopTimings = { graceMs: 0, killWaitMs: 5_000, reapWaitMs: 10_000, pollMs: 50 };
const ZOMBIE_WAIT_MS = 5_000;

/**
 * Undoes what the ledger in DIR lists, and nothing else. First the
 * processes: each recorded one (checked by start time and command line, the
 * pid may have been reused) and what it started (found by pid: its children
 * and its node's cgroup), SIGTERM, a bounded wait, SIGKILL, another wait.
 * Only when every one of them has exited: mounts below DIR, cgroups,
 * namespaces, links, the bridge, then DIR. Idempotent; works after a crash.
 * When something cannot be stopped or removed the ledger stays, so down can
 * be re-run.
 */
export async function sandboxDown(opts: SandboxDownOptions = {}): Promise<SandboxDownReport> {
  const started = Date.now();
  const logger = opts.logger ?? pino({ level: 'silent' });
  const dir = resolve(opts.dir ?? DEFAULT_SANDBOX_DIR);
  const entries = await readLedger(join(dir, LEDGER_FILE));
  if (!entries) {
    logger.info({ dir }, 'sandbox down: nothing to do (no ledger)');
    return { dir, ms: Date.now() - started, stopped: [], killedHard: [], unreaped: [] };
  }
  const header = checkLedger(entries, dir);
  logger.info({ dir, prefix: header.prefix }, 'sandbox down: tearing down');
  const stopped = await stopEverything(entries, dir, { table: procTable, clock: systemClock }, logger);
  const report = { dir, stopped: labels(stopped.exited), killedHard: labels(stopped.killed), unreaped: labels(stopped.unreaped) };
  if (report.killedHard.length > 0) logger.warn({ killedHard: report.killedHard }, 'sandbox down: killed with SIGKILL after the grace period');
  if (report.unreaped.length > 0) logger.warn({ unreaped: report.unreaped }, 'sandbox down: exited but not yet reaped by their parent');
  const problems: string[] = [];
  const attempt = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`);
    }
  };
  const stillMounted = await unmountUnder(dir);
  if (stillMounted.length > 0) problems.push(`still mounted: ${stillMounted.join(', ')}`);
  for (const cgroup of nodeCgroups(entries)) {
    await attempt(`cgroup ${cgroup}`, async () => {
      await waitForReaping(cgroup);
      const leftovers = await removeCgroup(cgroup);
      if (leftovers.length > 0) throw new Error(leftovers.join(', '));
    });
  }
  for (const entry of entries) if (entry.kind === 'netns') await attempt(`netns ${entry.name}`, () => deleteNetns(entry.name));
  for (const entry of entries) if (entry.kind === 'link') await attempt(`link ${entry.name}`, () => deleteLink(entry.name));
  for (const entry of entries) if (entry.kind === 'bridge') await attempt(`bridge ${entry.name}`, () => deleteLink(entry.name));
  if (problems.length === 0) await attempt('files', () => removeFiles(dir, header.createdDir));
  if (problems.length > 0) {
    throw new ToolError('SandboxDownIncomplete', `sandbox down left things behind in ${dir} (re-run down):\n  ${problems.join('\n  ')}`);
  }
  const ms = Date.now() - started;
  logger.info({ dir, ms, killedHard: report.killedHard.length }, 'sandbox down: done');
  return { ...report, ms };
}

/**
 * Stops the endpoint, then every node in parallel. Fails closed: when a
 * process survives SIGKILL or cannot be looked at, nothing else is removed
 * (a namespace deleted under a live daemon would hide it from the next down).
 */
async function stopEverything(entries: LedgerEntry[], dir: string, deps: StopDeps, logger: Logger): Promise<StopOutcome> {
  const problems: string[] = [];
  const guarded = async (what: string, work: () => Promise<StopOutcome>): Promise<StopOutcome> => {
    try {
      return await work();
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`);
      return mergeOutcomes([]);
    }
  };
  const endpoint = await guarded('endpoint', () => stopEndpoint(entries, dir, deps));
  const nodes = await Promise.all(
    nodesWithProcesses(entries).map((node) =>
      guarded(`node ${node}`, async () => {
        const t0 = Date.now();
        const outcome = await stopNode(entries, node, deps);
        logger.debug({ node, ms: Date.now() - t0, killedHard: labels(outcome.killed) }, 'sandbox down: node stopped');
        return outcome;
      }),
    ),
  );
  const all = mergeOutcomes([endpoint, ...nodes]);
  for (const survivor of all.survivors) problems.push(`${survivor.label} (pid ${survivor.pid}) is still running after SIGKILL`);
  if (problems.length > 0) {
    throw new ToolError('SandboxDownIncomplete', `sandbox down could not stop every process in ${dir}; nothing else was removed (re-run down):\n  ${problems.join('\n  ')}`);
  }
  return all;
}

type Header = Extract<LedgerEntry, { kind: 'sandbox' }>;

/** Never trust a ledger that could make us touch what is not ours: names must carry its prefix. */
function checkLedger(entries: LedgerEntry[], dir: string): Header {
  const header = entries[0];
  if (!header || header.kind !== 'sandbox' || resolve(header.dir) !== dir) {
    throw new ToolError('SandboxLedgerCorrupt', `${join(dir, LEDGER_FILE)} does not start with this sandbox's header`);
  }
  const prefix = header.prefix;
  if (!/^[a-z][a-z0-9]{1,7}$/.test(prefix)) throw new ToolError('SandboxLedgerCorrupt', `bad prefix ${JSON.stringify(prefix)} in ledger`);
  for (const entry of entries) {
    const name = 'name' in entry ? entry.name : undefined;
    const ok =
      name === undefined ||
      (entry.kind === 'link' ? new RegExp(`^${prefix}v\\d{1,3}$`).test(name) : name.startsWith(`${prefix}-`) && !name.includes('/') && !name.includes('..'));
    if (!ok) throw new ToolError('SandboxLedgerCorrupt', `ledger entry ${JSON.stringify(entry)} does not belong to prefix ${prefix}`);
    if ((entry.kind === 'process' || entry.kind === 'pid') && !entry.match.startsWith(`${dir}/`)) {
      throw new ToolError('SandboxLedgerCorrupt', `ledger process entry outside ${dir}: ${JSON.stringify(entry)}`);
    }
  }
  return header;
}

function nodeCgroups(entries: LedgerEntry[]): string[] {
  return [...new Set(entries.filter((e) => e.kind === 'cgroup').map((e) => (e as { name: string }).name))];
}

type PidEntry = Extract<LedgerEntry, { kind: 'pid' }>;
type ProcessEntry = Extract<LedgerEntry, { kind: 'process' }>;

/** Nodes with a recorded cgroup or dockerd: a crash may have left either without the other. */
function nodesWithProcesses(entries: LedgerEntry[]): string[] {
  const prefix = (entries[0] as Header).prefix;
  const fromCgroups = nodeCgroups(entries).map((cgroup) => cgroup.slice(prefix.length + 1));
  const fromDaemons = entries.flatMap((e) => ((e.kind === 'process' || e.kind === 'pid') && e.role === 'dockerd' && e.node !== undefined ? [e.node] : []));
  return [...new Set([...fromCgroups, ...fromDaemons])];
}

async function stopEndpoint(entries: LedgerEntry[], dir: string, deps: StopDeps): Promise<StopOutcome> {
  const match = entries.find((e): e is ProcessEntry => e.kind === 'process' && e.role === 'endpoint')?.match;
  if (!match) return mergeOutcomes([]);
  const label = 'endpoint';
  const recorded: StopTarget[] = entries
    .filter((e): e is PidEntry => e.kind === 'pid' && e.role === 'endpoint')
    .map((e) => ({ pid: e.pid, label, match, ...(e.startTime ? { startTime: e.startTime } : {}), terminate: true }));
  const fromReadyFile = await readPidFrom(join(dir, 'endpoint.json'), (text) => (JSON.parse(text) as { pid?: number }).pid);
  if (fromReadyFile !== undefined) recorded.push({ pid: fromReadyFile, label, match, terminate: true });
  const children = await descendantsOf(
    recorded.map((t) => t.pid),
    deps.table,
    () => 'child of the endpoint',
  );
  return stopProcesses([...recorded, ...children], ENDPOINT_STOP, deps);
}

/**
 * Task processes first (they are dockerd's to stop, but the busybox sleep
 * would hold its shutdown for --shutdown-timeout), then dockerd with its
 * containerd and shims, then a sweep of anything left in the node's cgroup.
 */
async function stopNode(entries: LedgerEntry[], node: string, deps: StopDeps): Promise<StopOutcome> {
  const header = entries[0] as Header;
  const cgroup = `${header.prefix}-${node}`;
  const cgroupRecorded = nodeCgroups(entries).includes(cgroup);
  const outcomes: StopOutcome[] = [];
  if (cgroupRecorded) {
    const tasks = await snapshotTargets(await pidsInCgroup(cgroup, { exceptDaemon: true }), deps.table, () => `task process of ${node}`, true);
    const stoppedTasks = await stopProcesses(tasks, TASK_STOP, deps);
    // SIGKILL is how tasks are meant to go: not worth reporting as killed hard.
    outcomes.push({ ...stoppedTasks, exited: [...stoppedTasks.exited, ...stoppedTasks.killed], killed: [] });
  }
  const processEntry = entries.find((e): e is ProcessEntry => e.kind === 'process' && e.role === 'dockerd' && e.node === node);
  const recorded = entries.filter((e): e is PidEntry => e.kind === 'pid' && e.role === 'dockerd' && e.node === node);
  outcomes.push(
    await stopDockerd(
      {
        node,
        cgroup: cgroupRecorded ? cgroup : undefined,
        match: processEntry?.match ?? recorded[0]?.match,
        recorded,
        ...(processEntry?.pidFile ? { pidFile: processEntry.pidFile } : {}),
      },
      DOCKERD_STOP,
      deps,
    ),
  );
  // Anything that appeared in the cgroup meanwhile (a shim forked during shutdown).
  for (let round = 0; cgroupRecorded && round < 3; round++) {
    const left = await snapshotTargets(await pidsInCgroup(cgroup), deps.table, () => `process left in ${node}'s cgroup`, true);
    if (left.length === 0) break;
    outcomes.push(await stopProcesses(left, TASK_STOP, deps));
  }
  return mergeOutcomes(outcomes);
}

/** Dead children of this very process (tests, the demo) stay listed in the cgroup as zombies until libuv reaps them. */
async function waitForReaping(cgroup: string): Promise<void> {
  const deadline = systemClock.now() + ZOMBIE_WAIT_MS;
  while ((await pidsInCgroup(cgroup)).length > 0 && systemClock.now() < deadline) await systemClock.sleep(50);
}

function labels(targets: readonly StopTarget[]): string[] {
  return targets.map((t) => `${t.label} (pid ${t.pid})`);
}

async function readPidFrom(path: string, parse: (text: string) => number | undefined): Promise<number | undefined> {
  try {
    const pid = parse(await readFile(path, 'utf8'));
    return pid !== undefined && Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Only after every mount below dir is gone: rm -r must never walk into a mounted filesystem. */
async function removeFiles(dir: string, createdDir: boolean): Promise<void> {
  const mounted = await mountsUnder(dir);
  if (mounted.length > 0) throw new Error(`refusing to delete ${dir}: still mounted ${mounted.join(', ')}`);
  if (createdDir) {
    await rm(dir, { recursive: true, force: true });
    return;
  }
  // The dir existed (empty) before up: empty it, keep it; the ledger goes last.
  const children = (await readdir(dir)).filter((name) => name !== LEDGER_FILE);
  for (const child of children) await rm(join(dir, child), { recursive: true, force: true });
  await rm(join(dir, LEDGER_FILE), { force: true });
}
