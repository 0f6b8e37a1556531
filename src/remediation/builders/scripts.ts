/**
 * Shell fragments shared by the builders. Every interpolated value has been
 * validated (quote.ts) and is single-quoted here; nothing from Docker output
 * is ever evaluated. Each script is idempotent: it checks whether its effect is
 * already in place and exits 0 without acting.
 */
import type { NetworkFacts, PortFacts, ServiceNetworkAttachment } from '../../probe/facts.js';
import { cidr, csvSafe, dockerName, optionKey, portNumber, protocol, shQuote } from '../quote.js';

/**
 * How long every script waits for dockerd (and, on a manager, the swarm
 * control plane) to answer before it fails. A sandbox manager's dockerd
 * restart with swarm state took 3.5 s to 17.4 s (five restarts, the machine
 * loaded); 60 s is over three times the slowest, for hosts with more
 * containers to stop (README "Daemon checks").
 */
export const DAEMON_WAIT_SECONDS = 60;

/** A precondition or input script: the daemon wait, then a few quick docker calls. */
export const CHECK_TIMEOUT_MS = (DAEMON_WAIT_SECONDS + 60) * 1000;

/**
 * The preamble of every planned script (forward, precondition, undo, input).
 * Docker's CLI fails the same way (exit 1) for "no such network" and for
 * "Cannot connect to the Docker daemon", so a guard like `if docker network
 * inspect X` read a restarting dockerd as "X absent" and an undo exited 0
 * without undoing. So: first wait, bounded, until the daemon answers; then
 * every existence test goes through docker_object, which answers "absent" only
 * when Docker says the object does not exist and ends the script on any other
 * error (the daemon going away mid-script included).
 */
export const HEADER = [
  'set -eu',
  '# daemon_ready: dockerd answers and, on a manager, so does the swarm control plane (no leader yet right after a restart)',
  'daemon_ready() {',
  '  waiting_for="docker daemon not reachable"',
  "  daemon_error=$(docker version --format '{{.Server.Version}}' 2>&1 >/dev/null) || return 1",
  "  [ \"$(docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)\" = true ] || return 0",
  '  waiting_for="swarm manager not answering"',
  '  daemon_error=$(docker node ls -q 2>&1 >/dev/null)',
  '}',
  't0=$(date +%s)',
  'until daemon_ready; do',
  `  if [ $(( $(date +%s) - t0 )) -ge ${DAEMON_WAIT_SECONDS} ]; then echo "$waiting_for after ${DAEMON_WAIT_SECONDS} s: $daemon_error" >&2; exit 1; fi`,
  '  sleep 1',
  'done',
  '# docker_object KIND NAME FORMAT: 0 with $object set when it exists, 1 when Docker says it does not; any other failure ends the script',
  'docker_object() {',
  '  if object=$(docker "$1" inspect --format "$3" "$2" 2>&1); then return 0; fi',
  '  case $object in',
  '    *"No such $1"*|*"no such $1"*|*"$1 $2 not found"*) return 1 ;;',
  '  esac',
  '  echo "docker $1 inspect $2 failed: $object" >&2',
  '  exit 1',
  '}',
  '# docker_list ARGS...: sets $listed to the output of docker ARGS; any failure ends the script (also inside an if or a loop condition)',
  'docker_list() {',
  '  listed=$(docker "$@") || { echo "docker $* failed" >&2; exit 1; }',
  '}',
].join('\n');

/** A script without the shared preamble, as the plan and backout print it (they print HEADER once). */
export function withoutHeader(script: string): string {
  return script.startsWith(`${HEADER}\n`) ? script.slice(HEADER.length + 1) : script;
}

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

/** True when the network exists; ends the script when Docker fails otherwise (HEADER docker_object). */
export function networkExists(name: string): string {
  return `docker_object network ${q(dockerName(name))} '{{.Id}}'`;
}

/** True when the network exists and is encrypted. */
export function networkEncrypted(name: string): string {
  return `{ docker_object network ${q(dockerName(name))} '{{json .Options}}' && printf '%s' "$object" | grep -q '"encrypted":'; }`;
}

/** True when the service's spec attaches the named network (compared by ID, resolved at run time); false when either is absent. */
export function serviceAttached(service: string, network: string): string {
  return [
    `{ docker_object network ${q(dockerName(network))} '{{.Id}}' && nid=$object &&`,
    `docker_object service ${q(dockerName(service))} '{{range .Spec.TaskTemplate.Networks}}{{.Target}} {{end}}' &&`,
    `printf '%s' "$object" | tr ' ' '\\n' | grep -qx "$nid"; }`,
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

/** True when the service publishes exactly this port in this mode; false when the service is absent. */
export function servicePublishes(service: string, port: PortFacts, mode: 'ingress' | 'host' = port.publishMode): string {
  const line = `${protocol(port.protocol)} ${portNumber(port.targetPort)} ${portNumber(port.publishedPort ?? 0)} ${mode}`;
  return `{ docker_object service ${q(dockerName(service))} '{{with .Spec.EndpointSpec}}{{range .Ports}}{{.Protocol}} {{.TargetPort}} {{.PublishedPort}} {{.PublishMode}}{{"\\n"}}{{end}}{{end}}' && printf '%s\\n' "$object" | grep -qx ${q(line)}; }`;
}

/**
 * The Spec.TaskTemplate.Networks targets of every service, in $targets
 * (a loop in the script's own shell, so a failing docker ends the script
 * instead of reading as "no service").
 */
export const SERVICE_NETWORK_TARGETS = [
  'docker_list service ls -q; targets=',
  'for s in $listed; do if docker_object service "$s" \'{{range .Spec.TaskTemplate.Networks}}{{.Target}} {{end}}\'; then targets="$targets $object"; fi; done',
].join('\n');

export function serviceUpdate(service: string, flags: string[]): string {
  return `docker service update --quiet ${flags.join(' ')} ${q(dockerName(service))} >/dev/null`;
}

export function lines(...parts: (string | false | undefined)[]): string {
  return [HEADER, ...parts.filter((p): p is string => typeof p === 'string')].join('\n');
}
