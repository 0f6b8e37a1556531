/**
 * The sandbox fleet of one bench run: N Linux instances tagged Swarm=bench,
 * agents Online, each answering with a captured probe record through the
 * recorded executor (`exec.recorded`, a seeded runtime from `exec.runtimeMs`):
 * no process runs, so 10,000 instances cost no `sh`. Built in memory and
 * passed through the same strict validation as `swarm-audit sandbox serve
 * --fleet FILE`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultSpec, FleetFile, FleetFileInstance, RecordedResult } from '../../sandbox/src/fleet-file-types.js';
import { parseFleetFile } from '../../sandbox/src/fleet-file.js';
import { distinctFixtures, fixtureDirectory, fixtureFor } from './fixture-mix.js';
import type { BenchOptions } from './options.js';

export const BENCH_TAG = { key: 'Swarm', value: 'bench' } as const;
export const BENCH_REGION = 'us-east-1';
const BENCH_ACCOUNT = '123456789012';
const SEED = 7;

export function benchFleet(count: number, options: Pick<BenchOptions, 'latencyMs' | 'runtimeMs' | 'throttle'>): FleetFile {
  const records = recordedFixtures();
  const faults: FaultSpec = {
    seed: SEED,
    latencyMs: { default: options.latencyMs },
    ...(Object.keys(options.throttle).length > 0 ? { throttle: options.throttle } : {}),
  };
  return parseFleetFile({
    accountId: BENCH_ACCOUNT,
    region: BENCH_REGION,
    faults,
    instances: Array.from({ length: count }, (_, index) => benchInstance(index, records, options.runtimeMs)),
  });
}

/** i-be000000000000000 .. : 17 characters, ordered like the index. */
export function benchInstanceId(index: number): string {
  return `i-be${index.toString(16).padStart(15, '0')}`;
}

function recordedFixtures(): Map<string, RecordedResult> {
  const dir = fixtureDirectory();
  return new Map(
    distinctFixtures().map((name) => [name, { stdout: readFileSync(join(dir, `${name}.stdout`), 'utf8'), stderr: '', code: 0 }]),
  );
}

function benchInstance(index: number, records: Map<string, RecordedResult>, runtimeMs: [number, number]): FleetFileInstance {
  const slot = fixtureFor(index);
  return {
    instanceId: benchInstanceId(index),
    tags: { [BENCH_TAG.key]: BENCH_TAG.value, Name: `bench-${index}-${slot.fixture}` },
    privateIpAddress: slot.privateIp,
    agent: { pingStatus: 'Online', platform: 'Linux', agentVersion: '3.3.1142.0' },
    exec: { recorded: records.get(slot.fixture)!, runtimeMs },
  };
}
