/**
 * A saved plan or a journal edited after review, against a real sandbox
 * Swarm through the compiled CLI and the local SSM endpoint: an edited plan
 * (a shell payload in a value, a quoted payload that passes validation, a
 * changed instance) is refused with exit 3 and not one SendCommand beyond
 * apply's own audit; the plan really applied leaves a journal that, edited by
 * hand, `backout --apply` refuses with the line number (no SendCommand),
 * and that, intact, restores the cluster.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { sandboxDown, sandboxUp, type SandboxSpec } from '../../../packages/sandbox/src/swarm/index.js';
import { planDigest } from '../../../src/remediation/saved-plan.js';
import { silentLogger } from '../../../src/util/logger.js';
import { ensureDist, runCli } from '../cli-runner.js';
import { canRunSandbox, clusterState, startHarness, type Harness } from './helpers.js';

const DIR = '/tmp/swt-remediate-it';
const WORK = '/tmp/swt-remediate-work';
const TAG = 'Swarm=swt';
/** Where a payload that ever ran would leave its mark: the sandbox's instances share this machine's /tmp. */
const PWNED = `/tmp/swt-pwned-${process.pid}`;
const logger = silentLogger();

const SPEC: SandboxSpec = {
  prefix: 'swt',
  subnet: '10.77.180.0/24',
  clusters: [
    {
      name: 'c1',
      tags: { Swarm: 'swt' },
      networks: [{ name: 'plain', labels: { tier: 'front' }, subnet: '10.31.1.0/24' }],
      services: [{ name: 'web', replicas: 1, networks: [{ name: 'plain', aliases: ['www'] }] }],
    },
  ],
  nodes: [
    { name: 'm1', cluster: 'c1', role: 'manager', bindListenAddr: true },
    { name: 'w1', cluster: 'c1', role: 'worker', bindListenAddr: true },
  ],
};

const maybe = canRunSandbox() ? describe : describe.skip;

type SavedPlan = { digest: string; clusters: { clusterId: string; steps: { id: string; kind: string; instanceId: string; intent: Record<string, any> }[] }[] };

maybe('edited plans and journals are refused on a real sandbox swarm', () => {
  let h: Harness;
  let before: unknown;
  const planFile = `${WORK}/plan.json`;
  const cli = (args: string[]) =>
    runCli([...args, '--endpoint-url', h.endpoint.url, '--region', h.fleet.region, '--log-level', 'warn'], { AWS_REGION: h.fleet.region }, 300_000);
  const remediate = (args: string[]) => cli(['remediate', '--tag', TAG, ...args]);
  const sendCommands = async () => {
    const stats = (await (await fetch(`${h.endpoint.url}/_sandbox/stats`)).json()) as { requests: Record<string, number> };
    return stats.requests.SendCommand ?? 0;
  };
  /** SendCommands a run made (the endpoint counts them). */
  const counted = async <T>(run: () => Promise<T>): Promise<{ result: T; sent: number }> => {
    const start = await sendCommands();
    const result = await run();
    return { result, sent: (await sendCommands()) - start };
  };
  const saved = () => JSON.parse(readFileSync(planFile, 'utf8')) as SavedPlan;
  const writePlan = (name: string, p: SavedPlan, reseal: boolean) => {
    if (reseal) p.digest = planDigest(p as never);
    writeFileSync(`${WORK}/${name}`, JSON.stringify(p, null, 2));
    return `${WORK}/${name}`;
  };
  const apply = (file: string, journal: string) => remediate(['--apply', '--plan-file', file, '--journal', journal, '--yes', '--force']);
  let auditSends = 0;

  beforeAll(async () => {
    await sandboxDown({ dir: DIR });
    rmSync(WORK, { recursive: true, force: true });
    rmSync(PWNED, { force: true });
    mkdirSync(WORK, { recursive: true });
    ensureDist(['commands/remediate.ts', 'commands/backout.ts', 'src/remediation/saved-plan.ts', 'src/remediation/journal.ts', 'src/remediation/apply.ts']);
    const state = await sandboxUp({ spec: SPEC, dir: DIR, startEndpoint: false });
    console.log(`sandbox up in ${state.timings.totalMs} ms`);
    h = await startHarness(state, logger, TAG);
    before = clusterState(state);
  }, 300_000);

  afterAll(async () => {
    await h?.endpoint.close();
    await sandboxDown({ dir: DIR });
    rmSync(PWNED, { force: true });
  }, 120_000);

  test('the dry run prints the plan digest and saves it with the intents', async () => {
    const { result: dry, sent } = await counted(() => remediate(['--checks', 'overlay-encryption', '--plan-file', planFile]));
    expect(dry.code).toBe(0);
    auditSends = sent; // the probe (one SendCommand for the instances): what any audit sends
    expect(auditSends).toBeGreaterThan(0);
    const p = saved();
    expect(dry.stdout).toContain(`Plan digest: ${p.digest}`);
    expect(planDigest(p as never)).toBe(p.digest);
    expect(p.clusters[0].steps.map((s) => s.kind)).toEqual(['network-create', 'service-network-add', 'service-network-rm', 'network-remove']);
    expect(readFileSync(planFile, 'utf8')).not.toMatch(/docker |set -eu/);
  }, 180_000);

  test('a shell payload in a value is refused with exit 3 before any AWS call', async () => {
    for (const reseal of [false, true]) {
      const p = saved();
      p.clusters[0].steps[0].intent.network.name = `plain-enc$(touch ${PWNED})`;
      const file = writePlan(`payload-${reseal}.json`, p, reseal);
      const { result, sent } = await counted(() => apply(file, `${WORK}/payload-${reseal}.jsonl`));
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`plan step ${p.clusters[0].steps[0].id}: $.clusters[0].steps[0].intent.network.name is refused`);
      expect(sent).toBe(0);
      expect(existsSync(`${WORK}/payload-${reseal}.jsonl`)).toBe(false);
    }
  }, 120_000);

  test('a quoted payload that passes validation is caught as a stale plan: exit 3, only the audit sent commands', async () => {
    const p = saved();
    p.clusters[0].steps[0].intent.network.labels = { tier: `front$(touch ${PWNED})` };
    const file = writePlan('stale.json', p, true);
    const { result, sent } = await counted(() => apply(file, `${WORK}/stale.jsonl`));
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(new RegExp(`PlanStale: .*${p.clusters[0].steps[0].id} \\(different now\\)`));
    expect(sent).toBe(auditSends);
    // and without resealing it, the digest refuses it before any AWS call
    const edited = saved();
    edited.clusters[0].steps[0].intent.network.labels = { tier: `front$(touch ${PWNED})` };
    const unsealed = writePlan('tampered.json', edited, false);
    const tampered = await counted(() => apply(unsealed, `${WORK}/tampered.jsonl`));
    expect(tampered.result.code).toBe(3);
    expect(tampered.result.stderr).toMatch(/PlanTampered: plan file \S+tampered.json was changed after it was written/);
    expect(tampered.sent).toBe(0);
  }, 180_000);

  test('a changed instance is refused: a non-member by name, a member by the stale check; exit 3, nothing but the audit', async () => {
    const p = saved();
    const step = p.clusters[0].steps[1];
    step.instanceId = 'i-0ffffffffffffffff';
    const file = writePlan('stranger.json', p, true);
    const { result, sent } = await counted(() => apply(file, `${WORK}/stranger.jsonl`));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`plan step ${step.id}: instance i-0ffffffffffffffff is not a member of cluster ${p.clusters[0].clusterId}`);
    expect(sent).toBe(auditSends);

    const q = saved();
    const w1 = h.state.nodes.find((n) => n.name === 'w1')!.instanceId;
    q.clusters[0].steps[1].instanceId = w1;
    const memberFile = writePlan('member.json', q, true);
    const member = await counted(() => apply(memberFile, `${WORK}/member.jsonl`));
    expect(member.result.code).toBe(3);
    expect(member.result.stderr).toMatch(/PlanStale: /);
    expect(member.sent).toBe(auditSends);
    expect(clusterState(h.state)).toEqual(before);
    expect(existsSync(PWNED)).toBe(false);
  }, 240_000);

  test('the reviewed plan applies; its journal edited by hand is refused by backout --apply with the line; intact, it restores', async () => {
    const journal = `${WORK}/apply.jsonl`;
    const applied = await apply(planFile, journal);
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ status: 'applied', planDigest: saved().digest });
    expect(clusterState(h.state)).not.toEqual(before);
    const original = readFileSync(journal, 'utf8');
    const lines = original.split('\n');
    const n = lines.findIndex((l) => l.includes('"type":"step-started"') && l.includes('network-remove'));
    lines[n] = lines[n].replace(/"instanceId":"[^"]+"/, `"instanceId":"${h.state.nodes.find((x) => x.name === 'w1')!.instanceId}"`);
    writeFileSync(journal, lines.join('\n'));

    const refused = await counted(() => cli(['backout', '--journal', journal, '--apply']));
    expect(refused.result.code).toBe(3);
    expect(refused.result.stderr).toContain(`journal ${journal} line ${n + 1}: does not match its hash`);
    expect(refused.sent).toBe(0);

    writeFileSync(journal, original);
    const restored = await cli(['backout', '--journal', journal, '--apply']);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('Backout restored:');
    expect(clusterState(h.state)).toEqual(before);
    expect(existsSync(PWNED)).toBe(false);
  }, 420_000);
});
