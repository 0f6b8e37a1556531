/**
 * GetFindings filters (AwsSecurityFindingFilters), the subset the sandbox
 * implements: string filters on the attributes below and map filters on
 * ProductFields. As AWS documents: within one attribute, EQUALS and PREFIX
 * filters are ORed, NOT_EQUALS and PREFIX_NOT_EQUALS are ANDed, and the two
 * kinds cannot be mixed; different attributes are ANDed. Any other filter
 * attribute is refused (InvalidInputException) rather than ignored, so a
 * test never reads an unfiltered answer as a filtered one.
 */
import { ServiceError } from '../service-error.js';
import type { StoredFinding } from './finding-store.js';

type Json = Record<string, unknown>;
type Extract = (finding: StoredFinding) => unknown[];

const nested = (outer: string, inner: string): Extract => (f) => [(f[outer] as Json | undefined)?.[inner]];
const top = (name: string): Extract => (f) => [f[name]];
const ofResources = (name: string): Extract => (f) => ((f.Resources as Json[] | undefined) ?? []).map((r) => r[name]);

const STRING_ATTRIBUTES: Record<string, Extract> = {
  Id: top('Id'),
  ProductArn: top('ProductArn'),
  AwsAccountId: top('AwsAccountId'),
  GeneratorId: top('GeneratorId'),
  Region: top('Region'),
  Title: top('Title'),
  Description: top('Description'),
  ProductName: top('ProductName'),
  CompanyName: top('CompanyName'),
  RecordState: top('RecordState'),
  WorkflowState: top('WorkflowState'),
  Type: (f) => (f.Types as unknown[] | undefined) ?? [],
  SeverityLabel: nested('Severity', 'Label'),
  ComplianceStatus: nested('Compliance', 'Status'),
  WorkflowStatus: nested('Workflow', 'Status'),
  ResourceId: ofResources('Id'),
  ResourceType: ofResources('Type'),
};

const POSITIVE = new Set(['EQUALS', 'PREFIX']);
const NEGATIVE = new Set(['NOT_EQUALS', 'PREFIX_NOT_EQUALS']);

export type FindingPredicate = (finding: StoredFinding) => boolean;

export function parseFilters(filters: unknown): FindingPredicate {
  if (filters === undefined || filters === null) return () => true;
  if (typeof filters !== 'object' || Array.isArray(filters)) throw invalidInput('Filters must be an object');
  const predicates = Object.entries(filters as Json).map(([attribute, list]) => attributePredicate(attribute, list));
  return (finding) => predicates.every((p) => p(finding));
}

function attributePredicate(attribute: string, list: unknown): FindingPredicate {
  if (!Array.isArray(list)) throw invalidInput(`Filters.${attribute} must be a list`);
  if (attribute === 'ProductFields') return mapPredicate(list);
  const extract = STRING_ATTRIBUTES[attribute];
  if (!Object.hasOwn(STRING_ATTRIBUTES, attribute) || extract === undefined) {
    throw invalidInput(`Filter attribute ${attribute} is not supported by the sandbox endpoint (supported: ${[...Object.keys(STRING_ATTRIBUTES), 'ProductFields'].join(', ')})`);
  }
  const tests = list.map((filter, i) => stringFilter(attribute, i, filter));
  const positive = tests.filter((t) => t.positive);
  const negative = tests.filter((t) => !t.positive);
  if (positive.length > 0 && negative.length > 0) {
    throw invalidInput(`Filters.${attribute}: EQUALS or PREFIX cannot be combined with NOT_EQUALS or PREFIX_NOT_EQUALS on the same attribute`);
  }
  return (finding) => {
    const values = extract(finding).filter((v): v is string => typeof v === 'string');
    if (positive.length > 0) return positive.some((t) => values.some(t.matches));
    return negative.every((t) => !values.some(t.matches));
  };
}

function stringFilter(attribute: string, index: number, filter: unknown): { positive: boolean; matches: (value: string) => boolean } {
  const { Value, Comparison } = (filter ?? {}) as Json;
  if (typeof Value !== 'string' || Value === '' || typeof Comparison !== 'string') {
    throw invalidInput(`Filters.${attribute}[${index}] needs a non-empty Value and a Comparison`);
  }
  if (!POSITIVE.has(Comparison) && !NEGATIVE.has(Comparison)) {
    throw invalidInput(`Filters.${attribute}[${index}].Comparison must be one of EQUALS, PREFIX, NOT_EQUALS, PREFIX_NOT_EQUALS`);
  }
  const prefix = Comparison.startsWith('PREFIX');
  return { positive: POSITIVE.has(Comparison), matches: (value) => (prefix ? value.startsWith(Value) : value === Value) };
}

function mapPredicate(list: unknown[]): FindingPredicate {
  const tests = list.map((filter, i) => {
    const { Key, Value, Comparison } = (filter ?? {}) as Json;
    if (typeof Key !== 'string' || typeof Value !== 'string' || (Comparison !== 'EQUALS' && Comparison !== 'NOT_EQUALS')) {
      throw invalidInput(`Filters.ProductFields[${i}] needs Key, Value and Comparison EQUALS or NOT_EQUALS`);
    }
    return { key: Key, value: Value, equals: Comparison === 'EQUALS' };
  });
  return (finding) => {
    const fields = (finding.ProductFields ?? {}) as Json;
    return tests.every((t) => (fields[t.key] === t.value) === t.equals);
  };
}

export function invalidInput(message: string): ServiceError {
  return new ServiceError('InvalidInputException', message);
}
