/**
 * Samples the endpoint's process counters (in process: this is the bench
 * observing the sandbox, not an AWS request) during the run phase, to split
 * it into "the sandbox was still executing commands" and "the runner had yet
 * to notice the last result" (poll latency).
 */
import { performance } from 'node:perf_hooks';
import type { EndpointStats } from '../../src/sandbox/endpoint/server.js';

const SAMPLE_EVERY_MS = 10;

export class ExecutionWatch {
  private readonly startedAt = performance.now();
  private lastProcessEndedMs?: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly stats: () => EndpointStats,
    private readonly expectedProcesses: number,
  ) {
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
  }

  /**
   * Ms from the start of the watch until every expected process had ended
   * (to the sampling period, or the stop time when the loop was too busy to
   * sample in between); undefined if they never all ended.
   */
  stop(): number | undefined {
    clearInterval(this.timer);
    this.sample();
    return this.lastProcessEndedMs;
  }

  private sample(): void {
    if (this.lastProcessEndedMs !== undefined) return;
    const stats = this.stats();
    const idle = stats.commandsRunning === 0 && stats.commandsQueued === 0;
    if (idle && stats.commandsRun >= this.expectedProcesses) this.lastProcessEndedMs = performance.now() - this.startedAt;
  }
}
