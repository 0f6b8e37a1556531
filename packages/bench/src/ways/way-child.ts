/**
 * One bench way in its own process, so its peak RSS is its own (the endpoint
 * runs in the parent), with the CLI's heap setting (limitHeapGrowth):
 * `node way-child.js '<WayInput JSON>'` prints one WayResult JSON line on stdout.
 */
import { limitHeapGrowth } from '../../../../src/util/heap-growth.js';
import { WAYS, type WayInput, type WayResult } from './way-input.js';

// The heap setting of the CLI (bin/swarm-audit.js), set as there before the SDK is loaded: the bench measures what the user runs.
limitHeapGrowth();

const RUNS: Record<WayInput['way'], () => Promise<(input: WayInput) => Promise<WayResult>>> = {
  runner: async () => (await import('./runner-way.js')).runnerWay,
  naive: async () => (await import('./naive-way.js')).naiveWay,
  floor: async () => (await import('./floor-way.js')).floorWay,
};

const input = JSON.parse(process.argv[2] ?? '{}') as WayInput;
if (!WAYS.includes(input.way)) {
  process.stderr.write(`way-child: unknown way ${JSON.stringify(input.way)}\n`);
  process.exit(3);
}
try {
  const run = await RUNS[input.way]();
  process.stdout.write(`${JSON.stringify(await run(input))}\n`);
} catch (err) {
  process.stderr.write(`way-child ${input.way} failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
}
