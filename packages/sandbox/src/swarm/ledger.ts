import { open, readFile } from 'node:fs/promises';
import { ToolError } from '../../../../src/errors.js';

/**
 * The ledger (DIR/ledger.jsonl) lists everything `up` creates, one JSON line
 * per thing, appended and flushed BEFORE the thing is created. `down` undoes
 * what it lists, so a crash at any point of `up` leaves enough to clean up.
 */
export type LedgerEntry =
  | { kind: 'sandbox'; prefix: string; dir: string; createdDir: boolean }
  | { kind: 'dir'; path: string }
  | { kind: 'bridge'; name: string }
  | { kind: 'netns'; name: string }
  | { kind: 'link'; name: string }
  | { kind: 'cgroup'; name: string }
  /** A process about to be spawned; `match` must appear in its command line before anything signals it. */
  | { kind: 'process'; role: 'dockerd' | 'endpoint'; node?: string; match: string; pidFile?: string }
  /**
   * A spawned process. `startTime` (field 22 of /proc/<pid>/stat, unchanged by exec) tells it from a later
   * process that reuses the pid; ledgers written before it existed carry only `match`.
   */
  | { kind: 'pid'; role: 'dockerd' | 'endpoint'; node?: string; pid: number; match: string; startTime?: string };

export class Ledger {
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  /** Appends and fsyncs; concurrent calls are written in call order. */
  record(entry: LedgerEntry): Promise<void> {
    const write = this.tail.then(() => appendDurably(this.path, `${JSON.stringify(entry)}\n`));
    this.tail = write.catch(() => undefined);
    return write;
  }
}

async function appendDurably(path: string, line: string): Promise<void> {
  const handle = await open(path, 'a', 0o600);
  try {
    await handle.write(line);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * Reads a ledger; undefined when there is none. A torn last line (crash
 * mid-append) is dropped; anything else malformed is an error, because
 * guessing would risk removing what is not ours.
 */
export async function readLedger(path: string): Promise<LedgerEntry[] | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const lines = text.split('\n');
  const lastIndex = lines.length - 1;
  const entries: LedgerEntry[] = [];
  lines.forEach((line, i) => {
    if (line === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      if (i === lastIndex) return; // torn by a crash: it was never acted on
      throw new ToolError('SandboxLedgerCorrupt', `${path}: line ${i + 1} is not JSON`);
    }
    entries.push(checkEntry(parsed, path, i + 1));
  });
  return entries;
}

const STRING_FIELDS: Record<LedgerEntry['kind'], string[]> = {
  sandbox: ['prefix', 'dir'],
  dir: ['path'],
  bridge: ['name'],
  netns: ['name'],
  link: ['name'],
  cgroup: ['name'],
  process: ['role', 'match'],
  pid: ['role', 'match'],
};

function checkEntry(value: unknown, path: string, line: number): LedgerEntry {
  const entry = value as Record<string, unknown>;
  const kind = entry?.kind as LedgerEntry['kind'];
  const fields = typeof kind === 'string' ? STRING_FIELDS[kind] : undefined;
  const bad = () => new ToolError('SandboxLedgerCorrupt', `${path}: line ${line} is not a ledger entry`);
  if (!fields) throw bad();
  if (fields.some((f) => typeof entry[f] !== 'string' || entry[f] === '')) throw bad();
  if (kind === 'pid' && !(Number.isInteger(entry.pid) && (entry.pid as number) > 1)) throw bad();
  if (kind === 'pid' && entry.startTime !== undefined && !(typeof entry.startTime === 'string' && /^\d+$/.test(entry.startTime))) throw bad();
  return entry as unknown as LedgerEntry;
}
