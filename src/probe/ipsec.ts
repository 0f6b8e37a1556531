/** IPsec summary sections: xfrm-policy, xfrm-state and sa-log. */
import { malformed } from './decode-error.js';
import type { IpsecFacts } from './facts.js';
import { contentLines, type ProbeSection, type ProbeSections } from './sections.js';

function counters(section: ProbeSection, pattern: RegExp): RegExpExecArray {
  const lines = contentLines(section);
  const match = lines.length === 1 ? pattern.exec(lines[0]!) : null;
  if (!match) throw malformed(`${section.name}: expected one line like ${pattern.source}`);
  return match;
}

function saLog(section: ProbeSection | undefined): Pick<IpsecFacts, 'saFailures' | 'saLog'> {
  if (!section || section.rc !== 0) return { saFailures: [] };
  const [summary, ...failures] = contentLines(section);
  const match = /^source=(log|journal) count=(\d{1,9})$/.exec(summary ?? '');
  if (!match) throw malformed('sa-log: expected "source=<log|journal> count=<n>" first');
  const matches = Number(match[2]);
  if (failures.length > Math.min(matches, 3)) throw malformed('sa-log: more lines than matches');
  return { saFailures: failures, saLog: { source: match[1] as 'log' | 'journal', matches } };
}

export function ipsecFacts(sections: ProbeSections): IpsecFacts {
  const policy = sections.get('xfrm-policy');
  const state = sections.get('xfrm-state');
  const log = saLog(sections.get('sa-log'));
  if (!policy || !state || policy.rc !== 0 || state.rc !== 0) {
    return { readable: false, espPolicies: 0, espStates: 0, ...log };
  }
  return {
    readable: true,
    espPolicies: Number(counters(policy, /^total=(\d{1,9}) esp-vxlan=(\d{1,9})$/)[2]),
    espStates: Number(counters(state, /^total=(\d{1,9}) esp=(\d{1,9})$/)[2]),
    ...log,
  };
}
