import { PassThrough } from 'node:stream';
import yargs, { type Argv } from 'yargs';
import { auditCommand } from '../../commands/audit.js';
import type { CliContext } from '../../src/cli/context.js';
import { FILE_STYLE, stdoutStyle } from '../../src/cli/terminal.js';

/** A stdout as Node gives it on a terminal of `columns` columns, or off one. */
function context(isTty: boolean, env: NodeJS.ProcessEnv = {}, columns = 132): Pick<CliContext, 'isTty' | 'env' | 'stdout'> {
  const stdout = Object.assign(new PassThrough(), isTty ? { isTTY: true, columns } : {});
  return { isTty, env, stdout };
}

describe('stdoutStyle: colours and width, decided in one place', () => {
  it('colours and fits the table on a terminal', () => {
    expect(stdoutStyle(context(true), true)).toEqual({ color: true, width: 132 });
  });

  it('gives a pipe or a redirect neither colours nor a width, whatever the flags', () => {
    expect(stdoutStyle(context(false), true)).toEqual(FILE_STYLE);
    expect(FILE_STYLE).toEqual({ color: false });
  });

  it.each(['1', 'true', 'no', '0'])('NO_COLOR=%s turns colours off (any non-empty value), the width stays', (value) => {
    expect(stdoutStyle(context(true, { NO_COLOR: value }), true)).toEqual({ color: false, width: 132 });
  });

  it('an empty NO_COLOR is not a request (no-color.org)', () => {
    expect(stdoutStyle(context(true, { NO_COLOR: '' }), true).color).toBe(true);
  });

  it('--no-color turns colours off', () => {
    expect(stdoutStyle(context(true), false)).toEqual({ color: false, width: 132 });
  });
});

describe('audit --color', () => {
  const ctx: CliContext = { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, isTty: true, exitCode: 0 };
  const parse = (args: string[]) => {
    const command = auditCommand(ctx);
    const built = (command.builder as (y: Argv) => Argv)(yargs(args));
    return built.parseSync() as unknown as { color: boolean };
  };

  it('is on by default and off with --no-color or --color=false', () => {
    expect(parse([]).color).toBe(true);
    expect(parse(['--no-color']).color).toBe(false);
    expect(parse(['--color=false']).color).toBe(false);
  });
});
