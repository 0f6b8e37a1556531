/** The public JSON report (documented in the README). Bump REPORT_SCHEMA_VERSION on breaking changes. */
import type { Finding, Severity, Status } from '../checks/types.js';

export const REPORT_SCHEMA_VERSION = '1.0';

export interface InstanceReport {
  instanceId: string;
  name?: string;
  privateIp?: string;
  reachable: boolean;
  swarm?: {
    state: string;
    role: 'manager' | 'worker' | 'none';
    clusterId?: string;
    nodeId?: string;
    nodeAddr?: string;
  };
  engineVersion?: string;
  /** Why this instance could not be (fully) audited. */
  error?: string;
}

export type StatusCounts = Record<Status, number>;

/** The metadata of one evaluated check, so reports (SARIF rules, ASFF titles) need no registry. */
export interface ReportedCheck {
  id: string;
  title: string;
  cis?: string;
  severity: Severity;
  scope: 'node' | 'cluster';
  remediable: boolean;
  description: string;
}

export interface AuditReport {
  schemaVersion: string;
  startedAt: string;
  finishedAt: string;
  /** finishedAt - startedAt in milliseconds. */
  durationMs: number;
  summary: StatusCounts & { instances: number; clusters: number };
  instances: InstanceReport[];
  results: Finding[];
  /** The checks that were evaluated, in selection order (added in 1.0, optional for older producers). */
  checks?: ReportedCheck[];
}
