/**
 * SSM Command documents: the built-in AWS-RunShellScript plus documents made
 * with CreateDocument (schemaVersion 2.2, JSON, aws:runShellScript steps,
 * parameters with allowedPattern / allowedValues), versioned like AWS:
 * UpdateDocument adds a version, only UpdateDocumentDefaultVersion moves $DEFAULT.
 */
import { createHash } from 'node:crypto';
import { ServiceError } from '../service-error.js';

interface DocumentParameter {
  name: string;
  type: 'String' | 'StringList';
  description?: string;
  default?: string | string[];
  allowedPattern?: string;
  allowedValues?: string[];
}

interface DocumentStep {
  /** The plugin name reported in CommandPlugins[].Name and GetCommandInvocation.PluginName. */
  name: string;
  runCommand: string[];
  workingDirectory?: string;
  timeoutSeconds?: string;
}

export interface DocumentVersion {
  version: number;
  content: string;
  hash: string;
  createdAt: number;
  schemaVersion: string;
  description: string;
  parameters: DocumentParameter[];
  steps: DocumentStep[];
}

export interface StoredDocument {
  name: string;
  owner: string;
  createdAt: number;
  defaultVersion: number;
  versions: DocumentVersion[];
  tags: { Key: string; Value: string }[];
}

/** A step with every {{ parameter }} substituted: ready to run. */
export interface RenderedStep {
  name: string;
  script: string;
  workingDirectory?: string;
  executionTimeoutSeconds: number;
}

const RUN_SHELL_SCRIPT = 'AWS-RunShellScript';
const DEFAULT_EXECUTION_TIMEOUT = 3600;
const STEP_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

const RUN_SHELL_SCRIPT_CONTENT = JSON.stringify(
  {
    schemaVersion: '1.2',
    description: 'Run a shell script or specify the commands to run.',
    parameters: {
      commands: { type: 'StringList', description: '(Required) Specify a shell script or a command to run.', minItems: 1, displayType: 'textarea' },
      workingDirectory: { type: 'String', default: '', description: '(Optional) The path to the working directory on your instance.', maxChars: 4096 },
      executionTimeout: {
        type: 'String',
        default: '3600',
        description: '(Optional) The time in seconds for a command to complete before it is considered to have failed. Default is 3600 (1 hour). Maximum is 172800 (48 hours).',
        allowedPattern: '([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)',
      },
    },
    runtimeConfig: {
      'aws:runShellScript': {
        properties: [
          { id: '0.aws:runShellScript', runCommand: '{{ commands }}', workingDirectory: '{{ workingDirectory }}', timeoutSeconds: '{{ executionTimeout }}' },
        ],
      },
    },
  },
  null,
  2,
);

function builtInRunShellScript(): StoredDocument {
  return {
    name: RUN_SHELL_SCRIPT,
    owner: 'Amazon',
    createdAt: Date.UTC(2017, 0, 1) / 1000,
    defaultVersion: 1,
    tags: [],
    versions: [
      {
        version: 1,
        content: RUN_SHELL_SCRIPT_CONTENT,
        hash: sha256(RUN_SHELL_SCRIPT_CONTENT),
        createdAt: Date.UTC(2017, 0, 1) / 1000,
        schemaVersion: '1.2',
        description: 'Run a shell script or specify the commands to run.',
        parameters: [
          { name: 'commands', type: 'StringList', description: '(Required) Specify a shell script or a command to run.' },
          { name: 'workingDirectory', type: 'String', default: '' },
          {
            name: 'executionTimeout',
            type: 'String',
            default: '3600',
            allowedPattern: '([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)',
          },
        ],
        steps: [
          { name: 'aws:runShellScript', runCommand: ['{{ commands }}'], workingDirectory: '{{ workingDirectory }}', timeoutSeconds: '{{ executionTimeout }}' },
        ],
      },
    ],
  };
}

export class DocumentStore {
  private readonly documents = new Map<string, StoredDocument>();

  constructor(private readonly accountId: string) {
    this.documents.set(RUN_SHELL_SCRIPT, builtInRunShellScript());
  }

  create(name: string, content: string, format: string | undefined, tags: { Key: string; Value: string }[]): StoredDocument {
    if (this.documents.has(name)) throw new ServiceError('DocumentAlreadyExists', 'The specified document already exists.');
    if (/^(aws|amazon|amzn)/i.test(name)) {
      throw new ServiceError('ValidationException', `Document name ${name} is reserved (prefixes aws, amazon, amzn).`);
    }
    const now = Date.now() / 1000;
    const document: StoredDocument = { name, owner: this.accountId, createdAt: now, defaultVersion: 1, tags, versions: [] };
    document.versions.push(parseVersion(1, content, format, now));
    this.documents.set(name, document);
    return document;
  }

  update(name: string, content: string, format: string | undefined, baseVersion: string | undefined): StoredDocument {
    const document = this.get(name);
    if (document.owner === 'Amazon') throw new ServiceError('InvalidDocumentOperation', 'AWS-owned documents cannot be updated.');
    const latest = document.versions[document.versions.length - 1];
    if (baseVersion !== undefined && baseVersion !== '$LATEST' && baseVersion !== String(latest.version)) {
      throw new ServiceError('InvalidDocumentVersion', 'The document version is not valid or does not exist.');
    }
    const parsed = parseVersion(latest.version + 1, content, format, Date.now() / 1000);
    if (parsed.hash === latest.hash) throw new ServiceError('DuplicateDocumentContent', 'The content of the association document matches another document.');
    document.versions.push(parsed);
    return document;
  }

  setDefaultVersion(name: string, version: string): StoredDocument {
    const document = this.get(name);
    document.defaultVersion = this.version(document, version).version;
    return document;
  }

  get(name: string): StoredDocument {
    const shortName = name.includes(':document/') ? name.slice(name.lastIndexOf('/') + 1) : name;
    const document = this.documents.get(shortName);
    if (!document) throw new ServiceError('InvalidDocument', `Document ${name} does not exist in your account.`);
    return document;
  }

  version(document: StoredDocument, requested: string | undefined): DocumentVersion {
    let number: number;
    if (requested === undefined || requested === '$DEFAULT') number = document.defaultVersion;
    else if (requested === '$LATEST') number = document.versions.length;
    else number = Number(requested);
    const found = document.versions[number - 1];
    if (!found) throw new ServiceError('InvalidDocumentVersion', 'The document version is not valid or does not exist.');
    return found;
  }
}

/** Validates SendCommand/CreateAssociation parameters against the document and substitutes them into its steps. */
export function renderSteps(version: DocumentVersion, given: Record<string, string[]> = {}): RenderedStep[] {
  const values = resolveParameters(version, given);
  return version.steps.map((step) => {
    const runCommand = step.runCommand.flatMap((line) => {
      const whole = /^\{\{\s*([A-Za-z0-9_]+)\s*\}\}$/.exec(line);
      if (whole && values.has(whole[1])) return values.get(whole[1])!;
      return [substitute(line, values)];
    });
    const workingDirectory = step.workingDirectory === undefined ? undefined : substitute(step.workingDirectory, values);
    const timeout = step.timeoutSeconds === undefined ? undefined : substitute(step.timeoutSeconds, values);
    return {
      name: step.name,
      script: runCommand.join('\n'),
      workingDirectory: workingDirectory === '' ? undefined : workingDirectory,
      executionTimeoutSeconds: parseExecutionTimeout(timeout),
    };
  });
}

function resolveParameters(version: DocumentVersion, given: Record<string, string[]>): Map<string, string[]> {
  const declared = new Map(version.parameters.map((p) => [p.name, p]));
  for (const name of Object.keys(given)) {
    if (!declared.has(name)) throw new ServiceError('InvalidParameters', `Parameter "${name}" is not defined in the document.`);
  }
  const values = new Map<string, string[]>();
  const missing: string[] = [];
  for (const parameter of version.parameters) {
    const value = given[parameter.name] ?? toList(parameter.default);
    if (value === undefined) {
      missing.push(parameter.name);
      continue;
    }
    if (parameter.type === 'String' && value.length !== 1) {
      throw new ServiceError('InvalidParameters', `Parameter "${parameter.name}" is a String and takes exactly one value.`);
    }
    checkAllowed(parameter, value);
    values.set(parameter.name, value);
  }
  if (missing.length > 0) throw new ServiceError('InvalidParameters', `Parameters required: ${missing.join(', ')}`);
  return values;
}

function checkAllowed(parameter: DocumentParameter, values: string[]): void {
  const pattern = parameter.allowedPattern === undefined ? undefined : new RegExp(`^(?:${parameter.allowedPattern})$`, 'u');
  for (const value of values) {
    if (pattern && !pattern.test(value)) {
      throw new ServiceError(
        'InvalidParameters',
        `Parameter "${parameter.name}" "${value}" failed to satisfy constraint: allowedPattern ${parameter.allowedPattern}`,
      );
    }
    if (parameter.allowedValues && !parameter.allowedValues.includes(value)) {
      throw new ServiceError('InvalidParameters', `Parameter "${parameter.name}" "${value}" is not one of the allowed values.`);
    }
  }
}

function substitute(text: string, values: Map<string, string[]>): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => {
    const value = values.get(name);
    return value === undefined ? whole : value.join(',');
  });
}

function toList(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

/** As the agent: a missing or unparsable value means the default of 3600 seconds. */
function parseExecutionTimeout(value: string | undefined): number {
  const n = value === undefined ? NaN : Number.parseInt(value, 10);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_EXECUTION_TIMEOUT;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function contentError(message: string): never {
  throw new ServiceError('InvalidDocumentContent', message);
}

function parseVersion(version: number, content: string, format: string | undefined, createdAt: number): DocumentVersion {
  if (format !== undefined && format !== 'JSON') {
    contentError(`DocumentFormat ${format} is not supported by the sandbox endpoint; send JSON content.`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    contentError('Document content is not valid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) contentError('Document content must be a JSON object.');
  const d = doc as Record<string, unknown>;
  if (d.schemaVersion !== '2.2') {
    throw new ServiceError('InvalidDocumentSchemaVersion', 'Command documents created here must use schemaVersion 2.2.');
  }
  if (!Array.isArray(d.mainSteps) || d.mainSteps.length === 0) contentError('mainSteps must be a non-empty list.');
  const names = new Set<string>();
  const steps = d.mainSteps.map((raw, i) => {
    const step = parseStep(raw, i);
    if (names.has(step.name)) contentError(`mainSteps[${i}].name ${step.name} is not unique.`);
    names.add(step.name);
    return step;
  });
  return {
    version,
    content,
    hash: sha256(content),
    createdAt,
    schemaVersion: '2.2',
    description: typeof d.description === 'string' ? d.description : '',
    parameters: parseParameters(d.parameters),
    steps,
  };
}

function parseStep(raw: unknown, i: number): DocumentStep {
  if (typeof raw !== 'object' || raw === null) contentError(`mainSteps[${i}] must be an object.`);
  const step = raw as Record<string, unknown>;
  if (step.action !== 'aws:runShellScript') {
    contentError(`mainSteps[${i}].action ${String(step.action)} is not supported by the sandbox (aws:runShellScript only).`);
  }
  if (typeof step.name !== 'string' || !STEP_NAME.test(step.name)) contentError(`mainSteps[${i}].name is missing or invalid.`);
  const inputs = step.inputs as Record<string, unknown> | undefined;
  if (typeof inputs !== 'object' || inputs === null) contentError(`mainSteps[${i}].inputs is required.`);
  const run = inputs.runCommand;
  const runCommand = typeof run === 'string' ? [run] : run;
  if (!Array.isArray(runCommand) || runCommand.some((l) => typeof l !== 'string')) {
    contentError(`mainSteps[${i}].inputs.runCommand must be a string or a list of strings.`);
  }
  const optional = (key: string): string | undefined => {
    const value = inputs[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') contentError(`mainSteps[${i}].inputs.${key} must be a string.`);
    return String(value);
  };
  return { name: step.name, runCommand: runCommand as string[], workingDirectory: optional('workingDirectory'), timeoutSeconds: optional('timeoutSeconds') };
}

function parseParameters(raw: unknown): DocumentParameter[] {
  if (raw === undefined) return [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) contentError('parameters must be an object.');
  return Object.entries(raw as Record<string, unknown>).map(([name, value]) => {
    if (!/^[A-Za-z0-9_]+$/.test(name)) contentError(`Parameter name ${name} is invalid.`);
    const p = value as Record<string, unknown>;
    if (typeof p !== 'object' || p === null) contentError(`parameters.${name} must be an object.`);
    if (p.type !== 'String' && p.type !== 'StringList') contentError(`parameters.${name}.type must be String or StringList in the sandbox.`);
    const parameter: DocumentParameter = { name, type: p.type };
    if (typeof p.description === 'string') parameter.description = p.description;
    if (p.default !== undefined) {
      const ok = p.type === 'String' ? typeof p.default === 'string' : Array.isArray(p.default) && p.default.every((v) => typeof v === 'string');
      if (!ok) contentError(`parameters.${name}.default does not match type ${p.type}.`);
      parameter.default = p.default as string | string[];
    }
    if (p.allowedPattern !== undefined) {
      if (typeof p.allowedPattern !== 'string') contentError(`parameters.${name}.allowedPattern must be a string.`);
      try {
        new RegExp(p.allowedPattern, 'u');
      } catch {
        contentError(`parameters.${name}.allowedPattern is not a valid regular expression.`);
      }
      parameter.allowedPattern = p.allowedPattern;
    }
    if (p.allowedValues !== undefined) {
      if (!Array.isArray(p.allowedValues) || p.allowedValues.some((v) => typeof v !== 'string')) {
        contentError(`parameters.${name}.allowedValues must be a list of strings.`);
      }
      parameter.allowedValues = p.allowedValues as string[];
    }
    if (parameter.default !== undefined) checkAllowedDefault(parameter);
    return parameter;
  });
}

function checkAllowedDefault(parameter: DocumentParameter): void {
  try {
    checkAllowed(parameter, toList(parameter.default)!);
  } catch {
    contentError(`parameters.${parameter.name}.default does not satisfy its own constraints.`);
  }
}
