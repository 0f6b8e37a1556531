/**
 * The sandbox spec (public; documented in SPEC.md): which namespaces, dockerd
 * nodes, swarms, networks and services `sandbox up` builds. Optional fields
 * are filled with their defaults by parseSandboxSpec, so code after parsing
 * reads a ResolvedSandboxSpec where every field is present.
 */
export interface SandboxSpec {
  prefix: string;
  subnet: string;
  region?: string;
  accountId?: string;
  tags?: Record<string, string>;
  nodes: SpecNode[];
  clusters?: SpecCluster[];
}

export type NodeRole = 'manager' | 'worker';
export type DockerState = 'running' | 'stopped';
/** online: answers commands; offline: registered and Online but never picks commands up; lost: PingStatus ConnectionLost; none: no agent registered. */
export type AgentState = 'online' | 'offline' | 'lost' | 'none';

interface SpecNode {
  name: string;
  cluster?: string;
  role?: NodeRole;
  bindListenAddr?: boolean;
  docker?: DockerState;
  swarm?: boolean;
  agent?: AgentState;
  tags?: Record<string, string>;
}

interface SpecCluster {
  name: string;
  tags?: Record<string, string>;
  /** Whether the cluster's security group allows ESP (IP protocol 50) between its nodes. Default true. */
  espAllowed?: boolean;
  networks?: SpecNetwork[];
  services?: SpecService[];
}

interface SpecNetwork {
  name: string;
  driver?: 'overlay';
  options?: Record<string, string>;
  labels?: Record<string, string>;
  attachable?: boolean;
  internal?: boolean;
  subnet?: string;
}

interface SpecService {
  name: string;
  mode?: 'replicated' | 'global';
  replicas?: number;
  ports?: SpecPort[];
  networks?: SpecServiceNetwork[];
  labels?: Record<string, string>;
}

export interface SpecPort {
  published: number;
  target: number;
  protocol?: 'tcp' | 'udp';
  mode?: 'ingress' | 'host';
}

export interface SpecServiceNetwork {
  name: string;
  aliases?: string[];
}

export interface ResolvedSandboxSpec {
  prefix: string;
  subnet: string;
  region: string;
  accountId: string;
  tags: Record<string, string>;
  nodes: ResolvedNode[];
  clusters: ResolvedCluster[];
}

export interface ResolvedNode {
  name: string;
  cluster?: string;
  role: NodeRole;
  bindListenAddr: boolean;
  docker: DockerState;
  swarm: boolean;
  agent: AgentState;
  tags: Record<string, string>;
}

export interface ResolvedCluster {
  name: string;
  tags: Record<string, string>;
  espAllowed: boolean;
  networks: ResolvedNetwork[];
  services: ResolvedService[];
}

export interface ResolvedNetwork {
  name: string;
  driver: 'overlay';
  options: Record<string, string>;
  labels: Record<string, string>;
  attachable: boolean;
  internal: boolean;
  subnet?: string;
}

export interface ResolvedService {
  name: string;
  mode: 'replicated' | 'global';
  replicas: number;
  ports: Required<SpecPort>[];
  networks: Required<SpecServiceNetwork>[];
  labels: Record<string, string>;
}
