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

export interface FeedbackEvent {
  decisionId: string;
  at: string;
  by: Person;
  verdict: 'helpful' | 'wrong';
  comment?: string;
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
  /** Keeps a repeat of a logged decision once ({@link isRepeatOf}); throws for another decision under a logged id. */
  append(decision: DecisionRecord): Promise<void>;
  addFeedback(event: FeedbackEvent): Promise<void>;
  addReview(event: ReviewEvent): Promise<void>;
  /** Appends a form submission; throws {@link UnknownDecisionError} for a decision not in the log. */
  addFormValues(event: FormValuesEvent): Promise<void>;
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
