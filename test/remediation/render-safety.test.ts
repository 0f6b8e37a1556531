/**
 * Host-supplied text (service, network, node and stack names; Docker's
 * messages) reaches what a person reads: the plan rendering, its guidance and
 * runbooks, the backout rendering and the CLI's error line. Each must show
 * only escaped forms: no terminal control sequence, no bidi reordering, no
 * invisible character, no line break that was not the tool's own.
 */
import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import type { Finding } from '../../src/checks/types.js';
import { allChecks } from '../../src/checks/registry.js';
import { main } from '../../src/cli/main.js';
import type { CliContext } from '../../src/cli/context.js';
import { evaluateFleet } from '../../src/engine/evaluate.js';
import type { HostFacts } from '../../src/probe/facts.js';
import { renderBackout } from '../../src/remediation/backout.js';
import { planRemediation } from '../../src/remediation/plan-remediation.js';
import type { Plan } from '../../src/remediation/plan.js';
import { renderPlan } from '../../src/remediation/render.js';
import type { AuditedHost } from '../../src/checks/types.js';
import { FIXTURE_NODES, instance, loadFacts } from './helpers/fixture-fleet.js';

const ESC = '\u001b[2J';
const RLO = '\u202e';
const ZERO_WIDTH = '\u200b';
const FAKE_STEP = '\n  9. [fake-step] docker swarm leave --force';
const NOW = new Date('2026-01-01T00:00:00Z');

/** What must never reach a terminal raw: C0/C1 controls except the tool's own newlines, bidi controls, invisible characters. */
// eslint-disable-next-line no-control-regex -- the test looks for control characters
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200d\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

function expectSafe(text: string): void {
  expect(text).not.toMatch(UNSAFE);
  // the fake step never starts a line of its own
  expect(text.split('\n').filter((l) => /^\s*9\. \[fake-step\]/.test(l))).toEqual([]);
}

function evaluate(hosts: AuditedHost[]): Finding[] {
  return evaluateFleet({
    hosts: hosts.map((h) => ({ instance: h.instance, probe: { ok: true as const, facts: h.facts } })),
    checks: [...allChecks],
    config: { checks: {} },
    startedAt: new Date(0),
    finishedAt: new Date(0),
  }).results;
}

/** The captured cluster with hostile names Docker accepts in labels (and, for the rest, what a compromised daemon could print). */
function hostileFleet(): { hosts: AuditedHost[]; findings: Finding[] } {
  const hosts = FIXTURE_NODES.map((n) => ({ instance: instance(n.instanceId, n.ip), facts: loadFacts(n.fixture) }));
  const rename = (facts: HostFacts) => {
    for (const network of facts.networks ?? []) {
      if (network.name === 'plain') network.name = `plain${RLO}cne`;
      if (network.labels['com.docker.stack.namespace']) {
        network.name = `${network.name}${ESC}`;
        network.labels['com.docker.stack.namespace'] = '$(reboot)';
      }
    }
    for (const service of facts.services ?? []) service.name = `${service.name}${ZERO_WIDTH}`;
    for (const node of facts.nodes ?? []) if (node.hostname === 'ip-10-77-201-21') node.hostname = `ip-10-77-201-21${FAKE_STEP}`;
  };
  hosts.forEach((h) => rename(h.facts));
  return { hosts, findings: evaluate(hosts) };
}

describe('hostile names flow into the plan, its guidance and runbooks only escaped', () => {
  const { hosts, findings } = hostileFleet();
  const plan = planRemediation({ hosts, findings, now: NOW });
  const text = renderPlan(plan);

  it('the hostile values did reach the plan (refused into guidance, raw in the data)', () => {
    const data = JSON.stringify(plan.guidance.map((g) => [g.resource, g.message, g.runbook]));
    expect(data).toContain(RLO);
    expect(data).toContain(ZERO_WIDTH);
    expect(plan.guidance.some((g) => g.resource?.includes('\u001b'))).toBe(true);
    expect(plan.guidance.some((g) => g.message.includes('ip-10-77-201-21\\n'))).toBe(true);
  });

  it('the rendering shows their escaped forms only', () => {
    expectSafe(text);
    expect(text).toContain('plain\\u202ecne');
    expect(text).toContain('web\\u200b');
    expect(text).toContain('\\x1b[2J');
    expect(text).toContain('ip-10-77-201-21\\n  9. [fake-step]');
  });

  it('a stack name that is not a valid Docker name gets no runbook command; a valid one is quoted', () => {
    const runbook = plan.guidance.find((g) => g.runbook?.some((l) => l.includes('driver_opts')))!.runbook!.join('\n');
    expect(runbook).not.toMatch(/docker stack (rm|deploy)/);
    expect(runbook).toMatch(/no command given: stack name "\$\(reboot\)" is not a valid Docker name/);

    const clean = FIXTURE_NODES.map((n) => ({ instance: instance(n.instanceId, n.ip), facts: loadFacts(n.fixture) }));
    const cleanPlan = planRemediation({ hosts: clean, findings: evaluate(clean), now: NOW });
    const stackRunbook = cleanPlan.guidance.flatMap((g) => g.runbook ?? []).join('\n');
    expect(stackRunbook).toContain("docker stack rm 'shop' && docker stack deploy -c <compose file> 'shop'");
  });
});

/** Every string of the steps and guidance (titles, scripts, runbooks, ids) with hostile text appended. */
function poisoned(plan: Plan): Plan {
  const poison = (value: unknown): unknown => {
    if (typeof value === 'string') return `${value}${ESC}${RLO}${ZERO_WIDTH}\u009b\r${FAKE_STEP}`;
    if (Array.isArray(value)) return value.map(poison);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v)]));
    return value;
  };
  return { ...plan, clusters: poison(plan.clusters) as Plan['clusters'], guidance: poison(plan.guidance) as Plan['guidance'] };
}

describe('renderPlan escapes every field', () => {
  const clean = FIXTURE_NODES.map((n) => ({ instance: instance(n.instanceId, n.ip), facts: loadFacts(n.fixture) }));
  const plan = planRemediation({ hosts: clean, findings: evaluate(clean), now: NOW });

  it('a plan whose every string is hostile renders without a raw control, bidi or invisible character', () => {
    const text = renderPlan(poisoned(plan));
    expectSafe(text);
    expect(text).toContain('\\x1b[2J\\u202e\\u200b\\x9b\\x0d');
    // step titles, guidance messages and runbook lines each stay one line
    for (const line of text.split('\n').filter((l) => l.includes('[fake-step]'))) {
      expect(line).toMatch(/\\n {2}9\. \[fake-step\]|^ {6}\| {3}9\. \[fake-step\]/);
    }
  });

  it('a clean plan renders unchanged by the escaping', () => {
    expect(renderPlan(plan)).not.toContain('\\x');
    expect(renderPlan(plan)).not.toContain('\\u');
  });
});

describe('renderBackout escapes the journal\'s text', () => {
  it('titles, ids, scripts and the failure shown escaped', () => {
    const hostile = `${ESC}${RLO}${ZERO_WIDTH}${FAKE_STEP}`;
    const text = renderBackout({
      status: 'failed',
      pending: [{ clusterId: `c${hostile}`, stepId: `s-1${hostile}`, title: `drain worker w1${hostile}`, inverse: { instanceId: `i-1${hostile}`, script: `set -eu\necho ${hostile}` } }],
      failure: { stepId: `s-1${hostile}`, error: `Failed exit 1: docker said ${hostile}` },
    });
    expectSafe(text);
    expect(text).toContain('drain worker w1\\x1b[2J\\u202e\\u200b\\n  9. [fake-step]');
    expect(text).toContain('stopped at s-1\\x1b[2J');
  });
});

describe('the CLI error line', () => {
  function context(): CliContext & { err: () => string } {
    let err = '';
    const sink = (append: (s: string) => void) => new Writable({ write: (chunk: Buffer, _enc, done) => { append(chunk.toString()); done(); } });
    return {
      stdout: sink(() => undefined),
      stderr: sink((s) => (err += s)),
      env: {},
      isTty: false,
      exitCode: 0,
      err: () => err,
    };
  }

  it('is one escaped line, join tokens redacted', async () => {
    const token = 'SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx';
    const ctx = context();
    const code = await main(['backout', '--journal', `/nonexistent/${token}${ESC}${RLO}${ZERO_WIDTH}${FAKE_STEP}`, '--region', 'us-east-1', '--log-level', 'silent'], ctx);
    expect(code).toBe(3);
    const line = ctx.err();
    expect(line.split('\n')).toHaveLength(2);
    expect(line).toMatch(/^swarm-audit: JournalUnreadable: cannot read journal \/nonexistent\/SWMTKN-<redacted>\\x1b\[2J\\u202e\\u200b\\n {2}9\. \[fake-step\]/);
    expectSafe(line);
    expect(line).not.toContain('SWMTKN-1-');
  });
});
