/**
 * documents/swarm-audit-probe.json is committed, generated from the probe by
 * scripts/generate-documents.ts. These tests fail when it drifts from
 * src/probe/probe.sh or probeCommands() (fix: `npm run documents`), and pin
 * the shape SSM needs: one Linux-only aws:runShellScript step, no parameters.
 */
import { readFileSync } from 'node:fs';
import { DocumentStore, renderSteps } from '../../packages/sandbox/src/endpoint/ssm/documents.js';
import { probeCommands } from '../../src/probe/script.js';
import {
  PROBE_DOCUMENT_PATH,
  PROBE_STEP_NAME,
  PROBE_TIMEOUT_SECONDS,
  generatedDocuments,
  probeDocument,
  renderDocument,
} from '../../scripts/generate-documents.js';

const committedText = readFileSync(PROBE_DOCUMENT_PATH, 'utf8');
const committed = JSON.parse(committedText) as Record<string, any>;
const probeSh = readFileSync('src/probe/probe.sh', 'utf8');

describe('documents/swarm-audit-probe.json is in sync with the probe', () => {
  test('is byte for byte what the generator writes (run `npm run documents` to refresh)', () => {
    expect(committedText).toBe(renderDocument(probeDocument()));
    expect(generatedDocuments().get(PROBE_DOCUMENT_PATH)).toBe(committedText);
  });

  test('runCommand is exactly probe.sh, one line per element', () => {
    const runCommand: string[] = committed.mainSteps[0].inputs.runCommand;
    expect(`${runCommand.join('\n')}\n`).toBe(probeSh);
    expect(runCommand.every((line) => typeof line === 'string' && !line.includes('\n'))).toBe(true);
  });

  test('runCommand is exactly what the AWS-RunShellScript path sends (probeCommands())', () => {
    expect(committed.mainSteps[0].inputs.runCommand).toEqual(probeCommands());
  });
});

describe('documents/swarm-audit-probe.json shape', () => {
  test('a schemaVersion 2.2 Command document with a description and one step, nothing else', () => {
    expect(Object.keys(committed).sort()).toEqual(['description', 'mainSteps', 'schemaVersion']);
    expect(committed.schemaVersion).toBe('2.2');
    expect(typeof committed.description).toBe('string');
    expect(committed.description).toMatch(/read-only/);
    expect(committed.mainSteps).toHaveLength(1);
  });

  test('the step: aws:runShellScript, a valid unique name, Linux only, a bounded timeout', () => {
    const [step] = committed.mainSteps;
    expect(Object.keys(step).sort()).toEqual(['action', 'inputs', 'name', 'precondition']);
    expect(step.action).toBe('aws:runShellScript');
    expect(step.name).toBe(PROBE_STEP_NAME);
    expect(step.name).toMatch(/^[a-zA-Z0-9_.-]{1,128}$/);
    expect(step.precondition).toEqual({ StringEquals: ['platformType', 'Linux'] });
    expect(Object.keys(step.inputs).sort()).toEqual(['runCommand', 'timeoutSeconds']);
    // The agent accepts 5..172800 s; long enough for six docker calls bounded at 20 s each.
    expect(step.inputs.timeoutSeconds).toBe(String(PROBE_TIMEOUT_SECONDS));
    const seconds = Number(step.inputs.timeoutSeconds);
    expect(Number.isInteger(seconds) && seconds >= 5 && seconds <= 172_800).toBe(true);
    expect(probeSh).toMatch(/^SWARM_AUDIT_DOCKER_TIMEOUT=20$/m);
    expect(seconds).toBeGreaterThanOrEqual(6 * 20);
  });

  test('declares no parameters and holds nothing SSM could read as a parameter reference', () => {
    expect(committed.parameters).toBeUndefined();
    // SSM reads {{ name }} in document content as a parameter reference (and may
    // refuse undeclared ones at CreateDocument); the probe's Go templates avoid
    // the bare-word form ({{"\n"}}, {{- else}}, {{- end}}) so none appears.
    expect([...committedText.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[0])).toEqual([]);
    expect(committedText).not.toMatch(/\{\{\s*(ssm|ssm-secure|resolve):/);
  });

  test('fits the 64 KB CreateDocument content quota with room to grow', () => {
    expect(Buffer.byteLength(committedText)).toBeLessThan(32 * 1024);
  });
});

describe('the sandbox endpoint runs the document as the probe', () => {
  test('CreateDocument accepts it and its only step renders to probe.sh, with its timeout', () => {
    const store = new DocumentStore('123456789012');
    const document = store.create('swarm-audit-probe', committedText, 'JSON', []);
    const version = store.version(document, '$DEFAULT');
    expect(version.parameters).toEqual([]);
    const steps = renderSteps(version, {});
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ name: PROBE_STEP_NAME, executionTimeoutSeconds: PROBE_TIMEOUT_SECONDS, workingDirectory: undefined });
    expect(`${steps[0].script}\n`).toBe(probeSh);
  });

  test('SendCommand parameters are refused: the document takes none', () => {
    const store = new DocumentStore('123456789012');
    const version = store.version(store.create('swarm-audit-probe', committedText, 'JSON', []), undefined);
    expect(() => renderSteps(version, { commands: ['id'] })).toThrow(/Parameter "commands" is not defined in the document/);
  });
});
