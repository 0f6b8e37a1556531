/**
 * Runs the compiled CLI (`node bin/swarm-audit.js ARGS`) as a child process,
 * asynchronously: the tests' endpoint may answer from this very process, so a
 * synchronous child would deadlock. The child gets sandbox credentials and
 * nothing of the caller's AWS or SWARM_AUDIT_ environment.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const SANDBOX_CREDENTIALS = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' };

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `env` adds to the child's environment (AWS_REGION, AWS_ENDPOINT_URL, ...); killed after timeoutMs.
 * `onSpawn` gets the child, for tests that signal it mid-run.
 */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 180_000, onSpawn?: (child: ChildProcess) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${REPO}/bin/swarm-audit.js`, ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
        HOME: process.env.HOME ?? '/root',
        AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
        ...env,
      },
    });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Child processes run the compiled code: build dist/ when the output of any of
 * these sources (paths relative to the repo) is missing or older than it.
 */
export function ensureDist(sources: string[]): void {
  const stale = (source: string) => {
    const built = `${REPO}/dist/${source.replace(/\.ts$/, '.js')}`;
    return !existsSync(built) || statSync(built).mtimeMs < statSync(`${REPO}/${source}`).mtimeMs;
  };
  if (!sources.some(stale)) return;
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: REPO, stdio: 'ignore' });
  } catch {
    // tsc exits non-zero on type errors elsewhere in the tree but still emits
  }
}
