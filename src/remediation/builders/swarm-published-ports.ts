/**
 * swarm-published-ports: Swarm cannot bind a published port to a host IP
 * (PortConfig has no host IP; moby #26696, #32299), so no plan pretends to.
 * Only the two real changes are offered, and only for services the operator
 * names: unpublish a listed port, or switch a service's ingress ports to host
 * mode. Everything else gets the guidance. Never `--endpoint-mode dnsrr` with
 * an ingress port: Docker rejects it.
 *
 * docker/cli's `service update --publish-rm` removes every port with the given
 * target port, protocol and mode, whatever its published port, and
 * `--publish-add` in the same update skips a port the service had before it
 * (cli/command/service/update.go updatePorts; verified here on 20.10.24:
 * `--publish-rm published=8088,target=80` also removed 8080->80). So a port
 * that shares its target with the one removed ("sibling") is put back by a
 * second update, and every inverse restores the whole group it touched.
 */
import type { PortFacts, ServiceFacts } from '../../probe/facts.js';
import { UsageError } from '../../errors.js';
import type { Step } from '../plan.js';
import { managerStep, type BuilderContext, type BuilderResult, type StepFactory } from './context.js';
import { publishedPortOf } from './intent-fields.js';

export const CHECK_ID = 'swarm-published-ports';

const PUBLISHED_PORTS_GUIDANCE =
  'Not changed unless asked for by service: remediate --unpublish SERVICE:PORT (stop publishing; reach it over an overlay network) ' +
  'or --host-mode SERVICE (publish in host mode, then put a proxy or DOCKER-USER rules in front); security groups restrict it without a change.';

export function buildSwarmPublishedPorts(ctx: BuilderContext): BuilderResult {
  const out: BuilderResult = { steps: [], guidance: [] };
  const services = ctx.view.manager.facts.services ?? [];
  const planned = new Set<string>();
  const step = managerStep(ctx);

  for (const wanted of ctx.options.unpublish) {
    const service = services.find((s) => s.name === wanted.service);
    if (!service) continue;
    const ports = service.ports.filter((p) => p.publishedPort === wanted.port);
    if (ports.length === 0) throw new UsageError(`--unpublish ${wanted.service}:${wanted.port}: the service publishes no port ${wanted.port}`, 'UnknownPort');
    planned.add(service.name);
    const listed = new Set(ctx.options.unpublish.filter((u) => u.service === service.name).map((u) => u.port));
    for (const port of ports) out.steps.push(unpublishStep(step, service, port, listed));
  }

  for (const name of ctx.options.hostMode) {
    const service = services.find((s) => s.name === name);
    if (!service) continue;
    const ingress = service.ports.filter((p) => p.publishMode === 'ingress' && p.publishedPort !== undefined);
    if (ingress.length === 0) continue;
    planned.add(service.name);
    out.steps.push(hostModeStep(step, service, ingress));
  }

  for (const finding of ctx.findings.filter((f) => (f.status === 'FAIL' || f.status === 'WARN') && !planned.has(f.resource.name ?? f.resource.id))) {
    out.guidance.push({
      checkId: CHECK_ID,
      clusterId: ctx.view.clusterId,
      resource: finding.resource.name ?? finding.resource.id,
      message: `${finding.message.replace(/\.?$/, '.')} ${PUBLISHED_PORTS_GUIDANCE}`,
    });
  }
  return out;
}

const sameGroup = (a: PortFacts, b: PortFacts) => a.protocol === b.protocol && a.targetPort === b.targetPort && a.publishMode === b.publishMode;
const show = (p: PortFacts) => `${p.publishedPort ?? 'dynamic'}->${p.targetPort}/${p.protocol} (${p.publishMode})`;

/** The service's other ports that a `--publish-rm` of `ports` would take with them; refused when one cannot be put back. */
function siblingsOf(service: ServiceFacts, ports: PortFacts[], what: string): PortFacts[] {
  const siblings = service.ports.filter((p) => !ports.includes(p) && ports.some((r) => sameGroup(p, r)));
  const dynamic = siblings.find((p) => p.publishedPort === undefined);
  if (dynamic) {
    throw new UsageError(
      `${what}: ${service.name} also publishes ${show(dynamic)}; Docker's --publish-rm would remove it too and a dynamically assigned port cannot be put back as it was`,
      'UnsafePortChange',
    );
  }
  return siblings;
}

function unpublishStep(step: StepFactory, service: ServiceFacts, port: PortFacts, listed: Set<number>): Step {
  const what = `--unpublish ${service.name}:${port.publishedPort}`;
  const group = [port, ...siblingsOf(service, [port], what)];
  // siblings the operator did not list: they stay published (a second update puts them back)
  const keep = group.filter((p) => p !== port && !listed.has(p.publishedPort!));
  return step('service-publish-rm', { service: service.name, port: publishedPortOf(port), keep: keep.map(publishedPortOf), group: group.map(publishedPortOf) });
}

function hostModeStep(step: StepFactory, service: ServiceFacts, ports: PortFacts[]): Step {
  const what = `--host-mode ${service.name}`;
  // every ingress port goes (all are switched); dynamic ones in the same group could not be put back
  siblingsOf(service, ports, what);
  const hostPorts = ports.map((p) => ({ ...p, publishMode: 'host' as const }));
  // host-mode ports the service already had on a switched target: the undo's --publish-rm of host mode takes them too
  const hostSiblings = siblingsOf(service, hostPorts, what);
  return step('service-publish-add', { service: service.name, ports: ports.map(publishedPortOf), hostSiblings: hostSiblings.map(publishedPortOf) });
}
