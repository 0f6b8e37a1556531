/** SendCommand, ListCommands, ListCommandInvocations, GetCommandInvocation, CancelCommand. */
import { randomUUID } from 'node:crypto';
import { paginate } from '../pagination.js';
import { ServiceError } from '../service-error.js';
import { summarize, type CommandRecord } from './command.js';
import { failUnrun, takeCommandFault } from './command-faults.js';
import type { SsmContext } from './context.js';
import type { StepOutputSink } from './executor.js';
import { stepOutputKey } from '../s3/object-store.js';
import { renderSteps, sha256 } from './documents.js';
import type { JsonInput } from './input.js';
import { queryKey } from './query-key.js';
import { isTerminal, newInvocation, settle, type Invocation, type PluginState } from './invocation.js';
import { readTargets, resolveTargets } from './targets.js';
import { elapsed, EMPTY_CLOUDWATCH_CONFIG, EMPTY_NOTIFICATION_CONFIG, epochSeconds, isoOrEmpty } from './wire-format.js';

const INSTANCE_ID = /^(i-(\w{8}|\w{17}))$|^(mi-\w{17})$/;
const DOCUMENT_ARN = /^[a-zA-Z0-9_\-.:/]{3,128}$/;
const DOCUMENT_VERSION = /^(\$LATEST|\$DEFAULT|[1-9][0-9]*)$/;
const MAX_CONCURRENCY = /^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/;
const MAX_ERRORS = /^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$/;
const DEFAULT_DELIVERY_TIMEOUT_SECONDS = 3600;
const FILTER_KEYS = ['InvokedAfter', 'InvokedBefore', 'Status', 'ExecutionStage', 'DocumentName'];
/** ListCommands ExecutionStage=Complete: commands whose every invocation is final. */
const COMPLETE_COMMAND_STATUSES: ReadonlySet<string> = new Set(['Success', 'Failed', 'Cancelled', 'TimedOut']);

export function sendCommand(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const documentName = input.string('DocumentName', { required: true, pattern: DOCUMENT_ARN })!;
  const documentVersion = input.string('DocumentVersion', { pattern: DOCUMENT_VERSION });
  const instanceIds = input.stringList('InstanceIds', { max: 50, itemPattern: INSTANCE_ID });
  const targets = readTargets(input.objectList('Targets', { max: 5 }));
  const timeoutSeconds = input.integer('TimeoutSeconds', { min: ctx.minDeliveryTimeoutSeconds, max: 2_592_000 }) ?? DEFAULT_DELIVERY_TIMEOUT_SECONDS;
  const comment = input.string('Comment', { max: 100 }) ?? '';
  const maxConcurrency = input.string('MaxConcurrency', { min: 1, max: 7, pattern: MAX_CONCURRENCY }) ?? '50';
  const maxErrors = input.string('MaxErrors', { min: 1, max: 7, pattern: MAX_ERRORS }) ?? '0';
  const bucket = input.string('OutputS3BucketName', { min: 3, max: 63 }) ?? '';
  const keyPrefix = input.string('OutputS3KeyPrefix', { max: 500 }) ?? '';
  const s3Region = input.string('OutputS3Region', { min: 3, max: 20 }) ?? ctx.fleet.fleet.region;
  const parameters = input.parameterMap('Parameters') ?? {};

  if ((instanceIds?.length ?? 0) > 0 === (targets?.length ?? 0) > 0) {
    throw new ServiceError('InvalidParameters', 'Specify either InstanceIds or Targets (one of them, not both).');
  }
  if (instanceIds && new Set(instanceIds).size !== instanceIds.length) {
    throw new ServiceError('DuplicateInstanceId', 'You cannot specify an instance ID in more than one association.');
  }
  const document = ctx.documents.get(documentName);
  const version = ctx.documents.version(document, documentVersion);
  const hash = input.string('DocumentHash', { max: 256 });
  if (hash !== undefined && hash !== version.hash && hash !== sha256(version.content)) {
    throw new ServiceError('InvalidDocument', 'The document hash does not match the document version.');
  }
  const steps = renderSteps(version, parameters);
  const resolved = instanceIds ?? resolveTargets(ctx.fleet, targets!);
  const fault = takeCommandFault(ctx, steps);

  const now = Date.now();
  const command: CommandRecord = {
    commandId: randomUUID(),
    documentName: document.name,
    documentVersion: documentVersion ?? '$DEFAULT',
    comment,
    parameters,
    instanceIds: instanceIds ?? [],
    targets: targets ?? [],
    requestedAt: now,
    visibleAt: now + ctx.consistencyDelayMs,
    timeoutSeconds,
    maxConcurrency,
    maxErrors,
    outputS3Region: s3Region,
    outputS3BucketName: bucket,
    outputS3KeyPrefix: keyPrefix,
    invocations: new Map(),
  };
  for (const instanceId of resolved) {
    const invocation = newInvocation(instanceId, steps.map((s) => s.name));
    command.invocations.set(instanceId, invocation);
  }
  ctx.commands.add(command);
  ctx.stats.commandsSent += 1;
  ctx.stats.invocationsCreated += resolved.length;
  for (const [instanceId, invocation] of command.invocations) {
    if (fault) failUnrun(invocation);
    else ctx.executor.start(invocation, ctx.fleet.instance(instanceId), steps, timeoutSeconds * 1000, s3Upload(ctx, command, instanceId));
  }
  return { Command: { ...commandShape(command, now), Status: 'Pending', StatusDetails: 'Pending' } };
}

/** With OutputS3BucketName, each step's whole stdout and stderr go to the sandbox S3 as the agent uploads them. */
function s3Upload(ctx: SsmContext, command: CommandRecord, instanceId: string): StepOutputSink | undefined {
  const bucket = command.outputS3BucketName;
  if (bucket === '') return undefined;
  return (stepIndex, stepName, result) => {
    for (const stream of ['stdout', 'stderr'] as const) {
      const key = stepOutputKey(command.outputS3KeyPrefix, command.commandId, instanceId, stepIndex, stepName, stream);
      ctx.objects.put(bucket, key, result[stream]);
    }
  };
}

export function listCommands(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const commandId = input.string('CommandId', { min: 36, max: 36 });
  const instanceId = input.string('InstanceId', { pattern: INSTANCE_ID });
  const maxResults = input.integer('MaxResults', { min: 1, max: 50 }) ?? 50;
  const filters = readFilters(input);
  const now = Date.now();
  let commands = commandId ? [ctx.commands.get(commandId)] : ctx.commands.newestFirst();
  if (instanceId) commands = commands.filter((c) => c.invocations.has(instanceId));
  const shaped = commands
    .map((c) => commandShape(c, now))
    .filter((c) => filters.every((f) => matchesFilter(f, c.Status as string, c.DocumentName as string, c.RequestedDateTime as number)));
  const page = paginate(shaped, maxResults, input.string('NextToken'), queryKey('ListCommands', input), 'InvalidNextToken');
  return { Commands: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}

export function listCommandInvocations(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const commandId = input.string('CommandId', { min: 36, max: 36 });
  const instanceId = input.string('InstanceId', { pattern: INSTANCE_ID });
  const maxResults = input.integer('MaxResults', { min: 1, max: 50 }) ?? 50;
  const details = input.boolean('Details') ?? false;
  const filters = readFilters(input);
  if (filters.some((f) => f.key === 'ExecutionStage')) {
    throw new ServiceError('InvalidFilterKey', 'The ExecutionStage filter can be used with ListCommands only.');
  }
  const now = Date.now();
  const commands = commandId ? [ctx.commands.get(commandId)] : ctx.commands.newestFirst();
  const items: Record<string, unknown>[] = [];
  for (const command of commands) {
    if (now < command.visibleAt) continue;
    for (const invocation of command.invocations.values()) {
      if (instanceId && invocation.instanceId !== instanceId) continue;
      settle(invocation, now);
      if (!filters.every((f) => matchesFilter(f, invocation.status, command.documentName, epochSeconds(command.requestedAt)))) continue;
      items.push(invocationShape(command, invocation, details));
    }
  }
  const page = paginate(items, maxResults, input.string('NextToken'), queryKey('ListCommandInvocations', input), 'InvalidNextToken');
  return { CommandInvocations: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}

export function getCommandInvocation(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const commandId = input.string('CommandId', { required: true, min: 36, max: 36 })!;
  const instanceId = input.string('InstanceId', { required: true, pattern: INSTANCE_ID })!;
  const pluginName = input.string('PluginName', { min: 4 });
  const command = ctx.commands.get(commandId);
  const invocation = command.invocations.get(instanceId);
  const now = Date.now();
  if (!invocation || now < command.visibleAt) {
    throw new ServiceError('InvocationDoesNotExist', 'The command invocation does not exist.');
  }
  settle(invocation, now);
  const plugin = choosePlugin(invocation, pluginName);
  const status = pluginName ? plugin.status : invocation.status;
  const statusDetails = pluginName ? plugin.statusDetails : invocation.statusDetails;
  const ended = isTerminal(plugin.status);
  return {
    CommandId: command.commandId,
    InstanceId: instanceId,
    Comment: command.comment,
    DocumentName: command.documentName,
    DocumentVersion: command.documentVersion,
    PluginName: plugin.name,
    ResponseCode: plugin.responseCode,
    ExecutionStartDateTime: isoOrEmpty(plugin.startedAt),
    ExecutionElapsedTime: elapsed(plugin.startedAt, plugin.endedAt),
    ExecutionEndDateTime: isoOrEmpty(plugin.endedAt),
    Status: status,
    StatusDetails: statusDetails,
    StandardOutputContent: ended ? plugin.stdoutContent : '',
    StandardOutputUrl: '',
    StandardErrorContent: ended ? plugin.stderrContent : '',
    StandardErrorUrl: '',
    CloudWatchOutputConfig: EMPTY_CLOUDWATCH_CONFIG,
  };
}

export function cancelCommand(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const commandId = input.string('CommandId', { required: true, min: 36, max: 36 })!;
  const instanceIds = input.stringList('InstanceIds', { max: 50, itemPattern: INSTANCE_ID });
  const command = ctx.commands.get(commandId);
  const now = Date.now();
  const chosen = instanceIds ?? [...command.invocations.keys()];
  for (const id of chosen) {
    if (!command.invocations.has(id)) throw new ServiceError('InvalidInstanceId', `Instance ${id} is not part of command ${commandId}.`);
  }
  for (const id of chosen) {
    const invocation = command.invocations.get(id)!;
    settle(invocation, now);
    if (!isTerminal(invocation.status)) invocation.cancel?.();
  }
  return {};
}

function choosePlugin(invocation: Invocation, pluginName: string | undefined): PluginState {
  if (pluginName !== undefined) {
    const plugin = invocation.plugins.find((p) => p.name === pluginName);
    if (!plugin) throw new ServiceError('InvalidPluginName', `The plugin name ${pluginName} is not valid.`);
    return plugin;
  }
  if (invocation.plugins.length !== 1) {
    throw new ServiceError('InvalidPluginName', 'The document has several steps: specify PluginName.');
  }
  return invocation.plugins[0];
}

function commandShape(command: CommandRecord, now: number): Record<string, unknown> {
  const summary = summarize(command, now);
  return {
    CommandId: command.commandId,
    DocumentName: command.documentName,
    DocumentVersion: command.documentVersion,
    Comment: command.comment,
    ExpiresAfter: epochSeconds(command.requestedAt + command.timeoutSeconds * 1000),
    Parameters: command.parameters,
    InstanceIds: command.instanceIds,
    Targets: command.targets,
    RequestedDateTime: epochSeconds(command.requestedAt),
    Status: summary.status,
    StatusDetails: summary.statusDetails,
    OutputS3Region: command.outputS3Region,
    OutputS3BucketName: command.outputS3BucketName,
    OutputS3KeyPrefix: command.outputS3KeyPrefix,
    MaxConcurrency: command.maxConcurrency,
    MaxErrors: command.maxErrors,
    TargetCount: summary.targetCount,
    CompletedCount: summary.completedCount,
    ErrorCount: summary.errorCount,
    DeliveryTimedOutCount: summary.deliveryTimedOutCount,
    ServiceRole: '',
    NotificationConfig: EMPTY_NOTIFICATION_CONFIG,
    CloudWatchOutputConfig: EMPTY_CLOUDWATCH_CONFIG,
    TimeoutSeconds: command.timeoutSeconds,
  };
}

function invocationShape(command: CommandRecord, invocation: Invocation, details: boolean): Record<string, unknown> {
  return {
    CommandId: command.commandId,
    InstanceId: invocation.instanceId,
    InstanceName: '',
    Comment: command.comment,
    DocumentName: command.documentName,
    DocumentVersion: command.documentVersion,
    RequestedDateTime: epochSeconds(command.requestedAt),
    Status: invocation.status,
    StatusDetails: invocation.statusDetails,
    TraceOutput: '',
    StandardOutputUrl: '',
    StandardErrorUrl: '',
    CommandPlugins: details ? invocation.plugins.map((p) => pluginShape(command, p)) : [],
    ServiceRole: '',
    NotificationConfig: EMPTY_NOTIFICATION_CONFIG,
    CloudWatchOutputConfig: EMPTY_CLOUDWATCH_CONFIG,
  };
}

function pluginShape(command: CommandRecord, plugin: PluginState): Record<string, unknown> {
  return {
    Name: plugin.name,
    Status: plugin.status,
    StatusDetails: plugin.statusDetails,
    ResponseCode: plugin.responseCode,
    ...(plugin.startedAt !== undefined ? { ResponseStartDateTime: epochSeconds(plugin.startedAt) } : {}),
    ...(plugin.endedAt !== undefined ? { ResponseFinishDateTime: epochSeconds(plugin.endedAt) } : {}),
    Output: isTerminal(plugin.status) ? plugin.output : '',
    StandardOutputUrl: '',
    StandardErrorUrl: '',
    OutputS3Region: command.outputS3Region,
    OutputS3BucketName: command.outputS3BucketName,
    OutputS3KeyPrefix: command.outputS3KeyPrefix,
  };
}

interface CommandFilter {
  key: string;
  value: string;
}

function readFilters(input: JsonInput): CommandFilter[] {
  const list = input.objectList('Filters', { min: 1, max: 5 }) ?? [];
  return list.map((f) => {
    const key = f.string('key', { required: true })!;
    if (!FILTER_KEYS.includes(key)) throw new ServiceError('InvalidFilterKey', `The filter key ${key} is not valid.`);
    const value = f.string('value', { required: true, min: 1, max: 128 })!;
    if (key === 'ExecutionStage' && value !== 'Executing' && value !== 'Complete') {
      throw new ServiceError('InvalidFilterValue', `The filter value ${value} is not valid for ExecutionStage (Executing or Complete).`);
    }
    if ((key === 'InvokedAfter' || key === 'InvokedBefore') && Number.isNaN(Date.parse(value))) {
      throw new ServiceError('InvalidFilterValue', `The filter value ${value} is not a valid date.`);
    }
    return { key, value };
  });
}

function matchesFilter(filter: CommandFilter, status: string, documentName: string, requestedSeconds: number): boolean {
  switch (filter.key) {
    case 'Status':
      return status === filter.value;
    case 'DocumentName':
      return documentName === filter.value;
    case 'InvokedAfter':
      return requestedSeconds * 1000 >= Date.parse(filter.value);
    case 'InvokedBefore':
      return requestedSeconds * 1000 <= Date.parse(filter.value);
    case 'ExecutionStage':
      return (filter.value === 'Complete') === COMPLETE_COMMAND_STATUSES.has(status);
    default:
      return true;
  }
}
