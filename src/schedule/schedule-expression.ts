/**
 * State Manager schedule expressions, as AWS accepts them for an association
 * (docs/ssm.md, "State Manager"): `rate(N minute[s]|hour[s]|day[s])` no more
 * often than every 30 minutes, `cron(...)` with 5 or 6 fields (minutes hours
 * day-of-month month day-of-week [year]) that fires at most every 30 minutes,
 * and `at(yyyy-mm-ddThh:mm:ss)` for one run. The agent's own parser
 * (amazon-ssm-agent rateexpr) takes the unit singular or plural.
 * The sandbox endpoint validates with this same code.
 */
const MIN_INTERVAL_MINUTES = 30;

type ScheduleExpression =
  | { kind: 'rate'; text: string; everyMs: number }
  | { kind: 'cron'; text: string }
  | { kind: 'at'; text: string; atMs: number };

export type ParsedSchedule = { ok: true; schedule: ScheduleExpression } | { ok: false; reason: string };

const RATE = /^rate\((\d+) +(minute|minutes|hour|hours|day|days)\)$/i;
const CRON = /^cron\((.+)\)$/i;
const AT = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/i;
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const CRON_FIELD = /^[0-9A-Za-z,*?/#-]+$/;

export function parseScheduleExpression(text: string): ParsedSchedule {
  const rate = RATE.exec(text);
  if (rate) return rateSchedule(text, Number(rate[1]), rate[2].toLowerCase().replace(/s$/, ''));
  const cron = CRON.exec(text);
  if (cron) return cronSchedule(text, cron[1].trim().split(/\s+/));
  const at = AT.exec(text);
  if (at) {
    const atMs = Date.parse(`${at[1]}Z`);
    return Number.isNaN(atMs) ? { ok: false, reason: `${text}: not a valid UTC date and time` } : { ok: true, schedule: { kind: 'at', text, atMs } };
  }
  return { ok: false, reason: `${text} is neither rate(N minutes|hours|days), cron(5 or 6 fields) nor at(yyyy-mm-ddThh:mm:ss)` };
}

function rateSchedule(text: string, value: number, unit: string): ParsedSchedule {
  if (!Number.isSafeInteger(value) || value <= 0) return { ok: false, reason: `${text}: the value must be a positive whole number` };
  const everyMs = value * UNIT_MS[unit];
  if (everyMs < MIN_INTERVAL_MINUTES * 60_000) {
    return { ok: false, reason: `${text}: State Manager runs an association at most every ${MIN_INTERVAL_MINUTES} minutes` };
  }
  return { ok: true, schedule: { kind: 'rate', text, everyMs } };
}

function cronSchedule(text: string, fields: string[]): ParsedSchedule {
  if (fields.length !== 5 && fields.length !== 6) {
    return { ok: false, reason: `${text}: a cron expression has 5 or 6 fields (minutes hours day-of-month month day-of-week [year]), got ${fields.length}` };
  }
  const bad = fields.find((f) => !CRON_FIELD.test(f));
  if (bad !== undefined) return { ok: false, reason: `${text}: field "${bad}" holds a character cron does not take` };
  const minutes = fields[0];
  if (firesMoreOftenThanHalfHourly(minutes, fields[1])) {
    return { ok: false, reason: `${text}: fires more often than every ${MIN_INTERVAL_MINUTES} minutes` };
  }
  return { ok: true, schedule: { kind: 'cron', text } };
}

/** Minutes `*` or a range, a step under 30, or two listed minutes under 30 apart (across the hour too, unless one fixed hour). */
function firesMoreOftenThanHalfHourly(minutes: string, hours: string): boolean {
  if (minutes === '*' || minutes.includes('-')) return true;
  const step = /\/(\d+)$/.exec(minutes);
  if (step) return Number(step[1]) < MIN_INTERVAL_MINUTES;
  const listed = minutes.split(',').map(Number).sort((a, b) => a - b);
  if (listed.some((m) => Number.isNaN(m))) return false;
  const gaps = listed.slice(1).map((m, i) => m - listed[i]);
  if (listed.length > 1 && !/^\d+$/.test(hours)) gaps.push(60 - listed.at(-1)! + listed[0]);
  return gaps.some((gap) => gap < MIN_INTERVAL_MINUTES);
}
