/**
 * Decoded facts of one host, produced by src/probe/decode.ts from the framed
 * output of the on-host probe script. Checks and remediation read only this.
 * Field names mirror Docker's where a Docker field exists.
 */
export const FACTS_SCHEMA_VERSION = 1;

export type DockerErrorKind =
  | 'not-installed' // `docker: command not found`, exit 127
  | 'daemon-down' // "Cannot connect to the Docker daemon"
  | 'permission-denied' // "permission denied while trying to connect"
  | 'swarm-locked' // autolocked swarm after a restart: "Swarm is encrypted and needs to be unlocked"
  | 'other';

export interface DockerFacts {
  present: boolean;
  reachable: boolean;
  /** Engine (server) version, e.g. "20.10.24+dfsg1". */
  serverVersion?: string;
  /** `docker info` DockerRootDir, where swarm/docker-state.json lives. */
  rootDir?: string;
  error?: { kind: DockerErrorKind; message: string };
}

export type LocalNodeState = 'inactive' | 'pending' | 'active' | 'error' | 'locked';

export interface SwarmFacts {
  localNodeState: LocalNodeState;
  /** True only on managers. */
  controlAvailable: boolean;
  nodeId: string;
  /** Advertised address (`docker info` Swarm.NodeAddr). */
  nodeAddr: string;
  /** Present on managers only. */
  clusterId?: string;
  error?: string;
  remoteManagers: { nodeId: string; addr: string }[];
  /** From /var/lib/docker/swarm/docker-state.json (or DockerRootDir/swarm/...), when readable. */
  state?: { listenAddr?: string; advertiseAddr?: string; dataPathAddr?: string; dataPathPort?: number };
}

export interface Listener {
  protocol: 'tcp' | 'udp';
  /** Literal local address as the kernel reports it: "0.0.0.0", "::", "10.0.0.5", "::ffff:10.0.0.5". */
  address: string;
  port: number;
  /** Unspecified address (0.0.0.0, ::, *). */
  wildcard: boolean;
}

export interface PortFacts {
  protocol: 'tcp' | 'udp' | 'sctp';
  targetPort: number;
  publishedPort?: number;
  /** Absent in Docker output means ingress. The decoder fills in 'ingress'. */
  publishMode: 'ingress' | 'host';
}

export interface ServiceNetworkAttachment {
  /** Short network ID (Spec.TaskTemplate.Networks[].Target, 12 characters), as NetworkFacts.id. */
  target: string;
  aliases: string[];
  driverOpts: Record<string, string>;
}

export interface ServiceFacts {
  /** Docker's short ID (12 characters), as `docker service ls` prints it. */
  id: string;
  name: string;
  mode: 'replicated' | 'global' | 'other';
  replicas?: number;
  endpointMode: 'vip' | 'dnsrr';
  /** Spec.EndpointSpec.Ports (what the operator asked for), decoded. */
  ports: PortFacts[];
  networks: ServiceNetworkAttachment[];
}

export interface IpamConfig {
  subnet?: string;
  gateway?: string;
  ipRange?: string;
}

export interface NetworkFacts {
  /** Docker's short ID (12 characters), as `docker network ls` prints it. */
  id: string;
  name: string;
  driver: string;
  scope: string;
  ingress: boolean;
  internal: boolean;
  attachable: boolean;
  /** Driver options, without the VXLAN IDs Swarm allocates (com.docker.network.driver.overlay.vxlanid_list). */
  options: Record<string, string>;
  labels: Record<string, string>;
  ipam: { driver: string; config: IpamConfig[]; options: Record<string, string> };
}

export interface NodeFacts {
  id: string;
  hostname: string;
  role: 'manager' | 'worker';
  availability: 'active' | 'pause' | 'drain';
  state: string;
  addr: string;
  engineVersion: string;
  leader: boolean;
  managerReachability?: string;
  managerAddr?: string;
}

/** Where tasks that Swarm wants running are placed: one entry per node running any. */
export interface TaskPlacement {
  /** Empty for the tasks waiting for a node. */
  nodeId: string;
  /** Short IDs of every network those tasks are attached to (NetworksAttachments), ingress included. */
  networks: string[];
}

/**
 * What `ip xfrm` and dockerd's log showed. When either could not be read, the
 * host's `problems` say which (xfrm-policy, xfrm-state, sa-log) and why:
 * unread IPsec state is "unknown", never "no SAs" or "no failures".
 */
export interface IpsecFacts {
  /** Whether `ip xfrm` policies and states were both read. */
  readable: boolean;
  /** xfrm policies that template ESP for VXLAN (udp dport 4789). */
  espPolicies: number;
  /** xfrm states (SAs) with proto esp. */
  espStates: number;
  /** dockerd log lines like "Failed Adding ... SA ... function not implemented", when logs are readable. */
  saFailures: string[];
  /**
   * Where saFailures were read and how many lines matched in all (saFailures
   * keeps only the last few, summarised). Absent when no dockerd log was readable,
   * so an empty saFailures then means "unknown", not "none".
   */
  saLog?: { source: 'log' | 'journal'; matches: number };
}

export interface ProbeProblem {
  /** Probe section that failed, e.g. "services", "listeners". */
  section: string;
  message: string;
}

export interface HostFacts {
  schemaVersion: number;
  /** Probe script version that produced the record. */
  probeVersion: string;
  collectedAt?: string;
  hostname?: string;
  docker: DockerFacts;
  /** Absent when docker is absent or unreachable. */
  swarm?: SwarmFacts;
  listeners: Listener[];
  listenerSource: 'ss' | 'proc' | 'none';
  /** Managers only: every service in the cluster. */
  services?: ServiceFacts[];
  /** Managers: every swarm-scoped overlay network. Workers: the overlay networks known locally. */
  networks?: NetworkFacts[];
  /** Managers only: `docker node ls` / inspect. */
  nodes?: NodeFacts[];
  /** Managers only: where the services' running tasks are. */
  tasks?: TaskPlacement[];
  ipsec?: IpsecFacts;
  /**
   * Sections that could not be collected, with the cause; a check that needs
   * one must not PASS (ERROR, or WARN where the check's README says why).
   */
  problems: ProbeProblem[];
}
