import { describe, expect, it } from '@jest/globals';
import { allChecks } from '../../src/checks/registry.js';
import type { Check, Finding } from '../../src/checks/types.js';
import { evaluateFleet } from '../../src/engine/evaluate.js';
import type { HostInput } from '../../src/engine/host-input.js';
import type { HostFacts } from '../../src/probe/facts.js';
import { EMPTY_CONFIG, instance, loadFacts } from '../checks/harness.js';

// Read from the fixtures: they are recaptured from real daemons, and cluster ids change every capture.
const CLUSTER_A = loadFacts('manager-bound').swarm!.clusterId!;
const CLUSTER_B = loadFacts('manager-single-cluster-b').swarm!.clusterId!;

function probed(instanceId: string, fixture: string, privateIp: string, derive?: (f: HostFacts) => void): HostInput {
  const facts = loadFacts(fixture);
  derive?.(facts);
  return { instance: instance(instanceId, { privateIp, name: `name-${instanceId}` }), probe: { ok: true, facts } };
}

function unreachable(instanceId: string, privateIp: string): HostInput {
  return {
    instance: instance(instanceId, { privateIp, reachable: false, unreachableReason: 'SSM agent ConnectionLost' }),
    probe: { ok: false, status: 'ERROR', message: 'not audited: SSM agent ConnectionLost' },
  };
}

const m1 = (derive?: (f: HostFacts) => void) => probed('i-m1', 'manager-bound', '10.77.201.11', derive);
const m2 = (derive?: (f: HostFacts) => void) => probed('i-m2', 'manager-wildcard', '10.77.201.12', derive);
const w1 = (derive?: (f: HostFacts) => void) => probed('i-w1', 'worker-wildcard', '10.77.201.21', derive);
const w2 = (derive?: (f: HostFacts) => void) => probed('i-w2', 'worker-bound', '10.77.201.22', derive);
const b1 = () => probed('i-b1', 'manager-single-cluster-b', '10.77.201.31');

function run(hosts: HostInput[], checks: Check[] = [...allChecks]) {
  return evaluateFleet({
    hosts,
    checks,
    config: EMPTY_CONFIG,
    startedAt: new Date('2026-11-23T10:00:00Z'),
    finishedAt: new Date('2026-11-23T10:01:00Z'),
  });
}

const of = (results: Finding[], checkId: string) => results.filter((r) => r.checkId === checkId);

describe('evaluateFleet: two clusters', () => {
  const report = run([m1(), m2(), w1(), w2(), b1()]);

  it('counts instances and clusters', () => {
    expect(report.summary.instances).toBe(5);
    expect(report.summary.clusters).toBe(2);
    expect(report.startedAt).toBe('2026-11-23T10:00:00.000Z');
  });

  it('runs cluster checks once per cluster from the leader', () => {
    const overlayA = of(report.results, 'overlay-encryption').filter((r) => r.clusterId === CLUSTER_A);
    expect(overlayA.map((r) => r.resource.name).sort()).toEqual(['enc', 'encfalse', 'ingress', 'plain', 'shop_default']);
    expect(new Set(overlayA.map((r) => r.instanceId))).toEqual(new Set(['i-m1']));
    const portsB = of(report.results, 'swarm-published-ports').filter((r) => r.clusterId === CLUSTER_B);
    expect(new Set(portsB.map((r) => r.instanceId))).toEqual(new Set(['i-b1']));
    expect(of(report.results, 'overlay-encryption').some((r) => r.instanceId.startsWith('i-w'))).toBe(false);
  });

  it('links workers to their cluster through the manager node list and runs their node checks', () => {
    for (const worker of ['i-w1', 'i-w2']) {
      const listen = of(report.results, 'swarm-listen-address').filter((r) => r.instanceId === worker);
      expect(listen.length).toBeGreaterThan(0);
      expect(new Set(listen.map((r) => r.clusterId))).toEqual(new Set([CLUSTER_A]));
      const entry = report.instances.find((i) => i.instanceId === worker)!;
      expect(entry.swarm).toMatchObject({ role: 'worker', clusterId: CLUSTER_A, state: 'active' });
    }
    expect(report.instances.find((i) => i.instanceId === 'i-b1')!.swarm).toMatchObject({ role: 'manager', clusterId: CLUSTER_B });
  });

  it('summary matches the results', () => {
    const tally = (status: Finding['status']) => report.results.filter((r) => r.status === status).length;
    for (const status of ['PASS', 'FAIL', 'WARN', 'ERROR', 'NOT_APPLICABLE'] as const) {
      expect(report.summary[status]).toBe(tally(status));
    }
    expect(report.summary.FAIL).toBeGreaterThan(0);
  });

  it('is deterministic whatever the input order', () => {
    const shuffled = run([b1(), w2(), m2(), w1(), m1()]);
    expect(JSON.stringify(shuffled)).toBe(JSON.stringify(report));
    expect(report.instances.map((i) => i.instanceId)).toEqual(['i-b1', 'i-m1', 'i-m2', 'i-w1', 'i-w2']);
  });

  it('carries the metadata of the evaluated checks', () => {
    expect(report.checks?.map((c) => c.id)).toEqual(allChecks.map((c) => c.meta.id));
    expect(report.checks?.find((c) => c.id === 'overlay-encryption')?.cis).toBe('7.3');
  });
});

describe('evaluateFleet: worker linking without the node list', () => {
  it('links by RemoteManagers node ids when the manager node list is missing', () => {
    const report = run([m1((f) => delete f.nodes), w1()]);
    expect(new Set(report.results.filter((r) => r.instanceId === 'i-w1').map((r) => r.clusterId))).toEqual(new Set([CLUSTER_A]));
  });

  it('links by RemoteManagers addresses when node ids do not match', () => {
    const report = run([
      m1((f) => delete f.nodes),
      w2((f) => f.swarm!.remoteManagers.forEach((r) => (r.nodeId = `unknown-${r.addr}`))),
    ]);
    expect(report.instances.find((i) => i.instanceId === 'i-w2')!.swarm?.clusterId).toBe(CLUSTER_A);
  });
});

describe('evaluateFleet: hosts that cannot be audited', () => {
  it('gives an unreachable instance one ERROR per selected check, on the node', () => {
    const report = run([m1(), unreachable('i-off', '10.0.0.9')]);
    const off = report.results.filter((r) => r.instanceId === 'i-off');
    expect(off.map((r) => r.checkId).sort()).toEqual(allChecks.map((c) => c.meta.id).sort());
    for (const result of off) {
      expect(result).toMatchObject({ status: 'ERROR', resource: { type: 'node', id: 'i-off' } });
      expect(result.message).toContain('ConnectionLost');
    }
    expect(report.instances.find((i) => i.instanceId === 'i-off')).toMatchObject({ reachable: false, error: expect.stringContaining('ConnectionLost') });
  });

  it('maps an inactive swarm to NOT_APPLICABLE and a locked one or a dead daemon to ERROR', () => {
    const report = run([
      probed('i-idle', 'swarm-inactive', '10.0.0.1'),
      probed('i-locked', 'swarm-locked', '10.0.0.2'),
      probed('i-down', 'docker-down', '10.0.0.3'),
    ]);
    const statuses = (id: string) => new Set(report.results.filter((r) => r.instanceId === id).map((r) => r.status));
    expect(statuses('i-idle')).toEqual(new Set(['NOT_APPLICABLE']));
    expect(statuses('i-locked')).toEqual(new Set(['ERROR']));
    expect(statuses('i-down')).toEqual(new Set(['ERROR']));
    expect(report.results).toHaveLength(9);
    expect(report.summary.clusters).toBe(0);
  });

  it('reports cluster checks as ERROR when no manager of the workers\' cluster could be audited', () => {
    const report = run([unreachable('i-m1', '10.77.201.11'), w1(), w2()]);
    const clusterErrors = report.results.filter((r) => r.resource.type === 'cluster');
    expect(clusterErrors.map((r) => r.checkId).sort()).toEqual(['overlay-encryption', 'swarm-published-ports']);
    for (const error of clusterErrors) {
      expect(error.status).toBe('ERROR');
      expect(error.message).toMatch(/no manager of cluster .* could be audited/);
      expect(error.message).toContain('i-m1');
      expect(error.message).toContain('i-w1, i-w2');
    }
    const workerListen = of(report.results, 'swarm-listen-address').filter((r) => r.instanceId.startsWith('i-w'));
    expect(workerListen.length).toBeGreaterThan(0);
    expect(workerListen.every((r) => r.clusterId === undefined)).toBe(true);
  });
});

describe('evaluateFleet: manager choice', () => {
  it('prefers the leader even when another manager sorts first', () => {
    const leader = probed('i-z', 'manager-bound', '10.77.201.11');
    const follower = probed('i-a', 'manager-wildcard', '10.77.201.12');
    const report = run([follower, leader]);
    expect(new Set(of(report.results, 'overlay-encryption').map((r) => r.instanceId))).toEqual(new Set(['i-z']));
  });

  it('falls back to the next manager when the leader could not list services', () => {
    const report = run([m1((f) => f.problems.push({ section: 'services', message: 'timeout' })), m2()]);
    expect(new Set(of(report.results, 'swarm-published-ports').map((r) => r.instanceId))).toEqual(new Set(['i-m2']));
  });
});

describe('evaluateFleet: defective checks', () => {
  it('turns a throwing check into an ERROR and an empty answer into an ERROR', () => {
    const throwing: Check = {
      meta: { ...allChecks[0].meta, id: 'throws', scope: 'node' },
      evaluateNode: () => {
        throw new Error('boom');
      },
    };
    const silent: Check = {
      meta: { ...allChecks[1].meta, id: 'silent', scope: 'cluster' },
      evaluateCluster: () => [],
    };
    const report = run([m1()], [throwing, silent]);
    expect(report.results).toHaveLength(2);
    expect(report.results.map((r) => [r.checkId, r.status])).toEqual([
      ['throws', 'ERROR'],
      ['silent', 'ERROR'],
    ]);
    expect(report.results[0].message).toContain('boom');
  });
});

describe('evaluateFleet: the facts each selected check reads', () => {
  const ports = allChecks.find((c) => c.meta.id === 'swarm-published-ports')!;
  const overlay = allChecks.find((c) => c.meta.id === 'overlay-encryption')!;
  const sourceOf = (report: ReturnType<typeof run>, checkId: string) => new Set(of(report.results, checkId).filter((r) => r.clusterId === CLUSTER_A).map((r) => r.instanceId));

  it('runs each cluster check from the leader unless the leader lacks a fact that check reads', () => {
    const report = run([m1((f) => f.problems.push({ section: 'networks', message: 'timeout' })), m2()], [ports, overlay]);
    expect(sourceOf(report, 'swarm-published-ports')).toEqual(new Set(['i-m1']));
    expect(sourceOf(report, 'overlay-encryption')).toEqual(new Set(['i-m2']));
    expect(report.results.some((r) => r.status === 'ERROR')).toBe(false);
  });

  it('a problem in a section no selected check reads changes nothing: not the results, not the manager', () => {
    const clean = run([m1(), m2()], [ports]);
    const nodesFailed = run([m1((f) => f.problems.push({ section: 'nodes', message: 'exit 1' })), m2()], [ports]);
    expect(nodesFailed.results).toEqual(clean.results);
    expect(sourceOf(nodesFailed, 'swarm-published-ports')).toEqual(new Set(['i-m1']));
  });

  it('a check whose facts were not collected gets one ERROR with the cause; the other checks of that host run', () => {
    const report = run([
      m1((f) => {
        f.problems.push({ section: 'listeners', message: 'ss: exit 1' });
        f.listeners = [];
        f.listenerSource = 'none';
      }),
    ]);
    const listen = of(report.results, 'swarm-listen-address');
    expect(listen).toHaveLength(1);
    expect(listen[0]).toMatchObject({ status: 'ERROR', resource: { type: 'node', id: 'i-m1' }, message: 'listening sockets could not be read: ss: exit 1' });
    expect(of(report.results, 'overlay-encryption').every((r) => r.status !== 'ERROR')).toBe(true);
    expect(of(report.results, 'swarm-published-ports').every((r) => r.status !== 'ERROR')).toBe(true);
  });

  it('does not call a check at all when a fact it reads is missing (a worker has no node list)', () => {
    let calls = 0;
    const needsNodes: Check = {
      meta: { ...allChecks[0].meta, id: 'needs-nodes', scope: 'node', reads: ['nodes'] },
      evaluateNode: ({ host }) => {
        calls++;
        return [{ status: 'PASS', resource: { type: 'node', id: host.instance.instanceId }, message: 'the node list was read' }];
      },
    };
    const report = run([m1(), w1()], [needsNodes]);
    expect(calls).toBe(1);
    expect(report.results.map((r) => [r.instanceId, r.status, r.message])).toEqual([
      ['i-m1', 'PASS', 'the node list was read'],
      ['i-w1', 'ERROR', 'the probe did not collect node list'],
    ]);
  });

  it('gives a check its options from the config, over its defaults', () => {
    const allowed = evaluateFleet({
      hosts: [m1()],
      checks: [ports],
      config: { checks: { 'swarm-published-ports': { allowServices: ['web'] } } },
      startedAt: new Date('2026-11-23T10:00:00Z'),
      finishedAt: new Date('2026-11-23T10:01:00Z'),
    });
    const web = allowed.results.filter((r) => r.resource.name === 'web');
    expect(web.length).toBeGreaterThan(0);
    expect(web.every((r) => r.status === 'PASS' && r.message === 'allowed by configuration')).toBe(true);
    expect(run([m1()], [ports]).results.filter((r) => r.resource.name === 'web').some((r) => r.status === 'FAIL')).toBe(true);
  });
});
