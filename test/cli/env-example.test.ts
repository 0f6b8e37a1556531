/** .env.example lists the SWARM_AUDIT_ variable of every flag of every command (a flag without one is undocumented config). */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import yargs, { type Argv, type CommandModule } from 'yargs';
import { auditCommand } from '../../commands/audit.js';
import { backoutCommand } from '../../commands/backout.js';
import { discoverCommand } from '../../commands/discover.js';
import { remediateCommand } from '../../commands/remediate.js';
import { sandboxCommand } from '../../commands/sandbox.js';
import { scheduleCommand } from '../../commands/schedule.js';
import { collectCommand } from '../../commands/collect.js';
import type { CliContext } from '../../src/cli/context.js';

const ctx: CliContext = { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, isTty: false, exitCode: 0 };
const BUILT_IN = new Set(['help', 'version']);
const envName = (flag: string) => `SWARM_AUDIT_${flag.replace(/-/g, '_').toUpperCase()}`;

/** The flags a command module defines, kebab-cased as typed on the command line. */
function flagsOf(module: CommandModule<object, never>): string[] {
  const built = (module.builder as (y: Argv) => Argv)(yargs([]));
  const keys = Object.keys((built as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key);
  const positionals = new Set([...String(module.command).matchAll(/[<[]([\w-]+)[>\]]/g)].map((m) => m[1]));
  return keys.filter((k) => !BUILT_IN.has(k) && !positionals.has(k) && !/[A-Z]/.test(k));
}

const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
const documented = new Set([...example.matchAll(/^#?\s*(SWARM_AUDIT_[A-Z0-9_]+)=/gm)].map((m) => m[1]));

describe('.env.example', () => {
  test.each([
    ['discover', discoverCommand],
    ['audit', auditCommand],
    ['remediate', remediateCommand],
    ['backout', backoutCommand],
    ['sandbox', sandboxCommand],
    ['schedule', scheduleCommand],
    ['collect', collectCommand],
  ] as const)('lists the variable of every %s flag', (_, factory) => {
    const flags = flagsOf(factory(ctx) as unknown as CommandModule<object, never>);
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.map(envName).filter((name) => !documented.has(name))).toEqual([]);
  });

  test('names --allow-empty', () => {
    expect(documented.has('SWARM_AUDIT_ALLOW_EMPTY')).toBe(true);
  });
});
