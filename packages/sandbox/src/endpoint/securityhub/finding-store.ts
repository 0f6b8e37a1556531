/**
 * The findings Security Hub holds, keyed by ProductArn + Id as AWS keys them:
 * importing a finding that exists replaces it (an update: new UpdatedAt,
 * RecordState, Compliance...), as BatchImportFindings does for the finding's
 * provider. Security Hub's own attributes are added on the first import
 * (Workflow NEW) and kept across updates; ProcessedAt is the import time.
 */
export type StoredFinding = Record<string, unknown> & { Id: string; ProductArn: string };

export class FindingStore {
  private readonly findings = new Map<string, StoredFinding>();

  upsert(finding: StoredFinding, region: string, now: Date): void {
    const key = keyOf(finding);
    const previous = this.findings.get(key);
    this.findings.set(key, {
      RecordState: 'ACTIVE',
      ...finding,
      Region: region,
      ProcessedAt: now.toISOString(),
      WorkflowState: previous?.WorkflowState ?? 'NEW',
      Workflow: previous?.Workflow ?? { Status: 'NEW' },
    });
  }

  /** In first-import order. */
  all(): StoredFinding[] {
    return [...this.findings.values()];
  }

  get size(): number {
    return this.findings.size;
  }
}

function keyOf(finding: StoredFinding): string {
  return JSON.stringify([finding.ProductArn, finding.Id]);
}
