/**
 * The narrow slice of SSM that swarm-audit uses. Only src/aws knows the SDK;
 * everything else depends on this interface, so unit tests stub it here.
 */
import type {
  SendCommandCommandInput,
  SendCommandCommandOutput,
  ListCommandInvocationsCommandInput,
  ListCommandInvocationsCommandOutput,
  GetCommandInvocationCommandInput,
  GetCommandInvocationCommandOutput,
  DescribeInstanceInformationCommandInput,
  DescribeInstanceInformationCommandOutput,
  CancelCommandCommandInput,
  PutComplianceItemsCommandInput,
} from '@aws-sdk/client-ssm';

export interface SsmApi {
  sendCommand(input: SendCommandCommandInput): Promise<SendCommandCommandOutput>;
  listCommandInvocations(input: ListCommandInvocationsCommandInput): Promise<ListCommandInvocationsCommandOutput>;
  getCommandInvocation(input: GetCommandInvocationCommandInput): Promise<GetCommandInvocationCommandOutput>;
  describeInstanceInformation(
    input: DescribeInstanceInformationCommandInput,
  ): Promise<DescribeInstanceInformationCommandOutput>;
  cancelCommand(input: CancelCommandCommandInput): Promise<void>;
  putComplianceItems(input: PutComplianceItemsCommandInput): Promise<void>;
}
