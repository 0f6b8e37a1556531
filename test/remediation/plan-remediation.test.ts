import { execFileSync } from 'node:child_process';
import { planRemediation } from '../../src/remediation/plan-remediation.js';
import type { Plan, Step } from '../../src/remediation/plan.js';
import { parsePlan, serializePlan } from '../../src/remediation/saved-plan.js';
import { renderPlan } from '../../src/remediation/render.js';
import { withoutHeader } from '../../src/remediation/builders/scripts.js';
import { fixtureFleet, FIXTURE_NODES } from './helpers/fixture-fleet.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const steps = (plan: Plan): Step[] => plan.clusters.flatMap((c) => c.steps);
const kinds = (plan: Plan) => steps(plan).map((s) => `${s.kind} ${s.title}`);

/** Every script the plan would run parses as POSIX sh (dash -n). */
function assertShellSyntax(plan: Plan): void {
  for (const s of steps(plan)) {
    for (const script of [s.script, s.precondition.script, s.inverse?.script, ...(s.inputs ?? []).map((i) => i.script)]) {
      if (script) execFileSync('/bin/sh', ['-n', '-c', script]);
    }
  }
}

describe('planRemediation from captured fixtures', () => {
  const { hosts, findings } = fixtureFleet();

  test('migrates the plain network with its alias, rejoins the wildcard worker and the non-sole manager', () => {
    const plan = planRemediation({ hosts, findings, now: NOW });
    expect(plan.clusters).toHaveLength(1);
    expect(kinds(plan)).toEqual([
      'network-create create encrypted network plain-enc on 10.77.202.80/28',
      'service-network-add attach web to plain-enc with aliases webalias',
      'service-network-rm detach web from plain',
      'network-remove remove unencrypted network plain',
      'node-drain drain worker ip-10-77-201-21',
      'node-rejoin rejoin ip-10-77-201-21 with --listen-addr 10.77.201.21:2377 --advertise-addr 10.77.201.21',
      'node-settle wait for ip-10-77-201-21 Ready, remove its stale entry, restore availability active',
      'node-drain demote and drain manager ip-10-77-201-12',
      'node-rejoin rejoin ip-10-77-201-12 with --listen-addr 10.77.201.12:2377 --advertise-addr 10.77.201.12',
      'node-settle wait for ip-10-77-201-12 Ready, remove its stale entry, restore availability active and promote it',
    ]);
    const add = steps(plan)[1];
    expect(add.script).toContain("\nATTACHMENT='name=plain-enc,alias=webalias'\n");
    expect(add.verify).toEqual({ kind: 'ipsec-sa', service: 'web', network: 'plain-enc' });
    expect(steps(plan)[0].script).toContain("\nNETWORK='plain-enc'\nNETWORK_INGRESS='false'\nNETWORK_ENCRYPTED='true'\n");
    expect(steps(plan)[0].script).toContain("\nNETWORK_SUBNET='10.77.202.80/28'\nNETWORK_GATEWAY='10.77.202.81'\nNETWORK_IP_RANGE=''\n");
    // the old network comes back with its own subnet and gateway on backout
    expect(steps(plan)[3].inverse!.script).toContain("\nNETWORK='plain'\nNETWORK_INGRESS='false'\nNETWORK_ENCRYPTED='false'\n");
    expect(steps(plan)[3].inverse!.script).toContain("\nNETWORK_SUBNET='10.77.202.32/28'\nNETWORK_GATEWAY='10.77.202.33'\n");
    // the rejoin of the worker runs on the worker, with a token fetched from the leader
    const rejoin = steps(plan)[5];
    expect(rejoin.instanceId).toBe(FIXTURE_NODES[2].instanceId);
    expect(rejoin.inputs).toEqual([expect.objectContaining({ name: 'JOIN_TOKEN', instanceId: FIXTURE_NODES[0].instanceId })]);
    expect(rejoin.script).toContain("\nLISTEN_ADDR='10.77.201.21:2377'\nADVERTISE_ADDR='10.77.201.21'\nDATA_PATH_ADDR=''\nJOIN_ADDR='10.77.201.11:2377'\n");
    // backout rejoins it the way it was
    expect(rejoin.inverse!.script).toContain("\nLISTEN_ADDR='0.0.0.0:2377'\nADVERTISE_ADDR='10.77.201.21'\n");
    // the manager's drain checks quorum first
    expect(steps(plan)[7].precondition.script).toContain("\nROLE='manager'\n");
    expect(steps(plan)[7].precondition.script).toContain('(total - 1) / 2 + 1');
    assertShellSyntax(plan);
  });

  test('guidance for what it does not change: ingress, stack network, published ports', () => {
    const plan = planRemediation({ hosts, findings, now: NOW });
    const text = plan.guidance.map((g) => `${g.checkId} ${g.resource ?? g.instanceId}: ${g.message}`).join('\n');
    expect(text).toMatch(/overlay-encryption ingress: .*--include-ingress/);
    expect(text).toMatch(/overlay-encryption shop_default: .*stack "shop"/);
    expect(plan.guidance.find((g) => g.resource === 'shop_default')!.runbook!.join('\n')).toContain('encrypted: ""');
    expect(text).toMatch(/swarm-published-ports web: .*overlay network/);
    expect(text).not.toMatch(/dnsrr/);
  });

  test('keepName adds the second hop back to the original name and subnet', () => {
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'], options: { keepName: true }, now: NOW });
    expect(kinds(plan).slice(4)).toEqual([
      'network-create create encrypted network plain on 10.77.202.32/28',
      'service-network-add attach web to plain with aliases webalias',
      'service-network-rm detach web from plain-enc',
      'network-remove remove intermediate network plain-enc',
    ]);
    assertShellSyntax(plan);
  });

  test('includeIngress plans unpublish, recreate encrypted, republish', () => {
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'], options: { includeIngress: true }, now: NOW });
    const ingress = steps(plan).filter((s) => /ingress|publish/.test(s.kind));
    expect(ingress.map((s) => s.kind)).toEqual(['ingress-unpublish', 'ingress-remove', 'ingress-create', 'ingress-republish']);
    expect(ingress[1].script).toContain("# ingress-steps.ingress-rm.sh\nNETWORK='ingress'\nWHICH='unencrypted'\n");
    expect(ingress[2].script).toContain("\nNETWORK='ingress'\nNETWORK_INGRESS='true'\nNETWORK_ENCRYPTED='true'\n");
    expect(ingress[2].script).toContain("\nNETWORK_SUBNET='10.77.202.0/28'\nNETWORK_GATEWAY='10.77.202.1'\n");
    expect(ingress[0].downtime).toContain('web:8080/tcp');
    assertShellSyntax(plan);
  });

  test('published ports: unpublish and host mode only when asked, per service', () => {
    const plan = planRemediation({
      hosts,
      findings,
      checks: ['swarm-published-ports'],
      options: { unpublish: [{ service: 'hostsvc', port: 9090 }], hostMode: ['web'] },
      now: NOW,
    });
    // port lines "PROTOCOL TARGET PUBLISHED MODE"; the docker arguments they become: test/remediation/templates/port-steps.test.ts
    expect(steps(plan).map((s) => withoutHeader(s.script).split('\n').slice(0, 6))).toEqual([
      ['# port-steps.ports-remove.sh', "SERVICE='hostsvc'", "PORT='tcp 90 9090 host'", "REMOVE='tcp 90 9090 host'", "ADD=''", "RESTORE=''"],
      ['# port-steps.ports-remove.sh', "SERVICE='web'", "PORT='tcp 80 8080 ingress'", "REMOVE='tcp 80 8080 ingress'", "ADD='tcp 80 8080 host'", "RESTORE=''"],
    ]);
    expect(plan.guidance).toHaveLength(0);
    assertShellSyntax(plan);
  });

  test('hostile names in options are refused before anything is planned', () => {
    for (const service of ['x;reboot', '$(id)', "a'b", 'a\nb']) {
      expect(() => planRemediation({ hosts, findings, options: { hostMode: [service] } })).toThrow(expect.objectContaining({ code: 'UnsafeValue' }));
    }
    expect(() => planRemediation({ hosts, findings, options: { hostMode: ['nosuch'] } })).toThrow(expect.objectContaining({ code: 'UnknownService' }));
  });

  test('a hostile network name in the audited state is never put in a script', () => {
    const evil = structuredClone(hosts);
    const net = evil[0].facts.networks!.find((n) => n.name === 'plain')!;
    net.name = 'plain;reboot';
    const plan = planRemediation({ hosts: evil, findings: findings.map((f) => (f.resource.name === 'plain' ? { ...f, resource: { ...f.resource, name: 'plain;reboot' } } : f)), checks: ['overlay-encryption'] });
    expect(JSON.stringify(plan.clusters)).not.toContain('reboot');
    expect(plan.guidance.find((g) => g.resource === 'plain;reboot')?.message).toMatch(/cannot plan a safe migration: .*not a valid Docker name/);
  });

  test('a single-manager cluster gets the manual runbook, not a plan', () => {
    // the wildcard manager audited alone: no other manager could keep the cluster while it rejoins
    const single = fixtureFleet([FIXTURE_NODES[1]]);
    const plan = planRemediation({ ...single, checks: ['swarm-listen-address'] });
    expect(steps(plan)).toHaveLength(0);
    const g = plan.guidance.find((x) => x.checkId === 'swarm-listen-address')!;
    expect(g.message).toMatch(/single-manager/);
    expect(g.runbook!.join('\n')).toContain("--force-new-cluster --listen-addr 10.77.201.12:2377");
  });

  test('plans round-trip through the plan file and render for review', () => {
    const plan = planRemediation({ hosts, findings, now: NOW });
    expect(parsePlan(serializePlan(plan))).toEqual(plan);
    const text = renderPlan(plan);
    expect(text).toContain('checks first:');
    expect(text).toContain('$JOIN_TOKEN is fetched first on i-0000000000000a001');
    expect(() => parsePlan(serializePlan(plan).slice(0, 200))).toThrow(expect.objectContaining({ code: 'PlanInvalid' }));
    const dup = JSON.parse(serializePlan(plan));
    dup.clusters[0].steps[1].id = dup.clusters[0].steps[0].id;
    expect(() => parsePlan(JSON.stringify(dup))).toThrow(/not unique/);
  });
});
