/** The narrow slice of EC2 that swarm-audit uses (see ssm-api.ts). */
import type {
  DescribeInstancesCommandInput,
  DescribeInstancesCommandOutput,
  DescribeSecurityGroupsCommandInput,
  DescribeSecurityGroupsCommandOutput,
} from '@aws-sdk/client-ec2';
import type { CallOptions } from './call-options.js';

export interface Ec2Api {
  describeInstances(input: DescribeInstancesCommandInput, options?: CallOptions): Promise<DescribeInstancesCommandOutput>;
  describeSecurityGroups(
    input: DescribeSecurityGroupsCommandInput,
    options?: CallOptions,
  ): Promise<DescribeSecurityGroupsCommandOutput>;
}
