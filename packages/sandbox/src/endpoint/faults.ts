/**
 * Decides, per request, which configured fault hits it: added latency, a reset
 * connection, throttling (token bucket) or a server error. Probabilistic
 * faults draw from one seeded PRNG in a fixed order, so the same seed and the
 * same request sequence give the same outcomes.
 */
import type { FaultSpec } from '../fleet-file-types.js';
import { seededRandom } from './seeded-random.js';
import { TokenBucket } from './token-bucket.js';

export type FaultOutcome = 'reset' | 'throttle' | 'serverError' | 'none';

export class FaultInjector {
  private readonly random: () => number;
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly spec: FaultSpec = {},
    private readonly now: () => number = Date.now,
  ) {
    this.random = seededRandom(spec.seed ?? 1);
  }

  get consistencyDelayMs(): number {
    return this.spec.consistencyDelayMs ?? 200;
  }

  latencyMs(operation: string): number {
    return pick(this.spec.latencyMs, operation) ?? 0;
  }

  /** Order: reset, throttle, server error (a throttled request never reaches the service). */
  decide(operation: string): FaultOutcome {
    const resetRate = pick(this.spec.connectionResetRate, operation) ?? 0;
    if (resetRate > 0 && this.random() < resetRate) return 'reset';
    if (!this.takeToken(operation)) return 'throttle';
    const errorRate = pick(this.spec.serverErrorRate, operation) ?? 0;
    if (errorRate > 0 && this.random() < errorRate) return 'serverError';
    return 'none';
  }

  private takeToken(operation: string): boolean {
    const key = this.spec.throttle?.[operation] ? operation : 'default';
    const config = this.spec.throttle?.[key];
    if (!config) return true;
    // "default" is one bucket per operation, as AWS limits are per API.
    const bucketKey = key === 'default' ? `default:${operation}` : operation;
    let bucket = this.buckets.get(bucketKey);
    if (!bucket) {
      bucket = new TokenBucket(config.ratePerSec, config.burst, this.now);
      this.buckets.set(bucketKey, bucket);
    }
    return bucket.tryTake();
  }
}

function pick<T>(map: Record<string, T> | undefined, operation: string): T | undefined {
  if (!map) return undefined;
  return map[operation] ?? map.default;
}
