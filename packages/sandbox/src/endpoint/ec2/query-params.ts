/**
 * EC2 query protocol input: flattened form fields (Filter.1.Name,
 * Filter.1.Value.2, InstanceId.3, MaxResults, NextToken) read back into lists.
 */
import { ServiceError } from '../service-error.js';

export interface Ec2Filter {
  name: string;
  values: string[];
}

export class QueryParams {
  constructor(private readonly params: URLSearchParams) {}

  get(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  /** `Prefix.1`, `Prefix.2`, ... in index order. */
  list(prefix: string): string[] {
    return indexed(this.params, prefix, (key) => /^\d+$/.test(key)).map(([, value]) => value);
  }

  filters(): Ec2Filter[] {
    const names = new Map<number, string>();
    const values = new Map<number, [number, string][]>();
    for (const [key, value] of this.params) {
      const match = /^Filter\.(\d{1,4})\.(?:Name|Value\.(\d{1,4}))$/.exec(key);
      if (!match) continue;
      const index = Number(match[1]);
      if (match[2] === undefined) names.set(index, value);
      else values.set(index, [...(values.get(index) ?? []), [Number(match[2]), value]]);
    }
    for (const index of values.keys()) {
      if (!names.has(index)) throw new ServiceError('InvalidParameterValue', `Filter.${index} is missing its Name.`);
    }
    return [...names.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, name]) => ({ name, values: (values.get(index) ?? []).sort(([a], [b]) => a - b).map(([, v]) => v) }));
  }

  integer(name: string): number | undefined {
    const raw = this.get(name);
    if (raw === undefined) return undefined;
    if (!/^-?\d+$/.test(raw)) throw new ServiceError('InvalidParameterValue', `Value (${raw}) for parameter ${lowerFirst(name)} is invalid.`);
    return Number(raw);
  }

  fingerprint(exclude: string[]): string {
    return [...this.params].filter(([k]) => !exclude.includes(k)).sort().map(([k, v]) => `${k}=${v}`).join('&');
  }
}

function indexed(params: URLSearchParams, prefix: string, accept: (suffix: string) => boolean): [number, string][] {
  const out: [number, string][] = [];
  for (const [key, value] of params) {
    if (!key.startsWith(`${prefix}.`)) continue;
    const suffix = key.slice(prefix.length + 1);
    if (accept(suffix)) out.push([Number(suffix), value]);
  }
  return out.sort(([a], [b]) => a - b);
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
