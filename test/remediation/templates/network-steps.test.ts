/**
 * The overlay-migration templates (network-steps.*.sh) run under /bin/sh
 * against a fake docker: the exact docker argument lists for representative
 * intents, built by the builders as apply builds them.
 */
import { networkCreateStep, networkRemoveStep, serviceNetworkAddStep, serviceNetworkRmStep } from '../../../src/remediation/builders/network-steps.js';
import type { NetworkSpec } from '../../../src/remediation/builders/scripts.js';
import { noSuch, runScript, stepCalls, type Reply } from './fake-docker.js';

const I = 'i-0000000000000a001';

const spec: NetworkSpec = {
  name: 'plain-enc',
  encrypted: true,
  ingress: false,
  internal: true,
  attachable: true,
  options: { 'com.example.mtu': '1400' },
  labels: { 'com.example.team': 'a b', 'com.example.cmd': "$(touch pwned);x 'q' \"d\" *" },
  ipamDriver: 'default',
  ipamOptions: { 'com.example.pool': 'p1' },
  subnet: '10.77.202.80/28',
  gateway: '10.77.202.81',
  ipRange: '10.77.202.80/29',
};

const CREATE_ARGS = [
  'network', 'create', '--driver', 'overlay', '--opt', 'encrypted', '--opt', 'com.example.mtu=1400',
  // labels sorted by key, each one argument whatever it holds
  '--label', "com.example.cmd=$(touch pwned);x 'q' \"d\" *", '--label', 'com.example.team=a b',
  '--attachable', '--internal', '--ipam-opt', 'com.example.pool=p1',
  '--subnet', '10.77.202.80/28', '--gateway', '10.77.202.81', '--ip-range', '10.77.202.80/29', 'plain-enc',
];

const exists = (name: string, id = `id-${name}`): Reply => ({ args: ['network', 'inspect', '--format', '{{.Id}}', name], stdout: `${id}\n` });
const options = (name: string, json: string): Reply => ({ args: ['network', 'inspect', '--format', '{{json .Options}}', name], stdout: `${json}\n` });
const inspectId = (name: string) => ['network', 'inspect', '--format', '{{.Id}}', name];
const SERVICE_NETWORKS = '{{range .Spec.TaskTemplate.Networks}}{{.Target}} {{end}}';
const serviceNetworks = (service: string, ids: string): Reply => ({ args: ['service', 'inspect', '--format', SERVICE_NETWORKS, service], stdout: `${ids}\n` });

describe('network-create template', () => {
  const step = networkCreateStep({ network: spec, replaces: 'plain' }, I);

  test('creates the network with every option, label and IPAM setting as one argument each, retrying while Swarm frees the pool', () => {
    const run = runScript(step.script, [noSuch('network', 'plain-enc'), { args: ['network', 'create'], code: 1, stderr: 'pool overlaps\n', times: 2 }]);
    expect(run.code).toBe(0);
    expect(stepCalls(run)).toEqual([inspectId('plain-enc'), CREATE_ARGS, CREATE_ARGS, CREATE_ARGS]);
    expect(run.created).toEqual([]);
  });

  test('does nothing when the network exists already', () => {
    const run = runScript(step.script, [exists('plain-enc')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('plain-enc exists already\n');
    expect(stepCalls(run)).toEqual([inspectId('plain-enc')]);
  });

  test('gives up after 20 attempts', () => {
    const run = runScript(step.script, [noSuch('network', 'plain-enc'), { args: ['network', 'create'], code: 1 }]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('gave up after 20 attempts');
    expect(stepCalls(run).filter((c) => c[1] === 'create')).toHaveLength(20);
  });

  test('precondition: absent, or present and encrypted', () => {
    expect(runScript(step.precondition.script, [noSuch('network', 'plain-enc')]).code).toBe(0);
    expect(runScript(step.precondition.script, [exists('plain-enc'), options('plain-enc', '{"encrypted":""}')]).code).toBe(0);
    const plain = runScript(step.precondition.script, [exists('plain-enc'), options('plain-enc', '{}')]);
    expect(plain.code).toBe(1);
    expect(stepCalls(plain)).toEqual([inspectId('plain-enc'), ['network', 'inspect', '--format', '{{json .Options}}', 'plain-enc']]);
  });

  test('undo removes the network when it exists, and only then', () => {
    const run = runScript(step.inverse!.script, [exists('plain-enc'), { args: ['network', 'rm'], code: 1, times: 1 }]);
    expect(run.code).toBe(0);
    expect(stepCalls(run)).toEqual([inspectId('plain-enc'), ['network', 'rm', 'plain-enc'], ['network', 'rm', 'plain-enc']]);
    expect(stepCalls(runScript(step.inverse!.script, [noSuch('network', 'plain-enc')]))).toEqual([inspectId('plain-enc')]);
  });
});

describe('network-remove template', () => {
  const original: NetworkSpec = { ...spec, name: 'plain', encrypted: false, internal: false, attachable: false, labels: {}, options: {}, ipamOptions: {}, ipRange: undefined, ipamDriver: 'custom-ipam' };
  const step = networkRemoveStep({ network: original, movedTo: 'plain-enc' }, I);

  test('removes the old network', () => {
    expect(stepCalls(runScript(step.script, [exists('plain')]))).toEqual([inspectId('plain'), ['network', 'rm', 'plain']]);
  });

  test('precondition: no service spec attaches it (compared by ID)', () => {
    const services: Reply = { args: ['service', 'ls', '-q'], stdout: 's1\ns2\n' };
    const free = runScript(step.precondition.script, [exists('plain', 'N1'), services, serviceNetworks('s1', 'N2'), serviceNetworks('s2', 'N3 N4')]);
    expect(free.code).toBe(0);
    expect(stepCalls(free)).toEqual([
      inspectId('plain'),
      ['service', 'ls', '-q'],
      ['service', 'inspect', '--format', SERVICE_NETWORKS, 's1'],
      ['service', 'inspect', '--format', SERVICE_NETWORKS, 's2'],
    ]);
    expect(runScript(step.precondition.script, [exists('plain', 'N1'), services, serviceNetworks('s1', 'N2'), serviceNetworks('s2', 'N3 N1')]).code).toBe(1);
    // a failing listing is not "no service"
    const down = runScript(step.precondition.script, [exists('plain', 'N1'), { args: ['service', 'ls'], code: 1, stderr: 'Cannot connect to the Docker daemon\n' }]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('docker service ls -q failed');
  });

  test('undo recreates it as it was (its IPAM driver and subnet, unencrypted)', () => {
    const run = runScript(step.inverse!.script, [noSuch('network', 'plain')]);
    expect(stepCalls(run)).toEqual([
      inspectId('plain'),
      ['network', 'create', '--driver', 'overlay', '--ipam-driver', 'custom-ipam', '--subnet', '10.77.202.80/28', '--gateway', '10.77.202.81', 'plain'],
    ]);
  });
});

describe('service-network-add and service-network-rm templates', () => {
  const attachment = { aliases: ['webalias', 'web.v1'], driverOpts: { 'com.example.opt': 'v' } };
  const add = serviceNetworkAddStep({ service: 'web', network: 'plain-enc', attachment, singleReplica: false }, I);
  const rm = serviceNetworkRmStep({ service: 'web', network: 'plain', replacement: 'plain-enc', attachment, singleReplica: false }, I);
  const ADD_ARGS = ['service', 'update', '--quiet', '--network-add', 'name=plain-enc,alias=webalias,alias=web.v1,driver-opt=com.example.opt=v', 'web'];

  test('attaches the service with its aliases and driver options when it is not attached', () => {
    const run = runScript(add.script, [exists('plain-enc', 'N2'), serviceNetworks('web', 'N1')]);
    expect(run.code).toBe(0);
    expect(stepCalls(run)).toEqual([inspectId('plain-enc'), ['service', 'inspect', '--format', SERVICE_NETWORKS, 'web'], ADD_ARGS]);
  });

  test('does nothing when it is attached already', () => {
    const run = runScript(add.script, [exists('plain-enc', 'N2'), serviceNetworks('web', 'N1 N2')]);
    expect(run.stdout).toBe('already attached\n');
    expect(stepCalls(run).some((c) => c[1] === 'update')).toBe(false);
  });

  test('a docker failure other than "no such" ends the script instead of reading as "not attached"', () => {
    const run = runScript(add.script, [{ args: ['network', 'inspect'], code: 1, stderr: 'Cannot connect to the Docker daemon\n' }]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('docker network inspect plain-enc failed: Cannot connect');
    expect(stepCalls(run).some((c) => c[1] === 'update')).toBe(false);
  });

  test('undo of the add and the rm itself detach only when attached', () => {
    for (const [script, network, id] of [[add.inverse!.script, 'plain-enc', 'N2'], [rm.script, 'plain', 'N1']] as const) {
      expect(stepCalls(runScript(script, [exists(network, id), serviceNetworks('web', 'N1 N2')])).at(-1)).toEqual(['service', 'update', '--quiet', '--network-rm', network, 'web']);
      expect(stepCalls(runScript(script, [exists(network, id), serviceNetworks('web', 'N3')])).some((c) => c[1] === 'update')).toBe(false);
    }
  });

  test('the rm\'s undo puts the original attachment back', () => {
    const run = runScript(rm.inverse!.script, [exists('plain', 'N1'), serviceNetworks('web', 'N2')]);
    expect(stepCalls(run).at(-1)).toEqual(['service', 'update', '--quiet', '--network-add', 'name=plain,alias=webalias,alias=web.v1,driver-opt=com.example.opt=v', 'web']);
  });

  test('preconditions: the add needs service and network; the rm needs the replacement attached', () => {
    const both = runScript(add.precondition.script, [exists('plain-enc')]);
    expect(both.code).toBe(0);
    expect(stepCalls(both)).toEqual([['service', 'inspect', 'web'], inspectId('plain-enc')]);
    expect(runScript(add.precondition.script, [noSuch('network', 'plain-enc')]).code).toBe(1);
    expect(runScript(add.precondition.script, [{ args: ['service', 'inspect', 'web'], code: 1 }]).code).toBe(1);
    expect(runScript(rm.precondition.script, [exists('plain-enc', 'N2'), serviceNetworks('web', 'N2')]).code).toBe(0);
    expect(runScript(rm.precondition.script, [exists('plain-enc', 'N2'), serviceNetworks('web', 'N1')]).code).toBe(1);
  });
});
