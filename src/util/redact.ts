/**
 * Secrets that must never leave the process in readable form: Docker Swarm
 * join tokens (SWMTKN-1-<CA digest>-<secret>). Anyone holding one can join
 * the swarm as a worker or manager. Every log line (logger.ts), journal record
 * and failure text (remote-shell.ts describeFailure) passes through here.
 */

/** The version prefix and everything token-like after it, so a cut or odd-length token is caught too (a bare prefix, as in a pattern, carries no secret). */
const JOIN_TOKEN = /SWMTKN-1-[A-Za-z0-9-]+/g;

export const REDACTED_JOIN_TOKEN = 'SWMTKN-<redacted>';

export function redactSecrets(text: string): string {
  return text.replace(JOIN_TOKEN, REDACTED_JOIN_TOKEN);
}
