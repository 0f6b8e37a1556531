/**
 * The runner's targets at 10,000 instances (recorded outputs, 30 ms a call,
 * runtimes 1-5 s): at most 700 API calls in all (discovery included), wall
 * time within 1.3x of the floor script's, peak RSS under 250 MB. Printed, never
 * asserted by a test: timings depend on the machine.
 */
import type { TargetCheck, WayFigures } from './figures.js';

export const TARGET_SIZE = 10_000;
const MAX_CALLS = 700;
const MAX_WALL_RATIO = 1.3;
const MAX_RSS_BYTES = 250 * 1024 * 1024;

export function targetChecks(runner: WayFigures, floor: WayFigures): TargetCheck[] {
  const calls = totalOf(runner.calls);
  const ratio = runner.wallMs / floor.wallMs;
  return [
    check('API calls, discovery included', `<= ${MAX_CALLS}`, `${calls}`, calls, MAX_CALLS),
    check('wall time / floor wall time', `<= ${MAX_WALL_RATIO}`, ratio.toFixed(2), ratio, MAX_WALL_RATIO),
    check('peak RSS (MB)', `< ${MAX_RSS_BYTES / 2 ** 20}`, (runner.peakRssBytes / 2 ** 20).toFixed(0), runner.peakRssBytes, MAX_RSS_BYTES),
  ];
}

export function totalOf(counter: Record<string, number>): number {
  return Object.values(counter).reduce((sum, n) => sum + n, 0);
}

function check(name: string, limit: string, measured: string, value: number, max: number): TargetCheck {
  const met = value <= max;
  return { name, limit, measured, met, ...(met ? {} : { missedBy: `+${(((value - max) / max) * 100).toFixed(1)} %` }) };
}
