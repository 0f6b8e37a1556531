/** Finding and reading an invocation's stdout in the S3 bucket SSM wrote it to. */
import { invocationPrefix, readS3Stdout, type S3OutputLocation } from '../../src/fleet/s3-output.js';
import { FakeS3 } from './helpers/fake-s3.js';

const location: S3OutputLocation = { bucket: 'audit-out', keyPrefix: '', commandId: 'c-1', instanceId: 'i-1', pluginName: 'aws:runShellScript' };
const KEY = 'c-1/i-1/awsrunShellScript/0.awsrunShellScript/stdout';

describe('readS3Stdout', () => {
  it('finds the one stdout object under the invocation prefix (every page) and reads it', async () => {
    const s3 = new FakeS3({ [KEY]: 'whole', 'c-1/i-1/awsrunShellScript/0.awsrunShellScript/stderr': 'e', 'c-1/i-2/x/stdout': 'other' }, 1);
    await expect(readS3Stdout(s3, location, {})).resolves.toBe('whole');
    expect(s3.listed.map((l) => l.Prefix)).toEqual(['c-1/i-1/', 'c-1/i-1/']);
    expect(s3.read).toEqual([KEY]);
  });

  it('keeps the key prefix SendCommand was given, with or without its slash', () => {
    expect(invocationPrefix({ ...location, keyPrefix: 'runs' })).toBe('runs/c-1/i-1/');
    expect(invocationPrefix({ ...location, keyPrefix: 'runs/' })).toBe('runs/c-1/i-1/');
  });

  it('uses StandardOutputUrl when it names an object of the bucket, path-style or virtual-hosted', async () => {
    const s3 = new FakeS3({ 'p/c-1/i-1/awsrunShellScript/step/stdout': 'via url' });
    const url = 'https://s3.us-east-1.amazonaws.com/audit-out/p/c-1/i-1/awsrunShellScript/step/stdout';
    await expect(readS3Stdout(s3, { ...location, outputUrl: url }, {})).resolves.toBe('via url');
    const hosted = 'https://audit-out.s3.us-east-1.amazonaws.com/p/c-1/i-1/awsrunShellScript/step/stdout';
    await expect(readS3Stdout(s3, { ...location, outputUrl: hosted }, {})).resolves.toBe('via url');
    expect(s3.listed).toEqual([]);
  });

  it('picks the step of the plugin read when a document has several', async () => {
    const s3 = new FakeS3({ 'c-1/i-1/awsrunShellScript/prepare/stdout': 'a', 'c-1/i-1/awsrunShellScript/probe/stdout': 'b' });
    await expect(readS3Stdout(s3, { ...location, pluginName: 'probe' }, {})).resolves.toBe('b');
    await expect(readS3Stdout(s3, { ...location, pluginName: 'other' }, {})).rejects.toMatchObject({ code: 'S3OutputAmbiguous' });
  });

  it('says where it looked when the agent has not uploaded the output (yet)', async () => {
    await expect(readS3Stdout(new FakeS3({}), location, {})).rejects.toMatchObject({
      code: 'S3OutputMissing',
      message: 'no stdout object under s3://audit-out/c-1/i-1/',
    });
  });
});
