import type { HostFacts, NetworkFacts } from '../../probe/facts.js';
import { problemsOfFact } from '../../probe/fact-sections.js';

/**
 * The nodes between which a network carries traffic, from the manager's task
 * placement: the nodes running its tasks. `nodeIds` is undefined when that
 * cannot be known, and `why` says so:
 * - ingress: the routing mesh forwards from every node to the task nodes, so
 *   it spans every node of the cluster;
 * - attachable networks: standalone containers (`docker run --network`) are
 *   not service tasks, so the task list cannot see them;
 * - the manager's task list could not be read.
 */
export interface NetworkSpan {
  nodeIds?: ReadonlySet<string>;
  why?: string;
}

export function networkSpan(network: NetworkFacts, manager: HostFacts): NetworkSpan {
  if (network.ingress) {
    const nodes = manager.nodes;
    return nodes ? { nodeIds: new Set(nodes.map((n) => n.id)) } : { why: 'the node list could not be read' };
  }
  if (network.attachable) return { why: 'it is attachable: standalone containers on it are not in the task list' };
  const problem = problemsOfFact(manager, 'tasks')[0];
  if (problem || !manager.tasks) return { why: `task placement could not be read: ${problem?.message ?? 'not collected'}` };
  const nodeIds = manager.tasks.filter((t) => t.nodeId !== '' && t.networks.includes(network.id)).map((t) => t.nodeId);
  return { nodeIds: new Set(nodeIds) };
}

/** Whether traffic on the network may cross nodes: more than one task node, or a span not known in a multi-node cluster. */
export function mayCrossNodes(span: NetworkSpan, clusterNodes: number | undefined): boolean {
  return span.nodeIds ? span.nodeIds.size > 1 : clusterNodes !== 1;
}
