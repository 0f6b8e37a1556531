/**
 * The scripts every step runs come from the shell templates beside the
 * builders (*.sh, embedded in template-text.ts): the shared preamble, then the
 * step's parameters as single-quoted assignments (quote.ts shQuote, the one
 * quoting function), then the template's body, which reads them only as
 * "$NAME". No value is ever written into a template's text, and nothing from
 * Docker output is ever evaluated. Each script is idempotent: it checks
 * whether its effect is already in place and exits 0 without acting.
 */
import type { NetworkFacts } from '../../probe/facts.js';
import { envName, shQuote } from '../quote.js';
import { TEMPLATE_TEXT, type TemplateName } from './template-text.js';

/**
 * How long every script waits for dockerd (and, on a manager, the swarm
 * control plane) to answer before it fails. A sandbox manager's dockerd
 * restart with swarm state took 3.5 s to 17.4 s (five restarts, the machine
 * loaded); 60 s is over three times the slowest, for hosts with more
 * containers to stop (README "Daemon checks").
 */
export const DAEMON_WAIT_SECONDS = 60;

/** A precondition or input script: the daemon wait, then a few quick docker calls. */
export const CHECK_TIMEOUT_MS = (DAEMON_WAIT_SECONDS + 60) * 1000;

/** A value a template reads: a list becomes one line per element; undefined, an empty string. */
export type ScriptParam = string | number | boolean | readonly string[] | undefined;

/** Parameters a template reads without the builder passing them: fetched inputs, assigned before the script (run-script.ts). */
const INPUT_PARAMS = new Set(['JOIN_TOKEN']);

/** A template's text without its leading comment block (the documentation stays in the .sh file). */
function templateBody(name: TemplateName): string {
  const lines = TEMPLATE_TEXT[name].replace(/\n$/, '').split('\n');
  const first = lines.findIndex((line) => !line.startsWith('#'));
  return lines.slice(first === -1 ? lines.length : first).join('\n');
}

function assignment(name: string, value: ScriptParam): string {
  const text = value === undefined ? '' : typeof value === 'object' ? value : String(value);
  return `${envName(name)}=${shQuote(text, name)}`;
}

/** The "$NAME" / "${NAME}" parameters a text reads. */
function paramsRead(text: string): Set<string> {
  return new Set([...text.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
}

const FUNCTIONS = templateBody('scripts.functions');

/**
 * The preamble of every planned script (forward, precondition, undo, input),
 * printed once at the top of a plan and of a backout: the daemon wait, the
 * docker_object / docker_list guards (scripts.header.sh) and the functions the
 * step templates share (scripts.functions.sh).
 */
export const HEADER = [assignment('DAEMON_WAIT_SECONDS', DAEMON_WAIT_SECONDS), templateBody('scripts.header'), FUNCTIONS].join('\n');

/**
 * The script of one template: HEADER, its name, the parameters, the body.
 * Throws when a parameter is passed that neither the body nor the shared
 * functions read, or the body reads one not passed: a misspelt name never
 * becomes an empty value.
 */
export function script(name: TemplateName, params: Record<string, ScriptParam> = {}): string {
  const body = templateBody(name);
  const inBody = paramsRead(body);
  const known = new Set([...inBody, ...paramsRead(FUNCTIONS)]);
  const unread = Object.keys(params).filter((p) => !known.has(p));
  const missing = [...inBody].filter((p) => !(p in params) && !INPUT_PARAMS.has(p));
  const problems = [unread.length && `parameters not read: ${unread.join(', ')}`, missing.length && `parameters not passed: ${missing.join(', ')}`].filter(Boolean);
  if (problems.length) throw new Error(`template ${name}: ${problems.join('; ')}`);
  return [HEADER, templateMark(name), ...Object.entries(params).map(([k, v]) => assignment(k, v)), body].join('\n');
}

/** The first line after HEADER: which template a script comes from (src/remediation/builders/NAME.sh). */
export function templateMark(name: TemplateName): string {
  return `# ${name}.sh`;
}

/** A script without the shared preamble, as the plan and backout print it (they print HEADER once). */
export function withoutHeader(script: string): string {
  return script.startsWith(`${HEADER}\n`) ? script.slice(HEADER.length + 1) : script;
}

/** Options Docker allocates or that we set ourselves; never copied to a new network. */
const ALLOCATED_OPTIONS = new Set(['encrypted', 'com.docker.network.driver.overlay.vxlanid_list']);

export interface NetworkSpec {
  name: string;
  encrypted: boolean;
  ingress: boolean;
  internal: boolean;
  attachable: boolean;
  options: Record<string, string>;
  labels: Record<string, string>;
  ipamDriver: string;
  ipamOptions: Record<string, string>;
  subnet?: string;
  gateway?: string;
  ipRange?: string;
}

export function networkSpecOf(n: NetworkFacts): NetworkSpec {
  const config = n.ipam.config[0];
  return {
    name: n.name,
    encrypted: 'encrypted' in n.options,
    ingress: n.ingress,
    internal: n.internal,
    attachable: n.attachable,
    options: Object.fromEntries(Object.entries(n.options).filter(([k]) => !ALLOCATED_OPTIONS.has(k))),
    labels: n.labels,
    ipamDriver: n.ipam.driver || 'default',
    ipamOptions: n.ipam.options,
    subnet: config?.subnet,
    gateway: config?.gateway,
    ipRange: config?.ipRange,
  };
}
