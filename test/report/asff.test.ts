import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../../src/errors.js';
import { formatAsff } from '../../src/report/asff.js';
import { TEST_CONTEXT, fleetReport, hostileReport } from './sample-reports.js';

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
      expect(finding.Resources[0]!.Id).toMatch(/^arn:aws:ec2:eu-west-1:123456789012:instance\/i-/);
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
    expect(parsed[0]!.Description).toContain('<script>');
  });
});
