/**
 * JSON Schema validation (ajv) for the files swarm-audit reads back, with one
 * way of saying what is wrong: the path of the offending value and why
 * (`$.clusters[0].steps[1].script is not a known field`, or in the sandbox's
 * files `instances[2].exec.netnss: unknown field`).
 *
 * A field's `description`, when the schema gives one, names what a pattern,
 * constant or length expects (`$.digest must be sha256:<64 hex>`), instead of
 * the raw regular expression.
 */
import { Ajv, type ErrorObject } from 'ajv';

const ajv = new Ajv({ allErrors: false, strict: true, discriminator: true, verbose: true });

/** How a family of files words its problems. */
export interface ShapeDialect {
  /** The document itself: `$`, or '' (paths start at the first field). */
  root: string;
  /** Between the path and why: ' ' or ': '. */
  separator: string;
  unknownField: string;
  missing: string;
}

/** The remediation files (plan, journal): `$.options.keepName must be true or false`. */
const DOLLAR_PATHS: ShapeDialect = { root: '$', separator: ' ', unknownField: 'is not a known field', missing: 'is missing' };
/** The sandbox's files (fleet file): `instances[0].agent.pingStatus: is required`. */
export const FIELD_PATHS: ShapeDialect = { root: '', separator: ': ', unknownField: 'unknown field', missing: 'is required' };

/** Returns the first problem, or undefined when the value matches the schema. */
export type ShapeCheck = (value: unknown) => string | undefined;

export function shapeCheck(schema: object, dialect: ShapeDialect = DOLLAR_PATHS): ShapeCheck {
  const validate = ajv.compile(schema);
  return (value) => (validate(value) ? undefined : describe(validate.errors?.[0], dialect));
}

function describe(error: ErrorObject | undefined, dialect: ShapeDialect): string {
  const at = (path: string, why: string) => `${path === '' ? '(the document)' : path}${dialect.separator}${why}`;
  if (error === undefined) return at(dialect.root, 'is invalid');
  const path = jsonPath(error.instancePath, dialect.root);
  const params = error.params as Record<string, unknown>;
  const schema = (error.parentSchema ?? {}) as { description?: string; minimum?: number; maximum?: number };
  const got = `, got ${shortJson(error.data)}`;
  // a key refused by `propertyNames` (an environment variable's name, say): ajv reports it on its object
  const badName = (error as { propertyName?: string }).propertyName;
  if (badName !== undefined) return at(member(path, badName), 'is not a valid name');
  switch (error.keyword) {
    case 'additionalProperties':
      return at(member(path, String(params.additionalProperty)), dialect.unknownField);
    case 'required':
      return at(member(path, String(params.missingProperty)), dialect.missing);
    case 'type':
      return at(path, `must be ${TYPE_WORDS[String(params.type)] ?? String(params.type)}`);
    case 'enum':
      return at(path, `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}${got}`);
    case 'const':
      return at(path, `must be ${schema.description ?? JSON.stringify(params.allowedValue)}${got}`);
    case 'pattern':
      return at(path, `must be ${schema.description ?? `a string matching ${String(params.pattern)}`}${got}`);
    case 'minimum':
    case 'maximum':
      return at(path, `${range(schema)}${got}`);
    case 'minItems':
    case 'maxItems':
      return at(path, schema.description ? `must be ${schema.description}` : (error.message ?? 'has the wrong length'));
    case 'discriminator':
      return at(member(path, String(params.tag)), `${JSON.stringify(params.tagValue)} is not a known ${schema.description ?? 'kind'}`);
    default:
      return at(path, error.message ?? 'is invalid');
  }
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  boolean: 'true or false',
  integer: 'an integer',
  number: 'a number',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function range({ minimum, maximum }: { minimum?: number; maximum?: number }): string {
  if (minimum !== undefined && maximum !== undefined) return `must be between ${minimum} and ${maximum}`;
  return minimum !== undefined ? `must be at least ${minimum}` : `must be at most ${String(maximum)}`;
}

/** The offending value, short and with control characters escaped (it is printed on a terminal). */
function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** ajv's JSON pointer ("/clusters/0/steps/1") as a path ("$.clusters[0].steps[1]"). */
function jsonPath(pointer: string, root: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : member(path, part)), root);
}

function member(path: string, name: string): string {
  if (!/^[A-Za-z_$][\w$-]*$/.test(name)) return `${path}[${JSON.stringify(name)}]`;
  return path === '' ? name : `${path}.${name}`;
}
