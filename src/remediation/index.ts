/** Library entry points for `swarm-audit remediate` and `swarm-audit backout`. */
export { planRemediation, parseUnpublish } from './plan-remediation.js';
export { applyExitCode, applyPlan } from './apply.js';
export { backoutJournal, renderBackout } from './backout.js';
export { renderPlan } from './render.js';
export { parsePlan, serializePlan, planDigest } from './saved-plan.js';
export { ssmRemoteShell } from './remote-shell.js';
export { confirmationPolicy } from './confirm.js';
export { auditedHostsOf } from './cluster-view.js';
export { loadSecurityGroupRules } from './security-groups.js';
