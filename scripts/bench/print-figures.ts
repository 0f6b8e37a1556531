/** Renders the figures as the plain-text table of `npm run bench`. */
import { STATUSES } from '../../src/engine/summary.js';
import type { BenchFigures, VariantFigures } from './figures.js';
import { FIXTURE_MIX } from './fixture-mix.js';
import { renderTable, type Row } from './text-table.js';
import type { PhaseFigure } from './phase-timer.js';
import { wrapParagraph } from './text-wrap.js';

const MB = 1024 * 1024;
const TEXT_WIDTH = 110;
const THROTTLED_HEADING = 'throttling answers (ThrottlingException / RequestLimitExceeded), each retried';
const BACKOFF_HEADING = "  retried by our backoff once the SDK's 3 attempts were spent (the rest: by the SDK)";

export function formatFigures(figures: BenchFigures): string {
  const { variants, machine } = figures;
  const table = renderTable(
    variants.map((v) => v.variant),
    [
      ...overviewRows(variants),
      ...phaseRows(variants),
      ...cpuRows(variants),
      ...memoryRows(variants),
      ...perOperationRows('requests to the endpoint (GET /_sandbox/stats)', variants, (v) => v.requests),
      ...perOperationRows(THROTTLED_HEADING, variants, (v) => v.throttled),
      ...perOperationRows(BACKOFF_HEADING, variants, (v) => v.logs.backoffRetriesOnThrottling),
      ...perOperationRows('other error answers (e.g. InvocationDoesNotExist)', variants, (v) => v.otherErrorAnswers),
      ...perOperationRows('runner outcomes (exactly one per instance)', variants, (v) => v.outcomes),
      ...resultRows(variants),
      ...perOperationRows('warnings logged by swarm-audit', variants, (v) => v.logs.warnings),
    ],
  );
  return [
    `swarm-audit bench: ${machine.cpus} CPUs (${machine.cpuModel}), ${(machine.totalMemBytes / 2 ** 30).toFixed(1)} GiB, ` +
      `node ${machine.node} ${machine.platform}/${machine.arch}`,
    `command: ${figures.command}`,
    '',
    ...notes(variants),
    '',
    table,
    '',
    `lifetime max RSS of this process (getrusage): ${mb(figures.lifetimeMaxRssBytes)} MB`,
    ...problemLines(variants),
    figures.ok ? 'result: every invariant held' : 'result: INVARIANTS VIOLATED (exit 1)',
  ].join('\n');
}

function notes(variants: VariantFigures[]): string[] {
  const mix = new Map<string, number>();
  for (const slot of FIXTURE_MIX) mix.set(slot.fixture, (mix.get(slot.fixture) ?? 0) + 1);
  const paragraphs = [
    'Pipeline: the product code end to end, in this process: the local AWS-compatible endpoint (fleet file validated), ' +
      'AWS SDK v3 clients over HTTP on 127.0.0.1, discoverFleet, runCommand (SendCommand per 50, ListCommandInvocations ' +
      'polling), toHostInput + decodeProbeOutput, evaluateFleet (all checks), formatReport json. The endpoint, its `sh` ' +
      'children (host namespace) and the audit share this machine and process, so the figures are an upper bound for ' +
      'the client alone.',
    'Each instance runs `exec cat <captured probe record>` in front of the real probe script (sent, so SendCommand ' +
      "has its real size, but never reached: it would probe this machine's docker).",
    `Fixture mix (test/fixtures/probe), repeating every ${FIXTURE_MIX.length} instances: ` +
      `${[...mix].map(([name, n]) => `${n} ${name}`).join(', ')}. Copies of a captured node keep its cluster id, so ` +
      'the fleet holds (at most) 2 clusters with many members each: node checks run once per instance, cluster ' +
      'checks once per cluster.',
    ...variants.map((v) => `${v.variant}: ${v.description}; throttling: ${v.throttling}.`),
  ];
  return paragraphs.flatMap((paragraph) => wrapParagraph(paragraph, TEXT_WIDTH));
}

function overviewRows(variants: VariantFigures[]): Row[] {
  return [
    { heading: 'fleet' },
    { label: 'instances', cells: variants.map((v) => String(v.instances)) },
    { label: 'concurrency (AWS calls in flight)', cells: variants.map((v) => String(v.concurrency)) },
    { label: 'SendCommand accepted', cells: variants.map((v) => String(v.commandsSent)) },
    { label: 'sh processes run (endpoint)', cells: variants.map((v) => String(v.processesRun)) },
    { label: 'max concurrent sh (endpoint pool)', cells: variants.map((v) => String(v.maxConcurrentProcesses)) },
  ];
}

function phaseRows(variants: VariantFigures[]): Row[] {
  return [
    { heading: 'wall time (ms)' },
    ...perPhase(variants, (p) => ms(p?.ms)),
    { label: 'run: last sh process ended at', cells: variants.map((v) => ms(v.lastProcessEndedMs)) },
    { label: 'run: runner done after that', cells: variants.map((v) => ms(runTail(v))) },
    { label: 'audit: discovery .. report', cells: variants.map((v) => ms(v.auditMs)) },
    { label: 'total', cells: variants.map((v) => ms(v.totalMs)) },
    { label: 'audit ms per 1,000 instances', cells: variants.map((v) => ms((v.auditMs * 1000) / v.instances)) },
  ];
}

function cpuRows(variants: VariantFigures[]): Row[] {
  return [
    { heading: 'CPU time, user + system, whole process (ms; 2 cores = up to 2 ms per ms)' },
    ...perPhase(variants, (p) => ms(p?.cpuMs)),
  ];
}

/** One row per phase (in the order phases first appear), one cell per variant. */
function perPhase(variants: VariantFigures[], cell: (phase: PhaseFigure | undefined) => string): Row[] {
  const names = unionOf(variants.map((v) => v.phases.map((p) => p.name)));
  return names.map((name) => ({ label: name, cells: variants.map((v) => cell(v.phases.find((p) => p.name === name))) }));
}

function runTail(v: VariantFigures): number | undefined {
  const run = v.phases.find((p) => p.name === 'run');
  return run && v.lastProcessEndedMs !== undefined ? run.ms - v.lastProcessEndedMs : undefined;
}

function memoryRows(variants: VariantFigures[]): Row[] {
  return [
    { heading: 'peak RSS during phase (MB, sampled every 20 ms and at phase end)' },
    ...perPhase(variants, (p) => mb(p?.peakRssBytes)),
    { label: 'peak of the variant', cells: variants.map((v) => mb(v.peakRssBytes)) },
  ];
}

function resultRows(variants: VariantFigures[]): Row[] {
  return [
    { heading: 'decode, evaluation, report' },
    { label: 'probe records decoded to facts', cells: variants.map((v) => String(v.probesDecoded)) },
    { label: 'hosts ERROR before evaluation', cells: variants.map((v) => String(v.probesFailed)) },
    { label: 'instances not (fully) audited', cells: variants.map((v) => String(v.notFullyAudited)) },
    { label: 'clusters', cells: variants.map((v) => String(v.clusters)) },
    ...STATUSES.map((status) => ({ label: `findings ${status}`, cells: variants.map((v) => String(v.findings[status])) })),
    { label: 'findings total', cells: variants.map((v) => String(v.findingsTotal)) },
    { label: 'JSON report bytes', cells: variants.map((v) => String(v.reportBytes)) },
    { label: 'JSON report bytes per instance', cells: variants.map((v) => String(Math.round(v.reportBytes / v.instances))) },
  ];
}

function perOperationRows(
  heading: string,
  variants: VariantFigures[],
  counter: (v: VariantFigures) => Record<string, number>,
): Row[] {
  const keys = unionOf(variants.map((v) => Object.keys(counter(v)))).sort();
  if (keys.length === 0) return [{ heading: `${heading}: none` }];
  const total = { label: 'total', cells: variants.map((v) => String(sum(counter(v)))) };
  return [
    { heading },
    ...keys.map((key) => ({ label: key, cells: variants.map((v) => String(counter(v)[key] ?? 0)) })),
    ...(keys.length > 1 ? [total] : []),
  ];
}

function problemLines(variants: VariantFigures[]): string[] {
  return variants.flatMap((v) => v.problems.map((problem) => `PROBLEM (${v.variant}): ${problem}`));
}

function unionOf(lists: string[][]): string[] {
  return [...new Set(lists.flat())];
}

function sum(counter: Record<string, number>): number {
  return Object.values(counter).reduce((total, n) => total + n, 0);
}

function ms(value: number | undefined): string {
  return value === undefined ? '-' : value.toFixed(0);
}

function mb(bytes: number | undefined): string {
  return bytes === undefined ? '-' : (bytes / MB).toFixed(0);
}
