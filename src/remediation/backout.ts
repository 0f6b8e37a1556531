/**
 * backoutJournal: restores what a journal recorded, latest step first. Dry
 * run by default. The journal is verified first (hash chain, bound plan and
 * instances; journal.ts) and every undo script is rebuilt from the bound
 * plan's intents by the builders: the dry run prints exactly what --apply
 * runs, and no text from the journal is ever executed. Its own progress is
 * appended to the same journal, so a backout cut short can be run again and
 * resumes where it stopped.
 */
import type { Logger } from 'pino';
import { undoAll } from './apply.js';
import { JournalWriter, pendingUndos, readJournal, type NewRecord, type PendingUndo } from './journal.js';
import type { RemoteShell } from './remote-shell.js';
import { terminalSafe as one, terminalSafeLines } from '../report/text-safety.js';
import { withoutHeader } from './builders/scripts.js';
import { renderPreamble } from './render.js';

export interface BackoutDeps {
  shell: RemoteShell;
  logger: Logger;
  now?: () => Date;
}

export interface BackoutResult {
  status: 'nothing-to-do' | 'dry-run' | 'restored' | 'failed';
  pending: PendingUndo[];
  /** A last journal line cut by a crash, ignored. */
  tornTail?: string;
  /** When status is failed: the undo that failed and why (re-run backout after fixing it). */
  failure?: { stepId: string; error: string };
}

export async function backoutJournal(deps: BackoutDeps, opts: { journalPath: string; apply?: boolean }): Promise<BackoutResult> {
  const contents = readJournal(opts.journalPath);
  const { records, steps, tornTail } = contents;
  const pending = pendingUndos(records, steps);
  if (pending.length === 0) return { status: 'nothing-to-do', pending, tornTail };
  if (!opts.apply) return { status: 'dry-run', pending, tornTail };
  const journal = JournalWriter.append(opts.journalPath, contents, deps.now);
  try {
    const write = (r: NewRecord) => journal.write(r);
    const outcome = await undoAll(deps.shell, deps.logger, write, pending, 'backout');
    journal.write({ type: 'end', status: outcome.ok ? 'backed-out' : 'backout-failed' });
    if (outcome.ok) return { status: 'restored', pending, tornTail };
    return { status: 'failed', pending, tornTail, failure: { stepId: outcome.stepId, error: outcome.error } };
  } finally {
    journal.close();
  }
}

export function renderBackout(result: BackoutResult): string {
  const out: string[] = [];
  if (result.tornTail) out.push(`Note: the journal's last line was cut by a crash and is ignored (${result.tornTail.length} bytes).`);
  if (result.pending.length === 0) return `${[...out, 'Nothing to back out.'].join('\n')}\n`;
  out.push(result.status === 'dry-run' ? 'Backout plan (dry run; pass --apply to execute):' : `Backout ${result.status}:`);
  // journal text is host-supplied (titles, Docker's errors): escaped like the reports
  out.push(...renderPreamble());
  if (result.failure) out.push(`  stopped at ${one(result.failure.stepId)}: ${one(result.failure.error)}`);
  result.pending.forEach((u, i) => {
    out.push(`  ${i + 1}. undo [${one(u.stepId)}] ${one(u.title)} (cluster ${one(u.clusterId)}, on ${one(u.inverse.instanceId)})`);
    for (const input of u.inverse.inputs ?? []) {
      out.push(`      $${one(input.name)} is fetched first on ${one(input.instanceId)} by: ${one(withoutHeader(input.script))}`);
    }
    out.push(...terminalSafeLines(withoutHeader(u.inverse.script)).split('\n').map((l) => `      | ${l}`));
  });
  return `${out.join('\n')}\n`;
}
