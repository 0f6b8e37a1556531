/**
 * Shared pieces of the remediation integration tests: the sandbox swarm
 * (prefix swf), the local SSM endpoint in-process, the audit through SSM,
 * and an independent view of the cluster state read straight from Docker.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { runAudit } from '../../../src/audit/run-audit.js';
import { createAwsClients, type AwsClients } from '../../../src/aws/client-factory.js';
import { allChecks } from '../../../src/checks/registry.js';
import type { AuditedHost, Finding } from '../../../src/checks/types.js';
import { auditedHostsOf } from '../../../src/remediation/cluster-view.js';
import type { FleetFile } from '../../../packages/sandbox/src/fleet-file-types.js';
import { startEndpoint, type RunningEndpoint } from '../../../packages/sandbox/src/endpoint/server.js';
import type { SandboxSpec, SandboxState } from '../../../packages/sandbox/src/swarm/index.js';

const PREFIX = 'swf';
export const TAG = 'Swarm=swf';
import { SANDBOX_CREDENTIALS as CREDENTIALS } from '../cli-runner.js';

export { CREDENTIALS };

export const SPEC: SandboxSpec = {
  prefix: PREFIX,
  subnet: '10.77.150.0/24',
  clusters: [
    {
      name: 'c1',
      tags: { Swarm: 'swf' },
      networks: [
        { name: 'enc', options: { encrypted: '' } },
        { name: 'plain', labels: { tier: 'front' }, attachable: true, subnet: '10.30.1.0/24' },
      ],
      services: [
        { name: 'web', replicas: 1, ports: [{ published: 8080, target: 80 }], networks: [{ name: 'plain', aliases: ['www'] }] },
        // tasks on every node of the encrypted network: the IPsec evidence (or its failure) is real
        { name: 'api', mode: 'global', networks: [{ name: 'enc' }] },
      ],
    },
  ],
  nodes: [
    { name: 'm1', cluster: 'c1', role: 'manager', bindListenAddr: true },
    { name: 'm2', cluster: 'c1', role: 'manager' },
    { name: 'w1', cluster: 'c1', role: 'worker' },
  ],
};

export function canRunSandbox(): boolean {
  try {
    return process.platform === 'linux' && process.getuid?.() === 0 && Boolean(execFileSync('/usr/bin/docker', ['--version']));
  } catch {
    return false;
  }
}

export function docker(socket: string, args: string[]): string {
  return execFileSync('/usr/bin/docker', ['-H', `unix://${socket}`, ...args], {
    encoding: 'utf8',
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface Harness {
  state: SandboxState;
  fleet: FleetFile;
  endpoint: RunningEndpoint;
  clients: AwsClients;
  audit(): Promise<{ hosts: AuditedHost[]; findings: Finding[] }>;
}

/** The endpoint in-process over the sandbox's fleet file, and an audit of the instances tagged `tag` through it. */
export async function startHarness(state: SandboxState, logger: Logger, tag = TAG): Promise<Harness> {
  const fleet = JSON.parse(readFileSync(state.fleetFile, 'utf8')) as FleetFile;
  const endpoint = await startEndpoint({ fleet, logger });
  const clients = createAwsClients({ region: fleet.region, endpointUrl: endpoint.url, credentials: CREDENTIALS });
  const audit = async () => {
    const run = await runAudit(
      { ssm: clients.ssm, ec2: clients.ec2, logger },
      { tags: [tag], tagKeys: [], checks: [...allChecks], config: { checks: {} }, concurrency: 8, timeoutMs: 90_000 },
    );
    return { hosts: auditedHostsOf(run.hosts), findings: run.report.results };
  };
  return { state, fleet, endpoint, clients, audit };
}

/**
 * What backout must restore, read from Docker directly (not through our probe):
 * networks, service attachments with aliases, published ports, node roles and
 * availability, and each node's swarm listen address.
 */
export function clusterState(state: SandboxState): unknown {
  const manager = state.nodes.find((n) => n.name === 'm1')!.socket;
  const d = (args: string[]) => docker(manager, args);
  const inspect = (kind: string, ids: string[]) => (ids.length ? (JSON.parse(d([kind, 'inspect', ...ids])) as Record<string, any>[]) : []);
  const networks = inspect('network', d(['network', 'ls', '--filter', 'driver=overlay', '-q']).split('\n').filter(Boolean));
  const nameOf = new Map(networks.map((n) => [n.Id as string, n.Name as string]));
  const services = inspect('service', d(['service', 'ls', '-q']).split('\n').filter(Boolean));
  const nodes = inspect('node', d(['node', 'ls', '-q']).split('\n').filter(Boolean));
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return {
    networks: networks
      .map((n) => {
        const options = { ...(n.Options ?? {}) };
        delete options['com.docker.network.driver.overlay.vxlanid_list'];
        return {
          name: n.Name,
          ingress: n.Ingress,
          internal: n.Internal,
          attachable: n.Attachable,
          labels: n.Labels ?? {},
          options,
          ipam: (n.IPAM?.Config ?? []).map((c: any) => ({ subnet: c.Subnet, gateway: c.Gateway })),
        };
      })
      .sort(byName),
    services: services
      .map((s) => ({
        name: s.Spec.Name,
        networks: (s.Spec.TaskTemplate.Networks ?? [])
          .map((a: any) => ({ network: nameOf.get(a.Target) ?? a.Target, aliases: [...(a.Aliases ?? [])].sort(), driverOpts: a.DriverOpts ?? {} }))
          .sort((a: any, b: any) => a.network.localeCompare(b.network)),
        ports: s.Spec.EndpointSpec?.Ports ?? [],
      }))
      .sort(byName),
    nodes: nodes
      .map((n) => ({ name: n.Description.Hostname, role: n.Spec.Role, availability: n.Spec.Availability, state: n.Status.State }))
      .sort(byName),
    listen: state.nodes
      .filter((n) => n.docker === 'running')
      .map((n) => {
        const root = docker(n.socket, ['info', '-f', '{{.DockerRootDir}}']).trim();
        const swarmState = JSON.parse(readFileSync(`${root}/swarm/docker-state.json`, 'utf8')) as { ListenAddr: string; AdvertiseAddr: string };
        return { name: n.name, listenAddr: swarmState.ListenAddr, advertiseAddr: swarmState.AdvertiseAddr };
      }),
  };
}

export async function waitFor(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
