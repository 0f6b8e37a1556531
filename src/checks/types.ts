/**
 * The check contract (modelled on ESLint rules): a module with `meta` and a
 * pure evaluate function. Results are returned, never stored on the check.
 */
import type { FleetInstance } from '../fleet/instance.js';
import type { FactKey } from '../probe/fact-sections.js';
import type { HostFacts } from '../probe/facts.js';

export type Status = 'PASS' | 'FAIL' | 'WARN' | 'ERROR' | 'NOT_APPLICABLE';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
type ResourceType = 'node' | 'listener' | 'service' | 'port' | 'network' | 'cluster';

export interface CheckMeta {
  /** Public, stable id: "swarm-listen-address", "swarm-published-ports", "overlay-encryption". */
  id: string;
  title: string;
  /** CIS Docker Benchmark reference, e.g. "7.2" (v1.6-v1.8). */
  cis?: string;
  severity: Severity;
  scope: 'node' | 'cluster';
  description: string;
  /**
   * Facts the check cannot decide without. The engine derives the probe
   * sections they come from (src/probe/fact-sections.ts): when one of them
   * was not collected on the host it reads (node checks: the host; cluster
   * checks: the chosen manager), the check is not run and gets one ERROR
   * with the cause; problems in other sections never affect it.
   */
  reads: readonly FactKey[];
  /** Facts it reads when they are there and judges without (its README says how, e.g. WARN "unknown"). */
  optionalReads?: readonly FactKey[];
}

/**
 * A check's options as the config file holds them under checks.<id>
 * (validated with `optionsSchema`, a JSON Schema, before the run) merged over
 * `defaultOptions`. A check without a schema takes no options.
 */
export type CheckOptions = Readonly<Record<string, unknown>>;

/** The audit configuration: options per check id, already validated. */
export interface AuditConfig {
  checks: Readonly<Record<string, CheckOptions>>;
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

/** A host that decoded to facts. Hosts that failed to probe never reach a check. */
export interface AuditedHost {
  instance: FleetInstance;
  facts: HostFacts;
}

export interface NodeCheckContext<O = CheckOptions> {
  host: AuditedHost;
  options: O;
}

export interface ClusterCheckContext<O = CheckOptions> {
  clusterId: string;
  /** The manager whose facts describe the cluster (services, networks, nodes). */
  manager: AuditedHost;
  /** Every audited host in the cluster, managers and workers. */
  members: AuditedHost[];
  options: O;
}

/** What a check with options declares: a JSON Schema (draft-07, checked with ajv by src/cli/audit-config.ts) and the values used when the config is silent. */
interface OptionsDeclaration {
  /** Schema of the object under checks.<id> in the config file; every property optional, unknown ones refused. */
  optionsSchema?: Readonly<Record<string, unknown>>;
  defaultOptions?: CheckOptions;
}

export interface NodeCheck<O = CheckOptions> extends OptionsDeclaration {
  meta: CheckMeta & { scope: 'node' };
  evaluateNode(ctx: NodeCheckContext<O>): CheckResult[];
}

export interface ClusterCheck<O = CheckOptions> extends OptionsDeclaration {
  meta: CheckMeta & { scope: 'cluster' };
  evaluateCluster(ctx: ClusterCheckContext<O>): CheckResult[];
}

export type Check = NodeCheck | ClusterCheck;

/** A result as it appears in the public report. */
export interface Finding {
  checkId: string;
  status: Status;
  severity: Severity;
  instanceId: string;
  clusterId?: string;
  /** The scope of instanceId: set when the instance carries it (every CLI audit). */
  accountId?: string;
  region?: string;
  resource: Resource;
  message: string;
  evidence?: Record<string, unknown>;
}
