/**
 * Dates in one place: reading the dates people type, the calendar day of an instant in a time zone,
 * and the formatters that print them. Building an `Intl.DateTimeFormat` costs more than formatting
 * with one many times over, so each locale and option set is built once and kept.
 */

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** `YYYY-MM-DD`, as date inputs send it and the API takes it. */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const formats = new Map<string, Intl.DateTimeFormat>();

/** A formatter for this locale and these options, built on first use and kept. */
export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\n${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

/** `YYYY-MM-DD` of `now` in a time zone (the bot's working time zone). */
export function isoDate(now: Date, timeZone = 'Europe/Moscow'): string {
  return dateFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** «2026-11-23 13:05:00»: `at` local to `timeZone` (Swedish writes ISO-like; spreadsheets read it as a date and time). */
export function localDateTime(at: Date, timeZone: string): string {
  return dateFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(at);
}

/**
 * Reads a date as a card sends it (`YYYY-MM-DD`) or as a person types it (`17/04`, `17.04.2014`).
 * Without `defaultYear` the year must be written. Undefined unless it is a real calendar date.
 */
export function parseDate(text: string, defaultYear?: number): CalendarDate | undefined {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  let year: number, month: number, day: number;
  if (m) [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{1,2})[./](\d{1,2})(?:[./](\d{4}))?$/.exec(text);
    if (!m || (!m[3] && defaultYear === undefined)) return undefined;
    [day, month, year] = [Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : defaultYear!];
  }
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

/** The UTC instant of local midnight starting a day in `timeZone` (DST-safe: offset checked twice). */
export function zonedDayStart(y: number, m: number, d: number, timeZone: string): Date {
  const parts = dateFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const offsetAt = (t: number) => {
    const p = Object.fromEntries(parts.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - t;
  };
  const guess = Date.UTC(y, m - 1, d);
  let t = guess - offsetAt(guess);
  t = guess - offsetAt(t);
  return new Date(t);
}

/** The calendar day after `date` (`YYYY-MM-DD`), as `YYYY-MM-DD`. */
export function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * A whole day in `timeZone` as inclusive ISO instants: what a `from`/`to` date of the team-lead
 * views means (the day people work in, not the UTC day).
 */
export function zonedDayBounds(date: string | CalendarDate, timeZone: string): { start: string; end: string } {
  const [y, m, d] = typeof date === 'string' ? date.split('-').map(Number) : [date.year, date.month, date.day];
  const start = zonedDayStart(y, m, d, timeZone);
  const next = zonedDayStart(y, m, d + 1, timeZone);
  return { start: start.toISOString(), end: new Date(next.getTime() - 1).toISOString() };
}

/** Laid out as `toISOString` writes it (2026-03-10T09:00:00.000Z), where string order is time order; checked without a regular expression, as it is per entry. */
const isIsoInstant = (at: string) =>
  at.length === 24 && at[23] === 'Z' && at[10] === 'T' && at[4] === '-' && at[7] === '-' && at[13] === ':' && at[16] === ':' && at[19] === '.';

/** Every `YYYY-MM-DD` from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = nextDate(d)) out.push(d);
  return out;
}

/** The ISO week of a calendar date: `2026-W48`, with its Monday and Sunday. */
export function isoWeek(date: string): { week: string; from: string; to: string } {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  const weekday = (t.getUTCDay() + 6) % 7; // Monday 0
  const monday = new Date(t.getTime() - weekday * 86_400_000);
  const thursday = new Date(monday.getTime() + 3 * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  const iso = (x: Date) => x.toISOString().slice(0, 10);
  return { week: `${year}-W${String(week).padStart(2, '0')}`, from: iso(monday), to: iso(new Date(monday.getTime() + 6 * 86_400_000)) };
}

/** Per zone: the day of each quarter hour looked up, and the day the last instant fell in. */
const zonedDates = new Map<string, { quarters: Map<number, string>; last?: { date: string; start: string; end: string } }>();
const QUARTER_HOUR = 15 * 60_000;

/**
 * `YYYY-MM-DD` in `timeZone` of an ISO instant, for counting many: every zone's offset is a whole
 * number of quarter hours, so the day is looked up once per quarter hour and kept. Instants mostly
 * come in time order (a log's entries), so one written as `toISOString` writes it inside the last
 * one's day is told by comparing strings, without parsing it.
 */
export function zonedDateOf(at: string, timeZone: string): string {
  let zone = zonedDates.get(timeZone);
  if (!zone) zonedDates.set(timeZone, (zone = { quarters: new Map() }));
  const { last } = zone;
  if (last && at >= last.start && at <= last.end && isIsoInstant(at)) return last.date;
  const quarter = Math.floor(Date.parse(at) / QUARTER_HOUR);
  let date = zone.quarters.get(quarter);
  if (date === undefined) {
    if (zone.quarters.size > 100_000) zone.quarters.clear();
    zone.quarters.set(quarter, (date = isoDate(new Date(quarter * QUARTER_HOUR), timeZone)));
  }
  if (last?.date !== date) zone.last = { date, ...zonedDayBounds(date, timeZone) };
  return date;
}
