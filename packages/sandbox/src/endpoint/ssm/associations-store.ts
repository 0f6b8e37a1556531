/**
 * State Manager associations as the sandbox keeps them: every version of each
 * association (UpdateAssociation adds one, AssociationVersion counts them) and
 * every execution with one invocation per targeted instance.
 */
import type { Invocation } from './invocation.js';
import { isTerminal, settle } from './invocation.js';
import type { Target } from './targets.js';

export interface S3OutputLocation {
  OutputS3BucketName: string;
  OutputS3KeyPrefix?: string;
  OutputS3Region?: string;
}

/** What one version of an association holds; absent optional fields are absent in the answers too. */
export interface AssociationSettings {
  name: string;
  documentVersion: string;
  parameters: Record<string, string[]>;
  targets: Target[];
  instanceId?: string;
  scheduleExpression?: string;
  outputLocation?: S3OutputLocation;
  associationName?: string;
  maxErrors?: string;
  maxConcurrency?: string;
  complianceSeverity?: string;
  syncCompliance?: string;
  applyOnlyAtCronInterval: boolean;
}

export interface AssociationVersion extends AssociationSettings {
  version: number;
  createdAt: number;
}

export interface ExecutionTarget {
  invocation: Invocation;
  /** The Run Command command behind this target's run (AWS answers it as OutputSource, type RunCommand). */
  outputSourceId: string;
}

export interface AssociationExecution {
  executionId: string;
  associationVersion: number;
  createdAt: number;
  targets: Map<string, ExecutionTarget>;
}

export interface AssociationRecord {
  associationId: string;
  createdAt: number;
  updatedAt: number;
  versions: AssociationVersion[];
  /** Oldest first. */
  executions: AssociationExecution[];
}

export function latestVersion(record: AssociationRecord): AssociationVersion {
  return record.versions[record.versions.length - 1];
}

export function latestExecution(record: AssociationRecord): AssociationExecution | undefined {
  return record.executions[record.executions.length - 1];
}

/** A target's status as State Manager reports it: the invocation's, delivery timeouts applied. */
export function targetStatus(target: ExecutionTarget, now: number): { status: string; detailedStatus: string } {
  settle(target.invocation, now);
  return { status: target.invocation.status, detailedStatus: target.invocation.statusDetails };
}

/** Pending until an agent starts, InProgress until every target is final, then Success only when all succeeded. */
export function executionStatus(execution: AssociationExecution, now: number): string {
  const statuses = [...execution.targets.values()].map((t) => targetStatus(t, now).status);
  if (statuses.some((s) => !isTerminal(s as Invocation['status']))) {
    return statuses.every((s) => s === 'Pending') ? 'Pending' : 'InProgress';
  }
  return statuses.every((s) => s === 'Success') ? 'Success' : 'Failed';
}

/** Per status, how many targets: `{Failed=1, Success=2}` as AWS prints ResourceCountByStatus. */
export function countByStatus(execution: AssociationExecution, now: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const target of execution.targets.values()) {
    const { status } = targetStatus(target, now);
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

export function resourceCountByStatus(counts: Record<string, number>): string {
  return `{${Object.keys(counts)
    .sort()
    .map((status) => `${status}=${counts[status]}`)
    .join(', ')}}`;
}

export class AssociationStore {
  private readonly records = new Map<string, AssociationRecord>();

  add(record: AssociationRecord): void {
    this.records.set(record.associationId, record);
  }

  find(associationId: string): AssociationRecord | undefined {
    return this.records.get(associationId);
  }

  delete(associationId: string): void {
    this.records.delete(associationId);
  }

  all(): AssociationRecord[] {
    return [...this.records.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  withName(associationName: string): AssociationRecord | undefined {
    return this.all().find((r) => latestVersion(r).associationName === associationName);
  }
}
