/**
 * SSM State Manager behind SsmAssociationsApi, in memory, on the points
 * schedule and collect depend on: ListAssociations filtered by name,
 * versions bumped by UpdateAssociation and a stale AssociationVersion
 * refused (InvalidAssociationVersion), AssociationDoesNotExist, executions
 * newest first with their targets. Errors are AwsError with AWS's names, as
 * src/aws/sdk-ssm.ts hands them over.
 */
import type {
  AssociationDescription,
  AssociationExecution,
  AssociationExecutionTarget,
  CreateAssociationCommandInput,
  CreateAssociationCommandOutput,
  DeleteAssociationCommandInput,
  DescribeAssociationCommandInput,
  DescribeAssociationCommandOutput,
  DescribeAssociationExecutionTargetsCommandInput,
  DescribeAssociationExecutionTargetsCommandOutput,
  DescribeAssociationExecutionsCommandInput,
  DescribeAssociationExecutionsCommandOutput,
  ListAssociationsCommandInput,
  ListAssociationsCommandOutput,
  UpdateAssociationCommandInput,
  UpdateAssociationCommandOutput,
} from '@aws-sdk/client-ssm';
import { ASSOCIATION_ERRORS, type SsmAssociationsApi } from '../../../src/aws/ssm-api.js';
import { AwsError } from '../../../src/errors.js';

type AssociationOp =
  | 'CreateAssociation'
  | 'UpdateAssociation'
  | 'DescribeAssociation'
  | 'ListAssociations'
  | 'DescribeAssociationExecutions'
  | 'DescribeAssociationExecutionTargets'
  | 'DeleteAssociation';

/** The operations that change something: a dry run must make none of them. */
export const ASSOCIATION_WRITES: readonly AssociationOp[] = ['CreateAssociation', 'UpdateAssociation', 'DeleteAssociation'];

interface Stored {
  description: AssociationDescription;
  executions: { execution: AssociationExecution; targets: AssociationExecutionTarget[] }[];
}

export interface TargetRun {
  instanceId: string;
  status: 'Success' | 'Failed' | 'TimedOut' | 'InProgress' | 'Pending';
}

export class FakeStateManager implements SsmAssociationsApi {
  readonly calls: { op: AssociationOp; input: unknown }[] = [];
  /** Documents that exist (CreateAssociation of another is InvalidDocument). */
  readonly documents = new Set(['swarm-audit-probe']);
  private readonly associations = new Map<string, Stored>();
  private nextId = 1;

  callsOf(op: AssociationOp) {
    return this.calls.filter((c) => c.op === op);
  }

  createAssociation(input: CreateAssociationCommandInput): Promise<CreateAssociationCommandOutput> {
    return answer(() => {
      this.calls.push({ op: 'CreateAssociation', input });
      if (!this.documents.has(input.Name ?? '')) throw new AwsError(ASSOCIATION_ERRORS.invalidDocument, `Document ${input.Name} does not exist`);
      const id = `a1b2c3d4-0000-4000-8000-${String(this.nextId++).padStart(12, '0')}`;
      const description = { ...settingsOf(input), AssociationId: id, AssociationVersion: '1', Date: new Date('2026-12-01T04:00:00Z') };
      this.associations.set(id, { description, executions: [] });
      return { $metadata: {}, AssociationDescription: description };
    });
  }

  updateAssociation(input: UpdateAssociationCommandInput): Promise<UpdateAssociationCommandOutput> {
    return answer(() => {
      this.calls.push({ op: 'UpdateAssociation', input });
      const stored = this.stored(input.AssociationId);
      const current = stored.description.AssociationVersion;
      if (input.AssociationVersion !== undefined && input.AssociationVersion !== '$LATEST' && input.AssociationVersion !== current) {
        throw new AwsError(ASSOCIATION_ERRORS.invalidAssociationVersion, `Association version ${input.AssociationVersion} is not the latest (${current})`);
      }
      // AWS resets every optional member an update leaves out: the new version is exactly what was sent
      stored.description = { ...settingsOf(input), AssociationId: input.AssociationId, AssociationVersion: String(Number(current) + 1), Date: stored.description.Date };
      return { $metadata: {}, AssociationDescription: stored.description };
    });
  }

  describeAssociation(input: DescribeAssociationCommandInput): Promise<DescribeAssociationCommandOutput> {
    return answer(() => {
      this.calls.push({ op: 'DescribeAssociation', input });
      return { $metadata: {}, AssociationDescription: this.stored(input.AssociationId).description };
    });
  }

  listAssociations(input: ListAssociationsCommandInput): Promise<ListAssociationsCommandOutput> {
    return answer(() => {
      this.calls.push({ op: 'ListAssociations', input });
      const name = input.AssociationFilterList?.find((f) => f.key === 'AssociationName')?.value;
      const listed = [...this.associations.values()]
        .map((s) => s.description)
        .filter((d) => name === undefined || d.AssociationName === name)
        .map((d) => ({ AssociationId: d.AssociationId, AssociationName: d.AssociationName, Name: d.Name, Targets: d.Targets, ScheduleExpression: d.ScheduleExpression, AssociationVersion: d.AssociationVersion }));
      return { $metadata: {}, Associations: listed };
    });
  }

  describeAssociationExecutions(input: DescribeAssociationExecutionsCommandInput): Promise<DescribeAssociationExecutionsCommandOutput> {
    return answer(() => {
      this.calls.push({ op: 'DescribeAssociationExecutions', input });
      const stored = this.stored(input.AssociationId);
      const newestFirst = [...stored.executions].reverse().map((e) => e.execution);
      return { $metadata: {}, AssociationExecutions: newestFirst };
    });
  }

  describeAssociationExecutionTargets(input: DescribeAssociationExecutionTargetsCommandInput): Promise<DescribeAssociationExecutionTargetsCommandOutput> {
    return answer(() => {
      this.calls.push({ op: 'DescribeAssociationExecutionTargets', input });
      const found = this.stored(input.AssociationId).executions.find((e) => e.execution.ExecutionId === input.ExecutionId);
      if (!found) throw new AwsError(ASSOCIATION_ERRORS.executionDoesNotExist, `Execution ${input.ExecutionId} does not exist`);
      return { $metadata: {}, AssociationExecutionTargets: found.targets };
    });
  }

  deleteAssociation(input: DeleteAssociationCommandInput): Promise<void> {
    return answer(() => {
      this.calls.push({ op: 'DeleteAssociation', input });
      this.stored(input.AssociationId);
      this.associations.delete(input.AssociationId!);
    });
  }

  /** What the service records when the association runs: one execution, each target's final status. */
  recordRun(associationId: string, createdAt: Date, targets: TargetRun[]): string {
    const stored = this.stored(associationId);
    const executionId = `e0000000-0000-4000-8000-${String(stored.executions.length + 1).padStart(12, '0')}`;
    const finished = new Date(createdAt.getTime() + 30_000);
    stored.executions.push({
      execution: { AssociationId: associationId, AssociationVersion: stored.description.AssociationVersion, ExecutionId: executionId, CreatedTime: createdAt, Status: 'Success' },
      targets: targets.map((t) => ({
        AssociationId: associationId,
        ExecutionId: executionId,
        ResourceId: t.instanceId,
        ResourceType: 'ManagedInstance',
        Status: t.status,
        DetailedStatus: t.status,
        LastExecutionDate: finished,
        OutputSource: { OutputSourceId: `cmd-${executionId.slice(-4)}`, OutputSourceType: 'RunCommand' },
      })),
    });
    return executionId;
  }

  private stored(associationId: string | undefined): Stored {
    const stored = this.associations.get(associationId ?? '');
    if (!stored) throw new AwsError(ASSOCIATION_ERRORS.doesNotExist, `Association ${associationId} does not exist`);
    return stored;
  }
}

/** The service answers asynchronously: a refusal is a rejected promise, never a synchronous throw. */
function answer<T>(work: () => T): Promise<T> {
  return Promise.resolve().then(work);
}

function settingsOf(input: CreateAssociationCommandInput | UpdateAssociationCommandInput): AssociationDescription {
  return {
    AssociationName: input.AssociationName,
    Name: input.Name,
    DocumentVersion: input.DocumentVersion,
    Targets: input.Targets,
    ScheduleExpression: input.ScheduleExpression,
    OutputLocation: input.OutputLocation,
    Parameters: input.Parameters,
  };
}
