/**
 * The documentation check every check folder passes: an index.ts, a README
 * whose title names the check, says which facts it reads and names each of
 * its options, and whose "Remediable:" line (when it has one) agrees with the
 * remediation registry; and a test file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogEntry } from '../../src/catalog/check-catalog.js';
import type { Check } from '../../src/checks/types.js';

const REMEDIABLE_WORDING = { 'plans-fixes': /^yes\b/, 'on-request': /^on request\b/, none: /^no\b/ } as const;

export function documentationProblems(check: Check, folder: string, testFile: string): string[] {
  const problems: string[] = [];
  const id = check.meta.id;
  if (!existsSync(join(folder, 'index.ts'))) problems.push(`${id}: no index.ts in ${folder}`);
  if (!existsSync(testFile)) problems.push(`${id}: no test file ${testFile}`);
  const readmePath = join(folder, 'README.md');
  if (!existsSync(readmePath)) return [...problems, `${id}: no README.md in ${folder}`];
  const readme = readFileSync(readmePath, 'utf8');
  if (!new RegExp(`^# ${id}\\b`, 'm').test(readme)) problems.push(`${id}: README.md does not start with "# ${id}"`);
  const readsLine = /^Reads: (.*)$/m.exec(readme)?.[1];
  if (readsLine === undefined) problems.push(`${id}: README.md has no "Reads:" line`);
  for (const fact of check.meta.reads) {
    if (readsLine !== undefined && !readsLine.includes(`\`${fact}\``)) problems.push(`${id}: README.md "Reads:" does not name \`${fact}\``);
  }
  const entry = catalogEntry(check);
  for (const option of entry.options) {
    if (!readme.includes(`\`${option}\``)) problems.push(`${id}: README.md does not document its option \`${option}\``);
  }
  const remediable = /Remediable: \**([^*\n]*)/.exec(readme)?.[1];
  if (remediable !== undefined && !REMEDIABLE_WORDING[entry.remediation].test(remediable.trim())) {
    problems.push(`${id}: README.md says "Remediable: ${remediable.trim()}" but the remediation registry says ${entry.remediation}`);
  }
  return problems;
}
