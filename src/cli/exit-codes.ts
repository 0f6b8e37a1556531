import { SwarmAuditError } from '../errors.js';

/** Public exit codes (README): 0 all pass, 1 failing findings, 2 incomplete, 3 usage/config/credentials. */
export const EXIT = { ok: 0, findings: 1, incomplete: 2, usage: 3 } as const;

/** Maps an error that escaped a command to an exit code and a one-line cause. */
export function exitCodeForError(err: unknown): number {
  if (err instanceof SwarmAuditError) {
    return err.source === 'tool' ? EXIT.incomplete : EXIT.usage;
  }
  return EXIT.incomplete;
}

export function oneLineCause(err: unknown): string {
  if (err instanceof SwarmAuditError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
