import { stateHash, canonicalJson } from '../../src/remediation/state-hash.js';
import { fixtureFleet } from './helpers/fixture-fleet.js';

describe('drift hash', () => {
  const { hosts } = fixtureFleet();

  test('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
  });

  test('same state, same hash, whatever the host order or the moving parts', () => {
    const moved = structuredClone(hosts).reverse();
    moved[0].facts.collectedAt = '2030-01-01T00:00:00Z';
    moved[0].facts.ipsec!.espPolicies += 5;
    for (const n of moved.flatMap((h) => h.facts.nodes ?? [])) n.leader = !n.leader;
    expect(stateHash(moved)).toBe(stateHash(hosts));
    expect(stateHash(hosts)).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  test.each([
    ['a network option', (h: typeof hosts) => (h[0].facts.networks![3].options.encrypted = '')],
    ['a service alias', (h: typeof hosts) => h[0].facts.services!.find((s) => s.name === 'web')!.networks[0].aliases.push('x')],
    ['a published port', (h: typeof hosts) => (h[0].facts.services!.find((s) => s.name === 'web')!.ports[0].publishedPort = 8081)],
    ['a node availability', (h: typeof hosts) => (h[0].facts.nodes![2].availability = 'drain')],
    ['a node role', (h: typeof hosts) => (h[0].facts.nodes![1].role = 'worker')],
    ['a listen address', (h: typeof hosts) => (h[2].facts.swarm!.state!.listenAddr = '10.77.201.21:2377')],
    ['a private IP', (h: typeof hosts) => (h[3].instance.privateIp = '10.0.0.9')],
  ])('drift in %s changes the hash', (_what, mutate) => {
    const changed = structuredClone(hosts);
    mutate(changed);
    expect(stateHash(changed)).not.toBe(stateHash(hosts));
  });
});
