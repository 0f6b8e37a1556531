/**
 * The published-port steps the operator asks for by service, intent -> step:
 * unpublish one port (putting back the siblings Docker's --publish-rm takes
 * with it), or switch a service's ingress ports to host mode. Each intent
 * carries the ports its undo restores.
 */
import { dockerName } from '../quote.js';
import { arr, obj } from '../schema.js';
import type { StepBody } from '../plan.js';
import { dockerNameField, portFactsField, type PublishedPort } from './intent-fields.js';
import { script } from './scripts.js';
import { portLine } from './script-values.js';

function serviceExists(service: string): string {
  return script('port-steps.service-exists.check', { SERVICE: dockerName(service) });
}

/** When the service publishes `when`, one update removes `remove` and adds `add`; then `restore` is published again where one is missing. */
function replacePorts(service: string, o: { when: string; remove: string[]; add?: string[]; restore?: PublishedPort[] }): string {
  return script('port-steps.ports-remove', {
    SERVICE: dockerName(service),
    PORT: o.when,
    REMOVE: o.remove,
    ADD: o.add ?? [],
    RESTORE: (o.restore ?? []).map((p) => portLine(p)),
  });
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
    precondition: { script: serviceExists(service), expect: `service ${service} exists` },
    script: replacePorts(service, { when: portLine(port), remove: [portLine(port)], restore: keep }),
    // the removal took the whole group with it: the undo puts the whole group back
    inverse: { instanceId, script: script('port-steps.ports-publish', { SERVICE: dockerName(service), PORTS: group.map((p) => portLine(p)) }) },
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
  const asIngress = ports.map((p) => portLine(p, 'ingress'));
  const asHost = ports.map((p) => portLine(p, 'host'));
  return {
    title: `switch ${service} ports ${ports.map((p) => `${p.publishedPort}/${p.protocol}`).join(', ')} to host mode`,
    why: 'host mode publishes only on nodes running a task (still on 0.0.0.0): put a proxy or DOCKER-USER firewall rules in front',
    downtime:
      `tasks of ${service} are replaced; the ports answer only on nodes running a task; ` +
      'two tasks on one node would clash on the port (use --mode global or placement constraints, and never --update-order start-first)',
    precondition: { script: serviceExists(service), expect: `service ${service} exists` },
    script: replacePorts(service, { when: portLine(first, 'ingress'), remove: asIngress, add: asHost }),
    inverse: { instanceId, script: replacePorts(service, { when: portLine(first, 'host'), remove: asHost, add: asIngress, restore: hostSiblings }) },
  };
}
