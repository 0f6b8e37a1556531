/**
 * The four plan kinds of the fault matrix, each with its own small sandbox
 * (own prefix and subnet, so each builds and tears down alone), the CLI
 * flags that plan it, and the step kinds CI covers: the destructive ones,
 * where a fault hurts most.
 */
import type { SandboxSpec } from '../../../../packages/sandbox/src/swarm/index.js';

export interface PlanKind {
  name: string;
  tag: string;
  spec: SandboxSpec;
  /** The node whose dockerd answers the snapshot (a manager no plan rejoins). */
  managerNode: string;
  /** Node labels added after `sandbox up` (the spec has none): the snapshot proves they survive. */
  nodeLabels: Record<string, Record<string, string>>;
  /** `remediate` flags that select exactly this plan. */
  planArgs: string[];
  /** The step kind CI injects at (the first step of that kind). */
  riskiestStep: string;
  /** CI also runs the fault-free control (apply, see the change, back out): only where the plan is quick. */
  controlInCi: boolean;
}

/** m1 the only manager, bound to its address; w1 a worker, bound or on the wildcard. */
const nodes = (opts: { bindWorker: boolean }) => [
  { name: 'm1', cluster: 'c1', role: 'manager' as const, bindListenAddr: true },
  { name: 'w1', cluster: 'c1', role: 'worker' as const, bindListenAddr: opts.bindWorker },
];

const nodeLabels = { m1: { zone: 'a', 'fault-matrix': 'kept' } };

export const NETWORK_MIGRATION: PlanKind = {
  name: 'network-migration',
  tag: 'Swarm=fxn',
  spec: {
    prefix: 'fxn',
    subnet: '10.77.211.0/24',
    clusters: [
      {
        name: 'c1',
        tags: { Swarm: 'fxn' },
        networks: [
          { name: 'plain', labels: { tier: 'front', owner: 'team-a' }, options: { 'com.docker.network.driver.mtu': '1400' }, attachable: true, subnet: '10.31.1.0/24' },
        ],
        services: [{ name: 'web', replicas: 1, networks: [{ name: 'plain', aliases: ['www', 'site'] }] }],
      },
    ],
    nodes: nodes({ bindWorker: true }),
  },
  managerNode: 'm1',
  nodeLabels,
  planArgs: ['--checks', 'overlay-encryption'],
  riskiestStep: 'network-remove',
  controlInCi: false,
};

const PUBLISHED_PORTS: PlanKind = {
  name: 'published-ports',
  tag: 'Swarm=fxp',
  spec: {
    prefix: 'fxp',
    subnet: '10.77.212.0/24',
    clusters: [
      {
        name: 'c1',
        tags: { Swarm: 'fxp' },
        // in the order `docker service update` sorts ports, as in the swp sandbox
        services: [
          { name: 'web', replicas: 1, ports: [{ published: 8080, target: 80 }, { published: 8088, target: 80 }] },
          { name: 'api', replicas: 1, ports: [{ published: 5353, target: 53, protocol: 'udp' }, { published: 8081, target: 81 }] },
        ],
      },
    ],
    nodes: nodes({ bindWorker: true }),
  },
  managerNode: 'm1',
  nodeLabels,
  planArgs: ['--checks', 'swarm-published-ports', '--unpublish', 'web:8088', '--host-mode', 'api'],
  riskiestStep: 'service-publish-rm',
  controlInCi: true,
};

const INGRESS_RECREATE: PlanKind = {
  name: 'ingress-recreate',
  tag: 'Swarm=fxi',
  spec: {
    prefix: 'fxi',
    subnet: '10.77.213.0/24',
    clusters: [
      {
        name: 'c1',
        tags: { Swarm: 'fxi' },
        services: [{ name: 'web', replicas: 1, ports: [{ published: 8080, target: 80 }] }],
      },
    ],
    nodes: nodes({ bindWorker: true }),
  },
  managerNode: 'm1',
  nodeLabels,
  planArgs: ['--checks', 'overlay-encryption', '--include-ingress'],
  riskiestStep: 'ingress-remove',
  controlInCi: false,
};

const LISTEN_REJOIN: PlanKind = {
  name: 'listen-address-rejoin',
  tag: 'Swarm=fxl',
  spec: {
    prefix: 'fxl',
    subnet: '10.77.214.0/24',
    clusters: [{ name: 'c1', tags: { Swarm: 'fxl' }, services: [{ name: 'app', mode: 'global' }] }],
    // w1 listens on the wildcard: its rejoin is the plan (a labelled node would be refused, so only m1 has labels)
    nodes: nodes({ bindWorker: false }),
  },
  managerNode: 'm1',
  nodeLabels,
  planArgs: ['--checks', 'swarm-listen-address'],
  riskiestStep: 'node-rejoin',
  controlInCi: true,
};

export const PLAN_KINDS: readonly PlanKind[] = [NETWORK_MIGRATION, PUBLISHED_PORTS, INGRESS_RECREATE, LISTEN_REJOIN];
