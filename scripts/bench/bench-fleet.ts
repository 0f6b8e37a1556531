/**
 * The sandbox fleet of one bench variant: N Linux instances tagged
 * Swarm=bench, agents Online, running commands in the host namespace with
 * SWARM_AUDIT_BENCH_FIXTURE naming the captured probe record they answer
 * with. Written as a fleet file and read back through the same strict
 * validation as `swarm-audit sandbox serve --fleet FILE`.
 */
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FaultSpec, FleetFile, FleetFileInstance } from '../../src/sandbox/fleet-file-types.js';
import { loadFleetFile } from '../../src/sandbox/fleet-file.js';
import { distinctFixtures, fixtureDirectory, fixtureFor } from './fixture-mix.js';

export const BENCH_TAG = { key: 'Swarm', value: 'bench' } as const;
export const FIXTURE_ENV = 'SWARM_AUDIT_BENCH_FIXTURE';
export const BENCH_REGION = 'us-east-1';
const BENCH_ACCOUNT = '123456789012';

/** Copies the fixtures the mix uses into `workDir`, so the run reads files the bench owns. */
export async function stageFixtures(workDir: string): Promise<void> {
  const source = fixtureDirectory();
  await Promise.all(
    distinctFixtures().map((name) => copyFile(join(source, `${name}.stdout`), join(workDir, `${name}.stdout`))),
  );
}

/** Writes the fleet file for `count` instances and loads it back (validated). */
export async function writeBenchFleet(workDir: string, name: string, count: number, faults?: FaultSpec): Promise<FleetFile> {
  const fleet: FleetFile = {
    accountId: BENCH_ACCOUNT,
    region: BENCH_REGION,
    instances: Array.from({ length: count }, (_, index) => benchInstance(workDir, index)),
    ...(faults ? { faults } : {}),
  };
  const path = join(workDir, `fleet-${name}.json`);
  await writeFile(path, JSON.stringify(fleet));
  return loadFleetFile(path);
}

/** i-be000000000000000 .. : 17 characters, ordered like the index. */
export function benchInstanceId(index: number): string {
  return `i-be${index.toString(16).padStart(15, '0')}`;
}

function benchInstance(workDir: string, index: number): FleetFileInstance {
  const slot = fixtureFor(index);
  return {
    instanceId: benchInstanceId(index),
    tags: { [BENCH_TAG.key]: BENCH_TAG.value, Name: `bench-${index}-${slot.fixture}` },
    privateIpAddress: slot.privateIp,
    agent: { pingStatus: 'Online', platform: 'Linux', agentVersion: '3.3.1142.0' },
    exec: { env: { [FIXTURE_ENV]: join(workDir, `${slot.fixture}.stdout`) } },
  };
}
