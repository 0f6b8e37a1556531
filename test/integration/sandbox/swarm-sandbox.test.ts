import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxStatus, sandboxUp, type SandboxSpec, type SandboxState } from '../../../packages/sandbox/src/swarm/index.js';
import type { FleetFile } from '../../../packages/sandbox/src/fleet-file-types.js';
import { canRunSandbox, docker, leftovers, listenersIn, NOTHING_LEFT } from './helpers.js';

const DIR = '/tmp/swb-sandbox-it';
const PREFIX = 'swb';
const contractEndpoint = fileURLToPath(new URL('./fixtures/contract-endpoint.mjs', import.meta.url));

const spec: SandboxSpec = {
  prefix: PREFIX,
  subnet: '10.77.120.0/24',
  clusters: [
    {
      name: 'c1',
      tags: { Swarm: 'c1' },
      networks: [
        { name: 'enc', options: { encrypted: '' }, attachable: true },
        { name: 'plain', labels: { tier: 'front' } },
      ],
      services: [
        { name: 'web', replicas: 2, ports: [{ published: 8080, target: 80 }], networks: [{ name: 'plain', aliases: ['www'] }] },
        { name: 'hostport', replicas: 1, ports: [{ published: 9100, target: 9100, mode: 'host' }] },
        { name: 'api', replicas: 2, networks: [{ name: 'enc', aliases: ['api-internal'] }] },
      ],
    },
  ],
  nodes: [
    { name: 'm1', cluster: 'c1', role: 'manager', bindListenAddr: true },
    { name: 'w1', cluster: 'c1', role: 'worker' },
    { name: 'idle', cluster: 'c1', swarm: false },
    { name: 'off', cluster: 'c1', docker: 'stopped', swarm: false, agent: 'offline' },
  ],
};

const maybe = canRunSandbox() ? describe : describe.skip;
if (!canRunSandbox()) console.warn('sandbox integration tests skipped: they need Linux, root and docker.io');

maybe('sandbox up / status / down on a real swarm', () => {
  let state: SandboxState;

  beforeAll(async () => {
    await sandboxDown({ dir: DIR }); // a previous run that died before its afterAll
    state = await sandboxUp({ spec, dir: DIR, endpointCommand: [process.execPath, contractEndpoint] });
    console.log(`sandbox up in ${state.timings.totalMs} ms: ${JSON.stringify(state.timings)}`);
  }, 120_000);

  afterAll(async () => {
    await sandboxDown({ dir: DIR });
  }, 60_000);

  const node = (name: string) => state.nodes.find((n) => n.name === name)!;

  it('creates one namespace per node, including the one whose docker is stopped', () => {
    for (const n of state.nodes) expect(existsSync(`/var/run/netns/${n.netns}`)).toBe(true);
    expect(state.nodes.map((n) => n.netns).sort()).toEqual(['swb-idle', 'swb-m1', 'swb-off', 'swb-w1']);
  });

  it('forms the swarm with each node under its own hostname', () => {
    const nodes = docker(node('m1').socket, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}']);
    expect(nodes.trim().split('\n').map((l) => l.trim()).sort()).toEqual(['m1 Ready Leader', 'w1 Ready']);
    expect(state.clusters).toEqual([{ name: 'c1', managerNode: 'm1', clusterId: expect.stringMatching(/^[a-z0-9]{25}$/) }]);
    expect(docker(node('idle').socket, ['info', '--format', '{{.Swarm.LocalNodeState}} {{.Name}}']).trim()).toBe('inactive idle');
  });

  it('binds the manager listeners to its IP and leaves the worker on the wildcard', () => {
    const manager = listenersIn('swb-m1');
    expect(manager).toMatch(/tcp\s+LISTEN.*10\.77\.120\.11:2377\s/);
    expect(manager).toMatch(/tcp\s+LISTEN.*10\.77\.120\.11:7946\s/);
    expect(manager).toMatch(/udp\s+UNCONN.*10\.77\.120\.11:7946\s/);
    const worker = listenersIn('swb-w1');
    expect(worker).toMatch(/tcp\s+LISTEN.*(\*|0\.0\.0\.0|\[::\]):7946\s/);
    expect(worker).not.toMatch(/:2377\s/);
  });

  it('creates networks with their options and converges every service', () => {
    const enc = JSON.parse(docker(node('m1').socket, ['network', 'inspect', 'enc']))[0];
    expect(enc.Options).toHaveProperty('encrypted', '');
    expect(enc.Attachable).toBe(true);
    const services = docker(node('m1').socket, ['service', 'ls', '--format', '{{.Name}} {{.Replicas}}']).trim().split('\n').sort();
    expect(services).toEqual(['api 2/2', 'hostport 1/1', 'web 2/2']);
    const api = JSON.parse(docker(node('m1').socket, ['service', 'inspect', 'api']))[0];
    expect(api.Spec.TaskTemplate.Networks[0].Aliases).toEqual(['api-internal']);
    const web = JSON.parse(docker(node('m1').socket, ['service', 'inspect', 'web']))[0];
    expect(web.Endpoint.Ports).toEqual([expect.objectContaining({ PublishedPort: 8080, TargetPort: 80, PublishMode: 'ingress' })]);
  });

  it('leaves the stopped node without a daemon', () => {
    expect(node('off').pid).toBeUndefined();
    expect(() => docker(node('off').socket, ['version'])).toThrow();
  });

  it('writes a fleet file and an env file that point at the nodes and the endpoint', () => {
    const fleet = JSON.parse(readFileSync(state.fleetFile, 'utf8')) as FleetFile;
    expect(fleet.instances).toHaveLength(4);
    const m1 = fleet.instances.find((i) => i.tags?.Name === 'm1')!;
    expect(m1).toMatchObject({
      instanceId: node('m1').instanceId,
      privateIpAddress: '10.77.120.11',
      tags: { Swarm: 'c1' },
      exec: { netns: 'swb-m1', env: { DOCKER_HOST: `unix://${node('m1').socket}`, SWARM_AUDIT_DOCKERD_LOG: join(DIR, 'nodes', 'm1', 'dockerd.log') } },
    });
    expect(fleet.instances.find((i) => i.tags?.Name === 'off')!.agent).toMatchObject({ behaviour: 'offline' });
    expect(readFileSync(state.envFile, 'utf8')).toContain(`AWS_ENDPOINT_URL=${state.endpoint!.url}\n`);
    // the fleet file's docker env really reaches the daemon from inside the namespace, as the endpoint will run it
    const out = execFileSync('nsenter', ['--net=/var/run/netns/swb-w1', '/usr/bin/docker', 'info', '--format', '{{.Swarm.NodeAddr}}'], {
      env: { ...m1.exec!.env, DOCKER_HOST: `unix://${node('w1').socket}` },
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('10.77.120.12');
  });

  it('reports a healthy sandbox, endpoint included', async () => {
    const status = await sandboxStatus({ dir: DIR });
    expect(status.problems).toEqual([]);
    expect(status.healthy).toBe(true);
    expect(status.endpoint).toMatchObject({ alive: true, answering: true });
    expect(status.clusters[0]).toMatchObject({ nodesReady: 2, nodesTotal: 2, healthy: true });
  });

  it('comes up well under a minute', () => {
    expect(state.timings.totalMs).toBeLessThan(60_000);
  });

  it('refuses a second up on the same dir', async () => {
    await expect(sandboxUp({ spec, dir: DIR, startEndpoint: false })).rejects.toMatchObject({ code: 'SandboxExists' });
  });

  it('refuses a subnet the host already routes, before creating anything', async () => {
    const other = '/tmp/swb-sandbox-other';
    await expect(sandboxUp({ spec: { ...spec, prefix: 'swbx' }, dir: other, startEndpoint: false })).rejects.toMatchObject({
      code: 'SandboxSubnetInUse',
    });
    expect(existsSync(other)).toBe(false);
  });

  it('down removes every namespace, link, process, mount, cgroup and file, and is idempotent', async () => {
    await sandboxDown({ dir: DIR });
    expect(leftovers(PREFIX, DIR)).toEqual(NOTHING_LEFT);
    await sandboxDown({ dir: DIR });
    expect((await sandboxStatus({ dir: DIR })).exists).toBe(false);
  }, 60_000);
});

const small: SandboxSpec = {
  prefix: PREFIX,
  subnet: '10.77.121.0/24',
  clusters: [{ name: 'k', networks: [{ name: 'kn' }], services: [{ name: 'ks', replicas: 2, networks: [{ name: 'kn' }] }] }],
  nodes: [
    { name: 'km', cluster: 'k', role: 'manager', bindListenAddr: true },
    { name: 'kw', cluster: 'k' },
  ],
};
const CRASH_DIR = '/tmp/swb-sandbox-crash';

maybe('sandbox down after a crash', () => {
  afterAll(async () => {
    await sandboxDown({ dir: CRASH_DIR });
  }, 60_000);

  it('cleans up after kill -9 of every daemon and the loss of half the state', async () => {
    await sandboxDown({ dir: CRASH_DIR });
    const state = await sandboxUp({ spec: small, dir: CRASH_DIR, endpointCommand: [process.execPath, contractEndpoint] });
    for (const n of state.nodes) process.kill(n.pid!, 'SIGKILL');
    process.kill(state.endpoint!.pid, 'SIGKILL');
    const status = await sandboxStatus({ dir: CRASH_DIR });
    expect(status.healthy).toBe(false);
    expect(status.problems).toEqual(expect.arrayContaining(['node km is not healthy', 'node kw is not healthy', 'endpoint is not answering']));
    for (const file of ['sandbox.json', 'fleet.json', 'endpoint.json', 'sandbox.env', 'nodes/kw/dockerd.pid']) rmSync(join(CRASH_DIR, file), { force: true });
    appendFileSync(join(CRASH_DIR, 'ledger.jsonl'), '{"kind":"netns","na'); // torn by the crash
    expect(leftovers(PREFIX, CRASH_DIR).netns).toHaveLength(2);
    expect(leftovers(PREFIX, CRASH_DIR).processes.length).toBeGreaterThan(0); // shims and tasks outlive dockerd

    await sandboxDown({ dir: CRASH_DIR });
    expect(leftovers(PREFIX, CRASH_DIR)).toEqual(NOTHING_LEFT);
    await sandboxDown({ dir: CRASH_DIR });
  }, 120_000);

  it('a failed up tears down what it built', async () => {
    await expect(sandboxUp({ spec: small, dir: CRASH_DIR, startEndpoint: false, timeouts: { servicesMs: 1 } })).rejects.toMatchObject({
      code: 'SandboxServicesNotConverged',
    });
    expect(leftovers(PREFIX, CRASH_DIR)).toEqual(NOTHING_LEFT);
  }, 120_000);
});
