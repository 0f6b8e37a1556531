/** The bench variants: the same audit pipeline, with and without throttling from the fleet file. */
import type { FaultSpec } from '../../src/sandbox/fleet-file-types.js';
import type { BenchOptions } from './options.js';

export interface Variant {
  name: 'plain' | 'throttled';
  description: string;
  instances: number;
  concurrency: number;
  faults?: FaultSpec;
}

/**
 * Token buckets well below the demand of the run, so every phase meets
 * ThrottlingException (SSM) / RequestLimitExceeded (EC2) and has to retry.
 */
export const THROTTLING: FaultSpec = {
  seed: 7,
  throttle: {
    DescribeInstanceInformation: { ratePerSec: 2, burst: 2 },
    SendCommand: { ratePerSec: 5, burst: 5 },
    ListCommandInvocations: { ratePerSec: 2, burst: 2 },
  },
};

export function selectedVariants(options: BenchOptions): Variant[] {
  const variants: Variant[] = [];
  if (options.scenario !== 'throttled') {
    variants.push({
      name: 'plain',
      description: 'no faults',
      instances: options.instances,
      concurrency: options.concurrency,
    });
  }
  if (options.scenario !== 'plain') {
    variants.push({
      name: 'throttled',
      description: 'token buckets on the SSM operations of the audit',
      instances: options.throttledInstances,
      concurrency: options.concurrency,
      faults: THROTTLING,
    });
  }
  return variants;
}

/** "SendCommand 2/s burst 3, ..." for the output. */
export function describeThrottling(faults: FaultSpec | undefined): string {
  if (!faults?.throttle) return 'none';
  return Object.entries(faults.throttle)
    .map(([operation, { ratePerSec, burst }]) => `${operation} ${ratePerSec}/s burst ${burst}`)
    .join(', ');
}
