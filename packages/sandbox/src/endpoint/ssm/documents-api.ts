/** CreateDocument, UpdateDocument, UpdateDocumentDefaultVersion, DescribeDocument, GetDocument. */
import { ServiceError } from '../service-error.js';
import type { SsmContext } from './context.js';
import type { DocumentVersion, StoredDocument } from './documents.js';
import type { JsonInput } from './input.js';
import { epochSeconds } from './wire-format.js';

const DOCUMENT_NAME = /^[a-zA-Z0-9_\-.]{3,128}$/;
const DOCUMENT_ARN = /^[a-zA-Z0-9_\-.:/]{3,128}$/;
const DOCUMENT_VERSION = /^(\$LATEST|\$DEFAULT|[1-9][0-9]*)$/;

export function createDocument(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const name = input.string('Name', { required: true, pattern: DOCUMENT_NAME })!;
  const content = input.string('Content', { required: true, min: 1 })!;
  const type = input.string('DocumentType') ?? 'Command';
  if (type !== 'Command') throw new ServiceError('InvalidDocument', `DocumentType ${type} is not supported by the sandbox (Command only).`);
  const tags = (input.objectList('Tags', { max: 1000 }) ?? []).map((t) => ({
    Key: t.string('Key', { required: true, min: 1, max: 128 })!,
    Value: t.string('Value', { required: true, max: 256 })!,
  }));
  const document = ctx.documents.create(name, content, input.string('DocumentFormat'), tags);
  return { DocumentDescription: describe(document, document.versions[0]) };
}

export function updateDocument(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const name = input.string('Name', { required: true, pattern: DOCUMENT_NAME })!;
  const content = input.string('Content', { required: true, min: 1 })!;
  const base = input.string('DocumentVersion', { pattern: DOCUMENT_VERSION });
  const document = ctx.documents.update(name, content, input.string('DocumentFormat'), base);
  return { DocumentDescription: describe(document, document.versions[document.versions.length - 1]) };
}

export function updateDocumentDefaultVersion(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const name = input.string('Name', { required: true, pattern: DOCUMENT_NAME })!;
  const version = input.string('DocumentVersion', { required: true, pattern: /^[1-9][0-9]*$/ })!;
  const document = ctx.documents.setDefaultVersion(name, version);
  return { Description: { Name: document.name, DefaultVersion: String(document.defaultVersion) } };
}

export function describeDocument(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const name = input.string('Name', { required: true, pattern: DOCUMENT_ARN })!;
  const document = ctx.documents.get(name);
  const version = ctx.documents.version(document, input.string('DocumentVersion', { pattern: DOCUMENT_VERSION }));
  return { Document: describe(document, version) };
}

export function getDocument(ctx: SsmContext, input: JsonInput): Record<string, unknown> {
  const name = input.string('Name', { required: true, pattern: DOCUMENT_ARN })!;
  const format = input.string('DocumentFormat');
  if (format !== undefined && format !== 'JSON') {
    throw new ServiceError('InvalidDocumentOperation', 'The sandbox serves documents as JSON only.');
  }
  const document = ctx.documents.get(name);
  const version = ctx.documents.version(document, input.string('DocumentVersion', { pattern: DOCUMENT_VERSION }));
  return {
    Name: document.name,
    CreatedDate: version.createdAt,
    DocumentVersion: String(version.version),
    Status: 'Active',
    Content: version.content,
    DocumentType: 'Command',
    DocumentFormat: 'JSON',
  };
}

function describe(document: StoredDocument, version: DocumentVersion): Record<string, unknown> {
  return {
    Hash: version.hash,
    HashType: 'Sha256',
    Name: document.name,
    Owner: document.owner,
    CreatedDate: epochSeconds(version.createdAt * 1000),
    Status: 'Active',
    DocumentVersion: String(version.version),
    Description: version.description,
    Parameters: version.parameters.map((p) => ({
      Name: p.name,
      Type: p.type,
      Description: p.description ?? '',
      ...(p.default !== undefined ? { DefaultValue: Array.isArray(p.default) ? JSON.stringify(p.default) : p.default } : {}),
    })),
    PlatformTypes: ['Linux', 'MacOS'],
    DocumentType: 'Command',
    SchemaVersion: version.schemaVersion,
    LatestVersion: String(document.versions.length),
    DefaultVersion: String(document.defaultVersion),
    DocumentFormat: 'JSON',
    Tags: document.tags,
  };
}
