/**
 * What is known about a check, joined from the two places that own it: the
 * check's own meta (src/checks/<id>/) and whether remediation has a builder
 * for it (src/remediation/builders/registry.ts). Checks never import
 * remediation; this module is where both meet, for the reports and for
 * `swarm-audit checks`.
 */
import type { Check } from '../checks/types.js';
import type { ReportedCheck } from '../engine/report-model.js';
import type { FactKey } from '../probe/fact-sections.js';
import { isRemediable, remediationOf, type RemediationKind } from '../remediation/builders/registry.js';

/** A check's metadata as every report carries it. */
export function reportedCheck(check: Check): ReportedCheck {
  const { id, title, cis, severity, scope, description } = check.meta;
  return { id, title, ...(cis === undefined ? {} : { cis }), severity, scope, remediable: isRemediable(id), description };
}

export interface CatalogEntry extends ReportedCheck {
  /** How `remediate` handles it: plans fixes, plans only what the operator names, or not at all. */
  remediation: RemediationKind | 'none';
  reads: readonly FactKey[];
  optionalReads: readonly FactKey[];
  /** The option names of checks.<id> in the config file. */
  options: string[];
}

export function catalogEntry(check: Check): CatalogEntry {
  const properties = (check.optionsSchema?.['properties'] ?? {}) as Record<string, unknown>;
  return {
    ...reportedCheck(check),
    remediation: remediationOf(check.meta.id) ?? 'none',
    reads: check.meta.reads,
    optionalReads: check.meta.optionalReads ?? [],
    options: Object.keys(properties),
  };
}
