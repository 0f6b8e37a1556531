/**
 * Remediation on a real sandbox Swarm, every command through the local SSM
 * endpoint: IPsec precheck refusal, hostile names, kill -9 mid-apply then
 * backout, apply + fresh audit + idempotent re-run, backout to the exact
 * pre-change state.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../../src/util/logger.js';
import { applyPlan, FORCE_SA_WARNING } from '../../../src/remediation/apply.js';
import { backoutJournal } from '../../../src/remediation/backout.js';
import { readJournal } from '../../../src/remediation/journal.js';
import { planRemediation } from '../../../src/remediation/plan-remediation.js';
import type { Plan } from '../../../src/remediation/plan.js';
import { serializePlan } from '../../../src/remediation/saved-plan.js';
import { ssmRemoteShell } from '../../../src/remediation/remote-shell.js';
import { sandboxDown, sandboxUp } from '../../../packages/sandbox/src/swarm/index.js';
import { ensureDist, REPO } from '../cli-runner.js';
import { canRunSandbox, clusterState, docker, SPEC, startHarness, TAG, waitFor, type Harness } from './helpers.js';

const DIR = '/tmp/swf-remediate-it';
const WORK = '/tmp/swf-remediate-work';
const CHILD = fileURLToPath(new URL('./fixtures/apply-child.mjs', import.meta.url));
const logger = silentLogger();

const maybe = canRunSandbox() ? describe : describe.skip;


maybe('remediation on a real sandbox swarm, through SSM', () => {
  let h: Harness;
  let before: unknown;
  const manager = () => h.state.nodes.find((n) => n.name === 'm1')!.socket;
  const shell = () => ssmRemoteShell({ ssm: h.clients.ssm, logger }, { pollIntervalMs: 200 });
  const deps = () => ({ shell: shell(), refreshState: () => h.audit(), logger });

  beforeAll(async () => {
    await sandboxDown({ dir: DIR });
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    ensureDist(['src/remediation/apply.ts']); // the kill -9 test runs the compiled library in a child process
    const state = await sandboxUp({ spec: SPEC, dir: DIR, startEndpoint: false });
    console.log(`sandbox up in ${state.timings.totalMs} ms`);
    h = await startHarness(state, logger);
    // Hostile values Docker itself accepts: a label value and an alias full of shell syntax.
    docker(manager(), ['network', 'create', '-d', 'overlay', '--label', 'evil=$(reboot);x', '--label', "q=it's", 'labelled']);
    docker(manager(), ['network', 'create', '-d', 'overlay', 'hostile']);
    docker(manager(), ['service', 'create', '-q', '-d', '--no-resolve-image', '--replicas', '0', '--name', 'evilalias', '--network', 'name=hostile,"alias=$(id)"', 'local/busybox:1']);
    before = clusterState(state);
  }, 240_000);

  afterAll(async () => {
    await h?.endpoint.close();
    await sandboxDown({ dir: DIR });
    // WORK (plans, journals) stays for inspection; beforeAll clears it.
  }, 120_000);

  test('the IPsec precheck refuses encryption without --force on this kernel, and nothing changes', async () => {
    const { hosts, findings } = await h.audit();
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'] });
    expect(plan.clusters[0].steps.some((s) => s.verify)).toBe(true);
    await expect(applyPlan(deps(), plan, { journalPath: `${WORK}/refused.jsonl` })).rejects.toMatchObject({
      code: 'IpsecNotWorking',
      message: expect.stringMatching(/failed to install IPsec SAs|no SAs/),
    });
    expect(existsSync(`${WORK}/refused.jsonl`)).toBe(false);
    expect(clusterState(h.state)).toEqual(before);
  }, 120_000);

  test('hostile names are refused or quoted, never executed', async () => {
    const { hosts, findings } = await h.audit();
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'] });
    const scripts = plan.clusters.flatMap((c) => c.steps).map((s) => s.script);
    expect(scripts.join('\n')).not.toMatch(/hostile/);
    expect(plan.guidance.find((g) => g.resource === 'hostile')?.message).toMatch(/cannot plan a safe migration: .*\$\(id\)/);
    // one label a line, quoted as one value (the template passes each to docker as one --label argument)
    expect(scripts.find((s) => s.includes("NETWORK='labelled-enc'"))).toContain(`NETWORK_LABELS='evil=$(reboot);x\nq=it'\\''s'`);
    expect(() => planRemediation({ hosts, findings, options: { hostMode: ['x;reboot'] } })).toThrow(expect.objectContaining({ code: 'UnsafeValue' }));
  }, 120_000);

  test('a CLI killed with -9 mid-apply leaves a journal that backout uses to restore the state', async () => {
    const { hosts, findings } = await h.audit();
    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'] });
    const addWeb = plan.clusters[0].steps.find((s) => s.kind === 'service-network-add' && s.title.includes('web'))!;
    writeFileSync(`${WORK}/kill.plan.json`, serializePlan(plan));
    const journal = `${WORK}/kill.jsonl`;
    const child = spawn(process.execPath, [CHILD, REPO, `${WORK}/kill.plan.json`, journal, h.endpoint.url, TAG, h.fleet.region], { stdio: 'ignore' });
    try {
      const addedWeb = () => existsSync(journal) && readFileSync(journal, 'utf8').includes(`"type":"step-done","stepId":"${addWeb.id}"`);
      await waitFor('web attached to the encrypted network', addedWeb, 180_000);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(`${journal}.result`)).toBe(false);
    expect(docker(manager(), ['network', 'ls', '--format', '{{.Name}}'])).toContain('plain-enc');

    const dry = await backoutJournal({ shell: shell(), logger }, { journalPath: journal });
    expect(dry.status).toBe('dry-run');
    const result = await backoutJournal({ shell: shell(), logger }, { journalPath: journal, apply: true });
    expect(result.status).toBe('restored');
    expect(clusterState(h.state)).toEqual(before);
  }, 420_000);

  let applyJournal: string;
  test('apply fixes overlay encryption (--force) and listen addresses of a worker and a non-sole manager; a fresh audit passes them; a re-run does nothing', async () => {
    const { hosts, findings } = await h.audit();
    const plan: Plan = planRemediation({ hosts, findings, checks: ['overlay-encryption', 'swarm-listen-address'] });
    const titles = plan.clusters[0].steps.map((s) => s.title);
    expect(titles).toEqual(expect.arrayContaining([expect.stringMatching(/^drain worker w1/), expect.stringMatching(/^demote and drain manager m2/)]));
    applyJournal = `${WORK}/apply.jsonl`;
    const result = await applyPlan(deps(), plan, { journalPath: applyJournal, force: true });
    expect(result).toMatchObject({ status: 'applied' });
    expect(result.warnings.some((w) => w.startsWith(FORCE_SA_WARNING))).toBe(true);
    expect(readJournal(applyJournal).records.some((r) => r.type === 'warning' && r.message.startsWith(FORCE_SA_WARNING))).toBe(true);

    const after = await h.audit();
    const failing = after.findings.filter((f) => f.status === 'FAIL');
    expect(failing.filter((f) => f.checkId === 'swarm-listen-address')).toEqual([]);
    // what stays FAIL is what was not planned: ingress (needs --include-ingress) and the network with the hostile alias
    expect(failing.filter((f) => f.checkId === 'overlay-encryption').map((f) => f.resource.name).sort()).toEqual(['hostile', 'ingress']);
    const listen = (clusterState(h.state) as { listen: { name: string; listenAddr: string }[] }).listen;
    expect(listen.find((l) => l.name === 'w1')!.listenAddr).toBe('10.77.150.13:2377');

    const again = planRemediation({ ...after, checks: ['overlay-encryption', 'swarm-listen-address'] });
    expect(again.clusters).toEqual([]);
    expect((await applyPlan(deps(), again, { journalPath: `${WORK}/again.jsonl` })).status).toBe('nothing-to-do');
  }, 600_000);

  test('backout restores networks, attachments, aliases, ports, roles, availability and listen addresses exactly', async () => {
    const result = await backoutJournal({ shell: shell(), logger }, { journalPath: applyJournal, apply: true });
    expect(result).toMatchObject({ status: 'restored' });
    expect(clusterState(h.state)).toEqual(before);
  }, 600_000);
});
