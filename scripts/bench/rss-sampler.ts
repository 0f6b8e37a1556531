/**
 * Peak resident set size, sampled on a timer. Synchronous phases (decode,
 * evaluate, format) block the timer, so each phase also samples once at its
 * end, when its result is still alive.
 */
const SAMPLE_EVERY_MS = 20;

export class RssSampler {
  private peakBytes = 0;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  sample(): void {
    this.peakBytes = Math.max(this.peakBytes, process.memoryUsage.rss());
  }

  /** The peak since the last call (or since start), then starts a new window. */
  takePeakBytes(): number {
    this.sample();
    const peak = this.peakBytes;
    this.peakBytes = process.memoryUsage.rss();
    return peak;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Lifetime peak RSS of this process (getrusage), in bytes. */
export function lifetimeMaxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}
