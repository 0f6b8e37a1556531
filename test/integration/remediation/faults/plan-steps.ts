/**
 * The steps of a dry-run plan, read only through what the CLI shows an
 * operator: the plan file's step ids, kinds and target instances, and from
 * the printed plan the exact script each step runs (the plan file holds
 * intents, not shell). Nothing here imports remediation internals, so the
 * harness keeps working while their shape changes.
 */
export interface PlanStep {
  id: string;
  kind: string;
  instanceId: string;
  /** The script of the step's "runs" block, exactly as sent through SSM (after any fetched inputs). */
  script: string;
}

interface SavedStep {
  id?: unknown;
  kind?: unknown;
  instanceId?: unknown;
}

export function planSteps(planFileText: string, printedPlan: string): PlanStep[] {
  const plan = JSON.parse(planFileText) as { clusters?: { steps?: SavedStep[] }[] };
  const steps = (plan.clusters ?? []).flatMap((c) => c.steps ?? []);
  return steps.map((s, i) => {
    if (typeof s.id !== 'string' || typeof s.kind !== 'string' || typeof s.instanceId !== 'string') {
      throw new Error(`plan file step ${i} lacks a string id, kind or instanceId: ${JSON.stringify(s).slice(0, 200)}`);
    }
    return { id: s.id, kind: s.kind, instanceId: s.instanceId, script: runsBlock(printedPlan, s.id, s.instanceId) };
  });
}

/** The "| " lines under `runs (on INSTANCE):` of the step `[id]`, without the prefix. */
function runsBlock(printed: string, id: string, instanceId: string): string {
  const lines = printed.split('\n');
  const header = lines.findIndex((l) => /^ {2}\d+\. \[/.test(l) && l.includes(`[${id}]`));
  if (header < 0) throw new Error(`the printed plan has no step [${id}]`);
  const next = lines.findIndex((l, i) => i > header && /^ {2}\d+\. \[/.test(l));
  const end = next < 0 ? lines.length : next;
  const runs = lines.findIndex((l, i) => i > header && i < end && l === `    runs (on ${instanceId}):`);
  if (runs < 0) throw new Error(`the printed plan shows no "runs (on ${instanceId})" block for step [${id}]`);
  const script: string[] = [];
  for (const line of lines.slice(runs + 1, end)) {
    if (line.startsWith('      $')) continue; // an input fetched first, on another instance
    if (!line.startsWith('      | ')) break;
    script.push(line.slice('      | '.length));
  }
  if (script.length === 0) throw new Error(`step [${id}] prints an empty script`);
  return script.join('\n');
}
