/**
 * What BatchImportFindings checks in each finding, from the ASFF syntax
 * documentation: the required attributes, SchemaVersion 2018-10-08, field
 * lengths and enums, at most 240 KB per finding, and - for the account's
 * "default" product - a ProductArn and AwsAccountId of the calling account
 * in the region the request was signed for. A finding that breaks a rule
 * comes back in FailedFindings; the others of the batch are imported.
 */
export interface ImportCaller {
  account: string;
  region: string;
}

export interface FindingError {
  ErrorCode: string;
  ErrorMessage: string;
}

type Json = Record<string, unknown>;

const MAX_FINDING_BYTES = 240 * 1024;
const REQUIRED = ['SchemaVersion', 'Id', 'ProductArn', 'GeneratorId', 'AwsAccountId', 'Types', 'CreatedAt', 'UpdatedAt', 'Severity', 'Title', 'Description', 'Resources'] as const;
const TYPE_NAMESPACES = ['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications'];
const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const COMPLIANCE_STATUSES = ['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'];
const RECORD_STATES = ['ACTIVE', 'ARCHIVED'];
/** RFC 3339 as ASFF takes it: date, time, optional fraction, Z or an offset. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function defaultProductArn(caller: ImportCaller): string {
  return `arn:aws:securityhub:${caller.region}:${caller.account}:product/${caller.account}/default`;
}

/** The first rule the finding breaks, or undefined when Security Hub would import it. */
export function findingError(finding: unknown, caller: ImportCaller): FindingError | undefined {
  if (typeof finding !== 'object' || finding === null || Array.isArray(finding)) return invalid('data', 'should be object');
  const f = finding as Json;
  if (Buffer.byteLength(JSON.stringify(f)) > MAX_FINDING_BYTES) {
    return { ErrorCode: 'FindingSizeExceeded', ErrorMessage: `Finding exceeds the maximum allowed size of ${MAX_FINDING_BYTES / 1024} KB` };
  }
  for (const name of REQUIRED) if (f[name] === undefined || f[name] === null) return invalid('data', `should have required property '${name}'`);
  return formatError(f) ?? accountError(f, caller);
}

function formatError(f: Json): FindingError | undefined {
  if (f.SchemaVersion !== '2018-10-08') return invalid('data.SchemaVersion', "should be equal to one of the allowed values: '2018-10-08'");
  return (
    stringError(f, 'Id', 512) ??
    stringError(f, 'ProductArn', 2048) ??
    stringError(f, 'GeneratorId', 512) ??
    stringError(f, 'Title', 256) ??
    stringError(f, 'Description', 1024) ??
    timestampError(f, 'CreatedAt') ??
    timestampError(f, 'UpdatedAt') ??
    typesError(f.Types) ??
    severityError(f.Severity) ??
    resourcesError(f.Resources) ??
    productFieldsError(f.ProductFields) ??
    enumError(f, 'RecordState', RECORD_STATES) ??
    complianceError(f.Compliance)
  );
}

function accountError(f: Json, caller: ImportCaller): FindingError | undefined {
  const expected = defaultProductArn(caller);
  if (f.ProductArn !== expected) {
    return { ErrorCode: 'AccessDeniedException', ErrorMessage: `Account ${caller.account} is not allowed to import findings for product ${String(f.ProductArn)} (expected ${expected})` };
  }
  if (f.AwsAccountId !== caller.account) {
    return { ErrorCode: 'AccessDeniedException', ErrorMessage: `Account ${caller.account} cannot import findings for account ${String(f.AwsAccountId)} with the default product` };
  }
  return undefined;
}

function stringError(f: Json, name: string, max: number): FindingError | undefined {
  const value = f[name];
  if (typeof value !== 'string') return invalid(`data.${name}`, 'should be string');
  if (value.length < 1) return invalid(`data.${name}`, 'should NOT be shorter than 1 characters');
  if (value.length > max) return invalid(`data.${name}`, `should NOT be longer than ${max} characters`);
  return undefined;
}

function timestampError(f: Json, name: string): FindingError | undefined {
  const value = f[name];
  if (typeof value !== 'string' || !TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) {
    return invalid(`data.${name}`, 'should match format "date-time"');
  }
  return undefined;
}

function typesError(types: unknown): FindingError | undefined {
  if (!Array.isArray(types) || types.length < 1 || types.length > 50) return invalid('data.Types', 'should be an array of 1 to 50 items');
  for (const [i, type] of types.entries()) {
    const parts = typeof type === 'string' ? type.split('/') : [];
    if (typeof type !== 'string' || type.length > 128 || parts.length > 3 || !TYPE_NAMESPACES.includes(parts[0])) {
      return invalid(`data.Types[${i}]`, 'should match "namespace/category/classifier" with a known namespace');
    }
  }
  return undefined;
}

function severityError(severity: unknown): FindingError | undefined {
  if (typeof severity !== 'object' || severity === null) return invalid('data.Severity', 'should be object');
  const s = severity as Json;
  if (s.Label === undefined && s.Normalized === undefined) return invalid('data.Severity', "should have required property 'Label'");
  if (s.Label !== undefined && !SEVERITY_LABELS.includes(s.Label as string)) return invalid('data.Severity.Label', 'should be equal to one of the allowed values');
  if (s.Original !== undefined && (typeof s.Original !== 'string' || s.Original.length > 64)) return invalid('data.Severity.Original', 'should be a string of at most 64 characters');
  return undefined;
}

function resourcesError(resources: unknown): FindingError | undefined {
  if (!Array.isArray(resources) || resources.length < 1 || resources.length > 32) return invalid('data.Resources', 'should be an array of 1 to 32 items');
  for (const [i, resource] of resources.entries()) {
    if (typeof resource !== 'object' || resource === null) return invalid(`data.Resources[${i}]`, 'should be object');
    const error = stringError(resource as Json, 'Type', 256) ?? stringError(resource as Json, 'Id', 512);
    if (error) return { ...error, ErrorMessage: error.ErrorMessage.replace('data.', `data.Resources[${i}].`) };
  }
  return undefined;
}

function productFieldsError(fields: unknown): FindingError | undefined {
  if (fields === undefined) return undefined;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return invalid('data.ProductFields', 'should be object');
  const entries = Object.entries(fields);
  if (entries.length > 50) return invalid('data.ProductFields', 'should NOT have more than 50 properties');
  for (const [key, value] of entries) {
    if (key.length > 128 || typeof value !== 'string' || value.length > 2048) {
      return invalid(`data.ProductFields['${key.slice(0, 64)}']`, 'key should be at most 128 and value at most 2048 characters');
    }
  }
  return undefined;
}

function complianceError(compliance: unknown): FindingError | undefined {
  if (compliance === undefined) return undefined;
  if (typeof compliance !== 'object' || compliance === null) return invalid('data.Compliance', 'should be object');
  return enumError(compliance as Json, 'Status', COMPLIANCE_STATUSES, 'data.Compliance');
}

function enumError(f: Json, name: string, allowed: readonly string[], at = 'data'): FindingError | undefined {
  if (f[name] === undefined || allowed.includes(f[name] as string)) return undefined;
  return invalid(`${at}.${name}`, `should be equal to one of the allowed values: ${allowed.join(', ')}`);
}

/** AWS's wording: "Finding does not adhere to Amazon Security Finding Format. data.X should ..." */
function invalid(path: string, problem: string): FindingError {
  return { ErrorCode: 'InvalidInput', ErrorMessage: `Finding does not adhere to Amazon Security Finding Format. ${path} ${problem}` };
}
