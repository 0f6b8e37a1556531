import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { SSMServiceException } from '@aws-sdk/client-ssm';
import { awsErrorName, isRetryable, isThrottling, toAwsError } from '../../src/aws/aws-errors.js';
import { mapFinalError } from '../../src/aws/map-final-error.js';
import { AwsError, UsageError } from '../../src/errors.js';

const ssm = (name: string, status: number) =>
  new SSMServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: `${name} happened` });
const ec2 = (name: string, status: number) =>
  new EC2ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: name });

describe('AWS error classification', () => {
  it.each([
    [ssm('ThrottlingException', 400), true, true],
    [ec2('RequestLimitExceeded', 503), true, true],
    [ssm('InternalServerError', 500), false, true],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), false, true],
    [Object.assign(new Error('timed out'), { name: 'TimeoutError' }), false, true],
    [ssm('InvalidDocument', 400), false, false],
    [ssm('AccessDeniedException', 400), false, false],
    [new Error('plain'), false, false],
  ])('%s: throttling %s, retryable %s', (err, throttling, retryable) => {
    expect(isThrottling(err)).toBe(throttling);
    expect(isRetryable(err)).toBe(retryable);
  });

  it.each([
    ['UnrecognizedClientException', 'Credentials'],
    ['ExpiredTokenException', 'Credentials'],
    ['InvalidSignatureException', 'Credentials'],
    ['AccessDeniedException', 'AccessDenied'],
    ['InvalidInstanceId', 'InvalidInstanceId'],
  ])('maps %s to AwsError %s', (name, code) => {
    const mapped = toAwsError(ssm(name, 400), 'SendCommand');
    expect(mapped).toBeInstanceOf(AwsError);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toContain('SendCommand');
    expect(mapped.message).toContain(name);
  });

  it('maps EC2 AuthFailure / UnauthorizedOperation and a missing credential provider', () => {
    expect(toAwsError(ec2('AuthFailure', 401), 'DescribeInstances').code).toBe('Credentials');
    expect(toAwsError(ec2('UnauthorizedOperation', 403), 'DescribeInstances').code).toBe('AccessDenied');
    const noCreds = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(toAwsError(noCreds, 'SendCommand').code).toBe('Credentials');
  });

  it('keeps classifying an error after it was wrapped, and passes typed errors through', () => {
    const wrapped = toAwsError(ssm('ThrottlingException', 400), 'ListCommandInvocations');
    expect(isThrottling(wrapped)).toBe(true);
    expect(isRetryable(wrapped)).toBe(true);
    const usage = new UsageError('bad');
    expect(toAwsError(usage, 'x')).toBe(usage);
    expect(awsErrorName(ssm('InvocationDoesNotExist', 400))).toBe('InvocationDoesNotExist');
  });

  it('mapFinalError rethrows retryable errors untouched and types the final ones', async () => {
    const throttle = ssm('ThrottlingException', 400);
    await expect(mapFinalError('SendCommand', () => Promise.reject(throttle))).rejects.toBe(throttle);
    await expect(mapFinalError('SendCommand', () => Promise.reject(ssm('AccessDeniedException', 400)))).rejects.toMatchObject({
      name: 'AwsError',
      code: 'AccessDenied',
    });
    await expect(mapFinalError('SendCommand', () => Promise.resolve(7))).resolves.toBe(7);
  });
});
