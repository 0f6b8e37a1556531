/**
 * `schedule`'s flags as one request, every one checked before any AWS call:
 * the schedule as State Manager accepts it, the bucket and prefix as S3 and
 * CreateAssociation take them, and no flag that the chosen action would ignore.
 */
import { UsageError } from '../errors.js';
import { parseTagArgs } from '../fleet/tag-query.js';
import { checkAssociationName, defaultAssociationName, defaultOutputPrefix } from './association-name.js';
import { targetsOf } from './association-targets.js';
import type { DesiredAssociation } from './desired-association.js';
import { parseScheduleExpression } from './schedule-expression.js';

export interface ScheduleFlags {
  tag: string[];
  tagKey: string[];
  rate?: string;
  outputS3Bucket?: string;
  outputS3Prefix?: string;
  name?: string;
  documentName: string;
  dryRun: boolean;
  delete: boolean;
}

export type ScheduleRequest = { kind: 'delete'; name: string } | { kind: 'write'; association: DesiredAssociation; dryRun: boolean };

/** S3 bucket names (general purpose buckets): 3-63 of a-z 0-9 . -, starting and ending with a letter or digit. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** CreateAssociation's OutputS3KeyPrefix limit. */
const MAX_PREFIX = 500;

export function scheduleRequest(flags: ScheduleFlags): ScheduleRequest {
  if (flags.delete) {
    const ignored = [flags.rate && '--rate', flags.outputS3Bucket && '--output-s3-bucket', flags.outputS3Prefix && '--output-s3-prefix', flags.dryRun && '--dry-run'].filter(Boolean);
    if (ignored.length > 0) throw new UsageError(`--delete takes only --name or the tags: leave out ${ignored.join(', ')}`);
    return { kind: 'delete', name: associationName(flags) };
  }
  if (flags.rate === undefined) throw new UsageError("--rate is required: e.g. --rate 'rate(1 day)' or --rate 'cron(0 2 ? * * *)'");
  const schedule = parseScheduleExpression(flags.rate);
  if (!schedule.ok) throw new UsageError(`--rate ${schedule.reason}`, 'InvalidSchedule');
  if (flags.outputS3Bucket === undefined) throw new UsageError('--output-s3-bucket is required: State Manager writes the probe outputs there and collect reads them back');
  if (!BUCKET.test(flags.outputS3Bucket)) throw new UsageError(`--output-s3-bucket ${flags.outputS3Bucket}: not an S3 bucket name (3-63 of a-z 0-9 . -)`);
  const name = associationName(flags);
  const prefix = (flags.outputS3Prefix ?? defaultOutputPrefix(name)).replace(/^\/+|\/+$/g, '');
  if (prefix.length === 0 || prefix.length > MAX_PREFIX) throw new UsageError(`--output-s3-prefix must be 1-${MAX_PREFIX} characters`);
  if (flags.tag.length === 0 && flags.tagKey.length === 0) throw new UsageError('give --tag KEY=VALUE or --tag-key KEY: the instances the association runs on', 'NoTargetFilter');
  return {
    kind: 'write',
    dryRun: flags.dryRun,
    association: {
      AssociationName: name,
      Name: flags.documentName,
      DocumentVersion: '$DEFAULT',
      Targets: targetsOf(parseTagArgs(flags.tag, flags.tagKey)),
      ScheduleExpression: flags.rate,
      OutputLocation: { S3Location: { OutputS3BucketName: flags.outputS3Bucket, OutputS3KeyPrefix: prefix } },
      Parameters: {},
    },
  };
}

function associationName(flags: Pick<ScheduleFlags, 'name' | 'tag' | 'tagKey'>): string {
  if (flags.name !== undefined) return checkAssociationName(flags.name);
  if (flags.tag.length === 0 && flags.tagKey.length === 0) throw new UsageError('give --name, or the --tag / --tag-key the name is derived from', 'NoTargetFilter');
  return defaultAssociationName(parseTagArgs(flags.tag, flags.tagKey));
}
