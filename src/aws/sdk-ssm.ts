/**
 * SsmApi over the real SDK: the only file that imports SSM commands.
 *
 * One SDK client per operation, because the SDK's adaptive retry mode keeps
 * one client-side rate limiter per client while SSM throttles per API: with a
 * single client, a throttled SendCommand slowed every ListCommandInvocations
 * and GetCommandInvocation too (measured on the sandbox: 120 instances with
 * SendCommand limited to 1/s took 7.3 s instead of 2.7 s).
 */
import {
  CreateAssociationCommand,
  DeleteAssociationCommand,
  DescribeAssociationCommand,
  DescribeAssociationExecutionsCommand,
  DescribeAssociationExecutionTargetsCommand,
  ListAssociationsCommand,
  UpdateAssociationCommand,
  type CreateAssociationCommandInput,
  type CreateAssociationCommandOutput,
  type DeleteAssociationCommandInput,
  type DescribeAssociationCommandInput,
  type DescribeAssociationCommandOutput,
  type DescribeAssociationExecutionsCommandInput,
  type DescribeAssociationExecutionsCommandOutput,
  type DescribeAssociationExecutionTargetsCommandInput,
  type DescribeAssociationExecutionTargetsCommandOutput,
  type ListAssociationsCommandInput,
  type ListAssociationsCommandOutput,
  type UpdateAssociationCommandInput,
  type UpdateAssociationCommandOutput,
  CancelCommandCommand,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  PutComplianceItemsCommand,
  SendCommandCommand,
  type CancelCommandCommandInput,
  type DescribeInstanceInformationCommandInput,
  type DescribeInstanceInformationCommandOutput,
  type GetCommandInvocationCommandInput,
  type GetCommandInvocationCommandOutput,
  type ListCommandInvocationsCommandInput,
  type ListCommandInvocationsCommandOutput,
  type ListCommandsCommandInput,
  type ListCommandsCommandOutput,
  type PutComplianceItemsCommandInput,
  type SendCommandCommandInput,
  type SendCommandCommandOutput,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { CallOptions } from './call-options.js';
import type { SsmApi, SsmAssociationsApi } from './ssm-api.js';
import { mapFinalError } from './map-final-error.js';

type Operation =
  | 'SendCommand'
  | 'ListCommands'
  | 'ListCommandInvocations'
  | 'GetCommandInvocation'
  | 'DescribeInstanceInformation'
  | 'CancelCommand'
  | 'PutComplianceItems'
  | 'CreateAssociation'
  | 'UpdateAssociation'
  | 'DescribeAssociation'
  | 'ListAssociations'
  | 'DescribeAssociationExecutions'
  | 'DescribeAssociationExecutionTargets'
  | 'DeleteAssociation';

export class SdkSsmApi implements SsmApi, SsmAssociationsApi {
  private readonly clients = new Map<Operation, SSMClient>();

  /** `client`: one shared client, or a factory called once per operation. */
  constructor(private readonly client: SSMClient | (() => SSMClient)) {}

  private clientFor(operation: Operation): SSMClient {
    if (typeof this.client !== 'function') return this.client;
    let client = this.clients.get(operation);
    if (!client) {
      client = this.client();
      this.clients.set(operation, client);
    }
    return client;
  }

  /** Releases the sockets of every client created. */
  destroy(): void {
    if (typeof this.client !== 'function') this.client.destroy();
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  sendCommand(input: SendCommandCommandInput, options?: CallOptions): Promise<SendCommandCommandOutput> {
    return mapFinalError('SendCommand', () => this.clientFor('SendCommand').send(new SendCommandCommand(input), options));
  }

  listCommands(input: ListCommandsCommandInput, options?: CallOptions): Promise<ListCommandsCommandOutput> {
    return mapFinalError('ListCommands', () => this.clientFor('ListCommands').send(new ListCommandsCommand(input), options));
  }

  listCommandInvocations(
    input: ListCommandInvocationsCommandInput,
    options?: CallOptions,
  ): Promise<ListCommandInvocationsCommandOutput> {
    return mapFinalError('ListCommandInvocations', () => this.clientFor('ListCommandInvocations').send(new ListCommandInvocationsCommand(input), options));
  }

  getCommandInvocation(input: GetCommandInvocationCommandInput, options?: CallOptions): Promise<GetCommandInvocationCommandOutput> {
    return mapFinalError('GetCommandInvocation', () => this.clientFor('GetCommandInvocation').send(new GetCommandInvocationCommand(input), options));
  }

  describeInstanceInformation(
    input: DescribeInstanceInformationCommandInput,
    options?: CallOptions,
  ): Promise<DescribeInstanceInformationCommandOutput> {
    return mapFinalError('DescribeInstanceInformation', () =>
      this.clientFor('DescribeInstanceInformation').send(new DescribeInstanceInformationCommand(input), options),
    );
  }

  async cancelCommand(input: CancelCommandCommandInput, options?: CallOptions): Promise<void> {
    await mapFinalError('CancelCommand', () => this.clientFor('CancelCommand').send(new CancelCommandCommand(input), options));
  }

  async putComplianceItems(input: PutComplianceItemsCommandInput, options?: CallOptions): Promise<void> {
    await mapFinalError('PutComplianceItems', () => this.clientFor('PutComplianceItems').send(new PutComplianceItemsCommand(input), options));
  }

  createAssociation(input: CreateAssociationCommandInput, options?: CallOptions): Promise<CreateAssociationCommandOutput> {
    return mapFinalError('CreateAssociation', () => this.clientFor('CreateAssociation').send(new CreateAssociationCommand(input), options));
  }

  updateAssociation(input: UpdateAssociationCommandInput, options?: CallOptions): Promise<UpdateAssociationCommandOutput> {
    return mapFinalError('UpdateAssociation', () => this.clientFor('UpdateAssociation').send(new UpdateAssociationCommand(input), options));
  }

  describeAssociation(input: DescribeAssociationCommandInput, options?: CallOptions): Promise<DescribeAssociationCommandOutput> {
    return mapFinalError('DescribeAssociation', () => this.clientFor('DescribeAssociation').send(new DescribeAssociationCommand(input), options));
  }

  listAssociations(input: ListAssociationsCommandInput, options?: CallOptions): Promise<ListAssociationsCommandOutput> {
    return mapFinalError('ListAssociations', () => this.clientFor('ListAssociations').send(new ListAssociationsCommand(input), options));
  }

  describeAssociationExecutions(
    input: DescribeAssociationExecutionsCommandInput,
    options?: CallOptions,
  ): Promise<DescribeAssociationExecutionsCommandOutput> {
    return mapFinalError('DescribeAssociationExecutions', () =>
      this.clientFor('DescribeAssociationExecutions').send(new DescribeAssociationExecutionsCommand(input), options),
    );
  }

  describeAssociationExecutionTargets(
    input: DescribeAssociationExecutionTargetsCommandInput,
    options?: CallOptions,
  ): Promise<DescribeAssociationExecutionTargetsCommandOutput> {
    return mapFinalError('DescribeAssociationExecutionTargets', () =>
      this.clientFor('DescribeAssociationExecutionTargets').send(new DescribeAssociationExecutionTargetsCommand(input), options),
    );
  }

  async deleteAssociation(input: DeleteAssociationCommandInput, options?: CallOptions): Promise<void> {
    await mapFinalError('DeleteAssociation', () => this.clientFor('DeleteAssociation').send(new DeleteAssociationCommand(input), options));
  }
}
