/** Flag groups shared by several commands, so every command spells them the same way. */
import type { Argv } from 'yargs';
import { MAX_DELIVERY_TIMEOUT_SECONDS, MIN_DELIVERY_TIMEOUT_SECONDS } from '../fleet/send-command-input.js';
import { UsageError } from '../errors.js';
import { LOG_LEVELS, type LogLevel } from '../util/log-levels.js';

export interface AwsArgs {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  roleArn?: string;
  logLevel: LogLevel;
}

export interface TargetArgs extends AwsArgs {
  tag: string[];
  tagKey: string[];
  allowEmpty: boolean;
}

export interface DiscoveryArgs extends TargetArgs {
  output: string;
  outputFile?: string;
}

export function withAwsOptions<T>(yargs: Argv<T>): Argv<T & AwsArgs> {
  return yargs
    .option('region', { type: 'string', describe: 'AWS region (default: AWS_REGION or the profile)' })
    .option('profile', { type: 'string', describe: 'AWS shared-config profile' })
    .option('endpoint-url', { type: 'string', describe: 'Send SSM and EC2 calls to this endpoint (e.g. the local sandbox)' })
    .option('role-arn', { type: 'string', describe: 'Assume this role first (cross-account audits)' })
    .option('log-level', { choices: LOG_LEVELS, default: 'info' as LogLevel, describe: 'Log level (logs go to stderr)' })
    .group(['region', 'profile', 'endpoint-url', 'role-arn', 'log-level'], 'AWS and logging:') as unknown as Argv<T & AwsArgs>;
}

/** Which instances: the tag query. */
export function withTargetOptions<T>(yargs: Argv<T>): Argv<T & TargetArgs> {
  return withAwsOptions(yargs)
    .option('tag', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'KEY=VALUE instance tag filter; repeat to AND keys; KEY=V1,V2 ORs values',
    })
    .option('tag-key', { type: 'string', array: true, default: [] as string[], describe: 'Instances that carry this tag key' })
    .option('allow-empty', {
      type: 'boolean',
      default: false,
      describe: 'Accept a query that matches no instance, or none that can be audited (default: exit 2)',
    })
    .group(['tag', 'tag-key', 'allow-empty'], 'Discovery:') as unknown as Argv<T & TargetArgs>;
}

/** The tag query plus a report: commands that print what they found (discover, audit). */
export function withDiscoveryOptions<T>(yargs: Argv<T>, outputs: readonly string[]): Argv<T & DiscoveryArgs> {
  return withTargetOptions(yargs)
    .option('output', { choices: outputs, default: outputs[0], describe: 'Report format on stdout' })
    .option('output-file', { type: 'string', describe: 'Also write the report to this file' })
    .group(['output', 'output-file'], 'Output:') as unknown as Argv<T & DiscoveryArgs>;
}

export function withRunnerOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('concurrency', { type: 'number', default: 10, describe: 'SSM calls in flight at once' })
    .option('timeout', { type: 'number', default: 600, describe: 'Seconds the whole run may take' })
    .option('delivery-timeout', {
      type: 'number',
      default: 120,
      coerce: deliveryTimeout,
      describe: `Seconds an agent has to pick the command up (SSM TimeoutSeconds, ${MIN_DELIVERY_TIMEOUT_SECONDS}-${MAX_DELIVERY_TIMEOUT_SECONDS}); then the instance is ERROR (DeliveryTimedOut) instead of holding the run until --timeout`,
    })
    .option('document-name', { type: 'string', describe: 'Run our own SSM document instead of AWS-RunShellScript' })
    .option('output-s3-bucket', { type: 'string', describe: 'S3 bucket for full command outputs' })
    .group(['concurrency', 'timeout', 'delivery-timeout', 'document-name', 'output-s3-bucket'], 'Run Command:');
}

/** SSM refuses a TimeoutSeconds outside its range: say so before any call. */
function deliveryTimeout(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < MIN_DELIVERY_TIMEOUT_SECONDS || seconds > MAX_DELIVERY_TIMEOUT_SECONDS) {
    throw new UsageError(`--delivery-timeout must be whole seconds from ${MIN_DELIVERY_TIMEOUT_SECONDS} to ${MAX_DELIVERY_TIMEOUT_SECONDS}, got ${seconds}`);
  }
  return seconds;
}
