import { currentFeedback, searchKey, verdictMatches, verdictOf, type DecisionFacets, type DecisionFilter, type DecisionRecord, type DecisionView, type FeedbackEvent, type Period, type ReviewEvent, type VerdictSummary } from './decisions.js';

/** Pure pieces shared by every decision-log store: building views and applying filters. */

/** A decision with its events; `feedback` may hold every click, the view keeps each person's latest. */
export function toView(record: DecisionRecord, events: FeedbackEvent[], reviews: ReviewEvent[]): DecisionView {
  const feedback = currentFeedback(events);
  const lastWrong = feedback.filter((f) => f.verdict === 'wrong').reduce<string | undefined>((t, f) => (t && t > f.at ? t : f.at), undefined);
  const lastReview = reviews.reduce<string | undefined>((t, r) => (t && t > r.at ? t : r.at), undefined);
  return { ...record, feedback, reviews, awaitingReview: lastWrong !== undefined && (lastReview === undefined || lastReview < lastWrong), verdict: verdictOf(feedback) };
}

/** A view with the delivery mark, when the decision's marks say undelivered ({@link isUndelivered}). */
export const withDelivery = (view: DecisionView, undelivered: boolean): DecisionView => (undelivered ? { ...view, undelivered: true } : view);

/** The fields a filter looks at: a whole view, or a store's compact summary of one. */
export type Filterable = Pick<DecisionView, 'procedureId' | 'procedureTitle' | 'at' | 'awaitingReview' | 'undelivered' | 'foundBy'> & {
  /** `key`: the name as {@link searchKey} folds it, when a store keeps it folded. */
  operator: Pick<DecisionView['operator'], 'id' | 'aadObjectId' | 'name'> & { key?: string };
  /** The title folded, when a store keeps it so. */
  titleKey?: string;
  outcome: Pick<DecisionView['outcome'], 'kind'>;
  verdict: VerdictSummary;
  reviewed: boolean;
};

/** A view as {@link matches} reads it. */
export const filterableView = (v: DecisionView): Filterable => ({ ...v, reviewed: v.reviews.length > 0 });

/** The filter's name and title fragments folded once, not per decision. */
export interface PreparedFilter extends DecisionFilter {
  operatorKey?: string;
  procedureKey?: string;
}

export const prepareFilter = (f: DecisionFilter): PreparedFilter => ({
  ...f,
  ...(f.operator ? { operatorKey: searchKey(f.operator) } : {}),
  ...(f.procedure ? { procedureKey: searchKey(f.procedure) } : {}),
});

/** Whether a name or title (folded, or folded now) holds a folded fragment; an empty fragment (all punctuation) matches nothing. */
const holds = (folded: string | undefined, text: string | undefined, key: string) => key.length > 0 && (folded ?? searchKey(text ?? '')).includes(key);

export function periodMatches(at: string, p: Period): boolean {
  return (!p.from || at >= p.from) && (!p.to || at <= p.to);
}

export function matches(view: Filterable, f: PreparedFilter): boolean {
  return (
    (!f.operatorId || view.operator.id === f.operatorId || view.operator.aadObjectId === f.operatorId) &&
    (!f.operator || view.operator.id === f.operator || view.operator.aadObjectId === f.operator || holds(view.operator.key, view.operator.name, f.operatorKey ?? searchKey(f.operator))) &&
    (!f.procedureId || view.procedureId === f.procedureId) &&
    (!f.procedure || view.procedureId === f.procedure || holds(view.titleKey, view.procedureTitle, f.procedureKey ?? searchKey(f.procedure))) &&
    (!f.kind || view.outcome.kind === f.kind) &&
    periodMatches(view.at, f) &&
    (!f.verdict || verdictMatches(view.verdict, f.verdict)) &&
    (f.reviewed === undefined || view.reviewed === f.reviewed) &&
    (f.awaitingReview === undefined || view.awaitingReview === f.awaitingReview) &&
    (f.undelivered === undefined || (view.undelivered === true) === f.undelivered) &&
    (!f.foundBy || view.foundBy === f.foundBy)
  );
}

/** Counts operators and procedures over decisions given newest first: the first name seen for an id wins. */
export function facetsOf(newestFirst: Iterable<{ operator: { id: string; name: string }; procedureId: string; procedureTitle: string }>): DecisionFacets {
  const operators = new Map<string, { id: string; name: string; count: number }>();
  const procedures = new Map<string, { id: string; title: string; count: number }>();
  for (const d of newestFirst) {
    tally(operators, d.operator.id, () => ({ id: d.operator.id, name: d.operator.name }));
    tally(procedures, d.procedureId, () => ({ id: d.procedureId, title: d.procedureTitle }));
  }
  return sortFacets({ operators: [...operators.values()], procedures: [...procedures.values()] });
}

/** Most decisions first, then by name or title: the order pickers show. */
export function sortFacets(f: DecisionFacets): DecisionFacets {
  return {
    operators: [...f.operators].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'ru') || (a.id < b.id ? -1 : 1)),
    procedures: [...f.procedures].sort((a, b) => b.count - a.count || a.title.localeCompare(b.title, 'ru') || (a.id < b.id ? -1 : 1)),
  };
}

/** A path as the option ids taken, `node=option,…`: what the per-option counts are read from. */
export const pathKey = (path: readonly { nodeId: string; optionId: string }[]): string => path.map((s) => `${s.nodeId}=${s.optionId}`).join(',');

/** The steps of a {@link pathKey}. */
export const pathSteps = (key: string): { nodeId: string; optionId: string }[] =>
  key ? key.split(',').map((s) => ({ nodeId: s.slice(0, s.indexOf('=')), optionId: s.slice(s.indexOf('=') + 1) })) : [];

/** Counts into `rows` under `key`, the row made by `make` the first time. */
export function tally<T extends { count: number }>(rows: Map<string, T>, key: string, make: () => Omit<T, 'count'>, by = 1): void {
  const row = rows.get(key);
  if (row) row.count += by;
  else rows.set(key, { ...make(), count: by } as T);
}
