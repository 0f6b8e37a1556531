import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

function sh(program: string, args: string[]): string {
  return execFileSync(program, args, { encoding: 'utf8', env: { PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function docker(socket: string, args: string[]): string {
  return sh('/usr/bin/docker', ['-H', `unix://${socket}`, ...args]);
}

export function listenersIn(netns: string): string {
  return sh('nsenter', [`--net=/var/run/netns/${netns}`, 'ss', '-ltnuH']);
}

/** Everything of ours the host still has for a prefix and a dir: must be all empty after down. */
export function leftovers(prefix: string, dir: string) {
  const netns = existsSync('/var/run/netns') ? readdirSync('/var/run/netns').filter((n) => n.startsWith(`${prefix}-`)) : [];
  const links = sh('ip', ['-o', 'link', 'show'])
    .split('\n')
    .map((l) => l.split(': ')[1]?.split('@')[0])
    .filter((n): n is string => n !== undefined && (n.startsWith(`${prefix}-`) || new RegExp(`^${prefix}v\\d+$`).test(n)));
  const processes = readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`${dir}/`);
      } catch {
        return false;
      }
    });
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => m !== undefined && (m === dir || m.startsWith(`${dir}/`)));
  const cgroups = readdirSync('/sys/fs/cgroup').flatMap((h) => {
    try {
      return readdirSync(join('/sys/fs/cgroup', h)).filter((c) => c.startsWith(`${prefix}-`)).map((c) => `${h}/${c}`);
    } catch {
      return [];
    }
  });
  return { netns, links, processes, mounts, cgroups, dirExists: existsSync(dir) };
}

export const NOTHING_LEFT = { netns: [], links: [], processes: [], mounts: [], cgroups: [], dirExists: false };

/** Integration tests need root, Linux and docker.io; they are skipped with a reason elsewhere. */
export function canRunSandbox(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/sbin/dockerd') && existsSync('/usr/bin/docker');
}
