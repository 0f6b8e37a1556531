/** What the parent hands each way's child process (as one JSON argument), and what the child answers on stdout. */
export const WAYS = ['runner', 'naive', 'floor'] as const;
export type WayName = (typeof WAYS)[number];

export interface WayInput {
  way: WayName;
  endpointUrl: string;
  /** Instances the fleet holds (all tagged, all reachable). */
  instances: number;
  concurrency: number;
}

export interface WayResult {
  way: WayName;
  /** Discovery through the last output collected: the same work for every way. */
  wallMs: number;
  /** Of wallMs, discovery (discoverFleet): the same code for every way, so a gap in wallMs is the run's. */
  discoveryMs: number;
  /** Instances whose command reached a final status and whose output was collected. */
  finished: number;
  /** Final status -> instances. */
  statuses: Record<string, number>;
  /** getrusage max RSS of the child process, in bytes. */
  peakRssBytes: number;
  /** Way-specific figures (the runner: decode / evaluate / report ms, report bytes, our own retries). */
  extra: Record<string, number>;
  /** Invariant violations; empty when sound. */
  problems: string[];
}

export const SANDBOX_CREDENTIALS = { accessKeyId: 'AKIDSANDBOXBENCH', secretAccessKey: 'sandbox-bench' };
export const POLL_EVERY_MS = 1_000;

export function countStatuses(statuses: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
