import { describe, expect, it } from '@jest/globals';
import {
  compareEngineVersions,
  hasOverlayEncryptionCve,
  parseEngineVersion,
} from '../../src/checks/overlay-encryption/engine-version.js';
import { overlayEncryption } from '../../src/checks/overlay-encryption/index.js';
import type { HostFacts } from '../../src/probe/facts.js';
import { runCheckCases, type FixtureHost } from './harness.js';

/** The captured cluster: on this machine's kernel IPsec SAs cannot be installed (domain.md, "The flag can lie"). */
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
