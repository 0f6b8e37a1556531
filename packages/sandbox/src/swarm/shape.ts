/**
 * Strict readers for untrusted JSON: every problem is collected with the
 * field's path (`nodes[2].role`), unknown fields included, so one run of the
 * validator tells the operator everything that is wrong.
 */
export class ShapeIssues {
  readonly list: string[] = [];

  add(path: string, message: string): void {
    this.list.push(`${path || '(root)'}: ${message}`);
  }
}

export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The object at path, with unknown fields reported; undefined (and an issue) when not an object. */
export function readObject(
  value: unknown,
  path: string,
  allowedFields: readonly string[],
  issues: ShapeIssues,
): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.add(path, `expected an object, got ${describeType(value)}`);
    return undefined;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowedFields.includes(key)) issues.add(childPath(path, key), 'unknown field');
  }
  return record;
}

export function readArray(value: unknown, path: string, issues: ShapeIssues): unknown[] | undefined {
  if (!Array.isArray(value)) {
    issues.add(path, `expected an array, got ${describeType(value)}`);
    return undefined;
  }
  const items: unknown[] = value;
  return items;
}

export interface StringRule {
  pattern?: RegExp;
  patternHint?: string;
  oneOf?: readonly string[];
  maxLength?: number;
}

export function readString(value: unknown, path: string, issues: ShapeIssues, rule: StringRule = {}): string | undefined {
  if (typeof value !== 'string') {
    issues.add(path, `expected a string, got ${describeType(value)}`);
    return undefined;
  }
  if (rule.oneOf && !rule.oneOf.includes(value)) {
    issues.add(path, `must be one of ${rule.oneOf.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`);
    return undefined;
  }
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    issues.add(path, `longer than ${rule.maxLength} characters`);
    return undefined;
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    issues.add(path, `${JSON.stringify(value.slice(0, 80))} ${rule.patternHint ?? `does not match ${rule.pattern}`}`);
    return undefined;
  }
  return value;
}

export function readBoolean(value: unknown, path: string, issues: ShapeIssues): boolean | undefined {
  if (typeof value !== 'boolean') {
    issues.add(path, `expected a boolean, got ${describeType(value)}`);
    return undefined;
  }
  return value;
}

export function readInteger(value: unknown, path: string, issues: ShapeIssues, min: number, max: number): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    issues.add(path, `expected an integer, got ${describeType(value)}`);
    return undefined;
  }
  if (value < min || value > max) {
    issues.add(path, `must be between ${min} and ${max}, got ${value}`);
    return undefined;
  }
  return value;
}

/** A string-to-string map whose keys and values both pass their rules. */
export function readStringMap(
  value: unknown,
  path: string,
  issues: ShapeIssues,
  keyRule: StringRule,
  valueRule: StringRule,
): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.add(path, `expected an object of strings, got ${describeType(value)}`);
    return undefined;
  }
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    const keyPath = childPath(path, key);
    const checkedKey = readString(key, keyPath, issues, keyRule);
    const checkedValue = readString(entry, keyPath, issues, valueRule);
    if (checkedKey !== undefined && checkedValue !== undefined) result[checkedKey] = checkedValue;
  }
  return result;
}
