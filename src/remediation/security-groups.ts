/** Loads the ingress protocols of security groups, for the IPsec precheck's "ESP allowed?" question. */
import { allPages } from '../aws/all-pages.js';
import type { Ec2Api } from '../aws/ec2-api.js';
import { chunk } from '../fleet/chunk.js';
import type { SecurityGroupRules } from './ipsec.js';

const GROUP_IDS_PER_CALL = 100;

export async function loadSecurityGroupRules(ec2: Ec2Api, groupIds: readonly string[]): Promise<SecurityGroupRules> {
  const rules: SecurityGroupRules = new Map();
  for (const ids of chunk([...new Set(groupIds)], GROUP_IDS_PER_CALL)) {
    const groups = await allPages('DescribeSecurityGroups', async (nextToken) => {
      const page = await ec2.describeSecurityGroups({ GroupIds: ids, NextToken: nextToken });
      return { items: page.SecurityGroups ?? [], nextToken: page.NextToken };
    });
    for (const g of groups) {
      if (g.GroupId) rules.set(g.GroupId, (g.IpPermissions ?? []).map((p) => ({ protocol: String(p.IpProtocol ?? '') })));
    }
  }
  return rules;
}
