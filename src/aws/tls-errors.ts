/**
 * The endpoint answered but its TLS certificate was not trusted: a
 * configuration problem (a TLS-inspecting proxy, a private CA, a wrong
 * endpoint), not a network failure. Node's codes and words for it; the SDK
 * and our AwsError keep the original error as a cause, or only its text.
 */
const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const TLS_TRUST_WORDS =
  /self[- ]signed certificate(?: in certificate chain)?|unable to verify the first certificate|unable to get (?:local )?issuer certificate|certificate has expired|certificate is not yet valid|Hostname\/IP does not match certificate's altnames[^;]*/i;

/** Node's words for why the certificate was refused, or undefined when the error is something else. */
export function tlsTrustFailure(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    const words = typeof message === 'string' ? TLS_TRUST_WORDS.exec(message)?.[0] : undefined;
    if (typeof code === 'string' && TLS_TRUST_CODES.has(code)) return words ?? code;
    if (words) return words;
  }
  return undefined;
}
