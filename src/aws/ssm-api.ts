/**
 * The narrow slice of SSM that swarm-audit uses. Only src/aws knows the SDK;
 * everything else depends on this interface, so unit tests stub it here.
 * The optional `options` argument (abort signal) was added compatibly:
 * implementations may ignore it.
 */
import type {
  SendCommandCommandInput,
  SendCommandCommandOutput,
  ListCommandInvocationsCommandInput,
  ListCommandInvocationsCommandOutput,
  ListCommandsCommandInput,
  ListCommandsCommandOutput,
  GetCommandInvocationCommandInput,
  GetCommandInvocationCommandOutput,
  DescribeInstanceInformationCommandInput,
  DescribeInstanceInformationCommandOutput,
  CancelCommandCommandInput,
  PutComplianceItemsCommandInput,
} from '@aws-sdk/client-ssm';
import type { CallOptions } from './call-options.js';

export interface SsmApi {
  sendCommand(input: SendCommandCommandInput, options?: CallOptions): Promise<SendCommandCommandOutput>;
  /** Command-level status and counts, 50 commands a page: the cheap way to learn which commands finished. */
  listCommands(input: ListCommandsCommandInput, options?: CallOptions): Promise<ListCommandsCommandOutput>;
  listCommandInvocations(
    input: ListCommandInvocationsCommandInput,
    options?: CallOptions,
  ): Promise<ListCommandInvocationsCommandOutput>;
  getCommandInvocation(input: GetCommandInvocationCommandInput, options?: CallOptions): Promise<GetCommandInvocationCommandOutput>;
  describeInstanceInformation(
    input: DescribeInstanceInformationCommandInput,
    options?: CallOptions,
  ): Promise<DescribeInstanceInformationCommandOutput>;
  cancelCommand(input: CancelCommandCommandInput, options?: CallOptions): Promise<void>;
  putComplianceItems(input: PutComplianceItemsCommandInput, options?: CallOptions): Promise<void>;
}
