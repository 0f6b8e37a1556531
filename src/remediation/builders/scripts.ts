/**
 * Shell fragments shared by the builders. Every interpolated value has been
 * validated (quote.ts) and is single-quoted here; nothing from Docker output
 * is ever evaluated. Each script is idempotent: it checks whether its effect is
 * already in place and exits 0 without acting.
 */
import type { NetworkFacts, PortFacts, ServiceNetworkAttachment } from '../../probe/facts.js';
import { cidr, csvSafe, dockerName, optionKey, portNumber, protocol, shQuote } from '../quote.js';

export const HEADER = 'set -eu';

/** Options Docker allocates or that we set ourselves; never copied to a new network. */
const ALLOCATED_OPTIONS = new Set(['encrypted', 'com.docker.network.driver.overlay.vxlanid_list']);

export interface NetworkSpec {
  name: string;
  encrypted: boolean;
  ingress: boolean;
  internal: boolean;
  attachable: boolean;
  options: Record<string, string>;
  labels: Record<string, string>;
  ipamDriver: string;
  ipamOptions: Record<string, string>;
  subnet?: string;
  gateway?: string;
  ipRange?: string;
}

export function networkSpecOf(n: NetworkFacts): NetworkSpec {
  const config = n.ipam.config[0];
  return {
    name: n.name,
    encrypted: 'encrypted' in n.options,
    ingress: n.ingress,
    internal: n.internal,
    attachable: n.attachable,
    options: Object.fromEntries(Object.entries(n.options).filter(([k]) => !ALLOCATED_OPTIONS.has(k))),
    labels: n.labels,
    ipamDriver: n.ipam.driver || 'default',
    ipamOptions: n.ipam.options,
    subnet: config?.subnet,
    gateway: config?.gateway,
    ipRange: config?.ipRange,
  };
}

const q = shQuote;

function keyValue(k: string, v: string, what: string): string {
  return q(`${optionKey(k, `${what} key`)}=${v}`, `${what} ${k}`);
}

/** `docker network create ...` for a spec; options, labels and IPAM copied. */
export function networkCreateCommand(spec: NetworkSpec): string {
  const args = ['docker network create --driver overlay'];
  if (spec.ingress) args.push('--ingress');
  if (spec.encrypted) args.push('--opt encrypted');
  for (const [k, v] of Object.entries(spec.options).sort()) args.push(`--opt ${keyValue(k, v, 'option')}`);
  for (const [k, v] of Object.entries(spec.labels).sort()) args.push(`--label ${keyValue(k, v, 'label')}`);
  if (spec.attachable) args.push('--attachable');
  if (spec.internal) args.push('--internal');
  if (spec.ipamDriver !== 'default') args.push(`--ipam-driver ${q(dockerName(spec.ipamDriver, 'IPAM driver'))}`);
  for (const [k, v] of Object.entries(spec.ipamOptions).sort()) args.push(`--ipam-opt ${keyValue(k, v, 'IPAM option')}`);
  if (spec.subnet) args.push(`--subnet ${q(cidr(spec.subnet))}`);
  if (spec.subnet && spec.gateway) args.push(`--gateway ${q(spec.gateway)}`);
  if (spec.subnet && spec.ipRange) args.push(`--ip-range ${q(cidr(spec.ipRange, 'IP range'))}`);
  args.push(q(dockerName(spec.name, 'network name')));
  return args.join(' ');
}

/** Runs a command up to N times a second apart: Swarm releases networks and IPAM pools asynchronously. */
export function retry(command: string, attempts = 20): string {
  return [
    `n=0; until ${command}; do`,
    `  n=$((n+1)); if [ "$n" -ge ${attempts} ]; then echo "gave up after ${attempts} attempts" >&2; exit 1; fi; sleep 1`,
    'done',
  ].join('\n');
}

export function networkExists(name: string): string {
  return `docker network inspect ${q(dockerName(name))} >/dev/null 2>&1`;
}

export function networkEncrypted(name: string): string {
  return `docker network inspect -f '{{json .Options}}' ${q(dockerName(name))} | grep -q '"encrypted":'`;
}

/** True when the service's spec attaches the named network (compared by ID, resolved at run time). */
export function serviceAttached(service: string, network: string): string {
  return [
    `{ nid=$(docker network inspect -f '{{.Id}}' ${q(dockerName(network))} 2>/dev/null) &&`,
    `docker service inspect -f '{{range .Spec.TaskTemplate.Networks}}{{.Target}} {{end}}' ${q(dockerName(service))} | tr ' ' '\\n' | grep -qx "$nid"; }`,
  ].join(' ');
}

export function networkAttachmentArg(network: string, attachment: Pick<ServiceNetworkAttachment, 'aliases' | 'driverOpts'>): string {
  const parts = [`name=${dockerName(network)}`];
  for (const alias of attachment.aliases) parts.push(`alias=${csvSafe(dockerName(alias, 'alias'), 'alias')}`);
  for (const [k, v] of Object.entries(attachment.driverOpts).sort()) {
    parts.push(`driver-opt=${csvSafe(optionKey(k, 'driver option'), 'driver option')}=${csvSafe(v, `driver option ${k}`)}`);
  }
  return q(parts.join(','));
}

export function portArg(port: PortFacts, mode: 'ingress' | 'host' = port.publishMode): string {
  if (port.publishedPort === undefined) throw new Error('portArg needs a published port');
  return q(
    `published=${portNumber(port.publishedPort)},target=${portNumber(port.targetPort)},protocol=${protocol(port.protocol)},mode=${mode}`,
  );
}

/** True when the service publishes exactly this port in this mode. */
export function servicePublishes(service: string, port: PortFacts, mode: 'ingress' | 'host' = port.publishMode): string {
  const line = `${protocol(port.protocol)} ${portNumber(port.targetPort)} ${portNumber(port.publishedPort ?? 0)} ${mode}`;
  return `docker service inspect -f '{{with .Spec.EndpointSpec}}{{range .Ports}}{{.Protocol}} {{.TargetPort}} {{.PublishedPort}} {{.PublishMode}}{{"\\n"}}{{end}}{{end}}' ${q(dockerName(service))} | grep -qx ${q(line)}`;
}

export function serviceUpdate(service: string, flags: string[]): string {
  return `docker service update --quiet ${flags.join(' ')} ${q(dockerName(service))} >/dev/null`;
}

export function lines(...parts: (string | false | undefined)[]): string {
  return [HEADER, ...parts.filter((p): p is string => typeof p === 'string')].join('\n');
}
