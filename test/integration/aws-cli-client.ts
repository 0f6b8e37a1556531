/**
 * The AWS CLI v2 (/usr/bin/aws, botocore) as a second client of the sandbox endpoint, independent
 * of the SDK v3 the product uses: a clean environment (no profile, no metadata lookups, no pager),
 * JSON output parsed, and the CLI's own error text when a call is expected to fail.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface AwsCliTarget {
  endpointUrl: string;
  /** A private HOME, so no developer's ~/.aws config or cache is read. */
  home: string;
  region?: string;
}

export async function awsCli(target: AwsCliTarget, ...args: string[]): Promise<any> {
  const { stdout } = await run('/usr/bin/aws', ['--endpoint-url', target.endpointUrl, '--region', target.region ?? 'us-east-1', '--output', 'json', ...args], {
    env: {
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: target.home,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    },
    timeout: 30_000,
  });
  return stdout.trim() === '' ? {} : JSON.parse(stdout);
}

/** The CLI's stderr for a call that must fail; a call that succeeds fails the test. */
export async function awsCliError(target: AwsCliTarget, ...args: string[]): Promise<string> {
  try {
    await awsCli(target, ...args);
  } catch (err) {
    return (err as { stderr: string }).stderr;
  }
  throw new Error('expected the AWS CLI to fail');
}
