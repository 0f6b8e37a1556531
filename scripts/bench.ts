/**
 * `npm run bench`: speed and memory figures of a fleet-scale audit, printed
 * (the project keeps such targets here, never in timed tests). Runs the real
 * pipeline against the local AWS-compatible endpoint in this process: a plain
 * fleet (default 2,000 instances) and a smaller one under throttling.
 * Exit 0 when every invariant held, 1 when one did not, 3 on bad flags.
 * Details: scripts/BENCH.md; the pieces: scripts/bench/.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../src/errors.js';
import { stageFixtures } from './bench/bench-fleet.js';
import type { BenchFigures, VariantFigures } from './bench/figures.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './bench/options.js';
import { formatFigures } from './bench/print-figures.js';
import { lifetimeMaxRssBytes } from './bench/rss-sampler.js';
import { runVariant } from './bench/run-variant.js';
import { selectedVariants } from './bench/variants.js';

async function bench(argv: string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 3;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const workDir = await mkdtemp(join(tmpdir(), 'swarm-audit-bench-'));
  // Ctrl-C: the sandbox's children are short `cat`s that end on their own; the temp dir must not stay behind.
  const onInterrupt = () => {
    rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  try {
    await stageFixtures(workDir);
    const variants: VariantFigures[] = [];
    for (const variant of selectedVariants(options)) {
      process.stderr.write(`bench: ${variant.name} variant, ${variant.instances} instances...\n`);
      variants.push(await runVariant(variant, workDir));
    }
    const figures = benchFigures(argv, variants);
    process.stdout.write(options.json ? `${JSON.stringify(figures, null, 2)}\n` : `${formatFigures(figures)}\n`);
    return figures.ok ? 0 : 1;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    await rm(workDir, { recursive: true, force: true });
  }
}

function benchFigures(argv: string[], variants: VariantFigures[]): BenchFigures {
  const cpuList = cpus();
  return {
    machine: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
      totalMemBytes: totalmem(),
    },
    command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' '),
    variants,
    lifetimeMaxRssBytes: lifetimeMaxRssBytes(),
    ok: variants.every((v) => v.problems.length === 0),
  };
}

try {
  process.exitCode = await bench(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`bench failed: ${err instanceof UsageError ? err.message : (err as Error).stack ?? String(err)}\n`);
  process.exitCode = err instanceof UsageError ? 3 : 1;
}
