/**
 * The published-port templates (port-steps.*.sh) under /bin/sh against a fake
 * docker: port lines become docker's --publish-rm / --publish-add values, one
 * update per change, and the ports docker/cli's --publish-rm takes along are
 * put back. test/remediation/published-ports-builder.test.ts runs the same
 * scripts against a fake that models docker/cli's port semantics.
 */
import { hostModeStep, unpublishStep } from '../../../src/remediation/builders/port-steps.js';
import type { PublishedPort } from '../../../src/remediation/builders/intent-fields.js';
import { runScript, stepCalls, type Reply } from './fake-docker.js';

const I = 'i-0000000000000a001';
const PORTS_FORMAT = '{{with .Spec.EndpointSpec}}{{range .Ports}}{{.Protocol}} {{.TargetPort}} {{.PublishedPort}} {{.PublishMode}}{{"\\n"}}{{end}}{{end}}';
const port = (publishedPort: number, targetPort: number, publishMode: 'ingress' | 'host' = 'ingress', protocol: 'tcp' | 'udp' = 'tcp'): PublishedPort => ({ publishedPort, targetPort, publishMode, protocol });
const inspectPorts = ['service', 'inspect', '--format', PORTS_FORMAT, 'web'];
/** The service's ports as Docker prints them, for the next `times` inspections. */
const publishes = (lines: string[], times?: number): Reply => ({ args: inspectPorts, stdout: lines.map((l) => `${l}\n`).join(''), times });
const update = (...flags: string[]) => ['service', 'update', '--quiet', ...flags, 'web'];

describe('unpublish template', () => {
  const step = unpublishStep({ service: 'web', port: port(8080, 80), keep: [port(8081, 80)], group: [port(8080, 80), port(8081, 80)] }, I);

  test('removes the port, then publishes again the sibling --publish-rm took with it', () => {
    const run = runScript(step.script, [publishes(['tcp 80 8080 ingress', 'tcp 80 8081 ingress'], 1), publishes([])]);
    expect(run.code).toBe(0);
    expect(stepCalls(run)).toEqual([
      inspectPorts,
      update('--publish-rm', 'published=8080,target=80,protocol=tcp,mode=ingress'),
      inspectPorts,
      update('--publish-add', 'published=8081,target=80,protocol=tcp,mode=ingress'),
    ]);
  });

  test('run again, it changes nothing', () => {
    expect(stepCalls(runScript(step.script, [publishes(['tcp 80 8081 ingress'])]))).toEqual([inspectPorts, inspectPorts]);
  });

  test('undo publishes the whole group in one update when one is missing, nothing when all are there', () => {
    expect(stepCalls(runScript(step.inverse!.script, [publishes(['tcp 80 8081 ingress'])]))).toEqual([
      inspectPorts,
      update('--publish-add', 'published=8080,target=80,protocol=tcp,mode=ingress', '--publish-add', 'published=8081,target=80,protocol=tcp,mode=ingress'),
    ]);
    expect(stepCalls(runScript(step.inverse!.script, [publishes(['tcp 80 8080 ingress', 'tcp 80 8081 ingress'])]))).toEqual([inspectPorts, inspectPorts]);
  });

  test('precondition: the service exists', () => {
    expect(stepCalls(runScript(step.precondition.script, []))).toEqual([['service', 'inspect', 'web']]);
    expect(runScript(step.precondition.script, [{ args: ['service', 'inspect'], code: 1, stderr: 'Error: no such service: web\n' }]).code).toBe(1);
  });
});

describe('host-mode template', () => {
  const step = hostModeStep({ service: 'web', ports: [port(8080, 80), port(53, 53, 'ingress', 'udp')], hostSiblings: [port(9090, 80, 'host')] }, I);

  test('one update moves every ingress port to host mode', () => {
    const run = runScript(step.script, [publishes(['tcp 80 8080 ingress', 'udp 53 53 ingress', 'tcp 80 9090 host'])]);
    expect(stepCalls(run)).toEqual([
      inspectPorts,
      update(
        '--publish-rm', 'published=8080,target=80,protocol=tcp,mode=ingress',
        '--publish-rm', 'published=53,target=53,protocol=udp,mode=ingress',
        '--publish-add', 'published=8080,target=80,protocol=tcp,mode=host',
        '--publish-add', 'published=53,target=53,protocol=udp,mode=host',
      ),
    ]);
    // done already: the first port is no longer in ingress mode
    expect(stepCalls(runScript(step.script, [publishes(['tcp 80 8080 host'])]))).toEqual([inspectPorts]);
  });

  test('undo moves them back and restores the host-mode sibling the --publish-rm of host mode took along', () => {
    const run = runScript(step.inverse!.script, [publishes(['tcp 80 8080 host', 'udp 53 53 host', 'tcp 80 9090 host'], 1), publishes(['tcp 80 8080 ingress', 'udp 53 53 ingress'])]);
    expect(stepCalls(run)).toEqual([
      inspectPorts,
      update(
        '--publish-rm', 'published=8080,target=80,protocol=tcp,mode=host',
        '--publish-rm', 'published=53,target=53,protocol=udp,mode=host',
        '--publish-add', 'published=8080,target=80,protocol=tcp,mode=ingress',
        '--publish-add', 'published=53,target=53,protocol=udp,mode=ingress',
      ),
      inspectPorts,
      update('--publish-add', 'published=9090,target=80,protocol=tcp,mode=host'),
    ]);
  });

  test('a service gone (Docker says no such service) reads as "not published"; any other failure ends the script', () => {
    const gone = runScript(step.script, [{ args: ['service', 'inspect'], code: 1, stderr: 'Error: no such service: web\n' }]);
    expect(gone.code).toBe(0);
    expect(stepCalls(gone)).toEqual([inspectPorts]);
    const down = runScript(step.script, [{ args: ['service', 'inspect'], code: 1, stderr: 'Cannot connect to the Docker daemon\n' }]);
    expect(down.code).toBe(1);
    expect(stepCalls(down)).toEqual([inspectPorts]);
  });
});
