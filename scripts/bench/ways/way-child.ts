/**
 * One bench way in its own process, so its peak RSS is its own (the endpoint
 * runs in the parent): `node way-child.js '<WayInput JSON>'` prints one
 * WayResult JSON line on stdout.
 */
import { floorWay } from './floor-way.js';
import { naiveWay } from './naive-way.js';
import { runnerWay } from './runner-way.js';
import { WAYS, type WayInput, type WayResult } from './way-input.js';

const RUNS: Record<WayInput['way'], (input: WayInput) => Promise<WayResult>> = { runner: runnerWay, naive: naiveWay, floor: floorWay };

const input = JSON.parse(process.argv[2] ?? '{}') as WayInput;
if (!WAYS.includes(input.way)) {
  process.stderr.write(`way-child: unknown way ${JSON.stringify(input.way)}\n`);
  process.exit(3);
}
try {
  process.stdout.write(`${JSON.stringify(await RUNS[input.way](input))}\n`);
} catch (err) {
  process.stderr.write(`way-child ${input.way} failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
}
