/**
 * Reads a remediation journal the way an outside observer can: JSON Lines,
 * only the record types and fields the journal promises (`type`, `stepId`,
 * `status`), a torn last line ignored.
 */
import { readFile } from 'node:fs/promises';

export interface JournalLine {
  type: string;
  stepId?: string;
  status?: string;
}

export async function journalLines(path: string): Promise<JournalLine[]> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const out: JournalLine[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as JournalLine);
    } catch {
      // a torn last line: the writer died mid-append
    }
  }
  return out;
}

/**
 * Polls the journal every few milliseconds until `step-started` of stepId is
 * in it; resolves false if `stopped` settles first (the writer exited).
 */
export async function waitForStepStarted(path: string, stepId: string, stopped: Promise<unknown>): Promise<boolean> {
  let exited = false;
  void stopped.finally(() => (exited = true));
  for (;;) {
    const lines = await journalLines(path);
    if (lines.some((l) => l.type === 'step-started' && l.stepId === stepId)) return true;
    if (exited) return false;
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** The status of the last `cluster-done`, or undefined when the writer never got there. */
export function clusterOutcome(lines: JournalLine[]): string | undefined {
  return lines.filter((l) => l.type === 'cluster-done').at(-1)?.status;
}
