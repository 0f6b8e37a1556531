/**
 * Validators with the consumers' own rules: the SARIF 2.1.0 JSON schema,
 * Jenkins xunit's junit-10.xsd (through xmllint, as libxml2 reads it) and our
 * published report schema. Each returns a list of problems, empty when valid.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

// CommonJS modules: under NodeNext the default import is module.exports, whose `default` is the export
const AjvDraft04 = ajvDraft04.default;
const addFormats = ajvFormats.default;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CONSUMERS = join(ROOT, 'test', 'fixtures', 'consumers');
export const JUNIT_XSD = join(CONSUMERS, 'junit-10.xsd');
/** Microsoft's SARIF validator policy for GitHub code scanning: its GH1001-GH1007 rules as errors. */
const GITHUB_POLICY = join(CONSUMERS, 'sarif-sdk-github.config.xml');

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

let sarifValidator: ValidateFunction | undefined;
let reportValidator: ValidateFunction | undefined;

/** Problems of a SARIF log against the official SARIF 2.1.0 schema (draft-04). */
export function sarifSchemaProblems(log: unknown): string[] {
  if (sarifValidator === undefined) {
    // strict off: the schema predates ajv's strict mode; no `u` flag: its language pattern has a stray `]`
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    sarifValidator = ajv.compile(readJson(join(CONSUMERS, 'sarif-2.1.0-rtm.5.json')));
  }
  const validate = sarifValidator;
  return validate(log) ? [] : describe(validate.errors);
}

/** Problems of a JSON report against documents/report.schema.json (draft 2020-12). */
export function reportSchemaProblems(report: unknown): string[] {
  if (reportValidator === undefined) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    reportValidator = ajv.compile(readJson(join(ROOT, 'documents', 'report.schema.json')));
  }
  const validate = reportValidator;
  return validate(report) ? [] : describe(validate.errors);
}

/** xmllint's complaints about an XML document against an XSD; throws when xmllint is not installed. */
export function xsdProblems(xml: string, xsd: string): string[] {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsd, '-'], { input: xml, encoding: 'utf8' });
  if (run.error) throw new Error(`xmllint (Debian package libxml2-utils) is needed: ${run.error.message}`);
  if (run.status === 0) return [];
  return run.stderr.split('\n').filter((line) => line && !line.endsWith(' validates'));
}

interface ValidatorLog {
  runs: { results?: { ruleId: string; level?: string; message: { text?: string } }[] }[];
}

/**
 * What Microsoft's SARIF Multitool (`validate --rule-kind Sarif;Ghas` with the
 * sarif-sdk's GitHub policy) finds wrong with a SARIF log: the SARIF spec rules
 * plus GitHub code scanning's ingestion rules. Every finding counts: errors,
 * warnings and notes alike.
 */
export function codeScanningProblems(sarifText: string): string[] {
  const multitool = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
  const dir = mkdtempSync(join(tmpdir(), 'swarm-audit-sarif-'));
  try {
    const input = join(dir, 'report.sarif');
    const output = join(dir, 'validation.sarif');
    writeFileSync(input, sarifText);
    const run = spawnSync(multitool, ['validate', '--rule-kind', 'Sarif;Ghas', '--config', GITHUB_POLICY, '-o', output, input], {
      encoding: 'utf8',
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    });
    if (run.error || run.status !== 0) throw new Error(`SARIF Multitool failed: ${run.error?.message ?? run.stderr ?? run.stdout}`);
    const log = JSON.parse(readFileSync(output, 'utf8')) as ValidatorLog;
    return (log.runs[0]?.results ?? []).map((r) => `${r.level ?? 'warning'} ${r.ruleId}: ${r.message.text ?? ''}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
