/**
 * Adaptive polling for one command: start fast, slow down while nothing
 * changes, speed up again when something does. A little jitter keeps the
 * polls of commands sent together from arriving together.
 */
export class PollInterval {
  private current: number;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {
    this.current = initialMs;
  }

  /** The wait before the next poll, jittered by up to ±10 %. */
  next(): number {
    return Math.round(this.current * (0.9 + 0.2 * this.random()));
  }

  /** After a poll: reset when something changed, else grow by half. */
  observed(changed: boolean): void {
    this.current = changed ? this.initialMs : Math.min(this.maxMs, this.current * 1.5);
  }

  /** After a failed poll (throttled, server error): wait twice as long. */
  failed(): void {
    this.current = Math.min(this.maxMs, this.current * 2);
  }
}
