/**
 * `npm run documents`: writes our SSM Command documents under documents/ from
 * their single source of truth, so they cannot drift from what the tool sends
 * with AWS-RunShellScript. `--check` writes nothing and exits 1 when a
 * committed file differs (CI). test/probe/probe-document.test.ts fails on drift too.
 *
 * documents/swarm-audit-probe.json: the read-only probe (src/probe/probe.sh,
 * embedded as probeCommands()) as one aws:runShellScript step, Linux only.
 * It declares no parameters on purpose: a caller allowed to run it
 * (`ssm:SendCommand` on this document's ARN) can run exactly the probe and
 * nothing else. The agent substitutes only declared parameters, so the
 * probe's Go templates (`{{json .ID}}`) reach the shell as written.
 */
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROBE_TIMEOUT_SECONDS, probeCommands } from '../src/probe/script.js';
import { packageRoot } from '../packages/sandbox/src/swarm/paths.js';

/** The document name the README and `--document-name` use. */
export const PROBE_DOCUMENT_NAME = 'swarm-audit-probe';
export const PROBE_DOCUMENT_PATH = 'documents/swarm-audit-probe.json';
/** The plugin name SSM reports (CommandPlugins[].Name, GetCommandInvocation PluginName). */
export const PROBE_STEP_NAME = 'swarmAuditProbe';
export { PROBE_TIMEOUT_SECONDS };

export interface CommandDocument {
  schemaVersion: '2.2';
  description: string;
  mainSteps: {
    action: 'aws:runShellScript';
    name: string;
    precondition: { StringEquals: [string, string] };
    inputs: { timeoutSeconds: string; runCommand: string[] };
  }[];
}

export function probeDocument(): CommandDocument {
  return {
    schemaVersion: '2.2',
    description:
      'swarm-audit read-only host probe (Docker Swarm, CIS Docker Benchmark 7.2 and 7.3). ' +
      'Runs docker read commands and reads kernel state; changes nothing on the instance. ' +
      'Prints one framed SWARM-AUDIT-PROBE/1 record on stdout. ' +
      'Generated from src/probe/probe.sh by scripts/generate-documents.ts: do not edit by hand.',
    mainSteps: [
      {
        action: 'aws:runShellScript',
        name: PROBE_STEP_NAME,
        precondition: { StringEquals: ['platformType', 'Linux'] },
        inputs: { timeoutSeconds: String(PROBE_TIMEOUT_SECONDS), runCommand: probeCommands() },
      },
    ],
  };
}

/** The committed bytes: 2-space JSON and a final newline. */
export function renderDocument(document: object): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Every generated document: path relative to the package root -> content. */
export function generatedDocuments(): Map<string, string> {
  return new Map([[PROBE_DOCUMENT_PATH, renderDocument(probeDocument())]]);
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const root = packageRoot();
  let stale = 0;
  for (const [path, content] of generatedDocuments()) {
    const file = join(root, path);
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) {
      process.stdout.write(`${path}: up to date\n`);
    } else if (check) {
      stale++;
      process.stderr.write(`${path}: out of date; run \`npm run documents\`\n`);
    } else {
      writeFileSync(file, content);
      process.stdout.write(`${path}: written\n`);
    }
  }
  return stale > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  process.exitCode = main(process.argv.slice(2));
}
