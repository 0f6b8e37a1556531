import { swarmRoleOf } from '../checks/swarm-role.js';
import type { HostFacts } from '../probe/facts.js';
import type { HostInput } from './host-input.js';
import type { InstanceReport } from './report-model.js';

/** The per-instance part of the report: identity, swarm role and why it was not (fully) audited. */
export function instanceReportOf(host: HostInput, clusterId: string | undefined, failure?: string): InstanceReport {
  const { instance } = host;
  const report: InstanceReport = { instanceId: instance.instanceId, reachable: instance.reachable };
  if (instance.accountId !== undefined) report.accountId = instance.accountId;
  if (instance.region !== undefined) report.region = instance.region;
  if (instance.name !== undefined) report.name = instance.name;
  if (instance.privateIp !== undefined) report.privateIp = instance.privateIp;
  const facts = host.probe.ok ? host.probe.facts : undefined;
  if (facts?.swarm) report.swarm = swarmSummary(facts, clusterId);
  if (facts?.docker.serverVersion) report.engineVersion = facts.docker.serverVersion;
  const error = host.probe.ok ? (failure ?? problemsOf(facts!)) : host.probe.message;
  if (error) report.error = error;
  return report;
}

function swarmSummary(facts: HostFacts, clusterId: string | undefined): NonNullable<InstanceReport['swarm']> {
  const swarm = facts.swarm!;
  const summary: NonNullable<InstanceReport['swarm']> = { state: swarm.localNodeState, role: swarmRoleOf(facts) };
  const cluster = clusterId ?? swarm.clusterId;
  if (cluster) summary.clusterId = cluster;
  if (swarm.nodeId) summary.nodeId = swarm.nodeId;
  if (swarm.nodeAddr) summary.nodeAddr = swarm.nodeAddr;
  return summary;
}

function problemsOf(facts: HostFacts): string | undefined {
  if (facts.problems.length === 0) return undefined;
  const list = facts.problems.map((p) => `${p.section} (${p.message})`).join('; ');
  return `probe sections not collected: ${list}`;
}
