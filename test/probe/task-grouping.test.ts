/**
 * The probe's task placement grouping (probe.sh nodes_and_networks): sorted
 * "<node ID>:<network short ID>" lines become one tasks record per node, read
 * by the decoder; anything that is not two IDs fails the step (a problem in
 * 'tasks', never a placement guessed from a partial list).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseTask } from '../../src/probe/docker-objects.js';
import { PROBE_SCRIPT_TEXT } from '../../src/probe/script.js';

const SHELLS = [['dash', '/bin/sh'], ['busybox ash', '/bin/busybox']].filter(([, path]) => existsSync(path));

/** The function's definition as probe.sh holds it. */
function grouping(): string {
  const start = PROBE_SCRIPT_TEXT.indexOf('nodes_and_networks() {');
  const end = PROBE_SCRIPT_TEXT.indexOf('\n}\n', start);
  if (start === -1 || end === -1) throw new Error('probe.sh has no nodes_and_networks()');
  return PROBE_SCRIPT_TEXT.slice(start, end + 3);
}

function group(shell: string, input: string) {
  const script = `${grouping()}nodes_and_networks`;
  const argv = shell === '/bin/busybox' ? ['sh', '-c', script] : ['-c', script];
  return spawnSync(shell, argv, { input, encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
}

describe.each(SHELLS)('nodes_and_networks under %s', (_, shell) => {
  test('one record per node with every network its tasks attach to, decodable as tasks records', () => {
    const run = group(shell, 'node1:netaaaaaaaaa\nnode1:netbbbbbbbbb\nnode2:netaaaaaaaaa\n');
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.map((line, i) => parseTask(JSON.parse(line), `tasks[${i}]`))).toEqual([
      { nodeId: 'node1', networks: ['netaaaaaaaaa', 'netbbbbbbbbb'] },
      { nodeId: 'node2', networks: ['netaaaaaaaaa'] },
    ]);
  });

  test('tasks waiting for a node are grouped under an empty NodeID', () => {
    const run = group(shell, ':netaaaaaaaaa\nnode1:netbbbbbbbbb\n');
    expect(run.stdout).toBe('{"NodeID":"","Networks":["netaaaaaaaaa"]}\n{"NodeID":"node1","Networks":["netbbbbbbbbb"]}\n');
  });

  test('no attachment: no record', () => {
    expect(group(shell, '')).toMatchObject({ status: 0, stdout: '' });
  });

  test.each([
    ['a field that is not an ID', 'node1:net"]}x\n'],
    ['a line without a network', 'node1:netaaaaaaaaa\nnode2:\n'],
    ['three fields', 'node1:net:extra\n'],
  ])('%s fails the step, with nothing on stdout', (_what, input) => {
    const run = group(shell, input);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^task line \d+ is not <node ID>:<network ID>\n$/);
  });
});
