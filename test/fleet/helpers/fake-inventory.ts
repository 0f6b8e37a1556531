/**
 * EC2 DescribeInstances and SSM DescribeInstanceInformation as discovery
 * sees them: filters with AWS semantics, small pages, throttling.
 */
import type {
  DescribeInstancesCommandInput,
  DescribeInstancesCommandOutput,
  DescribeSecurityGroupsCommandOutput,
  Instance,
} from '@aws-sdk/client-ec2';
import type { DescribeInstanceInformationCommandInput, DescribeInstanceInformationCommandOutput, InstanceInformation } from '@aws-sdk/client-ssm';
import type { Ec2Api } from '../../../src/aws/ec2-api.js';
import type { SsmApi } from '../../../src/aws/ssm-api.js';
import { ssmError } from './aws-errors.js';

export interface InventoryInstance {
  id: string;
  state?: string;
  tags?: Record<string, string>;
  ip?: string;
  groups?: { id: string; name?: string }[];
  agent?: { ping: 'Online' | 'ConnectionLost' | 'Inactive'; platform?: 'Linux' | 'Windows'; version?: string };
}

const wildcard = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

export class FakeEc2 implements Ec2Api {
  readonly calls: DescribeInstancesCommandInput[] = [];
  pageSize = 3;
  throttleNext = 0;

  constructor(private readonly instances: InventoryInstance[]) {}

  async describeInstances(input: DescribeInstancesCommandInput): Promise<DescribeInstancesCommandOutput> {
    this.calls.push(input);
    if (this.throttleNext-- > 0) {
      throw Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded', $fault: 'client', $metadata: { httpStatusCode: 503 } });
    }
    if (input.MaxResults !== undefined && (input.MaxResults < 5 || input.MaxResults > 1000)) {
      throw Object.assign(new Error('MaxResults'), { name: 'InvalidParameterValue', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    }
    const matching = this.instances.filter((i) => (input.Filters ?? []).every((f) => this.matches(i, f.Name!, f.Values ?? [])));
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const page = matching.slice(start, start + this.pageSize);
    const next = start + this.pageSize < matching.length ? String(start + this.pageSize) : undefined;
    // Two instances per reservation, as launches group them.
    const reservations = [];
    for (let k = 0; k < page.length; k += 2) reservations.push({ Instances: page.slice(k, k + 2).map(toEc2) });
    return { $metadata: {}, Reservations: reservations, ...(next ? { NextToken: next } : {}) };
  }

  async describeSecurityGroups(): Promise<DescribeSecurityGroupsCommandOutput> {
    throw new Error('not used by discovery');
  }

  private matches(i: InventoryInstance, name: string, values: string[]): boolean {
    const tags = i.tags ?? {};
    if (name === 'instance-state-name') return values.includes(i.state ?? 'running');
    if (name === 'tag-key') return values.some((v) => v in tags);
    if (name.startsWith('tag:')) {
      const value = tags[name.slice(4)];
      return value !== undefined && values.some((v) => wildcard(v).test(value));
    }
    throw new Error(`fake EC2 does not know filter ${name}`);
  }
}

function toEc2(i: InventoryInstance): Instance {
  return {
    InstanceId: i.id,
    State: { Name: (i.state ?? 'running') as 'running', Code: 16 },
    ...(i.ip ? { PrivateIpAddress: i.ip } : {}),
    Tags: Object.entries(i.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    SecurityGroups: (i.groups ?? []).map((g) => ({ GroupId: g.id, GroupName: g.name })),
  };
}

export class FakeSsmInventory implements Pick<SsmApi, 'describeInstanceInformation'> {
  readonly calls: DescribeInstanceInformationCommandInput[] = [];
  pageSize = 2;

  constructor(private readonly instances: InventoryInstance[]) {}

  async describeInstanceInformation(input: DescribeInstanceInformationCommandInput): Promise<DescribeInstanceInformationCommandOutput> {
    this.calls.push(input);
    const max = input.MaxResults ?? 50;
    if (max < 5 || max > 50) throw ssmError('InvalidParameterValue', 400, 'MaxResults: 5 to 50');
    const idFilter = input.Filters?.find((f) => f.Key === 'InstanceIds')?.Values;
    if (!idFilter || idFilter.length === 0 || idFilter.length > 50) throw ssmError('InvalidFilterValue', 400, 'InstanceIds: 1 to 50 values');
    const managed: InstanceInformation[] = this.instances
      .filter((i) => i.agent && idFilter.includes(i.id))
      .map((i) => ({
        InstanceId: i.id,
        PingStatus: i.agent!.ping,
        PlatformType: i.agent!.platform ?? 'Linux',
        AgentVersion: i.agent!.version ?? '3.3.0.0',
        ResourceType: 'EC2Instance',
      }));
    const size = Math.min(max, this.pageSize);
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const next = start + size < managed.length ? String(start + size) : undefined;
    return { $metadata: {}, InstanceInformationList: managed.slice(start, start + size), ...(next ? { NextToken: next } : {}) };
  }
}
