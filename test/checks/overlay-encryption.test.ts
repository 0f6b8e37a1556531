import { describe, expect, it } from '@jest/globals';
import {
  compareEngineVersions,
  hasOverlayEncryptionCve,
  parseEngineVersion,
} from '../../src/checks/overlay-encryption/engine-version.js';
import { overlayEncryption } from '../../src/checks/overlay-encryption/index.js';
import type { HostFacts } from '../../src/probe/facts.js';
import { runCheckCases, type FixtureHost } from './harness.js';

/** The captured cluster: on this machine's kernel IPsec SAs cannot be installed (docs/docker.md, "The flag can lie"). */
const CLUSTER_A: FixtureHost[] = [
  { fixture: 'manager-bound', instanceId: 'i-m1' },
  { fixture: 'manager-wildcard', instanceId: 'i-m2' },
  { fixture: 'worker-wildcard', instanceId: 'i-w1' },
  { fixture: 'worker-bound', instanceId: 'i-w2' },
];

/** Derived: what a node with working IPsec shows (one SA per policy, no dockerd SA failures). */
function workingIpsec(facts: HostFacts): void {
  if (!facts.ipsec) throw new Error('fixture has no ipsec facts to derive from');
  facts.ipsec.espStates = facts.ipsec.espPolicies;
  facts.ipsec.saFailures = [];
}

function healthy(hosts: FixtureHost[], extra?: (facts: HostFacts) => void, on = 'i-m1'): FixtureHost[] {
  return hosts.map((h) => ({
    ...h,
    derive: (facts: HostFacts) => {
      workingIpsec(facts);
      if (h.instanceId === on) extra?.(facts);
    },
  }));
}

function setNodeEngine(version: string) {
  return (facts: HostFacts) => {
    const worker = facts.nodes?.find((n) => n.role === 'worker');
    if (!worker) throw new Error('fixture has no worker node to derive from');
    worker.engineVersion = version;
  };
}

const UNENCRYPTED = { 'network:ingress': 'FAIL', 'network:plain': 'FAIL', 'network:shop_default': 'FAIL' } as const;

/** Cluster A with one member swapped for a capture of the same node whose IPsec state could not be read. */
function withMember(instanceId: string, fixture: string): FixtureHost[] {
  return CLUSTER_A.map((h) => (h.instanceId === instanceId ? { ...h, fixture } : h));
}
/** w1 (ip-10-77-201-21) probed where `ip` is BusyBox's applet, which has no xfrm. */
const W1_BUSYBOX_IP = withMember('i-w1', 'worker-busybox-ip');
/** w2 (ip-10-77-201-22) probed with no dockerd log source. */
const W2_NO_LOG = withMember('i-w2', 'worker-no-dockerd-log');

function nodeIdOf(facts: HostFacts, hostname: string): string {
  const node = facts.nodes?.find((n) => n.hostname === hostname);
  if (!node) throw new Error(`fixture has no node ${hostname}`);
  return node.id;
}

runCheckCases(overlayEncryption, [
  {
    name: 'real capture: encrypted networks report ESP policies without SAs -> WARN blackholed; plain ones FAIL',
    hosts: CLUSTER_A,
    expected: { ...UNENCRYPTED, 'network:enc': 'WARN', 'network:encfalse': 'WARN' },
    assert: (results) => {
      expect(results.get('network:enc')!.message).toContain('encrypted, but traffic may be blackholed');
      expect(results.get('network:enc')!.message).toContain('IP protocol 50');
      expect(results.get('network:ingress')!.message).toMatch(/recreating it, with downtime/);
      expect(results.get('network:ingress')!.message).toContain('remove every service that publishes ports');
      expect(results.get('network:shop_default')!.message).toContain('compose file');
      expect(results.get('network:plain')!.message).not.toContain('compose file');
    },
  },
  {
    name: 'derived: IPsec working on every node -> encrypted networks PASS, encrypted=false explained',
    hosts: healthy(CLUSTER_A),
    expected: { ...UNENCRYPTED, 'network:enc': 'PASS', 'network:encfalse': 'PASS' },
    assert: (results) => {
      const encFalse = results.get('network:encfalse')!;
      expect(encFalse.evidence?.['encryptedOption']).toBe('false');
      expect(String(encFalse.evidence?.['note'])).toContain('presence of the key');
      expect(results.get('network:enc')!.evidence?.['encryptedOption']).toBe('');
    },
  },
  {
    name: 'real capture: w1 reads no xfrm (BusyBox ip); IPsec working elsewhere -> enc (tasks on 4 nodes) WARN unknown; encfalse (1 node) PASS as before',
    hosts: healthy(W1_BUSYBOX_IP),
    expected: { ...UNENCRYPTED, 'network:enc': 'WARN', 'network:encfalse': 'PASS' },
    assert: (results) => {
      const enc = results.get('network:enc')!;
      expect(enc.message).toContain('network enc is encrypted, but IPsec health unknown on ip-10-77-201-21:');
      expect(enc.message).toContain("BusyBox's ip applet, which has no xfrm");
      expect(enc.message).not.toContain('blackholed');
      expect(enc.evidence?.['ipsecUnknown']).toEqual([
        { instanceId: 'i-w1', nodeId: expect.any(String), node: 'ip-10-77-201-21', cause: expect.stringContaining('xfrm-policy: ') },
      ]);
    },
  },
  {
    name: 'real capture: w2 has no dockerd log source -> enc WARN "IPsec health unknown on ip-10-77-201-22", never PASS',
    hosts: healthy(W2_NO_LOG),
    expected: { ...UNENCRYPTED, 'network:enc': 'WARN', 'network:encfalse': 'PASS' },
    assert: (results) => {
      expect(results.get('network:enc')!.message).toContain('IPsec health unknown on ip-10-77-201-22:');
      expect(results.get('network:enc')!.message).toContain('no dockerd log source');
    },
  },
  {
    name: 'real capture: blackholed nodes and an unreadable one -> both said in one WARN',
    hosts: W1_BUSYBOX_IP,
    expected: { ...UNENCRYPTED, 'network:enc': 'WARN', 'network:encfalse': 'WARN' },
    assert: (results) => {
      const enc = results.get('network:enc')!.message;
      expect(enc).toContain('encrypted, but traffic may be blackholed');
      expect(enc).toContain('IPsec health unknown on ip-10-77-201-21');
      expect(results.get('network:encfalse')!.message).not.toContain('IPsec health unknown');
    },
  },
  {
    name: 'derived: the manager\'s task placement could not be read -> every encrypted network may cross nodes -> WARN',
    hosts: healthy(W1_BUSYBOX_IP, (f) => {
      delete f.tasks;
      f.problems.push({ section: 'tasks', message: 'exit 1' });
    }),
    expected: { ...UNENCRYPTED, 'network:enc': 'WARN', 'network:encfalse': 'WARN' },
    assert: (results) => {
      expect(results.get('network:encfalse')!.message).toContain('IPsec health unknown on ip-10-77-201-21');
      expect(results.get('network:encfalse')!.message).toContain('task placement could not be read: exit 1');
    },
  },
  {
    name: 'derived: enc\'s tasks only on the two managers -> the unreadable worker carries none of its traffic -> PASS',
    hosts: healthy(W1_BUSYBOX_IP, (f) => {
      const managers = new Set([nodeIdOf(f, 'ip-10-77-201-11'), nodeIdOf(f, 'ip-10-77-201-12')]);
      f.tasks = f.tasks!.filter((t) => managers.has(t.nodeId));
    }),
    expected: { ...UNENCRYPTED, 'network:enc': 'PASS', 'network:encfalse': 'PASS' },
  },
  {
    name: 'derived: an encrypted ingress spans every node (routing mesh) -> WARN with w1 unreadable',
    hosts: healthy(W1_BUSYBOX_IP, (f) => (f.networks!.find((n) => n.ingress)!.options['encrypted'] = '')),
    expected: { ...UNENCRYPTED, 'network:ingress': 'WARN', 'network:enc': 'WARN', 'network:encfalse': 'PASS' },
  },
  {
    name: 'derived: an encrypted attachable network: standalone containers are invisible to the task list -> WARN',
    hosts: healthy(W1_BUSYBOX_IP, (f) => (f.networks!.find((n) => n.name === 'shop_default')!.options['encrypted'] = '')),
    expected: { ...UNENCRYPTED, 'network:shop_default': 'WARN', 'network:enc': 'WARN', 'network:encfalse': 'PASS' },
    assert: (results) => {
      expect(results.get('network:shop_default')!.message).toContain('IPsec health unknown on ip-10-77-201-21');
      expect(results.get('network:shop_default')!.message).toContain('may cross every node (it is attachable');
    },
  },
  {
    name: 'derived: one worker on engine 23.0.1-ce (CVE-2023-28840) -> encrypted networks FAIL',
    hosts: healthy(CLUSTER_A, setNodeEngine('23.0.1-ce')),
    expected: { ...UNENCRYPTED, 'network:enc': 'FAIL', 'network:encfalse': 'FAIL' },
    assert: (results) => {
      const message = results.get('network:enc')!.message;
      expect(message).toContain('encryption may be ineffective');
      expect(message).toMatch(/CVE-2023-28840.*CVE-2023-28841.*CVE-2023-28842/);
      expect(message).toContain('23.0.1-ce');
    },
  },
  {
    name: 'derived: an audited worker reporting 20.10.23 -> FAIL',
    hosts: healthy(CLUSTER_A, (f) => (f.docker.serverVersion = '20.10.23'), 'i-w2'),
    expected: { ...UNENCRYPTED, 'network:enc': 'FAIL', 'network:encfalse': 'FAIL' },
  },
  {
    name: 'derived: 24.0.7 and 23.0.3 are fixed -> PASS',
    hosts: healthy(CLUSTER_A, (f) => {
      setNodeEngine('24.0.7')(f);
      f.docker.serverVersion = '23.0.3';
    }),
    expected: { ...UNENCRYPTED, 'network:enc': 'PASS', 'network:encfalse': 'PASS' },
  },
  {
    name: 'derived: an unreadable engine version -> ERROR for encrypted networks (cannot decide)',
    hosts: healthy(CLUSTER_A, setNodeEngine('')),
    expected: { ...UNENCRYPTED, 'network:enc': 'ERROR', 'network:encfalse': 'ERROR' },
  },
  {
    name: 'derived: node list section failed -> versions of unaudited nodes unknown -> ERROR',
    hosts: healthy(CLUSTER_A, (f) => {
      f.problems.push({ section: 'nodes', message: 'exit 1' });
      delete f.nodes;
    }),
    expected: { ...UNENCRYPTED, 'network:enc': 'ERROR', 'network:encfalse': 'ERROR' },
  },
  {
    name: 'second cluster: an encrypted network, ingress unencrypted, no IPsec peers',
    hosts: [{ fixture: 'manager-single-cluster-b' }],
    expected: { 'network:backend': 'PASS', 'network:ingress': 'FAIL' },
  },
  {
    name: 'real capture: single-node cluster B whose ip is BusyBox -> nothing crosses nodes -> verdicts as with readable IPsec',
    hosts: [{ fixture: 'manager-single-busybox-ip' }],
    expected: { 'network:backend': 'PASS', 'network:ingress': 'FAIL' },
  },
  {
    name: 'derived: single-node cluster B, BusyBox ip, ingress encrypted -> the mesh has one node -> PASS',
    hosts: [
      {
        fixture: 'manager-single-busybox-ip',
        derive: (f) => (f.networks!.find((n) => n.ingress)!.options['encrypted'] = ''),
      },
    ],
    expected: { 'network:backend': 'PASS', 'network:ingress': 'PASS' },
  },
  {
    name: 'derived: ingress created with --opt encrypted -> PASS like any network',
    hosts: [
      {
        fixture: 'manager-single-cluster-b',
        derive: (f) => (f.networks!.find((n) => n.ingress)!.options['encrypted'] = ''),
      },
    ],
    expected: { 'network:backend': 'PASS', 'network:ingress': 'PASS' },
  },
  {
    name: 'derived: networks section failed on the manager -> ERROR for the cluster',
    hosts: [{ fixture: 'manager-bound', derive: (f) => f.problems.push({ section: 'networks', message: 'exit 1' }) }],
    clusterId: 'c1',
    expected: { 'cluster:c1': 'ERROR' },
  },
  {
    name: 'facts without a network list (a worker used as manager) -> ERROR, not PASS',
    hosts: [{ fixture: 'worker-bound', derive: (f) => delete f.networks }],
    clusterId: 'c1',
    expected: { 'cluster:c1': 'ERROR' },
  },
  {
    name: 'derived: non-overlay networks are skipped; no overlay at all -> NOT_APPLICABLE',
    hosts: [{ fixture: 'manager-single-cluster-b', derive: (f) => f.networks!.forEach((n) => (n.driver = 'bridge')) }],
    clusterId: 'c1',
    expected: { 'cluster:c1': 'NOT_APPLICABLE' },
  },
]);

describe('engine versions', () => {
  it.each([
    ['20.10.24+dfsg1', { major: 20, minor: 10, patch: 24 }],
    ['24.0.7', { major: 24, minor: 0, patch: 7 }],
    ['23.0.1-ce', { major: 23, minor: 0, patch: 1 }],
    ['v20.10.5', { major: 20, minor: 10, patch: 5 }],
    ['17.06', { major: 17, minor: 6, patch: 0 }],
  ])('parses %s', (text, version) => expect(parseEngineVersion(text)).toEqual(version));

  it.each(['', 'unknown', '20', 'twenty.ten', '20.10.24; rm -rf /'])('rejects %j', (text) =>
    expect(parseEngineVersion(text)).toBeUndefined(),
  );

  it.each([
    ['20.10.23', true],
    ['19.03.15', true],
    ['20.10.24+dfsg1', false],
    ['20.10.27', false],
    ['22.06.0-beta.0', true],
    ['23.0.0', true],
    ['23.0.2', true],
    ['23.0.3', false],
    ['24.0.7', false],
    ['27.3.1', false],
  ])('%s affected by CVE-2023-28840/1/2: %s', (text, affected) =>
    expect(hasOverlayEncryptionCve(parseEngineVersion(text)!)).toBe(affected),
  );

  it('orders versions numerically', () => {
    expect(compareEngineVersions(parseEngineVersion('20.10.9')!, parseEngineVersion('20.10.24')!)).toBeLessThan(0);
  });
});
