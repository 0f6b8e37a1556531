import type { HostFacts, ProbeProblem } from '../probe/facts.js';

/**
 * The probe problem recorded for one of `sections`, if any. Section names are
 * matched loosely ("services", "services-inspect") because a check only needs
 * to know that the data it reads could not be collected.
 */
export function problemFor(facts: HostFacts, ...sections: string[]): ProbeProblem | undefined {
  return problemsFor(facts, ...sections)[0];
}

/** Every probe problem recorded for one of `sections`, matched as problemFor() does. */
export function problemsFor(facts: HostFacts, ...sections: string[]): ProbeProblem[] {
  return facts.problems.filter((problem) =>
    sections.some((section) => problem.section === section || problem.section.startsWith(`${section}-`) || problem.section.startsWith(`${section}.`)),
  );
}
