/**
 * `backout` through main() with fake AWS: a missing, malformed or edited
 * journal is refused with exit 3 and nothing is sent; a real journal (an
 * apply of cluster A's plan, journaled by applyPlan) prints its undo steps
 * as a dry run without sending any of them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandOutcome } from '../../../src/fleet/outcome.js';
import { applyPlan } from '../../../src/remediation/apply.js';
import { planRemediation } from '../../../src/remediation/plan-remediation.js';
import type { RemoteShell } from '../../../src/remediation/remote-shell.js';
import { silentLogger } from '../../../src/util/logger.js';
import { FakeRegion } from '../helpers/fake-aws.js';
import { runCli } from '../helpers/run-cli.js';
import { fixtureFleet } from '../../remediation/helpers/fixture-fleet.js';

const REGION = 'eu-west-1';
const COMMON = ['--region', REGION, '--log-level', 'silent'];
const TOKEN = `SWMTKN-1-${'a'.repeat(50)}-${'b'.repeat(25)}`;

/** Every step succeeds; the join-token step prints a token, as docker swarm join-token -q does. */
const succeedingShell: RemoteShell = {
  run(instanceId, script): Promise<CommandOutcome> {
    const stdout = script.includes('# swarm-listen-address.join-token.sh\n') ? `${TOKEN}\n` : '';
    return Promise.resolve({ instanceId, status: 'Success', responseCode: 0, stdout, stderr: '', stdoutComplete: true });
  },
};

let dir: string;
let fake: FakeRegion;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-audit-cli-backout-'));
  fake = new FakeRegion({ inventory: [] });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function appliedJournal(path: string) {
  const { hosts, findings } = fixtureFleet();
  const plan = planRemediation({ hosts, findings });
  const result = await applyPlan({ shell: succeedingShell, refreshState: () => Promise.resolve({ hosts, findings }), logger: silentLogger(), sleep: async () => {} }, plan, {
    journalPath: path,
    force: true,
  });
  expect(result.status).toBe('applied');
  return plan;
}

describe('backout refuses a journal it cannot trust (exit 3, nothing sent)', () => {
  it('a missing journal', async () => {
    const path = join(dir, 'absent.jsonl');
    const { code, out, err } = await runCli(['backout', '--journal', path, ...COMMON], { [REGION]: fake });
    expect(code).toBe(3);
    expect(out).toBe('');
    expect(err).toContain(`cannot read journal ${path}`);
    expect(fake.ssm.calls).toEqual([]);
  });

  it('a line that is not JSON', async () => {
    const path = join(dir, 'garbage.jsonl');
    writeFileSync(path, 'remediate ran here\n{"type":"begin"}\n');
    const { code, err } = await runCli(['backout', '--journal', path, '--apply', ...COMMON], { [REGION]: fake });
    expect(code).toBe(3);
    expect(err).toContain(`journal ${path} line 1: is not valid JSON`);
    expect(fake.ssm.calls).toEqual([]);
  });

  it('a journal edited by hand (a step\'s instance changed): its hash chain breaks at that line', async () => {
    const path = join(dir, 'edited.jsonl');
    await appliedJournal(path);
    const lines = readFileSync(path, 'utf8').split('\n');
    const edited = lines.findIndex((l) => l.includes('"step-started"'));
    lines[edited] = lines[edited].replace(/i-0000000000000a00\d/, 'i-0ffffffffffffffff');
    writeFileSync(path, lines.join('\n'));
    const { code, err } = await runCli(['backout', '--journal', path, '--apply', ...COMMON], { [REGION]: fake });
    expect(code).toBe(3);
    expect(err).toContain(`line ${edited + 1}: does not match its hash`);
    expect(fake.ssm.calls).toEqual([]);
  });
});

describe('backout of a real journal without --apply', () => {
  it('prints every started step\'s undo, latest first, and sends none of them: exit 0', async () => {
    const path = join(dir, 'journal.jsonl');
    const plan = await appliedJournal(path);
    const before = readFileSync(path, 'utf8');
    const { code, out, err } = await runCli(['backout', '--journal', path, ...COMMON], { [REGION]: fake });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('Backout plan (dry run; pass --apply to execute):');
    const steps = plan.clusters.flatMap((c) => c.steps).filter((s) => s.inverse);
    const undoLines = out.split('\n').filter((l) => /^ {2}\d+\. undo \[/.test(l));
    expect(undoLines).toHaveLength(steps.length);
    // latest first: the last step applied is the first undone
    expect(undoLines[0]).toContain(`undo [${steps[steps.length - 1].id}]`);
    expect(undoLines[undoLines.length - 1]).toContain(`undo [${steps[0].id}]`);
    expect(fake.ssm.calls).toEqual([]);
    // a dry run does not write to the journal
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});
