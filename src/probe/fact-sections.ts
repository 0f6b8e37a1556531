/**
 * Which probe sections each fact of HostFacts comes from, so the engine can
 * derive from the selected checks' `reads` which sections matter: a problem
 * in a section no selected check reads is not a reason for any ERROR, and a
 * problem in one a check needs is an ERROR for that check only.
 *
 * Section names are those ProbeProblem.section carries (decode.ts, ipsec.ts);
 * a problem named "<section>-<part>" or "<section>.<part>" belongs to
 * <section> ("listeners-ss" is listeners). This table is the only place that
 * matches problems to facts (checks, engine and manager choice use it).
 *
 * The probe still runs every section: sectionsOf() over the selected checks'
 * facts is the list a sections parameter of probe.sh would take, were one
 * added (it would also change the SSM document's parameters).
 */
import type { HostFacts, ProbeProblem } from './facts.js';

interface FactSource {
  /** Probe sections the fact is decoded from. */
  sections: readonly string[];
  /** How a person names it in "<label> could not be read". */
  label: string;
  /** Whether the decoded facts hold it (a manager-only list is absent on a worker). */
  collected(facts: HostFacts): boolean;
}

const FACT_SOURCES = {
  docker: { sections: ['docker', 'version', 'info'], label: 'docker engine facts', collected: (f) => f.docker.reachable },
  swarm: { sections: ['info'], label: 'swarm state', collected: (f) => f.swarm !== undefined },
  /** swarm.state: docker-state.json, read best-effort (absent when unreadable, with a 'state' problem). */
  swarmState: { sections: ['state'], label: 'swarm/docker-state.json', collected: (f) => f.swarm?.state !== undefined },
  hostname: { sections: ['meta'], label: 'hostname', collected: (f) => f.hostname !== undefined },
  listeners: { sections: ['listeners'], label: 'listening sockets', collected: (f) => f.listenerSource !== 'none' },
  services: { sections: ['services'], label: 'services', collected: (f) => f.services !== undefined },
  networks: { sections: ['networks'], label: 'networks', collected: (f) => f.networks !== undefined },
  nodes: { sections: ['nodes'], label: 'node list', collected: (f) => f.nodes !== undefined },
  tasks: { sections: ['tasks'], label: 'task placement', collected: (f) => f.tasks !== undefined },
  ipsec: { sections: ['xfrm-policy', 'xfrm-state', 'sa-log'], label: 'IPsec state', collected: (f) => f.ipsec?.readable === true },
} as const satisfies Record<string, FactSource>;

/** A fact a check can declare in its meta (`reads`, `optionalReads`): a HostFacts key, or swarmState (swarm.state). */
export type FactKey = keyof typeof FACT_SOURCES;

export const FACT_KEYS = Object.keys(FACT_SOURCES) as FactKey[];

/** The probe sections the facts come from, without repeats, in table order. */
export function sectionsOf(facts: Iterable<FactKey>): string[] {
  const wanted = new Set(facts);
  return [...new Set(FACT_KEYS.filter((key) => wanted.has(key)).flatMap((key) => FACT_SOURCES[key].sections))];
}

function inSection(problem: ProbeProblem, section: string): boolean {
  return problem.section === section || problem.section.startsWith(`${section}-`) || problem.section.startsWith(`${section}.`);
}

/** The probe problems recorded for the sections `fact` is decoded from. */
export function problemsOfFact(facts: HostFacts, fact: FactKey): ProbeProblem[] {
  const sections = FACT_SOURCES[fact].sections;
  return facts.problems.filter((problem) => sections.some((section) => inSection(problem, section)));
}

/** Why `fact` cannot be used on this host (a problem in its sections, or not collected at all), or undefined when it can. */
export function factUnavailable(facts: HostFacts, fact: FactKey): string | undefined {
  const source = FACT_SOURCES[fact];
  const problem = problemsOfFact(facts, fact)[0];
  if (problem) return `${source.label} could not be read: ${problem.message}`;
  if (!source.collected(facts)) return `the probe did not collect ${source.label}`;
  return undefined;
}
