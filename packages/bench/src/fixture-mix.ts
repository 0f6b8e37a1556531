/**
 * Which captured probe record each bench instance answers with. The records
 * are the real fixtures of test/fixtures/probe (captured from Docker 20.10
 * daemons by scripts/capture-probe-fixtures.sh), in a repeating mix of 20:
 * managers and workers of two clusters, plus nodes that cannot be audited.
 *
 * Every copy of a cluster-A node reports cluster A's id, so the whole fleet
 * holds two clusters (A and B) with many members each: node checks run once
 * per instance, cluster checks once per cluster.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../../../src/errors.js';

export interface FixtureSlot {
  /** File name without `.stdout` in test/fixtures/probe. */
  fixture: string;
  /** The node's address in the capture: the instance's private IP, so address checks judge as on the real node. */
  privateIp: string;
}

const A_LEADER = '10.77.201.11';
const A_MANAGER = '10.77.201.12';
const A_WORKER_WILDCARD = '10.77.201.21';
const A_WORKER_BOUND = '10.77.201.22';
const B_MANAGER = '10.77.201.31';
const STANDALONE = '10.77.201.41';

/** 20 slots: 3 cluster-A managers, 11 cluster-A workers, 2 cluster-B managers, 4 nodes that cannot be audited. */
const FIXTURE_MIX: readonly FixtureSlot[] = [
  { fixture: 'manager-bound', privateIp: A_LEADER },
  ...repeat(3, { fixture: 'worker-wildcard', privateIp: A_WORKER_WILDCARD }),
  ...repeat(3, { fixture: 'worker-bound', privateIp: A_WORKER_BOUND }),
  { fixture: 'manager-wildcard', privateIp: A_MANAGER },
  { fixture: 'manager-single-cluster-b', privateIp: B_MANAGER },
  ...repeat(3, { fixture: 'worker-wildcard', privateIp: A_WORKER_WILDCARD }),
  { fixture: 'swarm-inactive', privateIp: STANDALONE },
  { fixture: 'no-ss', privateIp: A_LEADER },
  ...repeat(2, { fixture: 'worker-bound', privateIp: A_WORKER_BOUND }),
  { fixture: 'many-services', privateIp: B_MANAGER },
  { fixture: 'docker-down', privateIp: A_LEADER },
  { fixture: 'swarm-locked', privateIp: STANDALONE },
  { fixture: 'permission-denied', privateIp: A_LEADER },
];

export function fixtureFor(index: number): FixtureSlot {
  return FIXTURE_MIX[index % FIXTURE_MIX.length];
}

export function distinctFixtures(): string[] {
  return [...new Set(FIXTURE_MIX.map((slot) => slot.fixture))];
}

/** test/fixtures/probe of this checkout (the bench runs from dist/packages/bench/src/). */
export function fixtureDirectory(): string {
  const dir = fileURLToPath(new URL('../../../../test/fixtures/probe/', import.meta.url));
  if (!existsSync(dir)) {
    throw new ToolError('BenchFixturesMissing', `probe fixtures not found at ${dir}: run the bench from a checkout`);
  }
  return dir;
}

function repeat<T>(count: number, item: T): T[] {
  return Array.from({ length: count }, () => item);
}
