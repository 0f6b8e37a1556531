import type { BatchImportFindingsCommandInput, BatchImportFindingsCommandOutput } from '@aws-sdk/client-securityhub';
import { MAX_FINDINGS_PER_IMPORT, publishSecurityHub } from '../../src/audit/publish-security-hub.js';
import type { SecurityHubApi } from '../../src/aws/securityhub-api.js';
import type { FleetInstance } from '../../src/fleet/instance.js';
import { asffFindings, type AsffFinding } from '../../src/report/asff.js';
import { silentLogger } from '../../src/util/logger.js';
import { largeFleetReport, TEST_CONTEXT } from '../report/sample-reports.js';

const instance = (instanceId: string, state = 'running'): FleetInstance => ({
  instanceId,
  state,
  tags: {},
  securityGroups: [],
  agent: { managed: true, pingStatus: 'Online', platformType: 'Linux' },
  reachable: state === 'running',
});

/** Records every call; `answer` decides each one (default: all imported). */
function fakeSecurityHub(answer: (findings: AsffFinding[], call: number) => Partial<BatchImportFindingsCommandOutput> = () => ({})) {
  const calls: AsffFinding[][] = [];
  const api: SecurityHubApi = {
    async batchImportFindings(input: BatchImportFindingsCommandInput) {
      const findings = input.Findings as AsffFinding[];
      calls.push(findings);
      const out = answer(findings, calls.length);
      const failed = out.FailedFindings ?? [];
      return { $metadata: {}, FailedCount: failed.length, SuccessCount: findings.length - failed.length, FailedFindings: failed, ...out };
    },
  };
  return { api, calls };
}

function findingsOf(count: number): { findings: AsffFinding[]; instances: FleetInstance[] } {
  const report = largeFleetReport(count);
  return { findings: asffFindings(report, TEST_CONTEXT.target), instances: report.instances.map((i) => instance(i.instanceId)) };
}

describe('publishSecurityHub', () => {
  test('sends every finding once, in calls of at most 100, in the report order', async () => {
    const { findings, instances } = findingsOf(120);
    expect(findings.length).toBeGreaterThan(2 * MAX_FINDINGS_PER_IMPORT);
    const hub = fakeSecurityHub();
    const result = await publishSecurityHub({ securityHub: hub.api, logger: silentLogger() }, { findings, instances });
    const calls = Math.ceil(findings.length / MAX_FINDINGS_PER_IMPORT);
    expect(hub.calls.map((c) => c.length)).toEqual(Array.from({ length: calls }, (_, i) => Math.min(100, findings.length - i * 100)));
    expect(hub.calls.flat().map((f) => f.Id)).toEqual(findings.map((f) => f.Id));
    expect(result).toEqual({ imported: findings.length, failed: [], calls, skipped: 0 });
  });

  test('reports FailedFindings one by one and counts the rest as imported', async () => {
    const { findings, instances } = findingsOf(10);
    const hub = fakeSecurityHub((batch) => ({ FailedFindings: [{ Id: batch[1].Id, ErrorCode: 'InvalidInput', ErrorMessage: 'Finding does not adhere to ASFF' }] }));
    const result = await publishSecurityHub({ securityHub: hub.api, logger: silentLogger() }, { findings, instances });
    expect(result.failed).toEqual([{ id: findings[1].Id, errorCode: 'InvalidInput', errorMessage: 'Finding does not adhere to ASFF' }]);
    expect(result.imported).toBe(findings.length - 1);
  });

  test('a call that fails as a whole fails its findings and the next calls still go', async () => {
    const { findings, instances } = findingsOf(120);
    const hub = fakeSecurityHub((_, call) => {
      if (call === 1) throw Object.assign(new Error('not subscribed to Security Hub'), { name: 'InvalidAccessException' });
      return {};
    });
    const result = await publishSecurityHub({ securityHub: hub.api, logger: silentLogger() }, { findings, instances });
    expect(result.failed).toHaveLength(100);
    expect(result.failed[0]).toEqual({ id: findings[0].Id, errorCode: 'InvalidAccessException', errorMessage: 'not subscribed to Security Hub' });
    expect(result.imported).toBe(findings.length - 100);
    expect(result.calls).toBe(hub.calls.length);
  });

  test('leaves out instances at rest: their NOT_APPLICABLE would archive findings nobody looked at', async () => {
    const { findings, instances } = findingsOf(3);
    const stopped = instances[2].instanceId;
    const hub = fakeSecurityHub();
    const result = await publishSecurityHub(
      { securityHub: hub.api, logger: silentLogger() },
      { findings, instances: instances.map((i) => (i.instanceId === stopped ? instance(stopped, 'stopped') : i)) },
    );
    const sent = hub.calls.flat();
    expect(sent.some((f) => f.ProductFields?.['swarm-audit/instanceId'] === stopped)).toBe(false);
    expect(result.skipped).toBe(findings.length - sent.length);
    expect(result.skipped).toBeGreaterThan(0);
  });

  test('sends nothing when there is nothing to send', async () => {
    const hub = fakeSecurityHub();
    const result = await publishSecurityHub({ securityHub: hub.api, logger: silentLogger() }, { findings: [], instances: [] });
    expect(hub.calls).toEqual([]);
    expect(result).toEqual({ imported: 0, failed: [], calls: 0, skipped: 0 });
  });
});
