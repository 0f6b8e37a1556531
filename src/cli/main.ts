/**
 * The CLI: parse flags, run one command, return an exit code. Only the bin
 * shim sets process.exitCode (ESLint's pattern); nothing here exits.
 */
import yargs, { type MiddlewareFunction } from 'yargs';
import { auditCommand } from '../../commands/audit.js';
import { backoutCommand } from '../../commands/backout.js';
import { checksCommand } from '../../commands/checks.js';
import { discoverCommand } from '../../commands/discover.js';
import { remediateCommand } from '../../commands/remediate.js';
import { sandboxCommand } from '../../commands/sandbox.js';
import { scheduleCommand } from '../../commands/schedule.js';
import { collectCommand } from '../../commands/collect.js';
import { UsageError } from '../errors.js';
import { processContext, type CliContext } from './context.js';
import { dropForeignEnvOptions, ENV_PREFIX } from './env-options.js';
import { EXIT, exitCodeForError, oneLineCause } from './exit-codes.js';
import { withHelp, type CommandHelp } from './help.js';
import { terminalSafe } from '../report/text-safety.js';
import { redactSecrets } from '../util/redact.js';

const TOP_HELP: CommandHelp = {
  examples: [
    { run: '$0 discover --tag Swarm=prod', does: 'Which instances the tag query selects' },
    { run: '$0 audit --tag Swarm=prod', does: 'Audit them (CIS Docker 7.2, 7.3): a table on the terminal' },
    { run: '$0 <command> --help', does: 'A command\'s flags and examples' },
  ],
};

export async function main(argv: string[], ctx: CliContext = processContext()): Promise<number> {
  const cli = withHelp(yargs(argv), TOP_HELP)
    .scriptName('swarm-audit')
    .env(ENV_PREFIX)
    .middleware(envScopedToCommand(argv, ctx.env), true)
    .middleware(singleValuedOnce as unknown as MiddlewareFunction, true)
    .command(discoverCommand(ctx))
    .command(auditCommand(ctx))
    .command(remediateCommand(ctx))
    .command(backoutCommand(ctx))
    .command(checksCommand(ctx))
    .command(sandboxCommand(ctx))
    .command(scheduleCommand(ctx))
    .command(collectCommand(ctx))
    .demandCommand(1, 'Name a command: discover, audit, remediate, backout, checks, sandbox, schedule or collect.')
    .strict()
    .recommendCommands()
    .help()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((message, err) => {
      // yargs' own errors (YError: a flag's coerce refused its value) are usage errors like its messages
      if (err === undefined || err === null || err.name === 'YError') throw new UsageError(message ?? err?.message);
      throw err;
    });
  try {
    await cli.parseAsync();
    return ctx.exitCode;
  } catch (err) {
    // the cause may quote host output (Docker's errors, names): redacted and escaped like every report
    ctx.stderr.write(`swarm-audit: ${terminalSafe(redactSecrets(oneLineCause(err)))}\n`);
    if (err instanceof UsageError && err.code === 'Usage') ctx.stderr.write('Run swarm-audit --help for usage.\n');
    return err instanceof UsageError ? EXIT.usage : exitCodeForError(err);
  }
}

/** yargs passes its instance as the middleware's second argument (absent from @types/yargs): it knows the running command's options. */
interface OptionsView {
  getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]>; array: string[] };
}

/** yargs turns a repeated single-valued flag into a list; say so instead of passing the list on (`--log-level warn --log-level info`). */
function singleValuedOnce(parsed: Record<string, unknown>, y: OptionsView): void {
  const options = y.getOptions();
  const lists = new Set(options.array);
  for (const key of Object.keys(options.key)) {
    const value = parsed[key];
    if (lists.has(key) || !Array.isArray(value)) continue;
    throw new UsageError(`--${key} was given ${value.length} times (${value.join(', ')}): give it once`);
  }
}

function envScopedToCommand(rawArgs: string[], env: NodeJS.ProcessEnv): MiddlewareFunction {
  const middleware = (parsed: Record<string, unknown>, y: OptionsView): void => {
    const options = y.getOptions();
    dropForeignEnvOptions(parsed, [...Object.keys(options.key), ...Object.values(options.alias).flat()], rawArgs, env);
  };
  return middleware as unknown as MiddlewareFunction;
}
