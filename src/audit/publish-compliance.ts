/**
 * Publishes audit results to SSM Compliance (PutComplianceItems, one call per
 * managed instance, UploadType COMPLETE so stale items disappear). A failed
 * upload is reported per instance; it never changes the audit's findings.
 * Instances at rest (stopped, terminated...) are not uploaded: the audit did
 * not look at them, and an empty COMPLETE upload would erase the last
 * findings SSM holds for them, making them look compliant.
 */
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { SsmApi } from '../aws/ssm-api.js';
import type { Finding } from '../checks/types.js';
import type { FailOn } from '../engine/exit-code.js';
import type { FleetInstance } from '../fleet/instance.js';
import { isAtRest } from '../fleet/instance-state.js';
import { COMPLIANCE_TYPE, complianceItemsByInstance } from './compliance-items.js';

export interface PublishComplianceInput {
  instances: readonly FleetInstance[];
  results: readonly Finding[];
  failOn: FailOn;
  /** The audit's start time and a run id, shown as the compliance execution. */
  executionTime: Date;
  executionId: string;
  concurrency: number;
}

export interface PublishComplianceResult {
  published: string[];
  failed: { instanceId: string; error: string }[];
  /** Instances without a registered SSM agent (SSM keeps no compliance for them) or at rest (their last upload stands). */
  skipped: string[];
}

export async function publishCompliance(
  deps: { ssm: SsmApi; logger: Logger },
  input: PublishComplianceInput,
): Promise<PublishComplianceResult> {
  const itemsByInstance = complianceItemsByInstance(input.results, input.failOn);
  const uploadable = (i: FleetInstance) => i.agent.managed && !isAtRest(i.state);
  const managed = input.instances.filter(uploadable);
  const result: PublishComplianceResult = {
    published: [],
    failed: [],
    skipped: input.instances.filter((i) => !uploadable(i)).map((i) => i.instanceId),
  };
  const limit = pLimit(input.concurrency);
  await Promise.all(
    managed.map((instance) =>
      limit(async () => {
        try {
          await deps.ssm.putComplianceItems({
            ResourceId: instance.instanceId,
            ResourceType: 'ManagedInstance',
            ComplianceType: COMPLIANCE_TYPE,
            ExecutionSummary: { ExecutionTime: input.executionTime, ExecutionId: input.executionId, ExecutionType: 'Command' },
            Items: itemsByInstance.get(instance.instanceId) ?? [],
            UploadType: 'COMPLETE',
          });
          result.published.push(instance.instanceId);
        } catch (err) {
          result.failed.push({ instanceId: instance.instanceId, error: err instanceof Error ? err.message : String(err) });
        }
      }),
    ),
  );
  deps.logger.info({ published: result.published.length, failed: result.failed.length, skipped: result.skipped.length }, 'compliance published');
  for (const f of result.failed) deps.logger.error({ instanceId: f.instanceId, err: f.error }, 'compliance upload failed');
  return result;
}
