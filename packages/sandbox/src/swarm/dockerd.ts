import { spawn } from 'node:child_process';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ToolError } from '../../../../src/errors.js';
import { createDaemonCgroup, pidsInCgroup } from './cgroups.js';
import type { NodeDocker } from './docker-client.js';
import { SANDBOX_PATH } from './fleet-builder.js';
import type { NodeLayout } from './layout.js';
import type { Ledger, LedgerEntry } from './ledger.js';
import { isAlive } from './processes.js';
import { startTimeOf } from './proc-table.js';
import { descendantsOf, isOurs, snapshotTargets, stopProcesses, type StopDeps, type StopOutcome, type StopTarget, type StopTimings } from './stop-processes.js';

/**
 * The dockerd command line for a node. Its own config file keeps the host's
 * /etc/docker/daemon.json out; --cgroup-parent puts containers in the node's
 * cgroup so teardown can find them.
 */
function dockerdArgs(node: NodeLayout): string[] {
  return [
    '--config-file', join(node.dir, 'daemon.json'),
    '--data-root', node.dataRoot,
    '--exec-root', node.execRoot,
    '--pidfile', node.pidFile,
    '-H', `unix://${node.socket}`,
    '--storage-driver', 'vfs',
    '--iptables=false',
    '--ip6tables=false',
    '--bridge=none',
    `--cgroup-parent=/${node.cgroup}`,
    '--shutdown-timeout=2',
  ];
}

/**
 * Starts a node's dockerd inside its network namespace and a private UTS
 * namespace (so `docker node ls` shows the node's own hostname). The shell
 * joins the node's cgroup, sets the hostname and execs dockerd, so the pid we
 * get is dockerd's. Ledger entries go first, so a crash leaves a trail.
 */
export async function startDockerd(node: NodeLayout, ledger: Ledger): Promise<number> {
  await mkdir(node.dataRoot, { recursive: true });
  await mkdir(node.execRoot, { recursive: true });
  await writeFile(join(node.dir, 'daemon.json'), '{}\n');
  await ledger.record({ kind: 'cgroup', name: node.cgroup });
  const cgroupProcs = await createDaemonCgroup(node.cgroup);
  await ledger.record({ kind: 'process', role: 'dockerd', node: node.node.name, match: node.dataRoot, pidFile: node.pidFile });
  const log = await open(node.logFile, 'a');
  try {
    const child = spawn(
      'nsenter',
      [
        `--net=/var/run/netns/${node.netns}`,
        'unshare', '--uts',
        '/bin/sh', '-c', 'echo $$ > "$1" && hostname "$2" && shift 2 && exec "$@"',
        'sh', cgroupProcs, node.hostname,
        '/usr/sbin/dockerd', ...dockerdArgs(node),
      ],
      { detached: true, stdio: ['ignore', log.fd, log.fd], env: { PATH: SANDBOX_PATH } },
    );
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid!));
      child.once('error', (error) => reject(new ToolError('SandboxDockerdFailed', `cannot start dockerd for ${node.node.name}: ${error.message}`)));
    });
    child.unref();
    const startTime = await startTimeOf(pid);
    await ledger.record({ kind: 'pid', role: 'dockerd', node: node.node.name, pid, match: node.dataRoot, ...(startTime ? { startTime } : {}) });
    return pid;
  } finally {
    await log.close();
  }
}

/** Polls `docker version` until the daemon answers; fails early with the log's tail if dockerd died. */
export async function waitForDockerd(docker: NodeDocker, pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await docker.run(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 5_000 });
    if (result.code === 0) return;
    if (!(await isAlive(pid))) {
      throw new ToolError('SandboxDockerdFailed', `dockerd of ${docker.node.node.name} exited during start-up:\n${await logTail(docker.node.logFile)}`);
    }
    if (Date.now() >= deadline) {
      throw new ToolError(
        'SandboxDockerdFailed',
        `dockerd of ${docker.node.node.name} did not answer within ${timeoutMs} ms:\n${await logTail(docker.node.logFile)}`,
      );
    }
    await sleep(100);
  }
}

export async function logTail(path: string, lines = 15): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '(no log)');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * dockerd leaves its swarm state and stops its containerd and shims on
 * SIGTERM: 2.1 to 6.5 s per node here (minimal spec, 8 runs, see SPEC.md),
 * so it gets 20 s before SIGKILL.
 */
export const DOCKERD_STOP: StopTimings = { graceMs: 20_000, killWaitMs: 5_000, reapWaitMs: 10_000, pollMs: 50 };

export interface DockerdToStop {
  node: string;
  /** The node's cgroup, when the ledger records it. */
  cgroup?: string;
  /** The data root: it is in dockerd's command line (absent when the ledger never got as far as starting it). */
  match?: string;
  /** The pid entries the ledger holds for this node's dockerd (a restart adds one). */
  recorded: readonly Extract<LedgerEntry, { kind: 'pid' }>[];
  pidFile?: string;
}

/**
 * SIGTERM to the node's dockerd, then waits (by pid) for it and for every
 * process of its daemon cgroup and below it in the process tree: its own
 * containerd, the shims, docker-proxy. What is left at the end of the grace
 * period gets SIGKILL. When no recorded dockerd is running any more, those
 * helpers get SIGTERM themselves. Task containers (the rest of the node's
 * cgroup) are not touched here.
 */
export async function stopDockerd(daemon: DockerdToStop, timings: StopTimings, deps: StopDeps): Promise<StopOutcome> {
  const label = `dockerd of ${daemon.node}`;
  const daemons: StopTarget[] = daemon.recorded.map((e) => ({ pid: e.pid, label, match: e.match, ...(e.startTime ? { startTime: e.startTime } : {}), terminate: true }));
  const fromPidFile = daemon.pidFile && daemon.match ? await readPidFile(daemon.pidFile) : undefined;
  if (fromPidFile !== undefined) daemons.push({ pid: fromPidFile, label, match: daemon.match, terminate: true });
  const live: number[] = [];
  for (const target of daemons) if (await isOurs(target, deps.table)) live.push(target.pid);
  const helperLabel = async (pid: number) => `${((await deps.table.commandLine(pid)) ?? '?').split(' ')[0]} of ${daemon.node}'s dockerd`;
  const inGroup = daemon.cgroup ? await daemonGroupPids(daemon.cgroup) : [];
  const groupLabels = new Map(await Promise.all(inGroup.map(async (pid) => [pid, await helperLabel(pid)] as const)));
  const groupMembers = await snapshotTargets(inGroup, deps.table, (pid) => groupLabels.get(pid)!, live.length === 0);
  const known = new Set([...daemons, ...groupMembers].map((t) => t.pid));
  const children = (await descendantsOf(live, deps.table, () => `process under ${label}`)).filter((c) => !known.has(c.pid));
  return stopProcesses([...daemons, ...groupMembers, ...children], timings, deps);
}

/** The daemon's own group: the node's cgroup minus the task containers docker put beside it. */
async function daemonGroupPids(cgroup: string): Promise<number[]> {
  const tasks = new Set(await pidsInCgroup(cgroup, { exceptDaemon: true }));
  return (await pidsInCgroup(cgroup)).filter((pid) => !tasks.has(pid));
}

async function readPidFile(path: string): Promise<number | undefined> {
  const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}
