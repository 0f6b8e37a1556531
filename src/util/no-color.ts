/** no-color.org: NO_COLOR set to any non-empty value turns colour off, whatever the terminal. */
export function noColorRequested(env: NodeJS.ProcessEnv): boolean {
  return (env.NO_COLOR ?? '') !== '';
}
