import { readFile } from 'node:fs/promises';
import { run } from './exec.js';

/** Mount points at or below dir, deepest first (from /proc/self/mountinfo, octal escapes decoded). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const points = text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((p) => p === dir || p.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/**
 * Detaches everything dockerd left mounted below dir (netns bind mounts,
 * shm, its data-root bind). Lazy, so a busy mount cannot block teardown.
 * Returns what is still mounted afterwards.
 */
export async function unmountUnder(dir: string): Promise<string[]> {
  for (let round = 0; round < 3; round++) {
    const points = await mountsUnder(dir);
    if (points.length === 0) return [];
    for (const point of points) await run('umount', ['-l', point], { timeoutMs: 10_000 });
  }
  return mountsUnder(dir);
}
