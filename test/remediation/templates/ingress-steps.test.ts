/**
 * The ingress recreate templates (ingress-steps.*.sh, and the port templates
 * as the ingress steps use them) under /bin/sh against a fake docker.
 */
import {
  ingressCreateStep, ingressRemoveStep, ingressRepublishStep, ingressUnpublishStep,
} from '../../../src/remediation/builders/ingress-steps.js';
import type { NetworkSpec } from '../../../src/remediation/builders/scripts.js';
import { runScript, stepCalls, type Reply } from './fake-docker.js';

const I = 'i-0000000000000a001';
const ingress: NetworkSpec = {
  name: 'ingress', encrypted: false, ingress: true, internal: false, attachable: false, options: {}, labels: {},
  ipamDriver: 'default', ipamOptions: {}, subnet: '10.77.202.0/28', gateway: '10.77.202.1',
};
const web = { service: 'web', ports: [{ publishedPort: 8080, targetPort: 80, protocol: 'tcp' as const, publishMode: 'ingress' as const }], outage: [] };
const LIST = ['network', 'ls', '--filter', 'driver=overlay', '--format', '{{.Name}}'];
const OPTIONS = ['network', 'inspect', '--format', '{{json .Options}}', 'ingress'];
const listed = (names: string[], times?: number): Reply => ({ args: LIST, stdout: names.map((n) => `${n}\n`).join(''), times });
const encrypted = (yes: boolean): Reply => ({ args: OPTIONS, stdout: yes ? '{"encrypted":""}\n' : '{}\n' });
const PEERS = ['network', 'inspect', '-f', '{{len .Peers}}', 'ingress'];

describe('ingress-remove template', () => {
  const step = ingressRemoveStep({ network: ingress, outage: [] }, I);

  test('confirms the removal of the unencrypted ingress, then waits until the manager no longer lists it', () => {
    const run = runScript(step.script, [listed(['ingress', 'app'], 3), encrypted(false), listed(['app'])]);
    expect(run.code).toBe(0);
    expect(stepCalls(run)).toEqual([LIST, OPTIONS, ['network', 'rm', 'ingress'], LIST, OPTIONS, LIST, OPTIONS, LIST]);
    // `docker network rm ingress` asks before it removes: it got "y"
    expect(run.stdin[4]).toBe('y');
  });

  test('leaves an encrypted ingress alone (that one is the undo\'s of ingress-create)', () => {
    expect(stepCalls(runScript(step.script, [listed(['ingress']), encrypted(true)]))).toEqual([LIST, OPTIONS, LIST, OPTIONS]);
  });

  test('fails when the manager still lists it after 60 s', () => {
    const run = runScript(step.script, [listed(['ingress'], 1), encrypted(false), listed(['ingress'])]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the unencrypted ingress network is still listed after 60s');
  });

  test('precondition: no service publishes in ingress mode', () => {
    const services: Reply = { args: ['service', 'ls', '-q'], stdout: 's1\ns2\n' };
    const format = '{{with .Spec.EndpointSpec}}{{range .Ports}}{{.PublishMode}}{{"\\n"}}{{end}}{{end}}';
    const mode = (s: string, modes: string): Reply => ({ args: ['service', 'inspect', '--format', format, s], stdout: modes });
    const free = runScript(step.precondition.script, [services, mode('s1', 'host\n'), mode('s2', '')]);
    expect(free.code).toBe(0);
    expect(stepCalls(free)).toEqual([['service', 'ls', '-q'], ['service', 'inspect', '--format', format, 's1'], ['service', 'inspect', '--format', format, 's2']]);
    expect(runScript(step.precondition.script, [services, mode('s1', 'host\n'), mode('s2', 'ingress\n')]).code).toBe(1);
  });

  test('undo recreates the original ingress (unencrypted, same subnet) and hands it to every node', () => {
    const run = runScript(step.inverse!.script, [listed(['app']), { args: ['node', 'ls', '--format'], stdout: 'Ready\n' }, { args: ['node', 'ls', '-q'], stdout: 'n1\n' }, { args: PEERS, stdout: '1\n' }]);
    expect(stepCalls(run).slice(0, 2)).toEqual([LIST, ['network', 'create', '--driver', 'overlay', '--ingress', '--subnet', '10.77.202.0/28', '--gateway', '10.77.202.1', 'ingress']]);
  });
});

describe('ingress-create template', () => {
  const step = ingressCreateStep({ network: ingress, outage: [] }, I);
  const nodes: Reply[] = [
    { args: ['node', 'ls', '--format', '{{.Status}}'], stdout: 'Ready\nReady\nDown\n' },
    { args: ['node', 'ls', '-q'], stdout: 'n1\nn2\n' },
    { args: ['node', 'inspect', '-f', '{{.Spec.Availability}}', 'n1'], stdout: 'active\n' },
    { args: ['node', 'inspect', '-f', '{{.Spec.Availability}}', 'n2'], stdout: 'drain\n' },
  ];
  const handOver = [
    ['node', 'ls', '--format', '{{.Status}}'],
    ['node', 'ls', '-q'],
    ['node', 'inspect', '-f', '{{.Spec.Availability}}', 'n1'],
    ['node', 'update', '--availability', 'active', 'n1'],
    ['node', 'inspect', '-f', '{{.Spec.Availability}}', 'n2'],
    ['node', 'update', '--availability', 'drain', 'n2'],
  ];

  test('creates it encrypted on the same subnet, gives every node a no-op update, and waits until every Ready node is a peer', () => {
    const run = runScript(step.script, [listed([]), ...nodes, { args: PEERS, stdout: '1\n', times: 1 }, { args: PEERS, stdout: '2\n' }]);
    expect(run.code).toBe(0);
    expect(stepCalls(run)).toEqual([
      LIST,
      ['network', 'create', '--driver', 'overlay', '--ingress', '--opt', 'encrypted', '--subnet', '10.77.202.0/28', '--gateway', '10.77.202.1', 'ingress'],
      ...handOver,
      PEERS,
      PEERS,
    ]);
  });

  test('every 10 s without all peers, each node\'s spec changes (a label added, then removed)', () => {
    const run = runScript(step.script, [listed(['ingress']), ...nodes, { args: PEERS, stdout: '1\n', times: 11 }, { args: PEERS, stdout: '2\n' }]);
    expect(run.code).toBe(0);
    const calls = stepCalls(run);
    expect(calls.some((c) => c[1] === 'create')).toBe(false);
    const nudges = calls.filter((c) => c[1] === 'update' && c[2].startsWith('--label'));
    expect(nudges).toEqual([
      ['node', 'update', '--label-add', 'swarm-audit.ingress-handover=1', 'n1'],
      ['node', 'update', '--label-rm', 'swarm-audit.ingress-handover', 'n1'],
      ['node', 'update', '--label-add', 'swarm-audit.ingress-handover=1', 'n2'],
      ['node', 'update', '--label-rm', 'swarm-audit.ingress-handover', 'n2'],
    ]);
  });

  test('fails naming the count when the peers never come', () => {
    const run = runScript(step.script, [listed(['ingress']), ...nodes, { args: PEERS, stdout: '1\n' }]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ingress reached 1 of 2 ready nodes after 60s');
  });

  test('precondition: no ingress listed, or the encrypted one', () => {
    expect(runScript(step.precondition.script, [listed(['app'])]).code).toBe(0);
    expect(runScript(step.precondition.script, [listed(['ingress']), encrypted(true)]).code).toBe(0);
    expect(runScript(step.precondition.script, [listed(['ingress']), encrypted(false)]).code).toBe(1);
  });

  test('undo removes only the encrypted ingress', () => {
    const run = runScript(step.inverse!.script, [listed(['ingress'], 1), encrypted(true), listed([])]);
    expect(stepCalls(run)).toEqual([LIST, OPTIONS, ['network', 'rm', 'ingress'], LIST]);
  });
});

describe('ingress unpublish and republish', () => {
  const inspectPorts = ['service', 'inspect', '--format', '{{with .Spec.EndpointSpec}}{{range .Ports}}{{.Protocol}} {{.TargetPort}} {{.PublishedPort}} {{.PublishMode}}{{"\\n"}}{{end}}{{end}}', 'web'];
  const publishes = (lines: string): Reply => ({ args: inspectPorts, stdout: lines });
  const unpublish = ingressUnpublishStep(web, I);
  const republish = ingressRepublishStep({ ...web, network: 'ingress' }, I);
  const rm = ['service', 'update', '--quiet', '--publish-rm', 'published=8080,target=80,protocol=tcp,mode=ingress', 'web'];
  const add = ['service', 'update', '--quiet', '--publish-add', 'published=8080,target=80,protocol=tcp,mode=ingress', 'web'];

  test('unpublish removes the ingress ports when published; its undo and the republish add them when missing', () => {
    expect(stepCalls(runScript(unpublish.script, [publishes('tcp 80 8080 ingress\n')]))).toEqual([inspectPorts, rm]);
    expect(stepCalls(runScript(unpublish.script, [publishes('')]))).toEqual([inspectPorts]);
    for (const script of [unpublish.inverse!.script, republish.script]) {
      expect(stepCalls(runScript(script, [publishes('')]))).toEqual([inspectPorts, add]);
      expect(stepCalls(runScript(script, [publishes('tcp 80 8080 ingress\n')]))).toEqual([inspectPorts]);
    }
    expect(stepCalls(runScript(republish.inverse!.script, [publishes('tcp 80 8080 ingress\n')]))).toEqual([inspectPorts, rm]);
  });

  test('republish precondition: the network is encrypted', () => {
    expect(runScript(republish.precondition.script, [encrypted(true)]).code).toBe(0);
    expect(runScript(republish.precondition.script, [encrypted(false)]).code).toBe(1);
  });
});
