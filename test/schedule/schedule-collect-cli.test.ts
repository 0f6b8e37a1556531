/**
 * schedule and collect through the CLI entry point: bad flags are usage
 * errors (exit 3, one line naming the flag) before any AWS call; the
 * endpoint here is a closed port, so a call would end in exit 2 instead.
 */
import { main } from '../../src/cli/main.js';
import { captureContext } from '../cli/helpers/capture-context.js';

const NOWHERE = ['--endpoint-url', 'http://127.0.0.1:9', '--region', 'us-east-1'];

test.each([
  [['schedule', '--tag', 'Swarm=prod', '--rate', 'rate(5 minutes)', '--output-s3-bucket', 'b-bucket'], /--rate rate\(5 minutes\): State Manager runs an association at most every 30 minutes/],
  [['schedule', '--tag', 'Swarm=prod', '--rate', 'rate(1 day)'], /--output-s3-bucket is required/],
  [['schedule', '--tag', 'Swarm=prod', '--delete', '--dry-run'], /--delete takes only --name or the tags: leave out --dry-run/],
  [['schedule', '--rate', 'rate(1 day)', '--output-s3-bucket', 'b-bucket'], /give --name, or the --tag/],
  [['collect', '--association', 'swarm-audit-Swarm-prod', '--tag', 'Swarm=prod'], /--association or the --tag/],
  [['collect'], /give --association NAME, or the --tag/],
  [['collect', '--tag', 'Swarm=prod', '--prefix', 'p'], /--prefix reads from --bucket/],
  [['collect', '--tag', 'Swarm=prod', '--report', 'nope=x'], /unknown report format "nope"/],
])('%j exits 3 before any call: %s', async (args, message) => {
  const ctx = captureContext();
  expect(await main([...args, ...NOWHERE], ctx)).toBe(3);
  expect(ctx.out()).toBe('');
  expect(ctx.err()).toMatch(message);
  expect(ctx.err()).not.toMatch(/ECONNREFUSED|cannot reach AWS/);
});

test('a flag that passes the checks does reach AWS: the closed port is exit 2, so the cases above stopped before it', async () => {
  const ctx = captureContext();
  const saved = { ...process.env };
  // the SDK's credential chain reads process.env
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'x', AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true' });
  try {
    expect(await main(['schedule', '--tag', 'Swarm=prod', '--rate', 'rate(1 day)', '--output-s3-bucket', 'b-bucket', ...NOWHERE], ctx)).toBe(2);
  } finally {
    process.env = saved;
  }
  expect(ctx.err()).toMatch(/cannot reach AWS \(ECONNREFUSED\)/);
});
