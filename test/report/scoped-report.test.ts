/**
 * A report over several scopes (accounts, regions): the same captured
 * cluster in two regions of one account and in a second account, plus a
 * scope whose role could not be assumed. Golden files show what each format
 * names; the JSON is checked against documents/report.schema.json.
 */
import { describe, expect, it } from '@jest/globals';
import { allChecks } from '../../src/checks/registry.js';
import { evaluateFleet } from '../../src/engine/evaluate.js';
import { exitCodeFor } from '../../src/engine/exit-code.js';
import type { HostInput } from '../../src/engine/host-input.js';
import type { AuditReport, ScopeOutcome } from '../../src/engine/report-model.js';
import { asffFindings } from '../../src/report/asff.js';
import { formatJson } from '../../src/report/json.js';
import { formatJunit } from '../../src/report/junit.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { formatSarif } from '../../src/report/sarif.js';
import { formatTable } from '../../src/report/table.js';
import { EMPTY_CONFIG, instance, loadFacts } from '../checks/harness.js';
import { reportSchemaProblems } from './consumer-rules.js';
import { golden } from './golden.js';
import { TEST_CONTEXT } from './sample-reports.js';

const A = '111111111111';
const B = '222222222222';
const DENIED = '333333333333';
const CAUSE = `cannot assume arn:aws:iam::${DENIED}:role/SwarmAudit: AccessDenied: User: arn:aws:iam::999999999999:user/ci is not authorized to perform: sts:AssumeRole`;

const SCOPES: ScopeOutcome[] = [
  { accountId: A, region: 'eu-west-1', roleArn: `arn:aws:iam::${A}:role/SwarmAudit`, status: 'OK' },
  { accountId: A, region: 'us-east-1', roleArn: `arn:aws:iam::${A}:role/SwarmAudit`, status: 'OK' },
  { accountId: B, region: 'eu-west-1', roleArn: `arn:aws:iam::${B}:role/SwarmAudit`, status: 'OK' },
  { accountId: DENIED, region: 'eu-west-1', roleArn: `arn:aws:iam::${DENIED}:role/SwarmAudit`, status: 'ERROR', cause: CAUSE },
];

/** Manager and worker of the captured cluster A, with the same instance ids in every scope (as a sandbox may have). */
function scopeHosts(accountId: string, region: string): HostInput[] {
  const host = (id: string, fixture: string, privateIp: string): HostInput => ({
    instance: instance(id, { privateIp, accountId, region }),
    probe: { ok: true, facts: loadFacts(fixture) },
  });
  return [host('i-0a1', 'manager-bound', '10.77.201.11'), host('i-0a2', 'worker-bound', '10.77.201.22')];
}

function scopedReport(scopes = SCOPES): AuditReport {
  return evaluateFleet({
    hosts: scopes.filter((s) => s.status === 'OK').flatMap((s) => scopeHosts(s.accountId!, s.region)),
    checks: [...allChecks],
    config: EMPTY_CONFIG,
    startedAt: new Date('2026-11-23T10:00:00Z'),
    finishedAt: new Date('2026-11-23T10:01:00Z'),
    scopes,
  });
}

const CONTEXT = { ...TEST_CONTEXT, target: { ...TEST_CONTEXT.target, regions: ['eu-west-1', 'us-east-1'], accountId: undefined, scopes: SCOPES } };

describe('a report over several scopes', () => {
  const report = scopedReport();

  it('groups clusters within each scope: the same cluster id in three scopes is three clusters', () => {
    expect(report.summary.clusters).toBe(3);
    expect(report.summary.instances).toBe(6);
    expect(report.scopes!.map((s) => [s.accountId, s.region, s.status, s.summary.instances, s.summary.clusters])).toEqual([
      [A, 'eu-west-1', 'OK', 2, 1],
      [A, 'us-east-1', 'OK', 2, 1],
      [B, 'eu-west-1', 'OK', 2, 1],
      [DENIED, 'eu-west-1', 'ERROR', 0, 0],
    ]);
    // the cluster-scoped results ran once per scope, each reported from its own scope's manager
    const overlay = report.results.filter((f) => f.checkId === 'overlay-encryption');
    expect(new Set(overlay.map((f) => `${f.accountId}/${f.region}`)).size).toBe(3);
  });

  it('fails before the fix: without scopes, the same hosts merge into one cluster', () => {
    const unscoped = evaluateFleet({
      hosts: SCOPES.slice(0, 3)
        .flatMap((s) => scopeHosts(s.accountId!, s.region))
        .map((h) => ({ ...h, instance: { ...h.instance, accountId: undefined, region: undefined } })),
      checks: [...allChecks],
      config: EMPTY_CONFIG,
      startedAt: new Date(),
      finishedAt: new Date(),
    });
    expect(unscoped.summary.clusters).toBe(1);
  });

  it('each scope counts its own results, and the counts add up', () => {
    for (const key of ['PASS', 'FAIL', 'WARN', 'ERROR', 'NOT_APPLICABLE', 'instances', 'clusters'] as const) {
      expect(report.scopes!.reduce((sum, s) => sum + s.summary[key], 0)).toBe(report.summary[key]);
    }
  });

  it('a scope that could not be audited makes the run incomplete (exit 2) unless something failed', () => {
    expect(exitCodeFor({ ...report, summary: { ...report.summary, FAIL: 0 } }, 'fail')).toBe(2);
    expect(exitCodeFor(report, 'fail')).toBe(report.summary.FAIL > 0 ? 1 : 2);
    const allOk = scopedReport(SCOPES.slice(0, 3));
    expect(exitCodeFor({ ...allOk, summary: { ...allOk.summary, FAIL: 0, WARN: 0, ERROR: 0 } }, 'fail')).toBe(0);
  });

  it('JSON: every instance and result carries its account and region; valid against the schema; golden', () => {
    const text = formatJson(report, CONTEXT);
    const parsed = JSON.parse(text) as AuditReport;
    expect(reportSchemaProblems(parsed)).toEqual([]);
    expect(parsed.instances.every((i) => i.accountId && i.region)).toBe(true);
    expect(parsed.results.every((f) => f.accountId && f.region)).toBe(true);
    expect(parsed.scopes![3]).toEqual({ accountId: DENIED, region: 'eu-west-1', roleArn: SCOPES[3].roleArn, status: 'ERROR', cause: CAUSE, summary: expect.any(Object) });
    expect(text).toBe(golden('scoped.json', text));
  });

  it('SARIF: the scope in the path, the logical location and the fingerprint; the failed scope is an error notification', () => {
    const text = formatSarif(report, CONTEXT);
    const run = JSON.parse(text).runs[0];
    const uris = new Set(run.results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri.split('/').slice(0, 3).join('/')));
    expect(uris).toEqual(new Set([`swarm/${A}/eu-west-1`, `swarm/${A}/us-east-1`, `swarm/${B}/eu-west-1`]));
    const fingerprints = run.results.map((r: any) => r.partialFingerprints['swarmAuditResource/v1']);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications.some((n: any) => n.message.text === `scope ${DENIED}/eu-west-1 not audited: ${CAUSE}`)).toBe(true);
    expect(text).toBe(golden('scoped.sarif', text));
  });

  it('JUnit: the scope in the classname; the failed scope is an error testcase', () => {
    const text = formatJunit(report, CONTEXT);
    expect(text).toContain(`classname="swarm-listen-address.${A}/us-east-1 / `);
    expect(text).toMatch(new RegExp(`<testcase classname="scope" name="${DENIED}/eu-west-1" time="0.000">\\s*<error message="ERROR: scope not audited: cannot assume`));
    expect(text).toBe(golden('scoped.junit.xml', text));
  });

  it('markdown and table: the scope beside each instance, and the scopes not audited with their cause', () => {
    const markdown = formatMarkdown(report, CONTEXT);
    expect(markdown).toContain(`| ${DENIED}/eu-west-1 | ERROR | 0 | 0 | 0 | 0 | ${CAUSE} |`);
    expect(markdown).toContain(`${A}/us-east-1 i-0a1`);
    expect(markdown).toBe(golden('scoped.md', markdown));
    const table = formatTable(report, { color: false });
    expect(table).toContain(`Scopes not audited:\n  ${DENIED}/eu-west-1: ${CAUSE}`);
    expect(table).toContain(`${B}/eu-west-1 `);
  });

  it('ASFF: each finding in its own account and region', () => {
    const findings = asffFindings(report, CONTEXT.target);
    expect(new Set(findings.map((f) => `${f.AwsAccountId}/${f.Resources![0].Region}`))).toEqual(new Set([`${A}/eu-west-1`, `${A}/us-east-1`, `${B}/eu-west-1`]));
    expect(findings.every((f) => f.ProductArn === `arn:aws:securityhub:${f.Resources![0].Region}:${f.AwsAccountId}:product/${f.AwsAccountId}/default`)).toBe(true);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
  });
});

it('a report of one scope reads as before: no scope in labels, paths or fingerprints', () => {
  const one = scopedReport(SCOPES.slice(0, 1));
  const stripped = evaluateFleet({
    hosts: scopeHosts(A, 'eu-west-1').map((h) => ({ ...h, instance: { ...h.instance, accountId: undefined, region: undefined } })),
    checks: [...allChecks],
    config: EMPTY_CONFIG,
    startedAt: new Date('2026-11-23T10:00:00Z'),
    finishedAt: new Date('2026-11-23T10:01:00Z'),
  });
  const sarifResults = (r: AuditReport) => JSON.parse(formatSarif(r, TEST_CONTEXT)).runs[0].results.map((x: any) => [x.locations, x.partialFingerprints]);
  expect(sarifResults(one)).toEqual(sarifResults(stripped));
  expect(formatJunit(one, TEST_CONTEXT)).toBe(formatJunit(stripped, TEST_CONTEXT));
});
