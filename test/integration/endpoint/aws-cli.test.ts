/**
 * The AWS CLI v2 (/usr/bin/aws, botocore) as a second, independent client:
 * if both it and the SDK v3 parse our answers, the wire format is right.
 */
import { awsCliOnEndpoint } from '../aws-cli-client.js';
import { OFFLINE, ONLINE, testFleet, waitFor } from './fixtures.js';

const { aws, awsError } = awsCliOnEndpoint(testFleet, 'sa-endpoint-cli-');

describe('AWS CLI v2 against the endpoint', () => {
  it('describes instances with filters', async () => {
    const out = await aws('ec2', 'describe-instances', '--filters', 'Name=tag:Swarm,Values=prod', 'Name=instance-state-name,Values=running');
    const ids = out.Reservations.flatMap((r: any) => r.Instances.map((i: any) => i.InstanceId));
    expect(ids).toContain(ONLINE);
    expect(out.Reservations[0].Instances[0].State).toEqual({ Code: 16, Name: 'running' });
  });

  it('sends a command, lists invocations with details and gets the invocation', async () => {
    const sent = await aws(
      'ssm', 'send-command', '--document-name', 'AWS-RunShellScript', '--instance-ids', ONLINE,
      '--parameters', JSON.stringify({ commands: ['echo hi', 'echo err >&2', 'exit 3'] }),
    );
    const commandId: string = sent.Command.CommandId;
    expect(sent.Command.Status).toBe('Pending');
    const invocations = await waitFor(async () => {
      const out = await aws('ssm', 'list-command-invocations', '--command-id', commandId, '--details');
      const first = out.CommandInvocations[0];
      return first && first.Status !== 'Pending' && first.Status !== 'InProgress' ? out.CommandInvocations : undefined;
    }, 30_000, 200);
    expect(invocations[0].CommandPlugins[0]).toMatchObject({ Status: 'Failed', ResponseCode: 3, Output: 'hi\n\n----------ERROR-------\nerr\n' });
    const got = await aws('ssm', 'get-command-invocation', '--command-id', commandId, '--instance-id', ONLINE);
    expect(got).toMatchObject({ Status: 'Failed', ResponseCode: 3, StandardOutputContent: 'hi\n', StandardErrorContent: 'err\n' });
  });

  it('gets the AWS error shapes: InvocationDoesNotExist, ValidationException', async () => {
    const sent = await aws('ssm', 'send-command', '--document-name', 'AWS-RunShellScript', '--instance-ids', OFFLINE, '--parameters', 'commands=true');
    const missing = await awsError('ssm', 'get-command-invocation', '--command-id', sent.Command.CommandId, '--instance-id', ONLINE);
    expect(missing).toContain('InvocationDoesNotExist');
    const ids = Array.from({ length: 51 }, (_, i) => `i-0ccccccccccccc${String(i).padStart(3, '0')}`);
    const tooMany = await awsError('ssm', 'send-command', '--document-name', 'AWS-RunShellScript', '--instance-ids', ...ids, '--parameters', 'commands=true');
    expect(tooMany).toMatch(/ValidationException|length less than or equal to 50/);
  });
});
