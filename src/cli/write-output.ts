import { writeFile } from 'node:fs/promises';
import type { CliContext } from './context.js';

/** stdout carries the report only; --output-file gets the same bytes. */
export async function writeReport(ctx: CliContext, text: string, outputFile?: string): Promise<void> {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  ctx.stdout.write(body);
  if (outputFile) await writeFile(outputFile, body, 'utf8');
}
