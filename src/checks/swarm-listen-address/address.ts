/**
 * Socket address helpers. The kernel (via ss or /proc/net) reports listeners
 * as "0.0.0.0", "::", "*", "[::]", "10.0.0.5", "::ffff:10.0.0.5" or
 * "fe80::1%eth0"; these reduce them to one comparable form.
 */
const WILDCARDS = new Set(['0.0.0.0', '::', '*', '', '0:0:0:0:0:0:0:0']);
const V4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** Strips brackets and an interface scope, and unwraps IPv4-mapped IPv6 ("::ffff:a.b.c.d" is a.b.c.d). */
export function normalizeAddress(address: string): string {
  let plain = address.trim();
  if (plain.startsWith('[') && plain.endsWith(']')) plain = plain.slice(1, -1);
  const scope = plain.indexOf('%');
  if (scope >= 0) plain = plain.slice(0, scope);
  const mapped = V4_MAPPED.exec(plain);
  return (mapped ? mapped[1] : plain).toLowerCase();
}

/** 0.0.0.0, ::, * (and their mapped or bracketed forms) accept connections on every interface. */
export function isWildcardAddress(address: string): boolean {
  const plain = normalizeAddress(address);
  return WILDCARDS.has(plain);
}

/** "10.0.0.5:2377" -> "10.0.0.5", "[::]:2377" -> "::", "eth0:2377" -> "eth0", "10.0.0.5" -> "10.0.0.5". */
export function hostOfListenAddr(listenAddr: string): string {
  const trimmed = listenAddr.trim();
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(trimmed);
  if (bracketed) return bracketed[1];
  const colons = trimmed.split(':').length - 1;
  if (colons === 1) return trimmed.slice(0, trimmed.indexOf(':'));
  return trimmed;
}
