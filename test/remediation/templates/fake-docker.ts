/**
 * Runs a planned script under /bin/sh (dash here, as on the hosts) with a fake
 * `docker` first on PATH. The fake appends its argv, one line per call, to a
 * file, and answers from a list of canned replies: the first reply whose
 * `args` are a prefix of the call's (and whose `times`, when given, are not
 * used up) gives stdout, stderr and the exit code; anything else prints
 * nothing and exits 0. `sleep` is a no-op, so retries and waits take no time.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Reply {
  /** Matches a call whose first arguments are exactly these. */
  args: string[];
  stdout?: string;
  stderr?: string;
  code?: number;
  /** Answers this many calls, then no longer matches. */
  times?: number;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every docker call's argv, in order. */
  calls: string[][];
  /** What each call read on stdin (its first line), by call index, for calls that got input. */
  stdin: Record<number, string>;
  /** Files the script left in its working directory (a value run as a command would leave one). */
  created: string[];
}

/** Separates arguments in the call log and in a reply's prefix: never part of a planned value (quote.ts refuses control characters). */
const US = '\x1f';

/**
 * In sh, so a call costs no interpreter start-up (the wait loops make dozens).
 * Replies are directories r/NNNN holding `prefix` (the reply's args, US-joined
 * and US-terminated), `stdout`, `stderr`, `code` and, when limited, `times`.
 */
const FAKE_DOCKER = `#!/bin/sh
d=$FAKE_DOCKER_DIR
IFS=$(printf '\\037')
call="$*$IFS"
unset IFS
printf '%s\\n' "$call" >>"$d/calls"
input=$(cat)
if [ -n "$input" ]; then printf '%s %s\\n' "$(wc -l <"$d/calls")" "$input" >>"$d/stdin"; fi
for r in "$d"/r/*; do
  [ -d "$r" ] || continue
  if [ -f "$r/times" ]; then left=$(cat "$r/times"); [ "$left" -gt 0 ] || continue; fi
  prefix=$(cat "$r/prefix")
  case $call in
    "$prefix"*)
      if [ -f "$r/times" ]; then echo $((left - 1)) >"$r/times"; fi
      cat "$r/stdout"
      cat "$r/stderr" >&2
      exit "$(cat "$r/code")" ;;
  esac
done
exit 0
`;

/** The daemon wait of the preamble on a worker: `docker version`, then `docker info` saying it is no manager. */
const DAEMON_ANSWERS: Reply[] = [
  { args: ['version'], stdout: '20.10.24\n' },
  { args: ['info', '--format', '{{.Swarm.ControlAvailable}}'], stdout: 'false\n' },
];

/** Docker's own "no such object" errors (exit 1), which docker_object reads as "absent". */
export const noSuch = (kind: 'network' | 'service', name: string): Reply => ({
  args: [kind, 'inspect'],
  stderr: `Error: No such ${kind}: ${name}\n`,
  code: 1,
});

function writeReplies(dir: string, replies: Reply[]): void {
  mkdirSync(dir);
  replies.forEach((reply, i) => {
    const r = join(dir, String(i).padStart(4, '0'));
    mkdirSync(r);
    writeFileSync(join(r, 'prefix'), reply.args.map((a) => `${a}${US}`).join(''));
    writeFileSync(join(r, 'stdout'), reply.stdout ?? '');
    writeFileSync(join(r, 'stderr'), reply.stderr ?? '');
    writeFileSync(join(r, 'code'), String(reply.code ?? 0));
    if (reply.times !== undefined) writeFileSync(join(r, 'times'), String(reply.times));
  });
}

/** `files`: created in the script's working directory first (what a glob could match). */
export function runScript(script: string, replies: Reply[], opts: { env?: Record<string, string>; files?: string[] } = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-audit-fake-docker-'));
  const work = join(dir, 'work');
  try {
    mkdirSync(work);
    for (const f of opts.files ?? []) writeFileSync(join(work, f), '');
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'docker'), FAKE_DOCKER);
    writeFileSync(join(dir, 'bin', 'sleep'), '#!/bin/sh\nexit 0\n');
    for (const tool of ['docker', 'sleep']) chmodSync(join(dir, 'bin', tool), 0o755);
    writeFileSync(join(dir, 'calls'), '');
    writeReplies(join(dir, 'r'), [...DAEMON_ANSWERS, ...replies]);
    const out = spawnSync('/bin/sh', ['-c', script], {
      encoding: 'utf8',
      input: '',
      cwd: work,
      env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, FAKE_DOCKER_DIR: dir, ...opts.env },
    });
    const calls = readFileSync(join(dir, 'calls'), 'utf8').split('\n').filter(Boolean).map((l) => l.split(US).slice(0, -1));
    const stdin: Record<number, string> = {};
    if (existsSync(join(dir, 'stdin'))) {
      for (const line of readFileSync(join(dir, 'stdin'), 'utf8').split('\n').filter(Boolean)) {
        const [, count, text] = /^(\d+) (.*)$/.exec(line)!;
        stdin[Number(count) - 1] = text!;
      }
    }
    return { code: out.status, stdout: out.stdout, stderr: out.stderr, calls, stdin, created: readdirSync(work) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The calls after the preamble's daemon wait (DAEMON_ANSWERS: two calls). */
export function stepCalls(run: Run): string[][] {
  expect(run.calls.slice(0, 2)).toEqual([
    ['version', '--format', '{{.Server.Version}}'],
    ['info', '--format', '{{.Swarm.ControlAvailable}}'],
  ]);
  return run.calls.slice(2);
}
