/**
 * Discovery and the fleet runner through the real SDK clients over HTTP,
 * against the local AWS-compatible endpoint, whose instances run their
 * commands for real with sh in the host namespace (loopback only, no root,
 * no docker needed).
 */
import { createAwsClients, type AwsClients } from '../../../src/aws/client-factory.js';
import { discoverFleet } from '../../../src/fleet/discover.js';
import { runCommand } from '../../../src/fleet/runner.js';
import { parseTagArgs } from '../../../src/fleet/tag-query.js';
import { startEndpoint, type RunningEndpoint } from '../../../packages/sandbox/src/endpoint/server.js';
import type { FleetFile, FleetFileInstance } from '../../../packages/sandbox/src/fleet-file-types.js';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' };
const BULK = Array.from({ length: 120 }, (_, k) => `i-0f1ee7${String(k).padStart(11, '0')}`);
const UNMANAGED = 'i-0f1ee7aaaaaaaaa01';
const CONNECTION_LOST = 'i-0f1ee7aaaaaaaaa02';
const WINDOWS = 'i-0f1ee7aaaaaaaaa03';
const OFFLINE_AGENT = 'i-0f1ee7aaaaaaaaa04';
const STOPPED = 'i-0f1ee7aaaaaaaaa05';
const OTHER_CLUSTER = 'i-0f1ee7aaaaaaaaa06';

function fleetFile(throttleSend: boolean): FleetFile {
  const online = (instanceId: string): FleetFileInstance => ({
    instanceId,
    tags: { Swarm: 'it-fleet', Name: `node-${instanceId.slice(-3)}` },
    agent: { pingStatus: 'Online', platform: 'Linux', agentVersion: '3.3.1000.0' },
    exec: { env: { NODE_ID: instanceId } },
  });
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    limits: { minDeliveryTimeoutSeconds: 2, maxConcurrentProcesses: 16 },
    ...(throttleSend ? { faults: { seed: 3, throttle: { SendCommand: { ratePerSec: 1, burst: 1 } } } } : {}),
    instances: [
      ...BULK.map(online),
      { instanceId: UNMANAGED, tags: { Swarm: 'it-fleet' } },
      { ...online(CONNECTION_LOST), agent: { pingStatus: 'ConnectionLost' } },
      { ...online(WINDOWS), agent: { pingStatus: 'Online', platform: 'Windows' } },
      { ...online(OFFLINE_AGENT), agent: { pingStatus: 'Online', behaviour: 'offline' } },
      { ...online(STOPPED), state: 'stopped' },
      { ...online(OTHER_CLUSTER), tags: { Swarm: 'elsewhere' } },
    ],
  };
}

describe('fleet over the local endpoint (real SDK, real HTTP, real sh)', () => {
  let endpoint: RunningEndpoint;
  let aws: AwsClients;

  beforeAll(async () => {
    endpoint = await startEndpoint({ fleet: fleetFile(true) });
    aws = createAwsClients({ region: 'us-east-1', endpointUrl: endpoint.url, credentials: CREDENTIALS });
  });
  afterAll(async () => {
    await endpoint?.close();
  });

  it('discovers by tag, keeps unmanaged, offline and Windows instances with their reasons', async () => {
    const fleet = await discoverFleet(aws, parseTagArgs(['Swarm=it-fleet'], []));
    const byId = new Map(fleet.map((i) => [i.instanceId, i]));
    // 120 + unmanaged + connection lost + windows + offline agent + stopped (reported, never sent a command); not elsewhere
    expect(fleet).toHaveLength(125);
    expect(byId.get(STOPPED)).toMatchObject({ state: 'stopped', reachable: false, unreachableReason: 'instance is stopped: nothing runs to audit' });
    expect(byId.has(OTHER_CLUSTER)).toBe(false);
    expect(byId.get(UNMANAGED)).toMatchObject({ reachable: false, unreachableReason: 'no SSM agent registered (not a managed instance)' });
    expect(byId.get(CONNECTION_LOST)).toMatchObject({ reachable: false, unreachableReason: 'SSM agent ConnectionLost' });
    expect(byId.get(WINDOWS)).toMatchObject({ reachable: false, unreachableReason: 'platform Windows not supported' });
    // The agent of OFFLINE_AGENT says Online but never picks up: only running a command tells.
    expect(byId.get(OFFLINE_AGENT)).toMatchObject({ reachable: true });
    expect(byId.get(BULK[0])).toMatchObject({ name: `node-${BULK[0].slice(-3)}`, agent: { agentVersion: '3.3.1000.0' } });
    expect(fleet.map((i) => i.instanceId)).toEqual([...fleet.map((i) => i.instanceId)].sort());
  });

  it('runs on 120 instances through a throttled SendCommand, reading > 2,500-character outputs with Get', async () => {
    const before = endpoint.stats();
    const started = Date.now();
    const outcomes = await runCommand(
      { ssm: aws.ssm },
      BULK,
      // stderr first: the endpoint's 200 ms drain after exit can lose the very last write on a loaded machine.
      { kind: 'shell', commands: ['echo done >&2', 'printf "%s\\n" "$NODE_ID"', "head -c 3000 /dev/zero | tr '\\0' a", 'echo'] },
      { concurrency: 8, timeoutMs: 60_000, pollIntervalMs: 200 },
    );
    const elapsed = Date.now() - started;
    expect(outcomes.size).toBe(120);
    for (const id of BULK) {
      const o = outcomes.get(id)!;
      expect(o).toMatchObject({ status: 'Success', responseCode: 0, stdoutComplete: true, stderr: 'done\n' });
      expect(o.stdout).toBe(`${id}\n${'a'.repeat(3000)}\n`);
    }
    const after = endpoint.stats();
    const delta = (k: 'requests' | 'throttled', op: string) => (after[k][op] ?? 0) - (before[k][op] ?? 0);
    expect(delta('throttled', 'SendCommand')).toBeGreaterThan(0); // the fault did bite, and was ridden out
    expect(delta('requests', 'GetCommandInvocation')).toBeGreaterThanOrEqual(120);
    expect(after.commandsSent - before.commandsSent).toBe(3);
    console.info(
      `120 instances: ${elapsed} ms; SendCommand ${delta('requests', 'SendCommand')} (throttled ${delta('throttled', 'SendCommand')}), ` +
        `List ${delta('requests', 'ListCommandInvocations')}, Get ${delta('requests', 'GetCommandInvocation')}`,
    );
  }, 90_000);

  it('marks stdout incomplete beyond 24,000 characters and reports the offline agent as DeliveryTimedOut', async () => {
    const outcomes = await runCommand(
      { ssm: aws.ssm },
      [BULK[0], OFFLINE_AGENT],
      { kind: 'shell', commands: ["head -c 30000 /dev/zero | tr '\\0' z"] },
      { concurrency: 4, timeoutMs: 30_000, deliveryTimeoutSeconds: 2, pollIntervalMs: 200 },
    );
    const big = outcomes.get(BULK[0])!;
    expect(big).toMatchObject({ status: 'Success', stdoutComplete: false });
    expect(big.stdout.startsWith('z'.repeat(20_000))).toBe(true);
    expect(big.error).toMatch(/exceeds 24000 characters/);
    expect(outcomes.get(OFFLINE_AGENT)).toMatchObject({ status: 'TimedOut', statusDetails: 'DeliveryTimedOut', responseCode: -1 });
  }, 60_000);

  it('stops at its deadline, cancels the command and kills it on the instance', async () => {
    const started = Date.now();
    const outcomes = await runCommand(
      { ssm: aws.ssm },
      [BULK[1], BULK[2]],
      { kind: 'shell', commands: ['sleep 30'] },
      { concurrency: 4, timeoutMs: 3_000, pollIntervalMs: 200 },
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(3_000 + 2_500);
    for (const o of outcomes.values()) {
      expect(o.status).toBe('RunnerTimedOut');
      expect(o.error).toMatch(/deadline of 3 s expired while the command was InProgress, \d+ of \d+ final; cancel requested/);
    }
    const cancelled = await aws.ssm.listCommandInvocations({ CommandId: outcomes.get(BULK[1])!.commandId!, Details: true });
    for (const inv of cancelled.CommandInvocations ?? []) expect(['Cancelling', 'Cancelled']).toContain(inv.Status);
  }, 30_000);
});
