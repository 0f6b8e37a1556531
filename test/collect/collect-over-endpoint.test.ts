/**
 * schedule -> one State Manager run -> collect, through the real SDK clients
 * and the sandbox endpoint, with recorded probe outputs (captured from real
 * dockerds, test/fixtures/probe): collect's verdicts equal audit's on the same
 * fleet, an instance whose run has no output is ERROR with the reason, and an
 * output older than the latest run is never read.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerProbeDocument } from '../schedule/register-probe-document.js';
import pino from 'pino';
import { runAudit } from '../../src/audit/run-audit.js';
import { createAwsClients, type AwsClients } from '../../src/aws/client-factory.js';
import { SdkSsmApi } from '../../src/aws/sdk-ssm.js';
import { SdkS3Api } from '../../src/aws/sdk-s3.js';
import { checkRegistry } from '../../src/checks/registry.js';
import { loadAuditConfig } from '../../src/cli/audit-config.js';
import { main } from '../../src/cli/main.js';
import { captureContext } from '../cli/helpers/capture-context.js';
import { collectAudit } from '../../src/collect/collect-audit.js';
import type { AuditReport } from '../../src/engine/report-model.js';
import { scheduleAssociation } from '../../src/schedule/schedule-association.js';
import { scheduleRequest } from '../../src/schedule/schedule-request.js';
import { startEndpoint, type RunningEndpoint } from '../../packages/sandbox/src/endpoint/server.js';
import { parseFleetFile } from '../../packages/sandbox/src/fleet-file.js';

const FIXTURES = new URL('../fixtures/probe/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(`${name}.stdout`, FIXTURES), 'utf8');
const CREDENTIALS = { accessKeyId: 'AKIDCOLLECT', secretAccessKey: 'x' };
const logger = pino({ level: 'silent' });
const MANAGER = 'i-0000000000000c001';
const WORKER = 'i-0000000000000c002';
const INACTIVE = 'i-0000000000000c003';
const OFFLINE = 'i-0000000000000c004';

let endpoint: RunningEndpoint;
let aws: AwsClients;

beforeAll(async () => {
  const agent = { pingStatus: 'Online', platform: 'Linux' };
  const recorded = (name: string) => ({ recorded: { stdout: fixture(name), stderr: '', code: 0 }, runtimeMs: [10, 30] });
  endpoint = await startEndpoint({
    fleet: parseFleetFile({
      accountId: '123456789012',
      region: 'us-east-1',
      instances: [
        { instanceId: MANAGER, tags: { Swarm: 'prod', Name: 'manager' }, privateIpAddress: '10.77.0.11', agent, exec: recorded('manager-wildcard') },
        { instanceId: WORKER, tags: { Swarm: 'prod', Name: 'worker' }, privateIpAddress: '10.77.0.13', agent, exec: recorded('worker-wildcard') },
        { instanceId: INACTIVE, tags: { Swarm: 'prod', Name: 'inactive' }, agent, exec: recorded('swarm-inactive') },
        { instanceId: OFFLINE, tags: { Swarm: 'prod', Name: 'offline' }, agent: { ...agent, behaviour: 'offline' }, exec: recorded('manager-bound') },
      ],
    }),
  });
  aws = createAwsClients({ endpointUrl: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, logger });
  await registerProbeDocument(endpoint.url, CREDENTIALS);
});

afterAll(async () => {
  if (aws?.ssm instanceof SdkSsmApi) aws.ssm.destroy();
  if (aws?.s3 instanceof SdkS3Api) await aws.s3.destroy();
  await endpoint?.close();
});

const verdicts = (report: AuditReport) => report.results.map((r) => `${r.checkId} ${r.instanceId} ${r.resource.type}/${r.resource.id} ${r.status}`).sort();
const config = () => loadAuditConfig(undefined, { services: [], ports: [] }, { warn: () => undefined });
const flags = { tag: ['Swarm=prod'], tagKey: [], rate: 'rate(1 day)', outputS3Bucket: 'audit-outputs', documentName: 'swarm-audit-probe', dryRun: false, delete: false };

async function collectOnceRun(bucket?: string) {
  return collectAudit({ ...aws, logger, region: 'us-east-1' }, { associationName: 'swarm-audit-Swarm-prod', ...(bucket ? { bucket, prefix: 'elsewhere' } : {}), checks: checkRegistry.all, config: await config(), concurrency: 4, allowEmpty: false });
}

test('collect after one association run gives the verdicts audit gives; the offline instance is ERROR with the reason', async () => {
  const request = scheduleRequest(flags);
  if (request.kind !== 'write') throw new Error('expected a write');
  expect(await scheduleAssociation(aws.ssm, request.association, false)).toMatchObject({ action: 'created' });
  await new Promise((r) => setTimeout(r, 300)); // recorded runs take 10-30 ms
  const collected = await collectOnceRun();
  const audited = await runAudit({ ...aws, logger }, { tags: ['Swarm=prod'], tagKeys: [], checks: checkRegistry.all, config: await config(), concurrency: 4, timeoutMs: 3_000, deliveryTimeoutSeconds: 30, documentName: 'swarm-audit-probe' });

  expect(verdicts(collected.report)).toEqual(verdicts(audited.report));
  expect(collected.report.results.some((r) => r.status === 'FAIL')).toBe(true);
  const offline = collected.report.results.filter((r) => r.instanceId === OFFLINE);
  expect(offline.length).toBeGreaterThan(0);
  for (const r of offline) expect(r).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/still Pending \(execution [0-9a-f-]{36} started /) });
  expect(collected.report.instances.find((i) => i.instanceId === MANAGER)).toMatchObject({ name: 'manager', reachable: true, swarm: { role: 'manager' } });
});

test('an instance whose run left no output in the bucket read is ERROR naming where it looked', async () => {
  const collected = await collectOnceRun('other-bucket');
  const manager = collected.report.results.filter((r) => r.instanceId === MANAGER);
  expect(manager.length).toBeGreaterThan(0);
  for (const r of manager) expect(r).toMatchObject({ status: 'ERROR', message: expect.stringContaining(`s3://other-bucket/elsewhere/${MANAGER}/`) });
  expect(collected.report.results.some((r) => r.status === 'PASS' || r.status === 'FAIL')).toBe(false);
});

test('collect for an association that does not exist is a usage error naming it', async () => {
  await expect(
    collectAudit({ ...aws, logger, region: 'us-east-1' }, { associationName: 'swarm-audit-none', checks: checkRegistry.all, config: await config(), concurrency: 4, allowEmpty: false }),
  ).rejects.toMatchObject({ code: 'AssociationDoesNotExist', message: expect.stringContaining('swarm-audit-none') });
});

test('the collect command writes the report formats audit writes: ASFF with the account STS names, JSON with the execution\'s start', async () => {
  const ctx = captureContext();
  const asffFile = join(mkdtempSync(join(tmpdir(), 'collect-asff-')), 'findings.json');
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_EC2_METADATA_DISABLED: 'true' });
  try {
    const code = await main(['collect', '--tag', 'Swarm=prod', '--report', `asff=${asffFile}`, '--report', 'json=-', '--endpoint-url', endpoint.url, '--region', 'us-east-1', '--log-level', 'silent'], ctx);
    expect(code).toBe(1);
  } finally {
    process.env = saved;
  }
  const report = JSON.parse(ctx.out()) as AuditReport;
  expect(report.results.some((r) => r.status === 'FAIL')).toBe(true);
  expect(Date.parse(report.startedAt)).toBeLessThanOrEqual(Date.parse(report.finishedAt));
  const findings = JSON.parse(readFileSync(asffFile, 'utf8')) as { AwsAccountId: string }[] | { Findings: { AwsAccountId: string }[] };
  const list = Array.isArray(findings) ? findings : findings.Findings;
  expect(list.length).toBeGreaterThan(0);
  expect(new Set(list.map((f) => f.AwsAccountId))).toEqual(new Set(['123456789012']));
});
