/** Ec2Api over the real SDK client: the only file that imports EC2 commands. */
import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  type DescribeInstancesCommandInput,
  type DescribeInstancesCommandOutput,
  type DescribeSecurityGroupsCommandInput,
  type DescribeSecurityGroupsCommandOutput,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { CallOptions } from './call-options.js';
import type { Ec2Api } from './ec2-api.js';
import { mapFinalError } from './map-final-error.js';

export class SdkEc2Api implements Ec2Api {
  constructor(private readonly client: EC2Client) {}

  describeInstances(input: DescribeInstancesCommandInput, options?: CallOptions): Promise<DescribeInstancesCommandOutput> {
    return mapFinalError('DescribeInstances', () => this.client.send(new DescribeInstancesCommand(input), options));
  }

  describeSecurityGroups(
    input: DescribeSecurityGroupsCommandInput,
    options?: CallOptions,
  ): Promise<DescribeSecurityGroupsCommandOutput> {
    return mapFinalError('DescribeSecurityGroups', () => this.client.send(new DescribeSecurityGroupsCommand(input), options));
  }
}
