/**
 * Writes src/remediation/builders/template-text.ts from the .sh templates
 * beside it (file name without ".sh" -> text). The test in embedding.test.ts
 * compares the two and calls this with SWARM_AUDIT_EMBED_TEMPLATES=1.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BUILDERS_DIR = 'src/remediation/builders';
const EMBEDDED = join(BUILDERS_DIR, 'template-text.ts');

/** Every template on disk, sorted by name. */
export function templatesOnDisk(): Record<string, string> {
  const names = readdirSync(BUILDERS_DIR).filter((f) => f.endsWith('.sh')).sort();
  return Object.fromEntries(names.map((f) => [f.slice(0, -'.sh'.length), readFileSync(join(BUILDERS_DIR, f), 'utf8')]));
}

function embeddedSource(templates: Record<string, string>): string {
  const entries = Object.entries(templates).map(([name, text]) => `  ${JSON.stringify(name)}:\n    ${JSON.stringify(text)},`);
  return [
    '/**',
    ' * The shell templates beside the builders (src/remediation/builders/*.sh),',
    ' * embedded as text so the compiled package carries them without reading files',
    ' * at run time (as src/probe/script.ts does for the probe). Generated, do not',
    ' * edit: test/remediation/templates/embedding.test.ts fails when this differs',
    ' * from the .sh files; SWARM_AUDIT_EMBED_TEMPLATES=1 npx jest',
    ' * test/remediation/templates/embedding.test.ts rewrites it.',
    ' */',
    'export const TEMPLATE_TEXT = {',
    ...entries,
    '} as const;',
    '',
    'export type TemplateName = keyof typeof TEMPLATE_TEXT;',
    '',
  ].join('\n');
}

export function embed(): void {
  writeFileSync(EMBEDDED, embeddedSource(templatesOnDisk()));
}
