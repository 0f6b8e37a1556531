import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../../src/errors.js';
import { findingError } from '../../packages/sandbox/src/endpoint/securityhub/finding-rules.js';
import { asffFindings, formatAsff } from '../../src/report/asff.js';
import { TEST_CONTEXT, fleetReport, goldenReport, hostileReport } from './sample-reports.js';

const ctx = (accountId: string | undefined, regions: string[]) => ({
  target: { tagQuery: TEST_CONTEXT.target.tagQuery, regions, ...(accountId === undefined ? {} : { accountId }) },
});
const OPTIONS = ctx('123456789012', ['eu-west-1']);

interface AsffFinding {
  SchemaVersion: string;
  Id: string;
  ProductArn: string;
  AwsAccountId: string;
  Title: string;
  Description: string;
  Severity: { Label: string };
  Compliance: { Status: string; RelatedRequirements?: string[] };
  RecordState: string;
  Resources: { Type: string; Id: string }[];
  ProductFields: Record<string, string>;
}

const parse = (text: string) => JSON.parse(text) as AsffFinding[];

describe('asff report', () => {
  const report = fleetReport();
  const findings = parse(formatAsff(report, OPTIONS));

  it('emits one ASFF 2018-10-08 finding per result, passes included', () => {
    expect(findings).toHaveLength(report.results.length);
    for (const finding of findings) {
      expect(finding.SchemaVersion).toBe('2018-10-08');
      expect(finding.AwsAccountId).toBe('123456789012');
      expect(finding.ProductArn).toBe('arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default');
      expect(finding.Resources[0].Id).toMatch(/^arn:aws:ec2:eu-west-1:123456789012:instance\/i-/);
      expect(finding.Title.length).toBeLessThanOrEqual(256);
      expect(finding.Description.length).toBeLessThanOrEqual(1024);
    }
    const statuses = new Set(findings.map((f) => f.Compliance.Status));
    expect(statuses).toEqual(new Set(['PASSED', 'FAILED', 'WARNING', 'NOT_AVAILABLE']));
    const listen = findings.find((f) => f.ProductFields['swarm-audit/checkId'] === 'swarm-listen-address')!;
    expect(listen.Compliance.RelatedRequirements?.[0]).toContain('7.2');
  });

  it('has deterministic, unique ids that depend on account and region', () => {
    const ids = findings.map((f) => f.Id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(parse(formatAsff(fleetReport(), OPTIONS)).map((f) => f.Id)).toEqual(ids);
    const otherAccount = parse(formatAsff(report, ctx('210987654321', ['eu-west-1']))).map((f) => f.Id);
    const otherRegion = parse(formatAsff(report, ctx('123456789012', ['us-east-1']))).map((f) => f.Id);
    expect(otherAccount.some((id) => ids.includes(id))).toBe(false);
    expect(otherRegion.some((id) => ids.includes(id))).toBe(false);
  });

  it('keeps a cluster finding id when another manager reports it', () => {
    const moved = fleetReport();
    for (const result of moved.results) {
      if (result.checkId === 'overlay-encryption' && result.resource.type === 'network') result.instanceId = 'i-other';
    }
    const before = findings.filter((f) => f.ProductFields['swarm-audit/resourceType'] === 'network').map((f) => f.Id);
    const after = parse(formatAsff(moved, OPTIONS))
      .filter((f) => f.ProductFields['swarm-audit/resourceType'] === 'network')
      .map((f) => f.Id);
    expect(after).toEqual(before);
  });

  it('rejects a missing account id (never a placeholder) or anything but one valid region', () => {
    expect(() => formatAsff(report, ctx(undefined, ['eu-west-1']))).toThrow(UsageError);
    expect(() => formatAsff(report, ctx('', ['eu-west-1']))).toThrow(UsageError);
    expect(() => formatAsff(report, ctx('123456789012', ['nowhere']))).toThrow(UsageError);
    expect(() => formatAsff(report, ctx('123456789012', ['eu-west-1', 'us-east-1']))).toThrow(UsageError);
  });

  it('keeps hostile text as JSON data', () => {
    const parsed = parse(formatAsff(hostileReport(), OPTIONS));
    expect(parsed[0].Description).toContain('<script>');
  });

  it('archives what needs no action: PASS is PASSED + ARCHIVED (closing the FAIL it fixes), FAIL stays ACTIVE', () => {
    const byStatus = new Map<string, AsffFinding[]>();
    for (const f of parse(formatAsff(goldenReport(), OPTIONS))) {
      const status = f.ProductFields['swarm-audit/status'];
      byStatus.set(status, [...(byStatus.get(status) ?? []), f]);
    }
    const expected: Record<string, [string, string]> = {
      PASS: ['PASSED', 'ARCHIVED'],
      NOT_APPLICABLE: ['NOT_AVAILABLE', 'ARCHIVED'],
      FAIL: ['FAILED', 'ACTIVE'],
      WARN: ['WARNING', 'ACTIVE'],
      ERROR: ['NOT_AVAILABLE', 'ACTIVE'],
    };
    expect([...byStatus.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [status, [compliance, recordState]] of Object.entries(expected)) {
      for (const f of byStatus.get(status)!) expect([f.Compliance.Status, f.RecordState]).toEqual([compliance, recordState]);
    }
  });

  it('gives a fixed finding the id of its failure, so the import updates it', () => {
    const failing = fleetReport();
    const fixed = fleetReport();
    const index = failing.results.findIndex((r) => r.status === 'FAIL');
    fixed.results[index] = { ...fixed.results[index], status: 'PASS' };
    const [before, after] = [asffFindings(failing, OPTIONS.target)[index], asffFindings(fixed, OPTIONS.target)[index]];
    expect(after.Id).toBe(before.Id);
    expect(after.ProductArn).toBe(before.ProductArn);
    expect([before.RecordState, after.RecordState]).toEqual(['ACTIVE', 'ARCHIVED']);
  });

  it('passes every rule the sandbox Security Hub applies on import, for the account it was made for only', () => {
    const findings = asffFindings(goldenReport(), OPTIONS.target);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(findingError(f, { account: '123456789012', region: 'eu-west-1' })).toBeUndefined();
    expect(findingError(findings[0], { account: '210987654321', region: 'eu-west-1' })?.ErrorCode).toBe('AccessDeniedException');
    expect(findingError(findings[0], { account: '123456789012', region: 'us-east-1' })?.ErrorCode).toBe('AccessDeniedException');
  });
});
