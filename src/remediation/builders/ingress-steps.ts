/**
 * The ingress recreate, intent -> step: unpublish every service's ingress
 * ports, remove `ingress`, create it encrypted on the same subnet and hand it
 * to every node, republish. Each intent carries the ports or the network spec
 * its undo restores.
 */
import { dockerName } from '../quote.js';
import { arr, obj, type Reader } from '../schema.js';
import type { StepBody } from '../plan.js';
import { dockerNameField, networkSpecField, portFactsField, type PublishedPort } from './intent-fields.js';
import { type NetworkSpec, script } from './scripts.js';
import { networkParams, portLine } from './script-values.js';

/** The ports unreachable during the recreate, for the downtime statement. */
interface OutagePort {
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

/** Removes the ports when the service publishes the first of them (the undo of a publish). */
function unpublishScript(service: string, ports: PublishedPort[]): string {
  const [first] = nonEmpty(ports, service);
  return script('port-steps.ports-remove', { SERVICE: dockerName(service), PORT: portLine(first), REMOVE: ports.map((p) => portLine(p)), ADD: [], RESTORE: [] });
}

/** Publishes the ports when the service lacks one of them. */
function publishScript(service: string, ports: PublishedPort[]): string {
  return script('port-steps.ports-publish', { SERVICE: dockerName(service), PORTS: nonEmpty(ports, service).map((p) => portLine(p)) });
}

export function ingressUnpublishStep(i: IngressPortsIntent, instanceId: string): StepBody {
  return {
    title: `unpublish ${i.service}'s ingress ports for the ingress recreate`,
    why: 'ingress can only be removed when no service publishes through it',
    downtime: downtimeOf(i.outage),
    precondition: { script: script('port-steps.service-exists.check', { SERVICE: dockerName(i.service) }), expect: `service ${i.service} exists` },
    script: unpublishScript(i.service, i.ports),
    inverse: { instanceId, script: publishScript(i.service, i.ports) },
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
  return {
    title: `restore ${i.service}'s published ports ${i.ports.map((p) => `${p.publishedPort}/${p.protocol}`).join(', ')}`,
    why: 'published services are restored on the encrypted ingress',
    downtime: downtimeOf(i.outage),
    precondition: { script: script('ingress-steps.network-encrypted.check', { NETWORK: dockerName(i.network) }), expect: `${i.network} exists and is encrypted` },
    script: publishScript(i.service, i.ports),
    inverse: { instanceId, script: unpublishScript(i.service, i.ports) },
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

/** Removes the ingress network when it is the encrypted (or the unencrypted) one, and waits until the manager no longer lists it. */
function removeIngress(name: string, which: 'encrypted' | 'unencrypted'): string {
  return script('ingress-steps.ingress-rm', { NETWORK: dockerName(name, 'network name'), WHICH: which });
}

export function ingressRemoveStep({ network, outage }: IngressNetworkIntent, instanceId: string): StepBody {
  const original = { ...network, ingress: true };
  return {
    title: `remove the unencrypted ingress network ${network.name}`,
    why: 'ingress encryption cannot be changed in place; only one ingress network may exist',
    downtime: downtimeOf(outage),
    precondition: { script: script('ingress-steps.no-ingress-ports.check'), expect: 'no service publishes a port in ingress mode' },
    script: removeIngress(network.name, 'unencrypted'),
    inverse: { instanceId, script: script('ingress-steps.ingress-create', networkParams(original)) },
  };
}

export function ingressCreateStep({ network, outage }: IngressNetworkIntent, instanceId: string): StepBody {
  const encrypted = { ...network, ingress: true, encrypted: true };
  return {
    title: `create encrypted ingress network ${network.name} on ${network.subnet ?? 'a Docker-chosen subnet'}`,
    why: 'the routing mesh needs an ingress network; this one encrypts node-to-node traffic. Every node gets a no-op update (its own availability) so that Swarm hands it the new ingress',
    downtime: downtimeOf(outage),
    precondition: {
      script: script('ingress-steps.ingress-create.check', { NETWORK: dockerName(network.name, 'network name') }),
      expect: 'no ingress network exists (or the encrypted one from an earlier run)',
    },
    // ingress-create.sh hands the new network to every node (why: see there)
    script: script('ingress-steps.ingress-create', networkParams(encrypted)),
    inverse: { instanceId, script: removeIngress(network.name, 'encrypted') },
  };
}
