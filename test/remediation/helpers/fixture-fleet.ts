/** The captured probe fixtures of one real cluster, decoded and audited by the real checks. */
import { readFileSync } from 'node:fs';
import type { AuditedHost, Finding } from '../../../src/checks/types.js';
import { allChecks } from '../../../src/checks/registry.js';
import { evaluateFleet } from '../../../src/engine/evaluate.js';
import type { FleetInstance } from '../../../src/fleet/instance.js';
import { decodeProbeOutput } from '../../../src/probe/decode.js';
import type { HostFacts } from '../../../src/probe/facts.js';

export const FIXTURE_NODES = [
  { fixture: 'manager-bound', instanceId: 'i-0000000000000a001', ip: '10.77.201.11' },
  { fixture: 'manager-wildcard', instanceId: 'i-0000000000000a002', ip: '10.77.201.12' },
  { fixture: 'worker-wildcard', instanceId: 'i-0000000000000a003', ip: '10.77.201.21' },
  { fixture: 'worker-bound', instanceId: 'i-0000000000000a004', ip: '10.77.201.22' },
] as const;

export function loadFacts(fixture: string): HostFacts {
  const r = decodeProbeOutput(readFileSync(`test/fixtures/probe/${fixture}.stdout`, 'utf8'));
  if (!r.ok) throw new Error(`fixture ${fixture} does not decode: ${r.message}`);
  return r.facts;
}

export function instance(instanceId: string, privateIp: string): FleetInstance {
  return {
    instanceId,
    privateIp,
    state: 'running',
    tags: { Swarm: 'prod' },
    securityGroups: [{ groupId: 'sg-1' }],
    agent: { managed: true, pingStatus: 'Online', platformType: 'Linux' },
    reachable: true,
  };
}

export function fixtureFleet(nodes: readonly { fixture: string; instanceId: string; ip: string }[] = FIXTURE_NODES): {
  hosts: AuditedHost[];
  findings: Finding[];
} {
  const hosts = nodes.map((n) => ({ instance: instance(n.instanceId, n.ip), facts: loadFacts(n.fixture) }));
  const report = evaluateFleet({
    hosts: hosts.map((h) => ({ instance: h.instance, probe: { ok: true as const, facts: h.facts } })),
    checks: [...allChecks],
    config: { checks: {} },
    startedAt: new Date(0),
    finishedAt: new Date(0),
  });
  return { hosts, findings: report.results };
}
