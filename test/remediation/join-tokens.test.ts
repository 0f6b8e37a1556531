/**
 * Join tokens: every rejoin is followed, on the manager that handed the token
 * out, by a rotation of that token (forward and backout); failure text and
 * errors that could quote the token are redacted before anyone journals them.
 */
import { describe, expect, it } from '@jest/globals';
import { AwsError } from '../../src/errors.js';
import type { CommandOutcome } from '../../src/fleet/outcome.js';
import { planRemediation } from '../../src/remediation/plan-remediation.js';
import type { Step } from '../../src/remediation/plan.js';
import { describeFailure, type RemoteShell } from '../../src/remediation/remote-shell.js';
import { runRemoteScript } from '../../src/remediation/run-script.js';
import { fixtureFleet } from './helpers/fixture-fleet.js';

const TOKEN = 'SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx';
const lastLine = (script: string) => script.trimEnd().split('\n').at(-1);

describe('join token rotation in the plan', () => {
  const { hosts, findings } = fixtureFleet();
  const steps: Step[] = planRemediation({ hosts, findings, checks: ['swarm-listen-address'], now: new Date(0) }).clusters.flatMap((c) => c.steps);
  const rejoins = steps.filter((s) => s.kind === 'node-rejoin');

  it('plans rejoins for the fixture (a worker and a manager)', () => {
    expect(rejoins).toHaveLength(2);
  });

  it('after each rejoin, the settle step on the manager that gave the token rotates the role it gave, as its last action', () => {
    for (const rejoin of rejoins) {
      const [input] = rejoin.inputs!;
      const role = /^# swarm-listen-address\.join-token\.sh\nJOIN_ROLE='(worker|manager)'$/m.exec(input.script)![1];
      const settle = steps[steps.indexOf(rejoin) + 1];
      expect(settle.kind).toBe('node-settle');
      expect(settle.instanceId).toBe(input.instanceId);
      expect(settle.script).toContain(`\nJOIN_ROLE='${role}'\n`);
      expect(lastLine(settle.script)).toBe('docker swarm join-token --rotate -q "$JOIN_ROLE" >/dev/null');
      expect(settle.why).toMatch(new RegExp(`${role} join token it used is rotated`));
    }
  });

  it('backout rotates too: the drain\'s undo, which runs after the rejoin\'s undo has used a token, ends with the rotation', () => {
    for (const rejoin of rejoins) {
      expect(rejoin.inverse!.inputs).toEqual(rejoin.inputs);
      const drain = steps[steps.indexOf(rejoin) - 1];
      expect(drain.kind).toBe('node-drain');
      expect(drain.inverse!.script).toContain("\nJOIN_ROLE='worker'\n");
      expect(lastLine(drain.inverse!.script)).toBe('docker swarm join-token --rotate -q "$JOIN_ROLE" >/dev/null');
    }
  });
});

/** A shell that answers the token fetch with a token and the step itself with `step`. */
function shell(step: () => Promise<CommandOutcome>): RemoteShell & { scripts: string[] } {
  const scripts: string[] = [];
  return {
    scripts,
    async run(instanceId, script) {
      scripts.push(script);
      if (script.includes('join-token -q')) return { instanceId, status: 'Success', responseCode: 0, stdout: `${TOKEN}\n`, stderr: '', stdoutComplete: true };
      return step();
    },
  };
}

const rejoin = {
  instanceId: 'i-2',
  script: 'set -eu\ndocker swarm join --token "$JOIN_TOKEN" 10.0.0.1:2377',
  inputs: [{ name: 'JOIN_TOKEN', instanceId: 'i-1', script: 'set -eu\ndocker swarm join-token -q worker', pattern: '^SWMTKN-1-[a-z0-9]{40,60}-[a-z0-9]{20,30}$' }],
};

describe('redaction where outputs become text', () => {
  it('the step receives the token; a failure quoting it is described redacted', async () => {
    const sh = shell(async () => ({ instanceId: 'i-2', status: 'Failed', responseCode: 1, stdout: '', stderr: `+ docker swarm join --token ${TOKEN} 10.0.0.1:2377\nError: join failed`, stdoutComplete: true }));
    const out = await runRemoteScript(sh, rejoin);
    expect(sh.scripts[1]).toContain(`JOIN_TOKEN='${TOKEN}'`);
    const text = describeFailure(out);
    expect(text).not.toContain('SWMTKN-1-');
    expect(text).toContain('--token SWMTKN-<redacted> 10.0.0.1:2377 | Error: join failed');
  });

  it('an error quoting the script keeps its class and code, with message and stack redacted', async () => {
    const sh = shell(async () => {
      throw new AwsError('ValidationException', `1 validation error: commands '${sh.scripts[1]}' too long`);
    });
    const err = await runRemoteScript(sh, rejoin).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsError);
    expect(err).toMatchObject({ code: 'ValidationException' });
    expect((err as Error).message).toContain("JOIN_TOKEN='SWMTKN-<redacted>'");
    expect(`${(err as Error).message}${(err as Error).stack}`).not.toContain('SWMTKN-1-');
  });
});
