import { allChecks } from '../../src/checks/registry.js';
import { evaluateFleet } from '../../src/engine/evaluate.js';
import type { AuditReport } from '../../src/engine/report-model.js';
import { EMPTY_CONFIG, instance, loadFacts } from '../checks/harness.js';

/** A real report: the captured cluster A plus an unreachable instance. */
export function fleetReport(): AuditReport {
  const probed = (id: string, fixture: string, privateIp: string) => ({
    instance: instance(id, { privateIp }),
    probe: { ok: true as const, facts: loadFacts(fixture) },
  });
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
    startedAt: new Date('2026-11-23T10:00:00Z'),
    finishedAt: new Date('2026-11-23T10:01:00Z'),
  });
}

export const HOSTILE = 'x</testcase><script>&amp; | pipe\nnew line\r\u001b[31mred\u0000 "q" \'a\' *b* [l](u)';

/** A report whose every free-text field is hostile, one result per status. */
export function hostileReport(): AuditReport {
  const statuses = ['PASS', 'FAIL', 'WARN', 'ERROR', 'NOT_APPLICABLE'] as const;
  return {
    schemaVersion: '1.0',
    startedAt: '2026-11-23T10:00:00.000Z',
    finishedAt: '2026-11-23T10:01:00.000Z',
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
