/**
 * Join tokens on a real sandbox Swarm, through the compiled CLI and the local
 * SSM endpoint: a listen-address rejoin planned and applied with
 * --log-level trace leaves no token in any stderr line, the journal, the
 * saved plan, the rendered plan or the apply result; the token the rejoin
 * script received, which SSM keeps in the command's parameters (ListCommands),
 * no longer joins the swarm afterwards.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ListCommandsCommand, SSMClient, type Command } from '@aws-sdk/client-ssm';
import { stateHash } from '../../../src/remediation/state-hash.js';
import { sandboxDown, sandboxUp, type SandboxSpec } from '../../../packages/sandbox/src/swarm/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { ensureDist, runCli } from '../cli-runner.js';
import { canRunSandbox, CREDENTIALS, docker, startHarness, type Harness } from './helpers.js';

const DIR = '/tmp/swj-remediate-it';
const WORK = '/tmp/swj-remediate-work';
const TAG = 'Swarm=swj';
/** A join token, or a cut one (the plan's validation pattern, ^SWMTKN-1-[a-z0-9]{40,60}..., is not one). */
const LEAK = /SWMTKN-1-[a-z0-9]/;
const REDACTED = 'SWMTKN-<redacted>';
const logger = silentLogger();

const SPEC: SandboxSpec = {
  prefix: 'swj',
  subnet: '10.77.170.0/24',
  clusters: [{ name: 'c1', tags: { Swarm: 'swj' } }],
  nodes: [
    { name: 'm1', cluster: 'c1', role: 'manager', bindListenAddr: true },
    // listeners on the wildcard: the plan rejoins it with a token fetched on m1
    { name: 'w1', cluster: 'c1', role: 'worker', bindListenAddr: false },
    // a daemon in no swarm and without the cluster's tag: it tries the old token at the end
    { name: 'spare' },
  ],
};

const maybe = canRunSandbox() ? describe : describe.skip;

/** Every command SSM keeps, read back the way anyone with ssm:ListCommands can. */
async function commandHistory(h: Harness): Promise<Command[]> {
  const ssm = new SSMClient({ region: h.fleet.region, endpoint: h.endpoint.url, credentials: CREDENTIALS });
  try {
    const commands: Command[] = [];
    let NextToken: string | undefined;
    do {
      const page = await ssm.send(new ListCommandsCommand({ NextToken }));
      commands.push(...(page.Commands ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return commands;
  } finally {
    ssm.destroy();
  }
}

/**
 * A fresh sandbox's listeners still move for a few seconds (the gossip and
 * VXLAN sockets open after the join); a plan made then would be refused as
 * drift at apply. Waits until two audits 2 s apart hash the same.
 */
async function untilSettled(h: Harness): Promise<void> {
  let last = stateHash((await h.audit()).hosts);
  for (let i = 0; i < 30; i += 1) {
    await new Promise((r) => setTimeout(r, 2000));
    const now = stateHash((await h.audit()).hosts);
    if (now === last) return;
    last = now;
  }
  throw new Error('the sandbox state did not settle within 60 s');
}

/** `docker swarm join` on a daemon; resolves to its exit status and stderr rather than throwing. */
function tryJoin(socket: string, token: string, manager: string): { ok: boolean; stderr: string } {
  try {
    execFileSync('/usr/bin/docker', ['-H', `unix://${socket}`, 'swarm', 'join', '--token', token, manager], {
      encoding: 'utf8',
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    return { ok: true, stderr: '' };
  } catch (err) {
    return { ok: false, stderr: String((err as { stderr?: string }).stderr ?? err) };
  }
}

maybe('join tokens never leave the process readable, and the used one is rotated', () => {
  let h: Harness;
  const node = (name: string) => h.state.nodes.find((n) => n.name === name)!;
  const cli = (args: string[]) =>
    runCli([...args, '--tag', TAG, '--endpoint-url', h.endpoint.url, '--region', h.fleet.region, '--log-level', 'trace'], { AWS_REGION: h.fleet.region }, 300_000);
  const planFile = `${WORK}/plan.json`;
  const journal = `${WORK}/apply.jsonl`;
  const stderrs: string[] = [];
  let rendered = '';

  beforeAll(async () => {
    await sandboxDown({ dir: DIR });
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    // bin/swarm-audit.js runs the compiled CLI
    ensureDist(['src/util/logger.ts', 'src/util/redact.ts', 'src/remediation/builders/swarm-listen-address.ts', 'src/remediation/render.ts', 'commands/remediate.ts']);
    const state = await sandboxUp({ spec: SPEC, dir: DIR, startEndpoint: false });
    console.log(`sandbox up in ${state.timings.totalMs} ms`);
    h = await startHarness(state, logger, TAG);
    await untilSettled(h);
  }, 300_000);

  afterAll(async () => {
    await h?.endpoint.close();
    await sandboxDown({ dir: DIR });
    // WORK (plan, journal, stderr) stays for inspection; beforeAll clears it.
  }, 120_000);

  test('the dry run plans the rejoin of w1 and shows the rotation as the last action of its settle step', async () => {
    const dry = await cli(['remediate', '--checks', 'swarm-listen-address', '--plan-file', planFile]);
    stderrs.push(dry.stderr);
    rendered = dry.stdout;
    expect(dry).toMatchObject({ code: 0 });
    const settle = dry.stdout.split('\n\n').find((block) => /\] wait for w1 Ready/.test(block));
    expect(settle).toBeDefined();
    const runs = settle!.slice(settle!.indexOf('runs (on'), settle!.indexOf('undo (on'));
    // scripts are templates: the role is a parameter line, the body reads "$JOIN_ROLE"
    expect(runs).toContain("      | JOIN_ROLE='worker'\n");
    expect(runs.trimEnd().split('\n').at(-1)).toBe('      | docker swarm join-token --rotate -q "$JOIN_ROLE" >/dev/null');
    expect(settle).toMatch(/why: .*worker join token it used is rotated/);
    expect(dry.stdout).toMatch(/\$JOIN_TOKEN is fetched first on i-\w+ by: .*JOIN_ROLE='worker'.*docker swarm join-token -q "\$JOIN_ROLE"/);
  }, 300_000);

  let tokenBefore: string;
  test('apply --log-level trace: no token in any log line, the journal, the plan or the result; the worker listens on its IP', async () => {
    tokenBefore = docker(node('m1').socket, ['swarm', 'join-token', '-q', 'worker']).trim();
    expect(tokenBefore).toMatch(LEAK);
    const applied = await cli(['remediate', '--apply', '--plan-file', planFile, '--journal', journal, '--yes']);
    stderrs.push(applied.stderr);
    expectExitZero(applied);
    expect(JSON.parse(applied.stdout)).toMatchObject({ status: 'applied' });

    const stderr = stderrs.join('');
    writeFileSync(`${WORK}/stderr.log`, stderr);
    // every stderr line is a JSON log line, except the apply's one line naming the plan it runs
    const lines = stderr.split('\n').filter((l) => l && !/^Applying plan sha256:[a-f0-9]{64} from \S+$/.test(l));
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const levels = new Set(lines.map((l) => (JSON.parse(l) as { level: number }).level));
    expect(levels.has(20)).toBe(true); // debug lines (the SDK's request and response dumps) were written
    for (const [what, text] of [
      ['stderr', stderr],
      ['journal', readFileSync(journal, 'utf8')],
      ['plan file', readFileSync(planFile, 'utf8')],
      ['rendered plan', rendered],
      ['apply result', applied.stdout],
    ] as const) {
      expect({ what, leaked: LEAK.test(text), token: text.includes(tokenBefore) }).toEqual({ what, leaked: false, token: false });
    }
    // the token did reach the logger (the SDK's dumps at trace carry command output): it came out redacted
    expect(stderr).toContain(REDACTED);

    const root = docker(node('w1').socket, ['info', '-f', '{{.DockerRootDir}}']).trim();
    const swarmState = JSON.parse(readFileSync(`${root}/swarm/docker-state.json`, 'utf8')) as { ListenAddr: string };
    expect(swarmState.ListenAddr).toBe(`${node('w1').address}:2377`);
  }, 600_000);

  test('the token SSM kept in the rejoin command\'s parameters is dead: the swarm has another, and it no longer joins', async () => {
    const sent = (await commandHistory(h))
      .flatMap((c) => c.Parameters?.commands ?? [])
      .flatMap((script) => [...script.matchAll(/JOIN_TOKEN='(SWMTKN-1-[a-z0-9-]+)'/g)].map((m) => m[1]));
    // SSM's history does hold the token: that is why it must be rotated
    expect(sent).toEqual([tokenBefore]);
    const manager = node('m1');
    const tokenNow = docker(manager.socket, ['swarm', 'join-token', '-q', 'worker']).trim();
    expect(tokenNow).toMatch(/^SWMTKN-1-/);
    expect(tokenNow).not.toBe(tokenBefore);

    const spare = node('spare');
    const withOld = tryJoin(spare.socket, tokenBefore, `${manager.address}:2377`);
    expect(withOld.ok).toBe(false);
    expect(withOld.stderr).toMatch(/join token/i);
    console.log(`joining with the token SSM kept: ${withOld.stderr.trim()}`);
    // the same daemon joins with the current token: the refusal was the token, not the network
    expect(tryJoin(spare.socket, tokenNow, `${manager.address}:2377`)).toEqual({ ok: true, stderr: '' });
  }, 180_000);
});

/** A failed CLI run shows its stderr in the assertion message. */
function expectExitZero(run: { code: number | null; stderr: string }): void {
  expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr.slice(-4000) }).toEqual({ code: 0, stderr: '' });
}
