import type { AgentState, DockerState, NodeRole } from './spec-types.js';

/** What `sandbox up` built (also written to DIR/sandbox.json). */
export interface SandboxState {
  dir: string;
  prefix: string;
  subnet: string;
  fleetFile: string;
  envFile: string;
  ledgerFile: string;
  bridge: { name: string; address: string };
  endpoint?: { url: string; pid: number };
  nodes: SandboxNodeState[];
  clusters: SandboxClusterState[];
  timings: SandboxTimings;
}

export interface SandboxNodeState {
  name: string;
  hostname: string;
  netns: string;
  hostLink: string;
  address: string;
  /** Path of the node's dockerd socket (DOCKER_HOST=unix://<socket>); nothing listens when docker is "stopped". */
  socket: string;
  /** dockerd's pid; absent when docker is "stopped". */
  pid?: number;
  instanceId: string;
  logFile: string;
  docker: DockerState;
  swarm: boolean;
  agent: AgentState;
  cluster?: string;
  role?: NodeRole;
  bindListenAddr: boolean;
}

export interface SandboxClusterState {
  name: string;
  managerNode: string;
  clusterId: string;
}

/** Milliseconds per phase; phases that ran in parallel overlap, so they need not add up to totalMs. */
export interface SandboxTimings {
  totalMs: number;
  [phaseMs: string]: number;
}

export interface SandboxStatusReport {
  dir: string;
  /** A ledger exists: something was (at least partly) created. */
  exists: boolean;
  /** `up` finished (sandbox.json written). */
  complete: boolean;
  healthy: boolean;
  endpoint?: { url: string; pid: number; alive: boolean; answering: boolean };
  nodes: NodeStatus[];
  clusters: ClusterStatus[];
  problems: string[];
}

export interface NodeStatus {
  name: string;
  expected: DockerState;
  netns: boolean;
  pid?: number;
  daemonAlive: boolean;
  dockerAnswers: boolean;
  swarmState?: string;
  healthy: boolean;
}

export interface ClusterStatus {
  name: string;
  managerNode: string;
  nodesReady: number;
  nodesTotal: number;
  services: { name: string; running: number; desired: number }[];
  healthy: boolean;
}
