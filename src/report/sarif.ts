import type { Invocation, Location, Log, Notification, ReportingDescriptor, Result } from 'sarif';
import type { Finding, Severity } from '../checks/types.js';
import type { AuditReport, ReportedCheck } from '../engine/report-model.js';
import type { ReportContext } from './context.js';
import { findingIdentity, stableDigest } from './fingerprint.js';
import { checksOf, failedScopes, resourceLabel, scopeLabel, spansScopes } from './labels.js';
import { resourcePath } from './resource-path.js';
import { CODE_SCANNING_MAX_RESULTS, mostSevere } from './sarif-limit.js';

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF readers.
 *
 * - FAIL and WARN are results (kind "fail"); FAIL's level follows the
 *   severity, WARN is level "warning".
 * - ERROR (could not decide) is a tool execution notification, not a finding.
 * - PASS and NOT_APPLICABLE are counted in run.properties.summary, not
 *   listed: code scanning closes an alert when its result is absent from the
 *   next upload, and documents no `kind`, so a listed pass could open one.
 * - Every result has a physical location: a stable pseudo-path per resource,
 *   `swarm/<cluster>/[node/<instance>/]<type>/<id>` (see resource-path.ts),
 *   line 1, plus a partial fingerprint from the same identity as ASFF ids.
 * - A report of several scopes (accounts, regions) puts the scope in the
 *   pseudo-path, the logical location and the fingerprint (the same cluster
 *   may exist in two regions); a scope that could not be audited is an error
 *   notification and makes executionSuccessful false.
 * - Past code scanning's 25,000 results per run (it rejects the whole file)
 *   the least severe are left out, and a warning notification says how many.
 */
export function formatSarif(report: AuditReport, ctx: Pick<ReportContext, 'tool'>): string {
  const checks = checksOf(report);
  const ruleIndex = new Map(checks.map((check, index) => [check.id, index]));
  const withScope = spansScopes(report);
  const located = (finding: Finding) => ({ finding, ruleIndex: ruleIndex.get(finding.checkId)!, checks, withScope });
  const listed = report.results.filter((f) => f.status === 'FAIL' || f.status === 'WARN');
  const { kept, leftOut } = mostSevere(listed, CODE_SCANNING_MAX_RESULTS);
  const notifications = [
    ...report.results.filter((f) => f.status === 'ERROR').map((f) => notificationOf(located(f))),
    ...failedScopes(report).map(scopeNotification),
    ...(leftOut > 0 ? [leftOutNotification(leftOut, listed.length)] : []),
  ];
  const results = kept.map((f) => resultOf(located(f)));
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: ctx.tool.name,
            version: ctx.tool.version,
            semanticVersion: ctx.tool.version,
            informationUri: ctx.tool.informationUri,
            rules: checks.map(ruleOf),
          },
        },
        invocations: [invocationOf(report, notifications)],
        results,
        properties: { summary: { ...report.summary }, ...(report.scopes ? { scopes: report.scopes } : {}) },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** GitHub's bands: critical above 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
  info: '0.1',
};

function ruleOf(check: ReportedCheck): ReportingDescriptor {
  const cis = check.cis ? `CIS Docker Benchmark ${check.cis}` : undefined;
  const fix = check.remediable
    ? 'swarm-audit remediate plans a fix for it (reviewed before it is applied).'
    : 'Fix it by hand; swarm-audit does not remediate this check.';
  return {
    id: check.id,
    name: pascalCase(check.id),
    shortDescription: { text: check.title },
    fullDescription: { text: check.description },
    help: {
      text: [check.description, cis, fix].filter(Boolean).join('\n\n'),
      markdown: [`**${check.title}**`, check.description, cis && `Control: ${cis}.`, fix].filter(Boolean).join('\n\n'),
    },
    defaultConfiguration: { level: levelOf(check.severity) },
    properties: {
      'security-severity': SECURITY_SEVERITY[check.severity],
      tags: ['security', 'docker', 'swarm', ...(check.cis ? ['cis', `cis-${check.cis}`] : [])],
      precision: 'very-high',
      ...(cis ? { cis } : {}),
      severity: check.severity,
      scope: check.scope,
      remediable: check.remediable,
    },
  };
}

/** SARIF wants a rule's name (for people) to differ from its id: "swarm-listen-address" -> "SwarmListenAddress". */
function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, letter: string) => letter.toUpperCase());
}

function levelOf(severity: Severity): 'error' | 'warning' | 'note' {
  if (severity === 'critical' || severity === 'high') return 'error';
  if (severity === 'medium') return 'warning';
  return 'note';
}

/** executionSuccessful is false when something could not be decided (ERROR): the audit is incomplete. */
function invocationOf(report: AuditReport, notifications: Notification[]): Invocation {
  return {
    executionSuccessful: report.summary.ERROR === 0 && failedScopes(report).length === 0,
    startTimeUtc: report.startedAt,
    endTimeUtc: report.finishedAt,
    ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
  };
}

interface Located {
  finding: Finding;
  ruleIndex: number;
  checks: readonly ReportedCheck[];
  /** The report spans several scopes: name each resource's. */
  withScope: boolean;
}

function resultOf({ finding, ruleIndex, checks, withScope }: Located): Result {
  return {
    ruleId: finding.checkId,
    ruleIndex,
    kind: 'fail',
    level: finding.status === 'WARN' ? 'warning' : levelOf(finding.severity),
    message: { text: messageOf(finding) },
    locations: [locationOf(finding, checks, withScope)],
    partialFingerprints: {
      // single-scope fingerprints stay what they were: code scanning keeps its alerts
      'swarmAuditResource/v1': stableDigest(withScope ? [finding.accountId, finding.region, ...findingIdentity(finding, checks)] : findingIdentity(finding, checks)),
    },
    properties: propertiesOf(finding),
  };
}

function notificationOf({ finding, ruleIndex, checks, withScope }: Located): Notification {
  return {
    level: 'error',
    message: { text: messageOf(finding) },
    locations: [locationOf(finding, checks, withScope)],
    associatedRule: { id: finding.checkId, index: ruleIndex },
    properties: propertiesOf(finding),
  };
}

function scopeNotification(scope: ReturnType<typeof failedScopes>[number]): Notification {
  return {
    level: 'error',
    message: { text: `scope ${scopeLabel(scope) ?? scope.region} not audited: ${scope.cause ?? 'unknown cause'}` },
    descriptor: { id: 'scope-not-audited' },
    properties: { ...scope },
  };
}

function leftOutNotification(leftOut: number, total: number): Notification {
  return {
    level: 'warning',
    message: {
      text:
        `${leftOut} of ${total} FAIL and WARN results left out, the least severe: code scanning rejects a run ` +
        `with more than ${CODE_SCANNING_MAX_RESULTS} results. The JSON report lists every result.`,
    },
    descriptor: { id: 'results-left-out' },
  };
}

function messageOf(finding: Finding): string {
  return `${finding.status}: ${resourceLabel(finding)}: ${finding.message}`;
}

function locationOf(finding: Finding, checks: readonly ReportedCheck[], withScope: boolean): Location {
  const { clusterId, instanceId, resource } = finding;
  const scope = withScope ? [scopeLabel(finding) ?? '(no scope)'] : [];
  return {
    physicalLocation: {
      artifactLocation: { uri: resourcePath(finding, checks, withScope) },
      region: { startLine: 1 },
    },
    logicalLocations: [
      {
        name: resource.id,
        fullyQualifiedName: [...scope, clusterId ?? '(no cluster)', instanceId, `${resource.type}:${resource.id}`].join('/'),
        kind: resource.type,
      },
    ],
  };
}

function propertiesOf(finding: Finding): Record<string, unknown> {
  const { status, severity, instanceId, accountId, region, clusterId, evidence } = finding;
  return {
    status,
    severity,
    instanceId,
    ...(accountId ? { accountId } : {}),
    ...(region ? { region } : {}),
    ...(clusterId ? { clusterId } : {}),
    ...(evidence ? { evidence } : {}),
  };
}
