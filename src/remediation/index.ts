/** Library entry points for `swarm-audit remediate` and `swarm-audit backout`. */
export { planRemediation, parseUnpublish, REMEDIABLE_CHECKS, type PlanInput } from './plan-remediation.js';
export { applyExitCode, applyPlan, FORCE_SA_WARNING, type ApplyDeps, type ApplyOptions, type ApplyResult, type ClusterOutcome } from './apply.js';
export { backoutJournal, renderBackout, type BackoutDeps, type BackoutResult } from './backout.js';
export { renderPlan } from './render.js';
export { stepCount, PLAN_SCHEMA_VERSION, DEFAULT_PLAN_OPTIONS } from './plan.js';
export { parsePlan, serializePlan, planDigest, type SavedPlan } from './saved-plan.js';
export type { Plan, PlanOptions, PlannedStep, Step, ClusterPlan, Guidance, RemoteScript, StepInput } from './plan.js';
export { stateHash, stateSnapshot, canonicalJson } from './state-hash.js';
export { readJournal, parseJournal, pendingUndos, JournalWriter, type JournalRecord } from './journal.js';
export { ssmRemoteShell, type RemoteShell } from './remote-shell.js';
export { localNetnsShell } from './local-netns-shell.js';
export { confirmationPolicy, type Confirm } from './confirm.js';
export { auditedHostsOf, clusterViews, type ProbedHost } from './cluster-view.js';
export { loadSecurityGroupRules } from './security-groups.js';
export { ipsecPrecheck, type SecurityGroupRules } from './ipsec.js';
