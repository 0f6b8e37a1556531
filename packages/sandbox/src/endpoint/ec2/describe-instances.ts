/** DescribeInstances over the fleet: filters, InstanceIds, MaxResults (5..1000) and NextToken like EC2. */
import type { FleetFileInstance } from '../../fleet-file-types.js';
import { instanceState, wildcardMatch, type FleetIndex } from '../fleet-index.js';
import { paginate } from '../pagination.js';
import { ServiceError } from '../service-error.js';
import type { QueryParams, Ec2Filter } from './query-params.js';
import type { XmlNode } from './xml.js';

const STATE_CODES: Record<string, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};
const INSTANCE_ID = /^i-[0-9a-zA-Z]{8,17}$/;

export function describeInstances(fleet: FleetIndex, params: QueryParams): XmlNode {
  const ids = params.list('InstanceId');
  const maxResults = params.integer('MaxResults');
  if (maxResults !== undefined && ids.length > 0) {
    throw new ServiceError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  if (maxResults !== undefined && (maxResults < 5 || maxResults > 1000)) {
    throw new ServiceError(
      'InvalidParameterValue',
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value greater than 5 and less than 1000.`,
    );
  }
  for (const id of ids) {
    if (!INSTANCE_ID.test(id)) throw new ServiceError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
  }
  const missing = ids.filter((id) => !fleet.instance(id));
  if (missing.length > 0) {
    throw new ServiceError('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
  }
  const matchers = params.filters().map(instanceFilter);
  const selected = (ids.length > 0 ? ids.map((id) => fleet.instance(id)!) : [...fleet.instances]).filter((i) =>
    matchers.every((m) => m(i)),
  );
  const page = paginate(
    selected,
    maxResults ?? Number.MAX_SAFE_INTEGER,
    params.get('NextToken'),
    `DescribeInstances:${params.fingerprint(['NextToken', 'MaxResults'])}`,
    'InvalidPaginationToken',
  );
  return {
    reservationSet: page.items.map((i) => reservation(fleet, i)),
    nextToken: page.nextToken,
  };
}

function reservation(fleet: FleetIndex, instance: FleetFileInstance): XmlNode {
  const state = instanceState(instance);
  const groups = (instance.securityGroups ?? []).map((id) => ({ groupId: id, groupName: fleet.securityGroup(id)?.groupName ?? id }));
  const ip = instance.privateIpAddress;
  return {
    reservationId: `r-${instance.instanceId.slice(2).padEnd(17, '0').slice(0, 17)}`,
    ownerId: fleet.fleet.accountId,
    groupSet: [],
    instancesSet: [
      {
        instanceId: instance.instanceId,
        imageId: 'ami-0sandbox0000000',
        instanceState: { code: STATE_CODES[state], name: state },
        privateDnsName: ip ? `ip-${ip.replaceAll('.', '-')}.ec2.internal` : '',
        instanceType: 't3.medium',
        placement: { availabilityZone: `${fleet.fleet.region}a`, tenancy: 'default' },
        privateIpAddress: ip,
        groupSet: groups,
        architecture: 'x86_64',
        tagSet: Object.entries(instance.tags ?? {}).map(([key, value]) => ({ key, value })),
        platformDetails: 'Linux/UNIX',
      },
    ],
  };
}

function instanceFilter(filter: Ec2Filter): (instance: FleetFileInstance) => boolean {
  const any = (value: string | undefined) => value !== undefined && filter.values.some((p) => wildcardMatch(p, value));
  switch (filter.name) {
    case 'instance-id':
      return (i) => any(i.instanceId);
    case 'instance-state-name':
      return (i) => any(instanceState(i));
    case 'instance-state-code':
      return (i) => any(String(STATE_CODES[instanceState(i)]));
    case 'private-ip-address':
      return (i) => any(i.privateIpAddress);
    case 'tag-key':
      return (i) => Object.keys(i.tags ?? {}).some((k) => any(k));
    case 'tag-value':
      return (i) => Object.values(i.tags ?? {}).some((v) => any(v));
    case 'instance.group-id':
      return (i) => (i.securityGroups ?? []).some((g) => any(g));
    default:
      if (filter.name.startsWith('tag:') && filter.name.length > 4) {
        const key = filter.name.slice(4);
        return (i) => any(i.tags?.[key]);
      }
      throw new ServiceError('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
  }
}
