/**
 * Every name or value that goes into a remote command passes through here.
 * Docker object names and IDs are validated against what Docker itself
 * accepts; everything else is POSIX single-quoted. Control characters
 * (newlines included) are refused outright: no quoting makes a newline safe
 * in every shell a script may pass through (SSM writes the script to a file).
 */
import { UsageError } from '../errors.js';

const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const DOCKER_ID = /^[a-f0-9]{10,64}$|^[a-z0-9]{25}$/;
const HOSTNAME = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,62})(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,62}))*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
// eslint-disable-next-line no-control-regex -- names must not carry control characters into a script
const CONTROL = /[\u0000-\u001f\u007f]/;
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

export function rejectControlCharacters(value: string, what: string): string {
  if (CONTROL.test(value)) throw new UsageError(`${what} contains a control character: ${JSON.stringify(value)}`, 'UnsafeValue');
  return value;
}

/**
 * POSIX single quotes: the only character needing care inside is the quote
 * itself. A list is quoted as its lines: each element refused when it holds a
 * control character, so the newlines between them are the only ones.
 */
export function shQuote(value: string | readonly string[], what = 'value'): string {
  const lines = typeof value === 'string' ? [value] : value;
  for (const line of lines) rejectControlCharacters(line, what);
  return `'${lines.join('\n').replace(/'/g, `'\\''`)}'`;
}

/** A Docker object name (network, service, alias); returned unchanged when valid. */
export function dockerName(value: string, what = 'Docker name'): string {
  rejectControlCharacters(value, what);
  if (value.length > 128 || !DOCKER_NAME.test(value)) {
    throw new UsageError(`${what} ${JSON.stringify(value)} is not a valid Docker name (${DOCKER_NAME.source})`, 'UnsafeValue');
  }
  return value;
}

/** A Docker object ID: 64 hex characters (networks may be shortened), or swarm's 25-char base36 IDs (nodes, services). */
export function dockerId(value: string, what = 'Docker ID'): string {
  rejectControlCharacters(value, what);
  if (!DOCKER_ID.test(value)) throw new UsageError(`${what} ${JSON.stringify(value)} is not a Docker ID`, 'UnsafeValue');
  return value;
}

export function hostname(value: string, what = 'hostname'): string {
  rejectControlCharacters(value, what);
  if (value.length > 253 || !HOSTNAME.test(value)) {
    throw new UsageError(`${what} ${JSON.stringify(value)} is not a valid hostname`, 'UnsafeValue');
  }
  return value;
}

export function ipv4(value: string, what = 'IPv4 address'): string {
  rejectControlCharacters(value, what);
  if (!IPV4.test(value)) throw new UsageError(`${what} ${JSON.stringify(value)} is not an IPv4 address`, 'UnsafeValue');
  return value;
}

/** "a.b.c.d:port" as Docker prints manager addresses. */
export function ipv4Endpoint(value: string, what = 'address'): string {
  const m = /^(.*):(\d{1,5})$/.exec(value);
  if (!m || Number(m[2]) > 65535) throw new UsageError(`${what} ${JSON.stringify(value)} is not IP:port`, 'UnsafeValue');
  ipv4(m[1], what);
  return value;
}

export function cidr(value: string, what = 'subnet'): string {
  const m = /^(.*)\/(\d{1,2})$/.exec(value);
  if (!m || Number(m[2]) > 32) throw new UsageError(`${what} ${JSON.stringify(value)} is not an IPv4 CIDR`, 'UnsafeValue');
  ipv4(m[1], what);
  return value;
}

export function portNumber(value: number, what = 'port'): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new UsageError(`${what} ${value} is not a port number`, 'UnsafeValue');
  return value;
}

export function protocol(value: string): 'tcp' | 'udp' | 'sctp' {
  if (value === 'tcp' || value === 'udp' || value === 'sctp') return value;
  throw new UsageError(`protocol ${JSON.stringify(value)} is not tcp, udp or sctp`, 'UnsafeValue');
}

export function envName(value: string): string {
  if (!ENV_NAME.test(value)) throw new UsageError(`${JSON.stringify(value)} is not a safe variable name`, 'UnsafeValue');
  return value;
}

/**
 * A key=value pair for docker's CSV-parsed flags (--network-add, --publish-add,
 * --label): commas and double quotes would be re-parsed by Docker, so they are refused.
 */
export function csvSafe(value: string, what: string): string {
  rejectControlCharacters(value, what);
  if (/[,"]/.test(value)) throw new UsageError(`${what} ${JSON.stringify(value)} contains ',' or '"', which Docker would re-parse`, 'UnsafeValue');
  return value;
}

/** Label or option key: Docker accepts almost anything, we accept the conventional reverse-DNS shape. */
export function optionKey(value: string, what = 'key'): string {
  rejectControlCharacters(value, what);
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.\-/]*$/.test(value)) {
    throw new UsageError(`${what} ${JSON.stringify(value)} is not a safe label/option key`, 'UnsafeValue');
  }
  return value;
}
