/**
 * One plan kind on its own sandbox Swarm, and one fault scenario on it: plan
 * (dry run through the CLI), apply through the CLI with a fault injected at
 * step N, recover (the automatic rollback, else `backout --journal --apply`),
 * then compare the cluster with its pre-change snapshot.
 *
 * Injections, all outside the product:
 * - ssm-failure: the endpoint's faults.failCommands fails the SendCommand
 *   whose script is step N's (invocation Failed, nothing ran);
 * - kill-9: SIGKILL to the CLI as soon as step N's `step-started` is in the
 *   journal (the step may or may not have run on the host);
 * - dockerd-restart: the target node's dockerd restarted at that moment, the
 *   apply left to go on (it may fail and roll back, or succeed).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { Logger } from 'pino';
import type { FleetFile } from '../../../../packages/sandbox/src/fleet-file-types.js';
import { startEndpoint } from '../../../../packages/sandbox/src/endpoint/server.js';
import { sandboxDown, sandboxUp, type SandboxState } from '../../../../packages/sandbox/src/swarm/index.js';
import { restartDockerd } from '../../../../packages/sandbox/src/swarm/restart-dockerd.js';
import { runCli, type CliRun } from '../../cli-runner.js';
import { clusterOutcome, journalLines, waitForStepStarted } from './journal-tail.js';
import type { PlanKind } from './plan-kinds.js';
import { planSteps, type PlanStep } from './plan-steps.js';
import { clusterSnapshot, diffSnapshots, docker, type ClusterSnapshot } from './snapshot.js';

export const INJECTIONS = ['ssm-failure', 'kill-9', 'dockerd-restart'] as const;
export type Injection = (typeof INJECTIONS)[number];

export interface ScenarioResult {
  kind: string;
  stepIndex: number;
  stepKind: string;
  injection: Injection;
  /** The fault hit step N (for ssm-failure: step N failed; otherwise: seen started and acted on). */
  injected: boolean;
  /** How the apply ended: CLI exit code and the journal's last cluster outcome. */
  apply: string;
  recovery: 'rollback' | 'backout' | 'backout-failed';
  restored: boolean;
  diff: string[];
  ms: number;
}

const CLI_TIMEOUT_MS = 360_000;
const SETTLE_MS = 90_000;

export class KindSandbox {
  state!: SandboxState;
  before!: ClusterSnapshot;
  private fleet!: FleetFile;
  private counter = 0;

  constructor(
    readonly kind: PlanKind,
    private readonly dir: string,
    private readonly work: string,
    private readonly logger: Logger,
  ) {}

  /** Builds (or rebuilds) the sandbox; the work dir (plans, journals) is cleared on the first build only, so a failed scenario's journal stays for inspection. */
  async up(): Promise<void> {
    await sandboxDown({ dir: this.dir });
    if (this.counter === 0) rmSync(this.work, { recursive: true, force: true });
    mkdirSync(this.work, { recursive: true });
    this.state = await sandboxUp({ spec: this.kind.spec, dir: this.dir, startEndpoint: false });
    this.fleet = JSON.parse(readFileSync(this.state.fleetFile, 'utf8')) as FleetFile;
    const socket = this.socketOf(this.kind.managerNode);
    for (const [node, labels] of Object.entries(this.kind.nodeLabels)) {
      const flags = Object.entries(labels).flatMap(([k, v]) => ['--label-add', `${k}=${v}`]);
      await docker(socket, ['node', 'update', ...flags, node]);
    }
    this.before = await clusterSnapshot(this.state, this.kind.managerNode);
  }

  async down(): Promise<void> {
    await sandboxDown({ dir: this.dir });
  }

  /** The plan's steps, from a dry run through the CLI on a fault-free endpoint. */
  async plan(): Promise<PlanStep[]> {
    return this.withEndpoint(this.fleet, (cli) => this.dryRun(cli, `${this.work}/plan-${++this.counter}.json`));
  }

  async scenario(stepIndex: number, stepKind: string, injection: Injection): Promise<ScenarioResult> {
    const started = Date.now();
    const name = `${String(++this.counter).padStart(3, '0')}-${stepIndex}-${stepKind}-${injection}`;
    const planFile = `${this.work}/${name}.plan.json`;
    const journal = `${this.work}/${name}.jsonl`;
    const steps = await this.withEndpoint(this.fleet, (cli) => this.dryRun(cli, planFile));
    const step = steps[stepIndex];
    if (step?.kind !== stepKind) throw new Error(`${this.kind.name}: a fresh plan has ${step?.kind ?? 'no step'} at ${stepIndex}, not ${stepKind}`);

    const fleet = injection === 'ssm-failure' ? withFailedCommand(this.fleet, step.script) : this.fleet;
    // One endpoint for the apply and the backout: a command in flight when the CLI dies keeps running, as on a real agent.
    const { injected, apply, recovery } = await this.withEndpoint(fleet, async (cli) => {
      let child: ChildProcess | undefined;
      const run = cli(['remediate', '--apply', '--plan-file', planFile, '--journal', journal, '--yes', '--force', '--tag', this.kind.tag], (c) => (child = c));
      let hit = false;
      if (injection !== 'ssm-failure' && (await waitForStepStarted(journal, step.id, run))) {
        hit = true;
        if (injection === 'kill-9') child!.kill('SIGKILL');
        else await restartDockerd({ spec: this.kind.spec, dir: this.dir, node: this.nodeOf(step.instanceId) });
      }
      const applied = await run;
      const lines = await journalLines(journal);
      if (injection === 'ssm-failure') hit = lines.some((l) => l.type === 'step-failed' && l.stepId === step.id);
      const outcome = clusterOutcome(lines);
      const apply = `${applied.code === null ? 'killed' : `exit ${applied.code}`}, ${outcome ?? 'no cluster outcome'}`;
      if (outcome === 'rolled-back') return { injected: hit, apply, recovery: 'rollback' as const };
      const backout = await cli(['backout', '--journal', journal, '--apply']);
      if (backout.code !== 0) this.logger.warn({ scenario: name, stdout: backout.stdout, stderr: backout.stderr.slice(-2000) }, 'backout failed');
      return { injected: hit, apply, recovery: backout.code === 0 ? ('backout' as const) : ('backout-failed' as const) };
    });
    const diff = await this.settledDiff();
    return { kind: this.kind.name, stepIndex, stepKind, injection, injected, apply, recovery, restored: diff.length === 0, diff, ms: Date.now() - started };
  }

  /**
   * The negative control: a fault-free apply must show up in the snapshot
   * diff (so a diff of nothing after a fault means restored, not blind), and
   * backout must then restore it. Returns both diffs.
   */
  async control(): Promise<{ applied: string[]; afterBackout: string[] }> {
    const planFile = `${this.work}/control.plan.json`;
    const journal = `${this.work}/control.jsonl`;
    return this.withEndpoint(this.fleet, async (cli) => {
      await this.dryRun(cli, planFile);
      const apply = await cli(['remediate', '--apply', '--plan-file', planFile, '--journal', journal, '--yes', '--force', '--tag', this.kind.tag]);
      if (apply.code !== 0) throw new Error(`${this.kind.name}: the fault-free apply failed (exit ${apply.code}): ${apply.stderr.slice(-1500)}`);
      const applied = diffSnapshots(this.before, await clusterSnapshot(this.state, this.kind.managerNode));
      const backout = await cli(['backout', '--journal', journal, '--apply']);
      if (backout.code !== 0) throw new Error(`${this.kind.name}: backout of the fault-free apply failed (exit ${backout.code}): ${backout.stderr.slice(-1500)}`);
      return { applied, afterBackout: await this.settledDiff() };
    });
  }

  /** The differences from the pre-change snapshot once the cluster had time to converge (nodes Ready again after a restart). */
  async settledDiff(): Promise<string[]> {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      let diff: string[];
      try {
        diff = diffSnapshots(this.before, await clusterSnapshot(this.state, this.kind.managerNode));
      } catch (err) {
        diff = [`snapshot failed: ${(err as Error).message.split('\n')[0]}`];
      }
      if (diff.length === 0 || Date.now() > deadline) return diff;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  private async dryRun(cli: Cli, planFile: string): Promise<PlanStep[]> {
    const run = await cli(['remediate', '--tag', this.kind.tag, ...this.kind.planArgs, '--plan-file', planFile]);
    if (run.code !== 0) throw new Error(`${this.kind.name}: dry run failed (exit ${run.code}): ${run.stderr.slice(-1500)}`);
    return planSteps(readFileSync(planFile, 'utf8'), run.stdout);
  }

  /** An in-process endpoint over `fleet` for the duration of `work`: every scenario starts with fresh fault counters. */
  private async withEndpoint<T>(fleet: FleetFile, work: (cli: Cli) => Promise<T>): Promise<T> {
    const endpoint = await startEndpoint({ fleet, logger: this.logger });
    const cli: Cli = (args, onSpawn) =>
      runCli([...args, '--endpoint-url', endpoint.url, '--region', fleet.region, '--log-level', 'warn'], { AWS_REGION: fleet.region }, CLI_TIMEOUT_MS, onSpawn);
    try {
      return await work(cli);
    } finally {
      await endpoint.close();
    }
  }

  private socketOf(node: string): string {
    return this.state.nodes.find((n) => n.name === node)!.socket;
  }

  private nodeOf(instanceId: string): string {
    const node = this.state.nodes.find((n) => n.instanceId === instanceId);
    if (!node) throw new Error(`no sandbox node has instance ${instanceId}`);
    return node.name;
  }
}

type Cli = (args: string[], onSpawn?: (child: ChildProcess) => void) => Promise<CliRun>;

/** The sandbox's fleet with one more targeted fault: the first command containing `script` ends Failed, unrun. */
function withFailedCommand(fleet: FleetFile, script: string): FleetFile {
  return { ...fleet, faults: { ...fleet.faults, failCommands: [...(fleet.faults?.failCommands ?? []), { match: script, as: 'Failed' }] } };
}
