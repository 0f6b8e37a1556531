/**
 * The discovery flag grammar.
 *
 *   --tag KEY=VALUE       instances whose tag KEY equals VALUE
 *   --tag KEY=V1,V2       ... equals V1 or V2 (values are ORed)
 *   --tag K1=A --tag K2=B both tags must match (keys are ANDed)
 *   --tag K=A --tag K=B   the same key twice merges its values: K is A or B
 *                         (as AWS does with one filter per key; an AND of two
 *                         values of one tag could never match)
 *   --tag-key KEY         instances that carry KEY, whatever its value;
 *                         repeated keys are ANDed like --tag
 *
 * Values are split on ',' and passed to EC2 unchanged, so EC2 wildcards
 * (`*`, `?`) work; a value cannot contain a comma. At least one --tag or
 * --tag-key is required: an empty query would audit the whole account.
 */
import { UsageError } from '../errors.js';

interface TagFilter {
  key: string;
  /** ORed values. */
  values: string[];
}

export interface TagQuery {
  /** ANDed across entries. */
  tags: TagFilter[];
  /** Every key must be present. */
  tagKeys: string[];
}

/** EC2 accepts at most 200 values per filter; we stop earlier, as a guard against pasted lists. */
const MAX_VALUES_PER_KEY = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;

export function parseTagArgs(tags: readonly string[] = [], tagKeys: readonly string[] = []): TagQuery {
  const byKey = new Map<string, Set<string>>();
  for (const arg of tags) {
    const { key, values } = parseTagArg(arg);
    const merged = byKey.get(key) ?? new Set<string>();
    for (const value of values) merged.add(value);
    if (merged.size > MAX_VALUES_PER_KEY) {
      throw invalid(`--tag ${key}: more than ${MAX_VALUES_PER_KEY} values`);
    }
    byKey.set(key, merged);
  }
  const keys = [...new Set(tagKeys.map(parseTagKey))];
  if (byKey.size === 0 && keys.length === 0) {
    throw new UsageError(
      'give at least one --tag KEY=VALUE or --tag-key KEY: swarm-audit never targets a whole account',
      'NoTargetFilter',
    );
  }
  return {
    tags: [...byKey].map(([key, values]) => ({ key, values: [...values] })),
    tagKeys: keys,
  };
}

function parseTagArg(arg: string): TagFilter {
  const eq = arg.indexOf('=');
  if (eq < 0) throw invalid(`--tag ${JSON.stringify(arg)}: expected KEY=VALUE (use --tag-key KEY to match any value)`);
  const key = checkKey(arg.slice(0, eq), `--tag ${JSON.stringify(arg)}`);
  const values = arg.slice(eq + 1).split(',');
  for (const value of values) {
    if (value === '') throw invalid(`--tag ${JSON.stringify(arg)}: empty value`);
    if (value.length > MAX_VALUE_LENGTH) throw invalid(`--tag ${key}: value longer than ${MAX_VALUE_LENGTH} characters`);
  }
  if (values.length > MAX_VALUES_PER_KEY) throw invalid(`--tag ${key}: more than ${MAX_VALUES_PER_KEY} values`);
  return { key, values };
}

function parseTagKey(key: string): string {
  return checkKey(key, `--tag-key ${JSON.stringify(key)}`);
}

function checkKey(key: string, where: string): string {
  if (key.trim() === '') throw invalid(`${where}: empty tag key`);
  if (key.length > MAX_KEY_LENGTH) throw invalid(`${where}: tag key longer than ${MAX_KEY_LENGTH} characters`);
  return key;
}

function invalid(message: string): UsageError {
  return new UsageError(message, 'InvalidTagFilter');
}
