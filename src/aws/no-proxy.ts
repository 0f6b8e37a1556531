/**
 * NO_PROXY as curl and the AWS CLI read it: a comma- or space-separated list
 * of entries, case-insensitive; `*` alone bypasses the proxy for every host.
 * An entry is
 * - a domain name, with or without a leading dot: that host and every
 *   subdomain (`example.com` and `.example.com` both match `ssm.example.com`,
 *   neither matches `badexample.com`);
 * - an IP address: that address only (IPv6 with or without brackets);
 * - an IP range in CIDR form (`10.0.0.0/8`, `fd00::/8`), as curl 7.86+;
 * - any of these with `:port`: only requests to that port.
 */
import { BlockList, isIP } from 'node:net';

export type ProxyBypass = (host: string, port: number) => boolean;

interface Entry {
  matchesHost(host: string): boolean;
  port?: number;
}

export function noProxyMatcher(value: string | undefined): ProxyBypass {
  const entries = (value ?? '').split(/[\s,]+/).filter(Boolean).map((e) => e.toLowerCase());
  if (entries.includes('*')) return () => true;
  const parsed = entries.map(parseEntry);
  return (host, port) => {
    const bare = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
    return parsed.some((entry) => (entry.port === undefined || entry.port === port) && entry.matchesHost(bare));
  };
}

function parseEntry(raw: string): Entry {
  const { name, port } = splitPort(raw);
  const cidr = cidrEntry(name);
  if (cidr) return { matchesHost: cidr, ...(port === undefined ? {} : { port }) };
  const ipVersion = isIP(name);
  const domain = name.replace(/^\*?\./, '').replace(/\.$/, '');
  const matchesHost = ipVersion
    ? (host: string) => sameAddress(host, name, ipVersion)
    : (host: string) => host === domain || host.endsWith(`.${domain}`);
  return { matchesHost, ...(port === undefined ? {} : { port }) };
}

/** `host:port`, `[v6]:port`; a bare IPv6 address has colons but no port. */
function splitPort(raw: string): { name: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(raw);
  if (bracketed) return { name: bracketed[1], ...(bracketed[2] ? { port: Number(bracketed[2]) } : {}) };
  const withPort = /^([^:]+):(\d+)$/.exec(raw);
  if (withPort) return { name: withPort[1], port: Number(withPort[2]) };
  return { name: raw };
}

function cidrEntry(name: string): ((host: string) => boolean) | undefined {
  const match = /^(.+)\/(\d{1,3})$/.exec(name);
  if (!match) return undefined;
  const version = isIP(match[1]);
  const prefix = Number(match[2]);
  if (!version || prefix > (version === 4 ? 32 : 128)) return undefined;
  const range = new BlockList();
  const family = version === 4 ? 'ipv4' : 'ipv6';
  range.addSubnet(match[1], prefix, family);
  return (host) => isIP(host) === version && range.check(host, family);
}

function sameAddress(host: string, address: string, version: number): boolean {
  if (isIP(host) !== version) return false;
  const one = new BlockList();
  one.addAddress(address, version === 4 ? 'ipv4' : 'ipv6');
  return one.check(host, version === 4 ? 'ipv4' : 'ipv6');
}
