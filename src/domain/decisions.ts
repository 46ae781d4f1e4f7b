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
 * An operator submitted the outcome's form and it passed validation (issue 10). A later event
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
}

export interface DecisionPage {
  total: number;
  items: DecisionView[];
}

/** The decision log: append-only storage of decisions and the events about them. */
export interface DecisionLog {
  append(decision: DecisionRecord): Promise<void>;
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
  get(id: string): Promise<DecisionView | undefined>;
  /** Newest first. */
  query(filter: DecisionFilter, page: { offset: number; limit: number }): Promise<DecisionPage>;
  close(): Promise<void>;
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
