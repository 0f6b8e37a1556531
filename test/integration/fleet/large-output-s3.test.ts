/**
 * A manager too big for SSM's API outputs, audited in full through S3. A real
 * sandbox Swarm manager with 300 services and 60 overlay networks first gives
 * the probe's own figures (record size before and after compression, time on
 * the host; the README states them): its record is already past
 * GetCommandInvocation's 24,000 characters (25,639 when measured), and with
 * 60 more services further past (29,756). The probe prints no service labels
 * (probe 1.3.0), so what makes these records big is what it does print: each
 * service's network aliases, two build identifiers (40 hex) that gzip cannot
 * shrink (without them, 300 services make 9,123 characters). Past 24,000, with
 * --output-s3-bucket the runner reads the whole record from the sandbox
 * endpoint's S3 (written there under SSM's key layout) and every service is
 * audited; without it the host is ERROR and the message names the flag to add.
 */
import { GetCommandInvocationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { readFileSync } from 'node:fs';
import { runAudit, type AuditRun } from '../../../src/audit/run-audit.js';
import { createAwsClients, type AwsClients } from '../../../src/aws/client-factory.js';
import { SdkSsmApi } from '../../../src/aws/sdk-ssm.js';
import { allChecks } from '../../../src/checks/registry.js';
import { GET_STDOUT_LIMIT } from '../../../src/fleet/plugin-output.js';
import { runCommand } from '../../../src/fleet/runner.js';
import { PROBE_TIMEOUT_SECONDS, probeCommands } from '../../../src/probe/script.js';
import { startEndpoint, type RunningEndpoint } from '../../../packages/sandbox/src/endpoint/server.js';
import type { FleetFile } from '../../../packages/sandbox/src/fleet-file-types.js';
import { SANDBOX_IMAGE, sandboxDown, sandboxUp, type SandboxSpec } from '../../../packages/sandbox/src/swarm/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { canRunSandbox, CREDENTIALS, docker } from '../remediation/helpers.js';

const DIR = '/tmp/swbig-large-output-it';
const TAG = 'Swarm=swbig';
const BUCKET = 'swarm-audit-outputs';
const SERVICES = 300;
const NETWORKS = 60;
const MORE_SERVICES = 60;
const logger = silentLogger();

/** Services as CI deploys them: each on one of the networks with two aliases naming its builds, every 15th publishing a port. */
function bigSpec(): SandboxSpec {
  const networks = Array.from({ length: NETWORKS }, (_, i) => ({
    name: `net-${String(i).padStart(2, '0')}`,
    ...(i % 3 === 0 ? { options: { encrypted: '' } } : {}),
    labels: { tier: ['front', 'back', 'data'][i % 3] },
  }));
  const services = Array.from({ length: SERVICES }, (_, i) => ({
    name: `svc-${String(i).padStart(3, '0')}`,
    replicas: 0,
    networks: [{ name: networks[i % NETWORKS].name, aliases: buildAliases(i) }],
    labels: { team: `team-${i % 12}` },
    ...(i % 15 === 0 ? { ports: [{ published: 30_000 + i, target: 80 }] } : {}),
  }));
  return {
    prefix: 'swbig',
    subnet: '10.77.190.0/24',
    clusters: [{ name: 'big', tags: { Swarm: 'swbig' }, networks, services }],
    nodes: [{ name: 'm1', cluster: 'big', role: 'manager', bindListenAddr: true }],
  };
}

/** Two network aliases per service, each a 40-hex "commit" as CI names builds (deterministic). */
function buildAliases(i: number): string[] {
  return [`b-${commitOf(i)}`, `c-${commitOf(i + 1000)}`];
}

/** A 40-hex "commit" (deterministic). */
function commitOf(i: number): string {
  let x = (i + 1) * 2654435761;
  let out = '';
  while (out.length < 40) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out += x.toString(16).padStart(8, '0');
  }
  return out.slice(0, 40);
}

const maybe = canRunSandbox() ? describe : describe.skip;

maybe('a manager whose probe record exceeds 24,000 characters', () => {
  let endpoint: RunningEndpoint;
  let aws: AwsClients;
  let managerId: string;
  let managerSocket: string;

  beforeAll(async () => {
    await sandboxDown({ dir: DIR });
    const state = await sandboxUp({ spec: bigSpec(), dir: DIR, startEndpoint: false, timeouts: { servicesMs: 300_000 } });
    console.log(`sandbox with ${SERVICES} services and ${NETWORKS} networks up in ${state.timings.totalMs} ms`);
    const fleet = JSON.parse(readFileSync(state.fleetFile, 'utf8')) as FleetFile;
    managerId = fleet.instances[0].instanceId;
    managerSocket = state.nodes.find((n) => n.name === 'm1')!.socket;
    endpoint = await startEndpoint({ fleet, logger });
    aws = createAwsClients({ region: fleet.region, endpointUrl: endpoint.url, credentials: CREDENTIALS });
  }, 600_000);

  afterAll(async () => {
    if (aws?.ssm instanceof SdkSsmApi) aws.ssm.destroy();
    await endpoint?.close();
    await sandboxDown({ dir: DIR });
  }, 120_000);

  const audit = (outputS3Bucket?: string): Promise<AuditRun> =>
    runAudit(
      { ...aws, logger },
      {
        tags: [TAG],
        tagKeys: [],
        checks: [...allChecks],
        config: { checks: {} },
        concurrency: 4,
        timeoutMs: 180_000,
        ...(outputS3Bucket ? { outputS3Bucket } : {}),
      },
    );

  test('the probe on the manager: record size before and after compression, time on the host', async () => {
    const outcomes = await runCommand(
      aws,
      [managerId],
      { kind: 'shell', commands: probeCommands(), executionTimeoutSeconds: PROBE_TIMEOUT_SECONDS },
      { concurrency: 2, timeoutMs: 180_000, pollIntervalMs: 250, outputS3Bucket: BUCKET },
    );
    const outcome = outcomes.get(managerId)!;
    expect(outcome).toMatchObject({ status: 'Success', stdoutComplete: true });
    const header = /^SWARM-AUDIT-PROBE\/1 enc=(\w+) bytes=(\d+) /.exec(outcome.stdout)!;
    expect(header[1]).toBe('gz64');
    const ssm = new SSMClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS });
    const got = await ssm.send(new GetCommandInvocationCommand({ CommandId: outcome.commandId!, InstanceId: managerId }));
    ssm.destroy();
    const hostMs = Date.parse(got.ExecutionEndDateTime!) - Date.parse(got.ExecutionStartDateTime!);
    console.log(
      `probe on a manager with ${SERVICES} services and ${NETWORKS} overlay networks: payload ${header[2]} bytes raw, ` +
        `record ${outcome.stdout.length} characters gzip+base64 (GetCommandInvocation keeps ${GET_STDOUT_LIMIT}); ${hostMs} ms on the host`,
    );
    expect(outcome.stdout.length).toBeLessThan(Number(header[2]));
  }, 240_000);

  test(`with ${MORE_SERVICES} more services the record is past ${GET_STDOUT_LIMIT} characters`, async () => {
    for (let i = SERVICES; i < SERVICES + MORE_SERVICES; i++) {
      docker(managerSocket, [
        'service', 'create', '-q', '-d', '--no-resolve-image', '--replicas', '0', '--name', `svc-${i}`,
        '--network', [`name=net-${String(i % NETWORKS).padStart(2, '0')}`, ...buildAliases(i).map((a) => `alias=${a}`)].join(','), '--label', `team=team-${i % 12}`,
        SANDBOX_IMAGE,
      ]);
    }
    const outcomes = await runCommand(
      aws,
      [managerId],
      { kind: 'shell', commands: probeCommands(), executionTimeoutSeconds: PROBE_TIMEOUT_SECONDS },
      { concurrency: 2, timeoutMs: 180_000, pollIntervalMs: 250, outputS3Bucket: BUCKET },
    );
    const outcome = outcomes.get(managerId)!;
    expect(outcome).toMatchObject({ status: 'Success', stdoutComplete: true });
    console.log(`with ${SERVICES + MORE_SERVICES} services: record ${outcome.stdout.length} characters`);
    expect(outcome.stdout.length).toBeGreaterThan(GET_STDOUT_LIMIT);
  }, 240_000);

  test('with --output-s3-bucket every service is audited from the S3 copy', async () => {
    const before = endpoint.stats().requests;
    const run = await audit(BUCKET);
    const host = run.hosts.find((h) => h.instance.instanceId === managerId)!;
    expect(host.probe.ok).toBe(true);
    if (!host.probe.ok) return;
    const { facts } = host.probe;
    expect(facts.problems.map((p) => p.section)).not.toContain('services');
    expect(facts.services).toHaveLength(SERVICES + MORE_SERVICES);
    expect(facts.services!.map((s) => s.name)).toContain(`svc-${SERVICES + MORE_SERVICES - 1}`);
    expect(facts.networks!.filter((n) => n.name.startsWith('net-'))).toHaveLength(NETWORKS);
    const managerResults = run.report.results.filter((r) => r.instanceId === managerId);
    expect(managerResults.some((r) => r.status === 'PASS' || r.status === 'FAIL')).toBe(true);
    expect(managerResults.filter((r) => JSON.stringify(r).includes('truncated'))).toEqual([]);
    const after = endpoint.stats().requests;
    expect((after.GetObject ?? 0) - (before.GetObject ?? 0)).toBe(1);
    expect((after.ListObjectsV2 ?? 0) - (before.ListObjectsV2 ?? 0)).toBeGreaterThanOrEqual(1);
  }, 240_000);

  test('without a bucket the host is ERROR and the message names the flag to add', async () => {
    const run = await audit();
    const host = run.hosts.find((h) => h.instance.instanceId === managerId)!;
    expect(host.probe.ok).toBe(false);
    if (host.probe.ok) return;
    expect(host.probe.status).toBe('ERROR');
    expect(host.probe.message).toContain('add --output-s3-bucket BUCKET');
    const errors = run.report.results.filter((r) => r.instanceId === managerId && r.status === 'ERROR');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((r) => JSON.stringify(r).includes('--output-s3-bucket'))).toBe(true);
  }, 240_000);
});
