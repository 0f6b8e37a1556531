/**
 * Faults during remediation on real sandbox Swarms: for each plan kind
 * (network migration, published ports, ingress recreate, listen-address
 * rejoin), an SSM failure, a kill -9 of the CLI and a dockerd restart on the
 * target node at a step, then the automatic rollback or `backout --journal
 * --apply` must leave networks, services and nodes exactly as they were
 * (snapshot.ts says what is compared and what is not, and why).
 *
 * CI runs the riskiest step of each kind; FAULT_MATRIX=full (npm run
 * test:faults) runs every step. The summary prints every injection point,
 * the ones not covered and why, and every difference found.
 */
import { writeFileSync } from 'node:fs';
import { silentLogger } from '../../../../src/util/logger.js';
import { ensureDist } from '../../cli-runner.js';
import { canRunSandbox } from '../helpers.js';
import { knownFailure, pointsFor, renderSummary, selectionFromEnv, type KindSummary } from './matrix.js';
import { INJECTIONS, KindSandbox, type ScenarioResult } from './scenario.js';

const selection = selectionFromEnv();
const logger = silentLogger();
const summaries: KindSummary[] = [];
const maybe = canRunSandbox() ? describe : describe.skip;

maybe('faults during remediation restore the exact pre-change state', () => {
  beforeAll(() => {
    // the CLI runs compiled: build when a source it runs is newer than its output
    ensureDist(['commands/remediate.ts', 'commands/backout.ts', 'src/remediation/apply.ts', 'src/remediation/backout.ts', 'src/remediation/journal.ts']);
  });

  afterAll(() => {
    const text = renderSummary(summaries, selection.full);
    process.stdout.write(text);
    const label = [selection.full ? 'full' : 'ci', ...selection.kinds.map((k) => k.spec.prefix), ...selection.injections].join('-');
    writeFileSync(`/tmp/swarm-audit-faults-${label}.json`, `${JSON.stringify({ full: selection.full, summaries }, null, 2)}\n`);
  });

  for (const kind of selection.kinds) {
    describe(kind.name, () => {
      const box = new KindSandbox(kind, `/tmp/${kind.spec.prefix}-faults-it`, `/tmp/${kind.spec.prefix}-faults-work`, logger);

      beforeAll(async () => {
        await box.up();
        process.stdout.write(`${kind.name}: sandbox up in ${box.state.timings.totalMs} ms\n`);
      }, 300_000);

      afterAll(() => box.down(), 120_000);

      ((selection.full && !selection.stepKinds) || kind.controlInCi ? test : test.skip)('control: a fault-free apply shows in the snapshot diff, and backout restores it', async () => {
        const { applied, afterBackout } = await box.control();
        process.stdout.write(`${kind.name} control: apply changed ${applied.length} snapshot field(s), e.g. ${applied[0]}; after backout: ${afterBackout.length ? afterBackout.join('; ') : 'restored'}\n`);
        expect(applied.length).toBeGreaterThan(0);
        expect(afterBackout).toEqual([]);
      }, 900_000);

      test(`every selected step × injection is restored (${selection.full ? 'full matrix' : 'riskiest step'})`, async () => {
        const steps = await box.plan();
        const summary: KindSummary = { kind: kind.name, steps: steps.map((s) => s.kind), possible: steps.length * INJECTIONS.length, results: [], rebuilt: 0 };
        summaries.push(summary);
        for (const point of pointsFor(kind, steps, selection)) {
          let result: ScenarioResult;
          try {
            result = await box.scenario(point.index, point.step.kind, point.injection);
          } catch (err) {
            const diff = [`scenario error: ${(err as Error).message.split('\n').slice(0, 3).join(' | ')}`];
            result = { kind: kind.name, stepIndex: point.index, stepKind: point.step.kind, injection: point.injection, injected: false, apply: 'error', recovery: 'backout-failed', restored: false, diff, ms: 0 };
          }
          summary.results.push(result);
          process.stdout.write(`${kind.name} ${point.index + 1}. ${point.step.kind} × ${point.injection}: ${result.restored ? 'restored' : `NOT RESTORED${knownFailure(result) ? ' (known bug)' : ''}\n  ${result.diff.join('\n  ')}`} (${result.apply}, ${result.recovery}, ${Math.round(result.ms / 1000)} s)\n`);
          if (!result.restored) {
            // the next scenario needs the pre-change state: start over from a fresh sandbox
            await box.up();
            summary.rebuilt += 1;
          }
        }
        const failed = summary.results.filter((r) => !r.injected || (!r.restored && !knownFailure(r)));
        expect(failed.map((r) => ({ step: `${r.stepIndex + 1}. ${r.stepKind}`, injection: r.injection, injected: r.injected, apply: r.apply, diff: r.diff }))).toEqual([]);
      }, selection.full ? 3_600_000 : 900_000);
    });
  }
});
