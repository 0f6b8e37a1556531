import { readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino, { type Logger } from 'pino';
import { ToolError } from '../../errors.js';
import { pidsInCgroup, removeCgroup } from './cgroups.js';
import { deleteLink, deleteNetns } from './host-network.js';
import { readLedger, type LedgerEntry } from './ledger.js';
import { mountsUnder, unmountUnder } from './mounts.js';
import { DEFAULT_SANDBOX_DIR } from './paths.js';
import { isAlive, signalIfOurs, waitForExit } from './processes.js';

export interface SandboxDownOptions {
  dir?: string;
  logger?: Logger;
}

const LEDGER_FILE = 'ledger.jsonl';
const DAEMON_GRACE_MS = 8_000;
const KILL_WAIT_MS = 5_000;

/**
 * Undoes what the ledger in DIR lists, and nothing else: processes (only
 * when their command line still matches), mounts below DIR, cgroups,
 * namespaces, links, the bridge, then DIR. Idempotent; works after a crash.
 * When something cannot be removed the ledger stays, so down can be re-run.
 */
export async function sandboxDown(opts: SandboxDownOptions = {}): Promise<void> {
  const logger = opts.logger ?? pino({ level: 'silent' });
  const dir = resolve(opts.dir ?? DEFAULT_SANDBOX_DIR);
  const entries = await readLedger(join(dir, LEDGER_FILE));
  if (!entries) {
    logger.info({ dir }, 'sandbox down: nothing to do (no ledger)');
    return;
  }
  const header = checkLedger(entries, dir);
  const problems: string[] = [];
  const attempt = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`);
    }
  };
  logger.info({ dir, prefix: header.prefix }, 'sandbox down: tearing down');
  await attempt('endpoint', () => stopEndpoint(entries, dir));
  await Promise.all(
    nodeCgroups(entries).map((cgroup) =>
      attempt(`node ${cgroup}`, async () => {
        const t0 = Date.now();
        await stopNode(entries, cgroup);
        logger.debug({ cgroup, ms: Date.now() - t0 }, 'sandbox down: node stopped');
      }),
    ),
  );
  await attempt('stray dockerd', () => stopStrayDaemons(entries));
  const stillMounted = await unmountUnder(dir);
  if (stillMounted.length > 0) problems.push(`still mounted: ${stillMounted.join(', ')}`);
  for (const cgroup of nodeCgroups(entries)) {
    await attempt(`cgroup ${cgroup}`, async () => {
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
  logger.info({ dir }, 'sandbox down: done');
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

async function stopEndpoint(entries: LedgerEntry[], dir: string): Promise<void> {
  const recorded = entries.filter((e): e is Extract<LedgerEntry, { kind: 'pid' }> => e.kind === 'pid' && e.role === 'endpoint');
  const fromReadyFile = await readPidFrom(join(dir, 'endpoint.json'), (text) => (JSON.parse(text) as { pid?: number }).pid);
  const match = entries.find((e): e is Extract<LedgerEntry, { kind: 'process' }> => e.kind === 'process' && e.role === 'endpoint')?.match;
  if (!match) return;
  const pids = [...new Set([...recorded.map((e) => e.pid), ...(fromReadyFile ? [fromReadyFile] : [])])];
  const signalled = (await Promise.all(pids.map(async (pid) => ((await signalIfOurs(pid, match, 'SIGTERM')) ? pid : undefined)))).filter(
    (p): p is number => p !== undefined,
  );
  const survivors = await waitForExit(signalled, 3_000);
  for (const pid of survivors) await signalIfOurs(pid, match, 'SIGKILL');
  if ((await waitForExit(survivors, KILL_WAIT_MS)).length > 0) throw new Error(`endpoint pids ${survivors.join(', ')} would not die`);
}

/**
 * Task processes first (SIGKILL: the busybox sleep ignores SIGTERM as PID 1),
 * then dockerd gets SIGTERM so it unmounts and releases its namespaces itself;
 * whatever is left in the node's cgroup after the grace period is killed.
 */
async function stopNode(entries: LedgerEntry[], cgroup: string): Promise<void> {
  const processEntry = entries.find((e): e is Extract<LedgerEntry, { kind: 'process' }> => e.kind === 'process' && e.role === 'dockerd' && cgroupOf(entries, e.node) === cgroup);
  for (const pid of await pidsInCgroup(cgroup, { exceptDaemon: true })) killQuietly(pid);
  const daemonPids = await daemonPidsOf(entries, processEntry);
  const terminated: number[] = [];
  for (const pid of daemonPids) if (processEntry && (await signalIfOurs(pid, processEntry.match, 'SIGTERM'))) terminated.push(pid);
  await waitForExit(terminated, DAEMON_GRACE_MS);
  for (let round = 0; round < 3; round++) {
    const left = await livePidsInCgroup(cgroup);
    if (left.length === 0) break;
    left.forEach(killQuietly);
    await waitForExit(left, KILL_WAIT_MS);
  }
  const left = await livePidsInCgroup(cgroup);
  if (left.length > 0) throw new Error(`processes ${left.join(', ')} in cgroup ${cgroup} would not die`);
  // Dead children of this very process (tests, the demo) stay listed as zombies until libuv reaps them.
  const deadline = Date.now() + KILL_WAIT_MS;
  while ((await pidsInCgroup(cgroup)).length > 0 && Date.now() < deadline) await sleep(50);
}

async function livePidsInCgroup(cgroup: string): Promise<number[]> {
  const pids = await pidsInCgroup(cgroup);
  const alive = await Promise.all(pids.map(isAlive));
  return pids.filter((_, i) => alive[i]);
}

function cgroupOf(entries: LedgerEntry[], node: string | undefined): string | undefined {
  const header = entries[0] as Header;
  return node === undefined ? undefined : `${header.prefix}-${node}`;
}

async function daemonPidsOf(entries: LedgerEntry[], processEntry: Extract<LedgerEntry, { kind: 'process' }> | undefined): Promise<number[]> {
  if (!processEntry) return [];
  const recorded = entries.filter((e) => e.kind === 'pid' && e.role === 'dockerd' && e.node === processEntry.node).map((e) => (e as { pid: number }).pid);
  const fromPidFile = processEntry.pidFile ? await readPidFrom(processEntry.pidFile, (t) => Number(t.trim())) : undefined;
  return [...new Set([...recorded, ...(fromPidFile ? [fromPidFile] : [])])];
}

/** A dockerd whose cgroup entry never made it to the ledger (crash between the two appends). */
async function stopStrayDaemons(entries: LedgerEntry[]): Promise<void> {
  const known = new Set(nodeCgroups(entries));
  for (const entry of entries) {
    if (entry.kind !== 'pid' || entry.role !== 'dockerd' || known.has(cgroupOf(entries, entry.node) ?? '')) continue;
    if (await signalIfOurs(entry.pid, entry.match, 'SIGKILL')) await waitForExit([entry.pid], KILL_WAIT_MS);
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function readPidFrom(path: string, parse: (text: string) => number | undefined): Promise<number | undefined> {
  try {
    const pid = parse(await readFile(path, 'utf8'));
    return pid !== undefined && Number.isInteger(pid) && pid > 1 && (await isAlive(pid)) ? pid : undefined;
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
