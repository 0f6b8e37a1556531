/**
 * The published-port steps the operator asks for by service, intent -> step:
 * unpublish one port (putting back the siblings Docker's --publish-rm takes
 * with it), or switch a service's ingress ports to host mode. Each intent
 * carries the ports its undo restores.
 */
import { dockerName, shQuote } from '../quote.js';
import { arr, obj } from '../schema.js';
import type { StepBody } from '../plan.js';
import { dockerNameField, portFactsField, type PublishedPort } from './intent-fields.js';
import { lines, portArg, servicePublishes, serviceUpdate } from './scripts.js';

const q = shQuote;

/** `if any of ports is not published; then publish them all; fi` (Docker skips those already there). */
function ensurePublished(service: string, ports: PublishedPort[]): string | undefined {
  if (ports.length === 0) return undefined;
  const missing = ports.map((p) => `! ${servicePublishes(service, p)}`).join(' || ');
  return [`if ${missing}; then`, serviceUpdate(service, ports.map((p) => `--publish-add ${portArg(p)}`)), 'fi'].join('\n');
}

export interface UnpublishIntent {
  service: string;
  port: PublishedPort;
  /** Ports sharing its target that the operator did not list: published again by a second update. */
  keep: PublishedPort[];
  /** Every port Docker's --publish-rm removes with it, as published before: the undo restores them all. */
  group: PublishedPort[];
}

export const readUnpublish = obj<UnpublishIntent>({ service: dockerNameField, port: portFactsField, keep: arr(portFactsField), group: arr(portFactsField) });

export function unpublishStep({ service, port, keep, group }: UnpublishIntent, instanceId: string): StepBody {
  const keepText = keep.map((p) => `${p.publishedPort}/${p.protocol}`).join(', ');
  return {
    title: `stop publishing ${service} port ${port.publishedPort}/${port.protocol} (${port.publishMode} mode)`,
    why:
      `the operator asked to unpublish it; reach ${service} over an overlay network instead` +
      (keep.length ? `; ${keepText} share${keep.length === 1 ? 's' : ''} its target port, which Docker's --publish-rm removes as well, so a second update publishes ${keep.length === 1 ? 'it' : 'them'} again` : ''),
    downtime:
      `clients reaching ${service} through port ${port.publishedPort} lose access; tasks are replaced` +
      (keep.length ? `; ports ${keepText} are unreachable between the two updates` : ''),
    precondition: { script: lines(`docker service inspect ${q(dockerName(service))} >/dev/null`), expect: `service ${service} exists` },
    script: lines(`if ${servicePublishes(service, port)}; then`, serviceUpdate(service, [`--publish-rm ${portArg(port)}`]), 'fi', ensurePublished(service, keep)),
    // the removal took the whole group with it: the undo puts the whole group back
    inverse: { instanceId, script: lines(ensurePublished(service, group)) },
  };
}

export interface HostModeIntent {
  service: string;
  /** The ingress-mode ports switched to host mode. */
  ports: PublishedPort[];
  /** Host-mode ports the service already had on a switched target: the undo's --publish-rm takes them too, so it puts them back. */
  hostSiblings: PublishedPort[];
}

export const readHostMode = obj<HostModeIntent>({ service: dockerNameField, ports: arr(portFactsField), hostSiblings: arr(portFactsField) });

export function hostModeStep({ service, ports, hostSiblings }: HostModeIntent, instanceId: string): StepBody {
  const first = ports[0];
  if (!first) throw new Error(`no ingress ports given for ${service}`);
  const toHost = [...ports.map((p) => `--publish-rm ${portArg(p, 'ingress')}`), ...ports.map((p) => `--publish-add ${portArg(p, 'host')}`)];
  const toIngress = [...ports.map((p) => `--publish-rm ${portArg(p, 'host')}`), ...ports.map((p) => `--publish-add ${portArg(p, 'ingress')}`)];
  return {
    title: `switch ${service} ports ${ports.map((p) => `${p.publishedPort}/${p.protocol}`).join(', ')} to host mode`,
    why: 'host mode publishes only on nodes running a task (still on 0.0.0.0): put a proxy or DOCKER-USER firewall rules in front',
    downtime:
      `tasks of ${service} are replaced; the ports answer only on nodes running a task; ` +
      'two tasks on one node would clash on the port (use --mode global or placement constraints, and never --update-order start-first)',
    precondition: { script: lines(`docker service inspect ${q(dockerName(service))} >/dev/null`), expect: `service ${service} exists` },
    script: lines(`if ${servicePublishes(service, first, 'ingress')}; then`, serviceUpdate(service, toHost), 'fi'),
    inverse: {
      instanceId,
      script: lines(`if ${servicePublishes(service, first, 'host')}; then`, serviceUpdate(service, toIngress), 'fi', ensurePublished(service, hostSiblings)),
    },
  };
}
