/** Loads the ingress protocols of security groups, for the IPsec precheck's "ESP allowed?" question. */
import type { Ec2Api } from '../aws/ec2-api.js';
import type { SecurityGroupRules } from './ipsec.js';

export async function loadSecurityGroupRules(ec2: Ec2Api, groupIds: readonly string[]): Promise<SecurityGroupRules> {
  const rules: SecurityGroupRules = new Map();
  const ids = [...new Set(groupIds)];
  for (let i = 0; i < ids.length; i += 100) {
    let nextToken: string | undefined;
    do {
      const page = await ec2.describeSecurityGroups({ GroupIds: ids.slice(i, i + 100), NextToken: nextToken });
      for (const g of page.SecurityGroups ?? []) {
        if (!g.GroupId) continue;
        rules.set(g.GroupId, (g.IpPermissions ?? []).map((p) => ({ protocol: String(p.IpProtocol ?? '') })));
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return rules;
}
