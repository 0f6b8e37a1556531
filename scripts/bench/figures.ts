/** What one bench variant measured; printed as a table or as JSON. */
import type { StatusCounts } from '../../src/engine/report-model.js';
import type { LogCounts } from './log-counter.js';
import type { PhaseFigure } from './phase-timer.js';

export interface VariantFigures {
  variant: string;
  description: string;
  instances: number;
  concurrency: number;
  throttling: string;
  phases: PhaseFigure[];
  /** Discovery through report formatting: what `swarm-audit audit` itself spends. */
  auditMs: number;
  /** Every phase, setup and teardown included. */
  totalMs: number;
  peakRssBytes: number;
  /** Ms into the run phase when the endpoint's last sh process had ended (sampled every 10 ms). */
  lastProcessEndedMs?: number;
  /** Endpoint counters (GET /_sandbox/stats), per operation. */
  requests: Record<string, number>;
  throttled: Record<string, number>;
  /** Error answers other than the injected throttling and 500s. */
  otherErrorAnswers: Record<string, number>;
  serverErrors: Record<string, number>;
  commandsSent: number;
  processesRun: number;
  maxConcurrentProcesses: number;
  /** The product's own backoff retries and warnings, counted from its logs. */
  logs: LogCounts;
  /** Runner outcome status -> instances. */
  outcomes: Record<string, number>;
  /** Probe records decoded to facts, and hosts that became ERROR before evaluation. */
  probesDecoded: number;
  probesFailed: number;
  /** Report instances carrying an error: decoded, but docker down, swarm locked, ... */
  notFullyAudited: number;
  findings: StatusCounts;
  findingsTotal: number;
  clusters: number;
  reportBytes: number;
  /** Invariant violations; empty when the run is sound. */
  problems: string[];
}

export interface BenchFigures {
  machine: { node: string; platform: string; arch: string; cpus: number; cpuModel: string; totalMemBytes: number };
  command: string;
  variants: VariantFigures[];
  lifetimeMaxRssBytes: number;
  ok: boolean;
}
