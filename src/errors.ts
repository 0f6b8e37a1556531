/**
 * Typed errors with a stable code and a source, so the CLI can print a
 * one-line cause and pick the exit code (the AWS CDK toolkit's pattern).
 */
export type ErrorSource = 'user' | 'aws' | 'tool' | 'scope';

export class SwarmAuditError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly source: ErrorSource,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SwarmAuditError';
  }
}

/** Bad flags, bad configuration or a fleet file that does not validate. */
export class UsageError extends SwarmAuditError {
  constructor(message: string, code = 'Usage', options?: { cause?: unknown }) {
    super(code, message, 'user', options);
    this.name = 'UsageError';
  }
}

/** AWS refused or failed a call we could not recover from (credentials, permissions, limits). */
export class AwsError extends SwarmAuditError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, 'aws', options);
    this.name = 'AwsError';
  }
}

/** A defect or an environment problem inside swarm-audit itself. */
export class ToolError extends SwarmAuditError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, 'tool', options);
    this.name = 'ToolError';
  }
}

/**
 * The query selected nothing the audit could look at (no instance matched, or
 * every match was skipped): the run is incomplete, never a silent pass.
 */
export class NothingToAuditError extends SwarmAuditError {
  constructor(code: 'NoInstanceMatched' | 'NoInstanceAuditable', message: string) {
    super(code, message, 'scope');
    this.name = 'NothingToAuditError';
  }
}
