/**
 * Splits the probe payload into its sections:
 *   "@@ <name> rc=<code>"             then the step's stdout lines
 *   "@@ <name> count=<n>"             how many lines the probe wrote for it
 *   "@@ <name>.stderr rc=<code>"      then its stderr lines (only when it wrote any)
 *   "@@ <name>.stderr count=<n>"
 * Content lines that began with "@" or the frame tag carry an extra "@@".
 * A part whose lines do not match its count is a 'count-mismatch' error
 * naming the part: a lost or added line must never read as a missing object.
 */
import { countMismatch, malformed } from './decode-error.js';

export interface ProbeSection {
  name: string;
  rc: number;
  lines: string[];
  stderr: string[];
}

export type ProbeSections = ReadonlyMap<string, ProbeSection>;

const HEADER = /^@@ ([a-z][a-z0-9-]*)(\.stderr)? rc=(\d{1,3})$/;
const COUNT = /^@@ ([a-z][a-z0-9-]*(?:\.stderr)?) count=(\d{1,6})$/;

/** A section's stdout or stderr as it is read. */
interface Part {
  /** "<name>" or "<name>.stderr". */
  label: string;
  section: ProbeSection;
  lines: string[];
}

/** The last part whose count line was read, and content lines found after it. */
interface Closed {
  part: Part;
  count: number;
  stray: number;
}

function unescape(line: string, lineNumber: number): string {
  if (line.startsWith('@@')) return line.slice(2);
  if (line.startsWith('@')) throw malformed(`payload line ${lineNumber}: unescaped "@" line`);
  return line;
}

class SectionReader {
  readonly sections = new Map<string, ProbeSection>();
  private open: Part | undefined;
  private closed: Closed | undefined;

  line(line: string, lineNumber: number): void {
    if (!line.startsWith('@@ ')) return this.content(line, lineNumber);
    const count = COUNT.exec(line);
    if (count) return this.count(count[1], Number(count[2]), lineNumber);
    const header = HEADER.exec(line);
    if (!header) throw malformed(`payload line ${lineNumber}: bad section header`);
    this.end();
    const [, name, isStderr, rcText] = header as unknown as [string, string, string | undefined, string];
    if (isStderr) return this.openStderr(name, Number(rcText), lineNumber);
    if (this.sections.has(name)) throw malformed(`payload line ${lineNumber}: section ${name} appears twice`);
    const section: ProbeSection = { name, rc: Number(rcText), lines: [], stderr: [] };
    this.sections.set(name, section);
    this.open = { label: name, section, lines: section.lines };
  }

  /** The payload ended, or a new section starts: nothing may be left unaccounted for. */
  end(): void {
    if (this.open) throw countMismatch(this.open.label, undefined, this.open.lines.length);
    if (this.closed && this.closed.stray > 0) {
      throw countMismatch(this.closed.part.label, this.closed.count, this.closed.count + this.closed.stray);
    }
  }

  private content(line: string, lineNumber: number): void {
    if (this.open) {
      this.open.lines.push(unescape(line, lineNumber));
    } else if (this.closed) {
      this.closed.stray++;
    } else {
      throw malformed('payload does not start with a section header');
    }
  }

  private count(label: string, count: number, lineNumber: number): void {
    const open = this.open;
    if (!open || open.label !== label) throw malformed(`payload line ${lineNumber}: count line of ${label} out of place`);
    if (open.lines.length !== count) throw countMismatch(label, count, open.lines.length);
    this.closed = { part: open, count, stray: 0 };
    this.open = undefined;
  }

  private openStderr(name: string, rc: number, lineNumber: number): void {
    const owner = this.sections.get(name);
    const previous = this.closed?.part;
    if (!owner || owner.rc !== rc || owner.stderr.length > 0 || previous?.label !== name) {
      throw malformed(`payload line ${lineNumber}: stderr of ${name} out of place`);
    }
    this.open = { label: `${name}.stderr`, section: owner, lines: owner.stderr };
  }
}

export function splitSections(payload: string): ProbeSections {
  if (payload === '') return new Map();
  if (!payload.endsWith('\n')) throw malformed('payload does not end with a newline');
  const reader = new SectionReader();
  payload
    .slice(0, -1)
    .split('\n')
    .forEach((line, index) => reader.line(detached(line), index + 1));
  reader.end();
  return reader.sections;
}

/**
 * A copy of a payload line that does not keep the payload alive: V8 keeps a
 * whole string while any split part or slice of it is referenced, so facts
 * holding a hostname would pin the whole decompressed record (measured on a
 * heap snapshot of 2,000 decoded hosts: every payload was retained, ~25 MB at
 * 10,000). Concatenating then slicing makes V8 flatten into a new string.
 */
function detached(line: string): string {
  return line.length < 13 ? line : (' ' + line).slice(1);
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
