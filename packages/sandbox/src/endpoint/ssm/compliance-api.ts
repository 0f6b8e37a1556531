/** PutComplianceItems and ListComplianceItems (ResourceType ManagedInstance only). */
import { isManaged } from '../fleet-index.js';
import { paginate } from '../pagination.js';
import { ServiceError } from '../service-error.js';
import type { ComplianceItemRecord } from './compliance-store.js';
import type { SsmContext } from './context.js';
import type { JsonInput } from './input.js';
import { queryKey } from './query-key.js';

const COMPLIANCE_TYPE = /^([A-Za-z0-9_-]\w+|Custom:[a-zA-Z0-9_-]\w+)$/;
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNSPECIFIED'];
const STATUSES = ['COMPLIANT', 'NON_COMPLIANT'];

export function putComplianceItems(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const resourceId = input.string('ResourceId', { required: true, min: 1, max: 100 })!;
  const resourceType = input.string('ResourceType', { required: true, min: 1, max: 50 })!;
  const complianceType = input.string('ComplianceType', { required: true, min: 1, max: 100, pattern: COMPLIANCE_TYPE })!;
  const summary = input.object('ExecutionSummary');
  if (!summary) throw new ServiceError('ValidationException', "1 validation error detected: Value null at 'executionSummary' failed to satisfy constraint: Member must not be null");
  const executionSummary = {
    ExecutionTime: summary.timestamp('ExecutionTime', true)!,
    ...(summary.has('ExecutionId') ? { ExecutionId: summary.string('ExecutionId', { max: 100 }) } : {}),
    ...(summary.has('ExecutionType') ? { ExecutionType: summary.string('ExecutionType', { max: 50 }) } : {}),
  };
  const items = input.objectList('Items', { max: 10_000 });
  if (!items) throw new ServiceError('ValidationException', "1 validation error detected: Value null at 'items' failed to satisfy constraint: Member must not be null");
  const uploadType = input.string('UploadType') ?? 'COMPLETE';
  if (uploadType !== 'COMPLETE' && uploadType !== 'PARTIAL') throw new ServiceError('ValidationException', 'UploadType must be COMPLETE or PARTIAL.');
  if (resourceType !== 'ManagedInstance') throw new ServiceError('InvalidResourceType', 'The resource type is not valid (ManagedInstance only in the sandbox).');
  if (!isManaged(ctx.fleet.instance(resourceId))) throw new ServiceError('InvalidResourceId', `The resource ID ${resourceId} is not a managed instance.`);

  const records: ComplianceItemRecord[] = items.map((item, index) => {
    const severity = item.string('Severity', { required: true })!;
    const status = item.string('Status', { required: true })!;
    if (!SEVERITIES.includes(severity)) throw new ServiceError('InvalidItemContentException', `Items[${index}].Severity ${severity} is not valid.`);
    if (!STATUSES.includes(status)) throw new ServiceError('InvalidItemContentException', `Items[${index}].Status ${status} is not valid.`);
    return {
      ComplianceType: complianceType,
      ResourceType: resourceType,
      ResourceId: resourceId,
      Id: item.string('Id') ?? '',
      Title: item.string('Title', { max: 500 }) ?? '',
      Status: status,
      Severity: severity,
      ExecutionSummary: executionSummary,
      Details: item.stringMap('Details') ?? {},
    };
  });
  ctx.compliance.put(resourceId, complianceType, records, uploadType);
  return {};
}

export function listComplianceItems(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const resourceIds = input.stringList('ResourceIds', { min: 1 });
  const resourceTypes = input.stringList('ResourceTypes', { min: 1 });
  const maxResults = input.integer('MaxResults', { min: 1, max: 50 }) ?? 10;
  const filters = (input.objectList('Filters') ?? []).map((f) => ({
    key: f.string('Key', { required: true, min: 1, max: 200 })!,
    values: f.stringList('Values', { min: 1, max: 20 }) ?? [],
    type: f.string('Type') ?? 'EQUAL',
  }));
  const matches = (item: ComplianceItemRecord) =>
    (!resourceIds || resourceIds.includes(item.ResourceId)) &&
    (!resourceTypes || resourceTypes.includes(item.ResourceType)) &&
    filters.every((f) => matchesComplianceFilter(item, f));
  const page = paginate(ctx.compliance.all().filter(matches), maxResults, input.string('NextToken'), queryKey('ListComplianceItems', input), 'InvalidNextToken');
  return { ComplianceItems: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}

function matchesComplianceFilter(item: ComplianceItemRecord, filter: { key: string; values: string[]; type: string }): boolean {
  const fields: Record<string, string> = {
    ComplianceType: item.ComplianceType,
    Status: item.Status,
    Severity: item.Severity,
    Id: item.Id,
    ResourceId: item.ResourceId,
    ResourceType: item.ResourceType,
  };
  const actual = fields[filter.key];
  if (actual === undefined) throw new ServiceError('InvalidFilter', `The filter key ${filter.key} is not supported.`);
  switch (filter.type) {
    case 'EQUAL':
      return filter.values.includes(actual);
    case 'NOT_EQUAL':
      return !filter.values.includes(actual);
    case 'BEGIN_WITH':
      return filter.values.some((v) => actual.startsWith(v));
    default:
      throw new ServiceError('InvalidFilter', `The filter type ${filter.type} is not supported for ${filter.key}.`);
  }
}
