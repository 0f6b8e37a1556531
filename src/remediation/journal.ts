/**
 * The apply journal: append-only JSON Lines, each record written and
 * fdatasync'ed before the action it announces, so a crash at any point (kill
 * -9 included) leaves a file `backout` can use.
 *
 * It holds what was meant, never a script: the first record (`begin`) binds
 * the plan (its intents, with the pre-change facts every undo needs), the
 * plan's digest and the set of instances it may touch; step records name a
 * step of that plan. Undo scripts are rebuilt from the plan's intents by the
 * builders. Every line carries `hash`, the sha256 of the previous line's hash
 * and its own content, so a line edited by hand (or removed, or reordered) is
 * refused with its line number. The chain is tamper-evident, not a
 * signature: what bounds a forged journal is that backout only runs undo
 * scripts the builders make for steps of the bound plan, on its instances.
 */
import { createHash } from 'node:crypto';
import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ToolError, UsageError } from '../errors.js';
import { buildStep, instancesOf } from './builders/registry.js';
import type { RemoteScript, Step, StepKind } from './plan.js';
import { planDigest, readSavedPlan, type SavedPlan } from './saved-plan.js';
import { shapeCheck } from '../util/json-schema.js';
import { canonicalJson } from './state-hash.js';

export const JOURNAL_VERSION = 2;

type UndoPhase = 'rollback' | 'backout';
type StepRef = { stepId: string; kind: StepKind; instanceId: string };

export type JournalRecord =
  | { type: 'begin'; v: number; at: string; planDigest: string; instances: string[]; plan: SavedPlan; preState: unknown }
  | { type: 'cluster-started'; at: string; clusterId: string }
  | ({ type: 'step-started'; at: string; clusterId: string; title: string } & StepRef)
  | ({ type: 'step-done'; at: string } & StepRef)
  | ({ type: 'step-failed'; at: string; error: string } & StepRef)
  | { type: 'warning'; at: string; stepId?: string; message: string }
  | { type: 'undo-started'; at: string; phase: UndoPhase; stepId: string }
  | { type: 'undo-done'; at: string; phase: UndoPhase; stepId: string }
  | { type: 'undo-failed'; at: string; phase: UndoPhase; stepId: string; error: string }
  | { type: 'cluster-done'; at: string; clusterId: string; status: 'applied' | 'failed' | 'rolled-back' | 'rollback-failed' }
  | { type: 'end'; at: string; status: string };

/** A record as written: without its timestamp (the writer adds it). Distributive Omit keeps each type's own fields. */
export type NewRecord = JournalRecord extends infer R ? (R extends { at: string } ? Omit<R, 'at'> : never) : never;

/** The chain's starting value, before the first line. */
const CHAIN_START = 'swarm-audit-journal';

function lineHash(previous: string, record: unknown): string {
  return `sha256:${createHash('sha256').update(previous).update('\n').update(canonicalJson(record)).digest('hex')}`;
}

/** The instances a plan may touch: each step's own, and where its inputs are fetched. */
export function planInstances(plan: SavedPlan): string[] {
  return [...new Set(plan.clusters.flatMap((c) => c.steps.flatMap(instancesOf)))].sort();
}

/** An open journal; every append is durable when it returns. */
export class JournalWriter {
  private constructor(
    readonly path: string,
    private fd: number | undefined,
    private lastHash: string,
    private readonly now: () => Date,
  ) {}

  /** A new journal: refuses to overwrite one (it may be the only way back). */
  static create(path: string, now: () => Date = () => new Date()): JournalWriter {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new UsageError(`journal ${path} exists already: back it out or choose another --journal`, 'JournalExists');
      throw new UsageError(`cannot create journal ${path}: ${(err as Error).message}`, 'JournalUnwritable', { cause: err });
    }
    syncDirectory(dirname(path));
    return new JournalWriter(path, fd, CHAIN_START, now);
  }

  /** Continues a journal read with readJournal (backout records its own progress there); a torn last line is cut off first. */
  static append(path: string, journal: JournalContents, now: () => Date = () => new Date()): JournalWriter {
    let fd: number;
    try {
      fd = openSync(path, 'r+');
    } catch (err) {
      throw new UsageError(`cannot open journal ${path}: ${(err as Error).message}`, 'JournalUnwritable', { cause: err });
    }
    ftruncateSync(fd, journal.validBytes);
    fdatasyncSync(fd);
    const writer = new JournalWriter(path, fd, journal.lastHash, now);
    writer.offset = journal.validBytes;
    return writer;
  }

  private offset = 0;

  write(record: NewRecord): void {
    if (this.fd === undefined) throw new ToolError('JournalClosed', `journal ${this.path} is closed`);
    const content = { ...record, at: this.now().toISOString() };
    const hash = lineHash(this.lastHash, content);
    const buffer = Buffer.from(`${JSON.stringify({ ...content, hash })}\n`);
    let written = 0;
    while (written < buffer.length) written += writeSync(this.fd, buffer, written, buffer.length - written, this.offset + written);
    this.offset += buffer.length;
    fdatasyncSync(this.fd);
    this.lastHash = hash;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the file's own data is still synced.
  }
}

export interface JournalContents {
  records: JournalRecord[];
  /** The plan the journal is bound to. */
  plan: SavedPlan;
  /** Its steps, rebuilt from their intents by the builders, by id. */
  steps: ReadonlyMap<string, Step>;
  /** A last line cut by a crash mid-write: ignored, and said so. */
  tornTail?: string;
  /** Where the chain continues: the last whole line's hash and the bytes up to its end. */
  lastHash: string;
  validBytes: number;
}

const phase = { enum: ['rollback', 'backout'] };
const stepRef = { stepId: { type: 'string' }, kind: { type: 'string' }, instanceId: { type: 'string' } };

function record(type: JournalRecord['type'], fields: Record<string, object>, optional: readonly string[] = []) {
  const properties = { type: { const: type }, at: { type: 'string' }, ...fields };
  return { type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)), additionalProperties: false };
}

/**
 * Every record type of the journal as one JSON Schema (ajv), closed: a field
 * no record has (an undo script, say) is refused with its path. The begin
 * record's plan is read by saved-plan.ts, with the plan file's own schema.
 */
const JOURNAL_RECORD_SCHEMA = {
  type: 'object',
  description: 'journal record type',
  discriminator: { propertyName: 'type' },
  properties: { type: { type: 'string' } },
  required: ['type'],
  oneOf: [
    record('begin', { v: { type: 'integer' }, planDigest: { type: 'string' }, instances: { type: 'array', items: { type: 'string' } }, plan: { type: 'object' }, preState: {} }),
    record('cluster-started', { clusterId: { type: 'string' } }),
    record('step-started', { clusterId: { type: 'string' }, title: { type: 'string' }, ...stepRef }),
    record('step-done', stepRef),
    record('step-failed', { error: { type: 'string' }, ...stepRef }),
    record('warning', { stepId: { type: 'string' }, message: { type: 'string' } }, ['stepId']),
    record('undo-started', { phase, stepId: { type: 'string' } }),
    record('undo-done', { phase, stepId: { type: 'string' } }),
    record('undo-failed', { phase, stepId: { type: 'string' }, error: { type: 'string' } }),
    record('cluster-done', { clusterId: { type: 'string' }, status: { enum: ['applied', 'failed', 'rolled-back', 'rollback-failed'] } }),
    record('end', { status: { type: 'string' } }),
  ],
};

const journalRecordShape = shapeCheck(JOURNAL_RECORD_SCHEMA);

/**
 * Tolerant of a torn last line (crash mid-write), strict about everything
 * else: the hash chain, each record's fields, the bound plan's digest and
 * instances, and every step record naming a step of that plan where the plan
 * runs it.
 */
export function parseJournal(text: string, source = 'journal'): JournalContents {
  const parts = text.split('\n');
  const last = parts.pop() ?? '';
  const records: JournalRecord[] = [];
  let previous = CHAIN_START;
  let bound: { plan: SavedPlan; steps: Map<string, Step> } | undefined;
  parts.forEach((line, i) => {
    const refuse = (why: string): never => {
      throw new UsageError(`${source} line ${i + 1}: ${why}`, 'JournalCorrupt');
    };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      refuse('is not valid JSON (only the last line may be torn)');
    }
    const { hash, ...content } = (typeof value === 'object' && value !== null ? value : {}) as { hash?: unknown; type?: unknown };
    if (typeof hash !== 'string') refuse('has no hash: not a journal record');
    if (hash !== lineHash(previous, content)) refuse('does not match its hash and the line before it: the journal was edited (or a line was removed)');
    previous = hash as string;
    // the line is part of the chain; now its shape
    const problem = journalRecordShape(content);
    if (problem !== undefined) refuse(problem);
    const record = content as JournalRecord;
    if (i === 0) bound = bindPlan(record, refuse);
    else if (record.type === 'begin') refuse('a second begin record');
    else checkStepRecord(record, bound!.steps, refuse);
    records.push(record);
  });
  if (!bound) throw new UsageError(`${source} does not start with a begin record`, 'JournalCorrupt');
  const validBytes = Buffer.byteLength(text) - Buffer.byteLength(last);
  return { records, plan: bound.plan, steps: bound.steps, lastHash: previous, validBytes, ...(last.length > 0 ? { tornTail: last } : {}) };
}

function bindPlan(record: JournalRecord, refuse: (why: string) => never): { plan: SavedPlan; steps: Map<string, Step> } {
  if (record.type !== 'begin') refuse('the journal does not start with a begin record');
  const begin = record;
  if (begin.v !== JOURNAL_VERSION) refuse(`journal version ${String(begin.v)}, expected ${JOURNAL_VERSION}`);
  let plan: SavedPlan;
  try {
    plan = readSavedPlan(begin.plan, 'its plan');
  } catch (err) {
    return refuse((err as Error).message);
  }
  if (begin.planDigest !== planDigest(plan)) refuse(`planDigest ${begin.planDigest} is not its plan's digest ${planDigest(plan)}`);
  if (canonicalJson(begin.instances) !== canonicalJson(planInstances(plan))) {
    refuse(`instances ${begin.instances.join(', ')} are not the plan's (${planInstances(plan).join(', ')})`);
  }
  const steps = new Map(plan.clusters.flatMap((c) => c.steps.map((s) => [s.id, buildStep(s)] as const)));
  return { plan, steps };
}

function checkStepRecord(record: JournalRecord, steps: ReadonlyMap<string, Step>, refuse: (why: string) => never): void {
  if (!('stepId' in record) || record.stepId === undefined) return;
  const step = steps.get(record.stepId);
  if (!step) refuse(`step ${record.stepId} is not in the journal's plan`);
  if ('instanceId' in record && record.instanceId !== step.instanceId) refuse(`step ${record.stepId} ran on ${record.instanceId}, but the plan runs it on ${step.instanceId}`);
  if ('kind' in record && record.kind !== step.kind) refuse(`step ${record.stepId} is a ${step.kind} step in the plan, not ${record.kind}`);
  if ('clusterId' in record && record.clusterId !== step.clusterId) refuse(`step ${record.stepId} belongs to cluster ${step.clusterId}, not ${record.clusterId}`);
}

export function readJournal(path: string): JournalContents {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read journal ${path}: ${(err as Error).message}`, 'JournalUnreadable', { cause: err });
  }
  return parseJournal(text, `journal ${path}`);
}

export interface PendingUndo {
  clusterId: string;
  stepId: string;
  title: string;
  /** Rebuilt from the step's intent by the builders. */
  inverse: RemoteScript;
}

/**
 * What is still to undo: every step that started (done, failed or cut off by a
 * crash), latest first, minus those already undone by rollback or backout.
 * Inverses are idempotent, so undoing a step that never really ran is safe.
 */
export function pendingUndos(records: readonly JournalRecord[], steps: ReadonlyMap<string, Step>): PendingUndo[] {
  const undone = new Set(records.flatMap((r) => (r.type === 'undo-done' ? [r.stepId] : [])));
  const started = records.flatMap((r) => {
    if (r.type !== 'step-started' || undone.has(r.stepId)) return [];
    const step = steps.get(r.stepId);
    if (!step) throw new ToolError('JournalStepUnknown', `step ${r.stepId} is not in the plan`);
    return step.inverse ? [{ clusterId: step.clusterId, stepId: step.id, title: step.title, inverse: step.inverse }] : [];
  });
  return started.reverse();
}
