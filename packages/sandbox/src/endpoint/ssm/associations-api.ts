/**
 * State Manager: CreateAssociation, UpdateAssociation, DescribeAssociation,
 * ListAssociations, DescribeAssociationExecutions,
 * DescribeAssociationExecutionTargets, DeleteAssociation, with AWS's shapes,
 * limits and error codes (botocore's ssm service model). Associations run:
 * see associations-runner.ts.
 */
import { randomUUID } from 'node:crypto';
import { parseScheduleExpression } from '../../../../../src/schedule/schedule-expression.js';
import { paginate } from '../pagination.js';
import { ServiceError } from '../service-error.js';
import {
  countByStatus,
  executionStatus,
  latestExecution,
  latestVersion,
  resourceCountByStatus,
  targetStatus,
  type AssociationExecution,
  type AssociationRecord,
  type AssociationSettings,
  type AssociationVersion,
  type S3OutputLocation,
} from './associations-store.js';
import type { SsmContext } from './context.js';
import { renderSteps } from './documents.js';
import type { JsonInput } from './input.js';
import { readTargets } from './targets.js';
import { epochSeconds } from './wire-format.js';

const DOCUMENT_ARN = /^[a-zA-Z0-9_\-.:/]{3,128}$/;
const INSTANCE_ID = /^(i-(\w{8}|\w{17}))$|^(mi-\w{17})$/;
const ASSOCIATION_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ASSOCIATION_NAME = /^[a-zA-Z0-9_\-.]{3,128}$/;
const ASSOCIATION_VERSION = /^([$]LATEST|[1-9][0-9]*)$/;
const DOCUMENT_VERSION = /^([$]LATEST|[$]DEFAULT|[1-9][0-9]*)$/;
const MAX_CONCURRENCY = /^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/;
const MAX_ERRORS = /^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNSPECIFIED'];
const LIST_FILTER_KEYS = ['InstanceId', 'Name', 'AssociationId', 'AssociationStatusName', 'LastExecutedBefore', 'LastExecutedAfter', 'AssociationName', 'ResourceGroupName'];
const EXECUTION_FILTER_KEYS = ['ExecutionId', 'Status', 'CreatedTime'];
const EXECUTION_FILTER_TYPES = ['EQUAL', 'LESS_THAN', 'GREATER_THAN'];
const TARGET_FILTER_KEYS = ['Status', 'ResourceId', 'ResourceType'];

export function createAssociation(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const settings = readSettings(ctx, input, undefined);
  if (settings.associationName !== undefined && ctx.associations.withName(settings.associationName)) {
    throw new ServiceError('AssociationAlreadyExists', 'The specified association already exists.');
  }
  const now = Date.now();
  const record: AssociationRecord = {
    associationId: randomUUID(),
    createdAt: now,
    updatedAt: now,
    versions: [{ ...settings, version: 1, createdAt: now }],
    executions: [],
  };
  ctx.associations.add(record);
  ctx.associationRunner.started(ctx, record);
  return { AssociationDescription: description(record, latestVersion(record), Date.now()) };
}

/** AWS overwrites every optional member the request leaves out (its documented UpdateAssociation behaviour). */
export function updateAssociation(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const record = findAssociation(ctx, input.string('AssociationId', { required: true, pattern: ASSOCIATION_ID })!);
  const current = latestVersion(record);
  const expected = input.string('AssociationVersion', { pattern: ASSOCIATION_VERSION });
  if (expected !== undefined && expected !== '$LATEST' && Number(expected) !== current.version) {
    throw new ServiceError('InvalidAssociationVersion', `The association version ${expected} is not the latest (${current.version}).`);
  }
  const settings = readSettings(ctx, input, current);
  if (settings.associationName !== undefined) {
    const other = ctx.associations.withName(settings.associationName);
    if (other && other !== record) throw new ServiceError('AssociationAlreadyExists', 'The specified association already exists.');
  }
  const now = Date.now();
  record.versions.push({ ...settings, version: current.version + 1, createdAt: now });
  record.updatedAt = now;
  ctx.associationRunner.started(ctx, record);
  return { AssociationDescription: description(record, latestVersion(record), Date.now()) };
}

export function describeAssociation(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const record = associationByIdOrInstance(ctx, input);
  const requested = input.string('AssociationVersion', { pattern: ASSOCIATION_VERSION });
  const version = requested === undefined || requested === '$LATEST' ? latestVersion(record) : record.versions[Number(requested) - 1];
  if (!version) throw new ServiceError('InvalidAssociationVersion', `The association version ${requested} does not exist.`);
  return { AssociationDescription: description(record, version, Date.now()) };
}

export function listAssociations(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const maxResults = input.integer('MaxResults', { min: 1, max: 50 }) ?? 50;
  const filters = (input.objectList('AssociationFilterList', { min: 1 }) ?? []).map((f) => ({
    key: oneOf(f.string('key', { required: true })!, LIST_FILTER_KEYS, 'AssociationFilterList.member.key'),
    value: f.string('value', { required: true, min: 1 })!,
  }));
  const now = Date.now();
  const matching = ctx.associations.all().filter((record) => filters.every((f) => matchesListFilter(record, f.key, f.value, now)));
  const page = paginate(matching.map((r) => listItem(r, now)), maxResults, input.string('NextToken'), `ListAssociations:${JSON.stringify(filters)}`, 'InvalidNextToken');
  return { Associations: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}

export function describeAssociationExecutions(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const record = findAssociation(ctx, input.string('AssociationId', { required: true, pattern: ASSOCIATION_ID })!);
  const maxResults = input.integer('MaxResults', { min: 1, max: 50 }) ?? 50;
  const filters = (input.objectList('Filters', { min: 1 }) ?? []).map((f) => ({
    key: oneOf(f.string('Key', { required: true })!, EXECUTION_FILTER_KEYS, 'Filters.member.Key'),
    value: f.string('Value', { required: true, min: 1 })!,
    type: oneOf(f.string('Type', { required: true })!, EXECUTION_FILTER_TYPES, 'Filters.member.Type'),
  }));
  const now = Date.now();
  const newestFirst = [...record.executions].reverse().filter((e) => filters.every((f) => matchesExecutionFilter(e, f, now)));
  const shaped = newestFirst.map((e) => executionShape(record, e, now));
  const page = paginate(shaped, maxResults, input.string('NextToken'), `DescribeAssociationExecutions:${record.associationId}:${JSON.stringify(filters)}`, 'InvalidNextToken');
  return { AssociationExecutions: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}

export function describeAssociationExecutionTargets(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const record = findAssociation(ctx, input.string('AssociationId', { required: true, pattern: ASSOCIATION_ID })!);
  const executionId = input.string('ExecutionId', { required: true, pattern: ASSOCIATION_ID })!;
  const execution = record.executions.find((e) => e.executionId === executionId);
  if (!execution) throw new ServiceError('AssociationExecutionDoesNotExist', `The association execution ${executionId} does not exist.`);
  const maxResults = input.integer('MaxResults', { min: 1, max: 50 }) ?? 50;
  const filters = (input.objectList('Filters', { min: 1 }) ?? []).map((f) => ({
    key: oneOf(f.string('Key', { required: true })!, TARGET_FILTER_KEYS, 'Filters.member.Key'),
    value: f.string('Value', { required: true, min: 1 })!,
  }));
  const now = Date.now();
  const shaped = [...execution.targets.entries()]
    .map(([instanceId, target]) => {
      const { status, detailedStatus } = targetStatus(target, now);
      const lastRun = target.invocation.plugins.map((p) => p.endedAt ?? p.startedAt).find((t) => t !== undefined);
      return {
        AssociationId: record.associationId,
        AssociationVersion: String(execution.associationVersion),
        ExecutionId: execution.executionId,
        ResourceId: instanceId,
        ResourceType: 'ManagedInstance',
        Status: status,
        DetailedStatus: detailedStatus,
        LastExecutionDate: epochSeconds(lastRun ?? execution.createdAt),
        OutputSource: { OutputSourceId: target.outputSourceId, OutputSourceType: 'RunCommand' },
      };
    })
    .filter((t) => filters.every((f) => (f.key === 'Status' ? t.Status : f.key === 'ResourceId' ? t.ResourceId : t.ResourceType) === f.value));
  const page = paginate(shaped, maxResults, input.string('NextToken'), `DescribeAssociationExecutionTargets:${executionId}:${JSON.stringify(filters)}`, 'InvalidNextToken');
  return { AssociationExecutionTargets: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}

export function deleteAssociation(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const record = associationByIdOrInstance(ctx, input);
  ctx.associations.delete(record.associationId);
  ctx.associationRunner.deleted(record);
  return {};
}

function readSettings(ctx: SsmContext, input: JsonInput, current: AssociationVersion | undefined): AssociationSettings {
  const name = input.string('Name', { required: current === undefined, pattern: DOCUMENT_ARN }) ?? current!.name;
  const instanceId = current === undefined ? input.string('InstanceId', { pattern: INSTANCE_ID }) : current.instanceId;
  const targets = readTargets(input.objectList('Targets', { max: 5 })) ?? current?.targets ?? [];
  if ((instanceId === undefined) === (targets.length === 0)) throw new ServiceError('InvalidParameters', 'Specify either InstanceId or Targets.');
  const documentVersion = input.string('DocumentVersion', { pattern: DOCUMENT_VERSION }) ?? '$DEFAULT';
  const parameters = input.parameterMap('Parameters') ?? {};
  const document = ctx.documents.get(name);
  renderSteps(ctx.documents.version(document, documentVersion), parameters);
  const scheduleExpression = input.string('ScheduleExpression', { min: 1, max: 256 });
  if (scheduleExpression !== undefined) {
    const parsed = parseScheduleExpression(scheduleExpression);
    if (!parsed.ok) throw new ServiceError('InvalidSchedule', `The schedule is not valid: ${parsed.reason}`);
  }
  const severity = input.string('ComplianceSeverity');
  if (severity !== undefined) oneOf(severity, SEVERITIES, 'complianceSeverity');
  return {
    name: document.name,
    documentVersion,
    parameters,
    targets,
    ...(instanceId !== undefined ? { instanceId } : {}),
    ...optional('scheduleExpression', scheduleExpression),
    ...optional('outputLocation', readOutputLocation(input)),
    ...optional('associationName', input.string('AssociationName', { pattern: ASSOCIATION_NAME })),
    ...optional('maxErrors', input.string('MaxErrors', { min: 1, max: 7, pattern: MAX_ERRORS })),
    ...optional('maxConcurrency', input.string('MaxConcurrency', { min: 1, max: 7, pattern: MAX_CONCURRENCY })),
    ...optional('complianceSeverity', severity),
    ...optional('syncCompliance', input.string('SyncCompliance')),
    applyOnlyAtCronInterval: input.boolean('ApplyOnlyAtCronInterval') ?? false,
  };
}

function readOutputLocation(input: JsonInput): S3OutputLocation | undefined {
  const s3 = input.object('OutputLocation')?.object('S3Location');
  if (!s3) return undefined;
  const bucket = s3.string('OutputS3BucketName', { min: 3, max: 63 });
  if (bucket === undefined || !S3_BUCKET.test(bucket)) throw new ServiceError('InvalidOutputLocation', 'The output location is not valid or does not exist.');
  return {
    OutputS3BucketName: bucket,
    ...optional('OutputS3KeyPrefix', s3.string('OutputS3KeyPrefix', { max: 500 })),
    ...optional('OutputS3Region', s3.string('OutputS3Region', { min: 3, max: 20 })),
  };
}

function findAssociation(ctx: SsmContext, associationId: string): AssociationRecord {
  const record = ctx.associations.find(associationId);
  if (!record) throw new ServiceError('AssociationDoesNotExist', 'The specified association does not exist.');
  return record;
}

/** AssociationId, or the legacy document Name + InstanceId pair. */
function associationByIdOrInstance(ctx: SsmContext, input: JsonInput): AssociationRecord {
  const associationId = input.string('AssociationId', { pattern: ASSOCIATION_ID });
  if (associationId !== undefined) return findAssociation(ctx, associationId);
  const name = input.string('Name', { pattern: DOCUMENT_ARN });
  const instanceId = input.string('InstanceId', { pattern: INSTANCE_ID });
  if (name === undefined || instanceId === undefined) throw new ServiceError('InvalidParameters', 'Specify AssociationId, or Name and InstanceId.');
  const record = ctx.associations.all().find((r) => latestVersion(r).name === name && latestVersion(r).instanceId === instanceId);
  if (!record) throw new ServiceError('AssociationDoesNotExist', 'The specified association does not exist.');
  return record;
}

function description(record: AssociationRecord, version: AssociationVersion, now: number): Record<string, unknown> {
  return {
    ...listItem(record, now, version),
    Date: epochSeconds(record.createdAt),
    LastUpdateAssociationDate: epochSeconds(version.createdAt),
    Parameters: version.parameters,
    ...(version.outputLocation ? { OutputLocation: { S3Location: version.outputLocation } } : {}),
    ...lastSuccess(record, now),
    ...optional('MaxErrors', version.maxErrors),
    ...optional('MaxConcurrency', version.maxConcurrency),
    ...optional('ComplianceSeverity', version.complianceSeverity),
    ...optional('SyncCompliance', version.syncCompliance),
    ApplyOnlyAtCronInterval: version.applyOnlyAtCronInterval,
  };
}

function listItem(record: AssociationRecord, now: number, version = latestVersion(record)): Record<string, unknown> {
  const last = latestExecution(record);
  return {
    Name: version.name,
    ...optional('InstanceId', version.instanceId),
    AssociationId: record.associationId,
    AssociationVersion: String(version.version),
    DocumentVersion: version.documentVersion,
    Targets: version.targets,
    ...(last ? { LastExecutionDate: epochSeconds(last.createdAt) } : {}),
    Overview: overview(last, now),
    ...optional('ScheduleExpression', version.scheduleExpression),
    ...optional('AssociationName', version.associationName),
  };
}

/** Pending until the latest run's targets are final; then Success or Failed, with the count of targets per status. */
function overview(execution: AssociationExecution | undefined, now: number): Record<string, unknown> {
  if (!execution) return { Status: 'Pending', DetailedStatus: 'Creating', AssociationStatusAggregatedCount: {} };
  const status = executionStatus(execution, now);
  const final = status === 'Success' || status === 'Failed';
  return { Status: final ? status : 'Pending', DetailedStatus: status, AssociationStatusAggregatedCount: countByStatus(execution, now) };
}

function lastSuccess(record: AssociationRecord, now: number): Record<string, number> {
  const succeeded = [...record.executions].reverse().find((e) => executionStatus(e, now) === 'Success');
  return succeeded ? { LastSuccessfulExecutionDate: epochSeconds(succeeded.createdAt) } : {};
}

function executionShape(record: AssociationRecord, execution: AssociationExecution, now: number): Record<string, unknown> {
  const status = executionStatus(execution, now);
  return {
    AssociationId: record.associationId,
    AssociationVersion: String(execution.associationVersion),
    ExecutionId: execution.executionId,
    Status: status,
    DetailedStatus: status,
    CreatedTime: epochSeconds(execution.createdAt),
    ResourceCountByStatus: resourceCountByStatus(countByStatus(execution, now)),
  };
}

function matchesListFilter(record: AssociationRecord, key: string, value: string, now: number): boolean {
  const version = latestVersion(record);
  const last = latestExecution(record);
  switch (key) {
    case 'Name':
      return version.name === value;
    case 'AssociationId':
      return record.associationId === value;
    case 'AssociationName':
      return version.associationName === value;
    case 'InstanceId':
      return version.instanceId === value;
    case 'AssociationStatusName':
      return overview(last, now).Status === value;
    case 'LastExecutedBefore':
      return last !== undefined && last.createdAt < dateValue(value);
    case 'LastExecutedAfter':
      return last !== undefined && last.createdAt > dateValue(value);
    default:
      return false; // ResourceGroupName: the sandbox has no resource groups
  }
}

function matchesExecutionFilter(execution: AssociationExecution, filter: { key: string; value: string; type: string }, now: number): boolean {
  if (filter.key === 'CreatedTime') {
    const at = dateValue(filter.value);
    if (filter.type === 'LESS_THAN') return execution.createdAt < at;
    if (filter.type === 'GREATER_THAN') return execution.createdAt > at;
    return execution.createdAt === at;
  }
  if (filter.type !== 'EQUAL') throw new ServiceError('InvalidFilterValue', `Filter ${filter.key} takes the EQUAL type only.`);
  return filter.key === 'ExecutionId' ? execution.executionId === filter.value : executionStatus(execution, now) === filter.value;
}

function dateValue(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ServiceError('InvalidFilterValue', `The filter value ${value} is not a valid date.`);
  return ms;
}

function oneOf(value: string, allowed: readonly string[], member: string): string {
  if (!allowed.includes(value)) {
    throw new ServiceError('ValidationException', `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return value;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
