/**
 * Fleet discovery: EC2 instances selected by tag (every state, every page),
 * joined with their SSM agent registration. An instance that cannot be
 * audited (not running, no agent, agent not Online, not Linux) is kept, with
 * the reason; nothing the tags matched is ever dropped.
 */
import type { Filter, Instance } from '@aws-sdk/client-ec2';
import type { InstanceInformation } from '@aws-sdk/client-ssm';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { isRetryable } from '../aws/aws-errors.js';
import type { Ec2Api } from '../aws/ec2-api.js';
import type { SsmApi } from '../aws/ssm-api.js';
import { allPages } from '../aws/all-pages.js';
import { withBackoff, type BackoffPolicy } from './backoff.js';
import { chunk } from './chunk.js';
import { systemClock, type Clock } from './clock.js';
import type { FleetInstance } from './instance.js';
import { notRunningReason } from './instance-state.js';
import type { TagQuery } from './tag-query.js';

export interface DiscoverDeps {
  ec2: Ec2Api;
  ssm: SsmApi;
  logger?: Logger;
  clock?: Clock;
  random?: () => number;
  /** DescribeInstanceInformation calls in flight (one per 50 instances); default 4. */
  concurrency?: number;
}

/** DescribeInstanceInformation takes at most 50 results a page; we ask for one chunk of ids at a time. */
const SSM_IDS_PER_CALL = 50;
const EC2_PAGE_SIZE = 1000;
/** Kept low: DescribeInstanceInformation shares the account's SSM request rate with the run that follows. */
const DEFAULT_AGENT_QUERY_CONCURRENCY = 4;
const RETRY: BackoffPolicy = { maxAttempts: 8, baseMs: 250, capMs: 8_000 };

export async function discoverFleet(deps: DiscoverDeps, query: TagQuery): Promise<FleetInstance[]> {
  const instances = await describeTaggedInstances(deps, query);
  const agents = await describeAgents(deps, instances.map((i) => i.InstanceId!));
  const fleet = instances.map((instance) => toFleetInstance(instance, agents.get(instance.InstanceId!)));
  fleet.sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
  deps.logger?.info(
    { instances: fleet.length, reachable: fleet.filter((i) => i.reachable).length, states: countStates(fleet) },
    'fleet discovered',
  );
  return fleet;
}

/** Tags only, no instance-state-name: a stopped or terminated match must be reported, not silently left out. */
function ec2Filters(query: TagQuery): Filter[] {
  const filters: Filter[] = [];
  for (const tag of query.tags) filters.push({ Name: `tag:${tag.key}`, Values: [...tag.values] });
  // One tag-key filter ORs its values; the AND across keys is enforced on the answer (hasAllKeys).
  if (query.tagKeys.length > 0) filters.push({ Name: 'tag-key', Values: [...query.tagKeys] });
  return filters;
}

async function describeTaggedInstances(deps: DiscoverDeps, query: TagQuery): Promise<Instance[]> {
  const filters = ec2Filters(query);
  const instances = await allPages('DescribeInstances', async (nextToken) => {
    const answer = await retrying(deps, 'DescribeInstances', () =>
      deps.ec2.describeInstances({ Filters: filters, MaxResults: EC2_PAGE_SIZE, NextToken: nextToken }),
    );
    return { items: (answer.Reservations ?? []).flatMap((r) => r.Instances ?? []), nextToken: answer.NextToken };
  });
  const byId = new Map(instances.filter((i) => i.InstanceId && hasAllKeys(i, query.tagKeys)).map((i) => [i.InstanceId!, i]));
  return [...byId.values()];
}

function countStates(fleet: FleetInstance[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const instance of fleet) counts[instance.state] = (counts[instance.state] ?? 0) + 1;
  return counts;
}

function hasAllKeys(instance: Instance, keys: readonly string[]): boolean {
  if (keys.length === 0) return true;
  const present = new Set((instance.Tags ?? []).map((t) => t.Key));
  return keys.every((k) => present.has(k));
}

async function describeAgents(deps: DiscoverDeps, instanceIds: string[]): Promise<Map<string, InstanceInformation>> {
  const limit = pLimit(deps.concurrency ?? DEFAULT_AGENT_QUERY_CONCURRENCY);
  const answers = await Promise.all(chunk(instanceIds, SSM_IDS_PER_CALL).map((ids) => limit(() => describeAgentsOf(deps, ids))));
  return new Map(answers.flat().map((info) => [info.InstanceId!, info]));
}

function describeAgentsOf(deps: DiscoverDeps, ids: string[]): Promise<InstanceInformation[]> {
  return allPages('DescribeInstanceInformation', async (nextToken) => {
    const answer = await retrying(deps, 'DescribeInstanceInformation', () =>
      deps.ssm.describeInstanceInformation({
        Filters: [{ Key: 'InstanceIds', Values: ids }],
        MaxResults: SSM_IDS_PER_CALL,
        NextToken: nextToken,
      }),
    );
    return { items: (answer.InstanceInformationList ?? []).filter((info) => info.InstanceId), nextToken: answer.NextToken };
  });
}

function retrying<T>(deps: DiscoverDeps, operation: string, call: () => Promise<T>): Promise<T> {
  return withBackoff(call, {
    clock: deps.clock ?? systemClock,
    policy: RETRY,
    shouldRetry: isRetryable,
    random: deps.random,
    onRetry: (err, attempt, delayMs) =>
      deps.logger?.debug({ operation, attempt, delayMs, err: String(err) }, 'retrying AWS call'),
  });
}

function toFleetInstance(instance: Instance, info: InstanceInformation | undefined): FleetInstance {
  const tags = Object.fromEntries((instance.Tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? '']));
  const agent: FleetInstance['agent'] = info
    ? { managed: true, pingStatus: info.PingStatus, platformType: info.PlatformType, agentVersion: info.AgentVersion }
    : { managed: false };
  const state = instance.State?.Name ?? 'unknown';
  const unreachableReason = notRunningReason(state) ?? whyUnreachable(agent);
  return {
    instanceId: instance.InstanceId!,
    ...(tags.Name !== undefined ? { name: tags.Name } : {}),
    ...(instance.PrivateIpAddress ? { privateIp: instance.PrivateIpAddress } : {}),
    state,
    tags,
    securityGroups: (instance.SecurityGroups ?? [])
      .filter((g) => g.GroupId !== undefined)
      .map((g) => ({ groupId: g.GroupId!, ...(g.GroupName ? { groupName: g.GroupName } : {}) })),
    agent,
    reachable: unreachableReason === undefined,
    ...(unreachableReason !== undefined ? { unreachableReason } : {}),
  };
}

function whyUnreachable(agent: FleetInstance['agent']): string | undefined {
  if (!agent.managed) return 'no SSM agent registered (not a managed instance)';
  if (agent.pingStatus !== 'Online') return `SSM agent ${agent.pingStatus ?? 'status unknown'}`;
  if (agent.platformType !== 'Linux') return `platform ${agent.platformType ?? 'unknown'} not supported`;
  return undefined;
}
