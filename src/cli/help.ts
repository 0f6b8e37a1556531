/**
 * What every command's --help ends with: examples, and the exit codes
 * generated from EXIT_MEANINGS (exit-codes.ts), never restated. Light on
 * purpose: --help loads it.
 */
import type { Argv } from 'yargs';
import { EXIT, EXIT_MEANINGS } from './exit-codes.js';

interface HelpExample {
  /** The command line; yargs writes `$0` as the program's name. */
  run: string;
  does: string;
}

export interface CommandHelp {
  examples: readonly HelpExample[];
  /** What an exit code means for this command when it says more than the common table. */
  exitNotes?: readonly string[];
}

export function withHelp<T>(yargs: Argv<T>, help: CommandHelp): Argv<T> {
  const withExamples = help.examples.reduce((y, { run, does }) => y.example(run, does), yargs);
  return withExamples.epilogue(exitCodesHelp(help.exitNotes));
}

/** "Exit codes:" and one line per code, then the command's notes. */
export function exitCodesHelp(notes: readonly string[] = []): string {
  const codes = (Object.keys(EXIT) as (keyof typeof EXIT)[]).map((name) => `  ${EXIT[name]}  ${plain(EXIT_MEANINGS[name])}`);
  return ['Exit codes:', ...codes, ...notes.map((note) => `  ${note}`)].join('\n');
}

/** Help is plain text: markdown code spans lose their backticks. */
function plain(markdown: string): string {
  return markdown.replace(/`([^`]*)`/g, '$1');
}
