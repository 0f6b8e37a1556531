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
  CreateAssociationCommandInput,
  CreateAssociationCommandOutput,
  UpdateAssociationCommandInput,
  UpdateAssociationCommandOutput,
  DescribeAssociationCommandInput,
  DescribeAssociationCommandOutput,
  ListAssociationsCommandInput,
  ListAssociationsCommandOutput,
  DescribeAssociationExecutionsCommandInput,
  DescribeAssociationExecutionsCommandOutput,
  DescribeAssociationExecutionTargetsCommandInput,
  DescribeAssociationExecutionTargetsCommandOutput,
  DeleteAssociationCommandInput,
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

/**
 * State Manager (`schedule` writes an association, `collect` reads its runs).
 * Kept apart from SsmApi so the Run Command fakes need not grow. Final errors
 * arrive as AwsError whose code is AWS's name: see ASSOCIATION_ERRORS.
 */
export interface SsmAssociationsApi {
  createAssociation(input: CreateAssociationCommandInput, options?: CallOptions): Promise<CreateAssociationCommandOutput>;
  updateAssociation(input: UpdateAssociationCommandInput, options?: CallOptions): Promise<UpdateAssociationCommandOutput>;
  describeAssociation(input: DescribeAssociationCommandInput, options?: CallOptions): Promise<DescribeAssociationCommandOutput>;
  listAssociations(input: ListAssociationsCommandInput, options?: CallOptions): Promise<ListAssociationsCommandOutput>;
  describeAssociationExecutions(
    input: DescribeAssociationExecutionsCommandInput,
    options?: CallOptions,
  ): Promise<DescribeAssociationExecutionsCommandOutput>;
  describeAssociationExecutionTargets(
    input: DescribeAssociationExecutionTargetsCommandInput,
    options?: CallOptions,
  ): Promise<DescribeAssociationExecutionTargetsCommandOutput>;
  deleteAssociation(input: DeleteAssociationCommandInput, options?: CallOptions): Promise<void>;
}

/** The State Manager error names (AWS's exception names) callers branch on; AwsError.code carries them. */
export const ASSOCIATION_ERRORS = {
  doesNotExist: 'AssociationDoesNotExist',
  alreadyExists: 'AssociationAlreadyExists',
  invalidSchedule: 'InvalidSchedule',
  invalidDocument: 'InvalidDocument',
  invalidOutputLocation: 'InvalidOutputLocation',
  invalidAssociationVersion: 'InvalidAssociationVersion',
  executionDoesNotExist: 'AssociationExecutionDoesNotExist',
} as const;
