/**
 * `collect` through main() with fake AWS: schedule creates the association
 * (fake State Manager), a run of it is recorded with each target's status,
 * and the agent's outputs (captured probe records) sit in fake S3 under the
 * association layout. The report comes from those objects; no command is sent.
 */
import { runIdAt } from '../../../src/collect/run-output.js';
import { FakeRegion } from '../helpers/fake-aws.js';
import type { TargetRun } from '../helpers/fake-state-manager.js';
import { runCli } from '../helpers/run-cli.js';
import type { InventoryInstance } from '../../fleet/helpers/fake-inventory.js';
import { fixture } from '../../probe/frame-builder.js';

const REGION = 'us-east-1';
const NAME = 'swarm-audit-Swarm-prod';
const BUCKET = 'audit-outputs';
const PREFIX = `swarm-audit/${NAME}`;
const MANAGER = 'i-0a1b2c3d4e5f60001';
const BROKEN = 'i-0a1b2c3d4e5f60002';
const RUN_AT = new Date('2026-12-01T04:00:00.000Z');
const QUIET = ['--region', REGION, '--log-level', 'silent'];

interface JsonReport {
  startedAt: string;
  results: { checkId: string; status: string; instanceId?: string; message: string }[];
}

const inventory = (ids: string[]): InventoryInstance[] => ids.map((id) => ({ id, tags: { Swarm: 'prod' }, agent: { ping: 'Online' } }));

/** schedule's association, one recorded run, and the outputs the agent uploaded for it. */
async function scheduledAndRun(fake: FakeRegion, targets: TargetRun[], outputs: Record<string, { stdout: string; stderr?: string }>) {
  const scheduled = await runCli(['schedule', '--tag', 'Swarm=prod', '--rate', 'rate(1 day)', '--output-s3-bucket', BUCKET, ...QUIET], { [REGION]: fake });
  expect(scheduled.code).toBe(0);
  const [association] = (await fake.stateManager.listAssociations({})).Associations ?? [];
  const associationId = association.AssociationId!;
  fake.stateManager.recordRun(associationId, RUN_AT, targets);
  // the agent's run id is its clock at the start of the run, a moment after the execution was created
  const runId = runIdAt(new Date(RUN_AT.getTime() + 1_250));
  for (const [instanceId, { stdout, stderr }] of Object.entries(outputs)) {
    const base = `${PREFIX}/${instanceId}/${associationId}/${runId}/awsrunShellScript/swarmAuditProbe`;
    fake.s3.objects[`${base}/stdout`] = stdout;
    if (stderr !== undefined) fake.s3.objects[`${base}/stderr`] = stderr;
  }
  fake.stateManager.calls.length = 0;
  return associationId;
}

describe('collect', () => {
  it('reports the latest run from the S3 outputs: the manager\'s FAIL findings, exit 1, and no command sent', async () => {
    const fake = new FakeRegion({ inventory: inventory([MANAGER]) });
    const associationId = await scheduledAndRun(fake, [{ instanceId: MANAGER, status: 'Success' }], { [MANAGER]: { stdout: fixture('manager-bound') } });
    const { code, out, err } = await runCli(['collect', '--tag', 'Swarm=prod', '--output', 'json', ...QUIET], { [REGION]: fake });
    expect(err).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(out) as JsonReport;
    expect(report.startedAt).toBe(RUN_AT.toISOString());
    expect(report.results.some((r) => r.checkId === 'overlay-encryption' && r.status === 'FAIL' && r.instanceId === MANAGER)).toBe(true);
    expect(report.results.filter((r) => r.status === 'ERROR')).toEqual([]);
    // the association by name, its latest execution and targets; the output listed under the instance's prefix and read once
    expect(fake.stateManager.calls.map((c) => c.op)).toEqual(['ListAssociations', 'DescribeAssociation', 'DescribeAssociationExecutions', 'DescribeAssociationExecutionTargets']);
    expect(fake.s3.listed.map((l) => [l.Bucket, l.Prefix])).toEqual([[BUCKET, `${PREFIX}/${MANAGER}/${associationId}/`]]);
    expect(fake.s3.read).toEqual([expect.stringMatching(new RegExp(`/${MANAGER}/${associationId}/2026-12-01T04-00-01\\.250Z/awsrunShellScript/swarmAuditProbe/stdout$`))]);
    expect(fake.ssm.callsOf('SendCommand')).toEqual([]);
  });

  it('a target whose run failed is ERROR with its stderr, one the run did not target is ERROR saying so; all PASS otherwise: exit 2', async () => {
    const third = 'i-0a1b2c3d4e5f60003';
    const fake = new FakeRegion({ inventory: inventory([MANAGER, BROKEN, third]) });
    await scheduledAndRun(
      fake,
      [
        { instanceId: MANAGER, status: 'Success' },
        { instanceId: BROKEN, status: 'Failed' },
      ],
      { [MANAGER]: { stdout: fixture('manager-bound') }, [BROKEN]: { stdout: '', stderr: 'docker: permission denied while trying to connect to the Docker daemon socket\n' } },
    );
    const { code, out } = await runCli(['collect', '--tag', 'Swarm=prod', '--checks', 'swarm-listen-address', '--output', 'json', ...QUIET], { [REGION]: fake });
    const report = JSON.parse(out) as JsonReport;
    const of = (id: string) => report.results.filter((r) => r.instanceId === id);
    expect(of(MANAGER).every((r) => r.status === 'PASS')).toBe(true);
    expect(of(BROKEN)).toEqual([expect.objectContaining({ status: 'ERROR' })]);
    expect(of(BROKEN)[0].message).toMatch(/permission denied/);
    expect(of(third)).toEqual([expect.objectContaining({ status: 'ERROR' })]);
    expect(of(third)[0].message).toMatch(/not targeted by the association's latest run/);
    expect(code).toBe(2);
  });

  it('an output older than the latest run is not used: ERROR, exit 2', async () => {
    const fake = new FakeRegion({ inventory: inventory([MANAGER]) });
    const associationId = await scheduledAndRun(fake, [{ instanceId: MANAGER, status: 'Success' }], {});
    fake.s3.objects[`${PREFIX}/${MANAGER}/${associationId}/${runIdAt(new Date(RUN_AT.getTime() - 86_400_000))}/awsrunShellScript/swarmAuditProbe/stdout`] = fixture('manager-bound');
    const { code, out } = await runCli(['collect', '--tag', 'Swarm=prod', '--output', 'json', ...QUIET], { [REGION]: fake });
    const report = JSON.parse(out) as JsonReport;
    expect(new Set(report.results.map((r) => r.status))).toEqual(new Set(['ERROR']));
    expect(report.results[0].message).toMatch(/no probe output at s3:\/\/audit-outputs\/.* from this run/);
    expect(code).toBe(2);
  });

  it('no association of that name is exit 3 pointing at schedule; nothing is read from S3', async () => {
    const fake = new FakeRegion({ inventory: inventory([MANAGER]) });
    const { code, err } = await runCli(['collect', '--tag', 'Swarm=prod', ...QUIET], { [REGION]: fake });
    expect(code).toBe(3);
    expect(err).toMatch(`no association named ${NAME} in ${REGION}: create it with swarm-audit schedule`);
    expect(fake.s3.listed).toEqual([]);
  });
});
