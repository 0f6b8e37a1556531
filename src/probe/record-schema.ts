/**
 * Named-field records: what each kind of probe record must carry, declared
 * once per kind. A record is a JSON object (Docker objects) or a line of
 * key=value pairs (the probe's own summaries); either way it is read by field
 * name, so a newer probe may add fields without breaking this decoder:
 *
 * - an unknown field is ignored;
 * - an optional field may be absent (its reader gets `undefined` and returns
 *   the documented default);
 * - a required field that is absent is a 'malformed' decode error naming the
 *   record kind and the field: the host is ERROR, never a guessed PASS;
 * - a field of the wrong type is 'malformed' whether required or not.
 */
import { malformed } from './decode-error.js';
import { asObject } from './json-reader.js';

/** Reads one field's value (undefined when an optional field is absent); throws 'malformed' on a bad value. */
export type FieldReader<T> = (value: unknown, path: string) => T;

export interface FieldSpec<T> {
  required: boolean;
  read: FieldReader<T>;
}

export type Fields = Record<string, FieldSpec<unknown>>;

export interface RecordSchema<F extends Fields> {
  /** Named in errors: "service record ... has no field "Mode"". */
  kind: string;
  fields: F;
}

/** The decoded record: one property per declared field. */
export type RecordOf<F extends Fields> = { [K in keyof F]: F[K] extends FieldSpec<infer T> ? T : never };

/** Must be present; `read` still decides whether null (Docker's "empty") is accepted. */
export function required<T>(read: FieldReader<T>): FieldSpec<T> {
  return { required: true, read };
}

/** May be absent: `read` then gets undefined and returns the default. */
export function optional<T>(read: FieldReader<T>): FieldSpec<T> {
  return { required: false, read };
}

export function recordSchema<F extends Fields>(kind: string, fields: F): RecordSchema<F> {
  return { kind, fields };
}

/** The declared fields of `source`, read by name; fields not declared are ignored. */
export function readFields<F extends Fields>(schema: RecordSchema<F>, source: Readonly<Record<string, unknown>>, where: string): RecordOf<F> {
  const record: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema.fields)) {
    const present = Object.prototype.hasOwnProperty.call(source, name) && source[name] !== undefined;
    if (!present && spec.required) {
      throw malformed(`${where}: ${schema.kind} record has no field ${JSON.stringify(name)} (required)`);
    }
    record[name] = spec.read(present ? source[name] : undefined, `${where}.${name}`);
  }
  return record as RecordOf<F>;
}

/** A record printed as one JSON object. */
export function readJsonRecord<F extends Fields>(schema: RecordSchema<F>, value: unknown, where: string): RecordOf<F> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`${where}: expected a ${schema.kind} record (a JSON object)`);
  }
  return readFields(schema, asObject(value, where), where);
}
