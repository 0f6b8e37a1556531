import type { ClusterCheckContext } from '../types.js';
import { hasOverlayEncryptionCve, parseEngineVersion } from './engine-version.js';

interface NodeEngine {
  /** Where the version was read: "node <hostname> (<nodeId>)" or "instance <id>". */
  node: string;
  version: string;
}

export interface ClusterEngines {
  vulnerable: NodeEngine[];
  unknown: NodeEngine[];
  /** Set when the manager's node list was not available (versions of unaudited nodes unknown). */
  nodeListMissing?: string;
}

/**
 * Engine versions of every member of the cluster: the manager's node list
 * (covers nodes that were not audited) plus each audited host's own server
 * version.
 */
export function clusterEngines(ctx: ClusterCheckContext, nodeListProblem: string | undefined): ClusterEngines {
  const engines: NodeEngine[] = [];
  for (const node of ctx.manager.facts.nodes ?? []) {
    engines.push({ node: `node ${node.hostname || node.id} (${node.id})`, version: node.engineVersion });
  }
  for (const member of ctx.members) {
    const version = member.facts.docker.serverVersion;
    if (version !== undefined) engines.push({ node: `instance ${member.instance.instanceId}`, version });
  }
  const vulnerable: NodeEngine[] = [];
  const unknown: NodeEngine[] = [];
  for (const engine of engines) {
    const parsed = parseEngineVersion(engine.version);
    if (!parsed) unknown.push(engine);
    else if (hasOverlayEncryptionCve(parsed)) vulnerable.push(engine);
  }
  const nodeListMissing =
    nodeListProblem ?? (ctx.manager.facts.nodes === undefined ? 'the manager probe returned no node list' : undefined);
  return { vulnerable, unknown, nodeListMissing };
}
