/**
 * Every template parses as POSIX sh (dash -n), every template is used by a
 * step, and every script a plan holds passes shellcheck (skipped only when
 * shellcheck is not installed: apt-get install shellcheck).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TEMPLATE_TEXT, type TemplateName } from '../../../src/remediation/builders/template-text.js';
import { HEADER, templateMark } from '../../../src/remediation/builders/scripts.js';
import { planRemediation } from '../../../src/remediation/plan-remediation.js';
import { fixtureFleet } from '../helpers/fixture-fleet.js';
import { BUILDERS_DIR } from './embed.js';

const names = Object.keys(TEMPLATE_TEXT) as TemplateName[];
const SHARED: TemplateName[] = ['scripts.header', 'scripts.functions'];

/** Every script of plans that hold every step kind. */
function everyScript(): string[] {
  const { hosts, findings } = fixtureFleet();
  const plans = [
    planRemediation({ hosts, findings }),
    planRemediation({ hosts, findings, checks: ['overlay-encryption'], options: { keepName: true, includeIngress: true } }),
    planRemediation({ hosts, findings, checks: ['swarm-published-ports'], options: { unpublish: [{ service: 'hostsvc', port: 9090 }], hostMode: ['web'] } }),
  ];
  const steps = plans.flatMap((p) => p.clusters.flatMap((c) => c.steps));
  return steps.flatMap((s) => [s.script, s.precondition.script, ...(s.inverse ? [s.inverse.script] : []), ...(s.inputs ?? []).map((i) => i.script)]);
}

const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

describe('shell templates', () => {
  const scripts = everyScript();

  test.each(names)('%s.sh parses as POSIX sh (dash -n)', (name) => {
    execFileSync('/bin/sh', ['-n', join(BUILDERS_DIR, `${name}.sh`)]);
  });

  test('every step template is used by some step, and every script is the preamble, its template, its parameters', () => {
    for (const name of names.filter((n) => !SHARED.includes(n))) {
      expect(scripts.some((s) => s.startsWith(`${HEADER}\n${templateMark(name)}\n`))).toBe(true);
    }
    for (const s of scripts) expect(s.startsWith(`${HEADER}\n# `)).toBe(true);
  });

  // SC2317 (a function never called): the preamble defines every shared function, each script calls a few
  (hasShellcheck ? test : test.skip)('every planned script passes shellcheck -s sh', () => {
    for (const script of new Set(scripts)) {
      const out = spawnSync('shellcheck', ['-s', 'sh', '-e', 'SC2317', '-f', 'gcc', '-'], { input: script, encoding: 'utf8' });
      expect({ script: script.split('\n').find((l) => l.startsWith('# ') && l.endsWith('.sh')), findings: out.stdout }).toEqual(expect.objectContaining({ findings: '' }));
      expect(out.status).toBe(0);
    }
  });
});
