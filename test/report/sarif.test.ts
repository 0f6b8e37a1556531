import { describe, expect, it } from '@jest/globals';
import { formatSarif } from '../../src/report/sarif.js';
import { fleetReport, hostileReport } from './sample-reports.js';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  kind: string;
  level: string;
  message: { text: string };
  locations: { logicalLocations: { fullyQualifiedName: string }[] }[];
  partialFingerprints: Record<string, string>;
  properties: { status: string };
}

describe('sarif report', () => {
  const report = fleetReport();
  const log = JSON.parse(formatSarif(report));
  const run = log.runs[0];
  const results = run.results as SarifResult[];

  it('is SARIF 2.1.0 with one rule per check', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toContain('sarif-2.1.0');
    expect(run.tool.driver.name).toBe('swarm-audit');
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(report.checks!.map((c) => c.id));
    expect(run.tool.driver.rules[0].properties.cis).toBe('CIS Docker Benchmark 7.2');
  });

  it('has one result per finding with a valid rule index and SARIF kinds', () => {
    expect(results).toHaveLength(report.results.length);
    const kinds: Record<string, string> = { PASS: 'pass', FAIL: 'fail', WARN: 'fail', ERROR: 'open', NOT_APPLICABLE: 'notApplicable' };
    for (const result of results) {
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(result.kind).toBe(kinds[result.properties.status]);
      if (result.kind !== 'fail') expect(result.level).toBe('none');
      expect(result.locations[0]!.logicalLocations[0]!.fullyQualifiedName).toContain('/');
    }
    const failed = results.find((r) => r.properties.status === 'FAIL' && r.ruleId === 'swarm-listen-address')!;
    expect(failed.level).toBe('error');
    expect(run.invocations[0].executionSuccessful).toBe(false);
  });

  it('gives every (check, cluster, node, resource) a distinct stable fingerprint', () => {
    const prints = results.map((r) => r.partialFingerprints['swarmAuditResource/v1']);
    expect(new Set(prints).size).toBe(prints.length);
    const again = JSON.parse(formatSarif(fleetReport())).runs[0].results as SarifResult[];
    expect(again.map((r) => r.partialFingerprints['swarmAuditResource/v1'])).toEqual(prints);
  });

  it('keeps hostile text as data in valid JSON', () => {
    const text = formatSarif(hostileReport());
    const parsed = JSON.parse(text);
    expect(parsed.runs[0].results[0].message.text).toContain('<script>');
  });
});
