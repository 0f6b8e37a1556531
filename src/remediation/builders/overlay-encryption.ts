/**
 * overlay-encryption: migrate each unencrypted overlay network to an encrypted
 * one without losing anything (docs/docker.md, "Overlay encryption"): create the encrypted network on
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
import { publishedPortOf, type PublishedPort } from './intent-fields.js';
import { type NetworkSpec, networkSpecOf } from './scripts.js';

export const CHECK_ID = 'overlay-encryption';
const STACK_LABEL = 'com.docker.stack.namespace';

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
  const stack = network.labels[STACK_LABEL];
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
    const quoted = shQuote(dockerName(stack, 'stack name'));
    return `Then: docker stack rm ${quoted} && docker stack deploy -c <compose file> ${quoted} (the network is recreated; downtime for the stack)`;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return `Then remove and redeploy the stack (no command given: ${err.message}).`;
  }
}

const singleReplica = (service: ServiceFacts) => service.mode === 'replicated' && (service.replicas ?? 0) <= 1;

/** One hop: from an existing network to a new one, moving every attached service across. */
interface Move {
  service: ServiceFacts;
  /** The original attachment: its aliases and driver options go with the service to every hop. */
  attachment: ServiceNetworkAttachment;
}

function migrationSteps(ctx: BuilderContext, from: NetworkSpec, to: NetworkSpec, moves: Move[]): Step[] {
  const step = managerStep(ctx);
  const copy = ({ aliases, driverOpts }: ServiceNetworkAttachment) => ({ aliases, driverOpts });
  return [
    step('network-create', { network: to, replaces: from.name }),
    ...moves.map(({ service, attachment }) =>
      step('service-network-add', { service: service.name, network: to.name, attachment: copy(attachment), singleReplica: singleReplica(service) }),
    ),
    ...moves.map(({ service, attachment }) =>
      step('service-network-rm', { service: service.name, network: from.name, replacement: to.name, attachment: copy(attachment), singleReplica: singleReplica(service) }),
    ),
    step('network-remove', { network: from, movedTo: to.name }),
  ];
}

/** Recreate `ingress` encrypted: unpublish, remove, create, republish. Downtime for every ingress-published port. */
function ingressSteps(ctx: BuilderContext, ingress: NetworkFacts, services: ServiceFacts[]): Step[] {
  const ports = (s: ServiceFacts): PublishedPort[] => s.ports.filter((p) => p.publishMode === 'ingress' && p.publishedPort !== undefined).map(publishedPortOf);
  const publishing = services.filter((s) => ports(s).length > 0);
  // A dynamically assigned ingress port cannot be unpublished and restored as it was (and would keep ingress in use).
  const dynamic = services.flatMap((s) => s.ports.filter((p) => p.publishMode === 'ingress' && p.publishedPort === undefined).map((p) => `${s.name} ->${p.targetPort}/${p.protocol}`));
  if (dynamic.length > 0) {
    throw new UsageError(`ingress-mode ports without a fixed published port (${dynamic.join(', ')}) could not be restored as they were after the recreate: publish them on fixed ports first`, 'UnsafePortChange');
  }
  const outage = publishing.flatMap((s) => ports(s).map((port) => ({ service: s.name, port })));
  const step = managerStep(ctx);
  const original = networkSpecOf(ingress);
  return [
    ...publishing.map((s) => step('ingress-unpublish', { service: s.name, ports: ports(s), outage })),
    step('ingress-remove', { network: original, outage }),
    step('ingress-create', { network: { ...original, encrypted: true }, outage }),
    ...publishing.map((s) => step('ingress-republish', { service: s.name, ports: ports(s), outage, network: ingress.name })),
  ];
}
