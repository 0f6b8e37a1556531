/**
 * The probe's own summary lines ("total=3 esp-vxlan=2", "netid=tcp
 * local=10.0.0.5:2377"): space-separated key=value pairs, read by name
 * through a RecordSchema, so a newer probe may add a pair. Values hold no
 * spaces (the probe writes counts, words and addresses).
 */
import { malformed } from './decode-error.js';
import { readFields, type Fields, type RecordOf, type RecordSchema } from './record-schema.js';

const PAIR = /^([a-z][a-z0-9-]*)=(.*)$/;

/** The pairs of one line; a token that is not key=value, or a repeated key, is 'malformed'. */
function keyValuePairs(line: string, where: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const token of line.trim().split(/\s+/)) {
    const match = PAIR.exec(token);
    if (!match) throw malformed(`${where}: expected key=value, got ${JSON.stringify(token.slice(0, 80))}`);
    if (pairs.has(match[1])) throw malformed(`${where}: key ${match[1]} appears twice`);
    pairs.set(match[1], match[2]);
  }
  return pairs;
}

export function readKeyValueRecord<F extends Fields>(schema: RecordSchema<F>, line: string, where: string): RecordOf<F> {
  return readFields(schema, Object.fromEntries(keyValuePairs(line, where)), where);
}

/** A non-negative decimal count of at most 9 digits. */
export function countValue(value: unknown, path: string): number {
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) throw malformed(`${path}: expected a count, got ${JSON.stringify(value)}`);
  return Number(value);
}

export function wordValue<T extends string>(allowed: readonly T[]): (value: unknown, path: string) => T {
  return (value, path) => {
    if (!(allowed as readonly unknown[]).includes(value)) {
      throw malformed(`${path}: unexpected value ${JSON.stringify(value)} (expected ${allowed.join('|')})`);
    }
    return value as T;
  };
}

export function textValue(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw malformed(`${path}: expected a non-empty value`);
  return value;
}
