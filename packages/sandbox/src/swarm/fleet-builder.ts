import type { FleetFile, FleetFileInstance, FleetFileSecurityGroup } from '../fleet-file-types.js';
import { securityGroupIdFor, type NodeLayout, type SandboxLayout } from './layout.js';
import type { ResolvedCluster, ResolvedSandboxSpec } from './spec-types.js';

/** The PATH every sandbox command runs with: the Debian docker.io 20.10 client, never a newer one earlier in PATH. */
export const SANDBOX_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';
const SANDBOX_AGENT_VERSION = '3.3.40.0';

/** The fleet file the local endpoint serves: one EC2 instance per sandbox node. Pure. */
export function buildFleetFile(spec: ResolvedSandboxSpec, layout: SandboxLayout): FleetFile {
  const clusters = new Map(spec.clusters.map((c) => [c.name, c]));
  const needsDefaultGroup = layout.nodes.some((n) => n.node.cluster === undefined);
  return {
    accountId: spec.accountId,
    region: spec.region,
    instances: layout.nodes.map((n) => buildInstance(spec, n, n.node.cluster !== undefined ? clusters.get(n.node.cluster) : undefined)),
    securityGroups: [
      ...spec.clusters.map((c) => clusterSecurityGroup(spec, c)),
      ...(needsDefaultGroup ? [defaultSecurityGroup(spec)] : []),
    ],
  };
}

function buildInstance(spec: ResolvedSandboxSpec, node: NodeLayout, cluster: ResolvedCluster | undefined): FleetFileInstance {
  const agent = agentFor(node.node.agent);
  return {
    instanceId: node.instanceId,
    tags: { Name: node.node.name, ...spec.tags, ...(cluster?.tags ?? {}), ...node.node.tags },
    privateIpAddress: node.address,
    state: 'running',
    ...(agent ? { agent } : {}),
    securityGroups: [cluster ? securityGroupIdFor(spec.prefix, cluster.name) : securityGroupIdFor(spec.prefix, 'default')],
    ...(agent
      ? {
          exec: {
            netns: node.netns,
            env: { DOCKER_HOST: `unix://${node.socket}`, PATH: SANDBOX_PATH, SWARM_AUDIT_DOCKERD_LOG: node.logFile },
          },
        }
      : {}),
  };
}

function agentFor(state: NodeLayout['node']['agent']): FleetFileInstance['agent'] {
  switch (state) {
    case 'online':
      return { pingStatus: 'Online', platform: 'Linux', agentVersion: SANDBOX_AGENT_VERSION, behaviour: 'online' };
    case 'offline':
      return { pingStatus: 'Online', platform: 'Linux', agentVersion: SANDBOX_AGENT_VERSION, behaviour: 'offline' };
    case 'lost':
      return { pingStatus: 'ConnectionLost', platform: 'Linux', agentVersion: SANDBOX_AGENT_VERSION };
    case 'none':
      return undefined;
  }
}

/** Swarm's ports between the cluster's own nodes, plus ESP (protocol 50) unless the spec withholds it. */
function clusterSecurityGroup(spec: ResolvedSandboxSpec, cluster: ResolvedCluster): FleetFileSecurityGroup {
  const self = securityGroupIdFor(spec.prefix, cluster.name);
  return {
    groupId: self,
    groupName: `${spec.prefix}-${cluster.name}-nodes`,
    ingress: [
      { protocol: 'tcp', fromPort: 22, toPort: 22, sources: [spec.subnet] },
      { protocol: 'tcp', fromPort: 2377, toPort: 2377, sources: [self] },
      { protocol: 'tcp', fromPort: 7946, toPort: 7946, sources: [self] },
      { protocol: 'udp', fromPort: 7946, toPort: 7946, sources: [self] },
      { protocol: 'udp', fromPort: 4789, toPort: 4789, sources: [self] },
      ...(cluster.espAllowed ? [{ protocol: '50', sources: [self] }] : []),
    ],
  };
}

function defaultSecurityGroup(spec: ResolvedSandboxSpec): FleetFileSecurityGroup {
  return {
    groupId: securityGroupIdFor(spec.prefix, 'default'),
    groupName: `${spec.prefix}-default`,
    ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, sources: [spec.subnet] }],
  };
}

/** sandbox.env: KEY=value lines (load with `set -a; . ./sandbox.env; set +a`). Dummy credentials: the endpoint checks shape only. */
export function buildEnvFile(spec: ResolvedSandboxSpec, endpointUrl: string | undefined): string {
  const vars: [string, string][] = [
    ...(endpointUrl ? ([['AWS_ENDPOINT_URL', endpointUrl]] as [string, string][]) : []),
    ['AWS_REGION', spec.region],
    ['AWS_ACCESS_KEY_ID', 'AKIDSANDBOX'],
    ['AWS_SECRET_ACCESS_KEY', 'sandbox'],
    ['AWS_EC2_METADATA_DISABLED', 'true'],
  ];
  return `${vars.map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}
