import { networkFailureCode } from '../aws/aws-errors.js';
import { tlsTrustFailure } from '../aws/tls-errors.js';
import { SwarmAuditError, type ErrorSource } from '../errors.js';

/** Public exit codes: 0 all pass, 1 failing findings, 2 incomplete, 3 usage/config/credentials. */
export const EXIT = { ok: 0, findings: 1, incomplete: 2, usage: 3 } as const;

/**
 * What each exit code means, in markdown: the one source of every command's
 * --help epilogue (src/cli/help.ts) and of the README's "Exit codes" table (a
 * test holds the README to it).
 */
export const EXIT_MEANINGS: Record<keyof typeof EXIT, string> = {
  ok: 'every result PASS (or NOT_APPLICABLE)',
  findings: 'at least one FAIL (or WARN with `--fail-on warn`)',
  incomplete:
    'incomplete: something could not be decided (ERROR), and nothing failed; or AWS could not be reached (one line with the cause and a hint); ' +
    'or the tag query matched no instance, or none that could be audited (unless `--allow-empty`); or the run was interrupted (SIGINT/SIGTERM)',
  usage:
    'usage, configuration or credential error; `--output-file` not writable, `--role-arn` or `--endpoint-url` malformed, ' +
    'a single-valued flag given twice (all checked before any AWS call)',
};

/** What each source of typed error means for the caller: the run could not see everything (2), or could not start (3). */
const EXIT_BY_SOURCE: Record<ErrorSource, number> = {
  user: EXIT.usage,
  aws: EXIT.usage,
  tool: EXIT.incomplete,
  scope: EXIT.incomplete,
};

/** Maps an error that escaped a command to an exit code and a one-line cause. */
export function exitCodeForError(err: unknown): number {
  if (tlsTrustFailure(err)) return EXIT.usage; // the endpoint answered with a certificate we do not trust: configuration
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
  const untrusted = tlsTrustFailure(err);
  if (untrusted) return `cannot trust the endpoint's TLS certificate (${untrusted}); if a proxy or a private CA signs it, set AWS_CA_BUNDLE to that CA's PEM file`;
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
