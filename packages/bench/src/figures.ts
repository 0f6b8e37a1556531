/** What the bench measured; printed as a table or as JSON. */
import type { TokenBucketSpec } from './options.js';
import type { WayResult } from './ways/way-input.js';

export interface WayFigures extends WayResult {
  /** Instances the way really ran (below the size when the naive way was capped). */
  ranInstances: number;
  /** Endpoint counters for this way alone (a fresh endpoint per way), per operation. */
  calls: Record<string, number>;
  throttled: Record<string, number>;
  /** Error answers other than throttling (e.g. InvocationDoesNotExist). */
  otherErrors: Record<string, number>;
}

export interface TargetCheck {
  name: string;
  limit: string;
  measured: string;
  met: boolean;
  /** How far past the limit, when missed ("+12 %"). */
  missedBy?: string;
}

export interface SizeFigures {
  instances: number;
  ways: WayFigures[];
  /** At 10,000 instances: the targets for the runner. */
  targets: TargetCheck[];
}

export interface BenchFigures {
  machine: { node: string; platform: string; arch: string; cpus: number; cpuModel: string; totalMemBytes: number; loadAverage: number[] };
  command: string;
  conditions: { latencyMs: number; runtimeMs: [number, number]; concurrency: number; throttle: Record<string, TokenBucketSpec> };
  sizes: SizeFigures[];
  ok: boolean;
}
