import { spawn } from 'node:child_process';
import { ToolError } from '../../../../src/errors.js';
import { SANDBOX_PATH } from './fleet-builder.js';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  timeoutMs?: number;
  input?: string;
  env?: Record<string, string>;
}

const OUTPUT_CAP = 1024 * 1024;

/**
 * Runs a program without a shell (arguments are never re-parsed), with the
 * sandbox PATH, a hard timeout (SIGKILL) and capped output.
 */
export function run(program: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      env: { PATH: SANDBOX_PATH, LANG: 'C', ...opts.env },
      stdio: [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      if (stdout.length < OUTPUT_CAP) stdout += chunk.toString('utf8');
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < OUTPUT_CAP) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ToolError('SandboxCommandFailed', `cannot run ${program}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

/** Like run, but a non-zero exit is a ToolError that quotes the command and its stderr. */
export async function runOk(program: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const result = await run(program, args, opts);
  if (result.code !== 0) {
    const how = result.signal ? `killed by ${result.signal} (timeout ${opts.timeoutMs ?? 60_000} ms?)` : `exit ${result.code}`;
    throw new ToolError(
      'SandboxCommandFailed',
      `${program} ${args.join(' ')} failed (${how}): ${(result.stderr || result.stdout).trim().slice(0, 2000)}`,
    );
  }
  return result.stdout;
}
