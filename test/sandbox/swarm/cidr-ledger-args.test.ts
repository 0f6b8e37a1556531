import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cidrsOverlap, hostAddress, isPrivateCidr, parseCidr } from '../../../packages/sandbox/src/swarm/cidr.js';
import { Ledger, readLedger } from '../../../packages/sandbox/src/swarm/ledger.js';
import { parseSandboxSpec } from '../../../packages/sandbox/src/swarm/spec.js';
import { networkCreateArgs, parseReplicas, serviceCreateArgs } from '../../../packages/sandbox/src/swarm/swarm-build.js';

describe('cidr', () => {
  it('parses, rejects host bits and bad octets, computes overlaps', () => {
    expect(parseCidr('10.77.0.0/24')).toEqual({ network: (10 << 24) + (77 << 16), prefixLength: 24 });
    for (const bad of ['10.77.0.1/24', '10.77.0.0', '10.256.0.0/16', '10.07.0.0/16', '10.0.0.0/33', 'x/8']) expect(parseCidr(bad)).toBeUndefined();
    expect(cidrsOverlap(parseCidr('10.0.0.0/8')!, parseCidr('10.77.1.0/24')!)).toBe(true);
    expect(cidrsOverlap(parseCidr('10.77.0.0/24')!, parseCidr('10.77.1.0/24')!)).toBe(false);
    expect(hostAddress(parseCidr('192.168.5.0/24')!, 11)).toBe('192.168.5.11');
    expect(isPrivateCidr(parseCidr('172.16.4.0/24')!)).toBe(true);
    expect(isPrivateCidr(parseCidr('172.32.0.0/24')!)).toBe(false);
    expect(isPrivateCidr(parseCidr('10.0.0.0/7')!)).toBe(false);
  });
});

describe('ledger', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'swb-ledger-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps entries in call order and reads them back', async () => {
    const ledger = new Ledger(join(dir, 'ledger.jsonl'));
    await Promise.all([
      ledger.record({ kind: 'sandbox', prefix: 'swb', dir, createdDir: true }),
      ledger.record({ kind: 'netns', name: 'swb-a' }),
      ledger.record({ kind: 'pid', role: 'dockerd', node: 'a', pid: 1234, match: `${dir}/nodes/a/data` }),
    ]);
    expect((await readLedger(join(dir, 'ledger.jsonl')))!.map((e) => e.kind)).toEqual(['sandbox', 'netns', 'pid']);
  });

  it('drops a torn last line but refuses corruption elsewhere', async () => {
    const path = join(dir, 'ledger.jsonl');
    writeFileSync(path, `${JSON.stringify({ kind: 'netns', name: 'swb-a' })}\n{"kind":"li`);
    expect(await readLedger(path)).toEqual([{ kind: 'netns', name: 'swb-a' }]);
    writeFileSync(path, `{"kind":"li\n${JSON.stringify({ kind: 'netns', name: 'swb-a' })}\n`);
    await expect(readLedger(path)).rejects.toMatchObject({ code: 'SandboxLedgerCorrupt' });
    writeFileSync(path, `${JSON.stringify({ kind: 'pid', role: 'dockerd', pid: 1, match: '/x' })}\n`);
    await expect(readLedger(path)).rejects.toMatchObject({ code: 'SandboxLedgerCorrupt' });
    writeFileSync(path, `${JSON.stringify({ kind: 'rm', path: '/' })}\n`);
    await expect(readLedger(path)).rejects.toMatchObject({ code: 'SandboxLedgerCorrupt' });
    expect(await readLedger(join(dir, 'absent.jsonl'))).toBeUndefined();
    expect(readFileSync(path, 'utf8')).toContain('rm');
  });

  it('keeps a pid entry\'s start time and refuses one that is not a number of clock ticks', async () => {
    const path = join(dir, 'ledger.jsonl');
    const entry = { kind: 'pid', role: 'dockerd', node: 'a', pid: 1234, match: `${dir}/nodes/a/data`, startTime: '302588' };
    writeFileSync(path, `${JSON.stringify(entry)}\n`);
    expect(await readLedger(path)).toEqual([entry]);
    for (const startTime of ['', '12ab', 302588]) {
      writeFileSync(path, `${JSON.stringify({ ...entry, startTime })}\n`);
      await expect(readLedger(path)).rejects.toMatchObject({ code: 'SandboxLedgerCorrupt' });
    }
  });
});

describe('docker command lines', () => {
  const spec = parseSandboxSpec({
    prefix: 'swb',
    subnet: '10.77.120.0/24',
    clusters: [
      {
        name: 'c',
        networks: [{ name: 'sec', options: { encrypted: '' }, labels: { tier: 'db' }, attachable: true, subnet: '10.99.0.0/24' }, { name: 'leg', options: { encrypted: 'false' } }],
        services: [
          { name: 'web', replicas: 2, ports: [{ published: 8080, target: 80 }, { published: 9100, target: 9100, protocol: 'udp', mode: 'host' }], networks: [{ name: 'sec', aliases: ['a', 'b'] }], labels: { app: 'web' } },
          { name: 'agent', mode: 'global' },
        ],
      },
    ],
    nodes: [
      { name: 'm', cluster: 'c', role: 'manager' },
      { name: 'w', cluster: 'c' },
    ],
  });
  const cluster = spec.clusters[0];

  it('creates networks with valueless --opt encrypted, labels, attachable and subnet', () => {
    expect(networkCreateArgs(cluster.networks[0])).toEqual([
      'network', 'create', '--driver', 'overlay', '--opt', 'encrypted', '--label', 'tier=db', '--attachable', '--subnet', '10.99.0.0/24', 'sec',
    ]);
    expect(networkCreateArgs(cluster.networks[1])).toEqual(['network', 'create', '--driver', 'overlay', '--opt', 'encrypted=false', 'leg']);
  });

  it('creates services without resolving the image, with ports, aliases and modes', () => {
    expect(serviceCreateArgs(cluster.services[0])).toEqual([
      'service', 'create', '--detach', '--no-resolve-image', '--stop-grace-period', '1s', '--name', 'web', '--replicas', '2',
      '--publish', 'published=8080,target=80,protocol=tcp,mode=ingress',
      '--publish', 'published=9100,target=9100,protocol=udp,mode=host',
      '--network', 'name=sec,alias=a,alias=b',
      '--label', 'app=web',
      'local/busybox:1',
    ]);
    expect(serviceCreateArgs(cluster.services[1])).toContain('global');
  });

  it('reads replica counts as docker service ls prints them', () => {
    expect(parseReplicas('2/2')).toEqual({ running: 2, desired: 2 });
    expect(parseReplicas('1/3 (max 1 per node)')).toEqual({ running: 1, desired: 3 });
    expect(parseReplicas('')).toBeUndefined();
  });
});

describe('preflight ELF check', () => {
  it('tells a static busybox from a dynamically linked program', async () => {
    const { hasInterpreter } = await import('../../../packages/sandbox/src/swarm/preflight.js');
    const { existsSync } = await import('node:fs');
    const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
    if (busybox) expect(await hasInterpreter(busybox)).toBe(false);
    expect(await hasInterpreter(process.execPath)).toBe(true);
    expect(await hasInterpreter(__filenameOf())).toBe(true); // not ELF: unusable
  });
});

function __filenameOf(): string {
  return new URL(import.meta.url).pathname;
}
