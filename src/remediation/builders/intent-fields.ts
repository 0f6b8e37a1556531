/**
 * Readers for the values a step intent may hold, each running the same
 * validator (quote.ts) the scripts use, so a saved plan whose value would not
 * pass into a script is refused while reading it, with the value's path.
 */
import type { PortFacts } from '../../probe/facts.js';
import { cidr, dockerId, dockerName, hostname, ipv4, ipv4Endpoint, optionKey, portNumber, rejectControlCharacters } from '../quote.js';
import { SchemaError, bool, int, literal, obj, optional, str, type Reader } from '../schema.js';
import type { NetworkSpec } from './scripts.js';

function validated<T>(read: Reader<T>, check: (value: T) => unknown): Reader<T> {
  return (v, path) => {
    const value = read(v, path);
    try {
      check(value);
    } catch (err) {
      throw new SchemaError(path, `is refused: ${(err as Error).message}`);
    }
    return value;
  };
}

export const dockerNameField = validated(str, (v) => dockerName(v));
export const nodeIdField = validated(str, (v) => dockerId(v, 'node ID'));
export const clusterIdField = validated(str, (v) => dockerId(v, 'cluster ID'));
export const hostnameField = validated(str, (v) => hostname(v));
export const ipv4Field = validated(str, (v) => ipv4(v));
export const endpointField = validated(str, (v) => ipv4Endpoint(v));
const cidrField = validated(str, (v) => cidr(v));
export const portField = validated(int, (v) => portNumber(v));
export const instanceIdField = validated(str, (v) => {
  if (!/^i-[0-9a-f]{8,17}$/.test(v)) throw new Error(`${JSON.stringify(v)} is not an EC2 instance ID`);
});

/** Labels and options: conventional keys, any value without control characters (it is single-quoted). */
export const optionMapField: Reader<Record<string, string>> = (v, path) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SchemaError(path, 'must be an object');
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).map(([k, x]) => {
      const at = `${path}[${JSON.stringify(k)}]`;
      const value = str(x, at);
      try {
        optionKey(k);
        rejectControlCharacters(value, 'value');
      } catch (err) {
        throw new SchemaError(at, `is refused: ${(err as Error).message}`);
      }
      return [k, value];
    }),
  );
};

export const networkSpecField: Reader<NetworkSpec> = obj<NetworkSpec>({
  name: dockerNameField,
  encrypted: bool,
  ingress: bool,
  internal: bool,
  attachable: bool,
  options: optionMapField,
  labels: optionMapField,
  ipamDriver: dockerNameField,
  ipamOptions: optionMapField,
  subnet: optional(cidrField),
  gateway: optional(ipv4Field),
  ipRange: optional(cidrField),
});

/** A published port: only fixed published ports are ever planned. */
export type PublishedPort = PortFacts & { publishedPort: number };

/** Only the fields an intent holds (facts objects may carry more). */
export function publishedPortOf(p: PortFacts): PublishedPort {
  if (p.publishedPort === undefined) throw new Error('a planned port needs a fixed published port');
  return { protocol: p.protocol, targetPort: p.targetPort, publishedPort: p.publishedPort, publishMode: p.publishMode };
}

export const portFactsField: Reader<PublishedPort> = obj<PublishedPort>({
  protocol: literal('tcp', 'udp', 'sctp'),
  targetPort: portField,
  publishedPort: portField,
  publishMode: literal('ingress', 'host'),
});

