/**
 * How a report looks on stdout, decided here and nowhere else: colours only
 * on a terminal, and not with NO_COLOR (any non-empty value, no-color.org)
 * or --no-color; the terminal's width for the table. A report written to a
 * file, or to a pipe, gets neither.
 */
import { noColorRequested } from '../util/no-color.js';
import type { CliContext } from './context.js';

export interface StdoutStyle {
  color: boolean;
  /** Columns of the terminal; absent off a terminal (nothing is cut). */
  width?: number;
}

export const FILE_STYLE: StdoutStyle = { color: false };

export function stdoutStyle(ctx: Pick<CliContext, 'isTty' | 'env' | 'stdout'>, colorFlag: boolean): StdoutStyle {
  if (!ctx.isTty) return FILE_STYLE;
  const columns = (ctx.stdout as { columns?: number }).columns;
  return {
    color: colorFlag && !noColorRequested(ctx.env),
    ...(columns !== undefined && columns > 0 ? { width: columns } : {}),
  };
}
