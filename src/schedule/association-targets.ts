/**
 * Our tag query as State Manager Targets, and back. A `tag:KEY` target ORs its
 * values and targets AND across keys, as `--tag` does; each `--tag-key` is its
 * own `tag-key` target (one target ORs its keys, our flag ANDs them). SSM
 * Targets take no wildcards and at most 5 entries (CreateAssociation limits).
 */
import type { Target } from '@aws-sdk/client-ssm';
import { UsageError } from '../errors.js';
import type { TagQuery } from '../fleet/tag-query.js';

const MAX_TARGETS = 5;

export function targetsOf(query: TagQuery): Target[] {
  const targets: Target[] = [
    ...query.tags.map((t) => ({ Key: `tag:${t.key}`, Values: [...t.values] })),
    ...query.tagKeys.map((key) => ({ Key: 'tag-key', Values: [key] })),
  ];
  const wildcard = targets.flatMap((t) => t.Values ?? []).find((v) => /[*?]/.test(v));
  if (wildcard !== undefined) throw new UsageError(`${wildcard}: State Manager targets take exact tag values, no wildcards`, 'InvalidTagFilter');
  if (targets.length > MAX_TARGETS) throw new UsageError(`an association takes at most ${MAX_TARGETS} targets (tag keys), got ${targets.length}`, 'InvalidTagFilter');
  return targets;
}

/** The tag query an association's Targets stand for; an association on instance ids is not one of ours. */
export function tagQueryOf(targets: readonly Target[], associationName: string): TagQuery {
  const query: TagQuery = { tags: [], tagKeys: [] };
  for (const target of targets) {
    const key = target.Key ?? '';
    const values = target.Values ?? [];
    if (key.startsWith('tag:')) query.tags.push({ key: key.slice(4), values: [...values] });
    else if (key === 'tag-key') query.tagKeys.push(...values);
    else throw new UsageError(`association ${associationName} targets ${key}: collect reads associations that target tags (schedule makes those)`, 'UnsupportedTargets');
  }
  if (query.tags.length === 0 && query.tagKeys.length === 0) throw new UsageError(`association ${associationName} has no tag targets`, 'UnsupportedTargets');
  return query;
}
