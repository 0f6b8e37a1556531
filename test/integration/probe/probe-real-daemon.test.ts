/**
 * Runs the probe for real against a dockerd started in a network namespace of
 * our own (swc-it-<pid>), as SSM would run it (sh with the script text, root),
 * and decodes the record: inactive swarm, then an initialised manager with an
 * encrypted overlay and a published service, every section counted, and the
 * same manager where `ip` is BusyBox's applet (no xfrm). Needs root and
 * /usr/sbin/dockerd.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { probeFailureOf } from '../../../src/probe/applicability.js';
import { decodeProbeOutput } from '../../../src/probe/decode.js';
import type { HostFacts } from '../../../src/probe/facts.js';
import { extractPayload } from '../../../src/probe/frame.js';
import { probeScript } from '../../../src/probe/script.js';
import { splitSections } from '../../../src/probe/sections.js';
import { frame } from '../../probe/frame-builder.js';

const SYSTEM_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';
const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/dockerd') && existsSync('/usr/bin/docker');
if (!canRun) console.warn('probe integration test skipped: needs root, /usr/sbin/dockerd and /usr/bin/docker');

const NS = `swc-it-${process.pid}`;
const DIR = `/tmp/swc-it-${process.pid}`;
const SOCK = `unix://${DIR}/sock`;
const NODE_IP = '10.77.201.200';
let dockerd: ChildProcess | undefined;

function sh(command: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync(command, args, { env: { PATH: SYSTEM_PATH, HOME: DIR, ...env }, encoding: 'utf8', timeout: 60_000 });
}

const docker = (...args: string[]) => sh('/usr/bin/docker', args, { DOCKER_HOST: SOCK });

async function waitForDaemon(): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (spawnSync('/usr/bin/docker', ['version'], { env: { PATH: SYSTEM_PATH, DOCKER_HOST: SOCK, HOME: DIR } }).status === 0) return;
    if (dockerd?.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`dockerd did not start:\n${readFileSync(`${DIR}/dockerd.log`, 'utf8').slice(-2000)}`);
}

/** Runs its command in a private mount namespace where iproute2's ip is BusyBox's ip applet. */
const BUSYBOX_IP = ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c',
  'mount --bind /bin/busybox "$(readlink -f /usr/sbin/ip)" && exec "$@"', 'busybox-ip'];

function probeOutput(shell: '/bin/sh' | '/bin/busybox', wrapper: string[] = []): string {
  const args = shell === '/bin/busybox' ? ['sh', '-c', probeScript()] : ['-c', probeScript()];
  const run = spawnSync('nsenter', [`--net=/var/run/netns/${NS}`, ...wrapper, shell, ...args], {
    env: { PATH: SYSTEM_PATH, HOME: DIR, DOCKER_HOST: SOCK, SWARM_AUDIT_DOCKERD_LOG: `${DIR}/dockerd.log` },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(run.status).toBe(0);
  expect(run.stderr).toBe('');
  return run.stdout;
}

function decoded(stdout: string): HostFacts {
  const result = decodeProbeOutput(stdout);
  if (!result.ok) throw new Error(`${result.reason}: ${result.message}\n${stdout}`);
  return result.facts;
}

function probe(shell: '/bin/sh' | '/bin/busybox'): HostFacts {
  const facts = decoded(probeOutput(shell));
  expect(facts.problems).toEqual([]);
  return facts;
}

async function stopDockerd(): Promise<void> {
  const child = dockerd;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

(canRun ? describe : describe.skip)('probe against a real dockerd', () => {
  beforeAll(async () => {
    mkdirSync(DIR, { recursive: true });
    sh('ip', ['netns', 'add', NS]);
    sh('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
    // A veth pair kept inside the namespace: the node's address, reachable from nowhere else.
    sh('ip', ['-n', NS, 'link', 'add', 'swc-d0', 'type', 'veth', 'peer', 'name', 'swc-d1']);
    sh('ip', ['-n', NS, 'link', 'set', 'swc-d1', 'up']);
    sh('ip', ['-n', NS, 'addr', 'add', `${NODE_IP}/24`, 'dev', 'swc-d0']);
    sh('ip', ['-n', NS, 'link', 'set', 'swc-d0', 'up']);
    const log = openSync(`${DIR}/dockerd.log`, 'a');
    dockerd = spawn(
      'nsenter',
      [`--net=/var/run/netns/${NS}`, '/usr/sbin/dockerd', '--data-root', `${DIR}/root`, '--exec-root', `${DIR}/exec`,
        '--pidfile', `${DIR}/dockerd.pid`, '-H', SOCK, '--storage-driver', 'vfs', '--iptables=false', '--ip6tables=false', '--bridge=none'],
      { env: { PATH: SYSTEM_PATH }, stdio: ['ignore', log, log] },
    );
    await waitForDaemon();
  }, 120_000);

  afterAll(async () => {
    await stopDockerd();
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((line) => line.split(' ')[1] ?? '');
    for (const mount of mounts.filter((m) => m.startsWith(`${DIR}/`)).reverse()) spawnSync('umount', ['-l', mount]);
    spawnSync('ip', ['netns', 'del', NS]);
    rmSync(DIR, { recursive: true, force: true });
  }, 120_000);

  test('inactive swarm: NOT_APPLICABLE, docker facts filled', () => {
    const facts = probe('/bin/sh');
    expect(facts.docker).toMatchObject({ present: true, reachable: true, rootDir: `${DIR}/root` });
    expect(facts.docker.serverVersion).toMatch(/^\d+\.\d+/);
    expect(facts.swarm?.localNodeState).toBe('inactive');
    expect(probeFailureOf(facts)).toEqual({ status: 'NOT_APPLICABLE', message: 'swarm inactive on this node' });
  }, 120_000);

  test('bound manager with an encrypted overlay and a published service, under dash and busybox', () => {
    docker('swarm', 'init', '--listen-addr', `${NODE_IP}:2377`, '--advertise-addr', NODE_IP,
      '--default-addr-pool', '10.77.202.0/24', '--default-addr-pool-mask-length', '28');
    docker('network', 'create', '-d', 'overlay', '--opt', 'encrypted', '--label', 'team=a', 'secure');
    // No image is needed for the spec: tasks stay pending, the service exists.
    docker('service', 'create', '-d', '--no-resolve-image', '--name', 'web', '--network', 'name=secure,alias=www',
      '--publish', 'published=8080,target=80', 'local/absent:1');
    for (const shell of ['/bin/sh', '/bin/busybox'] as const) {
      const facts = probe(shell);
      expect(probeFailureOf(facts)).toBeUndefined();
      expect(facts.swarm).toMatchObject({ localNodeState: 'active', controlAvailable: true, nodeAddr: NODE_IP });
      expect(facts.swarm!.state?.listenAddr).toBe(`${NODE_IP}:2377`);
      expect(facts.listeners.filter((l) => l.port !== 4789).every((l) => l.address === NODE_IP)).toBe(true);
      expect(facts.listeners.map((l) => `${l.protocol}/${l.port}`).sort()).toEqual(['tcp/2377', 'tcp/7946', 'udp/4789', 'udp/7946']);
      const secure = facts.networks!.find((n) => n.name === 'secure')!;
      expect(secure).toMatchObject({ driver: 'overlay', scope: 'swarm', labels: { team: 'a' } });
      expect(secure.options.encrypted).toBe('');
      expect(facts.networks!.find((n) => n.ingress)?.name).toBe('ingress');
      expect(facts.services).toEqual([
        expect.objectContaining({
          name: 'web',
          ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }],
          networks: [{ target: secure.id, aliases: ['www'], driverOpts: {} }],
        }),
      ]);
      expect(facts.nodes).toEqual([expect.objectContaining({ role: 'manager', leader: true, addr: NODE_IP })]);
      expect(facts.ipsec?.readable).toBe(true);
      expect(facts.ipsec?.saLog?.source).toBe('log');
      // The image is absent: web's task may wait for the node or sit on it, never elsewhere.
      for (const task of facts.tasks!) expect(['', facts.swarm!.nodeId]).toContain(task.nodeId);
    }
  }, 180_000);

  test('every section carries the count of what the probe wrote, and one line lost or added is a count-mismatch', () => {
    const payload = extractPayload(probeOutput('/bin/sh'));
    const sections = splitSections(payload);
    expect([...sections.keys()]).toEqual([
      'meta', 'docker', 'version', 'info', 'state', 'services', 'networks', 'nodes', 'tasks',
      'listeners-ss', 'xfrm-policy', 'xfrm-state', 'sa-log',
    ]);
    const lines = payload.slice(0, -1).split('\n');
    const counts = lines.filter((line) => /^@@ \S+ count=\d+$/.test(line));
    const parts = lines.filter((line) => /^@@ \S+ rc=\d+$/.test(line));
    expect(counts).toHaveLength(parts.length);
    lines.forEach((line, i) => {
      if (line.startsWith('@@ ')) return;
      const without = decodeProbeOutput(frame(`${lines.filter((_, j) => j !== i).join('\n')}\n`));
      expect(without).toMatchObject({ ok: false, reason: 'count-mismatch', message: expect.stringMatching(/^section \S+: count=\d+ but \d+ lines?$/) });
    });
  }, 120_000);

  test('ip is BusyBox\'s applet: xfrm unread, the cause is a probe problem, never "no SAs"', () => {
    const facts = decoded(probeOutput('/bin/sh', BUSYBOX_IP));
    expect(facts.swarm?.controlAvailable).toBe(true);
    expect(facts.ipsec).toMatchObject({ readable: false });
    expect(facts.problems.map((p) => p.section)).toEqual(['xfrm-policy', 'xfrm-state']);
    for (const problem of facts.problems) expect(problem.message).toMatch(/BusyBox's ip applet, which has no xfrm: install iproute2 \(exit 1\)$/);
  }, 120_000);
});
