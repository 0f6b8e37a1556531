/**
 * overlay-encryption: migrate each unencrypted overlay network to an encrypted
 * one without losing anything (domain.md "B"): create the encrypted network on
 * a free subnet with the same labels, options, attachable, internal and IPAM;
 * `--network-add` it to every attached service with the same aliases and
 * driver options, then `--network-rm` the old one; remove the old network;
 * with keepName, hop back to the original name and subnet the same way.
 * Stack networks and `ingress` (unless includeIngress) get guidance only.
 */
import type { NetworkFacts, ServiceFacts, ServiceNetworkAttachment } from '../../probe/facts.js';
import { UsageError } from '../../errors.js';
import type { Guidance, Step } from '../plan.js';
import { dockerName, shQuote } from '../quote.js';
import { chooseFreeSubnet, firstHost } from '../subnet.js';
import { managerStep, type BuilderContext, type BuilderResult } from './context.js';
import {
  type NetworkSpec,
  lines,
  networkAttachmentArg,
  networkCreateCommand,
  networkEncrypted,
  networkExists,
  networkSpecOf,
  portArg,
  retry,
  serviceAttached,
  servicePublishes,
  serviceUpdate,
} from './scripts.js';

export const CHECK_ID = 'overlay-encryption';
const STACK_LABEL = 'com.docker.stack.namespace';
const q = shQuote;

export function buildOverlayEncryption(ctx: BuilderContext): BuilderResult {
  const facts = ctx.view.manager.facts;
  const networks = facts.networks ?? [];
  const services = facts.services ?? [];
  const out: BuilderResult = { steps: [], guidance: [] };
  const taken = networks.flatMap((n) => n.ipam.config.flatMap((c) => (c.subnet ? [c.subnet] : [])));
  const names = new Set(networks.map((n) => n.name));
  const nodeIps = ctx.view.members.flatMap((m) => (m.instance.privateIp ? [m.instance.privateIp] : []));
  nodeIps.push(...(facts.nodes ?? []).map((n) => n.addr).filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a)));

  for (const finding of ctx.findings.filter((f) => f.status === 'FAIL' && f.resource.type === 'network')) {
    const network = networks.find((n) => n.id === finding.resource.id || n.name === finding.resource.name);
    if (!network || 'encrypted' in network.options) {
      if (network) out.guidance.push(guidance(ctx, network.name, finding.message));
      continue;
    }
    const moves: Move[] = services.flatMap((service) =>
      service.networks.filter((a) => a.target === network.id).map((attachment) => ({ service, attachment })),
    );
    try {
      if (network.ingress) {
        if (!ctx.options.includeIngress) {
          out.guidance.push(guidance(ctx, network.name, 'ingress is not encrypted; it can only be encrypted by recreating it, with downtime for every published port: re-run with --include-ingress to plan it.'));
        } else {
          out.steps.push(...ingressSteps(ctx, network, services));
        }
        continue;
      }
      if (network.labels[STACK_LABEL]) {
        out.guidance.push(stackGuidance(ctx, network));
        continue;
      }
      const newName = freeName(`${network.name}-enc`, names);
      names.add(newName);
      const subnet = network.ipam.config[0]?.subnet;
      const newSubnet = subnet ? chooseFreeSubnet(subnet, taken, nodeIps) : undefined;
      if (newSubnet) taken.push(newSubnet);
      const from = networkSpecOf(network);
      const encrypted: NetworkSpec = {
        ...from,
        name: newName,
        encrypted: true,
        subnet: newSubnet,
        gateway: newSubnet ? firstHost(newSubnet) : undefined,
        ipRange: undefined,
      };
      out.steps.push(...migrationSteps(ctx, from, encrypted, moves));
      if (ctx.options.keepName) out.steps.push(...migrationSteps(ctx, encrypted, { ...from, encrypted: true }, moves));
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      out.guidance.push(guidance(ctx, network.name, `cannot plan a safe migration: ${err.message}`));
    }
  }
  return out;
}

function freeName(wanted: string, names: Set<string>): string {
  let name = wanted;
  for (let i = 2; names.has(name); i += 1) name = `${wanted}${i}`;
  return dockerName(name, 'new network name');
}

function guidance(ctx: BuilderContext, resource: string, message: string): Guidance {
  return { checkId: CHECK_ID, clusterId: ctx.view.clusterId, resource, message };
}

function stackGuidance(ctx: BuilderContext, network: NetworkFacts): Guidance {
  const stack = network.labels[STACK_LABEL]!;
  const short = network.name.startsWith(`${stack}_`) ? network.name.slice(stack.length + 1) : network.name;
  return {
    ...guidance(ctx, network.name, `network belongs to stack "${stack}": a later \`docker stack deploy\` would not convert it, so change the compose file and redeploy the stack.`),
    runbook: [
      'In the stack\'s compose file:',
      'networks:',
      `  ${short}:`,
      '    driver: overlay',
      '    driver_opts:',
      '      encrypted: ""',
      redeployCommand(stack),
    ],
  };
}

/** The label is free text anyone with API access can set: only a valid Docker name becomes a command, single-quoted. */
function redeployCommand(stack: string): string {
  try {
    const quoted = q(dockerName(stack, 'stack name'));
    return `Then: docker stack rm ${quoted} && docker stack deploy -c <compose file> ${quoted} (the network is recreated; downtime for the stack)`;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return `Then remove and redeploy the stack (no command given: ${err.message}).`;
  }
}

function downtimeOf(service: ServiceFacts): string {
  if (service.mode === 'replicated' && (service.replicas ?? 0) <= 1) {
    return `service ${service.name} has one replica: short outage while its task is replaced (stop-first update)`;
  }
  return `none expected: tasks of ${service.name} are replaced one at a time (default update parallelism 1)`;
}

/** One hop: from an existing network to a new one, moving every attached service across. */
interface Move {
  service: ServiceFacts;
  /** The original attachment: its aliases and driver options go with the service to every hop. */
  attachment: ServiceNetworkAttachment;
}

function migrationSteps(ctx: BuilderContext, from: NetworkSpec, to: NetworkSpec, moves: Move[]): Step[] {
  const instanceId = ctx.view.manager.instance.instanceId;
  const step = managerStep(ctx);
  const steps: Step[] = [];
  steps.push(
    step('network-create', {
      title: `create encrypted network ${to.name}${to.subnet ? ` on ${to.subnet}` : ''}`,
      why: `${from.name} is not encrypted and encryption cannot be changed in place; ${to.name} copies its labels, options, attachable, internal and IPAM${to.subnet === from.subnet ? '' : ' on a subnet that overlaps nothing in the cluster'}`,
      downtime: 'none',
      precondition: {
        script: lines(`if ${networkExists(to.name)}; then ${networkEncrypted(to.name)}; fi`),
        expect: `${to.name} does not exist yet (or exists encrypted from an earlier run)`,
      },
      script: lines(`if ${networkExists(to.name)}; then echo ${q(`${to.name} exists already`)}; exit 0; fi`, retry(networkCreateCommand(to))),
      inverse: { instanceId, script: lines(`if ${networkExists(to.name)}; then`, retry(`docker network rm ${q(to.name)} >/dev/null`), 'fi') },
    }),
  );
  for (const { service, attachment: copy } of moves) {
    steps.push(
      step('service-network-add', {
        title: `attach ${service.name} to ${to.name}${copy.aliases.length ? ` with aliases ${copy.aliases.join(', ')}` : ''}`,
        why: `${service.name} must reach its peers on ${to.name} before it leaves ${from.name}`,
        downtime: downtimeOf(service),
        precondition: {
          script: lines(`docker service inspect ${q(dockerName(service.name))} >/dev/null`, networkExists(to.name)),
          expect: `service ${service.name} and network ${to.name} exist`,
        },
        script: lines(
          `if ${serviceAttached(service.name, to.name)}; then echo already attached; exit 0; fi`,
          serviceUpdate(service.name, [`--network-add ${networkAttachmentArg(to.name, copy)}`]),
        ),
        inverse: {
          instanceId,
          script: lines(`if ${serviceAttached(service.name, to.name)}; then`, serviceUpdate(service.name, [`--network-rm ${q(to.name)}`]), 'fi'),
        },
        verify: to.encrypted ? { kind: 'ipsec-sa', service: service.name, network: to.name } : undefined,
      }),
    );
  }
  for (const { service, attachment } of moves) {
    steps.push(
      step('service-network-rm', {
        title: `detach ${service.name} from ${from.name}`,
        why: `${service.name} is on ${to.name} now; ${from.name} can only be removed once nothing uses it`,
        downtime: downtimeOf(service),
        precondition: {
          script: lines(serviceAttached(service.name, to.name)),
          expect: `${service.name} is attached to ${to.name} (never strand a service without its network)`,
        },
        script: lines(`if ${serviceAttached(service.name, from.name)}; then`, serviceUpdate(service.name, [`--network-rm ${q(from.name)}`]), 'fi'),
        inverse: {
          instanceId,
          script: lines(
            `if ! ${serviceAttached(service.name, from.name)}; then`,
            serviceUpdate(service.name, [`--network-add ${networkAttachmentArg(from.name, attachment)}`]),
            'fi',
          ),
        },
      }),
    );
  }
  steps.push(
    step('network-remove', {
      title: `remove ${from.encrypted ? 'intermediate' : 'unencrypted'} network ${from.name}`,
      why: `every service moved to ${to.name}`,
      downtime: 'none',
      precondition: {
        script: lines(
          `if ${networkExists(from.name)}; then`,
          `  oid=$(docker network inspect -f '{{.Id}}' ${q(from.name)})`,
          `  for s in $(docker service ls -q); do docker service inspect -f '{{range .Spec.TaskTemplate.Networks}}{{.Target}} {{end}}' "$s"; done | tr ' ' '\\n' | grep -qx "$oid" && exit 1`,
          'fi',
          'exit 0',
        ),
        expect: `no service is attached to ${from.name}`,
      },
      script: lines(`if ${networkExists(from.name)}; then`, retry(`docker network rm ${q(from.name)} >/dev/null`), 'fi'),
      inverse: { instanceId, script: lines(`if ! ${networkExists(from.name)}; then`, retry(networkCreateCommand(from)), 'fi') },
    }),
  );
  return steps;
}

/** Recreate `ingress` encrypted: unpublish, remove, create, republish. Downtime for every ingress-published port. */
function ingressSteps(ctx: BuilderContext, ingress: NetworkFacts, services: ServiceFacts[]): Step[] {
  const instanceId = ctx.view.manager.instance.instanceId;
  const ports = (s: ServiceFacts) => s.ports.filter((p) => p.publishMode === 'ingress' && p.publishedPort !== undefined);
  const publishing = services.filter((s) => ports(s).length > 0);
  // A dynamically assigned ingress port cannot be unpublished and restored as it was (and would keep ingress in use).
  const dynamic = services.flatMap((s) => s.ports.filter((p) => p.publishMode === 'ingress' && p.publishedPort === undefined).map((p) => `${s.name} ->${p.targetPort}/${p.protocol}`));
  if (dynamic.length > 0) {
    throw new UsageError(`ingress-mode ports without a fixed published port (${dynamic.join(', ')}) could not be restored as they were after the recreate: publish them on fixed ports first`, 'UnsafePortChange');
  }
  const downtime = `published ports ${publishing.flatMap((s) => ports(s).map((p) => `${s.name}:${p.publishedPort}/${p.protocol}`)).join(', ') || '(none)'} are unreachable from the first unpublish until they are restored`;
  const step = managerStep(ctx);
  const original = networkSpecOf(ingress);
  const encrypted: NetworkSpec = { ...original, encrypted: true };
  const steps: Step[] = [];
  for (const s of publishing) {
    const rm = ports(s).map((p) => `--publish-rm ${portArg(p)}`);
    const add = ports(s).map((p) => `--publish-add ${portArg(p)}`);
    steps.push(
      step('service-publish-rm', {
        title: `unpublish ${s.name}'s ingress ports for the ingress recreate`,
        why: 'ingress can only be removed when no service publishes through it',
        downtime,
        precondition: { script: lines(`docker service inspect ${q(dockerName(s.name))} >/dev/null`), expect: `service ${s.name} exists` },
        script: lines(`if ${servicePublishes(s.name, ports(s)[0]!)}; then`, serviceUpdate(s.name, rm), 'fi'),
        inverse: { instanceId, script: lines(`if ! ${servicePublishes(s.name, ports(s)[0]!)}; then`, serviceUpdate(s.name, add), 'fi') },
      }),
    );
  }
  const name = q(dockerName(ingress.name, 'network name'));
  const ingressPresent = `docker network ls --filter driver=overlay --format '{{.Name}}' | grep -qx ${name}`;
  const encryptedNow = networkEncrypted(ingress.name);
  // `docker network rm ingress` returns while the manager still lists it for about a second (verified on 20.10.24):
  // wait until it is gone, or the next step would find it.
  const removeIngress = (which: 'encrypted' | 'unencrypted') => {
    const isIt = which === 'encrypted' ? `${ingressPresent} && ${encryptedNow}` : `${ingressPresent} && ! ${encryptedNow}`;
    return [
      `if ${isIt}; then`,
      retry(`echo y | docker network rm ${name} >/dev/null`),
      'fi',
      `i=0; while ${isIt}; do i=$((i+1)); if [ "$i" -ge 60 ]; then echo "the ${which} ${ingress.name} network is still listed after 60s" >&2; exit 1; fi; sleep 1; done`,
    ].join('\n');
  };
  // Swarm hands a new ingress network to a node only when the node object changes (verified on 20.10.24: a worker
  // without tasks still had no ingress 50 s after the create, and had it a second after a node update). So every
  // node gets a no-op update (its own availability), then we wait until every Ready node is an ingress peer:
  // without that, the routing mesh answers only on nodes that happen to run a publishing task.
  const handIngressToNodes = [
    'hand_over() {',
    '  for id in $(docker node ls -q); do',
    '    docker node update --availability "$(docker node inspect -f \'{{.Spec.Availability}}\' "$id")" "$id" >/dev/null',
    '  done',
    '}',
    "want=$(docker node ls --format '{{.Status}}' | grep -cx Ready || true)",
    // an update that races the new network's allocation hands the node nothing: repeat it every 10 s while waiting
    `hand_over; i=0; until [ "$(docker network inspect -f '{{len .Peers}}' ${name})" -ge "$want" ]; do i=$((i+1)); if [ "$i" -ge 60 ]; then echo "${ingress.name} reached $(docker network inspect -f '{{len .Peers}}' ${name}) of $want ready nodes after 60s" >&2; exit 1; fi; if [ $((i % 10)) -eq 0 ]; then hand_over; fi; sleep 1; done`,
  ].join('\n');
  steps.push(
    step('ingress-remove', {
      title: `remove the unencrypted ingress network ${ingress.name}`,
      why: 'ingress encryption cannot be changed in place; only one ingress network may exist',
      downtime,
      precondition: {
        script: lines(`for s in $(docker service ls -q); do docker service inspect -f '{{with .Spec.EndpointSpec}}{{range .Ports}}{{.PublishMode}}{{"\\n"}}{{end}}{{end}}' "$s"; done | grep -qx ingress && exit 1`, 'exit 0'),
        expect: 'no service publishes a port in ingress mode',
      },
      script: lines(removeIngress('unencrypted')),
      inverse: { instanceId, script: lines(`if ! ${ingressPresent}; then`, retry(networkCreateCommand(original)), 'fi', handIngressToNodes) },
    }),
  );
  steps.push(
    step('ingress-create', {
      title: `create encrypted ingress network ${ingress.name} on ${original.subnet ?? 'a Docker-chosen subnet'}`,
      why: 'the routing mesh needs an ingress network; this one encrypts node-to-node traffic. Every node gets a no-op update (its own availability) so that Swarm hands it the new ingress',
      downtime,
      precondition: { script: lines(`if ${ingressPresent}; then ${encryptedNow}; fi`), expect: 'no ingress network exists (or the encrypted one from an earlier run)' },
      script: lines(`if ! ${ingressPresent}; then`, retry(networkCreateCommand(encrypted)), 'fi', handIngressToNodes),
      inverse: { instanceId, script: lines(removeIngress('encrypted')) },
    }),
  );
  for (const s of publishing) {
    const rm = ports(s).map((p) => `--publish-rm ${portArg(p)}`);
    const add = ports(s).map((p) => `--publish-add ${portArg(p)}`);
    steps.push(
      step('service-publish-add', {
        title: `restore ${s.name}'s published ports ${ports(s).map((p) => `${p.publishedPort}/${p.protocol}`).join(', ')}`,
        why: 'published services are restored on the encrypted ingress',
        downtime,
        precondition: { script: lines(networkEncrypted(ingress.name)), expect: `${ingress.name} exists and is encrypted` },
        script: lines(`if ! ${servicePublishes(s.name, ports(s)[0]!)}; then`, serviceUpdate(s.name, add), 'fi'),
        inverse: { instanceId, script: lines(`if ${servicePublishes(s.name, ports(s)[0]!)}; then`, serviceUpdate(s.name, rm), 'fi') },
        // the routing mesh now carries this service's traffic encrypted: the IPsec precheck gates the plan (--force to override)
        verify: { kind: 'ipsec-sa', service: s.name, network: ingress.name },
      }),
    );
  }
  return steps;
}
