/**
 * Injected faults seen through the real SDK (throttling, server errors,
 * resets), their reproducibility with one seed, and close() tearing down
 * running commands.
 */
import { execFileSync } from 'node:child_process';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeInstanceInformationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { startEndpoint, type RunningEndpoint } from '../../../packages/sandbox/src/endpoint/server.js';
import type { FaultSpec } from '../../../packages/sandbox/src/fleet-file-types.js';
import { CREDENTIALS, ONLINE, testFleet, waitFor } from './fixtures.js';

const started: RunningEndpoint[] = [];

afterAll(async () => {
  await Promise.all(started.map((e) => e.close()));
});

async function endpointWith(faults: FaultSpec): Promise<RunningEndpoint> {
  const endpoint = await startEndpoint({ fleet: testFleet({ faults }) });
  started.push(endpoint);
  return endpoint;
}

function clients(url: string, maxAttempts: number) {
  const config = { endpoint: url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts };
  return { ssm: new SSMClient(config), ec2: new EC2Client(config) };
}

async function outcomeOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'ok';
  } catch (err) {
    return (err as Error).name;
  }
}

describe('throttling', () => {
  it('answers SSM ThrottlingException and EC2 RequestLimitExceeded (503) over the rate', async () => {
    const endpoint = await endpointWith({ throttle: { default: { ratePerSec: 0.01, burst: 2 } } });
    const { ssm, ec2 } = clients(endpoint.url, 1);
    const ssmOutcomes = [];
    const ec2Outcomes = [];
    for (let i = 0; i < 3; i += 1) {
      ssmOutcomes.push(await outcomeOf(() => ssm.send(new DescribeInstanceInformationCommand({}))));
      ec2Outcomes.push(await outcomeOf(() => ec2.send(new DescribeInstancesCommand({}))));
    }
    expect(ssmOutcomes).toEqual(['ok', 'ok', 'ThrottlingException']);
    expect(ec2Outcomes).toEqual(['ok', 'ok', 'RequestLimitExceeded']);
    expect(endpoint.stats().throttled).toEqual({ DescribeInstanceInformation: 1, DescribeInstances: 1 });
    ssm.destroy();
    ec2.destroy();
  });

  it('lets SDK retries ride out throttling, visible in the stats', async () => {
    const endpoint = await endpointWith({ throttle: { DescribeInstanceInformation: { ratePerSec: 20, burst: 1 } } });
    const { ssm } = clients(endpoint.url, 5);
    const results = await Promise.all(Array.from({ length: 4 }, () => outcomeOf(() => ssm.send(new DescribeInstanceInformationCommand({})))));
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(endpoint.stats().throttled.DescribeInstanceInformation).toBeGreaterThan(0);
    ssm.destroy();
  });
});

describe('seeded server errors and connection resets', () => {
  async function run(seed: number): Promise<string[]> {
    const endpoint = await endpointWith({ seed, serverErrorRate: { default: 0.3 }, connectionResetRate: { DescribeInstances: 0.2 } });
    const { ec2 } = clients(endpoint.url, 1);
    const outcomes: string[] = [];
    for (let i = 0; i < 25; i += 1) outcomes.push(await outcomeOf(() => ec2.send(new DescribeInstancesCommand({}))));
    ec2.destroy();
    return outcomes;
  }

  it('replays the same outcomes for the same seed, with both fault kinds present', async () => {
    const first = await run(11);
    expect(await run(11)).toEqual(first);
    expect(first).toContain('InternalError');
    expect(first.some((o) => o !== 'ok' && o !== 'InternalError')).toBe(true); // reset: a network error
    expect(first).toContain('ok');
  });
});

describe('close()', () => {
  it('kills commands still running and resolves once everything is down', async () => {
    const endpoint = await startEndpoint({ fleet: testFleet() });
    const { ssm } = clients(endpoint.url, 1);
    await ssm.send(
      new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: [ONLINE], Parameters: { commands: ['sleep 7.2468 & exec sleep 7.1357'] } }),
    );
    ssm.destroy();
    await waitFor(async () => (count('sleep 7.1357') > 0 ? true : undefined));
    const before = Date.now();
    await endpoint.close();
    expect(Date.now() - before).toBeLessThan(3000);
    expect(count('sleep 7.1357')).toBe(0);
    expect(count('sleep 7.2468')).toBe(0); // the background child of the same process group too
    await expect(fetch(`${endpoint.url}/_sandbox/stats`)).rejects.toThrow();
  });
});

function count(commandLine: string): number {
  try {
    return Number(execFileSync('pgrep', ['-c', '-f', `^${commandLine}$`]).toString().trim());
  } catch {
    return 0;
  }
}
