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

/** Several accounts and regions in one run (discover, audit): see src/scope/plan-scopes.ts. --region is then a comma-separated list. */
interface ScopeFlags {
  accountsFile?: string;
  accounts?: string[];
  roleArnTemplate?: string;
}

export interface DiscoveryArgs extends TargetArgs, ScopeFlags {
  output: string;
  outputFile?: string;
}

export function withAwsOptions<T>(yargs: Argv<T>): Argv<T & AwsArgs> {
  return yargs
    .option('region', { type: 'string', describe: 'AWS region (default: AWS_REGION or the profile)' })
    .option('profile', { type: 'string', describe: 'AWS shared-config profile' })
    .option('endpoint-url', { type: 'string', describe: 'Send SSM and EC2 calls to this endpoint (e.g. the local sandbox)' })
    .option('role-arn', { type: 'string', describe: 'Assume this role first (cross-account audits)' })
    .option('log-level', { choices: LOG_LEVELS, default: 'info', describe: 'Log level (logs go to stderr)' })
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
  return withScopeOptions(withTargetOptions(yargs))
    .option('output', { choices: outputs, default: outputs[0], describe: 'Report format on stdout' })
    .option('output-file', { type: 'string', describe: 'Also write the report to this file' })
    .group(['output', 'output-file'], 'Output:');
}

/** --region made repeatable, plus the accounts: every scope (account, region) of the run goes into one report. */
function withScopeOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('region', {
      type: 'string',
      array: true,
      // one string, comma-separated, so that --region keeps its type for every command: src/scope splits it
      coerce: (values: string | string[] | undefined) => commaList(values)?.join(','),
      describe: 'AWS region; repeat or comma-separate for several (default: AWS_REGION or the profile)',
    })
    .option('accounts-file', { type: 'string', describe: 'JSON list of accounts: [{accountId, roleArn, externalId?, regions?}]' })
    .option('role-arn-template', { type: 'string', describe: "Role to assume in each of --accounts, e.g. 'arn:aws:iam::{account}:role/SwarmAudit'" })
    .option('accounts', { type: 'string', array: true, coerce: commaList, describe: 'Account ids for --role-arn-template (comma-separated or repeated)' })
    .group(['accounts-file', 'role-arn-template', 'accounts'], 'AWS and logging:');
}

function commaList(values: string | string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return [values].flat().flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
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
