/**
 * Working hours of a line, as configured (the seeds do not give telesales hours). Pure: the
 * caller passes the time, so the decision is testable and the engine stays free of clocks.
 */
export interface WorkingHours {
  /** ISO weekdays the line works: 1 = Monday … 7 = Sunday. */
  days: number[];
  /** "HH:MM", local to `timeZone`; `close` is exclusive. */
  open: string;
  close: string;
  /** IANA time zone, e.g. Europe/Moscow. */
  timeZone: string;
  /** Local dates (YYYY-MM-DD) the line does not work. */
  holidays: string[];
}

const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Formatters by shape and time zone: building one costs more than the whole rest of a turn's schedule check. */
const formatters = new Map<string, Intl.DateTimeFormat>();
const shapes = {
  parts: ['en-GB', { weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }],
  // Swedish writes ISO-like «2026-11-23 13:05:00».
  dateTime: ['sv-SE', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }],
} as const satisfies Record<string, readonly [string, Intl.DateTimeFormatOptions]>;

function formatter(shape: keyof typeof shapes, timeZone: string): Intl.DateTimeFormat {
  const key = `${shape}\n${timeZone}`;
  let format = formatters.get(key);
  if (!format) {
    const [locale, options] = shapes[shape];
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, format);
  }
  return format;
}

/** «2026-11-23 13:05:00»: `at` local to `timeZone` (spreadsheets read it as a date and time). */
export function localDateTime(at: Date, timeZone: string): string {
  return formatter('dateTime', timeZone).format(at);
}

function localParts(now: Date, timeZone: string) {
  const format = formatter('parts', timeZone);
  const parts = format.formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, weekday: weekdays[get('weekday')], time: `${get('hour')}:${get('minute')}` };
}

/** Whether the line works at `now` (not a holiday, a working weekday, open <= time < close). */
export function isOpen(hours: WorkingHours, now: Date): boolean {
  const local = localParts(now, hours.timeZone);
  return !hours.holidays.includes(local.date) && hours.days.includes(local.weekday) && local.time >= hours.open && local.time < hours.close;
}

const dayNames = ['', 'пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс'];

/** «пн–пт 09:00–18:00 (Europe/Moscow), кроме праздников» */
export function describeHours(hours: WorkingHours): string {
  const days = [...hours.days].sort();
  const contiguous = days.every((d, i) => i === 0 || d === days[i - 1] + 1);
  const dayText = contiguous && days.length > 2 ? `${dayNames[days[0]]}–${dayNames[days[days.length - 1]]}` : days.map((d) => dayNames[d]).join(', ');
  return `${dayText} ${hours.open}–${hours.close} (${hours.timeZone}), кроме праздников`;
}
