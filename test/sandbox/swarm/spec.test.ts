import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../../src/errors.js';
import { parseSandboxSpec } from '../../../packages/sandbox/src/swarm/spec.js';
import type { SandboxSpec } from '../../../packages/sandbox/src/swarm/spec-types.js';

const specFile = (name: string) => fileURLToPath(new URL(`../../../packages/sandbox/src/specs/${name}.json`, import.meta.url));
const shipped = (name: string) => JSON.parse(readFileSync(specFile(name), 'utf8')) as SandboxSpec;

const base = (): SandboxSpec => ({
  prefix: 'swb',
  subnet: '10.77.120.0/24',
  clusters: [{ name: 'c1', networks: [{ name: 'n1' }], services: [{ name: 's1', networks: [{ name: 'n1' }] }] }],
  nodes: [
    { name: 'm1', cluster: 'c1', role: 'manager' },
    { name: 'w1', cluster: 'c1' },
  ],
});

/** The issues of an invalid spec, one per line. */
function issuesOf(spec: unknown): string[] {
  try {
    parseSandboxSpec(spec);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('SandboxSpecInvalid');
    return (error as Error).message.split('\n').slice(1).map((l) => l.trim());
  }
  throw new Error('spec was accepted');
}

describe('parseSandboxSpec', () => {
  it('accepts the shipped specs', () => {
    const def = parseSandboxSpec(shipped('default'));
    expect(def.prefix).toBe('swa');
    expect(def.subnet).toBe('10.77.0.0/24');
    expect(def.nodes.filter((n) => n.docker === 'running')).toHaveLength(7);
    expect(def.clusters.map((c) => c.name)).toEqual(['prod', 'staging']);
    const prodNetworks = def.clusters[0].networks.map((n) => [n.name, n.options]);
    expect(prodNetworks).toEqual([
      ['prod-secure', { encrypted: '' }],
      ['prod-plain', {}],
      ['prod-legacy', { encrypted: 'false' }],
    ]);
    expect(def.clusters[0].services.flatMap((s) => s.ports.map((p) => p.mode))).toEqual(['ingress', 'host']);
    expect(parseSandboxSpec(shipped('minimal')).nodes).toHaveLength(2);
  });

  it('fills defaults', () => {
    const spec = parseSandboxSpec(base());
    expect(spec).toMatchObject({ region: 'us-east-1', accountId: '123456789012', tags: {} });
    expect(spec.nodes[1]).toEqual({ name: 'w1', cluster: 'c1', role: 'worker', bindListenAddr: false, docker: 'running', swarm: true, agent: 'online', tags: {} });
    expect(spec.clusters[0].services[0]).toMatchObject({ mode: 'replicated', replicas: 1, ports: [], networks: [{ name: 'n1', aliases: [] }] });
    expect(spec.clusters[0].espAllowed).toBe(true);
  });

  it('names unknown fields by their path', () => {
    const spec = base() as unknown as { nodes: Record<string, unknown>[]; clusters: { services: { ports?: unknown[] }[] }[] };
    spec.nodes[1].bindListenAdr = true;
    spec.clusters[0].services[0].ports = [{ published: 80, target: 80, hostIp: '0.0.0.0' }];
    expect(issuesOf(spec)).toEqual(['nodes[1].bindListenAdr: unknown field', 'clusters[0].services[0].ports[0].hostIp: unknown field']);
  });

  it('reports wrong types and enum values with paths', () => {
    const spec = base() as unknown as Record<string, unknown> & { nodes: Record<string, unknown>[] };
    spec.nodes[0].role = 'leader';
    spec.nodes[1].swarm = 'yes';
    spec.tags = { Swarm: 5 };
    expect(issuesOf(spec)).toEqual([
      'tags.Swarm: expected a string, got number',
      'nodes[0].role: must be one of "manager", "worker", got "leader"',
      'nodes[1].swarm: expected a boolean, got string',
    ]);
  });

  it.each([
    ['x;reboot'],
    ['$(id)'],
    ["a'b"],
    ['a\nb'],
    ['-rf'],
    ['../etc'],
    ['a'.repeat(64)],
    [''],
  ])('rejects the hostile node name %j', (name) => {
    const spec = base();
    spec.nodes[1].name = name;
    expect(issuesOf(spec)[0]).toMatch(/^nodes\[1\]\.name: .* is not a valid name/);
  });

  it('rejects hostile names of networks, services, aliases and labels', () => {
    const spec = base();
    spec.clusters![0].networks![0].labels = { 'ok.label': 'a\u0000b' };
    spec.clusters![0].services![0].networks = [{ name: 'n1', aliases: ['a b'] }];
    spec.clusters![0].services!.push({ name: '`reboot`' });
    const issues = issuesOf(spec);
    expect(issues).toContainEqual(expect.stringMatching(/^clusters\[0\]\.networks\[0\]\.labels\.ok\.label: .*control characters/));
    expect(issues).toContainEqual(expect.stringMatching(/^clusters\[0\]\.services\[0\]\.networks\[0\]\.aliases\[0\]: .*not a valid name/));
    expect(issues).toContainEqual(expect.stringMatching(/^clusters\[0\]\.services\[1\]\.name: .*not a valid name/));
  });

  it('rejects prefixes that would overflow interface names or are not plain', () => {
    for (const prefix of ['toolongprefix', 'SWB', '1ab', 'a-b', 'a']) {
      expect(issuesOf({ ...base(), prefix })[0]).toMatch(/^prefix: /);
    }
  });

  it('rejects public, malformed or oversized subnets', () => {
    expect(issuesOf({ ...base(), subnet: '8.8.8.0/24' })).toEqual([expect.stringMatching(/^subnet: 8\.8\.8\.0\/24 is not inside a private range/)]);
    expect(issuesOf({ ...base(), subnet: '10.77.120.5/24' })).toEqual([expect.stringMatching(/^subnet: .*host bits zero/)]);
    expect(issuesOf({ ...base(), subnet: '10.0.0.0/8' })).toEqual(['subnet: prefix length must be between /16 and /28, got /8']);
    const crowded = { ...base(), subnet: '10.77.120.0/28', nodes: Array.from({ length: 5 }, (_, i) => ({ name: `n${i}` })) };
    expect(issuesOf(crowded)).toContainEqual('subnet: 10.77.120.0/28 has no room for 5 nodes starting at .11');
  });

  it('rejects network subnets that overlap the node subnet or each other', () => {
    const spec = base();
    spec.clusters![0].networks = [
      { name: 'a', subnet: '10.77.0.0/16' },
      { name: 'b', subnet: '10.99.0.0/24' },
      { name: 'c', subnet: '10.99.0.128/25' },
    ];
    spec.clusters![0].services = [];
    expect(issuesOf(spec)).toEqual([
      'clusters[0].networks[0].subnet: 10.77.0.0/16 overlaps the node subnet',
      'clusters[0].networks[2].subnet: 10.99.0.128/25 overlaps network b',
    ]);
  });

  it('checks references, duplicates and swarm consistency', () => {
    const spec = base();
    spec.nodes.push({ name: 'M1' }, { name: 'x', cluster: 'nope' });
    spec.clusters![0].services!.push({ name: 's2', networks: [{ name: 'missing' }] }, { name: 's1' });
    spec.clusters!.push({ name: 'empty' });
    const issues = issuesOf(spec);
    expect(issues).toEqual(
      expect.arrayContaining([
        'nodes[2].name: duplicate "m1"',
        'nodes[3].cluster: unknown cluster "nope"',
        'clusters[0].services[2].name: duplicate "s1"',
        'clusters[0].services[1].networks[0].name: unknown network "missing" in cluster c1',
        'clusters[1]: cluster "empty" needs a node with role "manager" and swarm true',
      ]),
    );
  });

  it('rejects a stopped or cluster-less swarm node, the reserved ingress name, a global service with replicas, bad ports', () => {
    const spec = base();
    spec.nodes.push({ name: 'y', cluster: 'c1', docker: 'stopped', swarm: true }, { name: 'z', swarm: true });
    spec.clusters![0].networks!.push({ name: 'ingress' });
    spec.clusters![0].services = [
      { name: 'c', mode: 'global', replicas: 2 },
      { name: 'e', ports: [{ published: 0, target: 70000 }] },
    ];
    expect(issuesOf(spec)).toEqual([
      'nodes[2].swarm: a node with docker "stopped" cannot be in a swarm',
      'nodes[3].swarm: a swarm node needs a "cluster"',
      'clusters[0].networks[1].name: "ingress" is the built-in routing-mesh network; choose another name',
      'clusters[0].services[0].replicas: a global service has no replica count',
      'clusters[0].services[1].ports[0].published: must be between 1 and 65535, got 0',
      'clusters[0].services[1].ports[0].target: must be between 1 and 65535, got 70000',
    ]);
  });

  it('rejects clashing ingress ports and host-mode ports with more replicas than nodes', () => {
    const spec = base();
    spec.clusters![0].services = [
      { name: 'a', ports: [{ published: 80, target: 80 }] },
      { name: 'b', ports: [{ published: 80, target: 8080 }, { published: 80, target: 80, protocol: 'udp' }] },
      { name: 'd', replicas: 3, ports: [{ published: 9100, target: 9100, mode: 'host' }] },
    ];
    expect(issuesOf(spec)).toEqual([
      'clusters[0].services[1].ports[0].published: 80/tcp is already published by a',
      'clusters[0].services[2].ports[0].mode: host-mode port with 3 replicas needs as many swarm nodes (cluster has 2)',
    ]);
  });

  it('rejects non-objects and missing required fields', () => {
    expect(issuesOf(null)).toEqual(['(root): expected an object, got null']);
    expect(issuesOf([])).toEqual(['(root): expected an object, got array']);
    expect(issuesOf({})).toEqual(['prefix: required field is missing', 'subnet: required field is missing', 'nodes: required field is missing']);
    expect(issuesOf({ ...base(), nodes: [] })).toEqual([
      'nodes: at least one node is needed',
      'clusters[0]: cluster "c1" needs a node with role "manager" and swarm true',
    ]);
  });
});
