/**
 * The ingress recreate, intent -> step: unpublish every service's ingress
 * ports, remove `ingress`, create it encrypted on the same subnet and hand it
 * to every node, republish. Each intent carries the ports or the network spec
 * its undo restores.
 */
import { dockerName, shQuote } from '../quote.js';
import { arr, obj, type Reader } from '../schema.js';
import type { StepBody } from '../plan.js';
import { dockerNameField, networkSpecField, portFactsField, type PublishedPort } from './intent-fields.js';
import { type NetworkSpec, lines, networkCreateCommand, networkEncrypted, portArg, retry, servicePublishes, serviceUpdate } from './scripts.js';

const q = shQuote;

/** The ports unreachable during the recreate, for the downtime statement. */
export interface OutagePort {
  service: string;
  port: PublishedPort;
}

const outageField: Reader<OutagePort[]> = arr(obj<OutagePort>({ service: dockerNameField, port: portFactsField }));

function downtimeOf(outage: OutagePort[]): string {
  const list = outage.map((o) => `${o.service}:${o.port.publishedPort}/${o.port.protocol}`).join(', ') || '(none)';
  return `published ports ${list} are unreachable from the first unpublish until they are restored`;
}

export interface IngressPortsIntent {
  service: string;
  /** The service's ingress-mode ports before the recreate: removed, then restored. */
  ports: PublishedPort[];
  outage: OutagePort[];
}

export const readIngressPorts = obj<IngressPortsIntent>({ service: dockerNameField, ports: arr(portFactsField), outage: outageField });

function nonEmpty(ports: PublishedPort[], service: string): [PublishedPort, ...PublishedPort[]] {
  if (ports.length === 0) throw new Error(`no ingress ports given for ${service}`);
  return ports as [PublishedPort, ...PublishedPort[]];
}

export function ingressUnpublishStep(i: IngressPortsIntent, instanceId: string): StepBody {
  const [first] = nonEmpty(i.ports, i.service);
  return {
    title: `unpublish ${i.service}'s ingress ports for the ingress recreate`,
    why: 'ingress can only be removed when no service publishes through it',
    downtime: downtimeOf(i.outage),
    precondition: { script: lines(`docker service inspect ${q(dockerName(i.service))} >/dev/null`), expect: `service ${i.service} exists` },
    script: lines(`if ${servicePublishes(i.service, first)}; then`, serviceUpdate(i.service, i.ports.map((p) => `--publish-rm ${portArg(p)}`)), 'fi'),
    inverse: { instanceId, script: lines(`if ! ${servicePublishes(i.service, first)}; then`, serviceUpdate(i.service, i.ports.map((p) => `--publish-add ${portArg(p)}`)), 'fi') },
  };
}

export interface IngressRepublishIntent extends IngressPortsIntent {
  network: string;
}

export const readIngressRepublish = obj<IngressRepublishIntent>({
  service: dockerNameField,
  ports: arr(portFactsField),
  outage: outageField,
  network: dockerNameField,
});

export function ingressRepublishStep(i: IngressRepublishIntent, instanceId: string): StepBody {
  const [first] = nonEmpty(i.ports, i.service);
  return {
    title: `restore ${i.service}'s published ports ${i.ports.map((p) => `${p.publishedPort}/${p.protocol}`).join(', ')}`,
    why: 'published services are restored on the encrypted ingress',
    downtime: downtimeOf(i.outage),
    precondition: { script: lines(networkEncrypted(i.network)), expect: `${i.network} exists and is encrypted` },
    script: lines(`if ! ${servicePublishes(i.service, first)}; then`, serviceUpdate(i.service, i.ports.map((p) => `--publish-add ${portArg(p)}`)), 'fi'),
    inverse: { instanceId, script: lines(`if ${servicePublishes(i.service, first)}; then`, serviceUpdate(i.service, i.ports.map((p) => `--publish-rm ${portArg(p)}`)), 'fi') },
    // the routing mesh now carries this service's traffic encrypted: the IPsec precheck gates the plan (--force to override)
    verify: { kind: 'ipsec-sa', service: i.service, network: i.network },
  };
}

export interface IngressNetworkIntent {
  /** ingress as it was (remove: recreated by the undo) or as it will be (create: the encrypted one). */
  network: NetworkSpec;
  outage: OutagePort[];
}

export const readIngressNetwork = obj<IngressNetworkIntent>({ network: networkSpecField, outage: outageField });

function ingressPresent(name: string): string {
  return `{ docker_list network ls --filter driver=overlay --format '{{.Name}}' && printf '%s\\n' "$listed" | grep -qx ${q(dockerName(name, 'network name'))}; }`;
}

/**
 * `docker network rm ingress` returns while the manager still lists it for
 * about a second (verified on 20.10.24): wait until it is gone, or the next
 * step would find it.
 */
function removeIngress(name: string, which: 'encrypted' | 'unencrypted'): string {
  const isIt = which === 'encrypted' ? `${ingressPresent(name)} && ${networkEncrypted(name)}` : `${ingressPresent(name)} && ! ${networkEncrypted(name)}`;
  return [
    `if ${isIt}; then`,
    retry(`echo y | docker network rm ${q(dockerName(name))} >/dev/null`),
    'fi',
    `i=0; while ${isIt}; do i=$((i+1)); if [ "$i" -ge 60 ]; then echo "the ${which} ${name} network is still listed after 60s" >&2; exit 1; fi; sleep 1; done`,
  ].join('\n');
}

/** Added and at once removed by the hand-over's repeat; never left on a node. */
const HANDOVER_LABEL = 'swarm-audit.ingress-handover';

/**
 * Swarm hands a new ingress network to a node only when the node object
 * changes (verified on 20.10.24: a worker without tasks still had no ingress
 * 50 s after the create, and had it a second after a node update). So every
 * node gets a no-op update (its own availability), then we wait until every
 * Ready node is an ingress peer: without that, the routing mesh answers only
 * on nodes that happen to run a publishing task. An update that races the new
 * network's allocation hands the node nothing: it is repeated every 10 s.
 *
 * The repeat changes the node's spec (a label of ours added, then removed):
 * a worker re-reads its node only when more than its status and version
 * changed. Measured on 20.10.24 (fault matrix, 1 of 6 scenarios): the
 * worker's first setup lost a race with its own attachment store ("Failed
 * creating ingress network: failed to find a load balancer IP to use for
 * network"; dockerd queues the ingress setup before it records the node's
 * addresses), nothing was created, and 60 s of availability-only repeats
 * never made it try again. With the label, a worker that lost that race (in
 * a backout's recreate) had the ingress at the first repeat, 12 s in.
 */
function handIngressToNodes(network: string): string {
  const name = q(dockerName(network));
  return [
    'hand_over() {',
    '  docker_list node ls -q',
    '  for id in $listed; do',
    '    docker node update --availability "$(docker node inspect -f \'{{.Spec.Availability}}\' "$id")" "$id" >/dev/null',
    '  done',
    '}',
    'nudge() {',
    '  docker_list node ls -q',
    '  for id in $listed; do',
    `    docker node update --label-add ${HANDOVER_LABEL}=1 "$id" >/dev/null && docker node update --label-rm ${HANDOVER_LABEL} "$id" >/dev/null`,
    '  done',
    '}',
    "docker_list node ls --format '{{.Status}}'",
    `want=$(printf '%s\\n' "$listed" | grep -cx Ready || true)`,
    `hand_over; i=0; until [ "$(docker network inspect -f '{{len .Peers}}' ${name})" -ge "$want" ]; do i=$((i+1)); if [ "$i" -ge 60 ]; then echo "${network} reached $(docker network inspect -f '{{len .Peers}}' ${name}) of $want ready nodes after 60s" >&2; exit 1; fi; if [ $((i % 10)) -eq 0 ]; then nudge; fi; sleep 1; done`,
  ].join('\n');
}

export function ingressRemoveStep({ network, outage }: IngressNetworkIntent, instanceId: string): StepBody {
  const original = { ...network, ingress: true };
  return {
    title: `remove the unencrypted ingress network ${network.name}`,
    why: 'ingress encryption cannot be changed in place; only one ingress network may exist',
    downtime: downtimeOf(outage),
    precondition: {
      script: lines(
        'docker_list service ls -q',
        `for s in $listed; do if docker_object service "$s" '{{with .Spec.EndpointSpec}}{{range .Ports}}{{.PublishMode}}{{"\\n"}}{{end}}{{end}}' && printf '%s\\n' "$object" | grep -qx ingress; then exit 1; fi; done`,
        'exit 0',
      ),
      expect: 'no service publishes a port in ingress mode',
    },
    script: lines(removeIngress(network.name, 'unencrypted')),
    inverse: { instanceId, script: lines(`if ! ${ingressPresent(network.name)}; then`, retry(networkCreateCommand(original)), 'fi', handIngressToNodes(network.name)) },
  };
}

export function ingressCreateStep({ network, outage }: IngressNetworkIntent, instanceId: string): StepBody {
  const encrypted = { ...network, ingress: true, encrypted: true };
  return {
    title: `create encrypted ingress network ${network.name} on ${network.subnet ?? 'a Docker-chosen subnet'}`,
    why: 'the routing mesh needs an ingress network; this one encrypts node-to-node traffic. Every node gets a no-op update (its own availability) so that Swarm hands it the new ingress',
    downtime: downtimeOf(outage),
    precondition: {
      script: lines(`if ${ingressPresent(network.name)}; then ${networkEncrypted(network.name)}; fi`),
      expect: 'no ingress network exists (or the encrypted one from an earlier run)',
    },
    script: lines(`if ! ${ingressPresent(network.name)}; then`, retry(networkCreateCommand(encrypted)), 'fi', handIngressToNodes(network.name)),
    inverse: { instanceId, script: lines(removeIngress(network.name, 'encrypted')) },
  };
}
