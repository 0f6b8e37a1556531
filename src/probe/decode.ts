/**
 * Decodes the framed output of probe.sh into HostFacts. Pure and total: any
 * input, however cut, corrupted or hostile, yields a DecodeResult, never an
 * exception, and nothing incomplete is ever returned as ok.
 */
import { ProbeDecodeError, malformed, type DecodeFailureReason } from './decode-error.js';
import { classifyDockerFailure } from './docker-error.js';
import { parseInfo, parseNetwork, parseNode, parseService, parseSwarmState, parseTask } from './docker-objects.js';
import { FACTS_SCHEMA_VERSION, type DockerFacts, type HostFacts, type ProbeProblem, type SwarmFacts } from './facts.js';
import { extractPayload } from './frame.js';
import { ipsecFacts } from './ipsec.js';
import { asOptionalString, asString, parseJsonLine } from './json-reader.js';
import { optional, readFields, recordSchema, required } from './record-schema.js';
import { parseProcLine, parseSsLine } from './listeners.js';
import { contentLines, failureText, splitSections, type ProbeSection, type ProbeSections } from './sections.js';


export type DecodeResult =
  | { ok: true; facts: HostFacts }
  | { ok: false; reason: DecodeFailureReason; message: string };

export function decodeProbeOutput(stdout: string): DecodeResult {
  try {
    if (typeof stdout !== 'string') return { ok: false, reason: 'no-frame', message: 'probe output is not text' };
    return { ok: true, facts: hostFacts(splitSections(extractPayload(stdout))) };
  } catch (error) {
    if (error instanceof ProbeDecodeError) return { ok: false, reason: error.reason, message: error.message };
    return { ok: false, reason: 'malformed', message: `probe record could not be decoded: ${String(error)}` };
  }
}

/** Mutable scratch for one decode call only. */
interface Draft {
  sections: ProbeSections;
  problems: ProbeProblem[];
}

function singleJsonLine(section: ProbeSection): unknown {
  const lines = contentLines(section);
  if (lines.length !== 1) throw malformed(`${section.name}: expected one JSON line, got ${lines.length}`);
  return parseJsonLine(lines[0], section.name);
}

/**
 * Lines like "ListenAddr":"10.0.0.5:2377", each one key of docker-state.json
 * with a scalar value (the probe greps the keys it needs). Read by name: a key
 * this decoder does not know is ignored, a repeated one is 'malformed'.
 */
function stateObject(section: ProbeSection): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const line of contentLines(section)) {
    const where = `state line ${JSON.stringify(line.slice(0, 80))}`;
    const match = /^"([A-Za-z][A-Za-z0-9]*)":("[^"\\]*"|-?\d{1,15}|true|false|null)$/.exec(line);
    if (!match) throw malformed(`${where}: expected "Key":<string|number|boolean>`);
    const key = match[1];
    if (Object.prototype.hasOwnProperty.call(state, key)) throw malformed(`${where}: key ${key} appears twice`);
    state[key] = parseJsonLine(match[2], where);
  }
  return state;
}

/** meta: one key=value per line (the value runs to the end of the line). */
export const META_RECORD = recordSchema('meta', {
  probe: required((value, path) => {
    if (typeof value !== 'string' || !/^\d+\.\d+\.\d+$/.test(value)) throw malformed(`${path}: expected a version like 1.2.0`);
    return value;
  }),
  host: optional(asOptionalString),
  at: optional(asOptionalString),
});

function meta(sections: ProbeSections): Pick<HostFacts, 'probeVersion' | 'hostname' | 'collectedAt'> {
  const section = sections.get('meta');
  if (!section || section.rc !== 0) throw malformed('meta section missing');
  const values: Record<string, string> = {};
  for (const line of contentLines(section)) {
    const equals = line.indexOf('=');
    const key = line.slice(0, equals);
    if (equals < 1 || Object.prototype.hasOwnProperty.call(values, key)) throw malformed(`meta: bad line ${JSON.stringify(line.slice(0, 80))}`);
    values[key] = line.slice(equals + 1);
  }
  const record = readFields(META_RECORD, values, 'meta');
  return {
    probeVersion: record.probe,
    ...(record.host ? { hostname: record.host } : {}),
    ...(record.at ? { collectedAt: record.at } : {}),
  };
}

function requiredSection(draft: Draft, name: string): ProbeSection {
  const section = draft.sections.get(name);
  if (!section) throw malformed(`section ${name} missing`);
  return section;
}

/** A Docker listing section (services, networks, nodes): rc != 0 or absence is a problem, not a guess. */
function listing<T>(draft: Draft, docker: DockerFacts, name: string, parse: (value: unknown, where: string) => T): T[] | undefined {
  const section = draft.sections.get(name);
  if (!section) {
    draft.problems.push({ section: name, message: `${name} were not collected` });
    return undefined;
  }
  if (section.rc !== 0) {
    const failure = classifyDockerFailure(section.rc, section.stderr);
    if (failure.kind !== 'other' && !docker.error) docker.error = failure;
    draft.problems.push({ section: name, message: failure.message });
    return undefined;
  }
  return contentLines(section).map((line, i) => parse(parseJsonLine(line, `${name} line ${i + 1}`), `${name}[${i}]`));
}

/**
 * Services and networks come with Docker's 12-character short IDs: two
 * objects of one listing sharing one would be told apart by nothing, so that
 * is a decode error (ERROR), never two objects merged into one.
 */
function withDistinctIds<T extends { id: string }>(items: T[] | undefined, name: string): T[] | undefined {
  const seen = new Set<string>();
  for (const item of items ?? []) {
    if (seen.has(item.id)) throw malformed(`${name}: two records share the ID ${JSON.stringify(item.id)}`);
    seen.add(item.id);
  }
  return items;
}

function swarmState(draft: Draft, swarm: SwarmFacts): void {
  const section = draft.sections.get('state');
  if (section && section.rc === 0) {
    swarm.state = parseSwarmState(stateObject(section));
  } else if (swarm.localNodeState !== 'inactive') {
    const message = section ? failureText(section) : 'not collected';
    draft.problems.push({ section: 'state', message: `swarm/docker-state.json: ${message}` });
  }
}

function dockerAndSwarm(draft: Draft): Pick<HostFacts, 'docker' | 'swarm' | 'services' | 'networks' | 'nodes' | 'tasks'> {
  // The "docker" step is `command -v docker`: any failure means not on PATH.
  const which = requiredSection(draft, 'docker');
  if (which.rc !== 0) {
    return { docker: { present: false, reachable: false, error: classifyDockerFailure(127, which.stderr) } };
  }
  const version = requiredSection(draft, 'version');
  if (version.rc !== 0) {
    return { docker: { present: true, reachable: false, error: classifyDockerFailure(version.rc, version.stderr) } };
  }
  const docker: DockerFacts = { present: true, reachable: true, serverVersion: asString(singleJsonLine(version), 'version') };
  const infoSection = requiredSection(draft, 'info');
  if (infoSection.rc !== 0) {
    const error = classifyDockerFailure(infoSection.rc, infoSection.stderr);
    draft.problems.push({ section: 'info', message: error.message });
    const reachable = error.kind !== 'daemon-down' && error.kind !== 'permission-denied';
    return { docker: { ...docker, reachable, error } };
  }
  const info = parseInfo(singleJsonLine(infoSection));
  docker.rootDir = info.rootDir;
  const swarm = info.swarm;
  swarmState(draft, swarm);
  if (swarm.localNodeState === 'locked') {
    docker.error = { kind: 'swarm-locked', message: 'swarm is locked (autolock): run `docker swarm unlock` on this node' };
  }
  if (swarm.localNodeState !== 'active') return { docker, swarm };
  const networks = () => withDistinctIds(listing(draft, docker, 'networks', parseNetwork), 'networks');
  if (!swarm.controlAvailable) return { docker, swarm, networks: networks() };
  return {
    docker,
    swarm,
    services: withDistinctIds(listing(draft, docker, 'services', parseService), 'services'),
    networks: networks(),
    nodes: listing(draft, docker, 'nodes', parseNode),
    tasks: listing(draft, docker, 'tasks', parseTask),
  };
}

function listeners(draft: Draft): Pick<HostFacts, 'listeners' | 'listenerSource'> {
  const ss = draft.sections.get('listeners-ss');
  const proc = draft.sections.get('listeners-proc');
  const section = ss ?? proc;
  if (!section || section.rc !== 0) {
    const message = section ? failureText(section) : 'neither ss nor /proc/net was read';
    draft.problems.push({ section: 'listeners', message });
    return { listeners: [], listenerSource: 'none' };
  }
  if (ss) return { listeners: contentLines(ss).map(parseSsLine), listenerSource: 'ss' };
  return {
    listeners: contentLines(section).flatMap((line) => parseProcLine(line) ?? []),
    listenerSource: 'proc',
  };
}

/** The probe could not even start (no temp dir): decodes to an ERROR-worthy host. */
function probeFailure(section: ProbeSection): HostFacts {
  const message = `probe failed on the host: ${section.lines.join(' ').trim() || `exit ${section.rc}`}`;
  return {
    schemaVersion: FACTS_SCHEMA_VERSION,
    probeVersion: 'unknown',
    docker: { present: false, reachable: false, error: { kind: 'other', message } },
    listeners: [],
    listenerSource: 'none',
    problems: [{ section: 'probe', message }],
  };
}

function hostFacts(sections: ProbeSections): HostFacts {
  const failed = sections.get('probe');
  if (failed && failed.rc !== 0 && !sections.has('meta')) return probeFailure(failed);
  const draft: Draft = { sections, problems: [] };
  const header = meta(sections);
  const dockerPart = dockerAndSwarm(draft);
  const listenerPart = listeners(draft);
  return {
    schemaVersion: FACTS_SCHEMA_VERSION,
    ...header,
    ...dockerPart,
    ...listenerPart,
    ipsec: ipsecFacts(sections, draft.problems),
    problems: draft.problems,
  };
}
