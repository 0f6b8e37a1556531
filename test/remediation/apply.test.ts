import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandOutcome } from '../../src/fleet/outcome.js';
import { applyExitCode, applyPlan, FORCE_SA_WARNING } from '../../src/remediation/apply.js';
import { backoutJournal } from '../../src/remediation/backout.js';
import { readJournal } from '../../src/remediation/journal.js';
import { planRemediation } from '../../src/remediation/plan-remediation.js';
import { parsePlan, planDigest, serializePlan } from '../../src/remediation/saved-plan.js';
import type { RemoteShell } from '../../src/remediation/remote-shell.js';
import { silentLogger } from '../../src/util/logger.js';
import { fixtureFleet } from './helpers/fixture-fleet.js';

type Rule = (instanceId: string, script: string) => Partial<CommandOutcome> | undefined;

/** A shell that succeeds unless a rule says otherwise, and remembers what ran where. */
function fakeShell(rules: Rule[] = []): RemoteShell & { calls: { instanceId: string; script: string }[] } {
  const calls: { instanceId: string; script: string }[] = [];
  return {
    calls,
    async run(instanceId, script) {
      calls.push({ instanceId, script });
      const hit = rules.map((r) => r(instanceId, script)).find(Boolean);
      return { instanceId, status: 'Success', responseCode: 0, stdout: '', stderr: '', stdoutComplete: true, ...hit };
    },
  };
}

const TOKEN = `SWMTKN-1-${'a'.repeat(50)}-${'b'.repeat(25)}`;
const token: Rule = (_i, s) => (s.includes("# swarm-listen-address.join-token.sh\nJOIN_ROLE='worker'\n") ? { stdout: `${TOKEN}\n` } : undefined);
/** No IPsec SAs anywhere (this machine's kernel), tasks on two nodes. */
const noSas: Rule = (_i, s) =>
  s.includes('docker service ps') ? { stdout: 'ip-10-77-201-11\nip-10-77-201-21\n' } : s.includes('ip xfrm') ? { stdout: '---xfrm-policy---\n' } : undefined;

describe('applyPlan', () => {
  const { hosts, findings } = fixtureFleet();
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'swf-apply-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const deps = (shell: RemoteShell, live = hosts) => ({ shell, refreshState: async () => ({ hosts: live, findings }), logger: silentLogger(), sleep: async () => {} });

  test('refuses on drift, before any command runs', async () => {
    const plan = planRemediation({ hosts, findings });
    const live = structuredClone(hosts);
    live[0].facts.services!.find((s) => s.name === 'web')!.networks[0].aliases = [];
    const shell = fakeShell();
    await expect(applyPlan(deps(shell, live), plan, { journalPath: join(dir, 'j') })).rejects.toMatchObject({ code: 'PlanDrift' });
    expect(shell.calls).toHaveLength(0);
  });

  test('refuses encryption when nodes show IPsec failing, unless --force', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'] });
    const shell = fakeShell();
    await expect(applyPlan(deps(shell), plan, { journalPath: join(dir, 'j') })).rejects.toMatchObject({
      code: 'IpsecNotWorking',
      message: expect.stringContaining('dockerd failed to install IPsec SAs'),
    });
    expect(shell.calls).toHaveLength(0);
  });

  test('--force proceeds and records the SA check as a warning', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'] });
    const shell = fakeShell([noSas]);
    const result = await applyPlan(deps(shell), plan, { journalPath: join(dir, 'j'), force: true });
    expect(result.status).toBe('applied');
    expect(result.warnings.some((w) => w.startsWith(FORCE_SA_WARNING))).toBe(true);
    const { records } = readJournal(join(dir, 'j'));
    expect(records.filter((r) => r.type === 'step-done')).toHaveLength(4);
    expect(records.at(-1)).toMatchObject({ type: 'end', status: 'applied' });
  });

  test('refuses encryption when the members\' security groups allow no ESP, asking EC2 only when the plan needs it', async () => {
    const clean = structuredClone(hosts);
    for (const h of clean) {
      h.facts.ipsec = { readable: true, espPolicies: 0, espStates: 0, saFailures: [] };
      h.instance.securityGroups = [{ groupId: 'sg-swarm' }];
    }
    const asked: string[][] = [];
    const securityGroupRules = async (ids: string[]) => {
      asked.push(ids);
      return new Map([['sg-swarm', [{ protocol: 'tcp' }, { protocol: 'udp' }]]]);
    };
    const shell = fakeShell([token]);
    const encryption = planRemediation({ hosts: clean, findings, checks: ['overlay-encryption'] });
    await expect(applyPlan({ ...deps(shell, clean), securityGroupRules }, encryption, { journalPath: join(dir, 'j') })).rejects.toMatchObject({
      code: 'IpsecNotWorking',
      message: expect.stringContaining('security groups allow no ESP'),
    });
    expect(asked).toEqual([['sg-swarm']]);
    expect(shell.calls).toHaveLength(0);

    const listenOnly = planRemediation({ hosts: clean, findings, checks: ['swarm-listen-address'] });
    expect(listenOnly.clusters.length).toBeGreaterThan(0);
    await applyPlan({ ...deps(shell, clean), securityGroupRules }, listenOnly, { journalPath: join(dir, 'k') });
    expect(asked).toHaveLength(1);
  });

  test('without SAs after a move (IPsec evidence clean), the service is rolled back and the cluster too: exit non-zero', async () => {
    const clean = structuredClone(hosts);
    for (const h of clean) h.facts.ipsec = { readable: true, espPolicies: 0, espStates: 0, saFailures: [] };
    const plan = planRemediation({ hosts: clean, findings, checks: ['overlay-encryption'] });
    const [create, add, detach] = plan.clusters[0].steps;
    const shell = fakeShell([noSas]);
    const result = await applyPlan(deps(shell, clean), plan, { journalPath: join(dir, 'j') });
    expect(result).toMatchObject({ status: 'failed', warnings: [] });
    expect(result.clusters[0]).toMatchObject({ status: 'rolled-back', failedStep: add.id, error: expect.stringContaining('no outbound SA') });
    expect(applyExitCode(result)).toBe(1);
    const { records } = readJournal(join(dir, 'j'));
    expect(records.filter((r) => r.type === 'undo-done').map((r) => (r as { stepId: string }).stepId)).toEqual([add.id, create.id]);
    // the undos that ran are the builders' inverses: the service leaves plain-enc, then plain-enc is removed; web never left plain
    const ran = shell.calls.map((c) => c.script);
    expect(ran.slice(-2)).toEqual([add.inverse!.script, create.inverse!.script]);
    expect(ran).not.toContain(detach.script);
    expect(records.at(-1)).toMatchObject({ type: 'end', status: 'failed' });
  });

  test('with --force a missing SA after a move is a warning: applied, exit 0', async () => {
    const clean = structuredClone(hosts);
    for (const h of clean) h.facts.ipsec = { readable: true, espPolicies: 0, espStates: 0, saFailures: [] };
    const plan = planRemediation({ hosts: clean, findings, checks: ['overlay-encryption'] });
    const result = await applyPlan(deps(fakeShell([noSas]), clean), plan, { journalPath: join(dir, 'j'), force: true });
    expect(result.status).toBe('applied');
    expect(applyExitCode(result)).toBe(0);
    expect(result.warnings).toEqual([expect.stringMatching(new RegExp(`^${FORCE_SA_WARNING} for web on plain-enc: IPsec SAs missing: .*no outbound SA`))]);
  });

  test('a step on an instance that is not a live member of its cluster is refused, naming the step, before anything runs', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['swarm-listen-address'] });
    const saved = JSON.parse(serializePlan(plan));
    saved.clusters[0].steps[1].instanceId = 'i-0000000000000bad';
    saved.digest = planDigest(saved);
    const shell = fakeShell([token]);
    const clusterId = plan.clusters[0].clusterId;
    await expect(applyPlan(deps(shell), parsePlan(JSON.stringify(saved)), { journalPath: join(dir, 'j') })).rejects.toMatchObject({
      code: 'PlanInvalid',
      message: `plan step ${plan.clusters[0].steps[1].id}: instance i-0000000000000bad is not a member of cluster ${clusterId}`,
    });
    // the join token's source counts too
    const viaToken = JSON.parse(serializePlan(plan));
    viaToken.clusters[0].steps[1].intent.tokenFrom = 'i-0000000000000bad';
    viaToken.digest = planDigest(viaToken);
    await expect(applyPlan(deps(shell), parsePlan(JSON.stringify(viaToken)), { journalPath: join(dir, 'j') })).rejects.toThrow(/instance i-0000000000000bad is not a member/);
    // a member, but of no cluster the live audit knows as this one: the worker audited alone
    const alone = hosts.filter((h) => h.instance.instanceId !== 'i-0000000000000a003');
    await expect(applyPlan(deps(shell, alone), plan, { journalPath: join(dir, 'j') })).rejects.toThrow(/instance i-0000000000000a003 is not a member of cluster/);
    expect(shell.calls).toHaveLength(0);
    expect(existsSync(join(dir, 'j'))).toBe(false);
  });

  test('a stale plan (valid, resealed, but not what planning from the live state gives) is refused, naming the steps', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'] });
    const saved = JSON.parse(serializePlan(plan));
    saved.clusters[0].steps[0].intent.network.subnet = '10.99.0.0/24';
    saved.clusters[0].steps[0].intent.network.gateway = '10.99.0.1';
    saved.clusters[0].steps[1].intent.attachment.aliases = [];
    saved.digest = planDigest(saved);
    const shell = fakeShell();
    const [create, add] = plan.clusters[0].steps;
    await expect(applyPlan(deps(shell), parsePlan(JSON.stringify(saved)), { journalPath: join(dir, 'j'), force: true })).rejects.toMatchObject({
      code: 'PlanStale',
      message: expect.stringContaining(`steps differ: ${create.id} (different now), ${add.id} (different now)`),
    });
    const dropped = JSON.parse(serializePlan(plan));
    dropped.clusters[0].steps.splice(3, 1);
    dropped.digest = planDigest(dropped);
    await expect(applyPlan(deps(shell), parsePlan(JSON.stringify(dropped)), { journalPath: join(dir, 'j'), force: true })).rejects.toThrow(
      `${plan.clusters[0].steps[3].id} (planned now, not in the reviewed plan)`,
    );
    expect(shell.calls).toHaveLength(0);
  });

  test('runs the scripts the builders make from the intents, never text carried by the plan', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'] });
    for (const s of plan.clusters[0].steps) {
      s.script = 'touch /tmp/pwned';
      s.precondition = { script: 'touch /tmp/pwned', expect: 'x' };
      s.inverse = { instanceId: s.instanceId, script: 'touch /tmp/pwned' };
      delete s.verify;
    }
    const shell = fakeShell([noSas]);
    const result = await applyPlan(deps(shell), plan, { journalPath: join(dir, 'j'), force: true });
    expect(result).toMatchObject({ status: 'applied', planDigest: planDigest(plan) });
    expect(shell.calls.map((c) => c.script).join('\n')).not.toContain('pwned');
    expect(shell.calls.some((c) => c.script.includes("# network-steps.service-attach.sh\nSERVICE='web'\nNETWORK='plain-enc'\nATTACHMENT='name=plain-enc,alias=webalias'\n"))).toBe(true);
    // the SA check comes from the step kind: dropping `verify` from a plan does not skip it
    expect(shell.calls.some((c) => c.script.includes('ip xfrm'))).toBe(true);
  });

  test('stops at the first failed step, rolls back what started, and backout then has nothing left', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['swarm-listen-address'] });
    const failJoin: Rule = (i, s) => (i === 'i-0000000000000a002' && s.includes("LISTEN_ADDR='10.77.201.12:2377'") ? { status: 'Failed', responseCode: 1, stderr: 'join failed' } : undefined);
    const shell = fakeShell([token, failJoin]);
    const result = await applyPlan(deps(shell), plan, { journalPath: join(dir, 'j') });
    expect(result.status).toBe('failed');
    expect(result.clusters[0]).toMatchObject({ status: 'rolled-back', failedStep: plan.clusters[0].steps[4].id });
    // the token went in as a quoted variable, never into the journal
    expect(shell.calls.some((c) => c.script.startsWith(`JOIN_TOKEN='${TOKEN}'\n`))).toBe(true);
    expect(JSON.stringify(readJournal(join(dir, 'j')).records)).not.toContain(TOKEN);
    expect((await backoutJournal({ shell, logger: silentLogger() }, { journalPath: join(dir, 'j'), apply: true })).status).toBe('nothing-to-do');
  });

  test('a rollback whose undo could not run (dockerd down) ends rollback-failed, exit 1, and backout still has it to undo', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'] });
    let daemonDown = false;
    const restarting: Rule = (_i, s) => {
      if (s.includes('--network-add')) daemonDown = true;
      if (!daemonDown) return undefined;
      const stderr = s.includes('--network-add') ? 'Cannot connect to the Docker daemon' : 'docker daemon not reachable after 60 s: Cannot connect to the Docker daemon';
      return { status: 'Failed', responseCode: 1, stderr };
    };
    const shell = fakeShell([noSas, restarting]);
    const result = await applyPlan(deps(shell), plan, { journalPath: join(dir, 'j'), force: true });
    const [create, add] = plan.clusters[0].steps;
    expect(result.clusters[0]).toMatchObject({ status: 'rollback-failed', failedStep: add.id, error: expect.stringContaining('docker daemon not reachable after 60 s') });
    expect(applyExitCode(result)).toBe(1);
    const { records } = readJournal(join(dir, 'j'));
    expect(records.filter((r) => r.type === 'undo-failed')).toMatchObject([{ stepId: add.id, phase: 'rollback' }]);
    expect(records.some((r) => r.type === 'cluster-done' && r.status === 'rolled-back')).toBe(false);
    expect(records.filter((r) => r.type === 'cluster-done')).toMatchObject([{ status: 'rollback-failed' }]);
    daemonDown = false;
    const dry = await backoutJournal({ shell, logger: silentLogger() }, { journalPath: join(dir, 'j') });
    expect(dry.pending.map((p) => p.stepId)).toEqual([add.id, create.id]);
  });

  test('--no-rollback leaves the started steps for backout', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['swarm-listen-address'] });
    const failSettle: Rule = (_i, s) => (s.includes("# swarm-listen-address.node-settle.sh\nNODE_HOSTNAME='ip-10-77-201-21'\n") ? { status: 'Failed', responseCode: 1 } : undefined);
    const shell = fakeShell([token, failSettle]);
    const result = await applyPlan(deps(shell), plan, { journalPath: join(dir, 'j'), noRollback: true });
    expect(result.clusters[0]).toMatchObject({ status: 'failed' });
    const dry = await backoutJournal({ shell, logger: silentLogger() }, { journalPath: join(dir, 'j') });
    expect(dry.status).toBe('dry-run');
    // settle (failed, started) is undone first by demote+drain, then the rejoin, then the drain
    expect(dry.pending.map((p) => p.stepId)).toEqual([2, 1, 0].map((i) => plan.clusters[0].steps[i].id));
  });

  test('a precondition that fails stops before the step runs', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'] });
    const pre: Rule = (_i, s) => (s.includes('# network-steps.network-create.check.sh\n') ? { status: 'Failed', responseCode: 1 } : undefined);
    const shell = fakeShell([pre]);
    const result = await applyPlan(deps(shell), plan, { journalPath: join(dir, 'j'), force: true });
    expect(result.clusters[0]).toMatchObject({ status: 'rolled-back', error: expect.stringContaining('precondition not met') });
    expect(shell.calls.some((c) => c.script.includes('# network-steps.network-create.sh\n'))).toBe(false);
  });

  test('an empty plan does nothing: no journal, no command', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['swarm-published-ports'] });
    const shell = fakeShell();
    expect((await applyPlan(deps(shell), plan, { journalPath: join(dir, 'j') })).status).toBe('nothing-to-do');
    expect(shell.calls).toHaveLength(0);
  });
});
