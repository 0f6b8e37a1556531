/** CreateAssociation: validated and stored, never scheduled (State Manager is out of the sandbox's scope). */
import { randomUUID } from 'node:crypto';
import { ServiceError } from '../service-error.js';
import type { SsmContext } from './context.js';
import { renderSteps } from './documents.js';
import type { JsonInput } from './input.js';
import { readTargets } from './targets.js';
import { epochSeconds } from './wire-format.js';

const DOCUMENT_ARN = /^[a-zA-Z0-9_\-.:/]{3,128}$/;
const INSTANCE_ID = /^(i-(\w{8}|\w{17}))$|^(mi-\w{17})$/;

export function createAssociation(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const name = input.string('Name', { required: true, pattern: DOCUMENT_ARN })!;
  const instanceId = input.string('InstanceId', { pattern: INSTANCE_ID });
  const targets = readTargets(input.objectList('Targets', { max: 5 }));
  if ((instanceId === undefined) === (targets === undefined || targets.length === 0)) {
    throw new ServiceError('InvalidParameters', 'Specify either InstanceId or Targets.');
  }
  const documentVersion = input.string('DocumentVersion');
  const document = ctx.documents.get(name);
  const parameters = input.parameterMap('Parameters') ?? {};
  renderSteps(ctx.documents.version(document, documentVersion), parameters);
  const associationName = input.string('AssociationName', { pattern: /^[a-zA-Z0-9_\-.]{3,128}$/ });
  if (associationName && [...ctx.associations.values()].some((a) => a.AssociationName === associationName)) {
    throw new ServiceError('AssociationAlreadyExists', 'The specified association already exists.');
  }
  const now = epochSeconds(Date.now());
  const description: Record<string, unknown> = {
    Name: document.name,
    ...(instanceId ? { InstanceId: instanceId } : {}),
    AssociationVersion: '1',
    Date: now,
    LastUpdateAssociationDate: now,
    Status: { Date: now, Name: 'Pending', Message: 'Associated with the document' },
    Overview: { Status: 'Pending', DetailedStatus: 'Creating' },
    DocumentVersion: documentVersion ?? '$DEFAULT',
    Parameters: parameters,
    AssociationId: randomUUID(),
    Targets: targets ?? [{ Key: 'InstanceIds', Values: [instanceId] }],
    ...optional('ScheduleExpression', input.string('ScheduleExpression', { min: 1, max: 256 })),
    ...(input.object('OutputLocation') ? { OutputLocation: input.raw('OutputLocation') } : {}),
    ...optional('AssociationName', associationName),
    ...optional('MaxErrors', input.string('MaxErrors')),
    ...optional('MaxConcurrency', input.string('MaxConcurrency')),
    ...optional('ComplianceSeverity', input.string('ComplianceSeverity')),
    ...optional('SyncCompliance', input.string('SyncCompliance')),
    ApplyOnlyAtCronInterval: input.boolean('ApplyOnlyAtCronInterval') ?? false,
  };
  ctx.associations.set(description.AssociationId as string, description);
  return { AssociationDescription: description };
}

function optional(key: string, value: string | undefined): Record<string, string> {
  return value === undefined ? {} : { [key]: value };
}
