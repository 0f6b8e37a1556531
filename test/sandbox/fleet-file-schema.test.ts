/** The fleet file's JSON Schema (packages/sandbox/src/fleet-file-schema.ts, ajv): problems named by path, with the value that was refused. */
import { parseFleetFile } from '../../packages/sandbox/src/fleet-file.js';

const base = () => ({
  accountId: '123456789012',
  region: 'eu-west-1',
  instances: [{ instanceId: 'i-0123456789abcdef0', exec: { env: { A: 'b' } } }],
});

describe('fleet file schema', () => {
  test.each([
    ['an environment variable name a shell would not take', (f: any) => (f.instances[0].exec.env = { '1A': 'x' }), 'fleet file: instances[0].exec.env["1A"]: is not a valid name'],
    ['a pattern, with the refused value', (f: any) => (f.region = 'Mars'), 'fleet file: region: must be an AWS region name, got "Mars"'],
    ['a range, with the refused value', (f: any) => (f.limits = { maxConcurrentProcesses: 0 }), 'fleet file: limits.maxConcurrentProcesses: must be between 1 and 1024, got 0'],
    ['a missing top-level field', (f: any) => delete f.instances, 'fleet file: instances: is required'],
    ['a role that is not an IAM role ARN', (f: any) => (f.assumableRoles = ['arn:aws:iam::123:user/x']), 'fleet file: assumableRoles[0]: must be an IAM role ARN, got "arn:aws:iam::123:user/x"'],
    ['a recorded result with a namespace too', (f: any) => (f.instances[0].exec = { netns: 'n1', recorded: { stdout: '', stderr: '', code: 0 } }), 'fleet file: instances[0].exec.recorded: cannot be combined with netns or env'],
    ['a runtime range upside down', (f: any) => (f.instances[0].exec = { recorded: { stdout: '', stderr: '', code: 0 }, runtimeMs: [9, 3] }), 'fleet file: instances[0].exec.runtimeMs: max 3 is below min 9'],
  ])('%s', (_what, edit, message) => {
    const fleet = base();
    edit(fleet);
    expect(() => parseFleetFile(fleet)).toThrow(expect.objectContaining({ code: 'FleetFileInvalid', message }));
  });

  test('per-instance account and region, and assumable roles, are part of the file', () => {
    const fleet = { ...base(), assumableRoles: ['arn:aws:iam::210987654321:role/SwarmAudit'], instances: [{ instanceId: 'i-0123456789abcdef0', accountId: '210987654321', region: 'us-east-1' }] };
    expect(parseFleetFile(fleet)).toEqual(fleet);
  });
});
