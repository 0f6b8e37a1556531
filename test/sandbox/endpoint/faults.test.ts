import { FaultInjector } from '../../../packages/sandbox/src/endpoint/faults.js';
import { TokenBucket } from '../../../packages/sandbox/src/endpoint/token-bucket.js';

function outcomes(seed: number, n: number): string[] {
  const faults = new FaultInjector({ seed, serverErrorRate: { default: 0.3 }, connectionResetRate: { SendCommand: 0.2 } }, () => 0);
  return Array.from({ length: n }, (_, i) => faults.decide(i % 2 === 0 ? 'SendCommand' : 'GetCommandInvocation'));
}

describe('FaultInjector', () => {
  it('replays the same outcomes with the same seed', () => {
    expect(outcomes(42, 200)).toEqual(outcomes(42, 200));
  });

  it('gives another sequence with another seed, at roughly the configured rates', () => {
    const run = outcomes(42, 2000);
    expect(run).not.toEqual(outcomes(43, 2000));
    const errors = run.filter((o) => o === 'serverError').length / run.length;
    const resets = run.filter((o) => o === 'reset').length / 1000;
    expect(errors).toBeGreaterThan(0.2);
    expect(errors).toBeLessThan(0.35);
    expect(resets).toBeGreaterThan(0.15);
    expect(resets).toBeLessThan(0.25);
  });

  it('throttles per operation with a token bucket on the given clock', () => {
    let now = 0;
    const faults = new FaultInjector({ throttle: { default: { ratePerSec: 2, burst: 3 } } }, () => now);
    const burst = Array.from({ length: 5 }, () => faults.decide('SendCommand'));
    expect(burst).toEqual(['none', 'none', 'none', 'throttle', 'throttle']);
    expect(faults.decide('ListCommandInvocations')).toBe('none'); // its own bucket
    now = 500; // one token back at 2/s
    expect(faults.decide('SendCommand')).toBe('none');
    expect(faults.decide('SendCommand')).toBe('throttle');
  });

  it('uses per-operation latency with a default fallback and 200 ms consistency by default', () => {
    const faults = new FaultInjector({ latencyMs: { default: 5, SendCommand: 50 } });
    expect(faults.latencyMs('SendCommand')).toBe(50);
    expect(faults.latencyMs('DescribeInstances')).toBe(5);
    expect(faults.consistencyDelayMs).toBe(200);
  });
});

describe('TokenBucket', () => {
  it('never holds more than burst tokens', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 2, () => now);
    now = 10_000;
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, false]);
  });
});
