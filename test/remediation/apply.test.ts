import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandOutcome } from '../../src/fleet/outcome.js';
import { applyPlan, FORCE_SA_WARNING } from '../../src/remediation/apply.js';
import { backoutJournal } from '../../src/remediation/backout.js';
import { readJournal } from '../../src/remediation/journal.js';
import { planRemediation } from '../../src/remediation/plan-remediation.js';
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
const token: Rule = (_i, s) => (s.includes('join-token -q worker') ? { stdout: `${TOKEN}\n` } : undefined);
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
    live[0]!.facts.services!.find((s) => s.name === 'web')!.networks[0]!.aliases = [];
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

  test('without SAs after a move (IPsec evidence clean), the service is rolled back and the cluster too', async () => {
    const clean = structuredClone(hosts);
    for (const h of clean) h.facts.ipsec = { readable: true, espPolicies: 0, espStates: 0, saFailures: [] };
    const plan = planRemediation({ hosts: clean, findings, checks: ['overlay-encryption'] });
    const shell = fakeShell([noSas]);
    const result = await applyPlan(deps(shell, clean), plan, { journalPath: join(dir, 'j') });
    expect(result.clusters[0]).toMatchObject({ status: 'rolled-back', error: expect.stringContaining('no outbound SA') });
    const { records } = readJournal(join(dir, 'j'));
    expect(records.filter((r) => r.type === 'undo-done').map((r) => (r as { stepId: string }).stepId)).toEqual([plan.clusters[0]!.steps[1]!.id, plan.clusters[0]!.steps[0]!.id]);
  });

  test('stops at the first failed step, rolls back what started, and backout then has nothing left', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['swarm-listen-address'] });
    const failJoin: Rule = (i, s) => (i === 'i-0000000000000a002' && s.includes("--listen-addr '10.77.201.12:2377'") ? { status: 'Failed', responseCode: 1, stderr: 'join failed' } : undefined);
    const shell = fakeShell([token, failJoin]);
    const result = await applyPlan(deps(shell), plan, { journalPath: join(dir, 'j') });
    expect(result.status).toBe('failed');
    expect(result.clusters[0]).toMatchObject({ status: 'rolled-back', failedStep: plan.clusters[0]!.steps[4]!.id });
    // the token went in as a quoted variable, never into the journal
    expect(shell.calls.some((c) => c.script.startsWith(`JOIN_TOKEN='${TOKEN}'\n`))).toBe(true);
    expect(JSON.stringify(readJournal(join(dir, 'j')).records)).not.toContain(TOKEN);
    expect((await backoutJournal({ shell, logger: silentLogger() }, { journalPath: join(dir, 'j'), apply: true })).status).toBe('nothing-to-do');
  });

  test('--no-rollback leaves the started steps for backout', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['swarm-listen-address'] });
    const failSettle: Rule = (_i, s) => (s.includes('ready() {') && s.includes('ip-10-77-201-21') ? { status: 'Failed', responseCode: 1 } : undefined);
    const shell = fakeShell([token, failSettle]);
    const result = await applyPlan(deps(shell), plan, { journalPath: join(dir, 'j'), noRollback: true });
    expect(result.clusters[0]).toMatchObject({ status: 'failed' });
    const dry = await backoutJournal({ shell, logger: silentLogger() }, { journalPath: join(dir, 'j') });
    expect(dry.status).toBe('dry-run');
    // settle (failed, started) is undone first by demote+drain, then the rejoin, then the drain
    expect(dry.pending.map((p) => p.stepId)).toEqual([2, 1, 0].map((i) => plan.clusters[0]!.steps[i]!.id));
  });

  test('a precondition that fails stops before the step runs', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'] });
    const pre: Rule = (_i, s) => (s.includes('if docker network inspect') && s.includes('grep -q \'"encrypted":\'') && !s.includes('create') ? { status: 'Failed', responseCode: 1 } : undefined);
    const shell = fakeShell([pre]);
    const result = await applyPlan(deps(shell), plan, { journalPath: join(dir, 'j'), force: true });
    expect(result.clusters[0]).toMatchObject({ status: 'rolled-back', error: expect.stringContaining('precondition not met') });
    expect(shell.calls.some((c) => c.script.includes('docker network create'))).toBe(false);
  });

  test('an empty plan does nothing: no journal, no command', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['swarm-published-ports'] });
    const shell = fakeShell();
    expect((await applyPlan(deps(shell), plan, { journalPath: join(dir, 'j') })).status).toBe('nothing-to-do');
    expect(shell.calls).toHaveLength(0);
  });
});
