/**
 * Imports the audit's ASFF findings into AWS Security Hub (BatchImportFindings,
 * at most 100 findings per call, one call at a time: the API allows 10 calls
 * a second). Ids are deterministic, so a re-run updates the same findings and
 * a fixed one (PASS: Compliance PASSED, RecordState ARCHIVED) closes.
 * Findings refused by Security Hub (FailedFindings) and calls that failed
 * are reported; they never change the audit's findings.
 * Instances at rest (stopped, terminated...) are not imported: the audit did
 * not look at them, and their NOT_APPLICABLE would archive the last findings
 * Security Hub holds for them, making them look fixed.
 */
import type { Logger } from 'pino';
import type { SecurityHubApi } from '../aws/securityhub-api.js';
import type { FleetInstance } from '../fleet/instance.js';
import { isAtRest } from '../fleet/instance-state.js';
import type { AsffFinding } from '../report/asff.js';

export const MAX_FINDINGS_PER_IMPORT = 100;

export interface PublishSecurityHubInput {
  /** In the report's order, as asffFindings made them. */
  findings: readonly AsffFinding[];
  instances: readonly FleetInstance[];
}

interface RefusedFinding {
  id: string;
  errorCode: string;
  errorMessage: string;
}

export interface PublishSecurityHubResult {
  imported: number;
  /** Refused one by one (FailedFindings), or part of a call that failed as a whole. */
  failed: RefusedFinding[];
  /** BatchImportFindings calls made. */
  calls: number;
  /** Findings of instances at rest, not sent. */
  skipped: number;
}

export async function publishSecurityHub(
  deps: { securityHub: SecurityHubApi; logger: Logger },
  input: PublishSecurityHubInput,
): Promise<PublishSecurityHubResult> {
  const atRest = new Set(input.instances.filter((i) => isAtRest(i.state)).map((i) => i.instanceId));
  const sendable = input.findings.filter((f) => {
    const instanceId = instanceOf(f);
    return instanceId === undefined || !atRest.has(instanceId);
  });
  const result: PublishSecurityHubResult = { imported: 0, failed: [], calls: 0, skipped: input.findings.length - sendable.length };
  for (const batch of chunks(sendable, MAX_FINDINGS_PER_IMPORT)) {
    result.calls += 1;
    try {
      const answer = await deps.securityHub.batchImportFindings({ Findings: batch });
      const refused = (answer.FailedFindings ?? []).map((f) => ({ id: f.Id ?? '', errorCode: f.ErrorCode ?? '', errorMessage: f.ErrorMessage ?? '' }));
      result.failed.push(...refused);
      result.imported += batch.length - refused.length;
      for (const f of refused) deps.logger.error({ findingId: f.id, errorCode: f.errorCode, err: f.errorMessage }, 'security hub refused a finding');
    } catch (err) {
      const errorCode = err instanceof Error ? err.name : 'Error';
      const errorMessage = err instanceof Error ? err.message : String(err);
      result.failed.push(...batch.map((f) => ({ id: f.Id, errorCode, errorMessage })));
      deps.logger.error({ findings: batch.length, errorCode, err: errorMessage }, 'security hub import call failed');
    }
  }
  deps.logger.info({ imported: result.imported, failed: result.failed.length, skipped: result.skipped, calls: result.calls }, 'security hub findings imported');
  return result;
}

function instanceOf(finding: AsffFinding): string | undefined {
  return finding.ProductFields?.['swarm-audit/instanceId'];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
