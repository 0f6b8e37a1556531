import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureContext } from './helpers/capture-context.js';
import { main } from '../../src/cli/main.js';
import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { assertWritableOutput, writeReport } from '../../src/cli/write-output.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sa-write-output-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('assertWritableOutput', () => {
  it('accepts a new file in a writable directory without creating it', async () => {
    await assertWritableOutput(join(dir, 'new.json'), '--output-file');
    expect(await readdir(dir)).not.toContain('new.json');
  });

  it('accepts an existing file and leaves it untouched (no truncation before the new report is ready)', async () => {
    const path = join(dir, 'previous.json');
    await writeFile(path, '{"previous":true}\n');
    const before = await stat(path);
    await assertWritableOutput(path, '--output-file');
    expect(await readFile(path, 'utf8')).toBe('{"previous":true}\n');
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
  });

  it.each([
    ['a missing directory', () => join(dir, 'nope', 'r.json'), 'ENOENT: no such file or directory'],
    ['a directory', () => dir, 'EISDIR: illegal operation on a directory'],
    ['a path under a file', () => join(dir, 'previous.json', 'r.json'), 'ENOTDIR: not a directory'],
  ])('refuses %s with the path and the reason, as a usage error', async (_, pathOf, reason) => {
    const path = pathOf();
    await expect(assertWritableOutput(path, '--output-file')).rejects.toMatchObject({
      name: 'UsageError',
      code: 'OutputFileUnwritable',
      message: `cannot write --output-file ${path}: ${reason}`,
    });
  });

  const asRoot = process.getuid?.() === 0;
  (asRoot ? it.skip : it)('refuses a read-only directory (not testable as root: root bypasses mode bits)', async () => {
    const locked = join(dir, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o500);
    await expect(assertWritableOutput(join(locked, 'r.json'), '--output-file')).rejects.toThrow(/EACCES: permission denied/);
    await chmod(locked, 0o700);
  });
});

describe('audit and discover check --output-file before any AWS call', () => {
  let server: Server;
  let requests = 0;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests += 1;
      res.statusCode = 500;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });


  it.each(['audit', 'discover'])('%s exits 3 naming the path and the reason, and makes no request', async (command) => {
    const path = join(dir, 'nope', 'r.json');
    const ctx = captureContext();
    const code = await main([command, '--tag', 'Swarm=prod', '--output-file', path, '--endpoint-url', url, '--region', 'eu-west-1', '--log-level', 'silent'], ctx);
    expect(code).toBe(3);
    expect(ctx.err()).toBe(`swarm-audit: OutputFileUnwritable: cannot write --output-file ${path}: ENOENT: no such file or directory\n`);
    expect(ctx.out()).toBe('');
    expect(requests).toBe(0);
  });
});

/** A stdout that takes one chunk at a time, slowly, and says so (write() false, then 'drain'). */
function slowStdout() {
  const received: string[] = [];
  const stdout = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, done) {
      received.push(chunk.toString('utf8'));
      void nextTurn().then(() => done());
    },
  });
  return { stdout, received };
}

describe('writeReport', () => {
  it('writes chunks as they come to stdout, waiting for drain, and the same bytes to --output-file', async () => {
    const { stdout, received } = slowStdout();
    let pulled = 0;
    function* chunks() {
      for (const piece of ['{\n', '  "a": 1,\n', '  "b": "é"\n', '}\n']) {
        // the next chunk is built only once stdout has taken the previous one
        expect(pulled - received.length).toBeLessThanOrEqual(1);
        pulled += 1;
        yield piece;
      }
    }
    const path = join(dir, 'chunks.json');
    await writeReport({ stdout }, chunks(), path);
    expect(received).toEqual(['{\n', '  "a": 1,\n', '  "b": "é"\n', '}\n']);
    expect(await readFile(path, 'utf8')).toBe('{\n  "a": 1,\n  "b": "é"\n}\n');
  });

  it('ends the report with exactly one newline, for a string or chunks, and overwrites an older file', async () => {
    const path = join(dir, 'older.txt');
    await writeFile(path, 'an older, longer report\n');
    const { stdout, received } = slowStdout();
    await writeReport({ stdout }, ['table', ''], path);
    await writeReport({ stdout }, 'ok\n');
    expect(received.join('')).toBe('table\nok\n');
    expect(await readFile(path, 'utf8')).toBe('table\n');
  });

  it('keeps the previous report when the run dies mid-write, and leaves no partial file behind', async () => {
    const sub = join(dir, 'atomic');
    await mkdir(sub);
    const path = join(sub, 'report.json');
    await writeFile(path, '{"previous":true}\n');
    const { stdout } = slowStdout();
    function* dying() {
      yield '{\n  "new": ';
      throw new Error('killed mid-write');
    }
    await expect(writeReport({ stdout }, dying(), path)).rejects.toThrow('killed mid-write');
    expect(await readFile(path, 'utf8')).toBe('{"previous":true}\n');
    expect(await readdir(sub)).toEqual(['report.json']);
  });
});
