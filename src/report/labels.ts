import type { Finding } from '../checks/types.js';
import type { AuditReport, ReportedCheck } from '../engine/report-model.js';

/** "cluster abc / i-123" or "i-123": where a finding was observed. */
export function whereOf(finding: Finding): string {
  return finding.clusterId ? `${finding.clusterId} / ${finding.instanceId}` : finding.instanceId;
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

export function checkOf(report: AuditReport, checkId: string): ReportedCheck | undefined {
  return report.checks?.find((check) => check.id === checkId);
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
