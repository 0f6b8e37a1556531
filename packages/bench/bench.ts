/**
 * `npm run bench`: swarm-audit's runner against the naive SDK way and the
 * floor script, in one run under the same conditions (latency per call,
 * optional token buckets per operation), for each fleet size (default 1,000
 * and 10,000). Prints wall time, API calls by operation, throttling answers,
 * instances finished and peak RSS per way, the ratios, and the runner's
 * targets at 10,000. Exit 0 when every way finished every instance and every
 * invariant held, 1 otherwise, 3 on bad flags. Details: packages/bench/BENCH.md; the
 * pieces: packages/bench/src/.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { UsageError } from '../../src/errors.js';
import { benchFleet } from './src/bench-fleet.js';
import type { BenchFigures, SizeFigures, WayFigures } from './src/figures.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './src/options.js';
import { formatFigures } from './src/print-figures.js';
import { runWay } from './src/run-way.js';
import { formatStartup, measureStartup } from './src/startup.js';
import { TARGET_SIZE, targetChecks } from './src/targets.js';
import { WAYS } from './src/ways/way-input.js';

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
  process[options.json ? 'stderr' : 'stdout'].write(`${formatStartup(measureStartup())}\n\n`);
  const sizes: SizeFigures[] = [];
  for (const instances of options.sizes) sizes.push(await measureSize(instances, options));
  const figures = benchFigures(argv, options, sizes);
  process.stdout.write(options.json ? `${JSON.stringify(figures, null, 2)}\n` : `${formatFigures(figures)}\n`);
  return figures.ok ? 0 : 1;
}

async function measureSize(instances: number, options: BenchOptions): Promise<SizeFigures> {
  const ways: WayFigures[] = [];
  for (const way of WAYS) {
    const ran = way === 'naive' ? Math.min(instances, options.naiveMax) : instances;
    process.stderr.write(`bench: ${instances} instances, ${way} way${ran !== instances ? ` (run at ${ran})` : ''}...\n`);
    ways.push(await runWay(way, benchFleet(ran, options), options.concurrency));
  }
  const runner = ways.find((w) => w.way === 'runner')!;
  const floor = ways.find((w) => w.way === 'floor')!;
  return { instances, ways, targets: instances === TARGET_SIZE ? targetChecks(runner, floor) : [] };
}

function benchFigures(argv: string[], options: BenchOptions, sizes: SizeFigures[]): BenchFigures {
  const cpuList = cpus();
  return {
    machine: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
      totalMemBytes: totalmem(),
      loadAverage: loadavg(),
    },
    command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' '),
    conditions: { latencyMs: options.latencyMs, runtimeMs: options.runtimeMs, concurrency: options.concurrency, throttle: options.throttle },
    sizes,
    ok: sizes.every((s) => s.ways.every((w) => w.problems.length === 0 && w.finished === w.ranInstances)),
  };
}

try {
  process.exitCode = await bench(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`bench failed: ${err instanceof UsageError ? err.message : (err as Error).stack ?? String(err)}\n`);
  process.exitCode = err instanceof UsageError ? 3 : 1;
}
