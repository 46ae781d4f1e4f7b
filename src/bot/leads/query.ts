import { FOUND_BY, isFoundBy, VERDICT_FILTERS, type DecisionFilter, type Period, type VerdictFilter } from '../../domain/decisions.js';
import { datesBetween, ISO_DATE, isoDate, parseDate, zonedDayBounds } from '../../domain/dates.js';
import type { OutcomeKind } from '../../domain/types.js';
import { OUTCOME_KINDS } from '../../domain/vocabulary.js';

/**
 * The team-lead API's query strings read once: each parameter at most once, unknown ones refused,
 * dates as whole days of the configured zone. A bad one throws {@link BadRequest} naming it.
 */

export const MAX_LIMIT = 200;

const PARAMS = ['operator', 'procedure', 'kind', 'verdict', 'reviewed', 'from', 'to', 'awaitingReview', 'undelivered', 'foundBy', 'offset', 'limit'];
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export class BadRequest extends Error {}

/**
 * A `from`/`to` bound as an ISO instant: a date is the whole day in `timeZone` (its first or last
 * millisecond); a date-time must carry its zone.
 */
function isoBound(name: 'from' | 'to', value: string, timeZone: string): string {
  if (ISO_DATE.test(value) && parseDate(value)) {
    const day = zonedDayBounds(value, timeZone);
    return name === 'from' ? day.start : day.end;
  }
  if (DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  throw new BadRequest(`${name} must be a date (2026-11-23) or a date-time with a zone (2026-11-23T10:00:00Z)`);
}

export function checkParams(search: URLSearchParams, allowed: readonly string[]): void {
  for (const key of search.keys()) if (!allowed.includes(key)) throw new BadRequest(`unknown parameter "${key.slice(0, 40)}"`);
  for (const key of new Set(search.keys())) if (search.getAll(key).length > 1) throw new BadRequest(`parameter "${key}" is given more than once`);
}

function booleanParam(search: URLSearchParams, name: string): boolean | undefined {
  const value = search.get(name);
  if (value === null) return undefined;
  if (value !== 'true' && value !== 'false') throw new BadRequest(`${name} must be true or false`);
  return value === 'true';
}

/** `from` and `to` as instants (dates as whole days in `timeZone`); `from` after `to` is refused. */
function periodOf(search: URLSearchParams, timeZone: string): Period {
  const period: Period = {};
  const from = search.get('from');
  if (from !== null) period.from = isoBound('from', from, timeZone);
  const to = search.get('to');
  if (to !== null) period.to = isoBound('to', to, timeZone);
  if (period.from && period.to && period.from > period.to) throw new BadRequest('from is after to');
  return period;
}

/** The days a view covers, as dates in the zone and as the instants the log filters by. */
export interface Days {
  from: string;
  to: string;
  period: Period;
  dates: string[];
}

const MAX_DAYS = 366;

/**
 * `from` and `to` as dates (whole days in `timeZone`), only they allowed; missing ones default to
 * the last `defaultDays` days up to today. At most a year.
 */
export function parseDays(search: URLSearchParams, timeZone: string, now: Date, defaultDays: number): Days {
  checkParams(search, ['from', 'to']);
  const date = (name: 'from' | 'to') => {
    const v = search.get(name);
    if (v !== null && !(ISO_DATE.test(v) && parseDate(v))) throw new BadRequest(`${name} must be a date (2026-11-23)`);
    return v ?? undefined;
  };
  const to = date('to') ?? isoDate(now, timeZone);
  const from = date('from') ?? new Date(Date.parse(`${to}T00:00:00Z`) - (defaultDays - 1) * 86_400_000).toISOString().slice(0, 10);
  if (from > to) throw new BadRequest('from is after to');
  const dates = datesBetween(from, to);
  if (dates.length > MAX_DAYS) throw new BadRequest(`from and to may be at most ${MAX_DAYS} days apart`);
  return { from, to, dates, period: { from: zonedDayBounds(from, timeZone).start, to: zonedDayBounds(to, timeZone).end } };
}

/** A query of only `from` and `to`. */
export function parsePeriod(search: URLSearchParams, timeZone: string): Period {
  checkParams(search, ['from', 'to']);
  return periodOf(search, timeZone);
}

function integer(name: string, value: string | null, fallback: number, min: number, max: number): number {
  if (value === null) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) throw new BadRequest(`${name} must be a whole number from ${min} to ${max}`);
  return Number(value);
}

/** Query string → filter and page; throws BadRequest naming the parameter. Dates are whole days in `timeZone`. */
export function parseQuery(search: URLSearchParams, paged: boolean, timeZone: string): { filter: DecisionFilter; offset: number; limit: number } {
  checkParams(search, paged ? PARAMS : PARAMS.filter((k) => k !== 'offset' && k !== 'limit'));
  const filter: DecisionFilter = periodOf(search, timeZone);
  const get = (k: string) => search.get(k);
  const operator = get('operator');
  if (operator !== null) {
    if (!operator.trim() || operator.length > 200) throw new BadRequest('operator must be a Teams user id, an AAD object id or part of a name (1–200 characters)');
    filter.operator = operator.trim();
  }
  const procedure = get('procedure');
  if (procedure !== null) {
    if (!procedure.trim() || procedure.length > 200) throw new BadRequest('procedure must be a procedure id or part of its title (1–200 characters)');
    filter.procedure = procedure.trim();
  }
  const kind = get('kind');
  if (kind !== null) {
    if (!OUTCOME_KINDS.includes(kind as OutcomeKind)) throw new BadRequest(`kind must be one of ${OUTCOME_KINDS.join(', ')}`);
    filter.kind = kind as OutcomeKind;
  }
  const verdict = get('verdict');
  if (verdict !== null) {
    if (!VERDICT_FILTERS.includes(verdict as VerdictFilter)) throw new BadRequest(`verdict must be one of ${VERDICT_FILTERS.join(', ')}`);
    filter.verdict = verdict as VerdictFilter;
  }
  const reviewed = booleanParam(search, 'reviewed');
  if (reviewed !== undefined) filter.reviewed = reviewed;
  const awaiting = booleanParam(search, 'awaitingReview');
  if (awaiting !== undefined) filter.awaitingReview = awaiting;
  // Decisions whose card a failed turn never delivered (see turn/delivery.ts).
  const undelivered = booleanParam(search, 'undelivered');
  if (undelivered !== undefined) filter.undelivered = undelivered;
  const foundBy = get('foundBy');
  if (foundBy !== null) {
    if (!isFoundBy(foundBy)) throw new BadRequest(`foundBy must be one of ${FOUND_BY.join(', ')}`);
    filter.foundBy = foundBy;
  }
  return { filter, offset: integer('offset', get('offset'), 0, 0, 1_000_000_000), limit: integer('limit', get('limit'), 50, 1, MAX_LIMIT) };
}

