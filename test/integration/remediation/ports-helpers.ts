/**
 * Pieces of the published-ports and ingress integration test: its own sandbox
 * (prefix swp: one single-manager cluster whose manager is not bound, with
 * ingress-mode and host-mode published ports), the harness on its tag, the
 * CLI as a child process, and views of ports and ingress read straight from
 * Docker (not through our probe).
 */
import type { Logger } from 'pino';
import type { SandboxSpec, SandboxState } from '../../../packages/sandbox/src/swarm/index.js';
import { runCli as runSwarmAudit, type CliRun } from '../cli-runner.js';
import { docker, startHarness, type Harness } from './helpers.js';

export const SWP_TAG = 'Swarm=swp';

export const SWP_SPEC: SandboxSpec = {
  prefix: 'swp',
  subnet: '10.77.160.0/24',
  clusters: [
    {
      name: 'solo',
      tags: { Swarm: 'swp' },
      // IPsec evidence for the precheck: tasks on both nodes of an encrypted network (this kernel cannot install the SAs)
      networks: [{ name: 'sec', options: { encrypted: '' } }],
      // Ports in the order docker/cli's `service update` sorts them ("published:target/protocol/mode" as text),
      // so a port list restored by an update compares equal to the one `service create` made.
      services: [
        // two published ports on one target port: unpublishing one must leave the other
        { name: 'web', replicas: 1, ports: [{ published: 8080, target: 80 }, { published: 8088, target: 80 }] },
        { name: 'api', replicas: 1, ports: [{ published: 5353, target: 53, protocol: 'udp' }, { published: 8081, target: 81 }] },
        { name: 'edge', replicas: 1, ports: [{ published: 8443, target: 443, mode: 'host' }] },
        { name: 'agent', mode: 'global', networks: [{ name: 'sec' }] },
      ],
    },
  ],
  nodes: [
    // the only manager, listeners on the wildcard: swarm-listen-address must refuse it
    { name: 'm1', cluster: 'solo', role: 'manager', bindListenAddr: false },
    { name: 'w1', cluster: 'solo', role: 'worker', bindListenAddr: true },
  ],
};

/** startHarness of helpers.ts, audited on this sandbox's tag. */
export function startSwpHarness(state: SandboxState, logger: Logger): Promise<Harness> {
  return startHarness(state, logger, SWP_TAG);
}

export interface PortView {
  Protocol: string;
  TargetPort: number;
  PublishedPort: number;
  PublishMode: string;
}

const portKey = (p: PortView) => `${p.Protocol}/${p.TargetPort}/${p.PublishedPort}/${p.PublishMode}`;

function portsOf(list: unknown): PortView[] {
  return ((list as Record<string, unknown>[] | undefined) ?? [])
    .map((p) => ({
      Protocol: String(p.Protocol),
      TargetPort: Number(p.TargetPort),
      PublishedPort: Number(p.PublishedPort),
      PublishMode: (p.PublishMode as string | undefined) ?? 'ingress',
    }))
    .sort((a, b) => portKey(a).localeCompare(portKey(b)));
}

/**
 * Per service, from `docker service inspect`: the ports of Endpoint.Spec
 * (what the allocator works from) and Endpoint.Ports (what it allocated).
 * Sorted: `docker service update` sorts the port list, so the order is no part of the state.
 */
export function servicePorts(socket: string): Record<string, { spec: PortView[]; allocated: PortView[] }> {
  const ids = docker(socket, ['service', 'ls', '-q']).split('\n').filter(Boolean);
  const services = JSON.parse(docker(socket, ['service', 'inspect', ...ids])) as Record<string, any>[];
  return Object.fromEntries(
    services
      .map((s) => [s.Spec.Name as string, { spec: portsOf(s.Endpoint?.Spec?.Ports), allocated: portsOf(s.Endpoint?.Ports) }] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** The ingress network as `docker network inspect` shows it; the VNI Docker allocates is left out. */
export function ingressView(socket: string): { id: string; name: string; ingress: boolean; options: Record<string, string>; ipam: unknown; labels: unknown } {
  const name = docker(socket, ['network', 'ls', '--filter', 'driver=overlay', '--format', '{{.Name}} {{.ID}}'])
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ')[0])
    .find((n) => (JSON.parse(docker(socket, ['network', 'inspect', n]))[0] as { Ingress: boolean }).Ingress);
  if (!name) throw new Error('no ingress network');
  const n = JSON.parse(docker(socket, ['network', 'inspect', name]))[0] as Record<string, any>;
  const options = { ...(n.Options ?? {}) } as Record<string, string>;
  delete options['com.docker.network.driver.overlay.vxlanid_list'];
  return {
    id: n.Id,
    name: n.Name,
    ingress: n.Ingress,
    options,
    ipam: { driver: n.IPAM?.Driver, config: (n.IPAM?.Config ?? []).map((c: any) => ({ subnet: c.Subnet, gateway: c.Gateway })) },
    labels: n.Labels ?? {},
  };
}

export type { CliRun };

/** The shared CLI runner, in this sandbox's region. */
export function runCli(args: string[], region: string, timeoutMs?: number): Promise<CliRun> {
  return runSwarmAudit(args, { AWS_REGION: region }, timeoutMs);
}
