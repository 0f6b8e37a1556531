/** Renders the figures as the plain-text tables of `npm run bench`. */
import type { BenchFigures, SizeFigures, WayFigures } from './figures.js';
import { totalOf } from './targets.js';
import { renderTable, type Row } from './text-table.js';

const MB = 1024 * 1024;
const WAY_TITLES = { runner: '(1) swarm-audit', naive: '(2) naive SDK', floor: '(3) floor script' } as const;

export function formatFigures(figures: BenchFigures): string {
  const { machine, conditions } = figures;
  const throttle = Object.entries(conditions.throttle).map(([op, b]) => `${op} ${b.ratePerSec}/s burst ${b.burst}`);
  return [
    `swarm-audit bench: ${machine.cpus} CPUs (${machine.cpuModel}), ${(machine.totalMemBytes / 2 ** 30).toFixed(1)} GiB, ` +
      `node ${machine.node} ${machine.platform}/${machine.arch}, load average ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}`,
    `command: ${figures.command}`,
    `conditions (every way): ${conditions.latencyMs} ms added to every AWS call, recorded probe outputs answering after ` +
      `${conditions.runtimeMs[0]}-${conditions.runtimeMs[1]} ms (seeded), ${conditions.concurrency} calls in flight, ` +
      `token buckets: ${throttle.length > 0 ? throttle.join(', ') : 'none'}; a fresh endpoint per way, each way in its own process.`,
    'wall time = discovery (the product\'s, for every way) through the last output collected; swarm-audit then decodes, ' +
      'evaluates and reports (shown apart).',
    ...figures.sizes.flatMap((size) => ['', ...sizeSection(size)]),
    '',
    figures.ok ? 'result: every way finished every instance; every invariant held' : 'result: PROBLEMS (exit 1)',
  ].join('\n');
}

function sizeSection(size: SizeFigures): string[] {
  const { ways } = size;
  const runner = ways.find((w) => w.way === 'runner')!;
  const rows: Row[] = [
    { label: 'instances run', cells: ways.map((w) => `${w.ranInstances}`) },
    { label: 'wall time (ms)', cells: ways.map((w) => scaled(w, size, w.wallMs, 0)) },
    { label: '  of which discovery', cells: ways.map((w) => w.discoveryMs.toFixed(0)) },
    { label: 'API calls', cells: ways.map((w) => scaled(w, size, totalOf(w.calls), 0)) },
    ...operationRows(ways, (w) => w.calls, size),
    { label: 'throttling answers', cells: ways.map((w) => `${totalOf(w.throttled)}`) },
    { label: 'other error answers', cells: ways.map((w) => `${totalOf(w.otherErrors)}`) },
    { label: 'instances finished', cells: ways.map((w) => `${w.finished}`) },
    { label: 'peak RSS (MB)', cells: ways.map((w) => (w.peakRssBytes / MB).toFixed(0)) },
  ];
  const ratios = ways
    .filter((w) => w.way !== 'runner')
    .map((w) => {
      const factor = size.instances / w.ranInstances;
      return (
        `(1)/${WAY_TITLES[w.way].slice(0, 3)}: wall ${(runner.wallMs / (w.wallMs * factor)).toFixed(2)}, ` +
        `calls ${(totalOf(runner.calls) / (totalOf(w.calls) * factor)).toFixed(3)}, RSS ${(runner.peakRssBytes / w.peakRssBytes).toFixed(2)}` +
        (factor !== 1 ? ` (${WAY_TITLES[w.way]} scaled from ${w.ranInstances} instances)` : '')
      );
    });
  const extra = runner.extra;
  return [
    `== ${size.instances.toLocaleString('en-US')} instances ==`,
    renderTable(ways.map((w) => WAY_TITLES[w.way]), rows),
    ...ratios,
    `swarm-audit after the run: decode ${ms(extra.decodeMs)}, evaluate ${ms(extra.evaluateMs)}, report ${ms(extra.reportMs)} ` +
      `(audit in all ${ms(extra.auditMs)}); ${extra.probesDecoded} probes decoded; JSON report ${extra.reportBytes} bytes; ` +
      `our own backoff retries ${extra.ourBackoffRetries}`,
    `swarm-audit peak RSS by the end of each phase: run ${mb(extra.peakAfterRunBytes)}, decode ${mb(extra.peakAfterDecodeBytes)}, ` +
      `evaluate ${mb(extra.peakAfterEvaluateBytes)}, report ${mb(runner.peakRssBytes)} MB`,
    ...size.targets.map(
      (t) => `target ${t.name} ${t.limit}: ${t.measured} ${t.met ? 'MET' : `MISSED by ${t.missedBy}`}`,
    ),
    ...ways.flatMap((w) => w.problems.map((p) => `PROBLEM ${WAY_TITLES[w.way]}: ${p}`)),
  ];
}

function operationRows(ways: WayFigures[], pick: (w: WayFigures) => Record<string, number>, size: SizeFigures): Row[] {
  const operations = [...new Set(ways.flatMap((w) => Object.keys(pick(w))))].sort();
  return operations.map((op) => ({ label: `  ${op}`, cells: ways.map((w) => scaled(w, size, pick(w)[op] ?? 0, 0)) }));
}

/** A figure of a way that ran fewer instances than the size: scaled linearly, and marked with "~". */
function scaled(way: WayFigures, size: SizeFigures, value: number, digits: number): string {
  const factor = size.instances / way.ranInstances;
  return factor === 1 ? value.toFixed(digits) : `~${(value * factor).toFixed(digits)}`;
}

function mb(bytes: number | undefined): string {
  return bytes === undefined ? '?' : (bytes / MB).toFixed(0);
}

function ms(value: number | undefined): string {
  return `${Math.round(value ?? 0)} ms`;
}
