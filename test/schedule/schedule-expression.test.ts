/** The schedules State Manager takes for an association, and the ones it refuses (30 minutes at the most often). */
import { parseScheduleExpression } from '../../src/schedule/schedule-expression.js';

test.each([
  ['rate(30 minutes)', 1_800_000],
  ['rate(1 hour)', 3_600_000],
  ['rate(2 hours)', 7_200_000],
  ['rate(1 day)', 86_400_000],
  ['rate(7 days)', 604_800_000],
  ['rate(1 days)', 86_400_000], // the agent takes either number
])('%s runs every %d ms', (text, everyMs) => {
  expect(parseScheduleExpression(text)).toEqual({ ok: true, schedule: { kind: 'rate', text, everyMs } });
});

test.each(['cron(0 2 ? * * *)', 'cron(0 2 * * ?)', 'cron(0/30 * * * ? *)', 'cron(15,45 * * * ? *)', 'cron(0 0 ? * THU#2 *)', 'cron(0,40 3 * * ? *)'])('%s is accepted', (text) => {
  expect(parseScheduleExpression(text)).toMatchObject({ ok: true, schedule: { kind: 'cron' } });
});

test.each([
  ['rate(29 minutes)', /at most every 30 minutes/],
  ['rate(0 hours)', /positive/],
  ['rate(1 week)', /neither/],
  ['rate(1.5 hours)', /neither/],
  ['every day', /neither/],
  ['cron(* * * * ? *)', /more often than every 30 minutes/],
  ['cron(0/15 * * * ? *)', /more often/],
  ['cron(0,45 * * * ? *)', /more often/], // 45 then 0 of the next hour: 15 minutes apart
  ['cron(0,20 3 * * ? *)', /more often/], // twice in hour 3, 20 minutes apart
  ['cron(0 2 *)', /5 or 6 fields/],
  ['cron(0 2 ; * ? *)', /character/],
])('%s is refused: %s', (text, reason) => {
  const parsed = parseScheduleExpression(text);
  expect(parsed.ok).toBe(false);
  if (!parsed.ok) expect(parsed.reason).toMatch(reason);
});

test('at() runs once at a UTC time', () => {
  expect(parseScheduleExpression('at(2027-01-02T03:04:05)')).toEqual({ ok: true, schedule: { kind: 'at', text: 'at(2027-01-02T03:04:05)', atMs: Date.parse('2027-01-02T03:04:05Z') } });
});
