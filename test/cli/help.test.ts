/** Every command's --help shows examples and every exit code, generated from EXIT_MEANINGS; the README's table says the same. */
import { readFileSync } from 'node:fs';
import { jest } from '@jest/globals';
import { EXIT, EXIT_MEANINGS } from '../../src/cli/exit-codes.js';
import { exitCodesHelp } from '../../src/cli/help.js';
import { main } from '../../src/cli/main.js';
import { captureContext } from './helpers/capture-context.js';

/** yargs prints help with console.log; main() returns instead of exiting. */
async function helpOf(args: string[]): Promise<string> {
  const printed: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void printed.push(parts.join(' ')));
  try {
    const code = await main(args, captureContext());
    expect(code).toBe(0);
  } finally {
    log.mockRestore();
  }
  return printed.join('\n');
}

const plain = (markdown: string) => markdown.replace(/`/g, '');

describe('--help', () => {
  it.each([[[]], [['discover']], [['audit']], [['remediate']], [['backout']], [['checks']], [['sandbox']], [['schedule']], [['collect']]])(
    '%j --help has examples and the exit codes',
    async (command) => {
      const help = await helpOf([...command, '--help']);
      expect(help).toContain('Examples:');
      expect(help).toMatch(new RegExp(`swarm-audit ${command[0] ?? '\\w+'} `));
      expect(help).toContain('Exit codes:');
      // yargs wraps long lines: compare without line breaks and indentation
      const flat = help.replace(/\s+/g, ' ');
      for (const name of Object.keys(EXIT) as (keyof typeof EXIT)[]) {
        expect(flat).toContain(`${EXIT[name]} ${plain(EXIT_MEANINGS[name])}`);
      }
    },
  );

  it('says once what a command means by an exit code beyond the common table', async () => {
    expect((await helpOf(['remediate', '--help'])).replace(/\s+/g, ' ')).toContain('remediate --apply: 1 when a step failed');
    const audit = await helpOf(['audit', '--help']);
    expect(audit.match(/Exit codes:/g)).toHaveLength(1);
    expect(audit).not.toContain('remediate --apply');
  });

  it('writes the exit codes as plain text, code first', () => {
    const lines = exitCodesHelp().split('\n');
    expect(lines[0]).toBe('Exit codes:');
    expect(lines.slice(1).map((l) => l.trim().split(' ')[0])).toEqual(['0', '1', '2', '3']);
    expect(exitCodesHelp()).not.toContain('`');
  });
});

describe('README "Exit codes"', () => {
  it('is the table EXIT_MEANINGS generates', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.split('### Exit codes')[1].split('\n\n')[1];
    const rows = (Object.keys(EXIT) as (keyof typeof EXIT)[]).map((name) => `| ${EXIT[name]} | ${EXIT_MEANINGS[name]} |`);
    expect(section.split('\n')).toEqual(['| code | meaning |', '|---|---|', ...rows]);
  });
});
