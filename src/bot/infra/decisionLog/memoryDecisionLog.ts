import {
  isRepeatOf,
  mayAnnotate,
  NotYourDecisionError,
  sameFeedback,
  UnknownDecisionError,
  type DecisionCount,
  type DecisionFacets,
  type GapDecision,
  type PathCounts,
  type DecisionFilter,
  type DecisionLog,
  type DecisionPage,
  type DecisionRecord,
  type DecisionView,
  type FeedbackEvent,
  type FeedbackOptions,
  type FeedbackOutcome,
  type FormValuesEvent,
  type Period,
  type ReviewEvent,
} from '../../../domain/decisions.js';
import { facetsOf, filterableView, matches, pathKey, periodMatches, prepareFilter, tally, toView } from '../../../domain/decisionQuery.js';
import { zonedDateOf } from '../../../domain/dates.js';
import type { UnansweredEvent } from '../../../domain/unanswered.js';
import { storableFeedback, storableFormValues, storableReview, storableUnanswered } from './storableText.js';

/** A decision log in memory: for tests and for trying the bot; everything is lost on exit. */
export class MemoryDecisionLog implements DecisionLog {
  private readonly records = new Map<string, DecisionRecord>();
  private readonly feedback = new Map<string, FeedbackEvent[]>();
  private readonly reviews = new Map<string, ReviewEvent[]>();
  private readonly formValues = new Map<string, FormValuesEvent[]>();
  private readonly unansweredById = new Map<string, UnansweredEvent>();

  /** A repeat of a logged decision is kept as it was logged (see {@link isRepeatOf}); another decision under its id is refused. */
  async append(decision: DecisionRecord): Promise<void> {
    const logged = this.records.get(decision.id);
    if (logged && isRepeatOf(logged, decision)) return;
    if (logged) throw new Error(`decision ${decision.id} is already logged`);
    this.records.set(decision.id, structuredClone(decision));
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

  private view(record: DecisionRecord): DecisionView {
    const forms = this.formValues.get(record.id);
    const withValues = forms?.length ? { ...record, formValues: forms[forms.length - 1].values } : record;
    return structuredClone(toView(withValues, this.feedback.get(record.id) ?? [], this.reviews.get(record.id) ?? []));
  }

  async get(id: string): Promise<DecisionView | undefined> {
    const r = this.records.get(id);
    return r && this.view(r);
  }

  async query(filter: DecisionFilter, page: { offset: number; limit: number }): Promise<DecisionPage> {
    const f = prepareFilter(filter);
    const all = [...this.records.values()].reverse().map((r) => this.view(r)).filter((v) => matches(filterableView(v), f));
    return { total: all.length, items: all.slice(page.offset, page.offset + page.limit) };
  }

  async facets(period: Period): Promise<DecisionFacets> {
    return facetsOf([...this.records.values()].reverse().filter((r) => periodMatches(r.at, period)));
  }

  async addUnanswered(event: UnansweredEvent): Promise<void> {
    if (!this.unansweredById.has(event.id)) this.unansweredById.set(event.id, structuredClone(storableUnanswered(event)));
  }

  async unanswered(period: Period): Promise<UnansweredEvent[]> {
    return structuredClone([...this.unansweredById.values()].filter((u) => periodMatches(u.at, period)));
  }

  private within(period: Period): DecisionView[] {
    return [...this.records.values()].filter((r) => periodMatches(r.at, period)).map((r) => this.view(r));
  }

  async gapDecisions(period: Period): Promise<GapDecision[]> {
    return this.within(period).flatMap((v) => {
      const wrong = v.feedback.filter((f) => f.verdict === 'wrong').map((f) => ({ by: { id: f.by.id, name: f.by.name }, at: f.at, ...(f.comment ? { comment: f.comment } : {}) }));
      if (v.outcome.kind !== 'notCovered' && wrong.length === 0) return [];
      return [{ id: v.id, at: v.at, operator: { id: v.operator.id, name: v.operator.name }, procedureId: v.procedureId, procedureTitle: v.procedureTitle, kind: v.outcome.kind, headline: v.outcome.headline, wrong }];
    });
  }

  async decisionCounts(period: Period, timeZone: string): Promise<DecisionCount[]> {
    const rows = new Map<string, DecisionCount>();
    for (const r of this.records.values()) {
      if (!periodMatches(r.at, period)) continue;
      const date = zonedDateOf(r.at, timeZone);
      tally(rows, `${date}\n${r.procedureId}\n${r.outcome.nodeId}\n${r.outcome.kind}`, () => ({ date, procedureId: r.procedureId, procedureTitle: r.procedureTitle, kind: r.outcome.kind, nodeId: r.outcome.nodeId, headline: r.outcome.headline }));
    }
    return [...rows.values()];
  }

  async pathCounts(procedureId: string, period: Period): Promise<PathCounts> {
    const decisions = new Map<string, PathCounts['decisions'][number]>();
    for (const r of this.records.values()) {
      if (r.procedureId !== procedureId || !periodMatches(r.at, period)) continue;
      const path = pathKey(r.path);
      tally(decisions, `${path}\n${r.outcome.nodeId}`, () => ({ path, nodeId: r.outcome.nodeId, headline: r.outcome.headline }));
    }
    const unanswered = new Map<string, PathCounts['unanswered'][number]>();
    for (const u of this.unansweredById.values()) {
      if (u.procedureId !== procedureId || !periodMatches(u.at, period)) continue;
      const path = pathKey(u.path ?? []);
      tally(unanswered, `${u.reason}\n${u.nodeId ?? ''}\n${path}`, () => ({ reason: u.reason, ...(u.nodeId ? { nodeId: u.nodeId } : {}), path }));
    }
    return { decisions: [...decisions.values()], unanswered: [...unanswered.values()] };
  }

  async close(): Promise<void> {}
}
