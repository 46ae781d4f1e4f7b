import type { PathStep } from './engine.js';
import type { Citation, OutcomeKind } from './types.js';

/**
 * What team leads check: who got which answer, by which path, from which passage. Records are
 * append-only; feedback and reviews are later events that refer to a decision by id.
 */

export interface Person {
  /** Teams user id (or the channel's user id). */
  id: string;
  name: string;
  /** Azure AD object id, when the channel gives it (Teams does). */
  aadObjectId?: string;
}

export interface DecisionRecord {
  id: string;
  /** ISO 8601 time the outcome was given. */
  at: string;
  operator: Person;
  conversationId: string;
  procedureId: string;
  procedureVersion: number;
  procedureTitle: string;
  /** Content hash of the knowledge-base files the answer came from. */
  kbVersion: string;
  path: PathStep[];
  outcome: { nodeId: string; kind: OutcomeKind; headline: string };
  citations: Citation[];
  /** Values an operator filled into the outcome's form, when it has one. */
  formValues?: Record<string, string>;
}

/**
 * An operator submitted the outcome's form and it passed validation. A later event
 * replaces an earlier one: the newest event's `values` are the decision's `formValues` in views.
 * Values hold customers' personal data: stores keep them, logs and consoles must not print them.
 */
export interface FormValuesEvent {
  decisionId: string;
  at: string;
  by: Person;
  /** Id of the form in kb/forms. */
  formId: string;
  /** Field id → the value as it went into the ready text; empty fields left out. */
  values: Record<string, string>;
}

/**
 * An operator's «Помогло» / «Ответ неверный» on a decision. One per decision and person: a later
 * one from the same person (`by.id`) replaces theirs (see {@link currentFeedback}).
 */
export interface FeedbackEvent {
  decisionId: string;
  at: string;
  by: Person;
  verdict: 'helpful' | 'wrong';
  comment?: string;
}

/** What {@link DecisionLog.addFeedback} did: a first verdict, a changed one, or the same again (nothing written). */
export type FeedbackOutcome = 'recorded' | 'changed' | 'unchanged';

/** Who is adding to a decision: team leads may give feedback on anyone's. */
export interface FeedbackOptions {
  byTeamLead?: boolean;
}

/**
 * Feedback and form values only from the operator who received the decision (its `operator.id`);
 * feedback also from a team lead.
 */
export function mayAnnotate(decision: { operator: Pick<Person, 'id'> }, by: Pick<Person, 'id'>, options: FeedbackOptions = {}): boolean {
  return options.byTeamLead === true || decision.operator.id === by.id;
}

/** The same verdict and comment as the person's current feedback: nothing to record. */
export const sameFeedback = (a: Pick<FeedbackEvent, 'verdict' | 'comment'>, b: Pick<FeedbackEvent, 'verdict' | 'comment'>) => a.verdict === b.verdict && (a.comment ?? '') === (b.comment ?? '');

/**
 * Each person's latest feedback, in the order people first gave theirs: what views show and the
 * awaiting-review rule reads, whatever a store keeps (older logs hold every click).
 */
export function currentFeedback<T extends Pick<FeedbackEvent, 'by'>>(events: readonly T[]): T[] {
  const byPerson = new Map<string, T>();
  for (const e of events) byPerson.set(e.by.id, e);
  return [...byPerson.values()];
}

/**
 * Whether a decision's card reached its operator, for a turn that failed after the decision was
 * logged: `undelivered` says it did not (when and why, one line, no customer data); `delivered`,
 * written when a repeat of the turn got the card through, clears it for good (see {@link isUndelivered}).
 */
export interface DeliveryEvent {
  decisionId: string;
  at: string;
  delivery: 'undelivered' | 'delivered';
  reason?: string;
}

/**
 * Marked undelivered and never delivered since. A delivery is final, whatever the order the marks
 * were written in: two instances running the same click may write them in either order.
 */
export const isUndelivered = (events: readonly Pick<DeliveryEvent, 'delivery'>[]): boolean =>
  events.some((e) => e.delivery === 'undelivered') && !events.some((e) => e.delivery === 'delivered');

/** What {@link DecisionLog.append} did: logged it, or found the same decision logged by an earlier attempt at the turn. */
export type AppendOutcome = 'appended' | 'repeated';

export interface ReviewEvent {
  decisionId: string;
  at: string;
  by: Person;
  note: string;
}

/** A decision with everything that happened to it since. */
export interface DecisionView extends DecisionRecord {
  feedback: FeedbackEvent[];
  reviews: ReviewEvent[];
  /** Flagged «Ответ неверный» by an operator and not yet reviewed by a team lead. */
  awaitingReview: boolean;
  /** Present while the decision is marked undelivered ({@link isUndelivered}). */
  undelivered?: true;
}

export interface DecisionFilter {
  operatorId?: string;
  procedureId?: string;
  kind?: OutcomeKind;
  /** ISO date or date-time bounds, inclusive. */
  from?: string;
  to?: string;
  /** Only decisions flagged as wrong and not yet reviewed. */
  awaitingReview?: boolean;
  /** true: only decisions marked undelivered; false: only the others. */
  undelivered?: boolean;
}

export interface DecisionPage {
  total: number;
  items: DecisionView[];
}

/** The decision log: append-only storage of decisions and the events about them. */
export interface DecisionLog {
  /** Keeps a repeat of a logged decision once ({@link isRepeatOf}); throws for another decision under a logged id. */
  append(decision: DecisionRecord): Promise<AppendOutcome>;
  /**
   * Records a person's verdict, replacing their earlier one (the same again writes nothing). Throws
   * {@link UnknownDecisionError} for a decision not in the log, {@link NotYourDecisionError} when
   * the person is neither the decision's operator nor (options) a team lead.
   */
  addFeedback(event: FeedbackEvent, options?: FeedbackOptions): Promise<FeedbackOutcome>;
  addReview(event: ReviewEvent): Promise<void>;
  /**
   * Appends a form submission; throws {@link UnknownDecisionError} for a decision not in the log,
   * {@link NotYourDecisionError} when `by` is not the decision's operator.
   */
  addFormValues(event: FormValuesEvent): Promise<void>;
  /** Appends a delivery mark; throws {@link UnknownDecisionError} for a decision not in the log. */
  markDelivery(event: DeliveryEvent): Promise<void>;
  get(id: string): Promise<DecisionView | undefined>;
  /** Newest first. */
  query(filter: DecisionFilter, page: { offset: number; limit: number }): Promise<DecisionPage>;
  close(): Promise<void>;
}

/** What every log keeps of a decision in memory or in columns, enough to tell a repeated append from a clash. */
export interface DecisionKey {
  procedureId: string;
  operator: { id: string };
  outcome: { kind: OutcomeKind };
}

/**
 * Whether `d` is the decision already logged under its id, appended again by a repeated turn (the
 * same turn after a failed save derives the same id): the log then keeps the first and succeeds.
 * Anything else under a logged id is refused.
 */
export function isRepeatOf(logged: DecisionKey, d: DecisionRecord): boolean {
  return logged.procedureId === d.procedureId && logged.operator.id === d.operator.id && logged.outcome.kind === d.outcome.kind;
}

/** Feedback or a review names a decision the log does not have (a forged or foreign click). */
export class UnknownDecisionError extends Error {
  constructor(readonly decisionId: string) {
    super(`no decision ${decisionId} in the log`);
    this.name = 'UnknownDecisionError';
  }
}

/** Feedback or form values for another operator's decision (see {@link mayAnnotate}). */
export class NotYourDecisionError extends Error {
  constructor(readonly decisionId: string) {
    super(`decision ${decisionId} belongs to another operator`);
    this.name = 'NotYourDecisionError';
  }
}
