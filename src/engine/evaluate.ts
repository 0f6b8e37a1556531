/**
 * The evaluation engine: hosts with probe results -> per-cluster view ->
 * findings -> report. Pure: no I/O, no clock (times come in).
 */
import { reportedCheck } from '../catalog/check-catalog.js';
import { runClusterCheck, runNodeCheck, unavailableRead } from '../checks/run-check.js';
import type {
  AuditConfig,
  AuditedHost,
  Check,
  CheckMeta,
  CheckResult,
  ClusterCheck,
  Finding,
  NodeCheck,
  Resource,
} from '../checks/types.js';
import type { FleetInstance } from '../fleet/instance.js';
import type { HostFacts } from '../probe/facts.js';
import { addressHost, groupClusters, type ClusterGroup, type OrphanGroup } from './cluster-membership.js';
import { compareFindings } from './finding-order.js';
import type { HostInput } from './host-input.js';
import { instanceReportOf } from './instance-report.js';
import { chooseClusterManager } from './manager-choice.js';
import { probeFailureOf, type ProbeFailure } from '../probe/applicability.js';
import { REPORT_SCHEMA_VERSION, type AuditReport } from './report-model.js';
import { countStatuses } from './summary.js';

export interface EvaluateFleetInput {
  hosts: HostInput[];
  checks: readonly Check[];
  /** Options per check id (validated by src/cli/audit-config.ts); a check absent from it runs with its defaults. */
  config: AuditConfig;
  startedAt: Date;
  finishedAt: Date;
}

interface UnauditedHost {
  host: HostInput;
  facts?: HostFacts;
  failure: ProbeFailure;
}

export function evaluateFleet(input: EvaluateFleetInput): AuditReport {
  const audited: AuditedHost[] = [];
  const unaudited: UnauditedHost[] = [];
  for (const host of input.hosts) {
    if (!host.probe.ok) {
      unaudited.push({ host, failure: { status: host.probe.status, message: host.probe.message } });
      continue;
    }
    const failure = probeFailureOf(host.probe.facts);
    if (failure) unaudited.push({ host, facts: host.probe.facts, failure });
    else audited.push({ instance: host.instance, facts: host.probe.facts });
  }
  const fleet = groupClusters(
    audited,
    unaudited.map((u) => ({ instance: u.host.instance, facts: u.facts })),
  );
  const nodeChecks = input.checks.filter((c): c is NodeCheck => c.meta.scope === 'node');
  const clusterChecks = input.checks.filter((c): c is ClusterCheck => c.meta.scope === 'cluster');

  const findings: Finding[] = [
    ...unaudited.flatMap((u) => unauditedFindings(u, input.checks, fleet.clusterOf.get(u.host.instance.instanceId))),
    ...audited.flatMap((host) =>
      nodeChecks.flatMap((check) =>
        toFindings(check.meta, host.instance.instanceId, fleet.clusterOf.get(host.instance.instanceId), nodeResource(host.instance), () =>
          runNodeCheck(check, host, input.config, nodeResource(host.instance)),
        ),
      ),
    ),
    ...fleet.clusters.flatMap((cluster) => clusterFindings(cluster, clusterChecks, input.config)),
    ...fleet.orphans.flatMap((orphan) => orphanFindings(orphan, clusterChecks, unaudited)),
  ].sort(compareFindings(input.checks.map((c) => c.meta.id)));

  const failures = new Map(unaudited.map((u) => [u.host.instance.instanceId, u.failure.message]));
  const instances = [...input.hosts]
    .sort((a, b) => (a.instance.instanceId < b.instance.instanceId ? -1 : a.instance.instanceId > b.instance.instanceId ? 1 : 0))
    .map((host) =>
      instanceReportOf(host, fleet.clusterOf.get(host.instance.instanceId), failures.get(host.instance.instanceId)),
    );
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
    summary: { ...countStatuses(findings), instances: input.hosts.length, clusters: fleet.clusters.length },
    instances,
    results: findings,
    checks: input.checks.map(reportedCheck),
  };
}

function nodeResource(instance: FleetInstance): Resource {
  return instance.name === undefined
    ? { type: 'node', id: instance.instanceId }
    : { type: 'node', id: instance.instanceId, name: instance.name };
}

function unauditedFindings(u: UnauditedHost, checks: readonly Check[], clusterId: string | undefined): Finding[] {
  const { instance } = u.host;
  return checks.map((check) =>
    finding(check.meta, instance.instanceId, clusterId, {
      status: u.failure.status,
      resource: nodeResource(instance),
      message: u.failure.message,
    }),
  );
}

/**
 * Each cluster check runs from the leader, or from the first manager whose
 * probe collected every fact the check reads: a problem in a section only
 * other checks read does not move it.
 */
function clusterFindings(cluster: ClusterGroup, checks: ClusterCheck[], config: AuditConfig): Finding[] {
  const fallback: Resource = { type: 'cluster', id: cluster.clusterId };
  return checks.flatMap((check) => {
    const manager = chooseClusterManager(cluster.managers, (m) => unavailableRead(check.meta, m.facts) === undefined);
    const input = { clusterId: cluster.clusterId, manager, members: cluster.members };
    return toFindings(check.meta, manager.instance.instanceId, cluster.clusterId, fallback, () => runClusterCheck(check, input, config));
  });
}

function orphanFindings(orphan: OrphanGroup, checks: ClusterCheck[], unaudited: UnauditedHost[]): Finding[] {
  const reporter = orphan.workers[0]!;
  const managerHosts = new Set(
    (reporter.facts.swarm?.remoteManagers ?? []).map((r) => addressHost(r.addr)),
  );
  const known = unaudited
    .filter((u) => u.host.instance.privateIp && managerHosts.has(u.host.instance.privateIp))
    .map((u) => `${u.host.instance.instanceId}: ${u.failure.message}`);
  const why = known.length
    ? ` (manager ${known.join('; ')})`
    : ' (none of its managers is in the audited fleet, or they are not swarm managers)';
  const workers = orphan.workers.map((w) => w.instance.instanceId).join(', ');
  return checks.map((check) =>
    finding(check.meta, reporter.instance.instanceId, undefined, {
      status: 'ERROR',
      resource: { type: 'cluster', id: orphan.label },
      message: `no manager of cluster (${orphan.label}) could be audited${why}; cluster checks not evaluated for workers ${workers}`,
    }),
  );
}

/** Runs one check; a check that throws or returns nothing yields an ERROR instead of losing the resource. */
function toFindings(
  meta: CheckMeta,
  instanceId: string,
  clusterId: string | undefined,
  fallback: Resource,
  evaluate: () => CheckResult[],
): Finding[] {
  let results: CheckResult[];
  try {
    results = evaluate();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    results = [{ status: 'ERROR', resource: fallback, message: `check ${meta.id} failed unexpectedly: ${reason}` }];
  }
  if (results.length === 0) {
    results = [{ status: 'ERROR', resource: fallback, message: `check ${meta.id} returned no result` }];
  }
  return results.map((result) => finding(meta, instanceId, clusterId, result));
}

function finding(meta: CheckMeta, instanceId: string, clusterId: string | undefined, result: CheckResult): Finding {
  const out: Finding = {
    checkId: meta.id,
    status: result.status,
    severity: result.severity ?? meta.severity,
    instanceId,
    resource: result.resource,
    message: result.message,
  };
  if (clusterId !== undefined) out.clusterId = clusterId;
  if (result.evidence !== undefined) out.evidence = result.evidence;
  return out;
}
