/**
 * swarm-published-ports and ingress-recreate scripts run under /bin/sh against
 * a fake `docker` that models docker/cli's `service update` port semantics
 * (cli/command/service/update.go updatePorts, 20.10): --publish-rm removes
 * every port with that target port, protocol and mode whatever its published
 * port; --publish-add skips a port the service had before the update. The
 * integration test (published-ports-and-ingress) shows the same on a real daemon.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PortFacts } from '../../src/probe/facts.js';
import { planRemediation } from '../../src/remediation/plan-remediation.js';
import type { Plan, Step } from '../../src/remediation/plan.js';
import { fixtureFleet } from './helpers/fixture-fleet.js';

const FAKE_DOCKER = `#!/usr/bin/env node
const fs = require('fs');
const file = process.env.FAKE_DOCKER_STATE;
const state = JSON.parse(fs.readFileSync(file, 'utf8'));
const args = process.argv.slice(2);
const name = args[args.length - 1];
const key = (p) => p.published + ':' + p.target + '/' + p.protocol + '/' + p.mode;
const parse = (v) => Object.fromEntries(v.split(',').map((kv) => kv.split('=')));
const port = (v) => { const o = parse(v); return { published: Number(o.published), target: Number(o.target), protocol: o.protocol || 'tcp', mode: o.mode || 'ingress' }; };
if (args[0] === 'version') { process.stdout.write('20.10.24\\n'); process.exit(0); }
if (args[0] === 'service' && args[1] === 'inspect') {
  if (!(name in state.services)) { process.stderr.write('Error: no such service: ' + name + '\\n'); process.exit(1); }
  if (args[2] === '--format') for (const p of state.services[name]) process.stdout.write(p.protocol + ' ' + p.target + ' ' + p.published + ' ' + p.mode + '\\n');
  process.exit(0);
}
if (args[0] === 'service' && args[1] === 'update') {
  const rm = [], add = [];
  for (let i = 2; i < args.length - 1; i++) {
    if (args[i] === '--publish-rm') rm.push(port(args[++i]));
    else if (args[i] === '--publish-add') add.push(port(args[++i]));
  }
  const before = new Map(state.services[name].map((p) => [key(p), p]));
  const next = [...before.values()].filter((p) => !rm.some((r) => r.protocol === p.protocol && r.target === p.target && r.mode === p.mode));
  for (const a of add) if (!before.has(key(a))) next.push(a);
  state.services[name] = next.sort((a, b) => key(a).localeCompare(key(b)));
  state.updates.push(args.slice(2).join(' '));
  fs.writeFileSync(file, JSON.stringify(state));
  process.exit(0);
}
process.stderr.write('fake docker: unsupported ' + args.join(' ') + '\\n');
process.exit(2);
`;

interface FakePort {
  published: number;
  target: number;
  protocol: string;
  mode: string;
}

const p = (published: number, target: number, mode: 'ingress' | 'host' = 'ingress', protocol: 'tcp' | 'udp' = 'tcp'): PortFacts => ({
  publishedPort: published,
  targetPort: target,
  protocol,
  publishMode: mode,
});
const fake = (ports: PortFacts[]): FakePort[] =>
  ports
    .map((x) => ({ published: x.publishedPort!, target: x.targetPort, protocol: x.protocol, mode: x.publishMode }))
    .sort((a, b) => `${a.published}:${a.target}/${a.protocol}/${a.mode}`.localeCompare(`${b.published}:${b.target}/${b.protocol}/${b.mode}`));
const steps = (plan: Plan): Step[] => plan.clusters.flatMap((c) => c.steps);

/** The fixture fleet with `web`'s published ports replaced. */
function fleetWithWebPorts(ports: PortFacts[]) {
  const { hosts, findings } = fixtureFleet();
  const copy = structuredClone(hosts);
  for (const h of copy) for (const s of h.facts.services ?? []) if (s.name === 'web') s.ports = ports;
  return { hosts: copy, findings };
}

describe('published-port scripts against docker/cli port semantics', () => {
  let dir: string;
  let stateFile: string;
  const setPorts = (ports: PortFacts[]) => writeFileSync(stateFile, JSON.stringify({ services: { web: fake(ports) }, updates: [] }));
  const read = () => JSON.parse(readFileSync(stateFile, 'utf8')) as { services: { web: FakePort[] }; updates: string[] };
  const run = (script: string) => {
    execFileSync('/bin/sh', ['-c', script], { env: { PATH: `${dir}:/usr/bin:/bin`, FAKE_DOCKER_STATE: stateFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    return read();
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fake-docker-'));
    writeFileSync(join(dir, 'docker'), FAKE_DOCKER.replace('#!/usr/bin/env node', `#!${process.execPath}`));
    chmodSync(join(dir, 'docker'), 0o755);
    stateFile = join(dir, 'state.json');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the model: a plain --publish-rm of one published port takes every port with the same target', () => {
    setPorts([p(8080, 80), p(8088, 80), p(9000, 90)]);
    expect(run("docker service update --quiet --publish-rm 'published=8080,target=80,protocol=tcp,mode=ingress' 'web'").services.web).toEqual(fake([p(9000, 90)]));
  });

  test('--unpublish of one of two ports on one target keeps the other; idempotent; the undo restores the group', () => {
    const original = [p(8080, 80), p(8088, 80), p(9000, 90)];
    const plan = planRemediation({ ...fleetWithWebPorts(original), checks: ['swarm-published-ports'], options: { unpublish: [{ service: 'web', port: 8080 }] } });
    const [step] = steps(plan);
    expect(steps(plan)).toHaveLength(1);
    expect(step.why).toMatch(/8088\/tcp shares its target port/);
    expect(step.downtime).toMatch(/ports 8088\/tcp are unreachable between the two updates/);
    setPorts(original);
    expect(run(step.script).services.web).toEqual(fake([p(8088, 80), p(9000, 90)]));
    expect(read().updates).toHaveLength(2);
    expect(run(step.script).updates).toHaveLength(2); // re-run: nothing to do
    expect(run(step.inverse!.script).services.web).toEqual(fake(original));
    expect(run(step.inverse!.script).updates).toHaveLength(3);
    // the undo after a forward step that stopped between its two updates
    setPorts([p(9000, 90)]);
    expect(run(step.inverse!.script).services.web).toEqual(fake(original));
  });

  test('--unpublish of both ports on one target: both go; rolling back only the first step still restores both', () => {
    const original = [p(8080, 80), p(8088, 80), p(53, 53, 'ingress', 'udp')];
    const plan = planRemediation({
      ...fleetWithWebPorts(original),
      checks: ['swarm-published-ports'],
      options: { unpublish: [{ service: 'web', port: 8080 }, { service: 'web', port: 8088 }] },
    });
    const [first, second] = steps(plan);
    expect(steps(plan)).toHaveLength(2);
    expect(first.why).not.toMatch(/second update/);
    setPorts(original);
    run(first.script);
    expect(run(second.script).services.web).toEqual(fake([p(53, 53, 'ingress', 'udp')]));
    run(second.inverse!.script);
    expect(run(first.inverse!.script).services.web).toEqual(fake(original));
    // rollback after the first step only (the second never started)
    setPorts(original);
    run(first.script);
    expect(run(first.inverse!.script).services.web).toEqual(fake(original));
  });

  test('--host-mode and its undo keep a host-mode port the service already had on the same target', () => {
    const original = [p(8080, 80), p(9090, 80, 'host'), p(5353, 53, 'ingress', 'udp')];
    const plan = planRemediation({ ...fleetWithWebPorts(original), checks: ['swarm-published-ports'], options: { hostMode: ['web'] } });
    const [step] = steps(plan);
    setPorts(original);
    expect(run(step.script).services.web).toEqual(fake([p(8080, 80, 'host'), p(9090, 80, 'host'), p(5353, 53, 'host', 'udp')]));
    expect(read().updates).toHaveLength(1);
    expect(run(step.script).updates).toHaveLength(1);
    expect(run(step.inverse!.script).services.web).toEqual(fake(original));
    expect(run(step.inverse!.script).services.web).toEqual(fake(original));
  });

  test('a dynamically published port that a --publish-rm would take along is refused, not silently dropped', () => {
    const dynamic: PortFacts = { targetPort: 80, protocol: 'tcp', publishMode: 'ingress' };
    const fleet = fleetWithWebPorts([p(8080, 80), dynamic]);
    expect(() => planRemediation({ ...fleet, checks: ['swarm-published-ports'], options: { unpublish: [{ service: 'web', port: 8080 }] } })).toThrow(
      expect.objectContaining({ code: 'UnsafePortChange', message: expect.stringMatching(/dynamic->80\/tcp/) }),
    );
    expect(() => planRemediation({ ...fleet, checks: ['swarm-published-ports'], options: { hostMode: ['web'] } })).toThrow(expect.objectContaining({ code: 'UnsafePortChange' }));
  });
});

describe('ingress recreate plan', () => {
  test('restoring published services on the encrypted ingress is gated by the IPsec check', () => {
    const { hosts, findings } = fixtureFleet();
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'], options: { includeIngress: true } });
    const restore = steps(plan).filter((s) => s.kind === 'ingress-republish');
    expect(restore.map((s) => s.verify)).toEqual([{ kind: 'ipsec-sa', service: 'web', network: 'ingress' }]);
  });

  test('every node is handed the recreated ingress, and a removal waits until the manager stops listing it', () => {
    const { hosts, findings } = fixtureFleet();
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'], options: { includeIngress: true } });
    const remove = steps(plan).find((s) => s.kind === 'ingress-remove')!;
    const create = steps(plan).find((s) => s.kind === 'ingress-create')!;
    const handOver = /docker node update --availability "\$\(docker node inspect -f '\{\{\.Spec\.Availability\}\}' "\$id"\)" "\$id"[\s\S]*\{\{len \.Peers\}\}/;
    // forward: create the encrypted one, then each node; backout: recreate the original, then each node
    expect(create.script).toMatch(handOver);
    expect(remove.inverse!.script).toMatch(handOver);
    // the repeat must change the node's spec: a worker whose first ingress setup failed ignores version-only updates
    const nudge = /handover_label=swarm-audit\.ingress-handover\n[\s\S]*docker node update --label-add "\$handover_label=1" "\$id" >\/dev\/null && docker node update --label-rm "\$handover_label" "\$id"[\s\S]*% 10\)\) -eq 0 \]; then nudge; fi/;
    expect(create.script).toMatch(nudge);
    expect(remove.inverse!.script).toMatch(nudge);
    // the removal confirms, then waits until the manager stops listing that kind (test/remediation/templates: ingress-rm)
    expect(remove.script).toMatch(/NETWORK='ingress'\nWHICH='unencrypted'\n[\s\S]*echo y \| docker network rm "\$NETWORK"[\s\S]*while which_listed/);
    expect(create.inverse!.script).toMatch(/NETWORK='ingress'\nWHICH='encrypted'\n[\s\S]*echo y \| docker network rm "\$NETWORK"[\s\S]*while which_listed/);
    for (const s of [remove, create]) {
      for (const script of [s.script, s.precondition.script, s.inverse!.script]) execFileSync('/bin/sh', ['-n', '-c', script]);
    }
  });

  test('a dynamically published ingress port gets guidance instead of a recreate that could not restore it', () => {
    const fleet = fleetWithWebPorts([p(8080, 80), { targetPort: 81, protocol: 'tcp', publishMode: 'ingress' }]);
    const plan = planRemediation({ ...fleet, checks: ['overlay-encryption'], options: { includeIngress: true } });
    expect(steps(plan).filter((s) => /ingress|publish/.test(s.kind))).toEqual([]);
    expect(plan.guidance.find((g) => g.resource === 'ingress')?.message).toMatch(/cannot plan a safe migration: .*web ->81\/tcp/);
  });
});
