/**
 * The harness's own logic, without a sandbox: the diff names every
 * difference by path (and finds none in equal snapshots), the printed plan
 * yields each step's exact script, and the matrix selection refuses typos.
 */
import { pointsFor, renderSummary, selectionFromEnv, type KnownFailure } from './matrix.js';
import type { ScenarioResult } from './scenario.js';
import { NETWORK_MIGRATION } from './plan-kinds.js';
import { planSteps } from './plan-steps.js';
import { diffSnapshots, type ClusterSnapshot } from './snapshot.js';

const snapshot = (): ClusterSnapshot => ({
  networks: [
    {
      name: 'plain', driver: 'overlay', scope: 'swarm', ingress: false, internal: false, attachable: true,
      labels: { tier: 'front' }, options: {}, ipam: { driver: 'default', options: {}, config: [{ subnet: '10.31.1.0/24', gateway: '10.31.1.1' }] },
    },
  ],
  services: [{ name: 'web', mode: 'replicated:1', labels: {}, networks: [{ network: 'plain', aliases: ['www'], driverOpts: {} }], ports: [] }],
  nodes: [{ hostname: 'm1', role: 'manager', availability: 'active', labels: { zone: 'a' }, state: 'ready', addr: '10.77.211.11' }],
  listen: [{ node: 'm1', listenAddr: '10.77.211.11:2377', advertiseAddr: '10.77.211.11' }],
});

describe('diffSnapshots', () => {
  it('finds nothing in equal snapshots', () => {
    expect(diffSnapshots(snapshot(), snapshot())).toEqual([]);
  });

  it('names each difference by path, and missing or extra entries as such', () => {
    const after = snapshot();
    after.networks[0].labels = {};
    after.networks.push({ ...after.networks[0], name: 'plain-enc' });
    after.services[0].networks[0].aliases = [];
    after.nodes.push({ ...after.nodes[0], state: 'down' });
    after.listen[0].listenAddr = '0.0.0.0:2377';
    expect(diffSnapshots(snapshot(), after)).toEqual([
      'networks[plain].labels.tier: "front" -> (absent)',
      expect.stringMatching(/^networks\[plain-enc\]: \(absent\) -> \{"name":"plain-enc"/),
      'services[web].networks: [{"network":"plain","aliases":["www"],"driverOpts":{}}] -> [{"network":"plain","aliases":[],"driverOpts":{}}]',
      expect.stringMatching(/^nodes\[m1#1\]: \(absent\) -> \{"hostname":"m1".*"state":"down"/),
      'listen[m1].listenAddr: "10.77.211.11:2377" -> "0.0.0.0:2377"',
    ]);
  });
});

describe('planSteps', () => {
  const printed = [
    'Cluster abc:',
    '  1. [abc-001-network-create] create encrypted network plain-enc',
    '    on:        i-0aaaaaaaaaaaaaaa1',
    '    checks first: plain-enc does not exist',
    "      | docker network inspect 'plain-enc'",
    '    runs (on i-0aaaaaaaaaaaaaaa1):',
    '      | set -eu',
    "      | docker network create --opt encrypted 'plain-enc'",
    '    undo (on i-0aaaaaaaaaaaaaaa1):',
    "      | docker network rm 'plain-enc'",
    '',
    '  2. [abc-002-node-rejoin] rejoin w1',
    '    runs (on i-0aaaaaaaaaaaaaaa2):',
    '      $JOIN_TOKEN is fetched first on i-0aaaaaaaaaaaaaaa1 by: docker swarm join-token -q worker',
    '      | set -eu',
    '      | docker swarm join --token "$JOIN_TOKEN" 10.0.0.1:2377',
    '',
  ].join('\n');
  const file = JSON.stringify({
    clusters: [{ steps: [{ id: 'abc-001-network-create', kind: 'network-create', instanceId: 'i-0aaaaaaaaaaaaaaa1' }, { id: 'abc-002-node-rejoin', kind: 'node-rejoin', instanceId: 'i-0aaaaaaaaaaaaaaa2' }] }],
  });

  it('takes each step’s "runs" block (not its precondition, inputs or undo)', () => {
    expect(planSteps(file, printed)).toEqual([
      { id: 'abc-001-network-create', kind: 'network-create', instanceId: 'i-0aaaaaaaaaaaaaaa1', script: "set -eu\ndocker network create --opt encrypted 'plain-enc'" },
      { id: 'abc-002-node-rejoin', kind: 'node-rejoin', instanceId: 'i-0aaaaaaaaaaaaaaa2', script: 'set -eu\ndocker swarm join --token "$JOIN_TOKEN" 10.0.0.1:2377' },
    ]);
  });

  it('fails loudly when a step is not printed', () => {
    expect(() => planSteps(file, printed.replace('[abc-002-node-rejoin]', '[other]'))).toThrow('the printed plan has no step [abc-002-node-rejoin]');
  });
});

describe('matrix selection', () => {
  it('refuses unknown kinds and injections instead of running nothing', () => {
    expect(() => selectionFromEnv({ FAULT_KINDS: 'network-migraton' })).toThrow(/FAULT_KINDS: unknown network-migraton/);
    expect(() => selectionFromEnv({ FAULT_INJECTIONS: 'kill' })).toThrow(/FAULT_INJECTIONS: unknown kill/);
  });

  it('CI: every injection at the riskiest step; full: every step', () => {
    const steps = ['network-create', 'service-network-add', 'service-network-rm', 'network-remove'].map((kind, i) => ({ id: `s${i}`, kind, instanceId: 'i-0aaaaaaaaaaaaaaa1', script: 'x' }));
    const ci = pointsFor(NETWORK_MIGRATION, steps, selectionFromEnv({}));
    expect(ci.map((p) => `${p.index}:${p.injection}`)).toEqual(['3:ssm-failure', '3:kill-9', '3:dockerd-restart']);
    expect(pointsFor(NETWORK_MIGRATION, steps, selectionFromEnv({ FAULT_MATRIX: 'full' }))).toHaveLength(12);
  });
});

describe('summary', () => {
  const result = (over: Partial<ScenarioResult>): ScenarioResult => ({
    kind: 'network-migration', stepIndex: 3, stepKind: 'network-remove', injection: 'kill-9', injected: true,
    apply: 'killed, no cluster outcome', recovery: 'backout', restored: true, diff: [], ms: 1000, ...over,
  });

  it('counts covered points, prints every diff, and names a known failure as such', () => {
    const known: KnownFailure = { kind: 'network-migration', stepKind: 'service-network-add', injection: 'dockerd-restart', bug: 'an undo reads a restarting dockerd as absent' };
    const text = renderSummary(
      [
        {
          kind: 'network-migration', steps: ['network-create', 'service-network-add', 'service-network-rm', 'network-remove'], possible: 12, rebuilt: 2,
          results: [
            result({}),
            result({ stepIndex: 1, stepKind: known.stepKind, injection: known.injection, restored: false, diff: ['networks[plain-enc]: (absent) -> {}'] }),
            result({ stepIndex: 0, stepKind: 'network-create', injection: 'ssm-failure', restored: false, diff: ['services[web].ports: [] -> [1]'] }),
            result({ stepIndex: 0, stepKind: 'network-create', injection: 'dockerd-restart', injected: false, apply: 'exit 3, no cluster outcome' }),
          ],
        },
      ],
      true,
      [known],
    );
    expect(text).toContain('network-migration: 3 of 12 injection points covered');
    expect(text).toContain('1 restored, 2 not (1 known); 2 rebuild(s)');
    expect(text).toMatch(/2\. service-network-add .* NOT RESTORED \(known\)/);
    expect(text).toContain('      networks[plain-enc]: (absent) -> {}');
    expect(text).toContain(`known bug: ${known.bug}`);
    expect(text).toMatch(/1\. network-create .* ssm-failure .* NOT RESTORED \(/);
    expect(text).toContain('not covered: 1. network-create × dockerd-restart: the fault did not hit the step (exit 3, no cluster outcome)');
    expect(text).toContain('total: 3 of 12 injection points covered; 1 known failure(s) not restored');
  });
});
