/**
 * Runs the real probe script (as SSM would: the `commands` text run by sh) on
 * this machine, in a PATH without docker so no daemon is needed: checks that
 * dash and busybox ash both produce exactly one decodable frame and nothing else.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProbeOutput } from '../../src/probe/decode.js';
import { probeCommands } from '../../src/probe/script.js';

const SHELLS = [['dash', '/bin/sh'], ['busybox ash', '/bin/busybox']].filter(([, path]) => existsSync(path));
let pathWithoutDocker: string;

beforeAll(() => {
  pathWithoutDocker = mkdtempSync(join(tmpdir(), 'swc-path-'));
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (name === 'docker' || existsSync(join(pathWithoutDocker, name))) continue;
      symlinkSync(join(dir, name), join(pathWithoutDocker, name));
    }
  }
});

afterAll(() => rmSync(pathWithoutDocker, { recursive: true, force: true }));

function runProbe(shell: string, env: Record<string, string>) {
  const script = `${probeCommands().join('\n')}\n`;
  const argv = shell === '/bin/busybox' ? ['sh', '-c', script] : ['-c', script];
  return spawnSync(shell, argv, { env, encoding: 'utf8', timeout: 60_000 });
}

describe.each(SHELLS)('probe.sh under %s', (_, shell) => {
  test('docker absent: one frame, nothing else on stdout or stderr, decodes to not-installed', () => {
    const run = runProbe(shell, { PATH: pathWithoutDocker });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SWARM-AUDIT-PROBE\/1 enc=raw bytes=\d+ cksum=\d+$/);
    expect(lines.at(-1)).toBe('SWARM-AUDIT-PROBE/1 END');
    const result = decodeProbeOutput(run.stdout);
    if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
    expect(result.facts.docker).toEqual({ present: false, reachable: false, error: { kind: 'not-installed', message: 'docker: command not found' } });
    expect(['ss', 'proc']).toContain(result.facts.listenerSource);
  });

  test('IPsec evidence is either read or a problem with its cause, never silently "none"', () => {
    const result = decodeProbeOutput(runProbe(shell, { PATH: pathWithoutDocker }).stdout);
    if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
    const { ipsec, problems } = result.facts;
    const problem = (section: string) => problems.find((p) => p.section === section);
    expect(ipsec!.saLog === undefined).toBe(problem('sa-log') !== undefined);
    expect(ipsec!.readable).toBe(!problem('xfrm-policy') && !problem('xfrm-state'));
    for (const p of problems) expect(p.message).toMatch(/\S.*\(exit \d+\)$/);
  });

  test('no writable temp directory: still one valid frame', () => {
    const run = runProbe(shell, { PATH: pathWithoutDocker, TMPDIR: '/nonexistent/swc' });
    expect(run.status).toBe(0);
    const result = decodeProbeOutput(run.stdout);
    if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
    expect(result.facts.problems).toEqual([{ section: 'probe', message: 'probe failed on the host: no writable temp directory' }]);
  });

  test('leaves no temp files behind', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'swc-tmp-'));
    try {
      runProbe(shell, { PATH: pathWithoutDocker, TMPDIR: scratch });
      expect(readdirSync(scratch)).toEqual([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

test('probe.sh parses as POSIX sh (dash -n)', () => {
  expect(() => execFileSync('/bin/sh', ['-n', 'src/probe/probe.sh'])).not.toThrow();
});
