/**
 * Virtual time for the fleet code: sleeps never wait for real. Whenever the
 * program has nothing left to do but wait (every promise chain settled), the
 * clock jumps to the earliest pending timer. Fakes must not use real timers.
 */
import type { Clock } from '../../../src/fleet/clock.js';

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private timers: Timer[] = [];
  private scheduled = false;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer: Timer = {
        at: this.time + Math.max(0, ms),
        seq: this.seq++,
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
      this.schedule();
    });
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Two macrotask hops: every microtask chain started by the last timer has settled.
    setImmediate(() => setImmediate(() => this.tick()));
  }

  private tick(): void {
    this.scheduled = false;
    if (this.timers.length === 0) return;
    let next = this.timers[0];
    for (const t of this.timers) if (t.at < next.at || (t.at === next.at && t.seq < next.seq)) next = t;
    this.timers = this.timers.filter((t) => t !== next);
    this.time = Math.max(this.time, next.at);
    next.fire();
    if (this.timers.length > 0) this.schedule();
  }
}

/** A deterministic random source (mulberry32). */
export function seededRandom(seed = 42): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
