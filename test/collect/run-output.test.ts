/** Which run's output collect reads: the earliest at or after the execution's start, never an older one. */
import { readRunOutput, runIdAt } from '../../src/collect/run-output.js';
import { FakeS3 } from '../fleet/helpers/fake-s3.js';
import { VirtualClock } from '../fleet/helpers/virtual-clock.js';

const ASSOCIATION = '11111111-2222-3333-4444-555555555555';
const INSTANCE = 'i-0000000000000d001';
const started = new Date('2026-12-01T04:00:00.000Z');
const key = (runId: string, stream: string) => `audits/${INSTANCE}/${ASSOCIATION}/${runId}/awsrunShellScript/probe/${stream}`;
const location = { bucket: 'b', prefix: 'audits', associationId: ASSOCIATION, instanceId: INSTANCE, notBefore: started };

test('run ids are the agent clock with dashes for colons, so they sort as times', () => {
  expect(runIdAt(started)).toBe('2026-12-01T04-00-00.000Z');
});

test('an output older than the execution is not read, even from a store that ignores StartAfter', async () => {
  const s3 = new FakeS3({ [key('2026-11-30T04-00-00.000Z', 'stdout')]: 'yesterday', [key('2026-12-01T03-59-59.999Z', 'stdout')]: 'just before' });
  expect(await readRunOutput(s3, location, false)).toBeUndefined();
  expect(s3.read).toEqual([]);
  expect(s3.listed[0]).toMatchObject({ Prefix: `audits/${INSTANCE}/${ASSOCIATION}/`, StartAfter: `audits/${INSTANCE}/${ASSOCIATION}/2026-12-01T04-00-00.000Z` });
});

test("the earliest run at or after the start is this execution's; stderr is read only when asked", async () => {
  const s3 = new FakeS3({
    [key('2026-11-30T04-00-00.000Z', 'stdout')]: 'yesterday',
    [key('2026-12-01T04-00-01.250Z', 'stdout')]: 'this run',
    [key('2026-12-01T04-00-01.250Z', 'stderr')]: 'its stderr',
    [key('2026-12-01T04-30-00.000Z', 'stdout')]: 'a later run',
  });
  expect(await readRunOutput(s3, location, false)).toEqual({ runId: '2026-12-01T04-00-01.250Z', stdout: 'this run', stderr: '' });
  expect(await readRunOutput(s3, location, true)).toEqual({ runId: '2026-12-01T04-00-01.250Z', stdout: 'this run', stderr: 'its stderr' });
});

test('a run with two stdout objects is refused rather than guessed', async () => {
  const s3 = new FakeS3({ [key('2026-12-01T04-00-01.250Z', 'stdout')]: 'a', [`audits/${INSTANCE}/${ASSOCIATION}/2026-12-01T04-00-01.250Z/awsrunShellScript/other/stdout`]: 'b' });
  await expect(readRunOutput(s3, location, false)).rejects.toMatchObject({ code: 'S3OutputAmbiguous' });
});

test('S3 SlowDown is retried with backoff; a final error (NoSuchKey) is not', async () => {
  const s3 = new FakeS3({ [key('2026-12-01T04-00-01.250Z', 'stdout')]: 'this run' });
  let slowDowns = 2;
  const list = s3.listObjectsV2.bind(s3);
  s3.listObjectsV2 = async (input) => {
    if (slowDowns-- > 0) throw Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
    return list(input);
  };
  expect(await readRunOutput(s3, location, false, new VirtualClock())).toMatchObject({ stdout: 'this run' });
  expect(s3.listed).toHaveLength(1);
  expect(slowDowns).toBe(-1);

  const gone = new FakeS3({ [key('2026-12-01T04-00-01.250Z', 'stdout')]: 'x' });
  gone.getObjectText = () => Promise.reject(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }));
  await expect(readRunOutput(gone, location, false, new VirtualClock())).rejects.toMatchObject({ name: 'NoSuchKey' });
});
