import { allChecks } from '../../src/checks/registry.js';
import { evaluateFleet } from '../../src/engine/evaluate.js';
import type { AuditReport } from '../../src/engine/report-model.js';
import type { HostInput } from '../../src/engine/host-input.js';
import { parseTagArgs } from '../../src/fleet/tag-query.js';
import type { ReportContext } from '../../src/report/context.js';
import { EMPTY_CONFIG, instance, loadFacts } from '../checks/harness.js';

/** A fixed context for golden files: the tool version is pinned so a release does not rewrite them. */
export const TEST_CONTEXT: ReportContext = {
  tool: { name: 'swarm-audit', version: '0.0.0-test', informationUri: 'https://www.cisecurity.org/benchmark/docker' },
  target: { regions: ['eu-west-1'], accountId: '123456789012', tagQuery: parseTagArgs(['Swarm=prod,staging'], ['Team']) },
  failOn: 'fail',
  color: false,
};

const STARTED = new Date('2026-11-23T10:00:00Z');
const FINISHED = new Date('2026-11-23T10:01:00Z');

const probed = (id: string, fixture: string, privateIp: string): HostInput => ({
  instance: instance(id, { privateIp }),
  probe: { ok: true as const, facts: loadFacts(fixture) },
});

/** A real report: the captured cluster A plus an unreachable instance. */
export function fleetReport(): AuditReport {
  return evaluateFleet({
    hosts: [
      probed('i-m1', 'manager-bound', '10.77.201.11'),
      probed('i-m2', 'manager-wildcard', '10.77.201.12'),
      probed('i-w1', 'worker-wildcard', '10.77.201.21'),
      {
        instance: instance('i-off', { reachable: false, unreachableReason: 'SSM agent ConnectionLost' }),
        probe: { ok: false, status: 'ERROR', message: 'not audited: SSM agent ConnectionLost' },
      },
    ],
    checks: [...allChecks],
    config: EMPTY_CONFIG,
    startedAt: STARTED,
    finishedAt: FINISHED,
  });
}

/**
 * The golden-file report, every status from captured probes: cluster A
 * (managers bound and wildcard, workers wildcard and bound), cluster B, a
 * daemon outside any swarm, a daemon that is down, and an unreachable agent.
 */
export function goldenReport(): AuditReport {
  return evaluateFleet({
    hosts: [
      probed('i-0a1', 'manager-bound', '10.77.201.11'),
      probed('i-0a2', 'manager-wildcard', '10.77.201.12'),
      probed('i-0a3', 'worker-wildcard', '10.77.201.21'),
      probed('i-0a4', 'worker-bound', '10.77.201.22'),
      probed('i-0b1', 'manager-single-cluster-b', '10.77.201.31'),
      probed('i-0c1', 'swarm-inactive', '10.77.201.41'),
      probed('i-0d1', 'docker-down', '10.77.201.51'),
      {
        instance: instance('i-0e1', { reachable: false, unreachableReason: 'SSM agent ConnectionLost' }),
        probe: { ok: false, status: 'ERROR', message: 'not audited: SSM agent ConnectionLost' },
      },
    ],
    checks: [...allChecks],
    config: EMPTY_CONFIG,
    startedAt: STARTED,
    finishedAt: FINISHED,
  });
}

/** A fleet of `count` instances: one captured manager of cluster A and `count - 1` copies of its wildcard worker. */
export function largeFleetReport(count: number): AuditReport {
  const manager = loadFacts('manager-bound');
  const worker = loadFacts('worker-wildcard');
  const hosts: HostInput[] = Array.from({ length: count }, (_, i) => ({
    instance: instance(`i-${i.toString(16).padStart(17, '0')}`, { privateIp: `10.78.${i >> 8}.${i & 255}` }),
    probe: { ok: true as const, facts: i === 0 ? manager : worker },
  }));
  return evaluateFleet({ hosts, checks: [...allChecks], config: EMPTY_CONFIG, startedAt: STARTED, finishedAt: FINISHED });
}

const HOSTILE = 'x</testcase><script>&amp; | pipe\nnew line\r\u001b[31mred\u0000 "q" \'a\' *b* [l](u)';

/** A report whose every free-text field is hostile, one result per status. */
export function hostileReport(): AuditReport {
  const statuses = ['PASS', 'FAIL', 'WARN', 'ERROR', 'NOT_APPLICABLE'] as const;
  return {
    schemaVersion: '1.0',
    startedAt: '2026-11-23T10:00:00.000Z',
    finishedAt: '2026-11-23T10:01:00.000Z',
    durationMs: 60_000,
    summary: { PASS: 1, FAIL: 1, WARN: 1, ERROR: 1, NOT_APPLICABLE: 1, instances: 1, clusters: 1 },
    checks: [
      {
        id: 'swarm-published-ports',
        title: 'Published ports',
        severity: 'medium',
        scope: 'cluster',
        remediable: false,
        description: HOSTILE,
      },
    ],
    instances: [{ instanceId: 'i-1', name: HOSTILE, reachable: true, error: HOSTILE }],
    results: statuses.map((status, index) => ({
      checkId: 'swarm-published-ports',
      status,
      severity: 'medium' as const,
      instanceId: 'i-1',
      clusterId: 'c1',
      resource: { type: 'service' as const, id: `svc${index}`, name: HOSTILE },
      message: HOSTILE,
      evidence: { z: 1, a: { y: HOSTILE, b: 2 } },
    })),
  };
}
