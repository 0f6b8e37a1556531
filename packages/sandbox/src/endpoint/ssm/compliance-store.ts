/** Compliance items per (resource, compliance type), replaced (COMPLETE) or merged (PARTIAL) like AWS. */
export interface ComplianceItemRecord {
  ComplianceType: string;
  ResourceType: string;
  ResourceId: string;
  Id: string;
  Title: string;
  Status: string;
  Severity: string;
  ExecutionSummary: { ExecutionTime: number; ExecutionId?: string; ExecutionType?: string };
  Details: Record<string, string>;
}

export class ComplianceStore {
  private readonly byResourceAndType = new Map<string, ComplianceItemRecord[]>();

  put(resourceId: string, complianceType: string, items: ComplianceItemRecord[], uploadType: 'COMPLETE' | 'PARTIAL'): void {
    const key = `${resourceId}\u0000${complianceType}`;
    if (uploadType === 'COMPLETE') {
      this.byResourceAndType.set(key, items);
      return;
    }
    const merged = new Map((this.byResourceAndType.get(key) ?? []).map((i) => [i.Id, i]));
    for (const item of items) merged.set(item.Id, item);
    this.byResourceAndType.set(key, [...merged.values()]);
  }

  all(): ComplianceItemRecord[] {
    return [...this.byResourceAndType.values()].flat();
  }
}
