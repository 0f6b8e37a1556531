/**
 * Splits the probe payload into its sections:
 *   "@@ <name> rc=<code>"         then the step's stdout lines
 *   "@@ <name>.stderr rc=<code>"  then its stderr lines (only when it wrote any)
 * Content lines that began with "@" or the frame tag carry an extra "@@".
 */
import { malformed } from './decode-error.js';

export interface ProbeSection {
  name: string;
  rc: number;
  lines: string[];
  stderr: string[];
}

export type ProbeSections = ReadonlyMap<string, ProbeSection>;

const HEADER = /^@@ ([a-z][a-z0-9-]*)(\.stderr)? rc=(\d{1,3})$/;

function unescape(line: string, lineNumber: number): string {
  if (line.startsWith('@@')) return line.slice(2);
  if (line.startsWith('@')) throw malformed(`payload line ${lineNumber}: unescaped "@" line`);
  return line;
}

export function splitSections(payload: string): ProbeSections {
  const sections = new Map<string, ProbeSection>();
  if (payload === '') return sections;
  if (!payload.endsWith('\n')) throw malformed('payload does not end with a newline');
  const lines = payload.slice(0, -1).split('\n');
  let target: string[] | undefined;
  lines.forEach((line, index) => {
    const header = line.startsWith('@@ ') ? HEADER.exec(line) : null;
    if (line.startsWith('@@ ') && !header) throw malformed(`payload line ${index + 1}: bad section header`);
    if (!header) {
      if (!target) throw malformed('payload does not start with a section header');
      target.push(unescape(line, index + 1));
      return;
    }
    const [, name, isStderr, rcText] = header as unknown as [string, string, string | undefined, string];
    const rc = Number(rcText);
    if (isStderr) {
      const owner = sections.get(name);
      if (!owner || owner.rc !== rc || owner.stderr.length > 0 || target !== owner.lines) {
        throw malformed(`payload line ${index + 1}: stderr of ${name} out of place`);
      }
      target = owner.stderr;
      return;
    }
    if (sections.has(name)) throw malformed(`payload line ${index + 1}: section ${name} appears twice`);
    const section: ProbeSection = { name, rc, lines: [], stderr: [] };
    sections.set(name, section);
    target = section.lines;
  });
  return sections;
}

/** The section's stdout lines without blank ones. */
export function contentLines(section: ProbeSection): string[] {
  return section.lines.filter((line) => line.trim() !== '');
}

/** One line describing why a step failed, for ProbeProblem and error messages. */
export function failureText(section: ProbeSection): string {
  const detail = section.stderr.find((line) => line.trim() !== '')?.trim();
  return detail ? `${detail} (exit ${section.rc})` : `exit ${section.rc}`;
}
