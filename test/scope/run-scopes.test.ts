/**
 * auditScopes over stubbed clients (our narrow Ec2Api / SsmApi): a scope
 * that fails is an ERROR entry with its cause while the others report, a
 * role that cannot be assumed fails all of its account's regions, and the
 * AWS calls of every scope share one --concurrency limit.
 */
import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import type { AwsClients } from '../../src/aws/client-factory.js';
import { exitCodeFor } from '../../src/engine/exit-code.js';
import { auditScopes } from '../../src/scope/run-scopes.js';
import type { AccountClients } from '../../src/scope/scope-clients.js';
import type { AccountPlan } from '../../src/scope/scope.js';
import { scopesOf } from '../../src/scope/scope.js';
import { EMPTY_CONFIG } from '../checks/harness.js';

const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Gauge {
  inFlight: number;
  max: number;
}

/** EC2 answering one stopped instance per region (no SSM call needed), after a short wait, counted in `gauge`. */
function clients(region: string, gauge: Gauge, fail?: Error): AwsClients {
  const ec2 = {
    async describeInstances() {
      gauge.inFlight += 1;
      gauge.max = Math.max(gauge.max, gauge.inFlight);
      await sleep(20);
      gauge.inFlight -= 1;
      if (fail) throw fail;
      return { Reservations: [{ Instances: [{ InstanceId: `i-${region.replace(/-/g, '')}0`, State: { Name: 'stopped' }, Tags: [{ Key: 'Swarm', Value: 'x' }] }] }] };
    },
    async describeSecurityGroups() {
      return {};
    },
  };
  const ssm = {
    async describeInstanceInformation() {
      return { InstanceInformationList: [] };
    },
  };
  return { ec2, ssm, s3: {}, region } as unknown as AwsClients;
}

function account(plan: AccountPlan, gauge: Gauge, options: { assume?: Error; failRegion?: string } = {}): AccountClients {
  return {
    account: plan,
    credentials: async () => {
      if (options.assume) throw options.assume;
    },
    scopes: scopesOf(plan).map((scope) => ({
      scope,
      clients: clients(scope.region, gauge, scope.region === options.failRegion ? unrecognized() : undefined),
    })),
  };
}

const unrecognized = () => Object.assign(new Error('The security token included in the request is invalid.'), { name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403 } });
const accessDenied = () => Object.assign(new Error('User: x is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });

// every instance is stopped: nothing auditable, accepted here (--allow-empty) so the scopes' own outcomes show
const OPTIONS = { tags: ['Swarm=x'], tagKeys: [], checks: [], config: EMPTY_CONFIG, concurrency: 1, timeoutMs: 10_000, allowEmpty: true };

describe('auditScopes', () => {
  it('a failing scope and an unassumable account are ERROR entries with their cause; the rest report; exit 2', async () => {
    const gauge = { inFlight: 0, max: 0 };
    const accounts = [
      account({ accountId: '111111111111', roleArn: 'arn:aws:iam::111111111111:role/A', regions: ['eu-west-1', 'ap-east-1'] }, gauge, { failRegion: 'ap-east-1' }),
      account({ accountId: '222222222222', roleArn: 'arn:aws:iam::222222222222:role/A', regions: ['eu-west-1', 'us-east-1'] }, gauge, { assume: accessDenied() }),
    ];
    const { report } = await auditScopes({ accounts, logger }, OPTIONS);
    expect(report.scopes!.map((s) => [s.accountId, s.region, s.status])).toEqual([
      ['111111111111', 'ap-east-1', 'ERROR'],
      ['111111111111', 'eu-west-1', 'OK'],
      ['222222222222', 'eu-west-1', 'ERROR'],
      ['222222222222', 'us-east-1', 'ERROR'],
    ]);
    expect(report.scopes![0].cause).toMatch(/UnrecognizedClientException.*security token/);
    expect(report.scopes![2].cause).toMatch(/^cannot assume arn:aws:iam::222222222222:role\/A: .*AccessDenied/);
    expect(report.instances.map((i) => [i.instanceId, i.accountId, i.region])).toEqual([['i-euwest10', '111111111111', 'eu-west-1']]);
    expect(exitCodeFor(report, 'fail')).toBe(2);
  });

  it('one limit for all scopes: with --concurrency 1, never two calls in flight across four scopes', async () => {
    const gauge = { inFlight: 0, max: 0 };
    const accounts = [account({ accountId: '111111111111', regions: ['eu-west-1', 'us-east-1', 'ap-east-1', 'sa-east-1'] }, gauge)];
    await auditScopes({ accounts, logger }, OPTIONS);
    expect(gauge.max).toBe(1);
    const wide = { inFlight: 0, max: 0 };
    await auditScopes({ accounts: [account({ accountId: '111111111111', regions: ['eu-west-1', 'us-east-1', 'ap-east-1', 'sa-east-1'] }, wide)], logger }, { ...OPTIONS, concurrency: 4 });
    expect(wide.max).toBe(4); // the scopes do run at once when the limit allows
  });

  it('a run of one scope keeps the single-scope contract: its failure is the run\'s error', async () => {
    const gauge = { inFlight: 0, max: 0 };
    const accounts = [account({ regions: ['ap-east-1'] }, gauge, { failRegion: 'ap-east-1' })];
    await expect(auditScopes({ accounts, logger }, OPTIONS)).rejects.toThrow(/security token/);
  });
});
