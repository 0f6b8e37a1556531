/**
 * The one place a step's scripts come from: per step kind, the strict reader
 * of its intent and the function intent -> step. Planning, rendering, apply,
 * rollback and backout all build steps here, so a saved plan or a journal can
 * name what to do but never how.
 */
import { UsageError } from '../../errors.js';
import type { PlannedStep, Step, StepBody, StepKind } from '../plan.js';
import type { Reader } from '../schema.js';
import type { BuilderContext, BuilderResult } from './context.js';
import { buildOverlayEncryption, CHECK_ID as OVERLAY } from './overlay-encryption.js';
import { buildSwarmListenAddress, CHECK_ID as LISTEN } from './swarm-listen-address.js';
import { buildSwarmPublishedPorts, CHECK_ID as PORTS } from './swarm-published-ports.js';
import {
  readIngressNetwork, readIngressPorts, readIngressRepublish,
  ingressCreateStep, ingressRemoveStep, ingressRepublishStep, ingressUnpublishStep,
  type IngressNetworkIntent, type IngressPortsIntent, type IngressRepublishIntent,
} from './ingress-steps.js';
import {
  readNetworkCreate, readNetworkRemove, readServiceNetworkAdd, readServiceNetworkRm,
  networkCreateStep, networkRemoveStep, serviceNetworkAddStep, serviceNetworkRmStep,
  type NetworkCreateIntent, type NetworkRemoveIntent, type ServiceNetworkAddIntent, type ServiceNetworkRmIntent,
} from './network-steps.js';
import { hostModeStep, readHostMode, readUnpublish, unpublishStep, type HostModeIntent, type UnpublishIntent } from './port-steps.js';
import {
  nodeDrainStep, nodeRejoinStep, nodeSettleStep, readNodeDrain, readNodeRejoin, readNodeSettle,
  type NodeDrainIntent, type NodeRejoinIntent, type NodeSettleIntent,
} from './swarm-listen-address.js';

/** What a check's builder plans: fixes for what the audit found, or only the changes the operator names (otherwise guidance). */
export type RemediationKind = 'plans-fixes' | 'on-request';

export interface CheckBuilder {
  checkId: string;
  build: (ctx: BuilderContext) => BuilderResult;
  plans: RemediationKind;
}

/**
 * The builder of each check that `remediate` handles, in planning order:
 * network migrations before node rejoins, so a drained node never misses a
 * service move. A check is remediable when its builder plans fixes from the
 * findings alone (isRemediable); this list is the only place that says so.
 */
export const CHECK_BUILDERS: readonly CheckBuilder[] = [
  { checkId: OVERLAY, build: buildOverlayEncryption, plans: 'plans-fixes' },
  // Swarm cannot bind a published port to an address: only --unpublish / --host-mode, by service
  { checkId: PORTS, build: buildSwarmPublishedPorts, plans: 'on-request' },
  { checkId: LISTEN, build: buildSwarmListenAddress, plans: 'plans-fixes' },
];

/** How `remediate` handles this check, or undefined when it has no builder. */
export function remediationOf(checkId: string): RemediationKind | undefined {
  return CHECK_BUILDERS.find((builder) => builder.checkId === checkId)?.plans;
}

/** Whether `remediate` plans fixes for this check's findings (the reports' `remediable`). */
export function isRemediable(checkId: string): boolean {
  return remediationOf(checkId) === 'plans-fixes';
}

export interface IntentByKind {
  'network-create': NetworkCreateIntent;
  'network-remove': NetworkRemoveIntent;
  'service-network-add': ServiceNetworkAddIntent;
  'service-network-rm': ServiceNetworkRmIntent;
  'service-publish-rm': UnpublishIntent;
  'service-publish-add': HostModeIntent;
  'ingress-unpublish': IngressPortsIntent;
  'ingress-remove': IngressNetworkIntent;
  'ingress-create': IngressNetworkIntent;
  'ingress-republish': IngressRepublishIntent;
  'node-drain': NodeDrainIntent;
  'node-rejoin': NodeRejoinIntent;
  'node-settle': NodeSettleIntent;
}

/** A step kind with its intent, as the saved plan and the journal hold them. */
export type StepIntent = { [K in StepKind]: { kind: K; intent: IntentByKind[K] } }[StepKind];

interface KindSpec<I> {
  read: Reader<I>;
  build(intent: I, instanceId: string): StepBody;
  /** Instances other than the step's own that it runs something on (the join token's source). */
  alsoRunsOn?(intent: I): string[];
}

const STEP_KINDS: { [K in StepKind]: KindSpec<IntentByKind[K]> } = {
  'network-create': { read: readNetworkCreate, build: networkCreateStep },
  'network-remove': { read: readNetworkRemove, build: networkRemoveStep },
  'service-network-add': { read: readServiceNetworkAdd, build: serviceNetworkAddStep },
  'service-network-rm': { read: readServiceNetworkRm, build: serviceNetworkRmStep },
  'service-publish-rm': { read: readUnpublish, build: unpublishStep },
  'service-publish-add': { read: readHostMode, build: hostModeStep },
  'ingress-unpublish': { read: readIngressPorts, build: ingressUnpublishStep },
  'ingress-remove': { read: readIngressNetwork, build: ingressRemoveStep },
  'ingress-create': { read: readIngressNetwork, build: ingressCreateStep },
  'ingress-republish': { read: readIngressRepublish, build: ingressRepublishStep },
  'node-drain': { read: readNodeDrain, build: nodeDrainStep },
  'node-rejoin': { read: readNodeRejoin, build: nodeRejoinStep, alsoRunsOn: (i) => [i.tokenFrom] },
  'node-settle': { read: readNodeSettle, build: nodeSettleStep },
};

export const STEP_KIND_NAMES = Object.keys(STEP_KINDS) as StepKind[];

export function isStepKind(kind: string): kind is StepKind {
  return Object.hasOwn(STEP_KINDS, kind);
}

function specOf<K extends StepKind>(kind: K): KindSpec<IntentByKind[K]> {
  if (!isStepKind(kind)) throw new UsageError(`unknown step kind ${JSON.stringify(kind)} (known: ${STEP_KIND_NAMES.join(', ')})`, 'PlanInvalid');
  return STEP_KINDS[kind];
}

/** Reads an intent of this kind strictly: unknown fields and values the scripts would refuse fail with their path. */
export function readIntent<K extends StepKind>(kind: K, value: unknown, path: string): IntentByKind[K] {
  return specOf(kind).read(value, path);
}

/** Intent -> step: the scripts, precondition, undo and verification, from the builders. */
export function buildStep(planned: PlannedStep): Step {
  const spec = specOf(planned.kind) as KindSpec<unknown>;
  const body = spec.build(planned.intent, planned.instanceId);
  return { ...planned, ...body };
}

/** Every instance a step runs anything on. */
export function instancesOf(planned: PlannedStep): string[] {
  const spec = specOf(planned.kind) as KindSpec<unknown>;
  return [planned.instanceId, ...(spec.alsoRunsOn?.(planned.intent) ?? [])];
}

/** The intent part of a step (what the saved plan and the journal hold). */
export function plannedOf(step: PlannedStep): PlannedStep {
  const { id, clusterId, instanceId, kind, intent } = step;
  return { id, clusterId, instanceId, kind, intent } as PlannedStep;
}
