/**
 * decodeAll: every host decoded exactly as on its own, each raw output dropped
 * once decoded, and equal strings held once across the fleet's facts
 * (StringPool). What that saves in memory is a bench figure (packages/bench/BENCH.md,
 * peak RSS per phase), not a test: retained-heap readings under jest move with
 * every other suite in the worker.
 */
import { setFlagsFromString } from 'node:v8';
import { decodeAll, toHostInput } from '../../src/audit/host-outcome.js';
import { StringPool } from '../../src/audit/string-pool.js';
import type { FleetInstance } from '../../src/fleet/instance.js';
import type { CommandOutcome } from '../../src/fleet/outcome.js';
import { fixture, FIXTURES } from '../probe/frame-builder.js';

function instance(index: number): FleetInstance {
  return {
    instanceId: `i-${index.toString(16).padStart(17, '0')}`,
    state: 'running',
    tags: {},
    securityGroups: [],
    agent: { managed: true, pingStatus: 'Online', platformType: 'Linux' },
    reachable: true,
  };
}

/** A copy of `text` that shares no memory with it, as each SSM answer is parsed on its own. */
function freshCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

function success(id: string, stdout: string): CommandOutcome {
  return { instanceId: id, commandId: 'c-1', status: 'Success', responseCode: 0, stdout, stderr: '', stdoutComplete: true };
}

function fleetOf(count: number, names: readonly string[]) {
  const instances = Array.from({ length: count }, (_, i) => instance(i));
  const outcomes = new Map(instances.map((inst, i) => [inst.instanceId, success(inst.instanceId, freshCopy(fixture(names[i % names.length])))]));
  return { instances, outcomes };
}

describe('StringPool', () => {
  it('gives back the first equal string and leaves values equal', () => {
    const pool = new StringPool();
    expect(pool.intern(freshCopy('10.0.0.5'))).toBe('10.0.0.5');
    const when = new Date(0);
    const build = () => ({ a: [freshCopy('x'), { b: 'y', n: 1, t: true, z: null }], r: { k: freshCopy('v') }, when, u: undefined });
    const value = build();
    expect(pool.share(value)).toBe(value);
    expect(value).toStrictEqual(build());
    expect(value.when).toBe(when);
  });
});

describe('decodeAll', () => {
  it('decodes every host as toHostInput does on its own, and empties the outcomes', () => {
    const { instances, outcomes } = fleetOf(FIXTURES.length * 2, FIXTURES);
    const alone = instances.map((inst) => toHostInput(inst, outcomes.get(inst.instanceId)));
    const together = decodeAll(instances, outcomes);
    expect(together).toStrictEqual(alone);
    expect(outcomes.size).toBe(0);
  });

  it('gives the objects of every host one shape (hidden class) each: IPAM configs and swarm state', () => {
    setFlagsFromString('--allow-natives-syntax');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- V8 natives syntax (%HaveSameMap) only parses in code compiled after the flag is set
    const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
    const { instances, outcomes } = fleetOf(2_000, ['manager-bound']);
    const facts = decodeAll(instances, outcomes).map((h) => (h.probe.ok ? h.probe.facts : undefined));
    const [first, last] = [facts[0]!, facts[facts.length - 1]!];
    const ipamOf = (f: typeof first) => f.networks!.flatMap((n) => n.ipam.config)[0];
    expect(ipamOf(first)).toEqual(ipamOf(last));
    expect(haveSameMap(ipamOf(first), ipamOf(last))).toBe(true);
    expect(first.swarm!.state).toBeDefined();
    expect(haveSameMap(first.swarm!.state!, last.swarm!.state!)).toBe(true);
  });
});
