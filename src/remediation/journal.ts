/**
 * The apply journal: append-only JSON Lines, each record written and
 * fdatasync'ed before the action it announces, so a crash at any point (kill
 * -9 included) leaves a file `backout` can use. A step's inverse is recorded
 * in its step-started record, before the step runs.
 */
import { closeSync, fdatasyncSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ToolError, UsageError } from '../errors.js';
import type { Plan, RemoteScript } from './plan.js';

export const JOURNAL_VERSION = 1;

export type UndoPhase = 'rollback' | 'backout';

export type JournalRecord =
  | { type: 'begin'; v: number; at: string; planHash: string; plan: Plan; preState: unknown }
  | { type: 'cluster-started'; at: string; clusterId: string }
  | { type: 'step-started'; at: string; clusterId: string; stepId: string; title: string; inverse: RemoteScript | null }
  | { type: 'step-done'; at: string; stepId: string; output?: string }
  | { type: 'step-failed'; at: string; stepId: string; error: string }
  | { type: 'warning'; at: string; stepId?: string; message: string }
  | { type: 'undo-started'; at: string; phase: UndoPhase; stepId: string }
  | { type: 'undo-done'; at: string; phase: UndoPhase; stepId: string }
  | { type: 'undo-failed'; at: string; phase: UndoPhase; stepId: string; error: string }
  | { type: 'cluster-done'; at: string; clusterId: string; status: 'applied' | 'failed' | 'rolled-back' | 'rollback-failed' }
  | { type: 'end'; at: string; status: string };

const TYPES = new Set([
  'begin', 'cluster-started', 'step-started', 'step-done', 'step-failed', 'warning',
  'undo-started', 'undo-done', 'undo-failed', 'cluster-done', 'end',
]);

/** An open journal; every append is durable when it returns. */
export class JournalWriter {
  private constructor(
    readonly path: string,
    private fd: number | undefined,
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
    return new JournalWriter(path, fd, now);
  }

  /** Appends to an existing journal (backout records its own progress there). */
  static append(path: string, now: () => Date = () => new Date()): JournalWriter {
    try {
      return new JournalWriter(path, openSync(path, 'a'), now);
    } catch (err) {
      throw new UsageError(`cannot open journal ${path}: ${(err as Error).message}`, 'JournalUnwritable', { cause: err });
    }
  }

  /** Distributive Omit keeps each record type's own fields. */
  write(record: JournalRecord extends infer R ? (R extends { at: string } ? Omit<R, 'at'> : never) : never): void {
    if (this.fd === undefined) throw new ToolError('JournalClosed', `journal ${this.path} is closed`);
    const line = `${JSON.stringify({ ...record, at: this.now().toISOString() })}\n`;
    const buffer = Buffer.from(line);
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset);
    fdatasyncSync(this.fd);
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
  /** A last line cut by a crash mid-write: ignored, and said so. */
  tornTail?: string;
}

/** Tolerant of a torn last line (crash mid-write), strict about everything else. */
export function parseJournal(text: string, source = 'journal'): JournalContents {
  const parts = text.split('\n');
  const last = parts.pop() ?? '';
  const records: JournalRecord[] = [];
  parts.forEach((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UsageError(`${source} line ${i + 1} is not valid JSON (only the last line may be torn)`, 'JournalCorrupt');
    }
    const rec = value as { type?: unknown; at?: unknown };
    if (typeof value !== 'object' || value === null || typeof rec.type !== 'string' || !TYPES.has(rec.type) || typeof rec.at !== 'string') {
      throw new UsageError(`${source} line ${i + 1} is not a journal record`, 'JournalCorrupt');
    }
    records.push(value as JournalRecord);
  });
  const first = records[0];
  if (!first || first.type !== 'begin') throw new UsageError(`${source} does not start with a begin record`, 'JournalCorrupt');
  if (first.v !== JOURNAL_VERSION) throw new UsageError(`${source} has journal version ${String(first.v)}, expected ${JOURNAL_VERSION}`, 'JournalCorrupt');
  return last.length > 0 ? { records, tornTail: last } : { records };
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
  inverse: RemoteScript;
}

/**
 * What is still to undo: every step that started (done, failed or cut off by a
 * crash), latest first, minus those already undone by rollback or backout.
 * Inverses are idempotent, so undoing a step that never really ran is safe.
 */
export function pendingUndos(records: readonly JournalRecord[]): PendingUndo[] {
  const undone = new Set(records.flatMap((r) => (r.type === 'undo-done' ? [r.stepId] : [])));
  const started = records.flatMap((r) =>
    r.type === 'step-started' && r.inverse && !undone.has(r.stepId)
      ? [{ clusterId: r.clusterId, stepId: r.stepId, title: r.title, inverse: r.inverse }]
      : [],
  );
  return started.reverse();
}
