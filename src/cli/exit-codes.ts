import { SwarmAuditError, type ErrorSource } from '../errors.js';

/** Public exit codes (README): 0 all pass, 1 failing findings, 2 incomplete, 3 usage/config/credentials. */
export const EXIT = { ok: 0, findings: 1, incomplete: 2, usage: 3 } as const;

/** What each source of typed error means for the caller: the run could not see everything (2), or could not start (3). */
const EXIT_BY_SOURCE: Record<ErrorSource, number> = {
  user: EXIT.usage,
  aws: EXIT.usage,
  tool: EXIT.incomplete,
  scope: EXIT.incomplete,
};

/** Maps an error that escaped a command to an exit code and a one-line cause. */
export function exitCodeForError(err: unknown): number {
  if (err instanceof SwarmAuditError) return EXIT_BY_SOURCE[err.source];
  return EXIT.incomplete;
}

export function oneLineCause(err: unknown): string {
  if (err instanceof SwarmAuditError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
