/**
 * CIS Docker 7.3: every swarm overlay network is encrypted. Encryption is on
 * when the `encrypted` key is present in Options, whatever its value
 * (libnetwork checks presence only), and only as good as the engines and the
 * kernel IPsec state of the nodes (docs/docker.md, "Overlay encryption").
 */
import type { HostFacts, NetworkFacts } from '../../probe/facts.js';
import { problemsOfFact } from '../../probe/fact-sections.js';
import type { CheckResult, ClusterCheck, ClusterCheckContext, Resource } from '../types.js';
import { clusterEngines, type ClusterEngines } from './cluster-engines.js';
import { ENCRYPTION_CVES } from './engine-version.js';
import { ipsecSuspects, type IpsecSuspect } from './ipsec-health.js';
import { ipsecUnknowns, type IpsecUnknown } from './ipsec-unknown.js';
import { mayCrossNodes, networkSpan } from './network-span.js';

const STACK_LABEL = 'com.docker.stack.namespace';

export const overlayEncryption: ClusterCheck = {
  meta: {
    id: 'overlay-encryption',
    title: 'Swarm overlay networks are encrypted',
    cis: '7.3',
    severity: 'high',
    scope: 'cluster',
    reads: ['networks'],
    optionalReads: ['nodes', 'tasks', 'ipsec', 'docker'],
    description:
      'Every overlay network must carry the "encrypted" option (IPsec ESP between nodes). The engines of all nodes ' +
      'must be free of CVE-2023-28840/28841/28842, and the nodes must be able to install IPsec SAs, or encrypted ' +
      'traffic is either sent in clear or dropped.',
  },
  evaluateCluster: evaluateOverlayEncryption,
};

interface ClusterEvidence {
  manager: HostFacts;
  engines: ClusterEngines;
  suspects: IpsecSuspect[];
  unknowns: IpsecUnknown[];
}

function evaluateOverlayEncryption(ctx: ClusterCheckContext): CheckResult[] {
  const clusterResource: Resource = { type: 'cluster', id: ctx.clusterId };
  const facts = ctx.manager.facts;
  // `reads: ['networks']`: the engine runs this check only on a manager whose network list was collected
  if (!facts.networks) throw new Error('the manager probe returned no network list');
  const overlays = facts.networks.filter((network) => network.driver === 'overlay');
  if (overlays.length === 0) {
    return [{ status: 'NOT_APPLICABLE', resource: clusterResource, message: 'no overlay networks in this cluster' }];
  }
  const nodesProblem = problemsOfFact(facts, 'nodes')[0];
  const cluster: ClusterEvidence = {
    manager: facts,
    engines: clusterEngines(ctx, nodesProblem && `node list could not be read: ${nodesProblem.message}`),
    suspects: ipsecSuspects(ctx.members),
    unknowns: ipsecUnknowns(ctx.members, facts.nodes),
  };
  return overlays.map((network) => evaluateNetwork(network, cluster));
}

function isEncrypted(network: NetworkFacts): boolean {
  return Object.prototype.hasOwnProperty.call(network.options, 'encrypted');
}

function evaluateNetwork(network: NetworkFacts, cluster: ClusterEvidence): CheckResult {
  const resource: Resource = { type: 'network', id: network.id, name: network.name };
  const stack = network.labels[STACK_LABEL];
  const evidence: Record<string, unknown> = {
    name: network.name,
    ingress: network.ingress,
    encryptedOption: network.options['encrypted'] ?? null,
    stack: stack ?? null,
  };
  if (!isEncrypted(network)) {
    return { status: 'FAIL', resource, evidence, message: unencryptedMessage(network, stack) };
  }
  if (network.options['encrypted'] === 'false') {
    evidence['note'] = 'encrypted="false" still encrypts: libnetwork checks the presence of the key, not its value';
  }
  const { engines, suspects } = cluster;
  if (engines.vulnerable.length > 0) {
    const list = engines.vulnerable.map((e) => `${e.node} runs ${e.version}`).join('; ');
    evidence['vulnerableEngines'] = engines.vulnerable;
    return {
      status: 'FAIL',
      resource,
      evidence,
      message:
        `network ${network.name} is encrypted, but encryption may be ineffective: ${list} ` +
        `(${ENCRYPTION_CVES.join(', ')}: engines before 20.10.24 and 23.0.0-23.0.2 may send unencrypted traffic). ` +
        'Upgrade every node to 20.10.24, 23.0.3 or later',
    };
  }
  const blackhole = suspects.length > 0 ? blackholeSentence(suspects) : '';
  if (suspects.length > 0) evidence['ipsecSuspects'] = suspects;
  const unknownOnNetwork = unknownsOn(network, cluster);
  const unknown = unknownOnNetwork.members.length > 0 ? unknownSentence(unknownOnNetwork) : '';
  if (unknown) evidence['ipsecUnknown'] = unknownOnNetwork.members;
  const ipsecDoubt = [blackhole, unknown].filter(Boolean).join('. ');
  if (engines.unknown.length > 0 || engines.nodeListMissing) {
    const why = [
      ...engines.unknown.map((e) => `${e.node} reports an unreadable engine version "${e.version}"`),
      ...(engines.nodeListMissing ? [engines.nodeListMissing] : []),
    ].join('; ');
    evidence['unknownEngines'] = engines.unknown;
    return {
      status: 'ERROR',
      resource,
      evidence,
      message:
        `network ${network.name} is encrypted, but whether ${ENCRYPTION_CVES.join('/')} applies cannot be decided: ` +
        `${why}${ipsecDoubt ? `. ${ipsecDoubt}` : ''}`,
    };
  }
  if (ipsecDoubt) {
    return { status: 'WARN', resource, evidence, message: `network ${network.name} is encrypted, but ${ipsecDoubt}` };
  }
  const note = network.options['encrypted'] === 'false' ? ' (encrypted="false" still encrypts: the key is present)' : '';
  return { status: 'PASS', resource, evidence, message: `network ${network.name} is encrypted${note}` };
}

/**
 * Members with unreadable IPsec state that matter for this network: those
 * running its tasks, or all of them when where its traffic flows is unknown.
 * A network whose tasks all run on one node carries nothing between nodes.
 */
function unknownsOn(network: NetworkFacts, cluster: ClusterEvidence): { members: IpsecUnknown[]; spanUnknown?: string } {
  if (cluster.unknowns.length === 0) return { members: [] };
  const span = networkSpan(network, cluster.manager);
  if (!mayCrossNodes(span, cluster.manager.nodes?.length)) return { members: [] };
  const nodeIds = span.nodeIds;
  if (!nodeIds) return { members: cluster.unknowns, ...(span.why ? { spanUnknown: span.why } : {}) };
  return { members: cluster.unknowns.filter((u) => u.nodeId === undefined || nodeIds.has(u.nodeId)) };
}

function unknownSentence({ members, spanUnknown }: { members: IpsecUnknown[]; spanUnknown?: string }): string {
  const nodes = members.map((u) => u.node).join(', ');
  const causes = members.map((u) => `${u.node} (${u.instanceId}): ${u.cause}`).join('; ');
  const crosses = spanUnknown ? `its traffic may cross every node (${spanUnknown})` : 'its traffic crosses nodes';
  return (
    `IPsec health unknown on ${nodes}: ${crosses}, and their IPsec state could not be read (${causes}), ` +
    'so encrypted VXLAN to them may be dropped unseen; run the probe as root with iproute2 and a readable dockerd log'
  );
}

function blackholeSentence(suspects: IpsecSuspect[]): string {
  const nodes = suspects
    .map((s) =>
      s.saFailures.length > 0
        ? `${s.instanceId} (dockerd failed to add IPsec SAs)`
        : `${s.instanceId} (${s.espPolicies} ESP policies, no ESP SA)`,
    )
    .join(', ');
  return (
    `traffic may be blackholed: IPsec is not working on ${nodes}. Docker still reports the network as encrypted, ` +
    'but encrypted VXLAN between nodes is dropped; allow ESP (IP protocol 50) and UDP 4789 between nodes ' +
    '(security groups) and check kernel xfrm/AES-GCM support (moby #27425)'
  );
}

function unencryptedMessage(network: NetworkFacts, stack: string | undefined): string {
  const base = `overlay network ${network.name} is not encrypted (no "encrypted" key in its Options)`;
  if (network.ingress) {
    return (
      `${base}. ${network.name} is the ingress (routing mesh) network: it can only be encrypted by recreating it, ` +
      'with downtime: remove every service that publishes ports, docker network rm it, create it again with ' +
      '--driver overlay --ingress --opt encrypted, then redeploy the services'
    );
  }
  const fix =
    '. Encryption cannot be turned on in place: create an encrypted network and move the services to it ' +
    '(--network-add, then --network-rm)';
  const stackHint = stack
    ? `. It belongs to stack ${stack}: fix the compose file (driver_opts: encrypted: "") as well, or the next ` +
      'docker stack deploy will keep it unencrypted'
    : '';
  return `${base}${fix}${stackHint}`;
}
