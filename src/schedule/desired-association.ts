/**
 * The association `schedule` wants to exist, and how an existing one differs
 * from it. Only the members schedule owns are compared; UpdateAssociation is
 * sent all of them, because AWS resets every optional member an update leaves
 * out (UpdateAssociation API reference).
 */
import type { AssociationDescription, Target } from '@aws-sdk/client-ssm';

export interface DesiredAssociation {
  AssociationName: string;
  /** The SSM document (our probe document). */
  Name: string;
  DocumentVersion: '$DEFAULT';
  Targets: Target[];
  ScheduleExpression: string;
  OutputLocation: { S3Location: { OutputS3BucketName: string; OutputS3KeyPrefix: string } };
  Parameters: Record<string, string[]>;
}

export interface FieldChange {
  field: string;
  from: string;
  to: string;
}

type Compared = Omit<DesiredAssociation, 'AssociationName'>;

export function changesFrom(current: AssociationDescription, desired: DesiredAssociation): FieldChange[] {
  const now: Record<keyof Compared, unknown> = {
    Name: current.Name,
    DocumentVersion: current.DocumentVersion ?? '$DEFAULT',
    Targets: current.Targets ?? [],
    ScheduleExpression: current.ScheduleExpression,
    OutputLocation: current.OutputLocation?.S3Location
      ? { S3Location: { OutputS3BucketName: current.OutputLocation.S3Location.OutputS3BucketName, OutputS3KeyPrefix: current.OutputLocation.S3Location.OutputS3KeyPrefix ?? '' } }
      : undefined,
    Parameters: current.Parameters ?? {},
  };
  return (Object.keys(now) as (keyof Compared)[])
    .map((field) => ({ field, from: render(now[field]), to: render(desired[field]) }))
    .filter((change) => change.from !== change.to);
}

/** Stable text of a member: objects with sorted keys, so key order never reads as a change. */
function render(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return value;
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}
