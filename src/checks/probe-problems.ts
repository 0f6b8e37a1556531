import type { HostFacts, ProbeProblem } from '../probe/facts.js';

/**
 * The probe problem recorded for one of `sections`, if any. Section names are
 * matched loosely ("services", "services-inspect") because a check only needs
 * to know that the data it reads could not be collected.
 */
export function problemFor(facts: HostFacts, ...sections: string[]): ProbeProblem | undefined {
  return facts.problems.find((problem) =>
    sections.some((section) => problem.section === section || problem.section.startsWith(`${section}-`) || problem.section.startsWith(`${section}.`)),
  );
}
