/**
 * The AWS CLI v2 (/usr/bin/aws, botocore) as a second client of the sandbox endpoint, independent
 * of the SDK v3 the product uses: a clean environment (no profile, no metadata lookups, no pager),
 * JSON output parsed, and the CLI's own error text when a call is expected to fail.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEndpoint, type RunningEndpoint } from '../../packages/sandbox/src/endpoint/server.js';
import type { FleetFile } from '../../packages/sandbox/src/fleet-file-types.js';

const run = promisify(execFile);

export interface AwsCliTarget {
  endpointUrl: string;
  /** A private HOME, so no developer's ~/.aws config or cache is read. */
  home: string;
  region?: string;
}

async function awsCli(target: AwsCliTarget, ...args: string[]): Promise<any> {
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
async function awsCliError(target: AwsCliTarget, ...args: string[]): Promise<string> {
  try {
    await awsCli(target, ...args);
  } catch (err) {
    return (err as { stderr: string }).stderr;
  }
  throw new Error('expected the AWS CLI to fail');
}

/**
 * For a test file: a sandbox endpoint serving `fleet` and a private HOME, set up before its tests
 * and removed after them, with the CLI pointed at that endpoint.
 */
export function awsCliOnEndpoint(fleet: () => FleetFile, homePrefix: string) {
  let endpoint: RunningEndpoint | undefined;
  let home = '';
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), homePrefix));
    endpoint = await startEndpoint({ fleet: fleet() });
  });
  afterAll(async () => {
    await endpoint?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });
  const target = (): AwsCliTarget => ({ endpointUrl: endpoint!.url, home });
  return {
    aws: (...args: string[]) => awsCli(target(), ...args),
    awsError: (...args: string[]) => awsCliError(target(), ...args),
    /** A path in the private HOME (for outputs the CLI writes to a file). */
    homePath: (name: string) => join(home, name),
  };
}
