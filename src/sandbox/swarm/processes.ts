import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** The command line of a live process, NUL separators turned into spaces; undefined when it is gone. */
export async function commandLineOf(pid: number): Promise<string | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.replaceAll('\0', ' ').trim();
  } catch {
    return undefined;
  }
}

/** True while the process exists and is not a zombie. */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * Signals pid only when its command line still contains `match` (the pid
 * may have been reused since it was recorded). Returns whether it signalled.
 */
export async function signalIfOurs(pid: number, match: string, signal: NodeJS.Signals): Promise<boolean> {
  const cmdline = await commandLineOf(pid);
  if (cmdline === undefined || !cmdline.includes(match)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Waits until every pid has exited; returns those still alive at the deadline. */
export async function waitForExit(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = [...pids];
  for (;;) {
    const states = await Promise.all(alive.map(isAlive));
    alive = alive.filter((_, i) => states[i]);
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    await sleep(50);
  }
}
