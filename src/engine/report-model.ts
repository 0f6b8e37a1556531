/** The public JSON report (documented in the README). Bump REPORT_SCHEMA_VERSION on breaking changes. */
import type { Finding, Severity, Status } from '../checks/types.js';

export const REPORT_SCHEMA_VERSION = '1.0';

export interface InstanceReport {
  instanceId: string;
  /** The account and region the instance was found in (added in 1.0 for multi-scope runs; optional for older producers). */
  accountId?: string;
  region?: string;
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

export type ReportSummary = StatusCounts & { instances: number; clusters: number };

/**
 * One (account, region) pair of the run, as planned: audited (OK) or not
 * (ERROR, with the cause: the role could not be assumed, the region is not
 * enabled, the API never answered). A failed scope is never a silent gap.
 */
export interface ScopeOutcome {
  /** Absent when the account of the credentials was not asked for (a single-account run without ASFF). */
  accountId?: string;
  region: string;
  /** The role assumed for this account, when one was. */
  roleArn?: string;
  status: 'OK' | 'ERROR';
  cause?: string;
}

/** A scope and what was found in it. */
export interface ScopeReport extends ScopeOutcome {
  summary: ReportSummary;
}

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
  summary: ReportSummary;
  /** Every scope of the run with its own counts, in (account, region) order (added for multi-account runs; absent from engine-only reports). */
  scopes?: ScopeReport[];
  instances: InstanceReport[];
  results: Finding[];
  /** The checks that were evaluated, in selection order (added in 1.0, optional for older producers). */
  checks?: ReportedCheck[];
}
