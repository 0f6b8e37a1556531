/**
 * Startup: wall time of `swarm-audit --help` and `--version` as whole
 * processes, beside `node -e 0` (Node's own floor), so the figure says what
 * the CLI adds. The commands run in turn (A B C, A B C, ...) after one
 * warm-up round, so a machine that drifts affects all three alike. Needs the
 * built tree (dist/), as `npm run bench` builds it.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { renderTable } from './text-table.js';

const BIN = fileURLToPath(new URL('../../../../bin/swarm-audit.js', import.meta.url));
const RUNS = 15;

export interface StartupFigure {
  command: string;
  medianMs: number;
  p90Ms: number;
}

const COMMANDS: { command: string; args: string[] }[] = [
  { command: 'swarm-audit --help', args: [BIN, '--help'] },
  { command: 'swarm-audit --version', args: [BIN, '--version'] },
  { command: 'node -e 0', args: ['-e', '0'] },
];

export function measureStartup(runs = RUNS): StartupFigure[] {
  const walls = COMMANDS.map(() => [] as number[]);
  for (let round = 0; round <= runs; round++) {
    COMMANDS.forEach(({ command, args }, i) => {
      const wallMs = timedRun(command, args);
      if (round > 0) walls[i].push(wallMs); // round 0 warms the file cache
    });
  }
  return COMMANDS.map(({ command }, i) => ({ command, medianMs: percentile(walls[i], 50), p90Ms: percentile(walls[i], 90) }));
}

function timedRun(command: string, args: string[]): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`${command} exited ${run.status ?? run.signal}: ${run.stderr.toString().trim()}`);
  return wallMs;
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function formatStartup(figures: StartupFigure[], runs = RUNS): string {
  const rows = figures.map((f) => ({ label: f.command, cells: [f.medianMs.toFixed(0), f.p90Ms.toFixed(0)] }));
  return renderTable(['median ms', 'p90 ms'], [{ heading: `Startup (wall, ${runs} runs each)` }, ...rows]);
}
