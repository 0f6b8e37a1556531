import { AWS_SEVERITY_LABEL } from '../checks/aws-severity.js';
import type { AwsSecurityFinding, ComplianceStatus } from '../aws/securityhub-api.js';
import type { Finding, Status } from '../checks/types.js';
import type { AuditReport, ReportedCheck } from '../engine/report-model.js';
import { UsageError } from '../errors.js';
import type { AuditTarget, ReportContext } from './context.js';
import { findingIdentity, stableDigest } from './fingerprint.js';
import { checksOf, resourceLabel } from './labels.js';

interface AsffOptions {
  accountId: string;
  region: string;
}

/** One ASFF finding as BatchImportFindings takes it. */
export type AsffFinding = AwsSecurityFinding & { Id: string; ProductArn: string };

/**
 * AWS Security Hub findings (ASFF 2018-10-08), ready for BatchImportFindings
 * in chunks of 100. Ids are deterministic (account, region, check, cluster,
 * node, resource), and passes are included as PASSED + ARCHIVED, so
 * re-importing a fixed finding closes it. Needs the account id and exactly
 * one region in the context, or (a run of several scopes) each finding's own.
 */
export function formatAsff(report: AuditReport, ctx: Pick<ReportContext, 'target'>): string {
  return `${JSON.stringify(asffFindings(report, ctx.target), null, 2)}\n`;
}

/** Each result of the report as one ASFF finding, in the report's order. */
export function asffFindings(report: AuditReport, target: AuditTarget): AsffFinding[] {
  assertAsffTarget(target);
  const checks = checksOf(report);
  return report.results.map((f) => asffFinding(f, checks, report, findingScope(f, target)));
}

/** Throws the UsageError formatAsff would, so the CLI can fail before the audit runs. */
export function assertAsffTarget(target: AuditTarget): void {
  if (target.scopes === undefined) asffOptions(target);
  else for (const scope of target.scopes) asffOptions({ ...target, ...scope, regions: [scope.region] });
}

/** A finding of a run of several scopes names its own account and region; otherwise the target's one. */
function findingScope(finding: Finding, target: AuditTarget): AsffOptions {
  if (target.scopes === undefined) return asffOptions(target);
  return asffOptions({ ...target, accountId: finding.accountId, regions: finding.region === undefined ? [] : [finding.region] });
}

/** The product ARN Security Hub accepts for an account's own findings ("default" product). */
function defaultProductArn(region: string, accountId: string): string {
  return `arn:aws:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

function asffOptions({ accountId, regions }: AuditTarget): AsffOptions {
  if (accountId === undefined || !/^\d{12}$/.test(accountId)) {
    throw new UsageError(`ASFF needs a 12-digit AWS account id, got "${accountId ?? ''}"`, 'AsffAccountId');
  }
  const [region] = regions;
  if (regions.length !== 1 || region === undefined || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new UsageError(`ASFF needs exactly one AWS region, got "${regions.join(',')}"`, 'AsffRegion');
  }
  return { accountId, region };
}

const COMPLIANCE: Record<Status, ComplianceStatus> = {
  PASS: 'PASSED',
  FAIL: 'FAILED',
  WARN: 'WARNING',
  ERROR: 'NOT_AVAILABLE',
  NOT_APPLICABLE: 'NOT_AVAILABLE',
};

const MAX_TITLE = 256;
const MAX_DESCRIPTION = 1024;

/**
 * Nothing left to act on: a pass, or a control that does not apply (swarm
 * inactive...). Archiving under the same id closes the earlier FAIL.
 */
const ARCHIVED_STATUSES: ReadonlySet<Status> = new Set<Status>(['PASS', 'NOT_APPLICABLE']);

function asffFinding(finding: Finding, checks: ReportedCheck[], report: AuditReport, options: AsffOptions): AsffFinding {
  const { accountId, region } = options;
  const check = checks.find((c) => c.id === finding.checkId);
  const productArn = defaultProductArn(region, accountId);
  const digest = stableDigest([accountId, region, ...findingIdentity(finding, checks)]);
  const passing = finding.status === 'PASS' || finding.status === 'NOT_APPLICABLE';
  return {
    SchemaVersion: '2018-10-08',
    Id: `swarm-audit/${finding.checkId}/${digest}`,
    ProductArn: productArn,
    ProductName: 'swarm-audit',
    CompanyName: 'swarm-audit',
    GeneratorId: `swarm-audit/${finding.checkId}`,
    AwsAccountId: accountId,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards/CIS Host Hardening Benchmarks'],
    CreatedAt: report.finishedAt,
    UpdatedAt: report.finishedAt,
    Severity: { Label: passing ? 'INFORMATIONAL' : AWS_SEVERITY_LABEL[finding.severity], Original: finding.severity },
    Title: truncate(`${check?.title ?? finding.checkId}: ${resourceLabel(finding)}`, MAX_TITLE),
    Description: truncate(finding.message, MAX_DESCRIPTION),
    Resources: [
      {
        Type: 'AwsEc2Instance',
        Id: `arn:aws:ec2:${region}:${accountId}:instance/${finding.instanceId}`,
        Partition: 'aws',
        Region: region,
      },
      {
        Type: 'Other',
        Id: truncate(`${finding.clusterId ?? 'no-cluster'}/${finding.resource.type}/${finding.resource.id}`, 512),
        Partition: 'aws',
        Region: region,
      },
    ],
    Compliance: {
      Status: COMPLIANCE[finding.status],
      ...(check?.cis ? { RelatedRequirements: [`CIS Docker Benchmark v1.6 ${check.cis}`] } : {}),
    },
    RecordState: ARCHIVED_STATUSES.has(finding.status) ? 'ARCHIVED' : 'ACTIVE',
    ProductFields: productFields(finding),
  };
}

function productFields(finding: Finding): Record<string, string> {
  const fields: Record<string, string> = {
    'swarm-audit/status': finding.status,
    'swarm-audit/checkId': finding.checkId,
    'swarm-audit/instanceId': finding.instanceId,
    'swarm-audit/resourceType': finding.resource.type,
    'swarm-audit/resourceId': truncate(finding.resource.id, 1024),
  };
  if (finding.clusterId) fields['swarm-audit/clusterId'] = finding.clusterId;
  return fields;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
