/**
 * Maps an audit report to AWS Systems Manager Compliance items, one set per
 * instance, so a scheduled audit shows up in the SSM Compliance console next
 * to patching. COMPLIANT only for what the exit code also accepts: ERROR is
 * never COMPLIANT (nothing undecided may look like a pass); NOT_APPLICABLE
 * results are left out (Compliance has no such status).
 */
import { createHash } from 'node:crypto';
import type { ComplianceItemEntry } from '@aws-sdk/client-ssm';
import { AWS_SEVERITY_LABEL } from '../checks/aws-severity.js';
import type { Finding } from '../checks/types.js';
import type { FailOn } from '../engine/exit-code.js';

export const COMPLIANCE_TYPE = 'Custom:SwarmAudit';

const MAX_ID = 100;
const MAX_TITLE = 500;
const MAX_DETAIL = 4096;

/** instanceId -> items, for every finding that is not NOT_APPLICABLE. */
export function complianceItemsByInstance(results: readonly Finding[], failOn: FailOn): Map<string, ComplianceItemEntry[]> {
  const byInstance = new Map<string, ComplianceItemEntry[]>();
  for (const finding of results) {
    if (finding.status === 'NOT_APPLICABLE') continue;
    const items = byInstance.get(finding.instanceId) ?? [];
    items.push(complianceItemOf(finding, failOn));
    byInstance.set(finding.instanceId, items);
  }
  return byInstance;
}

export function complianceItemOf(finding: Finding, failOn: FailOn): ComplianceItemEntry {
  const nonCompliant = finding.status === 'FAIL' || finding.status === 'ERROR' || (finding.status === 'WARN' && failOn === 'warn');
  const resource = finding.resource.name ? `${finding.resource.type} ${finding.resource.name}` : `${finding.resource.type} ${finding.resource.id}`;
  return {
    Id: itemId(finding),
    Title: clip(`${finding.checkId} ${finding.status}: ${resource}`, MAX_TITLE),
    Severity: finding.status === 'ERROR' ? 'UNSPECIFIED' : AWS_SEVERITY_LABEL[finding.severity],
    Status: nonCompliant ? 'NON_COMPLIANT' : 'COMPLIANT',
    Details: {
      CheckId: finding.checkId,
      Result: finding.status,
      Resource: clip(`${finding.resource.type}/${finding.resource.id}`, MAX_DETAIL),
      ...(finding.clusterId ? { ClusterId: finding.clusterId } : {}),
      Message: clip(finding.message, MAX_DETAIL),
    },
  };
}

/** Stable across runs for the same check and resource, so COMPLETE uploads replace rather than pile up. */
function itemId(finding: Finding): string {
  const id = `${finding.checkId}/${finding.resource.type}/${finding.resource.id}`;
  if (id.length <= MAX_ID) return id;
  const digest = createHash('sha256').update(id).digest('hex').slice(0, 16);
  return `${id.slice(0, MAX_ID - digest.length - 1)}~${digest}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
