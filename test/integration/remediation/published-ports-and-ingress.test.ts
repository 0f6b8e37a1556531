/**
 * swarm-published-ports and the ingress recreate on a real sandbox Swarm,
 * every command through the local SSM endpoint: the only manager is refused
 * (manual runbook); the CLI plans, applies and backs out an unpublish;
 * --unpublish and --host-mode apply, a fresh audit sees them, backout restores
 * the ports exactly; --include-ingress recreates ingress encrypted with the
 * published services restored, and backout brings the original ingress back.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { silentLogger } from '../../../src/util/logger.js';
import { applyPlan, FORCE_SA_WARNING } from '../../../src/remediation/apply.js';
import { backoutJournal } from '../../../src/remediation/backout.js';
import { readJournal } from '../../../src/remediation/journal.js';
import { planRemediation } from '../../../src/remediation/plan-remediation.js';
import { parsePlan } from '../../../src/remediation/saved-plan.js';
import { renderPlan } from '../../../src/remediation/render.js';
import { ssmRemoteShell } from '../../../src/remediation/remote-shell.js';
import { sandboxDown, sandboxUp } from '../../../packages/sandbox/src/swarm/index.js';
import { ensureDist } from '../cli-runner.js';
import { canRunSandbox, clusterState, type Harness } from './helpers.js';
import { ingressView, runCli, servicePorts, startSwpHarness, SWP_SPEC, SWP_TAG } from './ports-helpers.js';

const DIR = '/tmp/swp-remediate-it';
const WORK = '/tmp/swp-remediate-work';
const logger = silentLogger();

const maybe = canRunSandbox() ? describe : describe.skip;

/** The exact commands the builders emit for the sandbox's services (quote.ts single-quotes every value). */
/** A port as the templates take it (src/remediation/builders/port-steps.*.sh): "PROTOCOL TARGET PUBLISHED MODE". */
const port = (published: number, target: number, protocol: string, mode: string) => `${protocol} ${target} ${published} ${mode}`;
/** A script's parameters as the plan holds and prints them: NAME='value', a list one element per line. */
const params = (values: Record<string, string | string[]>) =>
  Object.entries(values).map(([k, v]) => `${k}='${typeof v === 'string' ? v : v.join('\n')}'`).join('\n');

maybe('published ports and the ingress recreate on a real sandbox swarm, through SSM', () => {
  let h: Harness;
  let before: unknown;
  let portsBefore: ReturnType<typeof servicePorts>;
  const manager = () => h.state.nodes.find((n) => n.name === 'm1')!;
  const worker = () => h.state.nodes.find((n) => n.name === 'w1')!;
  const shell = () => ssmRemoteShell({ ssm: h.clients.ssm, logger }, { pollIntervalMs: 200 });
  const deps = () => ({ shell: shell(), refreshState: () => h.audit(), logger });
  const endpointArgs = () => ['--endpoint-url', h.endpoint.url, '--region', h.fleet.region, '--log-level', 'warn'];
  const portFindings = (findings: { checkId: string; resource: { type: string; id: string }; status: string }[]) =>
    Object.fromEntries(findings.filter((f) => f.checkId === 'swarm-published-ports' && f.resource.type === 'port').map((f) => [f.resource.id, f.status]));

  beforeAll(async () => {
    await sandboxDown({ dir: DIR });
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    // bin/swarm-audit.js runs the compiled CLI
    ensureDist(['commands/remediate.ts', 'src/remediation/builders/swarm-published-ports.ts', 'src/remediation/builders/scripts.ts']);
    const state = await sandboxUp({ spec: SWP_SPEC, dir: DIR, startEndpoint: false });
    console.log(`sandbox up in ${state.timings.totalMs} ms`);
    h = await startSwpHarness(state, logger);
    before = clusterState(state);
    portsBefore = servicePorts(manager().socket);
  }, 300_000);

  afterAll(async () => {
    await h?.endpoint.close();
    await sandboxDown({ dir: DIR });
    // WORK (plans, journals) stays for inspection; beforeAll clears it.
  }, 120_000);

  test('the sandbox publishes in ingress and host mode, and the audit sees it', async () => {
    expect(portsBefore.web.spec.map((p) => `${p.PublishedPort}:${p.TargetPort}/${p.Protocol} ${p.PublishMode}`)).toEqual(['8080:80/tcp ingress', '8088:80/tcp ingress']);
    expect(portsBefore.edge.spec.map((p) => p.PublishMode)).toEqual(['host']);
    const { findings } = await h.audit();
    expect(portFindings(findings)).toEqual({
      'web:8080/tcp': 'FAIL',
      'web:8088/tcp': 'FAIL',
      'api:8081/tcp': 'FAIL',
      'api:5353/udp': 'FAIL',
      'edge:8443/tcp': 'WARN',
    });
  }, 120_000);

  test('swarm-listen-address refuses the only manager, carries the manual runbook, and changes nothing', async () => {
    const { hosts, findings } = await h.audit();
    const m1 = manager();
    expect(findings.find((f) => f.checkId === 'swarm-listen-address' && f.instanceId === m1.instanceId && f.status === 'FAIL')).toBeDefined();
    const plan = planRemediation({ hosts, findings, checks: ['swarm-listen-address'] });
    expect(plan.clusters).toEqual([]);
    const refusal = plan.guidance.find((g) => g.checkId === 'swarm-listen-address' && g.instanceId === m1.instanceId)!;
    expect(refusal.message).toMatch(/single-manager cluster .*refusing/);
    expect(refusal.runbook).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Manual runbook .*backup of \/var\/lib\/docker\/swarm/),
        `  docker swarm init --force-new-cluster --listen-addr ${m1.address}:2377 --advertise-addr ${m1.address}`,
      ]),
    );
    const text = renderPlan(plan);
    expect(text).toContain('Nothing to change.');
    expect(text).toContain(`docker swarm init --force-new-cluster --listen-addr ${m1.address}:2377`);

    const journal = `${WORK}/listen.jsonl`;
    expect((await applyPlan(deps(), plan, { journalPath: journal })).status).toBe('nothing-to-do');
    expect(existsSync(journal)).toBe(false);
    expect(clusterState(h.state)).toEqual(before);
    const listen = (clusterState(h.state) as { listen: { name: string; listenAddr: string }[] }).listen;
    expect(listen.find((l) => l.name === 'm1')!.listenAddr).toBe('0.0.0.0:2377');
  }, 120_000);

  test('CLI: remediate --unpublish --plan-file prints and saves the exact commands, --apply runs the saved plan, backout restores', async () => {
    const planFile = `${WORK}/cli.plan.json`;
    const dry = await runCli(
      ['remediate', '--tag', SWP_TAG, '--checks', 'swarm-published-ports', '--unpublish', 'web:8088', '--plan-file', planFile, ...endpointArgs()],
      h.fleet.region,
    );
    expect(dry).toMatchObject({ code: 0 });
    // Docker's --publish-rm takes every port on target 80: 8080 is published again by a second update (RESTORE)
    const command = params({ SERVICE: 'web', PORT: port(8088, 80, 'tcp', 'ingress'), REMOVE: port(8088, 80, 'tcp', 'ingress'), ADD: '', RESTORE: port(8080, 80, 'tcp', 'ingress') });
    const undo = params({ SERVICE: 'web', PORTS: [port(8088, 80, 'tcp', 'ingress'), port(8080, 80, 'tcp', 'ingress')] });
    expect(dry.stdout).toContain('Dry run: nothing was changed.');
    for (const c of [command, undo]) expect(dry.stdout).toContain(c.split('\n').map((l) => `      | ${l}`).join('\n'));
    // what is not asked for is guidance, not a change
    expect(dry.stdout).toMatch(/swarm-published-ports \(cluster \S+ \/ api\): .*--unpublish SERVICE:PORT/);
    const plan = parsePlan(readFileSync(planFile, 'utf8'));
    expect(plan.options.unpublish).toEqual([{ service: 'web', port: 8088 }]);
    expect(plan.clusters).toHaveLength(1);
    const [step] = plan.clusters[0].steps;
    expect(plan.clusters[0].steps).toHaveLength(1);
    expect(step.kind).toBe('service-publish-rm');
    expect(step.script).toContain(`# port-steps.ports-remove.sh\n${command}\n`);
    expect(step.inverse!.script).toContain(`# port-steps.ports-publish.sh\n${undo}\n`);
    expect(clusterState(h.state)).toEqual(before);

    const journal = `${WORK}/cli.jsonl`;
    const applied = await runCli(['remediate', '--apply', '--plan-file', planFile, '--journal', journal, '--yes', '--tag', SWP_TAG, ...endpointArgs()], h.fleet.region);
    expect(applied).toMatchObject({ code: 0 });
    expect(JSON.parse(applied.stdout)).toMatchObject({ status: 'applied' });
    const ports = servicePorts(manager().socket);
    expect(ports.web.spec).toEqual(portsBefore.web.spec.filter((p) => p.PublishedPort !== 8088));
    expect({ ...ports, web: undefined }).toEqual({ ...portsBefore, web: undefined });

    const backout = await runCli(['backout', '--journal', journal, '--apply', ...endpointArgs()], h.fleet.region);
    expect(backout).toMatchObject({ code: 0 });
    expect(backout.stdout).toContain('Backout restored:');
    expect(servicePorts(manager().socket)).toEqual(portsBefore);
    expect(clusterState(h.state)).toEqual(before);
  }, 300_000);

  test('--unpublish and --host-mode apply; a fresh audit no longer fails them (host mode warns); backout restores the ports exactly', async () => {
    const { hosts, findings } = await h.audit();
    const plan = planRemediation({
      hosts,
      findings,
      checks: ['swarm-published-ports'],
      options: { unpublish: [{ service: 'web', port: 8080 }], hostMode: ['api'] },
    });
    const steps = plan.clusters[0].steps;
    expect(steps.map((s) => s.kind)).toEqual(['service-publish-rm', 'service-publish-add']);
    expect(steps[0].script).toContain(params({ SERVICE: 'web', PORT: port(8080, 80, 'tcp', 'ingress'), REMOVE: port(8080, 80, 'tcp', 'ingress'), ADD: '', RESTORE: port(8088, 80, 'tcp', 'ingress') }));
    const ingressPorts = [port(5353, 53, 'udp', 'ingress'), port(8081, 81, 'tcp', 'ingress')];
    const hostPorts = [port(5353, 53, 'udp', 'host'), port(8081, 81, 'tcp', 'host')];
    expect(steps[1].script).toContain(params({ SERVICE: 'api', PORT: ingressPorts[0], REMOVE: ingressPorts, ADD: hostPorts, RESTORE: '' }));
    expect(steps.map((s) => s.script + s.inverse!.script).join('\n')).not.toMatch(/dnsrr|:8080:|\d+\.\d+\.\d+\.\d+:\d+/);
    expect(plan.guidance.map((g) => g.resource)).toEqual(expect.arrayContaining(['edge']));

    const journal = `${WORK}/ports.jsonl`;
    const result = await applyPlan(deps(), plan, { journalPath: journal });
    expect(result).toMatchObject({ status: 'applied' });

    const ports = servicePorts(manager().socket);
    const show = (list: { PublishedPort: number; TargetPort: number; Protocol: string; PublishMode: string }[]) =>
      list.map((p) => `${p.PublishedPort}:${p.TargetPort}/${p.Protocol} ${p.PublishMode}`);
    expect(show(ports.web.spec)).toEqual(['8088:80/tcp ingress']);
    expect(show(ports.api.spec)).toEqual(['8081:81/tcp host', '5353:53/udp host']);
    expect(show(ports.api.allocated)).toEqual(['8081:81/tcp host', '5353:53/udp host']);
    expect(ports.edge).toEqual(portsBefore.edge);

    const after = await h.audit();
    expect(portFindings(after.findings)).toEqual({
      'web:8088/tcp': 'FAIL', // not asked for: still published in ingress mode
      'api:8081/tcp': 'WARN',
      'api:5353/udp': 'WARN',
      'edge:8443/tcp': 'WARN',
    });
    // a re-run finds nothing left to switch
    expect(planRemediation({ ...after, checks: ['swarm-published-ports'], options: { hostMode: ['api'] } }).clusters).toEqual([]);

    const backout = await backoutJournal({ shell: shell(), logger }, { journalPath: journal, apply: true });
    expect(backout).toMatchObject({ status: 'restored' });
    expect(servicePorts(manager().socket)).toEqual(portsBefore);
    expect(clusterState(h.state)).toEqual(before);
  }, 300_000);

  test('--include-ingress recreates ingress encrypted with the published services restored; backout brings the original ingress back', async () => {
    const ingressBefore = ingressView(manager().socket);
    expect(ingressBefore.options).not.toHaveProperty('encrypted');
    expect(ingressView(worker().socket)).toEqual(ingressBefore);
    const { hosts, findings } = await h.audit();

    const without = planRemediation({ hosts, findings, checks: ['overlay-encryption'] });
    expect(without.clusters).toEqual([]);
    expect(without.guidance.find((g) => g.resource === 'ingress')?.message).toMatch(/--include-ingress/);

    const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'], options: { includeIngress: true } });
    const steps = plan.clusters[0].steps;
    expect(steps.map((s) => s.kind)).toEqual(['ingress-unpublish', 'ingress-unpublish', 'ingress-remove', 'ingress-create', 'ingress-republish', 'ingress-republish']);
    expect(steps.filter((s) => s.verify).map((s) => s.verify!.service)).toEqual(['api', 'web']);
    for (const s of steps) {
      // the downtime is stated on every step and names every ingress-published port, and no host-mode one
      expect(s.downtime).toMatch(/unreachable from the first unpublish until they are restored/);
      for (const p of ['web:8080/tcp', 'web:8088/tcp', 'api:8081/tcp', 'api:5353/udp']) expect(s.downtime).toContain(p);
      expect(s.downtime).not.toContain('edge');
    }
    const create = steps.find((s) => s.kind === 'ingress-create')!;
    const subnet = (ingressBefore.ipam as { config: { subnet: string; gateway: string }[] }).config[0];
    expect(create.script).toContain(params({ NETWORK: 'ingress', NETWORK_INGRESS: 'true', NETWORK_ENCRYPTED: 'true' }));
    expect(create.script).toContain(params({ NETWORK_SUBNET: subnet.subnet, NETWORK_GATEWAY: subnet.gateway }));

    // republishing onto an encrypted ingress whose SAs this kernel cannot install would blackhole the routing mesh
    await expect(applyPlan(deps(), plan, { journalPath: `${WORK}/ingress-refused.jsonl` })).rejects.toMatchObject({ code: 'IpsecNotWorking' });
    expect(existsSync(`${WORK}/ingress-refused.jsonl`)).toBe(false);
    expect(clusterState(h.state)).toEqual(before);

    const journal = `${WORK}/ingress.jsonl`;
    const result = await applyPlan(deps(), plan, { journalPath: journal, force: true });
    expect(result).toMatchObject({ status: 'applied' });
    expect(result.warnings.filter((w) => w.startsWith(`${FORCE_SA_WARNING} for `)).sort()).toEqual([
      expect.stringMatching(new RegExp(`^${FORCE_SA_WARNING} for api on ingress: `)),
      expect.stringMatching(new RegExp(`^${FORCE_SA_WARNING} for web on ingress: `)),
    ]);
    expect(readJournal(journal).records.filter((r) => r.type === 'step-done')).toHaveLength(steps.length);

    const ingressAfter = ingressView(manager().socket);
    expect(ingressAfter.id).not.toBe(ingressBefore.id);
    expect(ingressAfter).toMatchObject({ name: 'ingress', ingress: true, ipam: ingressBefore.ipam, labels: ingressBefore.labels });
    expect(ingressAfter.options).toHaveProperty('encrypted');
    // the routing mesh is back on every node, not only where a publishing task runs
    expect(ingressView(worker().socket)).toEqual(ingressAfter);
    expect(servicePorts(manager().socket)).toEqual(portsBefore);

    const after = await h.audit();
    const ingressFinding = after.findings.find((f) => f.checkId === 'overlay-encryption' && f.resource.name === 'ingress')!;
    expect(ingressFinding.status).not.toBe('FAIL');
    expect(ingressFinding.message).toMatch(/network ingress is encrypted/);
    expect(portFindings(after.findings)).toEqual(portFindings(findings));

    const backout = await backoutJournal({ shell: shell(), logger }, { journalPath: journal, apply: true });
    expect(backout).toMatchObject({ status: 'restored' });
    const restored = ingressView(manager().socket);
    expect({ ...restored, id: undefined }).toEqual({ ...ingressBefore, id: undefined });
    expect(ingressView(worker().socket)).toEqual(restored);
    expect(servicePorts(manager().socket)).toEqual(portsBefore);
    expect(clusterState(h.state)).toEqual(before);
  }, 420_000);
});
