/**
 * The association's latest run: DescribeAssociationExecutions (newest first,
 * the CreatedTime compared anyway), then every target of that execution
 * (DescribeAssociationExecutionTargets, all pages) with its status.
 */
import type { AssociationExecution, AssociationExecutionTarget } from '@aws-sdk/client-ssm';
import { allPages } from '../aws/all-pages.js';
import type { SsmAssociationsApi } from '../aws/ssm-api.js';
import { NothingToAuditError } from '../errors.js';

export interface LatestRun {
  executionId: string;
  createdAt: Date;
  status: string;
  /** By instance id: the target's Status, DetailedStatus and LastExecutionDate. */
  targets: Map<string, AssociationExecutionTarget>;
}

export async function latestRun(ssm: SsmAssociationsApi, associationId: string, associationName: string): Promise<LatestRun> {
  const page = await ssm.describeAssociationExecutions({ AssociationId: associationId, MaxResults: 50 });
  const latest = newest(page.AssociationExecutions ?? []);
  if (!latest?.ExecutionId || !latest.CreatedTime) {
    throw new NothingToAuditError('NoInstanceAuditable', `association ${associationName} has not run yet: nothing to collect`);
  }
  const executionId = latest.ExecutionId;
  const targets = await allPages('DescribeAssociationExecutionTargets', async (token) => {
    const answer = await ssm.describeAssociationExecutionTargets({ AssociationId: associationId, ExecutionId: executionId, NextToken: token });
    return { items: answer.AssociationExecutionTargets ?? [], nextToken: answer.NextToken };
  });
  return {
    executionId,
    createdAt: latest.CreatedTime,
    status: latest.Status ?? 'unknown',
    targets: new Map(targets.filter((t) => t.ResourceId).map((t) => [t.ResourceId!, t])),
  };
}

function newest(executions: readonly AssociationExecution[]): AssociationExecution | undefined {
  return executions.reduce<AssociationExecution | undefined>(
    (best, e) => (best === undefined || (e.CreatedTime?.getTime() ?? 0) > (best.CreatedTime?.getTime() ?? 0) ? e : best),
    undefined,
  );
}
