/**
 * The check contract (modelled on ESLint rules): a module with `meta` and a
 * pure evaluate function. Results are returned, never stored on the check.
 */
import type { FleetInstance } from '../fleet/instance.js';
import type { HostFacts } from '../probe/facts.js';

export type Status = 'PASS' | 'FAIL' | 'WARN' | 'ERROR' | 'NOT_APPLICABLE';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export type ResourceType = 'node' | 'listener' | 'service' | 'port' | 'network' | 'cluster';

export interface CheckMeta {
  /** Public, stable id: "swarm-listen-address", "swarm-published-ports", "overlay-encryption". */
  id: string;
  title: string;
  /** CIS Docker Benchmark reference, e.g. "7.2" (v1.6-v1.8). */
  cis?: string;
  severity: Severity;
  scope: 'node' | 'cluster';
  remediable: boolean;
  description: string;
}

export interface Resource {
  type: ResourceType;
  id: string;
  name?: string;
}

/** One (check, resource) verdict. The engine adds checkId, instanceId and clusterId. */
export interface CheckResult {
  status: Status;
  /** Defaults to meta.severity. */
  severity?: Severity;
  resource: Resource;
  message: string;
  evidence?: Record<string, unknown>;
}

export interface AuditConfig {
  /** Published-port allowlist: service names and "port/proto" or "port" entries. */
  allowPublished: { services: string[]; ports: string[] };
}

/** A host that decoded to facts. Hosts that failed to probe never reach a check. */
export interface AuditedHost {
  instance: FleetInstance;
  facts: HostFacts;
}

export interface NodeCheckContext {
  host: AuditedHost;
  config: AuditConfig;
}

export interface ClusterCheckContext {
  clusterId: string;
  /** The manager whose facts describe the cluster (services, networks, nodes). */
  manager: AuditedHost;
  /** Every audited host in the cluster, managers and workers. */
  members: AuditedHost[];
  config: AuditConfig;
}

export interface NodeCheck {
  meta: CheckMeta & { scope: 'node' };
  evaluateNode(ctx: NodeCheckContext): CheckResult[];
}

export interface ClusterCheck {
  meta: CheckMeta & { scope: 'cluster' };
  evaluateCluster(ctx: ClusterCheckContext): CheckResult[];
}

export type Check = NodeCheck | ClusterCheck;

/** A result as it appears in the public report. */
export interface Finding {
  checkId: string;
  status: Status;
  severity: Severity;
  instanceId: string;
  clusterId?: string;
  resource: Resource;
  message: string;
  evidence?: Record<string, unknown>;
}
