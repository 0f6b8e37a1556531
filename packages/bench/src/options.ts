/** Command-line flags of `npm run bench`. */
import { parseArgs } from 'node:util';
import { UsageError } from '../../../src/errors.js';
import { isKnownOperation } from '../../sandbox/src/endpoint/operations.js';

export interface TokenBucketSpec {
  ratePerSec: number;
  burst: number;
}

export interface BenchOptions {
  /** Fleet sizes, each measured with the three ways. */
  sizes: number[];
  /** Added latency of every AWS call on the endpoint, in ms. */
  latencyMs: number;
  /** Each instance's recorded probe answers after a runtime drawn from [min, max] ms. */
  runtimeMs: [number, number];
  /** Token buckets per operation (ThrottlingException / RequestLimitExceeded beyond them). */
  throttle: Record<string, TokenBucketSpec>;
  /** AWS calls in flight for every way (the CLI default is 10). */
  concurrency: number;
  /** The naive way runs at most this many instances; bigger sizes are scaled from it, and the table says so. */
  naiveMax: number;
  json: boolean;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [--sizes N,N] [--latency-ms MS] [--runtime-ms MIN-MAX]
                       [--throttle OP=RATE/BURST,...] [--concurrency N] [--naive-max N] [--json]

  --sizes N,N            fleet sizes (default 1000,10000)
  --latency-ms MS        added latency per AWS call on the endpoint (default 30)
  --runtime-ms MIN-MAX   recorded probe runtime per instance (default 1000-5000)
  --throttle OP=R/B,...  token bucket per operation, e.g. SendCommand=5/5,ListCommands=2/2 (default none)
  --concurrency N        AWS calls in flight, for every way (default 10, the CLI default)
  --naive-max N          largest size the naive way really runs (default 10000); above it, scaled and marked
  --json                 machine-readable figures on stdout instead of the table`;

const DEFAULTS = { sizes: [1_000, 10_000], latencyMs: 30, runtimeMs: [1_000, 5_000] as [number, number], concurrency: 10, naiveMax: 10_000 };
/** The bench builds 17-character instance ids from the index; far beyond any useful run. */
const MAX_INSTANCES = 100_000;

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string' },
      'latency-ms': { type: 'string' },
      'runtime-ms': { type: 'string' },
      throttle: { type: 'string' },
      concurrency: { type: 'string' },
      'naive-max': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  return {
    sizes: values.sizes === undefined ? DEFAULTS.sizes : values.sizes.split(',').map((s) => integer(s, '--sizes', 1, MAX_INSTANCES)),
    latencyMs: values['latency-ms'] === undefined ? DEFAULTS.latencyMs : integer(values['latency-ms'], '--latency-ms', 0, 10_000),
    runtimeMs: values['runtime-ms'] === undefined ? DEFAULTS.runtimeMs : runtimeRange(values['runtime-ms']),
    throttle: values.throttle === undefined ? {} : throttleSpec(values.throttle),
    concurrency: values.concurrency === undefined ? DEFAULTS.concurrency : integer(values.concurrency, '--concurrency', 1, 1_000),
    naiveMax: values['naive-max'] === undefined ? DEFAULTS.naiveMax : integer(values['naive-max'], '--naive-max', 1, MAX_INSTANCES),
    json: values.json ?? false,
    help: values.help ?? false,
  };
}

function integer(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag}: expected an integer between ${min} and ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function runtimeRange(text: string): [number, number] {
  const match = /^(\d+)-(\d+)$/.exec(text);
  if (!match) throw new UsageError(`--runtime-ms: expected MIN-MAX in ms, got ${JSON.stringify(text)}`);
  const [min, max] = [integer(match[1], '--runtime-ms', 0, 3_600_000), integer(match[2], '--runtime-ms', 0, 3_600_000)];
  if (max < min) throw new UsageError(`--runtime-ms: max ${max} is below min ${min}`);
  return [min, max];
}

function throttleSpec(text: string): Record<string, TokenBucketSpec> {
  const spec: Record<string, TokenBucketSpec> = {};
  for (const part of text.split(',')) {
    const match = /^([A-Za-z]+)=(\d+(?:\.\d+)?)\/(\d+)$/.exec(part.trim());
    if (!match) throw new UsageError(`--throttle: expected OP=RATE/BURST, got ${JSON.stringify(part)}`);
    const [, operation, rate, burst] = match;
    if (!isKnownOperation(operation)) throw new UsageError(`--throttle: unknown operation ${operation}`);
    spec[operation] = { ratePerSec: Number(rate), burst: Number(burst) };
    if (spec[operation].ratePerSec <= 0 || spec[operation].burst < 1) {
      throw new UsageError(`--throttle: ${operation} needs a positive rate and a burst of at least 1`);
    }
  }
  return spec;
}
