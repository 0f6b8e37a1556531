/**
 * Column widths for a text table that must fit a terminal line: widths in
 * terminal columns (string-width: East Asian wide characters count 2,
 * combining marks 0), cells cut with an ellipsis (cli-truncate), never
 * wrapped. The last column (the message) gets what the others leave, but
 * never less than its minimum.
 */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

export interface ColumnSpec {
  header: string;
  /** Narrowest this column is cut to; absent: never cut (the status). */
  min?: number;
  /** No column is cut below its `min` while another is wider than its `keep` (a whole instance id, say). */
  keep?: number;
}

export const COLUMN_GAP = 2;

/**
 * The width of each column. `width` undefined (a file, a pipe): every column
 * as wide as its widest cell. Otherwise the widest cuttable column is cut one
 * column at a time until the last column's minimum fits, then the last column
 * gets the rest (at most what its cells need). Columns are cut to their
 * `keep` width first, and below it to `min` only when that is not enough. A
 * terminal narrower than the sum of the minimums gets the minimums: the table
 * stays readable and the terminal wraps it.
 */
export function columnWidths(specs: readonly ColumnSpec[], rows: readonly string[][], width?: number): number[] {
  const natural = specs.map((spec, column) => Math.max(stringWidth(spec.header), ...rows.map((row) => stringWidth(row[column]))));
  if (width === undefined) return natural;
  const last = specs.length - 1;
  const budget = width - COLUMN_GAP * last;
  const widths = [...natural];
  const lastMin = Math.min(natural[last], specs[last].min ?? natural[last]);
  const leading = () => widths.slice(0, last).reduce((sum, w) => sum + w, 0);
  for (const floor of [(spec: ColumnSpec) => spec.keep ?? spec.min, (spec: ColumnSpec) => spec.min]) {
    while (leading() + lastMin > budget) {
      const widest = widestCuttable(specs.map(floor), widths, last);
      if (widest === undefined) break;
      widths[widest] = widths[widest] - 1;
    }
  }
  widths[last] = Math.max(lastMin, Math.min(natural[last], budget - leading()));
  return widths;
}

function widestCuttable(floors: readonly (number | undefined)[], widths: number[], last: number): number | undefined {
  let widest: number | undefined;
  for (let column = 0; column < last; column++) {
    const floor = floors[column];
    if (floor === undefined || widths[column] <= floor) continue;
    if (widest === undefined || widths[column] > widths[widest]) widest = column;
  }
  return widest;
}

/** The cell cut to `width` columns with "…" and padded to exactly `width` (wide characters may leave one column short of the cut). */
export function fitCell(text: string, width: number): string {
  const cut = stringWidth(text) > width ? cliTruncate(text, width, { position: 'end' }) : text;
  return cut + ' '.repeat(Math.max(0, width - stringWidth(cut)));
}

/** A line cut to `width` columns with "…"; unchanged without a width. */
export function fitLine(text: string, width?: number): string {
  return width === undefined || stringWidth(text) <= width ? text : cliTruncate(text, width, { position: 'end' });
}
