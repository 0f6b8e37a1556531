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
import { addressHost, compareText, groupClusters, hostKey, scopeKey, type ClusterGroup, type OrphanGroup } from './cluster-membership.js';
import { compareFindings } from './finding-order.js';
import type { HostInput } from './host-input.js';
import { instanceReportOf } from './instance-report.js';
import { chooseClusterManager } from './manager-choice.js';
import { probeFailureOf, type ProbeFailure } from '../probe/applicability.js';
import { REPORT_SCHEMA_VERSION, type AuditReport, type ScopeOutcome, type ScopeReport } from './report-model.js';
import { summarize } from './summary.js';

export interface EvaluateFleetInput {
  hosts: HostInput[];
  checks: readonly Check[];
  /** Options per check id (validated by src/cli/audit-config.ts); a check absent from it runs with its defaults. */
  config: AuditConfig;
  startedAt: Date;
  finishedAt: Date;
  /** The scopes of the run (src/scope): each gets its own counts in report.scopes. Hosts carry their scope on the instance. */
  scopes?: readonly ScopeOutcome[];
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
    ...unaudited.flatMap((u) => unauditedFindings(u, input.checks, fleet.clusterOf.get(hostKey(u.host.instance)))),
    ...audited.flatMap((host) =>
      nodeChecks.flatMap((check) =>
        toFindings(check.meta, host.instance, fleet.clusterOf.get(hostKey(host.instance)), nodeResource(host.instance), () =>
          runNodeCheck(check, host, input.config, nodeResource(host.instance)),
        ),
      ),
    ),
    ...fleet.clusters.flatMap((cluster) => clusterFindings(cluster, clusterChecks, input.config)),
    ...fleet.orphans.flatMap((orphan) => orphanFindings(orphan, clusterChecks, unaudited)),
  ].sort(compareFindings(input.checks.map((c) => c.meta.id)));

  const failures = new Map(unaudited.map((u) => [hostKey(u.host.instance), u.failure.message]));
  const instances = [...input.hosts]
    .sort((a, b) => compareText(scopeKey(a.instance), scopeKey(b.instance)) || compareText(a.instance.instanceId, b.instance.instanceId))
    .map((host) => instanceReportOf(host, fleet.clusterOf.get(hostKey(host.instance)), failures.get(hostKey(host.instance))));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
    summary: summarize({ findings, instances: input.hosts.length, clusters: fleet.clusters.length }),
    ...(input.scopes === undefined ? {} : { scopes: scopeReports(input.scopes, findings, input.hosts, fleet.clusters) }),
    instances,
    results: findings,
    checks: input.checks.map(reportedCheck),
  };
}

/** Each scope with the counts of its own findings, instances and clusters; a host outside every listed scope is a bug, not a gap. */
function scopeReports(scopes: readonly ScopeOutcome[], findings: Finding[], hosts: HostInput[], clusters: ClusterGroup[]): ScopeReport[] {
  const listed = new Set(scopes.map(scopeKey));
  const stray = hosts.find((h) => !listed.has(scopeKey(h.instance)));
  if (stray) throw new Error(`instance ${stray.instance.instanceId} belongs to no scope of the run (${scopeKey(stray.instance)})`);
  return [...scopes]
    .sort((a, b) => compareText(scopeKey(a), scopeKey(b)))
    .map((scope) => {
      const key = scopeKey(scope);
      return {
        ...scope,
        summary: summarize({
          findings: findings.filter((f) => scopeKey(f) === key),
          instances: hosts.filter((h) => scopeKey(h.instance) === key).length,
          clusters: clusters.filter((c) => scopeKey(c) === key).length,
        }),
      };
    });
}

function nodeResource(instance: FleetInstance): Resource {
  return instance.name === undefined
    ? { type: 'node', id: instance.instanceId }
    : { type: 'node', id: instance.instanceId, name: instance.name };
}

function unauditedFindings(u: UnauditedHost, checks: readonly Check[], clusterId: string | undefined): Finding[] {
  const { instance } = u.host;
  return checks.map((check) =>
    finding(check.meta, instance, clusterId, {
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
    return toFindings(check.meta, manager.instance, cluster.clusterId, fallback, () => runClusterCheck(check, input, config));
  });
}

function orphanFindings(orphan: OrphanGroup, checks: ClusterCheck[], unaudited: UnauditedHost[]): Finding[] {
  const reporter = orphan.workers[0];
  const managerHosts = new Set(
    (reporter.facts.swarm?.remoteManagers ?? []).map((r) => addressHost(r.addr)),
  );
  const known = unaudited
    .filter((u) => scopeKey(u.host.instance) === scopeKey(reporter.instance))
    .filter((u) => u.host.instance.privateIp && managerHosts.has(u.host.instance.privateIp))
    .map((u) => `${u.host.instance.instanceId}: ${u.failure.message}`);
  const why = known.length
    ? ` (manager ${known.join('; ')})`
    : ' (none of its managers is in the audited fleet, or they are not swarm managers)';
  const workers = orphan.workers.map((w) => w.instance.instanceId).join(', ');
  return checks.map((check) =>
    finding(check.meta, reporter.instance, undefined, {
      status: 'ERROR',
      resource: { type: 'cluster', id: orphan.label },
      message: `no manager of cluster (${orphan.label}) could be audited${why}; cluster checks not evaluated for workers ${workers}`,
    }),
  );
}

/** Runs one check; a check that throws or returns nothing yields an ERROR instead of losing the resource. */
function toFindings(
  meta: CheckMeta,
  instance: FleetInstance,
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
  return results.map((result) => finding(meta, instance, clusterId, result));
}

function finding(meta: CheckMeta, instance: FleetInstance, clusterId: string | undefined, result: CheckResult): Finding {
  const out: Finding = {
    checkId: meta.id,
    status: result.status,
    severity: result.severity ?? meta.severity,
    instanceId: instance.instanceId,
    resource: result.resource,
    message: result.message,
  };
  if (clusterId !== undefined) out.clusterId = clusterId;
  if (instance.accountId !== undefined) out.accountId = instance.accountId;
  if (instance.region !== undefined) out.region = instance.region;
  if (result.evidence !== undefined) out.evidence = result.evidence;
  return out;
}
