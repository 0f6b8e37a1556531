import { constants } from 'node:fs';
import { once } from 'node:events';
import { access, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { CliContext } from './context.js';

/**
 * stdout carries the report only; --output-file gets the same bytes. The
 * report may come in chunks (the JSON report of a big fleet), written as they
 * come, with stdout's backpressure respected, so it is never one string. The
 * file is written beside its final name and renamed into place when complete:
 * a run that dies mid-write leaves the previous report, never half of a new one.
 */
export async function writeReport(ctx: Pick<CliContext, 'stdout'>, report: string | Iterable<string>, outputFile?: string): Promise<void> {
  await writeReportTo({ stdout: ctx.stdout, files: outputFile === undefined ? [] : [outputFile] }, report);
}

/** One build of a report to every destination that gets the same bytes: the chunks are made once, each written everywhere. */
export async function writeReportTo(to: { stdout?: CliContext['stdout']; files: readonly string[] }, report: string | Iterable<string>): Promise<void> {
  const targets = to.files.map((path) => ({ path, partial: join(dirname(resolve(path)), `.${basename(path)}.${process.pid}.partial`) }));
  const opened: { path: string; partial: string; file: FileHandle }[] = [];
  let complete = false;
  try {
    for (const target of targets) opened.push({ ...target, file: await open(target.partial, 'w') });
    let last = '';
    const write = async (chunk: string) => {
      if (to.stdout && !to.stdout.write(chunk)) await once(to.stdout, 'drain');
      for (const { file } of opened) await file.write(chunk, null, 'utf8');
      last = chunk;
    };
    for (const chunk of typeof report === 'string' ? [report] : report) if (chunk !== '') await write(chunk);
    if (!last.endsWith('\n')) await write('\n');
    complete = true;
  } finally {
    for (const { path, partial, file } of opened) {
      await file.close();
      if (complete) await rename(partial, path);
      else await unlink(partial).catch(() => undefined);
    }
  }
}

/**
 * Fails before any AWS call when `path` could not be written at the end of the
 * run (a lost report after a 10-minute audit). Checks only, never opens for
 * writing: an existing report stays untouched until the new one is ready.
 * An existing path must be a writable file; a new one needs a writable,
 * searchable directory.
 */
export async function assertWritableOutput(path: string, flag: string): Promise<void> {
  try {
    const existing = await statOrUndefined(path);
    if (existing?.isDirectory()) throw Object.assign(new Error('EISDIR: illegal operation on a directory'), { code: 'EISDIR' });
    if (existing) {
      await access(path, constants.W_OK);
      return;
    }
    const directory = dirname(resolve(path));
    if (!(await stat(directory)).isDirectory()) throw Object.assign(new Error('ENOTDIR: not a directory'), { code: 'ENOTDIR' });
    await access(directory, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw new UsageError(`cannot write ${flag} ${path}: ${systemReason(err)}`, 'OutputFileUnwritable', { cause: err });
  }
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** "ENOENT: no such file or directory", without Node's ", stat '/path'" tail (the path is named once already). */
function systemReason(err: unknown): string {
  // duck-typed: fs errors may come from another realm (vm contexts), where instanceof Error is false
  const { message, syscall } = (err ?? {}) as Partial<NodeJS.ErrnoException>;
  if (typeof message !== 'string') return String(err);
  return syscall ? message.split(`, ${syscall} `)[0] : message;
}
