import type { GapDecision } from './decisions.js';
import { datesBetween, isoWeek, zonedDateOf } from './dates.js';
import type { UnansweredEvent } from './unanswered.js';

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

export const GAP_REASONS = ['noMatch', 'nothingFits', 'notCovered', 'cancelled', 'wrong'] as const;
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
export function gapItems(unanswered: readonly UnansweredEvent[], decisions: readonly GapDecision[], place: (procedureId: string, nodeId?: string) => string): GapItem[] {
  // Tens of thousands per report: each item is one object literal, no spread of a temporary one
  // (the keys stay in this order, which is the order the report's JSON shows them in).
  const items: GapItem[] = [];
  // A log that shares one person object between its events gets one copy of each back.
  const people = new Map<object, GapItem['operator']>();
  for (const u of unanswered) {
    const text = u.text ?? (u.procedureId ? place(u.procedureId, u.nodeId) : '');
    let operator = people.get(u.operator);
    if (!operator) people.set(u.operator, (operator = { id: u.operator.id, name: u.operator.name }));
    const reason = u.reason === 'switched' ? 'cancelled' : u.reason;
    items.push(u.procedureId ? { text, at: u.at, operator, reason, procedureId: u.procedureId } : { text, at: u.at, operator, reason });
  }
  for (const d of decisions) {
    if (d.kind === 'notCovered') items.push({ text: d.headline, operator: d.operator, reason: 'notCovered', at: d.at, procedureId: d.procedureId, decisionId: d.id });
    for (const w of d.wrong) items.push({ text: w.comment?.trim() || d.headline, operator: w.by, reason: 'wrong', at: d.at, procedureId: d.procedureId, decisionId: d.id });
  }
  return items;
}

const dice = (a: ReadonlySet<string>, b: ReadonlySet<string>) => {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return (2 * shared) / (a.size + b.size);
};

const emptyReasons = (): Record<GapReason, number> => ({ noMatch: 0, nothingFits: 0, notCovered: 0, cancelled: 0, wrong: 0 });

/** Groups items by similar wording; most frequent first. Deterministic for the same items in any order. */
export function groupGaps(items: readonly GapItem[], terms: (text: string) => string[]): GapGroup[] {
  const sorted = [...items].sort((a, b) => (a.at !== b.at ? (a.at < b.at ? -1 : 1) : a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  // A seed whose own text matched: the same text joins it without comparing again.
  const byText = new Map<string, (typeof groups)[number]>();
  const groups: { seed: Set<string>; key: string; members: GapItem[] }[] = [];
  for (const item of sorted) {
    const same = byText.get(item.text);
    if (same) {
      same.members.push(item);
      continue;
    }
    const own = new Set(terms(item.text));
    // A message with no terms («???») is grouped with the same text only.
    const key = own.size ? '' : item.text.trim().toLowerCase();
    const group = groups.find((g) => (own.size ? g.seed.size > 0 && dice(own, g.seed) >= SIMILAR : g.seed.size === 0 && g.key === key));
    if (group) group.members.push(item);
    else groups.push({ seed: own, key, members: [item] });
    byText.set(item.text, group ?? groups[groups.length - 1]);
  }
  return groups
    .map((g) => {
      const reasons = emptyReasons();
      for (const m of g.members) reasons[m.reason]++;
      return { label: labelOf(g.members), count: g.members.length, reasons, examples: g.members.slice(-MAX_EXAMPLES).reverse() };
    })
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'ru'));
}

/** The wording written most often in a group (any case, ё = е; as typed the first time); ties go to the earliest. */
function labelOf(members: readonly GapItem[]): string {
  const exact = new Map<string, number>();
  for (const m of members) exact.set(m.text, (exact.get(m.text) ?? 0) + 1);
  const folded = new Map<string, { text: string; n: number }>();
  for (const [text, n] of exact) {
    const k = text.trim().toLowerCase().replace(/ё/g, 'е');
    const row = folded.get(k);
    if (row) row.n += n;
    else folded.set(k, { text, n });
  }
  let best: { text: string; n: number } | undefined;
  for (const row of folded.values()) if (!best || row.n > best.n) best = row;
  return best?.text ?? '';
}

/** The report for the days `from`…`to` (`YYYY-MM-DD`, inclusive, in `timeZone`): every ISO week they touch, newest first. */
export function gapReport(items: readonly GapItem[], terms: (text: string) => string[], period: { from: string; to: string; timeZone: string }): GapReport {
  // The same wordings come back week after week: each is read once per report.
  const known = new Map<string, string[]>();
  const cached = (text: string) => known.get(text) ?? known.set(text, terms(text)).get(text)!;
  const byWeek = new Map<string, { week: ReturnType<typeof isoWeek>; items: GapItem[] }>();
  for (const d of datesBetween(period.from, period.to)) {
    const week = isoWeek(d);
    if (!byWeek.has(week.week)) byWeek.set(week.week, { week, items: [] });
  }
  const weekOf = new Map<string, string>();
  for (const item of items) {
    const date = zonedDateOf(item.at, period.timeZone);
    const week = weekOf.get(date) ?? weekOf.set(date, isoWeek(date).week).get(date)!;
    byWeek.get(week)?.items.push(item);
  }
  const weeks = [...byWeek.values()].map(({ week, items: list }) => ({ ...week, total: list.length, groups: groupGaps(list, cached) }));
  return { from: period.from, to: period.to, timeZone: period.timeZone, weeks: weeks.reverse() };
}
