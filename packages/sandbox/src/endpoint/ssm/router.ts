/** Operation name -> handler for the AmazonSSM target prefix. */
import { ServiceError } from '../service-error.js';
import type { SsmOperation } from '../operations.js';
import {
  createAssociation,
  deleteAssociation,
  describeAssociation,
  describeAssociationExecutions,
  describeAssociationExecutionTargets,
  listAssociations,
  updateAssociation,
} from './associations-api.js';
import { cancelCommand, getCommandInvocation, listCommandInvocations, listCommands, sendCommand } from './commands-api.js';
import { listComplianceItems, putComplianceItems } from './compliance-api.js';
import type { SsmContext, SsmHandler } from './context.js';
import { createDocument, describeDocument, getDocument, updateDocument, updateDocumentDefaultVersion } from './documents-api.js';
import type { JsonInput } from './input.js';
import { describeInstanceInformation } from './instances-api.js';

const HANDLERS: Record<SsmOperation, SsmHandler> = {
  DescribeInstanceInformation: describeInstanceInformation,
  SendCommand: sendCommand,
  ListCommandInvocations: listCommandInvocations,
  GetCommandInvocation: getCommandInvocation,
  ListCommands: listCommands,
  CancelCommand: cancelCommand,
  PutComplianceItems: putComplianceItems,
  ListComplianceItems: listComplianceItems,
  CreateDocument: createDocument,
  UpdateDocument: updateDocument,
  UpdateDocumentDefaultVersion: updateDocumentDefaultVersion,
  DescribeDocument: describeDocument,
  GetDocument: getDocument,
  CreateAssociation: createAssociation,
  UpdateAssociation: updateAssociation,
  DescribeAssociation: describeAssociation,
  ListAssociations: listAssociations,
  DescribeAssociationExecutions: describeAssociationExecutions,
  DescribeAssociationExecutionTargets: describeAssociationExecutionTargets,
  DeleteAssociation: deleteAssociation,
};

export function handleSsm(ctx: SsmContext, operation: string, input: JsonInput): Record<string, unknown> {
  const handler = (HANDLERS as Record<string, SsmHandler | undefined>)[operation];
  if (!handler || !Object.hasOwn(HANDLERS, operation)) {
    throw new ServiceError('UnknownOperationException', `Operation ${operation} is not supported.`);
  }
  return handler(ctx, input);
}
