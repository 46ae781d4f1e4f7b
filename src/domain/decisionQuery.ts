import { currentFeedback, type DecisionFilter, type DecisionRecord, type DecisionView, type FeedbackEvent, type ReviewEvent } from './decisions.js';
import { upperBound } from './dates.js';

/** Pure pieces shared by every decision-log store: building views and applying filters. */

/** A decision with its events; `feedback` may hold every click, the view keeps each person's latest. */
export function toView(record: DecisionRecord, events: FeedbackEvent[], reviews: ReviewEvent[]): DecisionView {
  const feedback = currentFeedback(events);
  const lastWrong = feedback.filter((f) => f.verdict === 'wrong').reduce<string | undefined>((t, f) => (t && t > f.at ? t : f.at), undefined);
  const lastReview = reviews.reduce<string | undefined>((t, r) => (t && t > r.at ? t : r.at), undefined);
  return { ...record, feedback, reviews, awaitingReview: lastWrong !== undefined && (lastReview === undefined || lastReview < lastWrong) };
}

/** A view with the delivery mark, when the decision's marks say undelivered ({@link isUndelivered}). */
export const withDelivery = (view: DecisionView, undelivered: boolean): DecisionView => (undelivered ? { ...view, undelivered: true } : view);

/** The fields a filter looks at: a whole view, or a store's compact summary of one. */
export type Filterable = Pick<DecisionView, 'procedureId' | 'at' | 'awaitingReview' | 'undelivered'> & {
  operator: Pick<DecisionView['operator'], 'id' | 'aadObjectId'>;
  outcome: Pick<DecisionView['outcome'], 'kind'>;
};

export function matches(view: Filterable, f: DecisionFilter): boolean {
  return (
    (!f.operatorId || view.operator.id === f.operatorId || view.operator.aadObjectId === f.operatorId) &&
    (!f.procedureId || view.procedureId === f.procedureId) &&
    (!f.kind || view.outcome.kind === f.kind) &&
    (!f.from || view.at >= f.from) &&
    (!f.to || view.at <= upperBound(f.to)) &&
    (f.awaitingReview === undefined || view.awaitingReview === f.awaitingReview) &&
    (f.undelivered === undefined || (view.undelivered === true) === f.undelivered)
  );
}
