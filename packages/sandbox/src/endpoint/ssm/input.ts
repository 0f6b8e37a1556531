/**
 * Typed access to an AWS JSON 1.1 request body with AWS's error vocabulary:
 * wrong JSON types are SerializationException, constraint violations are
 * ValidationException naming the member in camelCase, as AWS does.
 */
import { ServiceError, validationError } from '../service-error.js';

type Json = Record<string, unknown>;

export class JsonInput {
  constructor(private readonly body: Json) {}

  static parse(text: string): JsonInput {
    let parsed: unknown;
    try {
      parsed = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw new ServiceError('SerializationException', 'Request body is not valid JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ServiceError('SerializationException', 'Request body must be a JSON object.');
    }
    return new JsonInput(parsed as Json);
  }

  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  raw(name: string): unknown {
    return this.body[name];
  }

  string(name: string, rules: { required?: boolean; min?: number; max?: number; pattern?: RegExp } = {}): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) {
      if (rules.required) throw validationError('null', member(name), 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'string') throw typeError(name, 'string');
    if (rules.min !== undefined && value.length < rules.min) {
      throw validationError(value, member(name), `Member must have length greater than or equal to ${rules.min}`);
    }
    if (rules.max !== undefined && value.length > rules.max) {
      throw validationError(value, member(name), `Member must have length less than or equal to ${rules.max}`);
    }
    if (rules.pattern && !rules.pattern.test(value)) {
      throw validationError(value, member(name), `Member must satisfy regular expression pattern: ${rules.pattern.source}`);
    }
    return value;
  }

  integer(name: string, rules: { min?: number; max?: number } = {}): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(name, 'integer');
    if (rules.min !== undefined && value < rules.min) {
      throw validationError(String(value), member(name), `Member must have value greater than or equal to ${rules.min}`);
    }
    if (rules.max !== undefined && value > rules.max) {
      throw validationError(String(value), member(name), `Member must have value less than or equal to ${rules.max}`);
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw typeError(name, 'boolean');
    return value;
  }

  stringList(name: string, rules: { min?: number; max?: number; itemPattern?: RegExp } = {}): string[] | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw typeError(name, 'list of strings');
    checkLength(value, name, rules);
    if (rules.itemPattern) {
      for (const item of value as string[]) {
        if (!rules.itemPattern.test(item)) {
          throw validationError(`[${value.join(', ')}]`, member(name), `Member must satisfy constraint: [Member must satisfy regular expression pattern: ${rules.itemPattern.source}]`);
        }
      }
    }
    return value as string[];
  }

  objectList(name: string, rules: { min?: number; max?: number } = {}): JsonInput[] | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'object' || v === null || Array.isArray(v))) {
      throw typeError(name, 'list of structures');
    }
    checkLength(value, name, rules);
    return (value as Json[]).map((v) => new JsonInput(v));
  }

  object(name: string): JsonInput | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw typeError(name, 'structure');
    return new JsonInput(value as Json);
  }

  /** A map of string -> list of strings (SSM document Parameters). */
  parameterMap(name: string): Record<string, string[]> | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw typeError(name, 'map');
    const out: Record<string, string[]> = {};
    for (const [key, list] of Object.entries(value as Json)) {
      if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) throw typeError(`${name}.${key}`, 'list of strings');
      out[key] = list as string[];
    }
    return out;
  }

  stringMap(name: string): Record<string, string> | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
      throw typeError(name, 'map of strings');
    }
    return value as Record<string, string>;
  }

  /** Timestamps arrive as epoch seconds (numbers) from the SDKs. */
  timestamp(name: string, required = false): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) {
      if (required) throw validationError('null', member(name), 'Member must not be null');
      return undefined;
    }
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value) / 1000;
    throw typeError(name, 'timestamp');
  }
}

function checkLength(value: unknown[], name: string, rules: { min?: number; max?: number }): void {
  if (rules.max !== undefined && value.length > rules.max) {
    throw validationError(listPreview(value), member(name), `Member must have length less than or equal to ${rules.max}`);
  }
  if (rules.min !== undefined && value.length < rules.min) {
    throw validationError(listPreview(value), member(name), `Member must have length greater than or equal to ${rules.min}`);
  }
}

function listPreview(value: unknown[]): string {
  return `[${value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}]`;
}

/** AWS names members in validation messages with a lower-case first letter. */
function member(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function typeError(name: string, expected: string): ServiceError {
  return new ServiceError('SerializationException', `Member ${name} must be a ${expected}.`);
}
