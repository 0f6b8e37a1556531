/**
 * The real SDK clients built by createAwsClients, against a tiny HTTP server
 * on 127.0.0.1 that answers like SSM (AWS JSON 1.1): endpoint override,
 * request shape, error mapping through the SDK's own deserialisers.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAwsClients } from '../../src/aws/client-factory.js';
import { isThrottling } from '../../src/aws/aws-errors.js';

type Answer = { status: number; body: unknown };

describe('createAwsClients', () => {
  let server: Server;
  let url: string;
  const seen: { target?: string; auth?: string; body: unknown }[] = [];
  let answer: (req: IncomingMessage) => Answer = () => ({ status: 200, body: {} });

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        seen.push({ target: req.headers['x-amz-target'] as string, auth: req.headers.authorization, body: raw ? JSON.parse(raw) : undefined });
        const { status, body } = answer(req);
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const clients = () =>
    createAwsClients({
      region: 'us-east-1',
      endpointUrl: url,
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });

  it('sends signed AWS JSON 1.1 requests to the endpoint and parses the answer', async () => {
    answer = () => ({ status: 200, body: { InstanceInformationList: [{ InstanceId: 'i-1', PingStatus: 'Online' }] } });
    const { ssm, region } = clients();
    expect(region).toBe('us-east-1');
    const out = await ssm.describeInstanceInformation({ Filters: [{ Key: 'InstanceIds', Values: ['i-1'] }] });
    expect(out.InstanceInformationList).toEqual([{ InstanceId: 'i-1', PingStatus: 'Online' }]);
    const last = seen.at(-1)!;
    expect(last.target).toBe('AmazonSSM.DescribeInstanceInformation');
    expect(last.auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
  });

  it('maps invalid credentials to AwsError Credentials', async () => {
    answer = () => ({ status: 400, body: { __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' } });
    await expect(clients().ssm.sendCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-1'] })).rejects.toMatchObject({
      name: 'AwsError',
      code: 'Credentials',
    });
  });

  it('keeps other final errors under their AWS name and leaves throttling raw for our backoff', async () => {
    answer = () => ({ status: 400, body: { __type: 'InvocationDoesNotExist', message: 'nope' } });
    await expect(clients().ssm.getCommandInvocation({ CommandId: 'c', InstanceId: 'i' })).rejects.toMatchObject({
      code: 'InvocationDoesNotExist',
    });
    answer = () => ({ status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } });
    const err = await clients().ssm.listCommandInvocations({ CommandId: 'c' }).catch((e: unknown) => e);
    expect(isThrottling(err)).toBe(true);
  });

  it('Security Hub, loaded on first use, signs and sends to the same endpoint and maps final errors', async () => {
    seen.length = 0;
    answer = () => ({ status: 200, body: { FailedCount: 0, SuccessCount: 1, FailedFindings: [] } });
    const { securityHub } = clients();
    expect(seen).toHaveLength(0);
    await expect(securityHub.batchImportFindings({ Findings: [] })).resolves.toMatchObject({ SuccessCount: 1, FailedCount: 0 });
    expect(seen.at(-1)!.auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/securityhub\//);
    answer = () => ({ status: 400, body: { __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' } });
    await expect(clients().securityHub.batchImportFindings({ Findings: [] })).rejects.toMatchObject({ name: 'AwsError', code: 'Credentials' });
  });

  it.each([
    [{}, 3],
    [{ AWS_MAX_ATTEMPTS: '2' }, 2],
    [{ AWS_MAX_ATTEMPTS: '1', AWS_RETRY_MODE: 'standard' }, 1],
  ])('honours AWS_MAX_ATTEMPTS and AWS_RETRY_MODE as the AWS CLI does (%j: %i attempts)', async (env, attempts) => {
    seen.length = 0;
    answer = () => ({ status: 500, body: { __type: 'InternalServerError', message: 'try again' } });
    const { ssm } = createAwsClients({ region: 'us-east-1', endpointUrl: url, env, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
    // a server fault stays raw (retryable) for the fleet runner's own backoff
    await expect(ssm.listCommands({})).rejects.toMatchObject({ name: 'InternalServerError' });
    expect(seen).toHaveLength(attempts);
  }, 20_000);

  it.each([{ AWS_MAX_ATTEMPTS: 'many' }, { AWS_MAX_ATTEMPTS: '0' }, { AWS_RETRY_MODE: 'eager' }])('refuses %j as a usage error', (env) => {
    expect(() => createAwsClients({ region: 'us-east-1', env })).toThrow(expect.objectContaining({ code: 'RetrySettingsInvalid', source: 'user' }));
  });

  it('rejects a malformed endpoint URL as a usage error', () => {
    expect(() => createAwsClients({ region: 'us-east-1', endpointUrl: 'ftp://x' })).toThrow(
      expect.objectContaining({ code: 'EndpointUrlInvalid' }),
    );
    expect(() => createAwsClients({ region: 'us-east-1', endpointUrl: 'not a url' })).toThrow(/not a URL/);
  });

  it.each([
    'SwarmAudit',
    'arn:aws:iam::12345678901:role/SwarmAudit',
    'arn:aws:iam::123456789012:user/alice',
    'arn:aws:sts::123456789012:assumed-role/SwarmAudit/s',
    'arn:aws:iam::123456789012:role/',
    'arn:aws:iam::123456789012:role/bad name',
  ])('rejects the malformed --role-arn %s before any call, as a usage error', (roleArn) => {
    expect(() => createAwsClients({ region: 'us-east-1', roleArn })).toThrow(expect.objectContaining({ code: 'RoleArnInvalid', source: 'user' }));
  });

  it.each(['arn:aws:iam::123456789012:role/SwarmAudit', 'arn:aws-us-gov:iam::123456789012:role/ops/Swarm.Audit+ci@x=1,2-3'])(
    'accepts the role ARN %s',
    (roleArn) => {
      expect(() => createAwsClients({ region: 'us-east-1', roleArn })).not.toThrow();
    },
  );
});
