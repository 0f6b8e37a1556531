/** DescribeSecurityGroups: ingress rules with groups (userIdGroupPairs) and ipRanges, all egress allowed. */
import type { FleetFileSecurityGroup } from '../../fleet-file-types.js';
import { wildcardMatch, type FleetIndex } from '../fleet-index.js';
import { paginate } from '../pagination.js';
import { ServiceError } from '../service-error.js';
import type { Ec2Filter, QueryParams } from './query-params.js';
import type { XmlNode } from './xml.js';

const VPC_ID = 'vpc-0sandbox00000000';

export function describeSecurityGroups(fleet: FleetIndex, params: QueryParams): XmlNode {
  const ids = params.list('GroupId');
  const names = params.list('GroupName');
  const maxResults = params.integer('MaxResults');
  if (maxResults !== undefined && (maxResults < 5 || maxResults > 1000)) {
    throw new ServiceError('InvalidParameterValue', `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  }
  for (const id of ids) {
    if (!fleet.securityGroup(id)) throw new ServiceError('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
  }
  const matchers = params.filters().map(groupFilter);
  const selected = fleet.securityGroups.filter(
    (g) =>
      (ids.length === 0 || ids.includes(g.groupId)) &&
      (names.length === 0 || names.includes(g.groupName ?? g.groupId)) &&
      matchers.every((m) => m(g)),
  );
  const page = paginate(
    selected,
    maxResults ?? Number.MAX_SAFE_INTEGER,
    params.get('NextToken'),
    `DescribeSecurityGroups:${params.fingerprint(['NextToken', 'MaxResults'])}`,
    'InvalidPaginationToken',
  );
  return { securityGroupInfo: page.items.map((g) => groupShape(fleet, g)), nextToken: page.nextToken };
}

function groupShape(fleet: FleetIndex, group: FleetFileSecurityGroup): XmlNode {
  return {
    ownerId: fleet.fleet.accountId,
    groupId: group.groupId,
    groupName: group.groupName ?? group.groupId,
    groupDescription: group.groupName ?? group.groupId,
    vpcId: VPC_ID,
    ipPermissions: (group.ingress ?? []).map((rule) => ({
      ipProtocol: rule.protocol,
      fromPort: rule.fromPort,
      toPort: rule.toPort,
      groups: rule.sources.filter((s) => s.startsWith('sg-')).map((groupId) => ({ userId: fleet.fleet.accountId, groupId })),
      ipRanges: rule.sources.filter((s) => !s.startsWith('sg-')).map((cidrIp) => ({ cidrIp })),
      ipv6Ranges: [],
      prefixListIds: [],
    })),
    ipPermissionsEgress: [{ ipProtocol: '-1', groups: [], ipRanges: [{ cidrIp: '0.0.0.0/0' }], ipv6Ranges: [], prefixListIds: [] }],
    tagSet: [],
  };
}

function groupFilter(filter: Ec2Filter): (group: FleetFileSecurityGroup) => boolean {
  const any = (value: string) => filter.values.some((p) => wildcardMatch(p, value));
  switch (filter.name) {
    case 'group-id':
      return (g) => any(g.groupId);
    case 'group-name':
      return (g) => any(g.groupName ?? g.groupId);
    case 'vpc-id':
      return () => any(VPC_ID);
    default:
      throw new ServiceError('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
  }
}
