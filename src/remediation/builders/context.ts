/** What every plan builder receives, and the step factory that numbers steps per cluster. */
import type { Finding } from '../../checks/types.js';
import type { ClusterView } from '../cluster-view.js';
import type { Guidance, PlanOptions, Step } from '../plan.js';

export interface BuilderContext {
  view: ClusterView;
  /** Findings of this builder's check for this cluster (any status; builders pick what they fix). */
  findings: Finding[];
  options: PlanOptions;
  /** A unique, stable step id for this cluster: "<cluster 12>-<seq>-<kind>". */
  nextStepId(kind: string): string;
}

export interface BuilderResult {
  steps: Step[];
  guidance: Guidance[];
}

export function stepIdFactory(clusterId: string): (kind: string) => string {
  let seq = 0;
  return (kind) => {
    seq += 1;
    return `${clusterId.slice(0, 12)}-${String(seq).padStart(3, '0')}-${kind}`;
  };
}

export function isFailing(f: Finding): boolean {
  return f.status === 'FAIL';
}

export type StepFactory = (kind: Step['kind'], fields: Omit<Step, 'id' | 'clusterId' | 'instanceId' | 'kind'>) => Step;

/** Steps that run on the cluster's chosen manager. */
export function managerStep(ctx: BuilderContext): StepFactory {
  return (kind, fields) => ({
    id: ctx.nextStepId(kind),
    clusterId: ctx.view.clusterId,
    instanceId: ctx.view.manager.instance.instanceId,
    kind,
    ...fields,
  });
}
