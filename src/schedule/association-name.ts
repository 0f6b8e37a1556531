/**
 * The association's name when --name is not given: `swarm-audit-` and the tag
 * query (`--tag Swarm=prod` -> `swarm-audit-Swarm-prod`), so `schedule` finds
 * the same association again and `collect --tag` finds what `schedule --tag`
 * made. AWS names take `[a-zA-Z0-9_.-]{3,128}`; other characters become `-`.
 */
import { UsageError } from '../errors.js';
import type { TagQuery } from '../fleet/tag-query.js';

const ASSOCIATION_NAME = /^[a-zA-Z0-9_\-.]{3,128}$/;
const NAME_PREFIX = 'swarm-audit';

export function defaultAssociationName(query: TagQuery): string {
  const parts = [...query.tags.map((t) => `${t.key}-${t.values.join('-')}`), ...query.tagKeys];
  const name = [NAME_PREFIX, ...parts].join('-').replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 128);
  return checkAssociationName(name, 'the name derived from the tags');
}

export function checkAssociationName(name: string, what = '--name'): string {
  if (!ASSOCIATION_NAME.test(name)) throw new UsageError(`${what} ${JSON.stringify(name)}: an association name is 3-128 characters of a-z, A-Z, 0-9, _ . -`);
  return name;
}

/** Where schedule points the outputs by default, and where collect looks without --prefix. */
export function defaultOutputPrefix(associationName: string): string {
  return `${NAME_PREFIX}/${associationName}`;
}
