/** A plain-text table: one label column, one right-aligned column per variant, section headings. */
export type Row = { heading: string } | { label: string; cells: string[] };

export function renderTable(columns: string[], rows: Row[]): string {
  // Headings sit on their own line: only labels set the width of the first column.
  const labelWidth = Math.max(0, ...rows.map((row) => ('label' in row ? row.label.length + 2 : 0)));
  const widths = columns.map((column, i) =>
    Math.max(column.length, ...rows.map((row) => ('cells' in row ? (row.cells[i] ?? '').length : 0))),
  );
  const line = (label: string, cells: string[]) =>
    [label.padEnd(labelWidth), ...cells.map((cell, i) => cell.padStart(widths[i]))].join('  ').trimEnd();
  return [
    line('', columns),
    ...rows.map((row) => ('heading' in row ? row.heading : line(`  ${row.label}`, row.cells))),
  ].join('\n');
}
