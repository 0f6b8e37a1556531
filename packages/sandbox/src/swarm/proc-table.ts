import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { commandLineOf } from './processes.js';
import type { Clock, ProcessSnapshot, ProcessTable } from './stop-processes.js';

/** The host's process table, read from /proc. */
export const procTable: ProcessTable = {
  async read(pid) {
    try {
      return parseStat(pid, await readFile(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return undefined;
    }
  },
  commandLine: commandLineOf,
  async list() {
    const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
    const rows = await Promise.all(pids.map((pid) => procTable.read(pid)));
    return rows.filter((r): r is ProcessSnapshot => r !== undefined);
  },
  signal(pid, signal) {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  },
};

export const systemClock: Clock = { now: () => Date.now(), sleep: (ms) => sleep(ms) };

/** The command name may hold spaces and parentheses: fields are counted after the last ')'. */
export function parseStat(pid: number, stat: string): ProcessSnapshot | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state, ppid] = fields;
  const startTime = fields[19]; // field 22 of proc(5); fields[0] is field 3
  if (state === undefined || ppid === undefined || startTime === undefined || !/^\d+$/.test(startTime)) return undefined;
  return { pid, ppid: Number(ppid), startTime, zombie: state === 'Z' || state === 'X' };
}

/** The start time of a live process, to record next to its pid; undefined when it is gone. */
export async function startTimeOf(pid: number): Promise<string | undefined> {
  return (await procTable.read(pid))?.startTime;
}
