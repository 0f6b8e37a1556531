/**
 * The plan file holds intents, never shell: unknown kinds, unknown fields and
 * values the builders would refuse are named with the step and path; a file
 * edited after it was written no longer matches its digest.
 */
import { planRemediation } from '../../src/remediation/plan-remediation.js';
import { parsePlan, planDigest, serializePlan, type SavedPlan } from '../../src/remediation/saved-plan.js';
import { renderPlan } from '../../src/remediation/render.js';
import { fixtureFleet } from './helpers/fixture-fleet.js';

const { hosts, findings } = fixtureFleet();
const plan = planRemediation({ hosts, findings, now: new Date('2026-01-01T00:00:00Z') });
const saved = (): SavedPlan => JSON.parse(serializePlan(plan)) as SavedPlan;
/** What a forger does after an edit: recompute the digest (it is a checksum, not a signature). */
const resealed = (edit: (p: SavedPlan & Record<string, any>) => void): string => {
  const p = saved() as SavedPlan & Record<string, any>;
  edit(p);
  p.digest = planDigest(p);
  return JSON.stringify(p);
};
const steps = (p: SavedPlan & Record<string, any>) => p.clusters[0].steps as unknown as Record<string, any>[];
const stepId = (i: number) => plan.clusters[0].steps[i].id;

describe('plan file', () => {
  test('holds intents only: no script text, and every script comes back from the builders', () => {
    const text = serializePlan(plan);
    // (guidance keeps its manual runbook: text for a human, never run)
    expect(JSON.stringify(saved().clusters)).not.toMatch(/docker |set -eu|\bscript\b|inverse|precondition/);
    expect(Object.keys(steps(saved())[0]).sort()).toEqual(['clusterId', 'id', 'instanceId', 'intent', 'kind']);
    expect(parsePlan(text)).toEqual(plan);
  });

  test('the digest ignores createdAt: equal plans have equal digests, and the dry run prints it', () => {
    const later = planRemediation({ hosts, findings, now: new Date('2027-06-01T00:00:00Z') });
    expect(planDigest(later)).toBe(planDigest(plan));
    expect(planDigest(plan)).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(saved().digest).toBe(planDigest(plan));
    expect(renderPlan(plan)).toContain(`Plan digest: ${planDigest(plan)}`);
    expect(() => parsePlan(JSON.stringify({ ...saved(), createdAt: 'whenever' }))).not.toThrow();
  });

  test('a file edited after it was written is refused (tampered)', () => {
    const p = saved() as SavedPlan & Record<string, any>;
    steps(p)[0].intent.network.subnet = '10.77.202.96/28';
    expect(() => parsePlan(JSON.stringify(p), 'plan file p.json')).toThrow(
      expect.objectContaining({ code: 'PlanTampered', message: expect.stringContaining(`plan file p.json was changed after it was written`) }),
    );
  });

  test('an unknown step kind is refused with the step named', () => {
    const text = resealed((p) => (steps(p)[2].kind = 'shell'));
    expect(() => parsePlan(text)).toThrow(expect.objectContaining({ code: 'PlanInvalid', message: expect.stringContaining(`plan step ${stepId(2)}: unknown step kind "shell"`) }));
  });

  test('unknown fields are refused with their path: no script rides along', () => {
    expect(() => parsePlan(resealed((p) => (steps(p)[0].script = 'touch /tmp/pwned')))).toThrow(`$.clusters[0].steps[0].script is not a known field`);
    expect(() => parsePlan(resealed((p) => (steps(p)[1].intent.inverse = { script: 'touch /tmp/pwned' })))).toThrow(
      `plan step ${stepId(1)}: $.clusters[0].steps[1].intent.inverse is not a known field`,
    );
    expect(() => parsePlan(resealed((p) => (p.hooks = ['touch /tmp/pwned'])))).toThrow('$.hooks is not a known field');
  });

  test.each([
    ['a network name with shell', (p: any) => (steps(p)[0].intent.network.name = 'plain-enc;touch /tmp/pwned'), /intent\.network\.name is refused: .*not a valid Docker name/],
    ['an alias with a command substitution', (p: any) => (steps(p)[1].intent.attachment.aliases = ['$(touch /tmp/pwned)']), /intent\.attachment\.aliases\[0\] is refused/],
    ['a label value with a newline', (p: any) => (steps(p)[0].intent.network.labels = { tier: 'a\ntouch /tmp/pwned' }), /intent\.network\.labels\["tier"\] is refused: .*control character/],
    ['a subnet that is not a CIDR', (p: any) => (steps(p)[0].intent.network.subnet = '10.0.0.0/33'), /intent\.network\.subnet is refused: .*not an IPv4 CIDR/],
    ['a listen address with shell', (p: any) => (steps(p)[5].intent.listenAddr = "10.77.201.21:2377' ; touch /tmp/pwned #"), /intent\.listenAddr is refused/],
    ['an instance that is not an EC2 ID', (p: any) => (steps(p)[5].instanceId = 'i-1;reboot'), /\.instanceId is refused: .*not an EC2 instance ID/],
    ['a node availability Docker does not have', (p: any) => (steps(p)[6].intent.availability = 'active; reboot'), /intent\.availability must be one of active, pause, drain/],
  ])('a value the builders would refuse is refused with the step named: %s', (_what, edit, message) => {
    const text = resealed(edit);
    expect(() => parsePlan(text)).toThrow(expect.objectContaining({ code: 'PlanInvalid', message: expect.stringMatching(/^plan file: plan step \S+: |^plan step \S+: /) }));
    expect(() => parsePlan(text)).toThrow(message);
  });

  test('a port out of range in the recorded options or in an intent is refused', () => {
    const ports = planRemediation({ hosts, findings, checks: ['swarm-published-ports'], options: { unpublish: [{ service: 'hostsvc', port: 9090 }] } });
    const p = JSON.parse(serializePlan(ports));
    p.clusters[0].steps[0].intent.port.publishedPort = 70000;
    p.digest = planDigest(p);
    expect(() => parsePlan(JSON.stringify(p))).toThrow(/intent\.port\.publishedPort is refused: .*not a port number/);
  });
});
