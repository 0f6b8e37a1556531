/**
 * `swarm-audit checks`: the shipped checks as a table (id, CIS, scope,
 * severity, remediable, title) or as JSON (every catalog field, plus the probe
 * sections the check's facts come from).
 */
import stringWidth from 'string-width';
import { sectionsOf } from '../probe/fact-sections.js';
import { terminalSafe } from '../report/text-safety.js';
import type { CatalogEntry } from './check-catalog.js';

const REMEDIATION_LABEL: Record<CatalogEntry['remediation'], string> = {
  'plans-fixes': 'yes',
  'on-request': 'on request',
  none: 'no',
};

const COLUMNS: readonly { title: string; cell: (entry: CatalogEntry) => string }[] = [
  { title: 'ID', cell: (e) => e.id },
  { title: 'CIS', cell: (e) => e.cis ?? '-' },
  { title: 'SCOPE', cell: (e) => e.scope },
  { title: 'SEVERITY', cell: (e) => e.severity },
  { title: 'REMEDIABLE', cell: (e) => REMEDIATION_LABEL[e.remediation] },
  { title: 'TITLE', cell: (e) => e.title },
];

export function formatCatalogTable(entries: readonly CatalogEntry[]): string {
  const rows = [COLUMNS.map((c) => c.title), ...entries.map((entry) => COLUMNS.map((c) => terminalSafe(c.cell(entry))))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => stringWidth(row[i]))));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - stringWidth(cell)))).join('  ');
  const notes = [
    '',
    'remediable: yes = `swarm-audit remediate` plans fixes for its findings; on request = only the changes named by flags (--unpublish, --host-mode); no = guidance only.',
    'Options per check: `swarm-audit checks --output json` (options), set in the --config file under checks.<id>.',
  ];
  return `${[...rows.map(line), ...notes].join('\n')}\n`;
}

export function formatCatalogJson(entries: readonly CatalogEntry[]): string {
  const checks = entries.map((entry) => ({
    ...entry,
    probeSections: sectionsOf([...entry.reads, ...entry.optionalReads]),
  }));
  return `${JSON.stringify({ checks }, null, 2)}\n`;
}
