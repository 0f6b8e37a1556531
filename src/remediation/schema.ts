/**
 * A small strict reader for the JSON remediation reads back (saved plans,
 * journals): every value is checked against its declared shape, and a field
 * the shape does not declare is refused with its path, so nothing unreviewed
 * rides along in a file.
 */
import { UsageError } from '../errors.js';

export type Reader<T> = (value: unknown, path: string) => T;

export class SchemaError extends UsageError {
  constructor(
    readonly path: string,
    readonly why: string,
  ) {
    super(`${path} ${why}`, 'PlanInvalid');
  }
}

const fail = (path: string, why: string): never => {
  throw new SchemaError(path, why);
};

export const str: Reader<string> = (v, path) => (typeof v === 'string' ? v : fail(path, 'must be a string'));
export const bool: Reader<boolean> = (v, path) => (typeof v === 'boolean' ? v : fail(path, 'must be true or false'));
export const int: Reader<number> = (v, path) => (typeof v === 'number' && Number.isInteger(v) ? v : fail(path, 'must be an integer'));

export function literal<T extends string>(...allowed: T[]): Reader<T> {
  return (v, path) => (allowed.includes(v as T) ? (v as T) : fail(path, `must be one of ${allowed.join(', ')}`));
}

export function arr<T>(item: Reader<T>): Reader<T[]> {
  return (v, path) => (Array.isArray(v) ? v.map((x, i) => item(x, `${path}[${i}]`)) : fail(path, 'must be an array'));
}

function plainObject(v: unknown, path: string): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(path, 'must be an object');
}

type Fields<T> = { [K in keyof T]-?: Reader<T[K]> };

/**
 * An object with exactly these fields: unknown ones are refused, and a field
 * is optional only when its reader accepts undefined (see `optional`).
 */
export function obj<T>(fields: Fields<T>): Reader<T> {
  return (v, path) => {
    const o = plainObject(v, path);
    for (const key of Object.keys(o)) if (!(key in fields)) fail(`${path}.${key}`, 'is not a known field');
    const out: Record<string, unknown> = {};
    for (const [key, read] of Object.entries<Reader<unknown>>(fields)) {
      const value = read(o[key], `${path}.${key}`);
      if (value !== undefined) out[key] = value;
    }
    return out as T;
  };
}

export function optional<T>(read: Reader<T>): Reader<T | undefined> {
  return (v, path) => (v === undefined ? undefined : read(v, path));
}

