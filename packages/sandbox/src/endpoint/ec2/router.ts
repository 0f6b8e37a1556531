/** Action -> handler for the EC2 query protocol. */
import type { FleetIndex } from '../fleet-index.js';
import type { Ec2Operation } from '../operations.js';
import { ServiceError } from '../service-error.js';
import { describeInstances } from './describe-instances.js';
import { describeSecurityGroups } from './describe-security-groups.js';
import type { QueryParams } from './query-params.js';
import type { XmlNode } from './xml.js';

const HANDLERS: Record<Ec2Operation, (fleet: FleetIndex, params: QueryParams) => XmlNode> = {
  DescribeInstances: describeInstances,
  DescribeSecurityGroups: describeSecurityGroups,
};

export function handleEc2(fleet: FleetIndex, action: string, params: QueryParams): XmlNode {
  if (!Object.hasOwn(HANDLERS, action)) {
    throw new ServiceError('InvalidAction', `The action ${action} is not valid for this web service.`);
  }
  return HANDLERS[action as Ec2Operation](fleet, params);
}
