/** serveFleetFile: URL on stdout, atomic ready file, clean stop on SIGTERM. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { serveFleetFile } from '../../../packages/sandbox/src/endpoint/serve.js';
import { testFleet, waitFor } from './fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sa-endpoint-serve-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('serves a fleet file until SIGTERM and writes {url, pid} once listening', async () => {
  const fleetPath = join(dir, 'fleet.json');
  const readyFile = join(dir, 'ready.json');
  await writeFile(fleetPath, JSON.stringify(testFleet()));
  const stdout = new PassThrough();
  let printed = '';
  stdout.on('data', (c: Buffer) => (printed += c.toString()));
  const serving = serveFleetFile({ fleetPath, readyFile, stdout });
  const ready = await waitFor(async () => {
    try {
      return JSON.parse(await readFile(readyFile, 'utf8')) as { url: string; pid: number };
    } catch {
      return undefined;
    }
  });
  expect(ready.pid).toBe(process.pid);
  expect(printed.trim()).toBe(ready.url);
  expect((await fetch(`${ready.url}/_sandbox/stats`)).status).toBe(200);
  process.emit('SIGTERM', 'SIGTERM');
  await serving;
  await expect(fetch(`${ready.url}/_sandbox/stats`)).rejects.toThrow();
});

it('refuses an invalid fleet file before listening', async () => {
  const fleetPath = join(dir, 'bad.json');
  await writeFile(fleetPath, JSON.stringify({ ...testFleet(), bogus: 1 }));
  await expect(serveFleetFile({ fleetPath, stdout: new PassThrough() })).rejects.toMatchObject({ code: 'FleetFileInvalid' });
});
