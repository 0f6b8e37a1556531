import type { NodeFacts } from '../../probe/facts.js';
import { problemsOfFact } from '../../probe/fact-sections.js';
import type { AuditedHost } from '../types.js';

export interface IpsecUnknown {
  instanceId: string;
  /** Swarm node ID, to match the network's task nodes. */
  nodeId?: string;
  /** Swarm node name (hostname), else the probe's hostname, else the instance ID. */
  node: string;
  /** What could not be read and why, as the probe reported it. */
  cause: string;
}

/**
 * Members whose IPsec state the probe could not read (`ip xfrm` or dockerd's
 * SA log): BusyBox's ip without xfrm, no permission, no log source. Their
 * IPsec health is unknown, which is not the same as healthy.
 */
export function ipsecUnknowns(members: AuditedHost[], nodes: NodeFacts[] | undefined): IpsecUnknown[] {
  return members.flatMap(({ instance, facts }) => {
    const problems = problemsOfFact(facts, 'ipsec');
    if (facts.ipsec && problems.length === 0) return [];
    const cause = problems.map((p) => `${p.section}: ${p.message}`).join('; ') || 'IPsec evidence not collected';
    const nodeId = facts.swarm?.nodeId || undefined;
    const node = nodes?.find((n) => n.id === nodeId)?.hostname || facts.hostname || instance.instanceId;
    return [{ instanceId: instance.instanceId, ...(nodeId ? { nodeId } : {}), node, cause }];
  });
}
