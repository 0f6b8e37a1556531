/**
 * `SWARM_AUDIT_<FLAG>` variables set flags, but one environment serves every
 * command: a variable meant for another command (SWARM_AUDIT_APPLY while
 * running `audit`) must be ignored, not rejected as an unknown argument.
 * Flags typed on the command line stay subject to strict checking.
 */
export const ENV_PREFIX = 'SWARM_AUDIT';

const camelCase = (key: string): string => key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const kebabCase = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
const envNameOf = (key: string): string => `${ENV_PREFIX}_${kebabCase(key).replace(/-/g, '_').toUpperCase()}`;

function typedOnCommandLine(key: string, rawArgs: readonly string[]): boolean {
  const kebab = kebabCase(key);
  return rawArgs.some((arg) => [key, kebab].some((k) => arg === `--${k}` || arg.startsWith(`--${k}=`) || arg === `--no-${k}`));
}

/** Removes, in place, the parsed keys that only an environment variable supplied and that this command does not define. */
export function dropForeignEnvOptions(
  argv: Record<string, unknown>,
  knownKeys: readonly string[],
  rawArgs: readonly string[],
  env: NodeJS.ProcessEnv,
): void {
  const known = new Set(knownKeys.flatMap((k) => [k, camelCase(k)]));
  for (const key of Object.keys(argv)) {
    if (key === '_' || key === '$0' || known.has(key)) continue;
    if (env[envNameOf(key)] !== undefined && !typedOnCommandLine(key, rawArgs)) delete argv[key];
  }
}
