/**
 * Strict readers for the JSON lines Docker printed through the probe's
 * templates. Each takes the value and a path for the error message and throws
 * a 'malformed' ProbeDecodeError when the shape is not what Docker produces.
 */
import { malformed } from './decode-error.js';

export type JsonObject = Record<string, unknown>;

export function parseJsonLine(line: string, where: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch (error) {
    throw malformed(`${where}: invalid JSON (${(error as Error).message})`);
  }
}

export function asObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`${path}: expected an object`);
  }
  return value as JsonObject;
}

export function asString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw malformed(`${path}: expected a string`);
  return value;
}

export function asOptionalString(value: unknown, path: string): string | undefined {
  return value === undefined || value === null ? undefined : asString(value, path);
}

export function asBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw malformed(`${path}: expected a boolean`);
  return value;
}

export function asOptionalBoolean(value: unknown, path: string): boolean | undefined {
  return value === undefined || value === null ? undefined : asBoolean(value, path);
}

export function asInteger(value: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw malformed(`${path}: expected an integer in [${min}, ${max}]`);
  }
  return value;
}

/** Docker's map[string]string, which it prints as null when empty. */
export function asStringRecord(value: unknown, path: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  const record: Record<string, string> = {};
  for (const [key, item] of Object.entries(asObject(value, path))) {
    record[key] = asString(item, `${path}.${key}`);
  }
  return record;
}

/** Docker's slices, which it prints as null when empty. */
export function asArray(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw malformed(`${path}: expected an array`);
  return value;
}

export function asOneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  const text = asString(value, path);
  if (!(allowed as readonly string[]).includes(text)) {
    throw malformed(`${path}: unexpected value ${JSON.stringify(text)} (expected ${allowed.join('|')})`);
  }
  return text as T;
}
