/**
 * Security Hub (REST-JSON, paths from the 2018-10-26 API model):
 * POST /findings/import = BatchImportFindings, POST /findings = GetFindings.
 * Limits as AWS documents them: 1 to 100 findings per import, each checked
 * on its own (finding-rules.ts) with the refused ones in FailedFindings;
 * GetFindings MaxResults 1 to 100 (default 100) with NextToken paging.
 */
import type { SecurityHubOperation } from '../operations.js';
import { paginate } from '../pagination.js';
import { ServiceError } from '../service-error.js';
import { invalidInput, parseFilters } from './finding-filters.js';
import { findingError, type ImportCaller } from './finding-rules.js';
import type { FindingStore, StoredFinding } from './finding-store.js';

const MAX_FINDINGS_PER_IMPORT = 100;
const MAX_RESULTS = 100;

const PATHS: Record<string, SecurityHubOperation> = {
  '/findings/import': 'BatchImportFindings',
  '/findings': 'GetFindings',
};

/** The operation a POST to `path` is, or undefined when the path is not Security Hub's. */
export function securityHubOperation(path: string): SecurityHubOperation | undefined {
  return Object.hasOwn(PATHS, path) ? PATHS[path] : undefined;
}

export interface SecurityHubRequest {
  findings: FindingStore;
  caller: ImportCaller;
  body: string;
  now: Date;
}

export function handleSecurityHub(operation: SecurityHubOperation, request: SecurityHubRequest): unknown {
  const input = parseBody(request.body);
  return operation === 'BatchImportFindings' ? batchImportFindings(request, input) : getFindings(request, input);
}

function batchImportFindings({ findings, caller, now }: SecurityHubRequest, input: Record<string, unknown>): unknown {
  const list = input.Findings;
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_FINDINGS_PER_IMPORT) {
    throw invalidInput(`Findings must be a list of 1 to ${MAX_FINDINGS_PER_IMPORT} findings, got ${Array.isArray(list) ? list.length : typeof list}`);
  }
  const failed: { Id: string; ErrorCode: string; ErrorMessage: string }[] = [];
  for (const finding of list) {
    const error = findingError(finding, caller);
    if (error) failed.push({ Id: idOf(finding), ...error });
    else findings.upsert(finding as StoredFinding, caller.region, now);
  }
  return { FailedCount: failed.length, SuccessCount: list.length - failed.length, FailedFindings: failed };
}

function getFindings({ findings }: SecurityHubRequest, input: Record<string, unknown>): unknown {
  const maxResults = input.MaxResults ?? MAX_RESULTS;
  if (!Number.isInteger(maxResults) || (maxResults as number) < 1 || (maxResults as number) > MAX_RESULTS) {
    throw invalidInput(`MaxResults must be an integer from 1 to ${MAX_RESULTS}`);
  }
  if (input.SortCriteria !== undefined) throw invalidInput('SortCriteria is not supported by the sandbox endpoint: findings come in import order');
  const matches = parseFilters(input.Filters);
  const selected = findings.all().filter(matches);
  const queryKey = JSON.stringify(input.Filters ?? {});
  const page = paginate(selected, maxResults as number, input.NextToken as string | undefined, queryKey, 'InvalidInputException');
  return { Findings: page.items, ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }) };
}

function parseBody(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ServiceError('InvalidInputException', 'Request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidInput('Request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** FailedFindings name each refused finding by its Id (empty when it had none). */
function idOf(finding: unknown): string {
  const id = (finding as { Id?: unknown } | null)?.Id;
  return typeof id === 'string' && id !== '' ? id : '(no Id)';
}
