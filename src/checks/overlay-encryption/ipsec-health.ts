import type { AuditedHost } from '../types.js';

export interface IpsecSuspect {
  instanceId: string;
  espPolicies: number;
  espStates: number;
  saFailures: string[];
}

/**
 * Members whose kernel state shows encrypted VXLAN cannot flow: ESP policies
 * without any ESP state (SA), or dockerd logging failed SA installs. Docker
 * still reports the network as encrypted; the traffic is dropped
 * (docs/docker.md, "The flag can lie"; moby #27425 for missing ESP in firewalls).
 */
export function ipsecSuspects(members: AuditedHost[]): IpsecSuspect[] {
  const suspects: IpsecSuspect[] = [];
  for (const { instance, facts } of members) {
    const ipsec = facts.ipsec;
    if (!ipsec) continue;
    const policiesWithoutStates = ipsec.readable && ipsec.espPolicies > 0 && ipsec.espStates === 0;
    if (policiesWithoutStates || ipsec.saFailures.length > 0) {
      suspects.push({
        instanceId: instance.instanceId,
        espPolicies: ipsec.espPolicies,
        espStates: ipsec.espStates,
        saFailures: ipsec.saFailures,
      });
    }
  }
  return suspects;
}
