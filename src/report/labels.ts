import type { Finding } from '../checks/types.js';
import type { AuditReport, ReportedCheck } from '../engine/report-model.js';

/** "cluster abc / i-123" or "i-123": where a finding was observed; prefixed with its scope ("111111111111/eu-west-1 / ...") when asked. */
export function whereOf(finding: Finding, withScope = false): string {
  const where = finding.clusterId ? `${finding.clusterId} / ${finding.instanceId}` : finding.instanceId;
  const scope = withScope ? scopeLabel(finding) : undefined;
  return scope ? `${scope} / ${where}` : where;
}

/** "111111111111/eu-west-1" (or just the region when the account is unknown); undefined for a finding without scope. */
export function scopeLabel(item: { accountId?: string; region?: string }): string | undefined {
  const parts = [item.accountId, item.region].filter((p): p is string => p !== undefined);
  return parts.length ? parts.join('/') : undefined;
}

/**
 * A report of several scopes (accounts, regions) names each resource's scope
 * where it names the resource: the same instance or cluster id may exist in
 * two of them. A report of one scope reads as it always did.
 */
export function spansScopes(report: AuditReport): boolean {
  return (report.scopes?.length ?? 0) > 1;
}

/** The scopes that could not be audited, with their cause. */
export function failedScopes(report: AuditReport): NonNullable<AuditReport['scopes']> {
  return (report.scopes ?? []).filter((scope) => scope.status === 'ERROR');
}

/** "i-0abc prod-manager-1": the instance id first (what the AWS tools take), then its Name tag when it has one. */
export function instanceLabel(instanceId: string, name?: string): string {
  return name ? `${instanceId} ${name}` : instanceId;
}

/** "listener 7946/udp (0.0.0.0:7946/udp)". */
export function resourceLabel(finding: Finding): string {
  const { type, id, name } = finding.resource;
  return name && name !== id ? `${type} ${id} (${name})` : `${type} ${id}`;
}

/** The checks of a report: its metadata, plus a minimal entry for any check seen only in the results. */
export function checksOf(report: AuditReport): ReportedCheck[] {
  const described = report.checks ?? [];
  const known = new Set(described.map((check) => check.id));
  const firstOfEach = new Map<string, Finding>();
  for (const result of report.results) {
    if (!known.has(result.checkId) && !firstOfEach.has(result.checkId)) firstOfEach.set(result.checkId, result);
  }
  return [...described, ...[...firstOfEach.values()].map(minimalCheck)];
}

function minimalCheck(first: Finding): ReportedCheck {
  return {
    id: first.checkId,
    title: first.checkId,
    severity: first.severity,
    scope: first.clusterId && first.resource.type !== 'node' && first.resource.type !== 'listener' ? 'cluster' : 'node',
    remediable: false,
    description: first.checkId,
  };
}
