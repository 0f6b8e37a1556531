import { networkFailureCode } from '../aws/aws-errors.js';
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
  if (networkFailureCode(err)) return EXIT.incomplete; // nothing answered: not a usage or credential problem
  if (err instanceof SwarmAuditError) return EXIT_BY_SOURCE[err.source];
  return EXIT.incomplete;
}

const NETWORK_HINT: Record<string, string> = {
  ENOTFOUND: 'the host name does not resolve: check --region (an unknown region has no endpoint) and DNS',
  EAI_AGAIN: 'DNS did not answer: check the network and DNS',
};
const DEFAULT_NETWORK_HINT = 'nothing answered: check --endpoint-url / AWS_ENDPOINT_URL, the network, and HTTPS_PROXY';

export function oneLineCause(err: unknown): string {
  const network = networkFailureCode(err);
  if (network) return `cannot reach AWS (${network}): ${networkMessage(err)}; ${NETWORK_HINT[network] ?? DEFAULT_NETWORK_HINT}`;
  if (err instanceof SwarmAuditError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/** The system's own words ("connect ECONNREFUSED 127.0.0.1:9"), without the wrappers' prefixes. */
function networkMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^(?:[A-Za-z]+: )*(?:Error: )?(?:AWS SDK error wrapper for Error: )?/, '');
}
