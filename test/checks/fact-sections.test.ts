import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { allChecks } from '../../src/checks/registry.js';
import { FACT_KEYS, factUnavailable, problemsOfFact, sectionsOf } from '../../src/probe/fact-sections.js';
import { loadFacts } from './harness.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'probe');
const scenarios = readdirSync(FIXTURES).filter((f) => f.endsWith('.stdout')).map((f) => f.replace(/\.stdout$/, ''));

describe('facts -> probe sections', () => {
  it('every fact a check declares is a known fact', () => {
    for (const check of allChecks) {
      for (const fact of [...check.meta.reads, ...(check.meta.optionalReads ?? [])]) expect(FACT_KEYS).toContain(fact);
    }
  });

  it('derives the sections of a set of facts, each once, in table order', () => {
    expect(sectionsOf(['services'])).toEqual(['services']);
    expect(sectionsOf(['ipsec', 'swarm', 'docker'])).toEqual(['docker', 'version', 'info', 'xfrm-policy', 'xfrm-state', 'sa-log']);
  });

  it.each(scenarios)('every probe problem of the captured fixture %s belongs to a fact (section names agree with the decoder)', (scenario) => {
    const facts = loadFacts(scenario);
    for (const problem of facts.problems) {
      if (problem.section === 'probe') continue; // the probe could not start: the host is not audited at all
      expect([problem.section, FACT_KEYS.filter((fact) => problemsOfFact(facts, fact).includes(problem))]).not.toEqual([problem.section, []]);
    }
  });

  it('names the cause: a problem in the fact\'s sections, else "not collected"', () => {
    const facts = loadFacts('manager-bound');
    expect(factUnavailable(facts, 'services')).toBeUndefined();
    facts.problems.push({ section: 'listeners-ss', message: 'ss: exit 1' });
    expect(factUnavailable(facts, 'listeners')).toBe('listening sockets could not be read: ss: exit 1');
    delete facts.nodes;
    expect(factUnavailable(facts, 'nodes')).toBe('the probe did not collect node list');
    expect(factUnavailable(loadFacts('worker-bound'), 'services')).toBe('the probe did not collect services');
  });
});
