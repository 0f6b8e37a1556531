/**
 * stderr's last line may belong to a status line redrawn in place (the
 * audit's progress line, src/cli/progress.ts). Whatever else writes lines to
 * stderr while it shows (the pretty logs) goes through writeStderrLine: the
 * status line is cleared first and redrawn after, so a log line never ends
 * up glued to it.
 */
export interface StatusLine {
  clear(): void;
  redraw(): void;
}

let held: StatusLine | undefined;

/** `line` owns stderr's last line until the returned function is called. */
export function holdStderrStatusLine(line: StatusLine): () => void {
  held = line;
  return () => {
    if (held === line) held = undefined;
  };
}

export function writeStderrLine(text: string, stderr: { write(text: string): unknown } = process.stderr): void {
  held?.clear();
  stderr.write(text);
  held?.redraw();
}
