import type { Finding } from '../checks/types.js';
import type { AuditReport, InstanceReport, ReportedCheck } from '../engine/report-model.js';
import type { AuditTarget, ReportContext } from './context.js';

/**
 * The public JSON report (documents/report.schema.json), pretty-printed with
 * a stable key order (contract order for known objects, sorted keys inside
 * free-form evidence), so two runs over the same fleet diff cleanly. The
 * tool and the audit target come from the context: the engine never sees
 * the command line.
 */
export function formatJson(report: AuditReport, ctx: ReportContext): string {
  const ordered = {
    schemaVersion: report.schemaVersion,
    tool: { name: ctx.tool.name, version: ctx.tool.version },
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    durationMs: report.durationMs,
    target: orderTarget(ctx.target),
    summary: {
      PASS: report.summary.PASS,
      FAIL: report.summary.FAIL,
      WARN: report.summary.WARN,
      ERROR: report.summary.ERROR,
      NOT_APPLICABLE: report.summary.NOT_APPLICABLE,
      instances: report.summary.instances,
      clusters: report.summary.clusters,
    },
    checks: report.checks?.map(orderCheck),
    instances: report.instances.map(orderInstance),
    results: report.results.map(orderFinding),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function orderTarget(target: AuditTarget): object {
  return {
    regions: target.regions,
    accountId: target.accountId,
    tagQuery: {
      tags: target.tagQuery.tags.map((tag) => ({ key: tag.key, values: tag.values })),
      tagKeys: target.tagQuery.tagKeys,
    },
  };
}

function orderCheck(check: ReportedCheck): object {
  const { id, title, cis, severity, scope, remediable, description } = check;
  return { id, title, cis, severity, scope, remediable, description };
}

function orderInstance(instance: InstanceReport): object {
  const { instanceId, name, privateIp, reachable, swarm, engineVersion, error } = instance;
  const orderedSwarm = swarm && {
    state: swarm.state,
    role: swarm.role,
    clusterId: swarm.clusterId,
    nodeId: swarm.nodeId,
    nodeAddr: swarm.nodeAddr,
  };
  return { instanceId, name, privateIp, reachable, swarm: orderedSwarm, engineVersion, error };
}

function orderFinding(finding: Finding): object {
  const { checkId, status, severity, instanceId, clusterId, resource, message, evidence } = finding;
  return {
    checkId,
    status,
    severity,
    instanceId,
    clusterId,
    resource: { type: resource.type, id: resource.id, name: resource.name },
    message,
    evidence: evidence === undefined ? undefined : sortKeys(evidence),
  };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortKeys(inner)]));
}
