/**
 * `remediate` through main() with fake AWS: the four nodes of cluster A
 * answer with their captured probe records. Without --apply it prints (and
 * saves) the plan and sends nothing but the read-only probe; --apply off a
 * terminal without --yes refuses before any change script is sent.
 */
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SendCommandCommandInput } from '@aws-sdk/client-ssm';
import { FakeRegion } from '../helpers/fake-aws.js';
import { runCli } from '../helpers/run-cli.js';
import { fixture } from '../../probe/frame-builder.js';

const REGION = 'eu-west-1';
const COMMON = ['--tag', 'Swarm=prod', '--region', REGION, '--log-level', 'silent'];
/** Cluster A of the captures: two managers, two workers. */
const NODES: Record<string, string> = {
  'i-0000000000000a001': 'manager-bound',
  'i-0000000000000a002': 'manager-wildcard',
  'i-0000000000000a003': 'worker-wildcard',
  'i-0000000000000a004': 'worker-bound',
};

function clusterA(): FakeRegion {
  return new FakeRegion({
    inventory: Object.keys(NODES).map((id) => ({ id, tags: { Swarm: 'prod' }, agent: { ping: 'Online' as const } })),
    run: (id) => ({ stdout: fixture(NODES[id]) }),
  });
}

/** The first lines of every script sent: the probe announces itself as read-only. */
function scriptsSent(fake: FakeRegion): string[] {
  return fake.ssm.callsOf('SendCommand').map((c) => ((c.input as SendCommandCommandInput).Parameters?.commands ?? []).slice(0, 2).join('\n'));
}
const PROBE = /swarm-audit host probe\. Read-only/;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'swarm-audit-cli-remediate-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('remediate (plan only)', () => {
  it('prints the plan for the unencrypted network, the guidance for what it does not change, saves it, and sends only the probe', async () => {
    const fake = clusterA();
    const planFile = join(dir, 'plan.json');
    const { code, out, err } = await runCli(['remediate', ...COMMON, '--plan-file', planFile], { [REGION]: fake });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^Remediation plan \(4 steps in 1 cluster\)/);
    expect(out).toContain('Dry run: nothing was changed.');
    expect(out).toMatch(/1\. \[\S+-001-network-create\] create encrypted network plain-enc on 10\.77\.202\.\d+\/28/);
    expect(out).toMatch(/2\. \[\S+-002-service-network-add\] attach web to plain-enc with aliases webalias/);
    expect(out).toMatch(/3\. \[\S+-003-service-network-rm\] detach web from plain/);
    expect(out).toMatch(/4\. \[\S+-004-network-remove\] remove unencrypted network plain/);
    expect(out).toMatch(/on: +i-0000000000000a001/);
    // ingress needs --include-ingress, a stack network its compose file: guidance, not steps
    expect(out).toMatch(/Not planned \(guidance\):[\s\S]*ingress is not encrypted[\s\S]*--include-ingress/);
    expect(out).toMatch(/belongs to stack "shop"/);
    const saved = JSON.parse(await readFile(planFile, 'utf8')) as { clusters: { steps: { id: string; instanceId?: string }[] }[] };
    expect(saved.clusters).toHaveLength(1);
    expect(saved.clusters[0].steps.map((s) => s.id.replace(/^\S+?-(\d{3}-)/, '$1'))).toEqual([
      '001-network-create',
      '002-service-network-add',
      '003-service-network-rm',
      '004-network-remove',
    ]);
    // one audit: one SendCommand of the read-only probe to the four nodes; no change script
    expect(scriptsSent(fake)).toHaveLength(1);
    expect(scriptsSent(fake)[0]).toMatch(PROBE);
    expect((fake.ssm.callsOf('SendCommand')[0].input as SendCommandCommandInput).InstanceIds).toEqual(expect.arrayContaining(Object.keys(NODES)));
  });

  it('--checks swarm-listen-address plans no network change: the encryption findings are left alone', async () => {
    const fake = clusterA();
    const { code, out } = await runCli(['remediate', ...COMMON, '--checks', 'swarm-listen-address'], { [REGION]: fake });
    expect(code).toBe(0);
    expect(out).not.toContain('plain-enc');
    expect(scriptsSent(fake).every((s) => PROBE.test(s))).toBe(true);
  });
});

describe('remediate --apply, not confirmed', () => {
  it('off a terminal without --yes: exit 3 ConfirmationRequired, no change script sent, no journal written', async () => {
    const fake = clusterA();
    const journal = join(dir, 'journal.jsonl');
    // --force: past the IPsec precondition (these captures' kernel cannot install SAs), up to the confirmation
    const { code, out, err } = await runCli(['remediate', ...COMMON, '--apply', '--force', '--journal', journal], { [REGION]: fake });
    expect(code).toBe(3);
    expect(out).toBe('');
    expect(err).toMatch(/ConfirmationRequired: remediate --apply changes live clusters: pass --yes/);
    expect(scriptsSent(fake).length).toBeGreaterThan(0);
    expect(scriptsSent(fake).every((s) => PROBE.test(s))).toBe(true);
    await expect(access(journal)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('without --force the IPsec evidence of the captures stops it first: exit 3 naming the failed SAs, no change script', async () => {
    const fake = clusterA();
    const { code, err } = await runCli(['remediate', ...COMMON, '--apply', '--yes', '--journal', join(dir, 'j.jsonl')], { [REGION]: fake });
    expect(code).toBe(3);
    expect(err).toMatch(/IpsecNotWorking: .*dockerd failed to install IPsec SAs/);
    expect(scriptsSent(fake).every((s) => PROBE.test(s))).toBe(true);
  });

  it('--apply --plan-file with a planning flag is refused before any call: the saved plan is applied as reviewed', async () => {
    const fake = clusterA();
    const planFile = join(dir, 'plan.json');
    expect((await runCli(['remediate', ...COMMON, '--plan-file', planFile], { [REGION]: fake })).code).toBe(0);
    const sentBefore = fake.ssm.calls.length;
    const { code, err } = await runCli(['remediate', ...COMMON, '--apply', '--plan-file', planFile, '--keep-name', '--yes'], { [REGION]: fake });
    expect(code).toBe(3);
    expect(err).toMatch(/--apply --plan-file applies the plan as reviewed: --keep-name would be ignored/);
    expect(fake.ssm.calls.length).toBe(sentBefore);
  });
});
