/**
 * IPsec summary sections: xfrm-policy, xfrm-state and sa-log. A section that
 * failed or is absent is recorded as a probe problem with its cause (the
 * probe's stderr: BusyBox's ip without xfrm, no permission, no dockerd log),
 * so "could not read" is never taken for "no SAs" or "no failures".
 */
import { malformed } from './decode-error.js';
import type { IpsecFacts, ProbeProblem } from './facts.js';
import { countValue, readKeyValueRecord, wordValue } from './key-value-record.js';
import { recordSchema, required } from './record-schema.js';
import { contentLines, failureText, type ProbeSection, type ProbeSections } from './sections.js';

const IPSEC_SECTIONS = ['xfrm-policy', 'xfrm-state', 'sa-log'] as const;

/** xfrm-policy: policies in all, and those that template ESP for VXLAN (udp dport 4789). */
export const XFRM_POLICY_RECORD = recordSchema('xfrm-policy', {
  total: required(countValue),
  'esp-vxlan': required(countValue),
});

/** xfrm-state: states (SAs) in all, and those with proto esp. */
export const XFRM_STATE_RECORD = recordSchema('xfrm-state', {
  total: required(countValue),
  esp: required(countValue),
});

/** sa-log's first line; the summarised failure lines follow it as free text. */
export const SA_LOG_RECORD = recordSchema('sa-log', {
  source: required(wordValue(['log', 'journal'] as const)),
  count: required(countValue),
});

function onlyLine(section: ProbeSection): string {
  const lines = contentLines(section);
  if (lines.length !== 1) throw malformed(`${section.name}: expected one line, got ${lines.length}`);
  return lines[0];
}

function saLog(section: ProbeSection): Pick<IpsecFacts, 'saFailures' | 'saLog'> {
  const [summary, ...failures] = contentLines(section);
  if (summary === undefined) throw malformed('sa-log: summary line missing');
  const { source, count } = readKeyValueRecord(SA_LOG_RECORD, summary, 'sa-log');
  if (failures.length > Math.min(count, 3)) throw malformed('sa-log: more lines than matches');
  return { saFailures: failures, saLog: { source, matches: count } };
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
    espPolicies: readKeyValueRecord(XFRM_POLICY_RECORD, onlyLine(policy), 'xfrm-policy')['esp-vxlan'],
    espStates: readKeyValueRecord(XFRM_STATE_RECORD, onlyLine(state), 'xfrm-state').esp,
    ...log,
  };
}
