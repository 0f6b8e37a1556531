/**
 * swarm-published-ports: Swarm cannot bind a published port to a host IP
 * (PortConfig has no host IP; moby #26696, #32299), so no plan pretends to.
 * Only the two real changes are offered, and only for services the operator
 * names: unpublish a listed port, or switch a service's ingress ports to host
 * mode. Everything else gets the guidance. Never `--endpoint-mode dnsrr` with
 * an ingress port: Docker rejects it.
 */
import type { PortFacts, ServiceFacts } from '../../probe/facts.js';
import { UsageError } from '../../errors.js';
import type { Step } from '../plan.js';
import { dockerName, shQuote } from '../quote.js';
import type { BuilderContext, BuilderResult } from './context.js';
import { lines, portArg, servicePublishes, serviceUpdate } from './scripts.js';

export const CHECK_ID = 'swarm-published-ports';
const q = shQuote;

export const PUBLISHED_PORTS_GUIDANCE =
  'Not changed unless asked for by service: remediate --unpublish SERVICE:PORT (stop publishing; reach it over an overlay network) ' +
  'or --host-mode SERVICE (publish in host mode, then put a proxy or DOCKER-USER rules in front); security groups restrict it without a change.';

export function buildSwarmPublishedPorts(ctx: BuilderContext): BuilderResult {
  const out: BuilderResult = { steps: [], guidance: [] };
  const services = ctx.view.manager.facts.services ?? [];
  const planned = new Set<string>();
  const instanceId = ctx.view.manager.instance.instanceId;
  const step = (kind: Step['kind'], fields: Omit<Step, 'id' | 'clusterId' | 'instanceId' | 'kind'>): Step => ({
    id: ctx.nextStepId(kind),
    clusterId: ctx.view.clusterId,
    instanceId,
    kind,
    ...fields,
  });

  for (const wanted of ctx.options.unpublish) {
    const service = services.find((s) => s.name === wanted.service);
    if (!service) continue;
    const ports = service.ports.filter((p) => p.publishedPort === wanted.port);
    if (ports.length === 0) throw new UsageError(`--unpublish ${wanted.service}:${wanted.port}: the service publishes no port ${wanted.port}`, 'UnknownPort');
    planned.add(service.name);
    for (const port of ports) {
      out.steps.push(
        step('service-publish-rm', {
          title: `stop publishing ${service.name} port ${port.publishedPort}/${port.protocol} (${port.publishMode} mode)`,
          why: `the operator asked to unpublish it; reach ${service.name} over an overlay network instead`,
          downtime: `clients reaching ${service.name} through port ${port.publishedPort} lose access; tasks are replaced`,
          precondition: { script: lines(`docker service inspect ${q(dockerName(service.name))} >/dev/null`), expect: `service ${service.name} exists` },
          script: lines(`if ${servicePublishes(service.name, port)}; then`, serviceUpdate(service.name, [`--publish-rm ${portArg(port)}`]), 'fi'),
          inverse: {
            instanceId,
            script: lines(`if ! ${servicePublishes(service.name, port)}; then`, serviceUpdate(service.name, [`--publish-add ${portArg(port)}`]), 'fi'),
          },
        }),
      );
    }
  }

  for (const name of ctx.options.hostMode) {
    const service = services.find((s) => s.name === name);
    if (!service) continue;
    const ingress = service.ports.filter((p) => p.publishMode === 'ingress' && p.publishedPort !== undefined);
    if (ingress.length === 0) continue;
    planned.add(service.name);
    out.steps.push(hostModeStep(step, service, ingress, instanceId));
  }

  for (const finding of ctx.findings.filter((f) => (f.status === 'FAIL' || f.status === 'WARN') && !planned.has(f.resource.name ?? f.resource.id))) {
    out.guidance.push({
      checkId: CHECK_ID,
      clusterId: ctx.view.clusterId,
      resource: finding.resource.name ?? finding.resource.id,
      message: `${finding.message} ${PUBLISHED_PORTS_GUIDANCE}`,
    });
  }
  return out;
}

function hostModeStep(
  step: (kind: Step['kind'], fields: Omit<Step, 'id' | 'clusterId' | 'instanceId' | 'kind'>) => Step,
  service: ServiceFacts,
  ports: PortFacts[],
  instanceId: string,
): Step {
  const toHost = [...ports.map((p) => `--publish-rm ${portArg(p, 'ingress')}`), ...ports.map((p) => `--publish-add ${portArg(p, 'host')}`)];
  const toIngress = [...ports.map((p) => `--publish-rm ${portArg(p, 'host')}`), ...ports.map((p) => `--publish-add ${portArg(p, 'ingress')}`)];
  const first = ports[0]!;
  return step('service-publish-add', {
    title: `switch ${service.name} ports ${ports.map((p) => `${p.publishedPort}/${p.protocol}`).join(', ')} to host mode`,
    why: 'host mode publishes only on nodes running a task (still on 0.0.0.0): put a proxy or DOCKER-USER firewall rules in front',
    downtime:
      `tasks of ${service.name} are replaced; the ports answer only on nodes running a task; ` +
      'two tasks on one node would clash on the port (use --mode global or placement constraints, and never --update-order start-first)',
    precondition: { script: lines(`docker service inspect ${q(dockerName(service.name))} >/dev/null`), expect: `service ${service.name} exists` },
    script: lines(`if ${servicePublishes(service.name, first, 'ingress')}; then`, serviceUpdate(service.name, toHost), 'fi'),
    inverse: { instanceId, script: lines(`if ${servicePublishes(service.name, first, 'host')}; then`, serviceUpdate(service.name, toIngress), 'fi') },
  });
}
