/**
 * Which association `collect` reads, from its flags, before any AWS call:
 * --association NAME, or the name `schedule` derives from the same --tag /
 * --tag-key; --bucket / --prefix read the outputs elsewhere than the
 * association's output location (the prefix defaulting to schedule's).
 */
import { UsageError } from '../errors.js';
import { parseTagArgs } from '../fleet/tag-query.js';
import { checkAssociationName, defaultAssociationName, defaultOutputPrefix } from '../schedule/association-name.js';

export interface CollectSourceFlags {
  association?: string;
  tag: string[];
  tagKey: string[];
  bucket?: string;
  prefix?: string;
}

export interface CollectSource {
  associationName: string;
  bucket?: string;
  prefix?: string;
}

export function collectSource(flags: CollectSourceFlags): CollectSource {
  const tagged = flags.tag.length > 0 || flags.tagKey.length > 0;
  if (flags.association !== undefined && tagged) {
    throw new UsageError('give --association or the --tag / --tag-key its name derives from, not both: the association\'s own targets say which instances it covers');
  }
  if (flags.association === undefined && !tagged) {
    throw new UsageError('give --association NAME, or the --tag / --tag-key that swarm-audit schedule was given', 'NoTargetFilter');
  }
  if (flags.prefix !== undefined && flags.bucket === undefined) throw new UsageError('--prefix reads from --bucket: give --bucket too');
  const associationName = flags.association !== undefined ? checkAssociationName(flags.association, '--association') : defaultAssociationName(parseTagArgs(flags.tag, flags.tagKey));
  return {
    associationName,
    ...(flags.bucket !== undefined ? { bucket: flags.bucket, prefix: (flags.prefix ?? defaultOutputPrefix(associationName)).replace(/^\/+|\/+$/g, '') } : {}),
  };
}
