import { readFileSync, writeFileSync } from 'node:fs';
import { PROBE_SCRIPT_TEXT, probeCommands, probeScript } from '../../src/probe/script.js';

const SOURCE = 'src/probe/probe.sh';
const EMBEDDED = 'src/probe/script.ts';

/** Re-embeds probe.sh into script.ts: SWARM_AUDIT_EMBED_PROBE=1 npx jest test/probe/script.test.ts */
function embed(text: string): void {
  const current = readFileSync(EMBEDDED, 'utf8');
  const start = current.indexOf('export const PROBE_SCRIPT_TEXT =');
  const end = current.indexOf(';\n', start);
  writeFileSync(EMBEDDED, `${current.slice(0, start)}export const PROBE_SCRIPT_TEXT =\n  ${JSON.stringify(text)}${current.slice(end)}`);
}

describe('probe script embedding', () => {
  const source = readFileSync(SOURCE, 'utf8');
  if (process.env.SWARM_AUDIT_EMBED_PROBE === '1') embed(source);

  test('script.ts holds exactly probe.sh (run with SWARM_AUDIT_EMBED_PROBE=1 to refresh)', () => {
    expect(PROBE_SCRIPT_TEXT).toBe(source);
    expect(probeScript()).toBe(source);
  });

  test('commands rejoin to the script, one line each, as AWS-RunShellScript expects', () => {
    const commands = probeCommands();
    expect(commands.join('\n') + '\n').toBe(source);
    expect(commands.every((line) => !line.includes('\n'))).toBe(true);
  });
});
