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
import { dockerName, shQuote } from '../quote.js';
import { managerStep, type BuilderContext, type BuilderResult, type StepFactory } from './context.js';
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
  const step = managerStep(ctx);

  for (const wanted of ctx.options.unpublish) {
    const service = services.find((s) => s.name === wanted.service);
    if (!service) continue;
    const ports = service.ports.filter((p) => p.publishedPort === wanted.port);
    if (ports.length === 0) throw new UsageError(`--unpublish ${wanted.service}:${wanted.port}: the service publishes no port ${wanted.port}`, 'UnknownPort');
    planned.add(service.name);
    const listed = new Set(ctx.options.unpublish.filter((u) => u.service === service.name).map((u) => u.port));
    for (const port of ports) out.steps.push(unpublishStep(step, service, port, listed, instanceId));
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

/** `if any of ports is not published; then publish them all; fi` (Docker skips those already there). */
function ensurePublished(service: string, ports: PortFacts[]): string | undefined {
  if (ports.length === 0) return undefined;
  const missing = ports.map((p) => `! ${servicePublishes(service, p)}`).join(' || ');
  return [`if ${missing}; then`, serviceUpdate(service, ports.map((p) => `--publish-add ${portArg(p)}`)), 'fi'].join('\n');
}

function unpublishStep(step: StepFactory, service: ServiceFacts, port: PortFacts, listed: Set<number>, instanceId: string): Step {
  const what = `--unpublish ${service.name}:${port.publishedPort}`;
  const group = [port, ...siblingsOf(service, [port], what)];
  // siblings the operator did not list: they stay published (a second update puts them back)
  const keep = group.filter((p) => p !== port && !listed.has(p.publishedPort!));
  const keepText = keep.map((p) => `${p.publishedPort}/${p.protocol}`).join(', ');
  return step('service-publish-rm', {
    title: `stop publishing ${service.name} port ${port.publishedPort}/${port.protocol} (${port.publishMode} mode)`,
    why:
      `the operator asked to unpublish it; reach ${service.name} over an overlay network instead` +
      (keep.length ? `; ${keepText} share${keep.length === 1 ? 's' : ''} its target port, which Docker's --publish-rm removes as well, so a second update publishes ${keep.length === 1 ? 'it' : 'them'} again` : ''),
    downtime:
      `clients reaching ${service.name} through port ${port.publishedPort} lose access; tasks are replaced` +
      (keep.length ? `; ports ${keepText} are unreachable between the two updates` : ''),
    precondition: { script: lines(`docker service inspect ${q(dockerName(service.name))} >/dev/null`), expect: `service ${service.name} exists` },
    script: lines(`if ${servicePublishes(service.name, port)}; then`, serviceUpdate(service.name, [`--publish-rm ${portArg(port)}`]), 'fi', ensurePublished(service.name, keep)),
    // the removal took the whole group with it: the undo puts the whole group back
    inverse: { instanceId, script: lines(ensurePublished(service.name, group)) },
  });
}

function hostModeStep(step: StepFactory, service: ServiceFacts, ports: PortFacts[], instanceId: string): Step {
  const what = `--host-mode ${service.name}`;
  // every ingress port goes (all are switched); dynamic ones in the same group could not be put back
  siblingsOf(service, ports, what);
  const hostPorts = ports.map((p) => ({ ...p, publishMode: 'host' as const }));
  // host-mode ports the service already had on a switched target: the undo's --publish-rm of host mode takes them too
  const hostSiblings = siblingsOf(service, hostPorts, what);
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
    inverse: {
      instanceId,
      script: lines(`if ${servicePublishes(service.name, first, 'host')}; then`, serviceUpdate(service.name, toIngress), 'fi', ensurePublished(service.name, hostSiblings)),
    },
  });
}
