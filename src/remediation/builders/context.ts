/** What every plan builder receives, and the step factory that numbers steps per cluster. */
import type { Finding } from '../../checks/types.js';
import type { ClusterView } from '../cluster-view.js';
import type { Guidance, PlanOptions, Step, StepKind } from '../plan.js';
import type { IntentByKind } from './registry.js';

export interface BuilderContext {
  view: ClusterView;
  /** Findings of this builder's check for this cluster (any status; builders pick what they fix). */
  findings: Finding[];
  options: PlanOptions;
  /**
   * A step of this cluster built from its intent by the registry (the only
   * source of scripts): a unique, stable id "<cluster 12>-<seq>-<idKind ?? kind>".
   * Throws (UsageError) when a value would not pass into a script.
   */
  step<K extends StepKind>(kind: K, intent: IntentByKind[K], where: { instanceId: string; idKind?: string }): Step;
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

export type StepFactory = <K extends StepKind>(kind: K, intent: IntentByKind[K]) => Step;

/** Steps that run on the cluster's chosen manager. */
export function managerStep(ctx: BuilderContext): StepFactory {
  return (kind, intent) => ctx.step(kind, intent, { instanceId: ctx.view.manager.instance.instanceId });
}
