import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseAccountsFile } from '../../src/scope/accounts-file.js';
import { planScopes } from '../../src/scope/plan-scopes.js';

const ENV = { AWS_REGION: 'eu-central-1', AWS_CONFIG_FILE: '/nonexistent' };
const role = (account: string) => `arn:aws:iam::${account}:role/SwarmAudit`;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sa-plan-scopes-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(content: unknown): Promise<string> {
  const path = join(dir, `accounts-${Math.random().toString(16).slice(2)}.json`);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('planScopes', () => {
  it('no flag: the environment region, the credentials\' own account (unnamed)', async () => {
    expect(await planScopes({}, ENV)).toEqual([{ regions: ['eu-central-1'] }]);
  });

  it('--region takes a comma-separated list (repeated flags arrive joined), deduplicated', async () => {
    expect(await planScopes({ region: 'eu-west-1,us-east-1,eu-west-1' }, ENV)).toEqual([{ regions: ['eu-west-1', 'us-east-1'] }]);
  });

  it('--role-arn names its account', async () => {
    expect(await planScopes({ region: 'eu-west-1', roleArn: role('111111111111') }, ENV)).toEqual([
      { accountId: '111111111111', roleArn: role('111111111111'), regions: ['eu-west-1'] },
    ]);
  });

  it('--role-arn-template with --accounts: one role per account, every region', async () => {
    const plan = await planScopes({ region: 'eu-west-1,us-east-1', roleArnTemplate: 'arn:aws:iam::{account}:role/SwarmAudit', accounts: ['111111111111', '222222222222'] }, ENV);
    expect(plan).toEqual([
      { accountId: '111111111111', roleArn: role('111111111111'), regions: ['eu-west-1', 'us-east-1'] },
      { accountId: '222222222222', roleArn: role('222222222222'), regions: ['eu-west-1', 'us-east-1'] },
    ]);
  });

  it('--accounts-file: an account\'s own regions win over --region', async () => {
    const path = await file([
      { accountId: '111111111111', roleArn: role('111111111111'), externalId: 'org-audit' },
      { accountId: '222222222222', roleArn: role('222222222222'), regions: ['ap-southeast-2'] },
    ]);
    expect(await planScopes({ region: 'eu-west-1', accountsFile: path }, ENV)).toEqual([
      { accountId: '111111111111', roleArn: role('111111111111'), externalId: 'org-audit', regions: ['eu-west-1'] },
      { accountId: '222222222222', roleArn: role('222222222222'), regions: ['ap-southeast-2'] },
    ]);
  });

  it.each([
    [{ region: 'eu-west-1', roleArnTemplate: 'arn:aws:iam::{account}:role/X' }, /--role-arn-template needs --accounts/],
    [{ region: 'eu-west-1', accounts: ['111111111111'] }, /--accounts needs --role-arn-template/],
    [{ region: 'eu-west-1', roleArnTemplate: 'arn:aws:iam::111111111111:role/X', accounts: ['111111111111'] }, /must contain \{account\} exactly once/],
    [{ region: 'eu-west-1', roleArnTemplate: 'arn:aws:iam::{account}:role/X', accounts: ['1234'] }, /"1234" is not a 12-digit account id/],
    [{ region: 'eu-west-1', roleArnTemplate: 'arn:aws:iam::{account}:role/X', accounts: ['111111111111', '111111111111'] }, /listed twice/],
    [{ region: 'eu-west-1', roleArnTemplate: 'arn:aws:iam::{account}:role/X', accounts: ['111111111111'], roleArn: role('1') }, /cannot be combined/],
    [{ region: 'eu-west-1', accountsFile: 'x.json', accounts: ['111111111111'] }, /--accounts-file and --accounts cannot be combined/],
    [{ region: 'eu-west-1', accountsFile: 'x.json', accountId: '111111111111' }, /--accounts-file and --account-id/],
    [{ region: 'eu-west-1,Europe' }, /"Europe" is not an AWS region name/],
    [{ region: 'eu-west-1', roleArn: role('111111111111'), accountId: '222222222222' }, /is not the account of --role-arn/],
  ])('refuses %j as a usage error', async (args, message) => {
    await expect(planScopes(args, ENV)).rejects.toMatchObject({ source: 'user', message: expect.stringMatching(message) });
  });

  it('no region anywhere: RegionMissing before anything else', async () => {
    await expect(planScopes({}, { AWS_CONFIG_FILE: '/nonexistent' })).rejects.toMatchObject({ code: 'RegionMissing' });
  });
});

describe('accounts file (JSON Schema, ajv)', () => {
  const ok = { accountId: '111111111111', roleArn: role('111111111111') };

  it.each([
    [{ accountId: '111111111111' }, 'accounts[0].roleArn: missing'],
    [{ ...ok, regionz: ['eu-west-1'] }, 'accounts[0].regionz: unknown field'],
    [{ ...ok, accountId: '12' }, 'accounts[0].accountId: must match pattern'],
    [{ ...ok, roleArn: 'SwarmAudit' }, 'accounts[0].roleArn: must match pattern'],
    [{ ...ok, regions: ['eu-west-1', 'nowhere'] }, 'accounts[0].regions[1]: must match pattern'],
    [{ ...ok, regions: [] }, 'accounts[0].regions: must NOT have fewer than 1 items'],
    [{ ...ok, externalId: 'x' }, 'accounts[0].externalId: must match pattern'],
    [{ ...ok, roleArn: role('222222222222') }, 'accounts[0].roleArn: the role is in account 222222222222, not in accountId 111111111111'],
  ])('names the field: %j', (entry, problem) => {
    expect(() => parseAccountsFile([entry], 'a.json')).toThrow(expect.objectContaining({ code: 'AccountsFileInvalid', message: expect.stringContaining(problem) }));
  });

  it('refuses an account listed twice, a non-list and an empty list', () => {
    expect(() => parseAccountsFile([ok, ok], 'a.json')).toThrow(/accounts\[1\]\.accountId: 111111111111 is already listed at accounts\[0\]/);
    expect(() => parseAccountsFile({ accounts: [ok] }, 'a.json')).toThrow(/must be a list of accounts/);
    expect(() => parseAccountsFile([], 'a.json')).toThrow(/lists no account/);
  });

  it('an unreadable or non-JSON file is a usage error naming it', async () => {
    await expect(planScopes({ region: 'eu-west-1', accountsFile: join(dir, 'missing.json') }, ENV)).rejects.toMatchObject({ code: 'AccountsFileInvalid' });
    await expect(planScopes({ region: 'eu-west-1', accountsFile: await file('[{') }, ENV)).rejects.toThrow(/is not valid JSON/);
  });
});
