/**
 * Output shaping exactly as amazon-ssm-agent does it
 * (agent/framework/processor/executer/iohandler/iohandler.go, pluginutil.go):
 *
 * - StandardOutputContent / StandardErrorContent: StringPrefix(out, 24000 | 8000,
 *   "--output truncated--"). The agent keeps the text when it is *shorter* than
 *   the limit; at or over the limit it keeps limit - len(suffix) characters and
 *   appends the suffix (so a text of exactly 24,000 characters is marked too,
 *   because the agent reads through a LimitReader and cannot tell).
 * - CommandPlugins[].Output: TruncateOutput(stdout, stderr, 2500) joining with
 *   "\n----------ERROR-------\n" (only when stderr is non-empty) and marking
 *   cuts with "\n---Output truncated---" / "\n---Error truncated----". The
 *   result never exceeds 2,500 characters.
 *
 * The agent measures bytes; we measure UTF-16 code units (documented in README).
 */
export const MAX_STDOUT_CONTENT = 24_000;
export const MAX_STDERR_CONTENT = 8_000;
const MAX_PLUGIN_OUTPUT = 2_500;
export const CONTENT_TRUNCATED_SUFFIX = '--output truncated--';
export const OUTPUT_TRUNCATED_MARKER = '\n---Output truncated---';
export const ERROR_TRUNCATED_MARKER = '\n---Error truncated----';
export const ERROR_TITLE = '\n----------ERROR-------\n';

export function stringPrefix(input: string, maxLength: number, suffix = CONTENT_TRUNCATED_SUFFIX): string {
  if (input.length < maxLength) return input;
  if (maxLength > suffix.length) return input.slice(0, maxLength - suffix.length) + suffix;
  return suffix.slice(0, maxLength);
}

export function truncatePluginOutput(stdout: string, stderr: string, capacity = MAX_PLUGIN_OUTPUT): string {
  const title = stderr.length > 0 ? ERROR_TITLE : '';
  const available = capacity - title.length;
  if (stdout.length + stderr.length < available) return stdout + title + stderr;

  const half = available / 2;
  if (stdout.length > half && stderr.length > half) {
    const size = Math.floor((available - ERROR_TRUNCATED_MARKER.length - OUTPUT_TRUNCATED_MARKER.length) / 2);
    return stdout.slice(0, size) + OUTPUT_TRUNCATED_MARKER + title + stderr.slice(0, size) + ERROR_TRUNCATED_MARKER;
  }
  if (stdout.length < half) {
    const size = available - ERROR_TRUNCATED_MARKER.length - stdout.length;
    return stdout + title + stderr.slice(0, size) + ERROR_TRUNCATED_MARKER;
  }
  // stdout long, stderr short. (Math.max: with capacity 2500 the agent's
  // negative-slice corner, stdout exactly half and stderr longer, cannot occur.)
  const size = Math.max(0, available - OUTPUT_TRUNCATED_MARKER.length - stderr.length);
  return stdout.slice(0, size) + OUTPUT_TRUNCATED_MARKER + title + stderr;
}
