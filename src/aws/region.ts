/**
 * Synchronous region resolution, in the SDK's order: explicit flag, then
 * AWS_REGION (and the CLI's AWS_DEFAULT_REGION), then `region` of the active
 * profile in the shared config file. Synchronous so that building clients
 * stays synchronous for the CLI.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

export function resolveRegion(explicit: string | undefined, profile: string | undefined, env = process.env): string {
  const candidates = [explicit, env.AWS_REGION, env.AWS_DEFAULT_REGION, profileRegion(profile ?? env.AWS_PROFILE, env)];
  const region = candidates.map((c) => c?.trim()).find((c) => c !== undefined && c !== '');
  if (region === undefined) {
    throw new UsageError('no AWS region: pass --region, set AWS_REGION, or set `region` in the AWS profile', 'RegionMissing');
  }
  return region;
}

function profileRegion(profile: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const file = env.AWS_CONFIG_FILE ?? join(env.HOME ?? homedir(), '.aws', 'config');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return iniValue(text, sectionName(profile ?? 'default'), 'region');
}

function sectionName(profile: string): string[] {
  return profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`];
}

/** The value of `key` in the first of `sections` that has it; a minimal INI read. */
function iniValue(text: string, sections: string[], key: string): string | undefined {
  let current: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]/.exec(line);
    if (header) {
      current = header[1];
      continue;
    }
    if (current === undefined || !sections.includes(current)) continue;
    const pair = /^([^=\s]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (pair && pair[1] === key && pair[2] !== '') return pair[2];
  }
  return undefined;
}
