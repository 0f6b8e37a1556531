/**
 * backout runs only undo scripts the builders make from the bound plan's
 * intents (with the pre-change facts they carry), for steps of that plan on
 * its instances; a journal edited by hand is refused with its line; the dry
 * run shows exactly what --apply runs.
 */
import { HEADER, withoutHeader } from '../../src/remediation/builders/scripts.js';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandOutcome } from '../../src/fleet/outcome.js';
import { applyPlan } from '../../src/remediation/apply.js';
import { backoutJournal, renderBackout } from '../../src/remediation/backout.js';
import { JOURNAL_VERSION, JournalWriter, planInstances } from '../../src/remediation/journal.js';
import { planRemediation } from '../../src/remediation/plan-remediation.js';
import type { RemoteShell } from '../../src/remediation/remote-shell.js';
import { savedPlanOf } from '../../src/remediation/saved-plan.js';
import { canonicalJson } from '../../src/remediation/state-hash.js';
import { silentLogger } from '../../src/util/logger.js';
import { fixtureFleet } from './helpers/fixture-fleet.js';

const TOKEN = `SWMTKN-1-${'a'.repeat(50)}-${'b'.repeat(25)}`;

function recordingShell(): RemoteShell & { calls: { instanceId: string; script: string }[] } {
  const calls: { instanceId: string; script: string }[] = [];
  return {
    calls,
    async run(instanceId, script): Promise<CommandOutcome> {
      calls.push({ instanceId, script });
      const stdout = script.includes("# swarm-listen-address.join-token.sh\nJOIN_ROLE='worker'\n") ? `${TOKEN}\n` : '';
      return { instanceId, status: 'Success', responseCode: 0, stdout, stderr: '', stdoutComplete: true };
    },
  };
}

describe('backoutJournal', () => {
  const { hosts, findings } = fixtureFleet();
  const logger = silentLogger();
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swf-backout-'));
    path = join(dir, 'j.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A real apply of the whole fixture plan (overlay encryption under --force, then the rejoins). */
  async function applied(): Promise<ReturnType<typeof planRemediation>> {
    const plan = planRemediation({ hosts, findings });
    const shell = recordingShell();
    const result = await applyPlan({ shell, refreshState: async () => ({ hosts, findings }), logger, sleep: async () => {} }, plan, { journalPath: path, force: true });
    expect(result.status).toBe('applied');
    return plan;
  }

  test('the dry run shows exactly the scripts --apply runs, rebuilt from the recorded pre-change facts', async () => {
    const plan = await applied();
    const dry = await backoutJournal({ shell: recordingShell(), logger }, { journalPath: path });
    const shown = renderBackout(dry);
    const shell = recordingShell();
    const result = await backoutJournal({ shell, logger }, { journalPath: path, apply: true });
    expect(result.status).toBe('restored');
    const steps = plan.clusters[0].steps;
    const undoScripts = [...steps].reverse().map((s) => s.inverse!.script);
    // what ran: each inverse, the join token fetched first (its value exported, never journaled)
    const ran = shell.calls.filter((c) => !c.script.includes('# swarm-listen-address.join-token.sh\n')).map((c) => c.script.replace(/^JOIN_TOKEN='[^']*'\n/, ''));
    expect(ran).toEqual(undoScripts);
    // the shared preamble (daemon wait, docker_object) is printed once, every script's own lines under its undo
    expect(shown).toContain(HEADER.split('\n').map((l) => `  | ${l}`).join('\n'));
    for (const script of ran) {
      expect(script.startsWith(`${HEADER}\n`)).toBe(true);
      for (const line of withoutHeader(script).split('\n')) expect(shown).toContain(`      | ${line}`);
    }
    expect(shown).toContain('$JOIN_TOKEN is fetched first on i-0000000000000a001 by: # swarm-listen-address.join-token.sh\\nJOIN_ROLE=\'worker\'\\ndocker swarm join-token -q "$JOIN_ROLE"');
    // the removed network comes back from the facts recorded before its removal: its own subnet, gateway, labels
    const recreate = ran.find((s) => s.includes("# network-steps.network-create.sh\nNETWORK='plain'\n"))!;
    expect(recreate).toContain("NETWORK_SUBNET='10.77.202.32/28'\nNETWORK_GATEWAY='10.77.202.33'\n");
    // the rejoined worker goes back to its wildcard listen address
    expect(ran.some((s) => s.includes("# swarm-listen-address.node-rejoin.sh\nLISTEN_ADDR='0.0.0.0:2377'\nADVERTISE_ADDR='10.77.201.21'\n"))).toBe(true);
    expect(readFileSync(path, 'utf8')).not.toContain(TOKEN);
  });

  test('never executes journal text: a payload in every free-text field runs nowhere', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'] });
    const saved = savedPlanOf(plan);
    const [create, add] = plan.clusters[0].steps;
    const payload = '$(touch /tmp/pwned); touch /tmp/pwned';
    const j = JournalWriter.create(path);
    j.write({ type: 'begin', v: JOURNAL_VERSION, planDigest: saved.digest, instances: planInstances(saved), plan: saved, preState: { script: payload } });
    j.write({ type: 'warning', message: payload });
    for (const s of [create, add]) {
      j.write({ type: 'step-started', clusterId: s.clusterId, stepId: s.id, kind: s.kind, instanceId: s.instanceId, title: payload });
      j.write({ type: 'step-failed', stepId: s.id, kind: s.kind, instanceId: s.instanceId, error: payload });
    }
    j.close();
    const shell = recordingShell();
    const result = await backoutJournal({ shell, logger }, { journalPath: path, apply: true });
    expect(result.status).toBe('restored');
    expect(shell.calls.map((c) => c.script)).toEqual([add.inverse!.script, create.inverse!.script]);
    expect(shell.calls.map((c) => c.script).join('\n')).not.toContain('pwned');
  });

  test('an undo smuggled into a record is refused as an unknown field, with the line', async () => {
    await applied();
    const lines = readFileSync(path, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes('"type":"step-started"'));
    // a forger who also recomputes the chain from that line on
    let previous = JSON.parse(lines[i - 1]).hash as string;
    for (let k = i; k < lines.length && lines[k]; k += 1) {
      const { hash: _old, ...rec } = JSON.parse(lines[k]);
      if (k === i) rec.inverse = { instanceId: rec.instanceId, script: 'touch /tmp/pwned' };
      const hash = `sha256:${createHash('sha256').update(previous).update('\n').update(canonicalJson(rec)).digest('hex')}`;
      lines[k] = JSON.stringify({ ...rec, hash });
      previous = hash;
    }
    writeFileSync(path, lines.join('\n'));
    const shell = recordingShell();
    await expect(backoutJournal({ shell, logger }, { journalPath: path, apply: true })).rejects.toMatchObject({
      code: 'JournalCorrupt',
      message: `journal ${path} line ${i + 1}: $.inverse is not a known field`,
    });
    expect(shell.calls).toHaveLength(0);
  });

  test('a journal edited by hand is refused with the line number, and nothing runs', async () => {
    await applied();
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[6] = lines[6].replace(/"at":"[^"]*"/, '"at":"2020-01-01T00:00:00.000Z"');
    writeFileSync(path, lines.join('\n'));
    const shell = recordingShell();
    await expect(backoutJournal({ shell, logger }, { journalPath: path, apply: true })).rejects.toThrow(`journal ${path} line 7: does not match its hash`);
    await expect(backoutJournal({ shell, logger }, { journalPath: path })).rejects.toThrow(/line 7/);
    expect(shell.calls).toHaveLength(0);
  });

  test('an undo for a step not in the plan, or on an instance the plan does not run it on, is refused', async () => {
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'] });
    const saved = savedPlanOf(plan);
    const create = plan.clusters[0].steps[0];
    const begin = { type: 'begin' as const, v: JOURNAL_VERSION, planDigest: saved.digest, instances: planInstances(saved), plan: saved, preState: {} };
    const j = JournalWriter.create(path);
    j.write(begin);
    j.write({ type: 'step-started', clusterId: create.clusterId, stepId: `${create.clusterId.slice(0, 12)}-042-network-remove`, kind: 'network-remove', instanceId: create.instanceId, title: 'x' });
    j.close();
    const shell = recordingShell();
    await expect(backoutJournal({ shell, logger }, { journalPath: path, apply: true })).rejects.toThrow(/line 2: step \S+-042-network-remove is not in the journal's plan/);

    rmSync(path);
    const k = JournalWriter.create(path);
    k.write(begin);
    k.write({ type: 'step-started', clusterId: create.clusterId, stepId: create.id, kind: create.kind, instanceId: 'i-0000000000000a004', title: 'x' });
    k.close();
    await expect(backoutJournal({ shell, logger }, { journalPath: path, apply: true })).rejects.toThrow(/line 2: .*ran on i-0000000000000a004, but the plan runs it on i-0000000000000a001/);
    expect(shell.calls).toHaveLength(0);
  });
});
