import type { PutComplianceItemsCommandInput } from '@aws-sdk/client-ssm';
import type { SsmApi } from '../../src/aws/ssm-api.js';
import type { Finding } from '../../src/checks/types.js';
import { COMPLIANCE_TYPE, complianceItemOf, complianceItemsByInstance } from '../../src/audit/compliance-items.js';
import { publishCompliance } from '../../src/audit/publish-compliance.js';
import type { FleetInstance } from '../../src/fleet/instance.js';
import { silentLogger } from '../../src/util/logger.js';

const finding = (over: Partial<Finding>): Finding => ({
  checkId: 'overlay-encryption',
  status: 'FAIL',
  severity: 'high',
  instanceId: 'i-01',
  clusterId: 'c1',
  resource: { type: 'network', id: 'n1', name: 'plain' },
  message: 'overlay network plain is not encrypted',
  ...over,
});

const instance = (instanceId: string, managed = true): FleetInstance => ({
  instanceId,
  state: 'running',
  tags: {},
  securityGroups: [],
  agent: managed ? { managed: true, pingStatus: 'Online', platformType: 'Linux' } : { managed: false },
  reachable: managed,
});

describe('complianceItemOf', () => {
  test.each([
    ['PASS', 'fail', 'COMPLIANT'],
    ['FAIL', 'fail', 'NON_COMPLIANT'],
    ['WARN', 'fail', 'COMPLIANT'],
    ['WARN', 'warn', 'NON_COMPLIANT'],
    ['ERROR', 'fail', 'NON_COMPLIANT'],
  ] as const)('%s with --fail-on %s is %s', (status, failOn, expected) => {
    expect(complianceItemOf(finding({ status }), failOn).Status).toBe(expected);
  });

  test('carries the check, result, cluster and message; ERROR has no severity to claim', () => {
    expect(complianceItemOf(finding({}), 'fail')).toEqual({
      Id: 'overlay-encryption/network/n1',
      Title: 'overlay-encryption FAIL: network plain',
      Severity: 'HIGH',
      Status: 'NON_COMPLIANT',
      Details: { CheckId: 'overlay-encryption', Result: 'FAIL', Resource: 'network/n1', ClusterId: 'c1', Message: 'overlay network plain is not encrypted' },
    });
    expect(complianceItemOf(finding({ status: 'ERROR' }), 'fail').Severity).toBe('UNSPECIFIED');
  });

  test('keeps ids stable and within the 100-character limit, titles and details within theirs', () => {
    const long = finding({ resource: { type: 'port', id: `web:${'x'.repeat(200)}`, name: 'y'.repeat(600) }, message: 'm'.repeat(5000) });
    const a = complianceItemOf(long, 'fail');
    const b = complianceItemOf(long, 'fail');
    const other = complianceItemOf({ ...long, resource: { ...long.resource, id: `web:${'x'.repeat(199)}z` } }, 'fail');
    expect(a.Id!.length).toBeLessThanOrEqual(100);
    expect(a.Id).toBe(b.Id);
    expect(a.Id).not.toBe(other.Id);
    expect(a.Title!.length).toBeLessThanOrEqual(500);
    expect(a.Details!.Message.length).toBeLessThanOrEqual(4096);
  });
});

describe('complianceItemsByInstance', () => {
  test('groups by instance and leaves NOT_APPLICABLE out', () => {
    const byInstance = complianceItemsByInstance(
      [finding({}), finding({ instanceId: 'i-02', status: 'NOT_APPLICABLE' }), finding({ instanceId: 'i-01', resource: { type: 'network', id: 'n2' } })],
      'fail',
    );
    expect([...byInstance.keys()]).toEqual(['i-01']);
    expect(byInstance.get('i-01')!.map((i) => i.Id)).toEqual(['overlay-encryption/network/n1', 'overlay-encryption/network/n2']);
  });
});

describe('publishCompliance', () => {
  test('one COMPLETE upload per managed instance (empty ones clear stale items); failures are reported, unmanaged skipped', async () => {
    const calls: PutComplianceItemsCommandInput[] = [];
    const ssm = {
      putComplianceItems: async (input: PutComplianceItemsCommandInput) => {
        calls.push(input);
        if (input.ResourceId === 'i-03') throw new Error('AccessDeniedException: not authorized');
      },
    } as unknown as SsmApi;
    const result = await publishCompliance(
      { ssm, logger: silentLogger() },
      {
        instances: [instance('i-01'), instance('i-02'), instance('i-03'), instance('i-04', false)],
        results: [finding({}), finding({ instanceId: 'i-02', status: 'NOT_APPLICABLE' })],
        failOn: 'fail',
        executionTime: new Date('2026-11-23T10:00:00Z'),
        executionId: 'swarm-audit 2026-11-23T10:00:00.000Z',
        concurrency: 2,
      },
    );
    expect(result.published.sort()).toEqual(['i-01', 'i-02']);
    expect(result.failed).toEqual([{ instanceId: 'i-03', error: 'AccessDeniedException: not authorized' }]);
    expect(result.skipped).toEqual(['i-04']);
    const byId = new Map(calls.map((c) => [c.ResourceId, c]));
    expect(byId.get('i-01')).toMatchObject({ ResourceType: 'ManagedInstance', ComplianceType: COMPLIANCE_TYPE, UploadType: 'COMPLETE' });
    expect(byId.get('i-01')!.Items).toHaveLength(1);
    expect(byId.get('i-02')!.Items).toEqual([]);
    expect(byId.has('i-04')).toBe(false);
  });

  test('leaves a stopped or terminated instance alone: an empty COMPLETE upload would erase its last findings', async () => {
    const calls: PutComplianceItemsCommandInput[] = [];
    const ssm = { putComplianceItems: async (input: PutComplianceItemsCommandInput) => void calls.push(input) } as unknown as SsmApi;
    const result = await publishCompliance(
      { ssm, logger: silentLogger() },
      {
        instances: [instance('i-01'), { ...instance('i-05'), state: 'stopped', reachable: false }, { ...instance('i-06'), state: 'terminated', reachable: false }],
        results: [finding({}), finding({ instanceId: 'i-05', status: 'NOT_APPLICABLE' })],
        failOn: 'fail',
        executionTime: new Date('2026-11-23T10:00:00Z'),
        executionId: 'swarm-audit 2026-11-23T10:00:00.000Z',
        concurrency: 2,
      },
    );
    expect(result.published).toEqual(['i-01']);
    expect(result.skipped).toEqual(['i-05', 'i-06']);
    expect(calls.map((c) => c.ResourceId)).toEqual(['i-01']);
  });
});
