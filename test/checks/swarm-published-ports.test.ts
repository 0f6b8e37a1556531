import { describe, expect, it } from '@jest/globals';
import { swarmPublishedPorts } from '../../src/checks/swarm-published-ports/index.js';
import type { CheckResult } from '../../src/checks/types.js';
import { evaluate, runCheckCases, type CheckCase } from './harness.js';

const MANAGER_BOUND_SERVICES = {
  'service:api': 'PASS',
  'service:legacy': 'PASS',
  'service:monitor': 'PASS',
  'service:shop_cart': 'PASS',
} as const;

const cases: CheckCase[] = [
  {
    name: 'ingress port FAILs, host-mode port WARNs, services without ports PASS',
    hosts: [{ fixture: 'manager-bound' }],
    expected: { ...MANAGER_BOUND_SERVICES, 'port:web:8080/tcp': 'FAIL', 'port:hostsvc:9090/tcp': 'WARN' },
    assert: (results) => {
      const ingress = results.get('port:web:8080/tcp')!;
      expect(ingress.message).toContain('every interface of every node');
      expect(ingress.message).toMatch(/#26696.*#32299/);
      expect(ingress.message).toContain('overlay network');
      expect(ingress.message).toContain('DOCKER-USER');
      expect(ingress.message).toContain('security groups');
      expect(ingress.evidence).toMatchObject({ publishMode: 'ingress', publishedPort: 8080, targetPort: 80 });
      expect(results.get('port:hostsvc:9090/tcp')!.message).toContain('0.0.0.0');
    },
  },
  {
    name: 'allowlisted service name turns its ports into PASS',
    hosts: [{ fixture: 'manager-bound' }],
    options: { allowServices: ['web'], allowPorts: [] },
    expected: { ...MANAGER_BOUND_SERVICES, 'port:web:8080/tcp': 'PASS', 'port:hostsvc:9090/tcp': 'WARN' },
    assert: (results) => expect(results.get('port:web:8080/tcp')!.message).toBe('allowed by configuration'),
  },
  {
    name: 'allowlisted "9090/tcp" and bare "8080" match',
    hosts: [{ fixture: 'manager-bound' }],
    options: { allowPorts: ['9090/tcp', '8080'] },
    expected: { ...MANAGER_BOUND_SERVICES, 'port:web:8080/tcp': 'PASS', 'port:hostsvc:9090/tcp': 'PASS' },
  },
  {
    name: 'allowlist of another protocol or a name prefix does not match',
    hosts: [{ fixture: 'manager-bound' }],
    options: { allowServices: ['we', 'WEB'], allowPorts: ['8080/udp', '90', '9090/sctp'] },
    expected: { ...MANAGER_BOUND_SERVICES, 'port:web:8080/tcp': 'FAIL', 'port:hostsvc:9090/tcp': 'WARN' },
  },
  {
    name: 'many services: one result per published port, one per service without ports',
    hosts: [{ fixture: 'many-services' }],
    expected: {
      'service:cache': 'PASS',
      'service:cron': 'PASS',
      'port:front:80/tcp': 'FAIL',
      'port:gateway:443/tcp': 'FAIL',
      'port:gateway:8444/tcp': 'WARN',
      'port:metrics:9100/tcp': 'FAIL',
      'service:queue': 'PASS',
      'service:svc1': 'PASS',
      'service:svc2': 'PASS',
      'service:svc3': 'PASS',
      'service:svc4': 'PASS',
      'service:svc5': 'PASS',
      'service:worker': 'PASS',
    },
  },
  {
    name: 'derived: services section failed on the manager -> ERROR for the cluster',
    hosts: [{ fixture: 'manager-bound', derive: (f) => f.problems.push({ section: 'services', message: 'exit 1' }) }],
    clusterId: 'c1',
    expected: { 'cluster:c1': 'ERROR' },
  },
  {
    name: 'facts without a service list (a worker used as manager) -> ERROR',
    hosts: [{ fixture: 'worker-bound' }],
    clusterId: 'c1',
    expected: { 'cluster:c1': 'ERROR' },
  },
  {
    name: 'derived: a cluster without services -> NOT_APPLICABLE',
    hosts: [{ fixture: 'manager-bound', derive: (f) => (f.services = []) }],
    clusterId: 'c1',
    expected: { 'cluster:c1': 'NOT_APPLICABLE' },
  },
];

runCheckCases(swarmPublishedPorts, cases);

describe('swarm-published-ports guidance', () => {
  it('never suggests --endpoint-mode dnsrr (Docker rejects it with an ingress port)', () => {
    const all: CheckResult[] = cases.flatMap((c) => evaluate(swarmPublishedPorts, c));
    for (const result of all) expect(result.message).not.toMatch(/dnsrr/);
  });

  it('derived: a port published without a fixed number is still reported (dynamic)', () => {
    const results = evaluate(swarmPublishedPorts, {
      name: 'dynamic',
      hosts: [
        {
          fixture: 'manager-bound',
          derive: (f) => {
            delete f.services!.find((s) => s.name === 'web')!.ports[0].publishedPort;
          },
        },
      ],
      expected: {},
    });
    const web = results.find((r) => r.resource.name === 'web')!;
    expect(web.resource.id).toBe('web:dynamic->80/tcp');
    expect(web.status).toBe('FAIL');
  });
});
