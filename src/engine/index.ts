export { evaluateFleet, type EvaluateFleetInput } from './evaluate.js';
export { exitCodeFor, type FailOn } from './exit-code.js';
export type { HostInput, HostProbe } from './host-input.js';
export { REPORT_SCHEMA_VERSION, type AuditReport, type InstanceReport, type StatusCounts } from './report-model.js';
