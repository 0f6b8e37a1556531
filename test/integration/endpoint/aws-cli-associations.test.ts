/**
 * State Manager on the sandbox endpoint through the AWS CLI v2 (botocore), a
 * client independent of ours: create-association runs the document on the
 * tagged instances and leaves each output in S3; the describe/list/update/
 * delete commands parse our answers, and the errors come back by AWS's names.
 */
import { awsCliOnEndpoint } from '../aws-cli-client.js';
import { OFFLINE, ONLINE, ONLINE_2, testFleet, waitFor } from './fixtures.js';

const { aws, awsError, homePath } = awsCliOnEndpoint(testFleet, 'sa-endpoint-assoc-cli-');

describe('aws ssm *-association against the endpoint', () => {
  let associationId: string;

  it('create-association runs AWS-RunShellScript on tag:Swarm=prod; the executions and targets read back', async () => {
    const created = await aws(
      'ssm', 'create-association', '--name', 'AWS-RunShellScript', '--association-name', 'cli-assoc',
      '--targets', 'Key=tag:Swarm,Values=prod', '--schedule-expression', 'rate(1 day)',
      '--parameters', 'commands=echo from-association',
      '--output-location', 'S3Location={OutputS3BucketName=cli-outputs,OutputS3KeyPrefix=runs}',
    );
    associationId = created.AssociationDescription.AssociationId;
    expect(created.AssociationDescription).toMatchObject({ AssociationVersion: '1', ScheduleExpression: 'rate(1 day)', Targets: [{ Key: 'tag:Swarm', Values: ['prod'] }] });

    const execution = await waitFor(async () => {
      const out = await aws('ssm', 'describe-association-executions', '--association-id', associationId);
      const first = out.AssociationExecutions[0];
      return first && /Success=2/.test(first.ResourceCountByStatus) ? first : undefined;
    }, 20_000, 200);
    expect(execution).toMatchObject({ AssociationId: associationId, AssociationVersion: '1', Status: 'InProgress', ResourceCountByStatus: '{Pending=1, Success=2}' });
    expect(typeof execution.CreatedTime).toBe('string'); // the CLI renders the epoch timestamp as ISO 8601

    const targets = await aws('ssm', 'describe-association-execution-targets', '--association-id', associationId, '--execution-id', execution.ExecutionId);
    expect(targets.AssociationExecutionTargets.map((t: any) => `${t.ResourceId}:${t.Status}`).sort()).toEqual([`${OFFLINE}:Pending`, `${ONLINE}:Success`, `${ONLINE_2}:Success`].sort());
    const onlyOne = await aws('ssm', 'describe-association-execution-targets', '--association-id', associationId, '--execution-id', execution.ExecutionId, '--filters', `Key=ResourceId,Value=${ONLINE}`);
    expect(onlyOne.AssociationExecutionTargets).toHaveLength(1);

    const listed = await aws('s3api', 'list-objects-v2', '--bucket', 'cli-outputs', '--prefix', `runs/${ONLINE}/${associationId}/`);
    const stdoutKey = listed.Contents.map((o: any) => o.Key).find((k: string) => k.endsWith('/stdout'));
    expect(stdoutKey).toMatch(new RegExp(`^runs/${ONLINE}/${associationId}/\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}Z/awsrunShellScript/0\\.awsrunShellScript/stdout$`));
    await aws('s3api', 'get-object', '--bucket', 'cli-outputs', '--key', stdoutKey, homePath('out.txt'));
    expect((await import('node:fs')).readFileSync(homePath('out.txt'), 'utf8')).toBe('from-association\n');
  }, 60_000);

  it('list-associations filters by name; describe-association shows the overview; update-association adds a version', async () => {
    const listed = await aws('ssm', 'list-associations', '--association-filter-list', 'key=AssociationName,value=cli-assoc');
    expect(listed.Associations.map((a: any) => a.AssociationId)).toEqual([associationId]);
    const described = await aws('ssm', 'describe-association', '--association-id', associationId);
    expect(described.AssociationDescription).toMatchObject({ Overview: { Status: 'Pending', AssociationStatusAggregatedCount: { Success: 2, Pending: 1 } }, OutputLocation: { S3Location: { OutputS3BucketName: 'cli-outputs', OutputS3KeyPrefix: 'runs' } } });
    const updated = await aws('ssm', 'update-association', '--association-id', associationId, '--association-version', '1', '--schedule-expression', 'rate(2 hours)', '--parameters', 'commands=echo again');
    expect(updated.AssociationDescription).toMatchObject({ AssociationVersion: '2', ScheduleExpression: 'rate(2 hours)' });
    const executions = await waitFor(async () => {
      const out = await aws('ssm', 'describe-association-executions', '--association-id', associationId);
      return out.AssociationExecutions.length === 2 ? out.AssociationExecutions : undefined;
    });
    expect(executions.map((e: any) => e.AssociationVersion)).toEqual(['2', '1']);
  }, 60_000);

  it('errors by AWS name: InvalidSchedule, InvalidAssociationVersion, AssociationDoesNotExist after delete-association', async () => {
    expect(await awsError('ssm', 'create-association', '--name', 'AWS-RunShellScript', '--targets', 'Key=tag:Swarm,Values=prod', '--parameters', 'commands=true', '--schedule-expression', 'rate(10 minutes)')).toContain('InvalidSchedule');
    expect(await awsError('ssm', 'update-association', '--association-id', associationId, '--association-version', '1', '--schedule-expression', 'rate(1 day)')).toContain('InvalidAssociationVersion');
    expect(await aws('ssm', 'delete-association', '--association-id', associationId)).toEqual({});
    expect(await awsError('ssm', 'describe-association', '--association-id', associationId)).toContain('AssociationDoesNotExist');
    expect(await awsError('ssm', 'describe-association-executions', '--association-id', associationId)).toContain('AssociationDoesNotExist');
  }, 60_000);
});
