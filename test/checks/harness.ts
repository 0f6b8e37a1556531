/**
 * RuleTester-like harness: a check, a table of cases built from captured
 * probe fixtures (test/fixtures/probe/<scenario>.stdout, decoded by the real
 * decoder), and the exact status expected for every resource. A result that
 * is missing, unexpected or duplicated fails the case.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { runClusterCheck, runNodeCheck } from '../../src/checks/run-check.js';
import type { AuditConfig, AuditedHost, Check, CheckOptions, CheckResult, Resource, Status } from '../../src/checks/types.js';
import type { FleetInstance } from '../../src/fleet/instance.js';
import { decodeProbeOutput } from '../../src/probe/decode.js';
import type { HostFacts } from '../../src/probe/facts.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'probe');
const STATUSES: readonly Status[] = ['PASS', 'FAIL', 'WARN', 'ERROR', 'NOT_APPLICABLE'];

export const EMPTY_CONFIG: AuditConfig = { checks: {} };

/** Facts decoded from a captured fixture; a fixture that does not decode is a broken test. */
export function loadFacts(scenario: string): HostFacts {
  const decoded = decodeProbeOutput(readFileSync(join(FIXTURES, `${scenario}.stdout`), 'utf8'));
  if (!decoded.ok) throw new Error(`fixture ${scenario} does not decode: ${decoded.reason} ${decoded.message}`);
  return decoded.facts;
}

export function instance(instanceId: string, overrides: Partial<FleetInstance> = {}): FleetInstance {
  return {
    instanceId,
    state: 'running',
    tags: {},
    securityGroups: [],
    agent: { managed: true, pingStatus: 'Online', platformType: 'Linux' },
    reachable: true,
    ...overrides,
  };
}

export interface FixtureHost {
  fixture: string;
  instanceId?: string;
  privateIp?: string;
  /**
   * Changes one thing the real daemon here cannot produce (an old engine, an
   * IPv6 listener...). Every use says why in the case name.
   */
  derive?: (facts: HostFacts) => void;
}

function hostOf(spec: FixtureHost): AuditedHost {
  const facts = loadFacts(spec.fixture);
  spec.derive?.(facts);
  const overrides: Partial<FleetInstance> = spec.privateIp === undefined ? {} : { privateIp: spec.privateIp };
  return { instance: instance(spec.instanceId ?? `i-${spec.fixture}`, overrides), facts };
}

/** "listener:2377/tcp"; networks and services by name, because their Docker ids are random. */
function resourceKey(resource: Resource): string {
  const named = resource.type === 'network' || resource.type === 'service';
  return `${resource.type}:${named ? (resource.name ?? resource.id) : resource.id}`;
}

export interface CheckCase {
  name: string;
  /** Node checks: the host. Cluster checks: the manager (first) and the other members. */
  hosts: FixtureHost[];
  /** This check's options as the config file gives them under checks.<id> (over its defaults). */
  options?: CheckOptions;
  clusterId?: string;
  expected: Record<string, Status>;
  /** Extra assertions on the results, keyed like `expected`. */
  assert?: (results: Map<string, CheckResult>) => void;
}

/** Runs the check as the engine does (src/checks/run-check.ts): facts it reads but that were not collected give ERROR first. */
export function evaluate(check: Check, testCase: CheckCase): CheckResult[] {
  const hosts = testCase.hosts.map(hostOf);
  const config: AuditConfig = testCase.options ? { checks: { [check.meta.id]: testCase.options } } : EMPTY_CONFIG;
  if ('evaluateNode' in check) {
    if (hosts.length !== 1) throw new Error('a node check case has exactly one host');
    const { instance } = hosts[0];
    return runNodeCheck(check, hosts[0], config, { type: 'node', id: instance.instanceId, ...(instance.name ? { name: instance.name } : {}) });
  }
  const clusterId = testCase.clusterId ?? hosts[0].facts.swarm?.clusterId ?? 'cluster-under-test';
  return runClusterCheck(check, { clusterId, manager: hosts[0], members: hosts }, config);
}

export function runCheckCases(check: Check, cases: CheckCase[]): void {
  describe(`${check.meta.id} cases`, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
      const results = evaluate(check, testCase);
      const byKey = new Map<string, CheckResult>();
      for (const result of results) {
        const key = resourceKey(result.resource);
        expect(byKey.has(key) ? `duplicate ${key}` : key).toBe(key);
        byKey.set(key, result);
        expect(STATUSES).toContain(result.status);
        expect(result.message.trim().length).toBeGreaterThan(10);
        expect(result.resource.id.length).toBeGreaterThan(0);
      }
      const actual = Object.fromEntries([...byKey].map(([key, result]) => [key, result.status]));
      expect(actual).toEqual(testCase.expected);
      testCase.assert?.(byKey);
    });
  });
}
