import { access, mkdir, readdir, readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolError } from '../../../../src/errors.js';

/**
 * Each node's dockerd runs in its own cgroup and starts its containers under
 * it (--cgroup-parent), so `down` can find every process a node ever had
 * (containerd, shims, task processes) even after dockerd was killed with -9.
 * cgroup v1: the pids hierarchy; cgroup v2: the unified root.
 */
const CGROUP_ROOT = '/sys/fs/cgroup';

async function trackingHierarchy(): Promise<string> {
  if (await exists(join(CGROUP_ROOT, 'pids', 'cgroup.procs'))) return join(CGROUP_ROOT, 'pids');
  if (await exists(join(CGROUP_ROOT, 'cgroup.controllers'))) return CGROUP_ROOT;
  throw new ToolError('SandboxUnsupported', `no pids cgroup (v1) nor cgroup v2 under ${CGROUP_ROOT}: cannot track sandbox processes`);
}

/** Creates <name>/daemon and returns the cgroup.procs file the daemon writes its pid into before exec. */
export async function createDaemonCgroup(name: string): Promise<string> {
  const daemonDir = join(await trackingHierarchy(), name, 'daemon');
  await mkdir(daemonDir, { recursive: true });
  return join(daemonDir, 'cgroup.procs');
}

/** Every pid in the node's cgroup tree; `exceptDaemon` leaves out the daemon's own group. */
export async function pidsInCgroup(name: string, opts: { exceptDaemon?: boolean } = {}): Promise<number[]> {
  const root = join(await trackingHierarchy(), name);
  if (!(await exists(root))) return [];
  const pids: number[] = [];
  for (const dir of await cgroupDirs(root)) {
    if (opts.exceptDaemon && (dir === join(root, 'daemon') || dir.startsWith(join(root, 'daemon') + '/'))) continue;
    const text = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
    for (const line of text.split('\n')) if (/^\d+$/.test(line)) pids.push(Number(line));
  }
  return pids;
}

/** Removes the named cgroup (and the per-container groups docker made in it) from every hierarchy. */
export async function removeCgroup(name: string): Promise<string[]> {
  const leftovers: string[] = [];
  const hierarchies = [CGROUP_ROOT, ...(await readdir(CGROUP_ROOT).catch(() => [] as string[])).map((h) => join(CGROUP_ROOT, h))];
  for (const hierarchy of hierarchies) {
    const root = join(hierarchy, name);
    if (!(await exists(join(root, 'cgroup.procs')))) continue;
    const dirs = (await cgroupDirs(root)).sort((a, b) => b.length - a.length);
    for (const dir of dirs) {
      await rmdir(dir).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') leftovers.push(`${dir}: ${error.code}`);
      });
    }
  }
  return leftovers;
}

export async function cgroupExistsAnywhere(name: string): Promise<boolean> {
  const hierarchies = [CGROUP_ROOT, ...(await readdir(CGROUP_ROOT).catch(() => [] as string[])).map((h) => join(CGROUP_ROOT, h))];
  for (const hierarchy of hierarchies) if (await exists(join(hierarchy, name, 'cgroup.procs'))) return true;
  return false;
}

async function cgroupDirs(root: string): Promise<string[]> {
  const result = [root];
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory()) result.push(...(await cgroupDirs(join(root, entry.name))));
  return result;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
