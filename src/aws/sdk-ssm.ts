/** SsmApi over the real SDK client: the only file that imports SSM commands. */
import {
  CancelCommandCommand,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  PutComplianceItemsCommand,
  SendCommandCommand,
  type CancelCommandCommandInput,
  type DescribeInstanceInformationCommandInput,
  type DescribeInstanceInformationCommandOutput,
  type GetCommandInvocationCommandInput,
  type GetCommandInvocationCommandOutput,
  type ListCommandInvocationsCommandInput,
  type ListCommandInvocationsCommandOutput,
  type PutComplianceItemsCommandInput,
  type SendCommandCommandInput,
  type SendCommandCommandOutput,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { CallOptions } from './call-options.js';
import type { SsmApi } from './ssm-api.js';
import { mapFinalError } from './map-final-error.js';

export class SdkSsmApi implements SsmApi {
  constructor(private readonly client: SSMClient) {}

  sendCommand(input: SendCommandCommandInput, options?: CallOptions): Promise<SendCommandCommandOutput> {
    return mapFinalError('SendCommand', () => this.client.send(new SendCommandCommand(input), options));
  }

  listCommandInvocations(
    input: ListCommandInvocationsCommandInput,
    options?: CallOptions,
  ): Promise<ListCommandInvocationsCommandOutput> {
    return mapFinalError('ListCommandInvocations', () => this.client.send(new ListCommandInvocationsCommand(input), options));
  }

  getCommandInvocation(input: GetCommandInvocationCommandInput, options?: CallOptions): Promise<GetCommandInvocationCommandOutput> {
    return mapFinalError('GetCommandInvocation', () => this.client.send(new GetCommandInvocationCommand(input), options));
  }

  describeInstanceInformation(
    input: DescribeInstanceInformationCommandInput,
    options?: CallOptions,
  ): Promise<DescribeInstanceInformationCommandOutput> {
    return mapFinalError('DescribeInstanceInformation', () =>
      this.client.send(new DescribeInstanceInformationCommand(input), options),
    );
  }

  async cancelCommand(input: CancelCommandCommandInput, options?: CallOptions): Promise<void> {
    await mapFinalError('CancelCommand', () => this.client.send(new CancelCommandCommand(input), options));
  }

  async putComplianceItems(input: PutComplianceItemsCommandInput, options?: CallOptions): Promise<void> {
    await mapFinalError('PutComplianceItems', () => this.client.send(new PutComplianceItemsCommand(input), options));
  }
}
