/**
 * The remediation plan: what will run where, why, with what downtime, after
 * which precondition, and how to undo it. A step is an intent (its kind, the
 * cluster, the instance and the values: names, ports, addresses, the facts
 * its undo needs); its scripts are always built from the intent by the
 * builders' registry (builders/registry.ts), never read from a file. The
 * saved form (saved-plan.ts) holds the intents only.
 */
import type { StepIntent } from './builders/registry.js';

export const PLAN_SCHEMA_VERSION = 2;

export type StepKind =
  | 'network-create'
  | 'network-remove'
  | 'service-network-add'
  | 'service-network-rm'
  | 'service-publish-rm'
  | 'service-publish-add'
  | 'ingress-unpublish'
  | 'ingress-remove'
  | 'ingress-create'
  | 'ingress-republish'
  | 'node-drain'
  | 'node-rejoin'
  | 'node-settle';

/** A value fetched at run time on another instance (a join token), validated, and exported to the script. */
export interface StepInput {
  name: string;
  instanceId: string;
  script: string;
  /** The fetched value (stdout, trimmed) must match this regular expression. */
  pattern: string;
}

export interface RemoteScript {
  instanceId: string;
  script: string;
  inputs?: StepInput[];
  timeoutMs?: number;
}

/** After a service joins an encrypted network: every pair of nodes running its tasks must hold IPsec SAs. */
interface SaVerification {
  kind: 'ipsec-sa';
  service: string;
  network: string;
}

/** What a step is: everything the saved plan and the journal hold about it. */
export type PlannedStep = {
  id: string;
  clusterId: string;
  /** Where the step runs (and its undo). */
  instanceId: string;
} & StepIntent;

/** What the builders make of an intent. */
export interface StepBody {
  title: string;
  why: string;
  downtime: string;
  /** Runs first on the same instance; exit 0 means the step may run. */
  precondition: { script: string; expect: string };
  script: string;
  inputs?: StepInput[];
  timeoutMs?: number;
  /** Idempotent: safe to run when the forward step ran partly or not at all. */
  inverse: RemoteScript | null;
  verify?: SaVerification;
}

export type Step = PlannedStep & StepBody;

export interface ClusterPlan {
  clusterId: string;
  steps: Step[];
}

export interface Guidance {
  checkId: string;
  clusterId?: string;
  instanceId?: string;
  resource?: string;
  message: string;
  /** Manual runbook or configuration change to make, when there is one. */
  runbook?: string[];
}

export interface Plan {
  schemaVersion: number;
  /** Not part of the digest: two plans of the same state with the same options are the same plan. */
  createdAt: string;
  /** Hash of the audited state the plan was built from (state-hash.ts); apply refuses on drift. */
  stateHash: string;
  /** The checks planned for, recorded so apply can plan again the same way. */
  checks: string[];
  options: PlanOptions;
  clusters: ClusterPlan[];
  guidance: Guidance[];
}

export interface PlanOptions {
  keepName: boolean;
  includeIngress: boolean;
  unpublish: { service: string; port: number }[];
  hostMode: string[];
}

export const DEFAULT_PLAN_OPTIONS: PlanOptions = { keepName: false, includeIngress: false, unpublish: [], hostMode: [] };

export function stepCount(plan: Plan): number {
  return plan.clusters.reduce((n, c) => n + c.steps.length, 0);
}

