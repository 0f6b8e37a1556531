/**
 * How far V8 lets the old generation grow past what survived its last full
 * collection before it collects again. On a machine with a few GiB of memory
 * or more, Node's default is up to 4x: an audit whose live heap is 30 MB after
 * discovery then accumulates about 100 MB of collectable garbage (SDK answers,
 * probe records being decoded, report text) on top of what it keeps, all of
 * it resident. At 1.5x, a 10,000-instance audit (npm run bench) peaked at
 * 196-217 MB instead of 203-260 MB (packages/bench/BENCH.md); the run is bound by
 * AWS round trips, so the extra collections cost no wall time that shows.
 *
 * Set once at process start, by the CLI (bin/swarm-audit.js) and by the
 * bench's way process (packages/bench/src/ways/way-child.ts), so the bench
 * measures what an operator runs. V8 reads the setting each time it sizes the
 * heap after a full collection, so it applies when set after start-up. A
 * growth setting of the operator's own (NODE_OPTIONS or node's arguments:
 * --heap-growing-percent, --max-old-space-size) is left alone.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

const OPERATOR_SETTINGS = /--(heap[-_]growing[-_]percent|max[-_]old[-_]space[-_]size)\b/;

/** The V8 flag to set, or undefined when the operator chose the heap's growth themselves. */
export function heapGrowthFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | undefined {
  if ([...execArgv, nodeOptions ?? ''].some((arg) => OPERATOR_SETTINGS.test(arg))) return undefined;
  return `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

export function limitHeapGrowth(): void {
  const flag = heapGrowthFlag(process.execArgv, process.env.NODE_OPTIONS);
  if (flag !== undefined) setFlagsFromString(flag);
}
