/**
 * IPsec summary sections: xfrm-policy, xfrm-state and sa-log. A section that
 * failed or is absent is recorded as a probe problem with its cause (the
 * probe's stderr: BusyBox's ip without xfrm, no permission, no dockerd log),
 * so "could not read" is never taken for "no SAs" or "no failures".
 */
import { malformed } from './decode-error.js';
import type { IpsecFacts, ProbeProblem } from './facts.js';
import { contentLines, failureText, type ProbeSection, type ProbeSections } from './sections.js';

const IPSEC_SECTIONS = ['xfrm-policy', 'xfrm-state', 'sa-log'] as const;

function counters(section: ProbeSection, pattern: RegExp): RegExpExecArray {
  const lines = contentLines(section);
  const match = lines.length === 1 ? pattern.exec(lines[0]!) : null;
  if (!match) throw malformed(`${section.name}: expected one line like ${pattern.source}`);
  return match;
}

function saLog(section: ProbeSection): Pick<IpsecFacts, 'saFailures' | 'saLog'> {
  const [summary, ...failures] = contentLines(section);
  const match = /^source=(log|journal) count=(\d{1,9})$/.exec(summary ?? '');
  if (!match) throw malformed('sa-log: expected "source=<log|journal> count=<n>" first');
  const matches = Number(match[2]);
  if (failures.length > Math.min(matches, 3)) throw malformed('sa-log: more lines than matches');
  return { saFailures: failures, saLog: { source: match[1] as 'log' | 'journal', matches } };
}

/** The IPsec sections that were read; the others are pushed onto `problems`. */
function readSections(sections: ProbeSections, problems: ProbeProblem[]): Map<string, ProbeSection> {
  const read = new Map<string, ProbeSection>();
  for (const name of IPSEC_SECTIONS) {
    const section = sections.get(name);
    if (section && section.rc === 0) read.set(name, section);
    else problems.push({ section: name, message: section ? failureText(section) : 'not collected' });
  }
  return read;
}

export function ipsecFacts(sections: ProbeSections, problems: ProbeProblem[]): IpsecFacts {
  const read = readSections(sections, problems);
  const log = read.has('sa-log') ? saLog(read.get('sa-log')!) : { saFailures: [] };
  const policy = read.get('xfrm-policy');
  const state = read.get('xfrm-state');
  if (!policy || !state) return { readable: false, espPolicies: 0, espStates: 0, ...log };
  return {
    readable: true,
    espPolicies: Number(counters(policy, /^total=(\d{1,9}) esp-vxlan=(\d{1,9})$/)[2]),
    espStates: Number(counters(state, /^total=(\d{1,9}) esp=(\d{1,9})$/)[2]),
    ...log,
  };
}
