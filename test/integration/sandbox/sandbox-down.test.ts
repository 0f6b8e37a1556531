/**
 * `sandbox down` returns only when every process `sandbox up` started has
 * exited, tried as a user scripting up/down would: through the CLI, checking
 * right after `down` returns (no grace period). Before the fix, 2 runs in 4
 * left a dockerd running one second after `down` returned.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli-runner.js';
import { canRunSandbox, leftovers, NOTHING_LEFT } from './helpers.js';

const DIR = '/tmp/swm-down-it';
const PREFIX = 'swm'; // the minimal spec's
const RUNS = 3;

interface Tracked {
  pid: number;
  startTime: string;
  command: string;
}

function statOf(pid: number): { ppid: number; startTime: string; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]), startTime: fields[19] };
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

/** Every process of the sandbox, found independently of down's own code: ledger pids, the nodes' cgroups, their descendants, and anything naming DIR. */
function sandboxProcesses(): Tracked[] {
  const ledger = readFileSync(join(DIR, 'ledger.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; pid?: number; name?: string });
  const pids = new Set(ledger.filter((e) => e.kind === 'pid').map((e) => e.pid!));
  for (const cgroup of ledger.filter((e) => e.kind === 'cgroup').map((e) => e.name!)) {
    const walk = (path: string): void => {
      if (!existsSync(path)) return;
      for (const line of readFileSync(join(path, 'cgroup.procs'), 'utf8').split('\n')) if (/^\d+$/.test(line)) pids.add(Number(line));
      for (const entry of readdirSync(path, { withFileTypes: true })) if (entry.isDirectory()) walk(join(path, entry.name));
    };
    walk(join('/sys/fs/cgroup/pids', cgroup));
  }
  const all = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number);
  for (const pid of all) if (commandOf(pid).includes(`${DIR}/`)) pids.add(pid);
  for (let grew = true; grew; ) {
    grew = false;
    for (const pid of all) {
      const ppid = statOf(pid)?.ppid;
      if (ppid === undefined || !pids.has(ppid) || pids.has(pid)) continue;
      pids.add(pid);
      grew = true;
    }
  }
  return [...pids].flatMap((pid) => {
    const stat = statOf(pid);
    return stat ? [{ pid, startTime: stat.startTime, command: commandOf(pid).slice(0, 80) }] : [];
  });
}

/** What `kill -0` would still find: the same process (same start time), zombies included. */
function stillThere(tracked: Tracked[]): string[] {
  return tracked.flatMap((t) => {
    const stat = statOf(t.pid);
    return stat && stat.startTime === t.startTime ? [`${t.pid} [${stat.state}] ${t.command}`] : [];
  });
}

const maybe = canRunSandbox() && existsSync('/sys/fs/cgroup/pids/cgroup.procs') ? describe : describe.skip;

maybe('sandbox down through the CLI, as a script would run it', () => {
  beforeAll(async () => {
    await runCli(['sandbox', 'down', '--dir', DIR]); // a previous run that died before its afterAll
  }, 120_000);

  afterAll(async () => {
    await runCli(['sandbox', 'down', '--dir', DIR]);
  }, 120_000);

  it(`returns only after every process it started has exited, ${RUNS} times in a row`, async () => {
    const downMs: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const up = await runCli(['sandbox', 'up', '--spec', 'minimal', '--dir', DIR], {}, 300_000);
      expect({ run, code: up.code, stderr: up.code === 0 ? '' : up.stderr.slice(-2000) }).toEqual({ run, code: 0, stderr: '' });
      const tracked = sandboxProcesses();
      const commands = tracked.map((t) => t.command).join('\n');
      // What up starts for the minimal spec: two dockerds, each with its own containerd, the task shims, the endpoint.
      expect(tracked.filter((t) => t.command.startsWith('/usr/sbin/dockerd '))).toHaveLength(2);
      expect(tracked.filter((t) => t.command.startsWith('containerd '))).toHaveLength(2);
      expect(commands).toContain('containerd-shim');
      expect(commands).toContain('sandbox serve');

      const t0 = Date.now();
      const down = await runCli(['sandbox', 'down', '--dir', DIR], {}, 120_000);
      downMs.push(Date.now() - t0);
      const leftAtReturn = stillThere(tracked);
      const hostLeftovers = leftovers(PREFIX, DIR);
      expect({ run, code: down.code, stderr: down.code === 0 ? '' : down.stderr }).toEqual({ run, code: 0, stderr: '' });
      expect({ run, leftAtReturn }).toEqual({ run, leftAtReturn: [] });
      expect(hostLeftovers).toEqual(NOTHING_LEFT);
    }
    console.log(`sandbox down took ${downMs.join(', ')} ms over ${RUNS} runs`);
  }, RUNS * 420_000);
});
