/**
 * The values the step templates receive, validated (quote.ts) and shaped as
 * Docker takes them: a network spec as network_create's NETWORK* parameters,
 * a port as the line service_publishes compares, an attachment as
 * --network-add's value. Values only: no shell here.
 */
import type { PortFacts, ServiceNetworkAttachment } from '../../probe/facts.js';
import { cidr, csvSafe, dockerName, ipv4, optionKey, portNumber, protocol, rejectControlCharacters } from '../quote.js';
import type { NetworkSpec, ScriptParam } from './scripts.js';

/** key=value lines, sorted; a value may hold anything but a control character (it is one quoted line). */
function keyValues(map: Record<string, string>, what: string): string[] {
  return Object.entries(map)
    .sort()
    .map(([k, v]) => `${optionKey(k, `${what} key`)}=${rejectControlCharacters(v, `${what} ${k}`)}`);
}

/** The NETWORK* parameters of network_create (scripts.functions.sh): options, labels and IPAM copied. */
export function networkParams(spec: NetworkSpec): Record<string, ScriptParam> {
  return {
    NETWORK: dockerName(spec.name, 'network name'),
    NETWORK_INGRESS: spec.ingress,
    NETWORK_ENCRYPTED: spec.encrypted,
    NETWORK_OPTIONS: keyValues(spec.options, 'option'),
    NETWORK_LABELS: keyValues(spec.labels, 'label'),
    NETWORK_ATTACHABLE: spec.attachable,
    NETWORK_INTERNAL: spec.internal,
    NETWORK_IPAM_DRIVER: spec.ipamDriver === 'default' ? '' : dockerName(spec.ipamDriver, 'IPAM driver'),
    NETWORK_IPAM_OPTIONS: keyValues(spec.ipamOptions, 'IPAM option'),
    NETWORK_SUBNET: spec.subnet ? cidr(spec.subnet) : '',
    NETWORK_GATEWAY: spec.subnet && spec.gateway ? ipv4(spec.gateway, 'gateway') : '',
    NETWORK_IP_RANGE: spec.subnet && spec.ipRange ? cidr(spec.ipRange, 'IP range') : '',
  };
}

/** A port as the templates take it: "PROTOCOL TARGET PUBLISHED MODE", the fields service_publishes reads from Docker. */
export function portLine(port: PortFacts, mode: 'ingress' | 'host' = port.publishMode): string {
  if (port.publishedPort === undefined) throw new Error('a planned port needs a fixed published port');
  return `${protocol(port.protocol)} ${portNumber(port.targetPort)} ${portNumber(port.publishedPort)} ${mode}`;
}

/** --network-add's value: the network with the service's aliases and driver options (Docker parses it as CSV). */
export function attachmentArg(network: string, attachment: Pick<ServiceNetworkAttachment, 'aliases' | 'driverOpts'>): string {
  const parts = [`name=${dockerName(network)}`];
  for (const alias of attachment.aliases) parts.push(`alias=${csvSafe(dockerName(alias, 'alias'), 'alias')}`);
  for (const [k, v] of Object.entries(attachment.driverOpts).sort()) {
    parts.push(`driver-opt=${csvSafe(optionKey(k, 'driver option'), 'driver option')}=${csvSafe(v, `driver option ${k}`)}`);
  }
  return parts.join(',');
}
