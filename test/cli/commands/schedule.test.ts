/**
 * `schedule` through main() with a fake State Manager: --dry-run prints the
 * association it would write and writes nothing; a first run creates it, a
 * second with the same flags changes nothing, a changed --rate updates it
 * (the version read sent along); --delete removes it, then says it is absent.
 */
import type { CreateAssociationCommandInput, UpdateAssociationCommandInput } from '@aws-sdk/client-ssm';
import { FakeRegion } from '../helpers/fake-aws.js';
import { ASSOCIATION_WRITES } from '../helpers/fake-state-manager.js';
import { runCli } from '../helpers/run-cli.js';

const REGION = 'us-east-1';
const NAME = 'swarm-audit-Swarm-prod';
const FLAGS = ['schedule', '--tag', 'Swarm=prod', '--output-s3-bucket', 'audit-outputs', '--region', REGION, '--log-level', 'silent'];
const DAILY = ['--rate', 'rate(1 day)'];

function writesOf(fake: FakeRegion) {
  return fake.stateManager.calls.filter((c) => ASSOCIATION_WRITES.includes(c.op));
}

describe('schedule', () => {
  let fake: FakeRegion;
  const run = (...extra: string[]) => runCli([...FLAGS, ...extra], { [REGION]: fake });
  beforeEach(() => {
    fake = new FakeRegion({ inventory: [] });
  });

  it('--dry-run prints the association it would create, as JSON, and makes only the read (ListAssociations by name)', async () => {
    const { code, out, err } = await run(...DAILY, '--dry-run');
    expect(err).toBe('');
    expect(code).toBe(0);
    const [first, ...json] = out.split('\n');
    expect(first).toBe(`dry run: would create association ${NAME} (nothing written):`);
    expect(JSON.parse(json.join('\n'))).toEqual({
      AssociationName: NAME,
      Name: 'swarm-audit-probe',
      DocumentVersion: '$DEFAULT',
      Targets: [{ Key: 'tag:Swarm', Values: ['prod'] }],
      ScheduleExpression: 'rate(1 day)',
      OutputLocation: { S3Location: { OutputS3BucketName: 'audit-outputs', OutputS3KeyPrefix: `swarm-audit/${NAME}` } },
      Parameters: {},
    });
    expect(fake.stateManager.calls.map((c) => c.op)).toEqual(['ListAssociations']);
    expect(fake.stateManager.calls[0].input).toEqual(expect.objectContaining({ AssociationFilterList: [{ key: 'AssociationName', value: NAME }] }));
    expect(writesOf(fake)).toEqual([]);
  });

  it('creates the association once; the same flags again change nothing; a new --rate updates it with the version read', async () => {
    const created = await run(...DAILY);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(new RegExp(`^created association ${NAME} \\(\\S+, version 1\\): runs document swarm-audit-probe on tag:Swarm=prod, rate\\(1 day\\), outputs to s3://audit-outputs/swarm-audit/${NAME}/\\n$`));
    expect(writesOf(fake).map((c) => c.op)).toEqual(['CreateAssociation']);
    expect(writesOf(fake)[0].input).toMatchObject<Partial<CreateAssociationCommandInput>>({ AssociationName: NAME, ScheduleExpression: 'rate(1 day)' });

    const again = await run(...DAILY);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(new RegExp(`^unchanged: association ${NAME} \\(\\S+, version 1\\) already runs document`));
    expect(writesOf(fake)).toHaveLength(1);

    const dryUpdate = await run('--rate', 'rate(12 hours)', '--dry-run');
    expect(dryUpdate.out).toMatch(/^dry run: would update association .* version 1; nothing written\):\n {2}ScheduleExpression: rate\(1 day\) -> rate\(12 hours\)\n/);
    expect(writesOf(fake)).toHaveLength(1);

    const updated = await run('--rate', 'rate(12 hours)');
    expect(updated.code).toBe(0);
    expect(updated.out).toBe(`updated association ${NAME} (${idOf(created.out)}) to version 2:\n  ScheduleExpression: rate(1 day) -> rate(12 hours)\n`);
    const update = writesOf(fake)[1];
    expect(update.op).toBe('UpdateAssociation');
    // the whole association is sent (AWS resets what an update leaves out), with the version it was read at
    expect(update.input).toMatchObject<Partial<UpdateAssociationCommandInput>>({ AssociationVersion: '1', ScheduleExpression: 'rate(12 hours)', Targets: [{ Key: 'tag:Swarm', Values: ['prod'] }] });
    expect((await run('--rate', 'rate(12 hours)')).out).toMatch(/^unchanged: .*version 2\)/);
  });

  it('--delete removes it; a second --delete finds nothing and says so, exit 0 both times', async () => {
    await run(...DAILY);
    const deleted = await runCli(['schedule', '--tag', 'Swarm=prod', '--delete', '--region', REGION, '--log-level', 'silent'], { [REGION]: fake });
    expect(deleted.code).toBe(0);
    expect(deleted.out).toMatch(new RegExp(`^deleted association ${NAME} \\(\\S+\\)\\n$`));
    const absent = await runCli(['schedule', '--tag', 'Swarm=prod', '--delete', '--region', REGION, '--log-level', 'silent'], { [REGION]: fake });
    expect(absent.code).toBe(0);
    expect(absent.out).toBe(`no association named ${NAME}: nothing to delete\n`);
    expect(writesOf(fake).map((c) => c.op)).toEqual(['CreateAssociation', 'DeleteAssociation']);
  });

  it('a probe document that does not exist is exit 3 with how to create it', async () => {
    const { code, err } = await run(...DAILY, '--document-name', 'no-such-document');
    expect(code).toBe(3);
    expect(err).toMatch(/SSM document no-such-document does not exist in this account and region: create it first with aws ssm create-document/);
  });

  it('a rate State Manager would refuse is exit 3 before any client is built', async () => {
    const { code, err, asked } = await run('--rate', 'rate(5 minutes)');
    expect(code).toBe(3);
    expect(err).toMatch(/at most every 30 minutes/);
    expect(asked).toEqual([]);
  });
});

function idOf(createdLine: string): string {
  return /\((\S+), version/.exec(createdLine)![1];
}
