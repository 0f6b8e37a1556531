import type { Finding, Severity, Status } from '../checks/types.js';
import type { AuditReport, ReportedCheck } from '../engine/report-model.js';
import { findingIdentity, stableDigest } from './fingerprint.js';
import { checksOf, resourceLabel } from './labels.js';

/**
 * SARIF 2.1.0. There are no source files: each result carries a logical
 * location (cluster / instance / resource). Kinds follow the spec: PASS ->
 * pass, NOT_APPLICABLE -> notApplicable, ERROR -> open (the tool could not
 * decide), FAIL -> fail with a level from the severity, WARN -> fail with
 * level "warning" so code-scanning UIs show it (kind "review" would force
 * level "none" and hide it).
 */
export function formatSarif(report: AuditReport): string {
  const checks = checksOf(report);
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'swarm-audit',
            informationUri: 'https://www.cisecurity.org/benchmark/docker',
            rules: checks.map(ruleOf),
          },
        },
        invocations: [
          {
            executionSuccessful: report.summary.ERROR === 0,
            startTimeUtc: report.startedAt,
            endTimeUtc: report.finishedAt,
          },
        ],
        results: report.results.map((finding) => resultOf(finding, checks)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleOf(check: ReportedCheck): object {
  return {
    id: check.id,
    name: check.id,
    shortDescription: { text: check.title },
    fullDescription: { text: check.description },
    defaultConfiguration: { level: levelOf(check.severity) },
    properties: {
      ...(check.cis ? { cis: `CIS Docker Benchmark ${check.cis}` } : {}),
      severity: check.severity,
      scope: check.scope,
      remediable: check.remediable,
      tags: ['security', 'docker', 'swarm', ...(check.cis ? ['cis'] : [])],
    },
  };
}

const KIND: Record<Status, string> = {
  PASS: 'pass',
  FAIL: 'fail',
  WARN: 'fail',
  ERROR: 'open',
  NOT_APPLICABLE: 'notApplicable',
};

function levelOf(severity: Severity): 'error' | 'warning' | 'note' {
  if (severity === 'critical' || severity === 'high') return 'error';
  if (severity === 'medium') return 'warning';
  return 'note';
}

function resultLevel(finding: Finding): string {
  if (finding.status === 'FAIL') return levelOf(finding.severity);
  if (finding.status === 'WARN') return 'warning';
  return 'none';
}

function resultOf(finding: Finding, checks: ReportedCheck[]): object {
  const { clusterId, instanceId, resource } = finding;
  const path = [clusterId ?? '(no cluster)', instanceId, `${resource.type}:${resource.id}`];
  return {
    ruleId: finding.checkId,
    ruleIndex: checks.findIndex((check) => check.id === finding.checkId),
    kind: KIND[finding.status],
    level: resultLevel(finding),
    message: { text: `${resourceLabel(finding)}: ${finding.message}` },
    locations: [
      {
        logicalLocations: [
          { name: resource.id, fullyQualifiedName: path.join('/'), kind: resource.type },
        ],
      },
    ],
    partialFingerprints: {
      'swarmAuditResource/v1': stableDigest(findingIdentity(finding, checks)),
    },
    properties: {
      status: finding.status,
      severity: finding.severity,
      instanceId,
      ...(clusterId ? { clusterId } : {}),
      ...(finding.evidence ? { evidence: finding.evidence } : {}),
    },
  };
}
