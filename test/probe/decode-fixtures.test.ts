/** Decoding the records captured from real Docker 20.10 daemons (scripts/capture-probe-fixtures.sh). */
import { decodeProbeOutput } from '../../src/probe/decode.js';
import type { HostFacts } from '../../src/probe/facts.js';
import { FIXTURES, fixture } from './frame-builder.js';

function facts(name: string): HostFacts {
  const result = decodeProbeOutput(fixture(name));
  if (!result.ok) throw new Error(`${name}: ${result.reason}: ${result.message}`);
  return result.facts;
}

const listenerText = (f: HostFacts) => f.listeners.map((l) => `${l.protocol} ${l.address}:${l.port}${l.wildcard ? ' *' : ''}`).sort();

/** Sections each fixture could not read on purpose; every other fixture reads them all. */
const EXPECTED_PROBLEMS: Partial<Record<(typeof FIXTURES)[number], string[]>> = {
  'permission-denied': ['xfrm-policy', 'xfrm-state'],
  'worker-busybox-ip': ['xfrm-policy', 'xfrm-state'],
  'manager-single-busybox-ip': ['xfrm-policy', 'xfrm-state'],
  'worker-no-dockerd-log': ['sa-log'],
};

describe('every captured fixture decodes', () => {
  test.each(FIXTURES)('%s', (name) => {
    const decoded = facts(name);
    expect(decoded.schemaVersion).toBe(1);
    expect(decoded.probeVersion).toBe('1.3.0');
    expect(decoded.hostname).toMatch(/^ip-10-77-201-\d+$/);
    expect(decoded.collectedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(decoded.problems.map((p) => p.section)).toEqual(EXPECTED_PROBLEMS[name] ?? []);
  });

  // Sizes measured on these captures (test/fixtures/probe/README.md): every
  // record, a typical manager's (20 services, 10 networks) included, is read
  // whole from one ListCommandInvocations output (2,500 characters).
  test('every fixture stays under one ListCommandInvocations output (2,500 chars)', () => {
    const over = FIXTURES.filter((name) => fixture(name).length > 2500).map((name) => `${name}: ${fixture(name).length}`);
    expect(over).toEqual([]);
  });
});

describe('manager-bound', () => {
  const f = facts('manager-bound');
  const service = (name: string) => f.services!.find((s) => s.name === name)!;
  const network = (name: string) => f.networks!.find((n) => n.name === name)!;

  test('docker and swarm', () => {
    expect(f.docker).toEqual({ present: true, reachable: true, serverVersion: '20.10.24+dfsg1', rootDir: '/tmp/swc-capture/m1/root' });
    const swarm = f.swarm!;
    expect(swarm.localNodeState).toBe('active');
    expect(swarm.controlAvailable).toBe(true);
    expect(swarm.nodeAddr).toBe('10.77.201.11');
    expect(swarm.clusterId).toMatch(/^[a-z0-9]{25}$/);
    expect(swarm.remoteManagers.map((m) => m.addr).sort()).toEqual(['10.77.201.11:2377', '10.77.201.12:2377']);
    expect(swarm.state).toEqual({ listenAddr: '10.77.201.11:2377', advertiseAddr: '10.77.201.11:2377', dataPathPort: 4789 });
  });

  test('listeners are bound to the node address, except VXLAN', () => {
    expect(f.listenerSource).toBe('ss');
    expect(listenerText(f)).toEqual(['tcp 10.77.201.11:2377', 'tcp 10.77.201.11:7946', 'udp 0.0.0.0:4789 *', 'udp 10.77.201.11:7946']);
  });

  test('services', () => {
    expect(f.services!.map((s) => s.name).sort()).toEqual(['api', 'hostsvc', 'legacy', 'monitor', 'shop_cart', 'web']);
    expect(service('web')).toMatchObject({
      mode: 'replicated',
      replicas: 1,
      endpointMode: 'vip',
      ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }],
      networks: [{ target: network('plain').id, aliases: ['webalias'], driverOpts: {} }],
    });
    expect(service('hostsvc').ports).toEqual([{ protocol: 'tcp', targetPort: 90, publishedPort: 9090, publishMode: 'host' }]);
    expect(service('hostsvc').networks).toEqual([]);
    expect(service('api').ports).toEqual([]);
    expect(service('api').networks.map((n) => n.target)).toEqual([network('enc').id]);
    expect(service('legacy').networks.map((n) => n.target)).toEqual([network('encfalse').id]);
    expect(service('monitor').mode).toBe('global');
    expect(service('monitor').replicas).toBeUndefined();
    expect('labels' in service('shop_cart')).toBe(false);
  });

  test('overlay networks and the encrypted option as Docker prints it', () => {
    expect(f.networks!.map((n) => n.name).sort()).toEqual(['enc', 'encfalse', 'ingress', 'plain', 'shop_default']);
    for (const n of f.networks!) {
      expect(n).toMatchObject({ driver: 'overlay', scope: 'swarm' });
      // Swarm allocates the VXLAN IDs: the probe leaves them out (docs/docker.md).
      expect(n.options['com.docker.network.driver.overlay.vxlanid_list']).toBeUndefined();
      expect(n.ipam.config[0].subnet).toMatch(/^10\.77\.202\.\d+\/28$/);
    }
    expect(network('enc').options.encrypted).toBe('');
    expect(network('encfalse').options.encrypted).toBe('false');
    expect('encrypted' in network('plain').options).toBe(false);
    expect(network('ingress')).toMatchObject({ ingress: true, attachable: false });
    expect('encrypted' in network('ingress').options).toBe(false);
    expect(network('shop_default')).toMatchObject({ attachable: true, labels: { 'com.docker.stack.namespace': 'shop' } });
    expect(network('encfalse').labels).toEqual({});
  });

  test('nodes', () => {
    const nodes = f.nodes!;
    expect(nodes.map((n) => `${n.role} ${n.addr}`).sort()).toEqual([
      'manager 10.77.201.11', 'manager 10.77.201.12', 'worker 10.77.201.21', 'worker 10.77.201.22',
    ]);
    const leader = nodes.filter((n) => n.leader);
    expect(leader).toHaveLength(1);
    expect(leader[0]).toMatchObject({ addr: '10.77.201.11', managerAddr: '10.77.201.11:2377', managerReachability: 'reachable', hostname: 'ip-10-77-201-11' });
    expect(nodes.find((n) => n.addr === '10.77.201.21')).toMatchObject({ availability: 'active', state: 'ready', engineVersion: '20.10.24+dfsg1' });
    expect(nodes.find((n) => n.role === 'worker')!.managerAddr).toBeUndefined();
  });

  test('services and networks carry Docker short IDs, nodes and the cluster whole IDs', () => {
    for (const item of [...f.services!, ...f.networks!]) expect(item.id).toMatch(/^[a-z0-9]{12}$/);
    for (const n of f.nodes!) expect(n.id).toMatch(/^[a-z0-9]{25}$/);
    const networkIds = new Set(f.networks!.map((n) => n.id));
    for (const target of f.services!.flatMap((s) => s.networks.map((a) => a.target))) expect(networkIds.has(target)).toBe(true);
    for (const id of f.tasks!.flatMap((t) => t.networks)) expect(networkIds.has(id)).toBe(true);
  });

  test('tasks: where the running tasks are, one entry per node', () => {
    const tasks = f.tasks!;
    const nodeIds = new Set(f.nodes!.map((n) => n.id));
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) expect(nodeIds.has(task.nodeId)).toBe(true);
    const nodesOn = (name: string) => new Set(tasks.filter((t) => t.networks.includes(network(name).id)).map((t) => t.nodeId));
    // monitor is global on enc: every node runs a task there.
    expect(nodesOn('enc')).toEqual(nodeIds);
    expect(nodesOn('encfalse').size).toBe(1);
    expect(nodesOn('plain').size).toBe(1);
    // web publishes in ingress mode: its task is attached to ingress as well as plain.
    expect([...nodesOn('ingress')]).toEqual([...nodesOn('plain')]);
    expect(new Set(tasks.map((t) => t.nodeId)).size).toBe(tasks.length);
  });

  test('IPsec: policies for the encrypted overlay, no SAs, dockerd failures summarised', () => {
    const ipsec = f.ipsec!;
    expect(ipsec.readable).toBe(true);
    expect(ipsec.espPolicies).toBeGreaterThan(0);
    expect(ipsec.espStates).toBe(0);
    expect(ipsec.saLog).toMatchObject({ source: 'log' });
    expect(ipsec.saLog!.matches).toBeGreaterThan(0);
    expect(ipsec.saFailures.length).toBeGreaterThan(0);
    for (const line of ipsec.saFailures) {
      expect(line).toMatch(/^Failed Adding [fr]SA dst=10\.77\.201\.\d+ src=10\.77\.201\.\d+: function not implemented/);
    }
  });
});

describe('other nodes of cluster A', () => {
  test('manager-wildcard: joined without --listen-addr listens on every interface', () => {
    const f = facts('manager-wildcard');
    expect(f.swarm).toMatchObject({ controlAvailable: true, nodeAddr: '10.77.201.12', state: { listenAddr: '0.0.0.0:2377', advertiseAddr: '10.77.201.12:2377' } });
    expect(listenerText(f)).toEqual(['tcp *:2377 *', 'tcp *:7946 *', 'udp *:7946 *', 'udp 0.0.0.0:4789 *']);
    expect(f.swarm!.clusterId).toBe(facts('manager-bound').swarm!.clusterId);
    expect(f.services).toHaveLength(6);
  });

  test('worker-wildcard: no 2377, 7946 on every interface, no cluster-wide lists', () => {
    const f = facts('worker-wildcard');
    expect(f.swarm).toMatchObject({ localNodeState: 'active', controlAvailable: false, nodeAddr: '10.77.201.21' });
    expect(f.swarm!.clusterId).toBeUndefined();
    expect(f.swarm!.state?.listenAddr).toBe('0.0.0.0:2377');
    expect(listenerText(f)).toEqual(['tcp *:7946 *', 'udp *:7946 *', 'udp 0.0.0.0:4789 *']);
    expect(f.services).toBeUndefined();
    expect(f.nodes).toBeUndefined();
    expect(f.tasks).toBeUndefined();
    expect(f.networks!.map((n) => n.name)).toContain('ingress');
  });

  test('worker-busybox-ip: ip is BusyBox\'s applet, so xfrm is unread and says why', () => {
    const f = facts('worker-busybox-ip');
    expect(f.ipsec).toMatchObject({ readable: false, espPolicies: 0, espStates: 0 });
    expect(f.ipsec!.saLog).toMatchObject({ source: 'log' });
    for (const problem of f.problems) {
      expect(problem.message).toMatch(/ip is BusyBox's ip applet, which has no xfrm: install iproute2 \(exit 1\)$/);
    }
  });

  test('worker-no-dockerd-log: xfrm read, dockerd log unknown with its cause', () => {
    const f = facts('worker-no-dockerd-log');
    expect(f.ipsec!.readable).toBe(true);
    expect(f.ipsec!.saLog).toBeUndefined();
    expect(f.problems).toEqual([
      { section: 'sa-log', message: 'no dockerd log source (journalctl absent, SWARM_AUDIT_DOCKERD_LOG unset) (exit 1)' },
    ]);
  });

  test('worker-bound: 7946 on the node address', () => {
    const f = facts('worker-bound');
    expect(f.swarm!.state?.listenAddr).toBe('10.77.201.22:2377');
    expect(listenerText(f)).toEqual(['tcp 10.77.201.22:7946', 'udp 0.0.0.0:4789 *', 'udp 10.77.201.22:7946']);
  });

  test('no-ss: the /proc/net fallback finds the same listeners as ss', () => {
    const f = facts('no-ss');
    expect(f.listenerSource).toBe('proc');
    expect(listenerText(f)).toEqual(listenerText(facts('manager-bound')));
  });
});

describe('cluster B', () => {
  test('manager-single-cluster-b is another cluster with a single manager', () => {
    const f = facts('manager-single-cluster-b');
    expect(f.swarm!.clusterId).not.toBe(facts('manager-bound').swarm!.clusterId);
    expect(f.swarm!.remoteManagers).toHaveLength(1);
    expect(f.nodes).toHaveLength(1);
    expect(f.services!.map((s) => s.name).sort()).toEqual(['front', 'queue']);
    expect(new Set(f.tasks!.map((t) => t.nodeId))).toEqual(new Set([f.swarm!.nodeId]));
  });

  test('many-services', () => {
    const f = facts('many-services');
    expect(f.services).toHaveLength(12);
    expect(f.networks!.map((n) => n.name).sort()).toEqual([
      'backend', 'ingress', 'net1', 'net2', 'net3', 'net4', 'net5', 'shared',
    ]);
    const byName = new Map(f.services!.map((s) => [s.name, s]));
    expect(byName.get('cache')!.endpointMode).toBe('dnsrr');
    expect(byName.get('cron')!.replicas).toBe(0);
    expect(byName.get('gateway')!.ports.map((p) => p.publishMode).sort()).toEqual(['host', 'ingress']);
    expect(byName.get('svc1')!.networks.find((n) => n.aliases.length)!.aliases).toEqual(['svc1-alias']);
  });
});

test('manager-typical: cluster B grown to 20 services on 10 overlay networks', () => {
  const f = facts('manager-typical');
  expect(f.services).toHaveLength(20);
  expect(f.networks).toHaveLength(10);
  const byName = new Map(f.services!.map((s) => [s.name, s]));
  expect(byName.get('shop_app1')!.networks).toEqual([{ target: f.networks!.find((n) => n.name === 'shop_default')!.id, aliases: ['app1'], driverOpts: {} }]);
  expect(byName.get('ops_logs')!.ports).toEqual([{ protocol: 'tcp', targetPort: 5140, publishedPort: 5140, publishMode: 'host' }]);
  expect(byName.get('ops_agent')!.mode).toBe('global');
  const shop = f.networks!.find((n) => n.name === 'shop_default')!;
  expect(shop.options.encrypted).toBe('');
  expect(byName.get('shop_web')!.networks.map((n) => n.target)).toContain(shop.id);
});

describe('hosts that cannot be audited', () => {
  test('swarm-inactive', () => {
    const f = facts('swarm-inactive');
    expect(f.docker.reachable).toBe(true);
    expect(f.swarm).toMatchObject({ localNodeState: 'inactive', controlAvailable: false });
    expect(f.listeners).toEqual([]);
    expect(f.services).toBeUndefined();
  });

  test('swarm-locked', () => {
    const f = facts('swarm-locked');
    expect(f.swarm!.localNodeState).toBe('locked');
    expect(f.swarm!.error).toMatch(/Swarm is encrypted and needs to be unlocked/);
    expect(f.docker.error?.kind).toBe('swarm-locked');
  });

  test('docker-down', () => {
    const f = facts('docker-down');
    expect(f.docker).toMatchObject({ present: true, reachable: false, error: { kind: 'daemon-down' } });
    expect(f.docker.error!.message).toMatch(/Cannot connect to the Docker daemon/);
    expect(f.swarm).toBeUndefined();
    expect(f.listeners.length).toBeGreaterThan(0);
  });

  test('docker-missing', () => {
    const f = facts('docker-missing');
    expect(f.docker).toEqual({ present: false, reachable: false, error: { kind: 'not-installed', message: 'docker: command not found' } });
  });

  test('permission-denied', () => {
    const f = facts('permission-denied');
    expect(f.docker).toMatchObject({ present: true, reachable: false, error: { kind: 'permission-denied' } });
    expect(f.ipsec!.readable).toBe(false);
    expect(f.problems.find((p) => p.section === 'xfrm-policy')!.message).toMatch(/Operation not permitted/);
  });
});
