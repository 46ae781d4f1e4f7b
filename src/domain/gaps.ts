import type { GapDecision } from './decisions.js';
import { datesBetween, isoWeek, zonedDateOf, zonedDayBounds } from './dates.js';
import type { UnansweredEvent, UnansweredReason } from './unanswered.js';

/**
 * The knowledge manager's worklist: what operators asked that the bot could not answer, grouped by
 * similar wording, per ISO week of the configured zone.
 *
 * Grouping, explainably: a message's terms are what search reads of it (stems, synonym families,
 * look-alike letters, typos; injected, so this stays pure). Messages are taken oldest first; each
 * joins the first group whose first message it resembles — Dice similarity of the two term sets
 * (twice the shared terms over the sum of both counts) at least {@link SIMILAR} — or starts a new
 * group. «клиент орет» and «кл орёт матом» share «клиент» and «орет»: 2·2 / (2 + 3) = 0.8.
 */

export const GAP_REASONS = ['noMatch', 'nothingFits', 'notCovered', 'cancelled', 'wrong', 'corrected'] as const;
export type GapReason = (typeof GAP_REASONS)[number];

export interface GapItem {
  text: string;
  at: string;
  operator: { id: string; name: string };
  reason: GapReason;
  procedureId?: string;
  decisionId?: string;
}

export interface GapGroup {
  label: string;
  count: number;
  reasons: Record<GapReason, number>;
  examples: GapItem[];
}

export interface GapWeek {
  week: string;
  from: string;
  to: string;
  total: number;
  groups: GapGroup[];
}

export interface GapReport {
  from: string;
  to: string;
  timeZone: string;
  weeks: GapWeek[];
}

/** Least Dice similarity of term sets for two messages to be one group. */
export const SIMILAR = 0.6;
export const MAX_EXAMPLES = 5;

/**
 * The report's items: unanswered questions (a dialog left for another situation counts as
 * cancelled), not-covered outcomes (their headline says what the procedure does not describe) and
 * each current «Ответ неверный» (its comment, else the headline). `place` words a question without
 * text: the procedure and the question the operator left at.
 */
export function gapItems(unanswered: readonly UnansweredEvent[], decisions: readonly GapDecision[], place: GapPlace): GapItem[] {
  const items: GapItem[] = [];
  // A log that shares one person object between its events gets one copy of each back.
  const people = new Map<object, GapItem['operator']>();
  for (const u of unanswered) {
    let operator = people.get(u.operator);
    if (!operator) people.set(u.operator, (operator = { id: u.operator.id, name: u.operator.name }));
    items.push(unansweredItem(u, place, operator));
  }
  for (const d of decisions) {
    if (d.kind === 'notCovered') items.push(notCoveredItem(d));
    for (const w of d.wrong) items.push(wrongItem(d, w));
  }
  return items;
}

/** Words a question the operator left without typing anything: the procedure and its question. */
export type GapPlace = (procedureId: string, nodeId?: string) => string;

// Tens of thousands per report: each item is one object literal, no spread of a temporary one
// (the keys stay in this order, which is the order the report's JSON shows them in).

/** An unanswered question as the report lists it (a dialog left for another situation counts as cancelled). */
export function unansweredItem(u: UnansweredEvent, place: GapPlace, operator: GapItem['operator'] = { id: u.operator.id, name: u.operator.name }): GapItem {
  const text = unansweredText(u, place);
  const reason = gapReasonOf(u.reason);
  return u.procedureId ? { text, at: u.at, operator, reason, procedureId: u.procedureId } : { text, at: u.at, operator, reason };
}

/** What the report reads as an unanswered question's wording: what was typed, else where the operator left. */
const unansweredText = (u: Pick<UnansweredEvent, 'text' | 'procedureId' | 'nodeId'>, place: GapPlace): string => u.text ?? (u.procedureId ? place(u.procedureId, u.nodeId) : '');

export const gapReasonOf = (reason: UnansweredReason): GapReason => (reason === 'switched' ? 'cancelled' : reason);

/** A not-covered outcome: its headline says what the procedure does not describe. */
export const notCoveredItem = (d: GapDecision): GapItem => ({ text: d.headline, operator: d.operator, reason: 'notCovered', at: d.at, procedureId: d.procedureId, decisionId: d.id });

/** A current «Ответ неверный»: its comment, else the headline. */
export const wrongItem = (d: GapDecision, w: GapDecision['wrong'][number]): GapItem => ({
  text: w.comment?.trim() || d.headline,
  operator: w.by,
  reason: 'wrong',
  at: d.at,
  procedureId: d.procedureId,
  decisionId: d.id,
});

/**
 * One wording of a week's items, all the grouping reads of them: the items of one text, counted.
 * Items of the same text always fall in the same group, so a log may count them where it keeps
 * them ({@link gapReportOfWordings}) instead of handing over every item.
 */
export interface GapWording {
  text: string;
  /** The `at` of its first item. */
  first: string;
  count: number;
  reasons: Record<GapReason, number>;
  /** Its last {@link MAX_EXAMPLES} items in report order (by `at`, ties in the order the log lists them), oldest first. */
  latest: GapItem[];
}

/** Report order: by `at`, then text; a stable sort keeps ties in the order the items are listed. */
const byReportOrder = (a: GapItem, b: GapItem) => (a.at !== b.at ? (a.at < b.at ? -1 : 1) : a.text < b.text ? -1 : a.text > b.text ? 1 : 0);

/** Items as wordings, in the order their texts first occur (by `first`, then text). */
function wordingsOf(items: readonly GapItem[]): GapWording[] {
  const byText = new Map<string, GapWording>();
  for (const item of [...items].sort(byReportOrder)) {
    let w = byText.get(item.text);
    if (!w) byText.set(item.text, (w = { text: item.text, first: item.at, count: 0, reasons: emptyReasons(), latest: [] }));
    w.count++;
    w.reasons[item.reason]++;
    w.latest.push(item);
    if (w.latest.length > MAX_EXAMPLES) w.latest.shift();
  }
  return [...byText.values()];
}

const dice = (a: ReadonlySet<string>, b: ReadonlySet<string>) => {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return (2 * shared) / (a.size + b.size);
};

export const emptyReasons = (): Record<GapReason, number> => ({ noMatch: 0, nothingFits: 0, notCovered: 0, cancelled: 0, wrong: 0, corrected: 0 });

/** Groups items by similar wording; most frequent first. Deterministic for the same items in any order. */
export function groupGaps(items: readonly GapItem[], terms: (text: string) => string[]): GapGroup[] {
  return groupWordings(wordingsOf(items), terms);
}

/** Groups wordings (each text once) by similarity; most frequent first. */
function groupWordings(wordings: readonly GapWording[], terms: (text: string) => string[]): GapGroup[] {
  // Taken in the order their texts first occur, as the items they count would be.
  const sorted = [...wordings].sort((a, b) => (a.first !== b.first ? (a.first < b.first ? -1 : 1) : a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  const groups: { seed: Set<string>; key: string; members: GapWording[] }[] = [];
  for (const wording of sorted) {
    const own = new Set(terms(wording.text));
    // A message with no terms («???») is grouped with the same text only.
    const key = own.size ? '' : wording.text.trim().toLowerCase();
    const group = groups.find((g) => (own.size ? g.seed.size > 0 && dice(own, g.seed) >= SIMILAR : g.seed.size === 0 && g.key === key));
    if (group) group.members.push(wording);
    else groups.push({ seed: own, key, members: [wording] });
  }
  return groups
    .map((g) => {
      const reasons = emptyReasons();
      let count = 0;
      for (const m of g.members) {
        count += m.count;
        for (const r of GAP_REASONS) reasons[r] += m.reasons[r];
      }
      // Texts differ between wordings, so the stable sort keeps each one's own order of ties.
      const examples = g.members.flatMap((m) => m.latest).sort(byReportOrder);
      return { label: labelOf(g.members), count, reasons, examples: examples.slice(-MAX_EXAMPLES).reverse() };
    })
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'ru'));
}

/** The wording written most often in a group (any case, ё = е; as typed the first time); ties go to the earliest. */
function labelOf(members: readonly GapWording[]): string {
  const folded = new Map<string, { text: string; n: number }>();
  for (const { text, count } of members) {
    const k = text.trim().toLowerCase().replace(/ё/g, 'е');
    const row = folded.get(k);
    if (row) row.n += count;
    else folded.set(k, { text, n: count });
  }
  let best: { text: string; n: number } | undefined;
  for (const row of folded.values()) if (!best || row.n > best.n) best = row;
  return best?.text ?? '';
}

/** The report for the days `from`…`to` (`YYYY-MM-DD`, inclusive, in `timeZone`): every ISO week they touch, newest first. */
export function gapReport(items: readonly GapItem[], terms: (text: string) => string[], period: GapPeriod): GapReport {
  const byWeek = new Map(gapWeeks(period).map((w) => [w.week, [] as GapItem[]]));
  const weekOf = new Map<string, string>();
  for (const item of items) {
    const date = zonedDateOf(item.at, period.timeZone);
    const week = weekOf.get(date) ?? weekOf.set(date, isoWeek(date).week).get(date)!;
    byWeek.get(week)?.push(item);
  }
  return gapReportOfWordings(new Map([...byWeek].map(([week, list]) => [week, wordingsOf(list)])), terms, period);
}

export interface GapPeriod {
  from: string;
  to: string;
  timeZone: string;
}

/** An ISO week: its dates (`YYYY-MM-DD`) and its instants in the report's zone, inclusive. */
export interface GapWeekBounds {
  week: string;
  from: string;
  to: string;
  start: string;
  end: string;
}

/** The ISO weeks the days of a period touch, oldest first, each with its instants in the zone (inclusive). */
export function gapWeeks(period: GapPeriod): GapWeekBounds[] {
  const weeks = new Map<string, ReturnType<typeof isoWeek>>();
  for (const d of datesBetween(period.from, period.to)) {
    const week = isoWeek(d);
    if (!weeks.has(week.week)) weeks.set(week.week, week);
  }
  return [...weeks.values()].map((w) => ({ ...w, start: zonedDayBounds(w.from, period.timeZone).start, end: zonedDayBounds(w.to, period.timeZone).end }));
}

/** The report from each week's wordings (by {@link gapWeeks}' `week`; a week missing has none). */
export function gapReportOfWordings(byWeek: ReadonlyMap<string, readonly GapWording[]>, terms: (text: string) => string[], period: GapPeriod): GapReport {
  // The same wordings come back week after week: each is read once per report.
  const known = new Map<string, string[]>();
  const cached = (text: string) => known.get(text) ?? known.set(text, terms(text)).get(text)!;
  const weeks = gapWeeks(period).map(({ week, from, to }) => {
    const wordings = byWeek.get(week) ?? [];
    return { week, from, to, total: wordings.reduce((n, w) => n + w.count, 0), groups: groupWordings(wordings, cached) };
  });
  return { from: period.from, to: period.to, timeZone: period.timeZone, weeks: weeks.reverse() };
}
