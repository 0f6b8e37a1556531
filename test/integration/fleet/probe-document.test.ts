/**
 * Our own SSM document end to end: documents/swarm-audit-probe.json is created
 * on the local AWS-compatible endpoint through the real SDK (and the AWS CLI
 * v2), then `audit --document-name` runs the real probe through it with the
 * real sh on host-namespace instances (loopback only, no docker daemon needed:
 * one instance has no docker binary on its PATH, the other points DOCKER_HOST
 * at a socket nobody listens on), and the decoded results say exactly that.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateDocumentCommand,
  DescribeDocumentCommand,
  GetDocumentCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { runAudit } from '../../../src/audit/run-audit.js';
import { createAwsClients, type AwsClients } from '../../../src/aws/client-factory.js';
import { allChecks } from '../../../src/checks/registry.js';
import type { AuditReport } from '../../../src/engine/report-model.js';
import { SANDBOX_PATH } from '../../../packages/sandbox/src/endpoint/runner/process-pool.js';
import { startEndpoint, type RunningEndpoint } from '../../../packages/sandbox/src/endpoint/server.js';
import type { FleetFile } from '../../../packages/sandbox/src/fleet-file-types.js';
import { silentLogger } from '../../../src/util/logger.js';

const run = promisify(execFile);
const DOCUMENT_FILE = 'documents/swarm-audit-probe.json';
const DOCUMENT_NAME = 'swarm-audit-probe';
const TAG_KEY = 'SwarmAuditDocIt';
const DOCKER_DOWN = 'i-0d0c0000000000001';
const DOCKER_MISSING = 'i-0d0c0000000000002';
const UNTAGGED = 'i-0d0c0000000000003';
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' };
const AWS_CLI = '/usr/bin/aws';

const content = readFileSync(DOCUMENT_FILE, 'utf8');
const probeVersion = /^SWARM_AUDIT_PROBE_VERSION=(.+)$/m.exec(readFileSync('src/probe/probe.sh', 'utf8'))![1];

let work: string;
let deadSocket: string;
let endpoint: RunningEndpoint;
let aws: AwsClients;
let ssm: SSMClient;

/** A PATH directory with every tool of the sandbox PATH except docker (as scripts/capture-probe-fixtures.sh does). */
function pathWithout(dir: string, excluded: string): string {
  mkdirSync(dir);
  for (const source of SANDBOX_PATH.split(':')) {
    if (!existsSync(source)) continue;
    for (const name of readdirSync(source)) {
      if (name === excluded || existsSync(join(dir, name))) continue;
      symlinkSync(join(source, name), join(dir, name));
    }
  }
  return dir;
}

function fleet(): FleetFile {
  const instance = (instanceId: string, tags: Record<string, string>, env: Record<string, string>) => ({
    instanceId,
    tags,
    privateIpAddress: '10.0.0.5',
    agent: { pingStatus: 'Online' as const, platform: 'Linux' as const },
    exec: { env },
  });
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    instances: [
      instance(DOCKER_DOWN, { [TAG_KEY]: 'a', Name: 'docker-down' }, { DOCKER_HOST: `unix://${deadSocket}` }),
      instance(DOCKER_MISSING, { [TAG_KEY]: 'b', Name: 'docker-missing' }, { PATH: pathWithout(join(work, 'path-without-docker'), 'docker') }),
      instance(UNTAGGED, { Other: 'x' }, {}),
    ],
  };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sa-probe-document-'));
  deadSocket = join(work, 'dead.sock');
  endpoint = await startEndpoint({ fleet: fleet() });
  aws = createAwsClients({ region: 'us-east-1', endpointUrl: endpoint.url, credentials: CREDENTIALS });
  ssm = new SSMClient({ region: 'us-east-1', endpoint: endpoint.url, credentials: CREDENTIALS });
});

afterAll(async () => {
  ssm?.destroy();
  await endpoint?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** What the decoder makes of each host: the exact cause, never PASS. */
function expectDockerCauses(report: AuditReport): void {
  const down = `docker daemon not reachable: Cannot connect to the Docker daemon at unix://${deadSocket}. Is the docker daemon running?`;
  const missing = 'docker: command not found';
  expect(report.results.map((r) => r.status)).not.toContain('PASS');
  expect(new Set(report.results.map((r) => r.instanceId))).toEqual(new Set([DOCKER_DOWN, DOCKER_MISSING]));
  for (const [instanceId, message] of [
    [DOCKER_DOWN, down],
    [DOCKER_MISSING, missing],
  ] as const) {
    const results = report.results.filter((r) => r.instanceId === instanceId);
    expect(results.map((r) => r.checkId).sort()).toEqual(allChecks.map((c) => c.meta.id).sort());
    for (const result of results) expect(result).toMatchObject({ status: 'ERROR', message, resource: { type: 'node', id: instanceId } });
  }
  expect(report.summary).toMatchObject({ PASS: 0, FAIL: 0, WARN: 0, ERROR: 2 * allChecks.length, instances: 2 });
}

function auditWith(documentName: string, timeoutMs: number) {
  return runAudit(
    { ssm: aws.ssm, ec2: aws.ec2, logger: silentLogger() },
    {
      tags: [],
      tagKeys: [TAG_KEY],
      checks: [...allChecks],
      config: { checks: {} },
      concurrency: 4,
      timeoutMs,
      documentName,
    },
  );
}

describe('documents/swarm-audit-probe.json on the local endpoint', () => {
  it('is created through the SDK as a Command document, described and read back unchanged', async () => {
    const created = await ssm.send(
      new CreateDocumentCommand({ Name: DOCUMENT_NAME, Content: content, DocumentType: 'Command', DocumentFormat: 'JSON' }),
    );
    expect(created.DocumentDescription).toMatchObject({
      Name: DOCUMENT_NAME,
      DocumentType: 'Command',
      DocumentFormat: 'JSON',
      SchemaVersion: '2.2',
      Status: 'Active',
      DocumentVersion: '1',
      DefaultVersion: '1',
      LatestVersion: '1',
      HashType: 'Sha256',
      Hash: createHash('sha256').update(content).digest('hex'),
      Parameters: [],
    });
    expect(created.DocumentDescription!.Description).toMatch(/read-only host probe/);
    const described = await ssm.send(new DescribeDocumentCommand({ Name: DOCUMENT_NAME }));
    expect(described.Document).toMatchObject({ Name: DOCUMENT_NAME, DocumentVersion: '1', Hash: created.DocumentDescription!.Hash });
    const got = await ssm.send(new GetDocumentCommand({ Name: DOCUMENT_NAME }));
    expect(got).toMatchObject({ Name: DOCUMENT_NAME, DocumentType: 'Command', DocumentFormat: 'JSON', DocumentVersion: '1' });
    expect(got.Content).toBe(content);
  });

  it('runAudit with documentName runs the probe through the document; the decoded causes are exact', async () => {
    const before = endpoint.stats().commandsSent;
    const { report, hosts } = await auditWith(DOCUMENT_NAME, 90_000);
    expect(endpoint.stats().commandsSent - before).toBe(1);

    // One SendCommand, on our document, for the two tagged instances; its only plugin is the document's step.
    const commands = (await ssm.send(new ListCommandsCommand({}))).Commands ?? [];
    expect(commands.map((c) => c.DocumentName)).toEqual([DOCUMENT_NAME]);
    expect(commands[0].InstanceIds?.slice().sort()).toEqual([DOCKER_DOWN, DOCKER_MISSING]);
    expect(commands[0].Parameters ?? {}).toEqual({});
    const invocations = await ssm.send(new ListCommandInvocationsCommand({ CommandId: commands[0].CommandId, Details: true }));
    for (const invocation of invocations.CommandInvocations ?? []) {
      expect(invocation).toMatchObject({ DocumentName: DOCUMENT_NAME, Status: 'Success' });
      expect(invocation.CommandPlugins?.map((p) => [p.Name, p.Status, p.ResponseCode])).toEqual([['swarmAuditProbe', 'Success', 0]]);
      expect(invocation.CommandPlugins![0].Output).toMatch(/^SWARM-AUDIT-PROBE\/1 enc=(raw|gz64) bytes=\d+ cksum=\d+\n/);
    }

    // Both records were decoded (complete, checksummed frames), and say why docker could not be read.
    const byId = new Map(hosts.map((h) => [h.instance.instanceId, h]));
    for (const id of [DOCKER_DOWN, DOCKER_MISSING]) {
      const probe = byId.get(id)!.probe;
      if (!probe.ok) throw new Error(`${id}: probe not decoded: ${probe.message}`);
      expect(probe.facts.probeVersion).toBe(probeVersion);
      expect(probe.facts.swarm).toBeUndefined();
    }
    const facts = (id: string) => (byId.get(id)!.probe as { ok: true; facts: { docker: unknown } }).facts.docker;
    expect(facts(DOCKER_DOWN)).toEqual({
      present: true,
      reachable: false,
      error: { kind: 'daemon-down', message: `Cannot connect to the Docker daemon at unix://${deadSocket}. Is the docker daemon running?` },
    });
    expect(facts(DOCKER_MISSING)).toEqual({ present: false, reachable: false, error: { kind: 'not-installed', message: 'docker: command not found' } });
    expectDockerCauses(report);
  }, 120_000);

  it('a document that was never created: every instance ERROR with the SendCommand cause, nothing run', async () => {
    const before = endpoint.stats().commandsSent;
    const { report } = await auditWith('swarm-audit-probe-absent', 30_000);
    expect(endpoint.stats().commandsSent).toBe(before);
    expect(report.results).toHaveLength(2 * allChecks.length);
    for (const result of report.results) {
      expect(result).toMatchObject({
        status: 'ERROR',
        message: 'probe command NotSent: SendCommand failed: SendCommand: InvalidDocument: Document swarm-audit-probe-absent does not exist in your account.',
      });
    }
  }, 60_000);

  it('the CLI: `swarm-audit audit --document-name` sends the document and exits 2 (incomplete) with the same causes', async () => {
    const bin = 'bin/swarm-audit.js';
    if (!existsSync('dist/src/cli/main.js')) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    const before = (await ssm.send(new ListCommandsCommand({}))).Commands?.length ?? 0;
    let exitCode = 0;
    let stdout: string;
    try {
      ({ stdout } = await run(
        process.execPath,
        [bin, 'audit', '--document-name', DOCUMENT_NAME, '--endpoint-url', endpoint.url, '--region', 'us-east-1',
          '--tag-key', TAG_KEY, '--output', 'json', '--timeout', '90', '--log-level', 'warn'],
        { env: cliEnv(), timeout: 110_000 },
      ));
    } catch (err) {
      const failed = err as { code?: number; stdout?: string; stderr?: string };
      exitCode = failed.code ?? -1;
      stdout = failed.stdout ?? '';
      if (exitCode !== 2) throw new Error(`CLI exited ${exitCode}: ${failed.stderr}`, { cause: err });
    }
    expect(exitCode).toBe(2);
    const report = JSON.parse(stdout) as AuditReport;
    expectDockerCauses(report);
    const commands = (await ssm.send(new ListCommandsCommand({}))).Commands ?? [];
    expect(commands).toHaveLength(before + 1);
    expect(commands.every((c) => c.DocumentName === DOCUMENT_NAME)).toBe(true);
  }, 120_000);

  it('the AWS CLI v2 creates and describes it from the file', async () => {
    const name = 'swarm-audit-probe-cli';
    const created = await awsCli('ssm', 'create-document', '--content', `file://${DOCUMENT_FILE}`, '--name', name, '--document-type', 'Command');
    expect(created.DocumentDescription).toMatchObject({
      Name: name,
      DocumentType: 'Command',
      DocumentFormat: 'JSON',
      SchemaVersion: '2.2',
      Status: 'Active',
      DocumentVersion: '1',
      Hash: createHash('sha256').update(content).digest('hex'),
    });
    const described = await awsCli('ssm', 'describe-document', '--name', name);
    expect(described.Document).toMatchObject({ Name: name, DefaultVersion: '1', PlatformTypes: expect.arrayContaining(['Linux']) });
    const got = await awsCli('ssm', 'get-document', '--name', name);
    expect(got.Content).toBe(content);
  }, 60_000);
});

function cliEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? SANDBOX_PATH,
    HOME: work,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}

async function awsCli(...args: string[]): Promise<any> {
  const { stdout } = await run(AWS_CLI, ['--endpoint-url', endpoint.url, '--region', 'us-east-1', '--output', 'json', ...args], {
    env: { ...cliEnv(), PATH: SANDBOX_PATH },
    timeout: 30_000,
  });
  return JSON.parse(stdout);
}
