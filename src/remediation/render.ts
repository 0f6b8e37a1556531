/** Text rendering of a plan for review: per cluster and node, every step with its exact shell. */
import type { Plan, RemoteScript, Step } from './plan.js';
import { stepCount } from './plan.js';

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

function renderScript(label: string, s: RemoteScript): string[] {
  const out = [`    ${label} (on ${s.instanceId}):`];
  for (const input of s.inputs ?? []) {
    out.push(`      $${input.name} is fetched first on ${input.instanceId} by: ${input.script.replace(/^set -eu\n/, '')}`);
  }
  out.push(indent(s.script, '      | '));
  return out;
}

function renderStep(step: Step, index: number): string[] {
  const out = [
    `  ${index + 1}. [${step.id}] ${step.title}`,
    `    on:        ${step.instanceId}`,
    `    why:       ${step.why}`,
    `    downtime:  ${step.downtime}`,
    `    checks first: ${step.precondition.expect}`,
    indent(step.precondition.script, '      | '),
  ];
  out.push(...renderScript('runs', step));
  if (step.verify) out.push(`    then verifies: IPsec SAs between every pair of nodes running ${step.verify.service} on ${step.verify.network}`);
  if (step.inverse) out.push(...renderScript('undo', step.inverse));
  else out.push('    undo: nothing to undo (idempotent; earlier steps\' undo restores the state)');
  return out;
}

export function renderPlan(plan: Plan): string {
  const out: string[] = [
    `Remediation plan (${counted(stepCount(plan), 'step')} in ${counted(plan.clusters.length, 'cluster')}), built ${plan.createdAt} from state ${plan.stateHash}`,
    'Dry run: nothing was changed. Apply with: swarm-audit remediate --apply --plan-file <file> --journal <file>',
    '',
  ];
  if (stepCount(plan) === 0) out.push('Nothing to change.', '');
  for (const cluster of plan.clusters) {
    out.push(`Cluster ${cluster.clusterId}:`);
    cluster.steps.forEach((s, i) => out.push(...renderStep(s, i), ''));
  }
  if (plan.guidance.length > 0) {
    out.push('Not planned (guidance):');
    for (const g of plan.guidance) {
      const where = [g.clusterId && `cluster ${g.clusterId}`, g.instanceId, g.resource].filter(Boolean).join(' / ');
      out.push(`  - ${g.checkId}${where ? ` (${where})` : ''}: ${g.message}`);
      for (const line of g.runbook ?? []) out.push(`      ${line}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
