/**
 * The remediation plan: what will run where, why, with what downtime, after
 * which precondition, and how to undo it. Saved as JSON with --plan-file and
 * re-read by `remediate --apply`, so parsePlan validates strictly.
 */
import { UsageError } from '../errors.js';

export const PLAN_SCHEMA_VERSION = 1;

export type StepKind =
  | 'network-create'
  | 'network-remove'
  | 'service-network-add'
  | 'service-network-rm'
  | 'service-publish-rm'
  | 'service-publish-add'
  | 'ingress-remove'
  | 'ingress-create'
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
export interface SaVerification {
  kind: 'ipsec-sa';
  service: string;
  network: string;
}

export interface Step extends RemoteScript {
  id: string;
  clusterId: string;
  kind: StepKind;
  title: string;
  why: string;
  downtime: string;
  /** Runs first on the same instance; exit 0 means the step may run. */
  precondition: { script: string; expect: string };
  /** Idempotent: safe to run when the forward step ran partly or not at all. */
  inverse: RemoteScript | null;
  verify?: SaVerification;
}

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
  createdAt: string;
  /** Hash of the audited state the plan was built from (state-hash.ts); apply refuses on drift. */
  stateHash: string;
  options: PlanOptions;
  clusters: ClusterPlan[];
  guidance: Guidance[];
}

export interface PlanOptions {
  keepName: boolean;
  includeIngress: boolean;
  unpublish: { service: string; port: number }[];
  hostMode: string[];
  force: boolean;
}

export const DEFAULT_PLAN_OPTIONS: PlanOptions = { keepName: false, includeIngress: false, unpublish: [], hostMode: [], force: false };

export function stepCount(plan: Plan): number {
  return plan.clusters.reduce((n, c) => n + c.steps.length, 0);
}

export function serializePlan(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** Strict parse of a saved plan: a hand-edited or truncated file is refused, never half-applied. */
export function parsePlan(text: string, source = 'plan file'): Plan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${source} is not valid JSON: ${(err as Error).message}`, 'PlanInvalid');
  }
  const fail = (path: string, why: string): never => {
    throw new UsageError(`${source}: ${path} ${why}`, 'PlanInvalid');
  };
  const obj = (v: unknown, path: string): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(path, 'must be an object');
  const str = (v: unknown, path: string): string => (typeof v === 'string' ? v : fail(path, 'must be a string'));
  const arr = (v: unknown, path: string): unknown[] => (Array.isArray(v) ? v : fail(path, 'must be an array'));

  const p = obj(raw, '$');
  if (p.schemaVersion !== PLAN_SCHEMA_VERSION) fail('$.schemaVersion', `must be ${PLAN_SCHEMA_VERSION}`);
  str(p.createdAt, '$.createdAt');
  if (!/^sha256:[a-f0-9]{64}$/.test(str(p.stateHash, '$.stateHash'))) fail('$.stateHash', 'must be sha256:<64 hex>');
  obj(p.options, '$.options');
  arr(p.guidance, '$.guidance');
  const script = (v: unknown, path: string): void => {
    const s = obj(v, path);
    str(s.instanceId, `${path}.instanceId`);
    str(s.script, `${path}.script`);
    if (s.inputs !== undefined) {
      arr(s.inputs, `${path}.inputs`).forEach((input, k) => {
        const i = obj(input, `${path}.inputs[${k}]`);
        for (const key of ['name', 'instanceId', 'script', 'pattern']) str(i[key], `${path}.inputs[${k}].${key}`);
      });
    }
  };
  const ids = new Set<string>();
  arr(p.clusters, '$.clusters').forEach((c, ci) => {
    const cluster = obj(c, `$.clusters[${ci}]`);
    str(cluster.clusterId, `$.clusters[${ci}].clusterId`);
    arr(cluster.steps, `$.clusters[${ci}].steps`).forEach((s, si) => {
      const path = `$.clusters[${ci}].steps[${si}]`;
      const step = obj(s, path);
      script(step, path);
      for (const key of ['id', 'clusterId', 'kind', 'title', 'why', 'downtime']) str(step[key], `${path}.${key}`);
      if (ids.has(step.id as string)) fail(`${path}.id`, 'is not unique');
      ids.add(step.id as string);
      const pre = obj(step.precondition, `${path}.precondition`);
      str(pre.script, `${path}.precondition.script`);
      str(pre.expect, `${path}.precondition.expect`);
      if (step.inverse !== null) script(step.inverse, `${path}.inverse`);
    });
  });
  return raw as Plan;
}
