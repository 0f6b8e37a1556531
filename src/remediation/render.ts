/**
 * Text rendering of a plan for review: per cluster and node, every step with
 * its exact shell. Every field may carry host-supplied text (names, labels,
 * Docker's messages), so each goes through the reports' terminal escaping:
 * a reviewer never sees a control sequence, a reordered line or a line
 * break that was not the plan's own.
 */
import { terminalSafe as one, terminalSafeLines } from '../report/text-safety.js';
import type { Plan, RemoteScript, Step } from './plan.js';
import { stepCount } from './plan.js';
import { planDigest } from './saved-plan.js';
import { HEADER, withoutHeader } from './builders/scripts.js';

/** Printed once: every script of a plan or backout starts with it. */
export function renderPreamble(): string[] {
  return ['Every script below runs after this preamble (dockerd must answer; an absent object is told apart from a docker error):', indent(HEADER, '  | '), ''];
}

function indent(text: string, prefix: string): string {
  return terminalSafeLines(text)
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

function renderScript(label: string, s: RemoteScript): string[] {
  const out = [`    ${label} (on ${one(s.instanceId)}):`];
  for (const input of s.inputs ?? []) {
    out.push(`      $${one(input.name)} is fetched first on ${one(input.instanceId)} by: ${one(withoutHeader(input.script))}`);
  }
  out.push(indent(withoutHeader(s.script), '      | '));
  return out;
}

function renderStep(step: Step, index: number): string[] {
  const out = [
    `  ${index + 1}. [${one(step.id)}] ${one(step.title)}`,
    `    on:        ${one(step.instanceId)}`,
    `    why:       ${one(step.why)}`,
    `    downtime:  ${one(step.downtime)}`,
    `    checks first: ${one(step.precondition.expect)}`,
    indent(withoutHeader(step.precondition.script), '      | '),
  ];
  out.push(...renderScript('runs', step));
  if (step.verify) out.push(`    then verifies: IPsec SAs between every pair of nodes running ${one(step.verify.service)} on ${one(step.verify.network)}`);
  if (step.inverse) out.push(...renderScript('undo', step.inverse));
  else out.push('    undo: nothing to undo (idempotent; earlier steps\' undo restores the state)');
  return out;
}

export function renderPlan(plan: Plan): string {
  const out: string[] = [
    `Remediation plan (${counted(stepCount(plan), 'step')} in ${counted(plan.clusters.length, 'cluster')}), built ${one(plan.createdAt)} from state ${one(plan.stateHash)}`,
    `Plan digest: ${planDigest(plan)} (recorded in --plan-file; --apply refuses a file that no longer matches it)`,
    'Dry run: nothing was changed. Apply with: swarm-audit remediate --apply --plan-file <file> --journal <file>',
    '',
  ];
  if (stepCount(plan) === 0) out.push('Nothing to change.', '');
  else out.push(...renderPreamble());
  for (const cluster of plan.clusters) {
    out.push(`Cluster ${one(cluster.clusterId)}:`);
    cluster.steps.forEach((s, i) => out.push(...renderStep(s, i), ''));
  }
  if (plan.guidance.length > 0) {
    out.push('Not planned (guidance):');
    for (const g of plan.guidance) {
      const where = [g.clusterId && `cluster ${g.clusterId}`, g.instanceId, g.resource].filter(Boolean).join(' / ');
      out.push(`  - ${one(g.checkId)}${where ? ` (${one(where)})` : ''}: ${one(g.message)}`);
      for (const line of g.runbook ?? []) out.push(`      ${one(line)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
