/** The narrow slice of EC2 that swarm-audit uses (see ssm-api.ts). */
import type {
  DescribeInstancesCommandInput,
  DescribeInstancesCommandOutput,
  DescribeSecurityGroupsCommandInput,
  DescribeSecurityGroupsCommandOutput,
} from '@aws-sdk/client-ec2';

export interface Ec2Api {
  describeInstances(input: DescribeInstancesCommandInput): Promise<DescribeInstancesCommandOutput>;
  describeSecurityGroups(input: DescribeSecurityGroupsCommandInput): Promise<DescribeSecurityGroupsCommandOutput>;
}
