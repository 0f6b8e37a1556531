/**
 * The accounts file of `--accounts-file F`: which accounts to audit, the role
 * to assume in each, and optionally their own regions.
 *
 *   [{ "accountId": "111111111111", "roleArn": "arn:aws:iam::111111111111:role/SwarmAudit",
 *      "externalId": "org-audit", "regions": ["eu-west-1", "us-east-1"] }]
 *
 * Validated with a JSON Schema (ajv) before any AWS call; each problem names
 * the entry and field (`accounts[1].roleArn: ...`).
 */
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { UsageError } from '../errors.js';
import { ACCOUNT_ID_PATTERN, REGION_PATTERN, ROLE_ARN_PATTERN } from './patterns.js';
import type { AccountPlan } from './scope.js';

interface AccountsFileEntry {
  accountId: string;
  roleArn: string;
  externalId?: string;
  regions?: string[];
}

const ACCOUNTS_FILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'swarm-audit accounts file',
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['accountId', 'roleArn'],
    properties: {
      accountId: { type: 'string', pattern: ACCOUNT_ID_PATTERN, description: 'The 12-digit account id' },
      roleArn: { type: 'string', pattern: ROLE_ARN_PATTERN, description: 'The role to assume in that account' },
      // STS: 2-1224 characters of [\w+=,.@:/-]
      externalId: { type: 'string', pattern: '^[\\w+=,.@:/-]{2,1224}$', description: "The role's sts:ExternalId condition" },
      regions: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', pattern: REGION_PATTERN },
        description: 'Regions of this account (default: --region)',
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile<AccountsFileEntry[]>(ACCOUNTS_FILE_SCHEMA);

/** Reads and validates the file; every account gets its regions (its own, else `defaultRegions`). */
export async function loadAccountsFile(path: string, defaultRegions: () => string[]): Promise<AccountPlan[]> {
  return accountsOf(parseAccountsFile(await readJson(path), path), defaultRegions);
}

export function parseAccountsFile(json: unknown, source: string): AccountsFileEntry[] {
  if (!validate(json)) {
    const problems = (validate.errors ?? []).map(describeError);
    throw new UsageError(`accounts file ${source}: ${[...new Set(problems)].join('; ')}`, 'AccountsFileInvalid');
  }
  const seen = new Map<string, number>();
  json.forEach((entry, index) => {
    const first = seen.get(entry.accountId);
    if (first !== undefined) fail(source, `accounts[${index}].accountId: ${entry.accountId} is already listed at accounts[${first}]`);
    seen.set(entry.accountId, index);
    const roleAccount = /^arn:[^:]+:iam::(\d{12}):/.exec(entry.roleArn)?.[1];
    if (roleAccount !== entry.accountId) {
      fail(source, `accounts[${index}].roleArn: the role is in account ${roleAccount}, not in accountId ${entry.accountId}`);
    }
  });
  return json;
}

function accountsOf(entries: AccountsFileEntry[], defaultRegions: () => string[]): AccountPlan[] {
  return entries.map((entry) => ({
    accountId: entry.accountId,
    roleArn: entry.roleArn,
    ...(entry.externalId === undefined ? {} : { externalId: entry.externalId }),
    regions: entry.regions ?? defaultRegions(),
  }));
}

/** "accounts[1].roleArn: must match ..." with the offending value; ajv's instancePath "/1/roleArn" made readable. */
function describeError(error: ErrorObject): string {
  const path = `accounts${error.instancePath.replace(/^\/(\d+)/, '[$1]').replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.')}`;
  if (error.keyword === 'additionalProperties') return `${path}.${String(error.params.additionalProperty)}: unknown field`;
  if (error.keyword === 'required') return `${path}.${String(error.params.missingProperty)}: missing`;
  if (error.keyword === 'type' && error.instancePath === '') return 'must be a list of accounts ([{ "accountId": ..., "roleArn": ... }])';
  if (error.keyword === 'minItems' && error.instancePath === '') return 'lists no account';
  return `${path}: ${error.message ?? 'invalid'}`;
}

function fail(source: string, problem: string): never {
  throw new UsageError(`accounts file ${source}: ${problem}`, 'AccountsFileInvalid');
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read accounts file ${path}: ${(err as Error).message}`, 'AccountsFileInvalid', { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`accounts file ${path} is not valid JSON: ${(err as Error).message}`, 'AccountsFileInvalid');
  }
}
