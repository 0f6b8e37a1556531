import { probeFailureOf } from '../../src/probe/applicability.js';
import { decodeProbeOutput } from '../../src/probe/decode.js';
import type { HostFacts } from '../../src/probe/facts.js';
import { fixture } from './frame-builder.js';

function facts(name: string): HostFacts {
  const result = decodeProbeOutput(fixture(name));
  if (!result.ok) throw new Error(result.message);
  return result.facts;
}

describe('probeFailureOf on captured hosts', () => {
  test.each(['manager-bound', 'manager-wildcard', 'worker-wildcard', 'worker-bound', 'many-services', 'no-ss'])('%s can be audited', (name) => {
    expect(probeFailureOf(facts(name))).toBeUndefined();
  });

  test.each([
    ['swarm-inactive', 'NOT_APPLICABLE', /swarm inactive on this node/],
    ['swarm-locked', 'ERROR', /locked/],
    ['docker-down', 'ERROR', /Cannot connect to the Docker daemon/],
    ['docker-missing', 'ERROR', /command not found/],
    ['permission-denied', 'ERROR', /permission denied/],
  ])('%s -> %s', (name, status, message) => {
    const failure = probeFailureOf(facts(name));
    expect(failure?.status).toBe(status);
    expect(failure?.message).toMatch(message);
  });

  test('pending and error states are ERROR', () => {
    const base = facts('worker-wildcard');
    const withState = (localNodeState: 'pending' | 'error', error?: string): HostFacts => ({
      ...base,
      swarm: { ...base.swarm!, localNodeState, ...(error ? { error } : {}) },
    });
    expect(probeFailureOf(withState('pending'))).toEqual({ status: 'ERROR', message: expect.stringMatching(/pending/) });
    expect(probeFailureOf(withState('error', 'rpc error: x509'))).toEqual({ status: 'ERROR', message: 'swarm in error state: rpc error: x509' });
  });

  test('docker reachable but docker info failed is ERROR', () => {
    const base = facts('manager-bound');
    const { swarm: _swarm, ...rest } = base;
    expect(probeFailureOf({ ...rest, docker: { ...base.docker, error: { kind: 'other', message: 'info timed out' } } })).toEqual({
      status: 'ERROR',
      message: 'swarm state unknown: info timed out',
    });
  });
});
