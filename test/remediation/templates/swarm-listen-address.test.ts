/**
 * The rejoin templates (swarm-listen-address.*.sh) under /bin/sh against a
 * fake docker: drain, rejoin with the fetched token, settle, and their undos.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeDrainStep, nodeRejoinStep, nodeSettleStep } from '../../../src/remediation/builders/swarm-listen-address.js';
import { runScript, stepCalls, type Reply } from './fake-docker.js';

const I = 'i-0000000000000a001';
const NODE_ID = 'abcdefghijklmnopqrstuvwxy';
const TOKEN = `SWMTKN-1-${'a'.repeat(50)}-${'b'.repeat(25)}`;
const drainIntent = { hostname: 'ip-10-77-201-12', role: 'manager' as const, availability: 'active', nodeId: NODE_ID, privateIp: '10.77.201.12' };
const NODE_LIST = ['node', 'ls', '--format', '{{.ID}} {{.Hostname}} {{.Status}}'];

describe('node-drain template', () => {
  const manager = nodeDrainStep(drainIntent, I);
  const worker = nodeDrainStep({ ...drainIntent, role: 'worker' }, I);

  test('a manager is demoted, then drained; a worker only drained', () => {
    const run = runScript(manager.script, [{ args: ['node', 'inspect', '-f', '{{.Spec.Role}}'], stdout: 'manager\n' }]);
    expect(stepCalls(run)).toEqual([
      ['node', 'inspect', '-f', '{{.Spec.Role}}', NODE_ID],
      ['node', 'demote', NODE_ID],
      ['node', 'update', '--availability', 'drain', NODE_ID],
    ]);
    expect(stepCalls(runScript(worker.script, []))).toEqual([['node', 'update', '--availability', 'drain', NODE_ID]]);
  });

  test('precondition: unique hostname, Ready without labels, and for a manager raft quorum after the demotion', () => {
    const ok: Reply[] = [
      { args: ['node', 'ls', '--format', '{{.Hostname}}'], stdout: 'ip-10-77-201-11\nip-10-77-201-12\n' },
      { args: ['node', 'inspect', '-f', '{{.Status.State}} {{len .Spec.Labels}}', NODE_ID], stdout: 'ready 0\n' },
      { args: ['node', 'ls', '--filter', 'role=manager', '-q'], stdout: 'm1\nm2\nm3\n' },
    ];
    const statuses = (s: string): Reply => ({ args: ['node', 'ls', '--filter', 'role=manager', '--format'], stdout: s });
    expect(runScript(worker.precondition.script, ok).code).toBe(0);
    expect(stepCalls(runScript(worker.precondition.script, ok))).toEqual([
      ['node', 'ls', '--format', '{{.Hostname}}'],
      ['node', 'inspect', '-f', '{{.Status.State}} {{len .Spec.Labels}}', NODE_ID],
    ]);
    // 3 managers, all reachable: 2 of the remaining 2 >= majority of 2
    expect(runScript(manager.precondition.script, [...ok, statuses('Leader\nReachable\nReachable\n')]).code).toBe(0);
    // 3 managers, one unreachable: after demoting this one, 1 of 2 is no majority
    expect(runScript(manager.precondition.script, [...ok, statuses('Leader\nReachable\nUnreachable\n')]).code).toBe(1);
    const labelled = [ok[0], { ...ok[1], stdout: 'ready 1\n' }];
    expect(runScript(worker.precondition.script, labelled).code).toBe(1);
    const twice = [{ ...ok[0], stdout: 'ip-10-77-201-12\nip-10-77-201-12\n' }, ok[1]];
    expect(runScript(worker.precondition.script, twice).code).toBe(1);
  });
});

describe('node-rejoin template', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'swarm-audit-root-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const step = nodeRejoinStep(
    {
      hostname: 'ip-10-77-201-21', listenAddr: '10.77.201.21:2377', advertiseAddr: '10.77.201.21', dataPathAddr: '10.77.201.21',
      joinAddr: '10.77.201.11:2377', tokenFrom: 'i-0000000000000a002', before: { advertiseAddr: '10.77.201.21' },
    },
    I,
  );
  const info = (state: string, manager = 'false'): Reply[] => [
    { args: ['info', '-f', '{{.DockerRootDir}}'], stdout: `${root}\n` },
    { args: ['info', '-f', '{{.Swarm.LocalNodeState}}'], stdout: `${state}\n` },
    { args: ['info', '-f', '{{.Swarm.ControlAvailable}}'], stdout: `${manager}\n` },
  ];
  /** As run-script.ts runs it: the fetched token assigned first. */
  const withToken = (script: string) => `JOIN_TOKEN='${TOKEN}'\n${script}`;

  test('leaves and joins with the wanted addresses and the fetched token', () => {
    const run = runScript(withToken(step.script), info('active'));
    expect(run.code).toBe(0);
    expect(stepCalls(run)).toEqual([
      ['info', '-f', '{{.DockerRootDir}}'],
      ['info', '-f', '{{.Swarm.LocalNodeState}}'],
      ['info', '-f', '{{.Swarm.ControlAvailable}}'],
      ['swarm', 'leave', '--force'],
      ['swarm', 'join', '--listen-addr', '10.77.201.21:2377', '--advertise-addr', '10.77.201.21', '--data-path-addr', '10.77.201.21', '--token', TOKEN, '10.77.201.11:2377'],
    ]);
  });

  test('done already when the swarm state holds the wanted listen address', () => {
    mkdirSync(join(root, 'swarm'));
    writeFileSync(join(root, 'swarm', 'docker-state.json'), '[{"ListenAddr":"10.77.201.21:2377","AdvertiseAddr":"10.77.201.21:2377"}]');
    const run = runScript(withToken(step.script), info('active'));
    expect(run.stdout).toBe('already joined as wanted\n');
    expect(stepCalls(run).some((c) => c[0] === 'swarm')).toBe(false);
  });

  test('the undo joins back without --listen-addr when there was none; a node out of the swarm does not leave', () => {
    const run = runScript(withToken(step.inverse!.script), info('inactive'));
    expect(stepCalls(run).filter((c) => c[0] === 'swarm')).toEqual([
      ['swarm', 'join', '--advertise-addr', '10.77.201.21', '--data-path-addr', '10.77.201.21', '--token', TOKEN, '10.77.201.11:2377'],
    ]);
  });

  test('without the token the script stops before it leaves', () => {
    const run = runScript(step.script, info('active'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no join token given: refusing to leave the swarm');
    expect(stepCalls(run)).toEqual([]);
  });

  test('the token input and the precondition', () => {
    expect(stepCalls(runScript(step.inputs![0].script, []))).toEqual([['swarm', 'join-token', '-q', 'worker']]);
    expect(runScript(step.precondition.script, [{ args: ['info'], stdout: 'active\n' }]).code).toBe(0);
    expect(runScript(step.precondition.script, [{ args: ['info'], stdout: 'error\n' }]).code).toBe(1);
  });
});

describe('node-settle template', () => {
  const settle = nodeSettleStep({ hostname: 'ip-10-77-201-12', role: 'manager', availability: 'pause' }, I);
  const workerSettle = nodeSettleStep({ hostname: 'ip-10-77-201-21', role: 'worker', availability: 'active' }, I);
  const list = (lines: string): Reply => ({ args: NODE_LIST, stdout: lines });

  test('finds the rejoined node by hostname, removes its Down entry, restores availability and role, rotates the token', () => {
    const run = runScript(settle.script, [
      list('NEWID ip-10-77-201-12 Ready\nOLDID ip-10-77-201-12 Down\nOTHER ip-10-77-201-11 Ready\n'),
      { args: ['node', 'inspect', '-f', '{{.Spec.Role}}', 'OLDID'], stdout: 'manager\n' },
      { args: ['node', 'inspect', '-f', '{{.Spec.Role}}', 'NEWID'], stdout: 'worker\n' },
      { args: ['node', 'inspect', '-f', '{{with .ManagerStatus}}{{.Reachability}}{{end}}', 'NEWID'], stdout: 'reachable\n' },
    ]);
    expect(run.code).toBe(0);
    expect(stepCalls(run)).toEqual([
      NODE_LIST, NODE_LIST, NODE_LIST,
      ['node', 'inspect', '-f', '{{.Spec.Role}}', 'OLDID'],
      ['node', 'demote', 'OLDID'],
      ['node', 'rm', '--force', 'OLDID'],
      ['node', 'update', '--availability', 'pause', 'NEWID'],
      ['node', 'inspect', '-f', '{{.Spec.Role}}', 'NEWID'],
      ['node', 'promote', 'NEWID'],
      ['node', 'inspect', '-f', '{{with .ManagerStatus}}{{.Reachability}}{{end}}', 'NEWID'],
      ['swarm', 'join-token', '--rotate', '-q', 'worker'],
    ]);
  });

  test('a worker stays a worker; the wait gives up after 120 polls', () => {
    const run = runScript(workerSettle.script, [list('NEW ip-10-77-201-21 Ready\n'), { args: ['node', 'inspect'], stdout: 'worker\n' }]);
    expect(stepCalls(run).slice(-3)).toEqual([
      ['node', 'update', '--availability', 'active', 'NEW'],
      ['node', 'inspect', '-f', '{{.Spec.Role}}', 'NEW'],
      ['swarm', 'join-token', '--rotate', '-q', 'worker'],
    ]);
    const never = runScript(workerSettle.script, [list('OLD ip-10-77-201-21 Down\n')]);
    expect(never.code).toBe(1);
    expect(never.stderr).toContain('node ip-10-77-201-21 is not Ready (exactly once) after 120s');
    expect(stepCalls(never)).toHaveLength(120);
  });

  test('undo demotes and drains the node found by hostname, and does nothing when it is gone', () => {
    const run = runScript(settle.inverse!.script, [list('NEWID ip-10-77-201-12 Ready\n'), { args: ['node', 'inspect'], stdout: 'manager\n' }]);
    expect(stepCalls(run)).toEqual([NODE_LIST, ['node', 'inspect', '-f', '{{.Spec.Role}}', 'NEWID'], ['node', 'demote', 'NEWID'], ['node', 'update', '--availability', 'drain', 'NEWID']]);
    const gone = runScript(settle.inverse!.script, [list('OTHER ip-10-77-201-11 Ready\n')]);
    expect(gone.code).toBe(0);
    expect(gone.stdout).toBe('node ip-10-77-201-12 is not in the swarm: nothing to demote\n');
  });

  test('precondition: this manager answers', () => {
    expect(stepCalls(runScript(settle.precondition.script, []))).toEqual([['node', 'ls', '-q']]);
  });
});
