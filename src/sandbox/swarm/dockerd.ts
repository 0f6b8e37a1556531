import { spawn } from 'node:child_process';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ToolError } from '../../errors.js';
import { createDaemonCgroup } from './cgroups.js';
import type { NodeDocker } from './docker-client.js';
import { SANDBOX_PATH } from './fleet-builder.js';
import type { NodeLayout } from './layout.js';
import type { Ledger } from './ledger.js';
import { isAlive } from './processes.js';

/**
 * The dockerd command line for a node. Its own config file keeps the host's
 * /etc/docker/daemon.json out; --cgroup-parent puts containers in the node's
 * cgroup so teardown can find them.
 */
export function dockerdArgs(node: NodeLayout): string[] {
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
    await ledger.record({ kind: 'pid', role: 'dockerd', node: node.node.name, pid, match: node.dataRoot });
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
