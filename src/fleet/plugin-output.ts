/**
 * Reading command output back from SSM, following the agent's own rules
 * (amazon-ssm-agent iohandler: TruncateOutput and DefaultOutputConfig).
 *
 * ListCommandInvocations `CommandPlugins[].Output`: at most 2,500 characters,
 * stdout + "\n----------ERROR-------\n" + stderr (the title only when stderr is
 * not empty); a cut stdout ends with "\n---Output truncated---", a cut stderr
 * with "\n---Error truncated----".
 *
 * GetCommandInvocation: StandardOutputContent holds the first 24,000
 * characters, StandardErrorContent 8,000; the agent appends
 * "--output truncated--" to a cut stream.
 */
const PLUGIN_OUTPUT_LIMIT = 2_500;
const ERROR_TITLE = '\n----------ERROR-------\n';
const LIST_STDOUT_CUT = '\n---Output truncated---';
const LIST_STDERR_CUT = '\n---Error truncated----';
export const GET_STDOUT_LIMIT = 24_000;
export const GET_STDERR_LIMIT = 8_000;
const GET_CUT_MARKER = '--output truncated--';

export interface SplitOutput {
  stdout: string;
  stderr: string;
  /** stdout may be incomplete here: ask GetCommandInvocation. */
  stdoutCut: boolean;
  stderrCut: boolean;
}

/**
 * Splits a plugin Output into stdout and stderr. Anything we cannot split
 * with certainty (a marker or the error title appearing more than once,
 * which a command can print itself) counts as cut, so the caller fetches
 * the separate streams instead of guessing.
 */
export function splitPluginOutput(output: string): SplitOutput {
  const titleCount = occurrences(output, ERROR_TITLE);
  const stdoutMarks = occurrences(output, LIST_STDOUT_CUT.trimStart());
  const stderrMarks = occurrences(output, LIST_STDERR_CUT.trimStart());
  if (titleCount > 1) return { stdout: output, stderr: '', stdoutCut: true, stderrCut: true };
  const title = output.indexOf(ERROR_TITLE);
  const rawStdout = title < 0 ? output : output.slice(0, title);
  const rawStderr = title < 0 ? '' : output.slice(title + ERROR_TITLE.length);
  // The agent marks whatever does not fit in fewer than 2,500 characters, so an
  // Output that long without any marker is not the agent's: do not trust it.
  const unmarkedFull = stdoutMarks === 0 && stderrMarks === 0 && output.length >= PLUGIN_OUTPUT_LIMIT;
  const stdoutCut = stdoutMarks > 0 || unmarkedFull;
  const stderrCut = stderrMarks > 0;
  return {
    stdout: stripSuffix(rawStdout, LIST_STDOUT_CUT),
    stderr: stripSuffix(rawStderr, LIST_STDERR_CUT),
    stdoutCut,
    stderrCut,
  };
}

/** True when a GetCommandInvocation stream may be incomplete (marker present or the limit reached). */
export function isGetStreamCut(content: string, limit: number): boolean {
  return content.includes(GET_CUT_MARKER) || content.length >= limit;
}

function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

function stripSuffix(text: string, suffix: string): string {
  return text.endsWith(suffix) ? text.slice(0, -suffix.length) : text;
}
