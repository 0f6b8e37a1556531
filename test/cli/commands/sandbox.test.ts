/**
 * `sandbox` through main(), only where it starts nothing: refusals (a bad
 * action, serve without --fleet or with an unreadable one, up without root)
 * and status of an empty directory. Bringing a sandbox up is the integration
 * suites' job (test/integration/*, under the shared lock).
 */
import { jest } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'swarm-audit-cli-sandbox-'));
});
afterEach(async () => {
  jest.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('sandbox refuses before starting anything (exit 3)', () => {
  it('an unknown action', async () => {
    const { code, out, err } = await runCli(['sandbox', 'start']);
    expect(code).toBe(3);
    expect(out).toBe('');
    expect(err).toMatch(/Invalid values:[\s\S]*action[\s\S]*"start"/);
  });

  it('serve without --fleet', async () => {
    const { code, err } = await runCli(['sandbox', 'serve', '--log-level', 'silent']);
    expect(code).toBe(3);
    expect(err).toContain('sandbox serve needs --fleet FILE');
  });

  it('serve with a fleet file that does not exist: no endpoint is started, no ready file written', async () => {
    const ready = join(dir, 'ready.json');
    const { code, out, err } = await runCli(['sandbox', 'serve', '--fleet', join(dir, 'absent.json'), '--ready-file', ready, '--log-level', 'silent']);
    expect(code).toBe(3);
    expect(out).toBe('');
    expect(err).toMatch(/absent\.json/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('up when not root: says so, creates nothing in --dir', async () => {
    jest.spyOn(process, 'getuid').mockReturnValue(1000);
    // the stand-in must hold before main runs: as root, up would really build namespaces and dockerds
    expect(process.getuid!()).toBe(1000);
    const state = join(dir, 'state');
    // a spec that does not exist: even past the root check, up would stop before creating anything
    const { code, err } = await runCli(['sandbox', 'up', '--dir', state, '--spec', join(dir, 'no-spec.json'), '--log-level', 'silent']);
    expect(code).toBe(3);
    expect(err).toContain('the sandbox creates network namespaces and starts dockerd: run it as root (sudo)');
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('sandbox status', () => {
  it('of a directory with no sandbox: JSON saying so, exit 0', async () => {
    const { code, out } = await runCli(['sandbox', 'status', '--dir', dir, '--log-level', 'silent']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ dir, exists: false, complete: false, healthy: false, nodes: [], problems: ['no sandbox in this dir'] });
  });
});
