/** Command-line flags of `npm run bench`. */
import { parseArgs } from 'node:util';
import { UsageError } from '../../src/errors.js';

export const SCENARIOS = ['all', 'plain', 'throttled'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchOptions {
  /** Instances of the plain (no fault) variant. */
  instances: number;
  /** Instances of the throttled variant. */
  throttledInstances: number;
  /** AWS calls in flight, as `swarm-audit audit --concurrency`. */
  concurrency: number;
  scenario: Scenario;
  json: boolean;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [--instances N] [--throttled-instances N] [--concurrency N]
                       [--scenario all|plain|throttled] [--json]

  --instances N             plain variant fleet size (default 2000)
  --throttled-instances N   throttled variant fleet size (default min(500, instances))
  --concurrency N           AWS calls in flight (default 10, the CLI default)
  --scenario S              which variants to run (default all)
  --json                    machine-readable figures on stdout instead of the table`;

const DEFAULT_INSTANCES = 2000;
const DEFAULT_THROTTLED_INSTANCES = 500;
const DEFAULT_CONCURRENCY = 10;
/** The bench builds 17-character instance ids from the index; far beyond any useful run. */
const MAX_INSTANCES = 100_000;

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      instances: { type: 'string' },
      'throttled-instances': { type: 'string' },
      concurrency: { type: 'string' },
      scenario: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const instances = positiveInt(values.instances, '--instances', DEFAULT_INSTANCES, MAX_INSTANCES);
  return {
    instances,
    throttledInstances: positiveInt(
      values['throttled-instances'],
      '--throttled-instances',
      Math.min(DEFAULT_THROTTLED_INSTANCES, instances),
      MAX_INSTANCES,
    ),
    concurrency: positiveInt(values.concurrency, '--concurrency', DEFAULT_CONCURRENCY, 1_000),
    scenario: scenarioOf(values.scenario),
    json: values.json ?? false,
    help: values.help ?? false,
  };
}

function positiveInt(text: string | undefined, flag: string, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UsageError(`${flag} must be an integer between 1 and ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function scenarioOf(text: string | undefined): Scenario {
  if (text === undefined) return 'all';
  if (!(SCENARIOS as readonly string[]).includes(text)) {
    throw new UsageError(`--scenario must be one of ${SCENARIOS.join(', ')}, got ${JSON.stringify(text)}`);
  }
  return text as Scenario;
}
