import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { Log, Notification, ReportingDescriptor, Result } from 'sarif';
import { formatReport } from '../../src/report/index.js';
import { formatSarif } from '../../src/report/sarif.js';
import { codeScanningProblems, sarifSchemaProblems } from './consumer-rules.js';
import { golden } from './golden.js';
import { TEST_CONTEXT, fleetReport, goldenReport, hostileReport } from './sample-reports.js';

const sarif = (text: string) => JSON.parse(text) as Log;
const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('sarif report', () => {
  const report = goldenReport();
  const text = formatSarif(report, TEST_CONTEXT);
  const log = sarif(text);
  const run = log.runs[0];
  const rules = run.tool.driver.rules as ReportingDescriptor[];
  const results = run.results as Result[];
  const notifications = run.invocations![0].toolExecutionNotifications as Notification[];

  it('matches the golden file', () => {
    expect(text).toBe(golden('golden.sarif', text));
  });

  it('is valid against the official SARIF 2.1.0 schema, hostile text included', () => {
    expect(sarifSchemaProblems(log)).toEqual([]);
    expect(sarifSchemaProblems(sarif(formatSarif(hostileReport(), TEST_CONTEXT)))).toEqual([]);
    expect(sarifSchemaProblems(sarif(formatSarif(fleetReport(), TEST_CONTEXT)))).toEqual([]);
  });

  it("passes Microsoft's SARIF validator with GitHub code scanning's ingestion rules, hostile text included", () => {
    expect(codeScanningProblems(text)).toEqual([]);
    expect(codeScanningProblems(formatSarif(hostileReport(), TEST_CONTEXT))).toEqual([]);
  });

  it('the code scanning check can fail: a result without a line, or with an absolute file URI, is rejected', () => {
    const broken = sarif(text);
    delete broken.runs[0].results![0].locations![0].physicalLocation!.region;
    broken.runs[0].results![1].locations![0].physicalLocation!.artifactLocation!.uri = 'file:///etc/passwd';
    const problems = codeScanningProblems(JSON.stringify(broken));
    expect(problems.filter((p) => p.startsWith('error GH1003'))).toHaveLength(1);
    expect(problems.filter((p) => /^error GH100[56]/.test(p))).toHaveLength(1);
  });

  it('the schema check can fail: a result without a message is rejected', () => {
    const broken = sarif(text);
    delete (broken.runs[0].results![0] as Partial<Result>).message;
    expect(sarifSchemaProblems(broken).join('\n')).toContain("must have required property 'message'");
  });

  it('names the tool with the package version and an information URI', () => {
    const driver = sarif(formatReport('sarif', report, { target: TEST_CONTEXT.target })).runs[0].tool.driver;
    expect(driver.name).toBe('swarm-audit');
    expect(driver.version).toBe(packageVersion);
    expect(driver.informationUri).toMatch(/^https:\/\//);
  });

  it('gives every rule what code scanning shows: short description, help text and markdown, security-severity, tags', () => {
    expect(rules.map((r) => r.id)).toEqual(report.checks!.map((c) => c.id));
    for (const rule of rules) {
      expect(rule.shortDescription?.text).toBeTruthy();
      expect(rule.help?.text).toBeTruthy();
      expect(rule.help?.markdown).toBeTruthy();
      const severity = rule.properties?.['security-severity'];
      expect(typeof severity).toBe('string');
      expect(Number(severity)).toBeGreaterThan(0);
      expect(Number(severity)).toBeLessThanOrEqual(10);
      expect(rule.properties?.tags).toEqual(expect.arrayContaining(['security']));
    }
    expect(rules.find((r) => r.id === 'swarm-listen-address')!.properties!.cis).toBe('CIS Docker Benchmark 7.2');
  });

  it('lists FAIL and WARN as results, ERROR as tool notifications, and only counts PASS and NOT_APPLICABLE', () => {
    expect(report.summary.ERROR).toBeGreaterThan(0);
    expect(report.summary.NOT_APPLICABLE).toBeGreaterThan(0);
    expect(results).toHaveLength(report.summary.FAIL + report.summary.WARN);
    expect(results.map((r) => r.properties!.status).sort()).toEqual(
      report.results.filter((f) => f.status === 'FAIL' || f.status === 'WARN').map((f) => f.status).sort(),
    );
    expect(notifications).toHaveLength(report.summary.ERROR);
    for (const n of notifications) {
      expect(n.level).toBe('error');
      expect(rules[n.associatedRule!.index!].id).toBe(n.associatedRule!.id);
    }
    expect(run.invocations![0].executionSuccessful).toBe(false);
    expect(run.properties!.summary).toEqual(report.summary);
  });

  it('gives every result a physical location on a stable pseudo-path, a rule index, a kind and a level', () => {
    for (const result of [...results, ...notifications]) {
      const physical = result.locations![0].physicalLocation!;
      expect(physical.artifactLocation!.uri).toMatch(/^swarm\/[^/]+\/(node\/[^/]+(\/listener\/[^/]+)?|(service|network|port|cluster)\/[^/]+)$/);
      expect(physical.region!.startLine).toBe(1);
    }
    for (const result of results) {
      expect(rules[result.ruleIndex!].id).toBe(result.ruleId);
      expect(result.kind).toBe('fail');
      expect(result.level).toEqual(result.properties!.status === 'WARN' ? 'warning' : expect.stringMatching(/^(error|warning|note)$/));
    }
    const listener = results.find((r) => r.ruleId === 'swarm-listen-address' && r.properties!.status === 'FAIL' && r.properties!.instanceId === 'i-0a2')!;
    expect(listener.level).toBe('error');
    expect(listener.locations![0].physicalLocation!.artifactLocation!.uri).toMatch(/^swarm\/\w+\/node\/i-0a2\/listener\/[^/]+%2F(tcp|udp)$/);
  });

  it('gives every (check, resource) a distinct fingerprint and location that do not change between runs', () => {
    const keys = results.map((r) => `${r.ruleId} ${r.locations![0].physicalLocation!.artifactLocation!.uri}`);
    expect(new Set(keys).size).toBe(keys.length);
    const prints = results.map((r) => r.partialFingerprints!['swarmAuditResource/v1']);
    expect(new Set(prints).size).toBe(prints.length);
    const again = sarif(formatSarif(goldenReport(), TEST_CONTEXT)).runs[0].results!;
    expect(again.map((r) => r.partialFingerprints!['swarmAuditResource/v1'])).toEqual(prints);
  });

  it('keeps a cluster result at its location when another manager reports it', () => {
    const moved = goldenReport();
    for (const result of moved.results) if (result.resource.type === 'network') result.instanceId = 'i-other';
    const networkLocations = (l: Log) =>
      l.runs[0].results!.filter((r) => r.ruleId === 'overlay-encryption').map((r) => [r.locations![0].physicalLocation!.artifactLocation!.uri, r.partialFingerprints]);
    expect(networkLocations(sarif(formatSarif(moved, TEST_CONTEXT)))).toEqual(networkLocations(log));
  });

  it('keeps hostile text as data in valid JSON', () => {
    const parsed = sarif(formatSarif(hostileReport(), TEST_CONTEXT));
    expect(parsed.runs[0].results![0].message.text).toContain('<script>');
  });
});
