/**
 * Golden files in test/fixtures/report-golden/. A test compares the output
 * byte for byte; `UPDATE_GOLDEN=1` rewrites the file instead (then review
 * the diff: it is the change a consumer sees).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'report-golden');

/** The golden text for `name`, after rewriting it when UPDATE_GOLDEN=1. */
export function golden(name: string, actual: string): string {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  return readFileSync(path, 'utf8');
}
