import type { Status } from '../checks/types.js';
import type { AuditReport } from '../engine/report-model.js';
import type { FailOn } from '../engine/exit-code.js';
import type { TagQuery } from '../fleet/tag-query.js';

/** The program that wrote the report (SARIF `tool.driver`, JSON `tool`). */
export interface ToolInfo {
  name: string;
  /** The package version. */
  version: string;
  /** An absolute URI about the tool or its rules. */
  informationUri: string;
}

/** What was audited: known from the command line and the AWS session, not from the hosts. */
export interface AuditTarget {
  regions: string[];
  /** 12 digits; left out when unknown, never a placeholder. */
  accountId?: string;
  tagQuery: TagQuery;
  /** Every (account, region) of a run of several: ASFF then takes each finding's own account and region. */
  scopes?: { accountId?: string; region: string }[];
}

/** Everything a formatter may use besides the report (ESLint's formatter context). */
export interface ReportContext {
  tool: ToolInfo;
  target: AuditTarget;
  /** The exit-code policy: JUnit shows WARN as a failure under "warn", so the job's red is visible. */
  failOn: FailOn;
  /** ANSI colours (table only); the CLI decides it in one place (src/cli/terminal.ts). */
  color: boolean;
  /** The terminal's columns: every table line fits them (cells cut with "…"); absent (a file, a pipe): nothing is cut. */
  width?: number;
  /** Which results the table and markdown list (--status); absent: all. Counts and the exit code always cover every result. */
  statuses?: readonly Status[];
}

/** A formatter turns one report into the text its consumer reads. */
export type Formatter = (report: AuditReport, ctx: ReportContext) => string;
