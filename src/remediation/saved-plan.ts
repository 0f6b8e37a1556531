/**
 * The plan file: the plan's intents (never a script), its options and the
 * state hash, plus `digest`, the sha256 of that content's canonical JSON
 * (createdAt left out, so two plans of the same state and options are equal).
 * Reading one is strict: the file's shape is a JSON Schema
 * (plan-file-schema.ts, checked with ajv) with every object closed, then an
 * unknown step kind or a value the builders would refuse is named with its
 * path and step, and only then is the digest checked: a file whose
 * content no longer matches its digest was edited and is refused. Every step
 * is then rebuilt from its intent by the builders' registry.
 *
 * The digest is a checksum, not a signature (anyone can recompute it): what
 * keeps an edited plan from running is that apply plans again from a fresh
 * audit and refuses any difference (apply.ts).
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import { buildStep, isStepKind, plannedOf, readIntent, STEP_KIND_NAMES } from './builders/registry.js';
import { clusterIdField, dockerNameField, instanceIdField, portField } from './builders/intent-fields.js';
import { PLAN_FILE_SCHEMA } from './plan-file-schema.js';
import type { ClusterPlan, Guidance, Plan, PlannedStep, PlanOptions } from './plan.js';
import { shapeCheck } from '../util/json-schema.js';
import { canonicalJson } from './state-hash.js';

export interface SavedPlan {
  schemaVersion: number;
  digest: string;
  createdAt: string;
  stateHash: string;
  checks: string[];
  options: PlanOptions;
  clusters: { clusterId: string; steps: PlannedStep[] }[];
  guidance: Guidance[];
}


/** The digested content: everything a reviewer approved, nothing that varies between equal plans. */
function digestedContent(plan: Plan | SavedPlan): unknown {
  return {
    schemaVersion: plan.schemaVersion,
    stateHash: plan.stateHash,
    checks: plan.checks,
    options: plan.options,
    clusters: plan.clusters.map((c) => ({ clusterId: c.clusterId, steps: c.steps.map(plannedOf) })),
    guidance: plan.guidance,
  };
}

export function planDigest(plan: Plan | SavedPlan): string {
  return `sha256:${createHash('sha256').update(canonicalJson(digestedContent(plan))).digest('hex')}`;
}

export function savedPlanOf(plan: Plan): SavedPlan {
  const content = digestedContent(plan) as Omit<SavedPlan, 'digest' | 'createdAt'>;
  return { ...content, digest: planDigest(plan), createdAt: plan.createdAt };
}

export function serializePlan(plan: Plan): string {
  return `${JSON.stringify(savedPlanOf(plan), null, 2)}\n`;
}

const planFileShape = shapeCheck(PLAN_FILE_SCHEMA);

/** The values that reach a script, by the builders' validators: the schema checked only their types. */
function checkOptionValues(options: PlanOptions): void {
  options.unpublish.forEach(({ service, port }, i) => {
    dockerNameField(service, `$.options.unpublish[${i}].service`);
    portField(port, `$.options.unpublish[${i}].port`);
  });
  options.hostMode.forEach((name, i) => dockerNameField(name, `$.options.hostMode[${i}]`));
}

/** One step whose shape the schema checked: its cluster, kind, instance and intent, by the builders. Errors name the step. */
function readStep(raw: PlannedStep, path: string, clusterId: string): PlannedStep {
  const named = (why: string): never => {
    throw new UsageError(`plan step ${raw.id}: ${why}`, 'PlanInvalid');
  };
  if (raw.clusterId !== clusterId) named(`clusterId ${raw.clusterId} is not its cluster's (${clusterId})`);
  if (!isStepKind(raw.kind)) named(`unknown step kind ${JSON.stringify(raw.kind)} (known: ${STEP_KIND_NAMES.join(', ')})`);
  try {
    instanceIdField(raw.instanceId, `${path}.instanceId`);
    const intent = readIntent(raw.kind, raw.intent, `${path}.intent`);
    const planned = { id: raw.id, clusterId: raw.clusterId, instanceId: raw.instanceId, kind: raw.kind, intent } as PlannedStep;
    buildStep(planned); // the builders' own validation, as apply will run it
    return planned;
  } catch (err) {
    if (err instanceof UsageError) named(err.message);
    throw err;
  }
}

/** Strict parse of a saved plan; refuses a file edited since it was written (digest). */
export function parsePlan(text: string, source = 'plan file'): Plan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${source} is not valid JSON: ${(err as Error).message}`, 'PlanInvalid');
  }
  return planOf(readSavedPlan(raw, source));
}

/** A saved plan read from JSON (a plan file, or a journal's begin record): strict, digest checked. */
export function readSavedPlan(raw: unknown, source: string): SavedPlan {
  const problem = planFileShape(raw);
  if (problem !== undefined) throw new UsageError(`${source}: ${problem}`, 'PlanInvalid');
  const shaped = raw as SavedPlan;
  let saved: SavedPlan;
  try {
    checkOptionValues(shaped.options);
    const clusters = shaped.clusters.map((c, i) => {
      clusterIdField(c.clusterId, `$.clusters[${i}].clusterId`);
      return { clusterId: c.clusterId, steps: c.steps.map((s, j) => readStep(s, `$.clusters[${i}].steps[${j}]`, c.clusterId)) };
    });
    saved = { ...shaped, clusters };
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`${source}: ${err.message}`, 'PlanInvalid');
    throw err;
  }
  const ids = saved.clusters.flatMap((c) => c.steps.map((s) => s.id));
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new UsageError(`${source}: plan step ${duplicate}: id is not unique`, 'PlanInvalid');
  const actual = planDigest(saved);
  if (actual !== saved.digest) {
    throw new UsageError(`${source} was changed after it was written: its content hashes to ${actual}, not its recorded digest ${saved.digest}; plan again`, 'PlanTampered');
  }
  return saved;
}

/** Saved intents -> a plan whose every script comes from the builders. */
function planOf(saved: SavedPlan): Plan {
  const clusters: ClusterPlan[] = saved.clusters.map((c) => ({ clusterId: c.clusterId, steps: c.steps.map(buildStep) }));
  const { schemaVersion, createdAt, stateHash, checks, options, guidance } = saved;
  return { schemaVersion, createdAt, stateHash, checks, options, clusters, guidance };
}
