/**
 * JSON Schema validation (ajv) for the files swarm-audit reads back, with one
 * way of saying what is wrong: the path of the offending value from the
 * document's root `$` (`$.clusters[0].steps[1].script is not a known field`).
 *
 * A field's `description`, when the schema gives one, names what a pattern
 * or constant expects (`$.digest must be sha256:<64 hex>`), instead of the
 * raw regular expression.
 */
import { Ajv, type ErrorObject } from 'ajv';

const ajv = new Ajv({ allErrors: false, strict: true, discriminator: true, verbose: true });

/** Returns the first problem, or undefined when the value matches the schema. */
export type ShapeCheck = (value: unknown) => string | undefined;

export function shapeCheck(schema: object): ShapeCheck {
  const validate = ajv.compile(schema);
  return (value) => (validate(value) ? undefined : describe(validate.errors?.[0]));
}

function describe(error: ErrorObject | undefined): string {
  if (error === undefined) return '$ is invalid';
  const path = jsonPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const expected = (error.parentSchema as { description?: string } | undefined)?.description;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${member(path, String(params.additionalProperty))} is not a known field`;
    case 'required':
      return `${member(path, String(params.missingProperty))} is missing`;
    case 'type':
      return `${path} must be ${TYPE_WORDS[String(params.type)] ?? String(params.type)}`;
    case 'enum':
      return `${path} must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `${path} must be ${expected ?? JSON.stringify(params.allowedValue)}`;
    case 'pattern':
      return `${path} must be ${expected ?? `a string matching ${String(params.pattern)}`}`;
    case 'discriminator':
      return `${member(path, String(params.tag))} ${JSON.stringify(params.tagValue)} is not a known ${expected ?? 'kind'}`;
    default:
      return `${path} ${error.message ?? 'is invalid'}`;
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

/** ajv's JSON pointer ("/clusters/0/steps/1") as a path from `$` ("$.clusters[0].steps[1]"). */
function jsonPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : member(path, part)), '$');
}

function member(path: string, name: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}
