import {
  isRepeatOf,
  isUndelivered,
  mayAnnotate,
  NotYourDecisionError,
  sameFeedback,
  UnknownDecisionError,
  type AppendOutcome,
  type DecisionFilter,
  type DecisionLog,
  type DecisionPage,
  type DecisionRecord,
  type DecisionView,
  type DeliveryEvent,
  type FeedbackEvent,
  type FeedbackOptions,
  type FeedbackOutcome,
  type FormValuesEvent,
  type ReviewEvent,
} from '../../../domain/decisions.js';
import { matches, toView, withDelivery } from '../../../domain/decisionQuery.js';
import { storableDelivery, storableFeedback, storableFormValues, storableReview } from './storableText.js';

/** A decision log in memory: for tests and for trying the bot; everything is lost on exit. */
export class MemoryDecisionLog implements DecisionLog {
  private readonly records = new Map<string, DecisionRecord>();
  private readonly feedback = new Map<string, FeedbackEvent[]>();
  private readonly reviews = new Map<string, ReviewEvent[]>();
  private readonly formValues = new Map<string, FormValuesEvent[]>();
  private readonly deliveries = new Map<string, DeliveryEvent[]>();

  /** A repeat of a logged decision is kept as it was logged (see {@link isRepeatOf}); another decision under its id is refused. */
  async append(decision: DecisionRecord): Promise<AppendOutcome> {
    const logged = this.records.get(decision.id);
    if (logged && isRepeatOf(logged, decision)) return 'repeated';
    if (logged) throw new Error(`decision ${decision.id} is already logged`);
    this.records.set(decision.id, structuredClone(decision));
    return 'appended';
  }

  async addFeedback(given: FeedbackEvent, options: FeedbackOptions = {}): Promise<FeedbackOutcome> {
    const record = this.records.get(given.decisionId);
    if (!record) throw new UnknownDecisionError(given.decisionId);
    if (!mayAnnotate(record, given.by, options)) throw new NotYourDecisionError(given.decisionId);
    const event = storableFeedback(given);
    const list = this.feedback.get(event.decisionId) ?? [];
    const i = list.findIndex((f) => f.by.id === event.by.id);
    if (i >= 0 && sameFeedback(list[i], event)) return 'unchanged';
    // A changed verdict keeps the person's place in the list.
    this.feedback.set(event.decisionId, i >= 0 ? list.map((f, j) => (j === i ? structuredClone(event) : f)) : [...list, structuredClone(event)]);
    return i >= 0 ? 'changed' : 'recorded';
  }

  async addReview(event: ReviewEvent): Promise<void> {
    if (!this.records.has(event.decisionId)) throw new UnknownDecisionError(event.decisionId);
    this.reviews.set(event.decisionId, [...(this.reviews.get(event.decisionId) ?? []), storableReview(event)]);
  }

  async addFormValues(event: FormValuesEvent): Promise<void> {
    const record = this.records.get(event.decisionId);
    if (!record) throw new UnknownDecisionError(event.decisionId);
    if (!mayAnnotate(record, event.by)) throw new NotYourDecisionError(event.decisionId);
    this.formValues.set(event.decisionId, [...(this.formValues.get(event.decisionId) ?? []), storableFormValues(event)]);
  }

  async markDelivery(event: DeliveryEvent): Promise<void> {
    if (!this.records.has(event.decisionId)) throw new UnknownDecisionError(event.decisionId);
    this.deliveries.set(event.decisionId, [...(this.deliveries.get(event.decisionId) ?? []), storableDelivery(event)]);
  }

  private view(record: DecisionRecord): DecisionView {
    const forms = this.formValues.get(record.id);
    const withValues = forms?.length ? { ...record, formValues: forms[forms.length - 1].values } : record;
    const view = toView(withValues, this.feedback.get(record.id) ?? [], this.reviews.get(record.id) ?? []);
    return structuredClone(withDelivery(view, isUndelivered(this.deliveries.get(record.id) ?? [])));
  }

  async get(id: string): Promise<DecisionView | undefined> {
    const r = this.records.get(id);
    return r && this.view(r);
  }

  async query(filter: DecisionFilter, page: { offset: number; limit: number }): Promise<DecisionPage> {
    const all = [...this.records.values()].reverse().map((r) => this.view(r)).filter((v) => matches(v, filter));
    return { total: all.length, items: all.slice(page.offset, page.offset + page.limit) };
  }

  async close(): Promise<void> {}
}
