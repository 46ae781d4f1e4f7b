import type { PathStep } from './engine.js';
import type { Citation, OutcomeKind } from './types.js';
import type { GapPlace, GapWeekBounds, GapWording } from './gaps.js';
import type { UnansweredEvent, UnansweredReason } from './unanswered.js';

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

/**
 * How a decision's procedure was chosen, in the order views list the ways. By the search: `rules`
 * (full text with kb/search requires and excludes), `evidenced` (too little of the message covered,
 * but an option's evidence stated), `secondOpinion` (the classifier settled a «which of these?» among
 * the rules' candidates), `rescued` (the classifier named one of the nearest topics of a message the
 * rules answered «нет»). `tap`: the operator started it from a card naming it (a «which of these?»
 * candidate, the topics, a «нет» card's nearest topic, an outcome card's buttons).
 */
export const FOUND_BY = ['rules', 'evidenced', 'secondOpinion', 'rescued', 'tap'] as const;
export type FoundBy = (typeof FOUND_BY)[number];

export const isFoundBy = (v: unknown): v is FoundBy => FOUND_BY.includes(v as FoundBy);

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
  /** How the procedure was chosen; decisions logged before it was recorded lack it. */
  foundBy?: FoundBy;
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

/** A decision with every event a log holds for it, each list in the order it was written: what copying a log moves. */
export interface DecisionEntry {
  record: DecisionRecord;
  feedback: FeedbackEvent[];
  reviews: ReviewEvent[];
  formValues: FormValuesEvent[];
  deliveries: DeliveryEvent[];
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

/** The row's summary of the current verdicts: everyone who gave one agrees, or they differ; null: nobody gave one. */
export type VerdictSummary = 'helpful' | 'wrong' | 'mixed' | null;

/** The verdicts a filter asks for: someone's current verdict is it, or (`none`) nobody gave one. */
export const VERDICT_FILTERS = ['helpful', 'wrong', 'none'] as const;
export type VerdictFilter = (typeof VERDICT_FILTERS)[number];

/** The summary of current feedback (each person's latest, see {@link currentFeedback}). */
export function verdictOf(feedback: readonly Pick<FeedbackEvent, 'verdict'>[]): VerdictSummary {
  const helpful = feedback.some((f) => f.verdict === 'helpful');
  const wrong = feedback.some((f) => f.verdict === 'wrong');
  return helpful && wrong ? 'mixed' : helpful ? 'helpful' : wrong ? 'wrong' : null;
}

/** Whether a row's verdict summary answers a verdict filter. */
export const verdictMatches = (summary: VerdictSummary, wanted: VerdictFilter): boolean =>
  wanted === 'none' ? summary === null : summary === wanted || summary === 'mixed';

/** A decision with everything that happened to it since. */
export interface DecisionView extends DecisionRecord {
  feedback: FeedbackEvent[];
  reviews: ReviewEvent[];
  /** Flagged «Ответ неверный» by an operator and not yet reviewed by a team lead. */
  awaitingReview: boolean;
  verdict: VerdictSummary;
  /** Present while the decision is marked undelivered ({@link isUndelivered}). */
  undelivered?: true;
}

export interface DecisionFilter {
  /** The operator's Teams user id or AAD object id, exactly. */
  operatorId?: string;
  /** A Teams user id or AAD object id, or part of the operator's name (as {@link searchKey} folds it). */
  operator?: string;
  procedureId?: string;
  /** A procedure id, or part of its title (as {@link searchKey} folds it). */
  procedure?: string;
  kind?: OutcomeKind;
  /** ISO instants, inclusive (the API turns dates into whole days of the configured zone). */
  from?: string;
  to?: string;
  verdict?: VerdictFilter;
  /** Reviewed by a team lead at least once, or never. */
  reviewed?: boolean;
  /** Only decisions flagged as wrong and not yet reviewed. */
  awaitingReview?: boolean;
  /** true: only decisions marked undelivered; false: only the others. */
  undelivered?: boolean;
  /** Only decisions whose procedure was chosen this way (decisions that do not record it match none). */
  foundBy?: FoundBy;
}

/** Names and titles as the name and title filters compare them: lower case, ё = е, punctuation as spaces. */
export { normalize as searchKey } from './text.js';

/** Who and what a period's decisions involve, for pickers by name and title (newest name for an id). */
export interface DecisionFacets {
  operators: { id: string; name: string; count: number }[];
  procedures: { id: string; title: string; count: number }[];
}

/** A period of decisions, as ISO instants, inclusive. */
export interface Period {
  from?: string;
  to?: string;
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
  /** The operators and procedures of a period's decisions, by count (most first). */
  facets(period: Period): Promise<DecisionFacets>;
  /** Records a question the bot could not answer; a repeat of a recorded id (a repeated turn) is kept once. */
  addUnanswered(event: UnansweredEvent): Promise<void>;
  /** A period's unanswered questions, oldest first. */
  unanswered(period: Period): Promise<UnansweredEvent[]>;
  /** A period's decisions the gap report lists: not covered by the procedure, or flagged wrong now. Oldest first. */
  gapDecisions(period: Period): Promise<GapDecision[]>;
  /**
   * Optional: the gap report's items of a period counted by week (`week` of {@link gapWeeks} in gaps.ts) and
   * wording where the log keeps them, for a log that would otherwise hand over every item; the
   * report is then the one `gapItems` of unanswered() and gapDecisions() gives.
   */
  gapWordings?(weeks: readonly GapWeekBounds[], period: Period, place: GapPlace): Promise<Map<string, GapWording[]>>;
  /** A period's decisions counted by day in `timeZone`, procedure, kind and outcome. */
  decisionCounts(period: Period, timeZone: string): Promise<DecisionCount[]>;
  /** How a period's dialogs of one procedure went: decisions by path and outcome, unanswered ones by reason, place and path. */
  pathCounts(procedureId: string, period: Period): Promise<PathCounts>;
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

/** A decision as the gap report lists it. */
export interface GapDecision {
  id: string;
  at: string;
  operator: { id: string; name: string };
  procedureId: string;
  procedureTitle: string;
  kind: OutcomeKind;
  headline: string;
  /** The current «Ответ неверный» verdicts, oldest first; empty when nobody flags it now. */
  wrong: { by: { id: string; name: string }; at: string; comment?: string }[];
}

export interface DecisionCount {
  /** `YYYY-MM-DD` in the zone asked for. */
  date: string;
  procedureId: string;
  procedureTitle: string;
  kind: OutcomeKind;
  nodeId: string;
  headline: string;
  count: number;
}

/** Paths as `node=option,…` (see pathKey in decisionQuery.ts). */
export interface PathCounts {
  decisions: { path: string; nodeId: string; headline: string; count: number }[];
  unanswered: { reason: UnansweredReason; nodeId?: string; path: string; count: number }[];
}
