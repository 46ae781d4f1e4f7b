import type { Person } from './decisions.js';

/**
 * What operators asked that the bot could not answer, as the step sees it happen: a message nothing
 * in the procedures matched, «Ничего не подходит» among the offered procedures, a dialog cancelled,
 * a dialog left for another situation, or an answer taken from the message that the operator
 * changed («Изменить»: the message was read wrong, or said less than the bot took). Logged once per turn, after the operator got the reply;
 * the knowledge manager's gap report and the per-procedure funnel read them.
 */

export const UNANSWERED_REASONS = ['noMatch', 'nothingFits', 'cancelled', 'switched', 'corrected'] as const;
export type UnansweredReason = (typeof UNANSWERED_REASONS)[number];

/** One step of a path as the funnel counts it. */
export interface PathChoice {
  nodeId: string;
  optionId: string;
}

export interface UnansweredEvent {
  /** Derived from the turn (see unansweredIdOf): a repeated turn logs it once. */
  id: string;
  at: string;
  operator: Person;
  conversationId: string;
  reason: UnansweredReason;
  /** What the operator typed, bounded and with long digit runs masked ({@link maskedText}). */
  text?: string;
  /** The procedure open when they left it (cancelled, switched), or the one open behind the offer. */
  procedureId?: string;
  /** The question they were at when they left. */
  nodeId?: string;
  /** The answers given so far. */
  path?: PathChoice[];
}

/** What the step knows of one; the adapter adds who, where and when. */
export type UnansweredDraft = Omit<UnansweredEvent, 'at' | 'operator' | 'conversationId'>;

/** Longest operator text kept (code points). */
export const MAX_UNANSWERED_TEXT = 300;

/** Five or more digits, with the separators phone and card numbers are written with. */
const DIGIT_RUN = /\+?\d(?:[\s\-().]{0,2}\d){4,}/g;

/**
 * The operator's text as the log keeps it: customers' numbers (phones, contracts, cards: five or
 * more digits in a run) masked digit by digit, cut to {@link MAX_UNANSWERED_TEXT} code points.
 */
export function maskedText(text: string): string {
  const masked = text.replace(DIGIT_RUN, (run) => run.replace(/\d/g, '•')).trim();
  const points = [...masked];
  return points.length <= MAX_UNANSWERED_TEXT ? masked : `${points.slice(0, MAX_UNANSWERED_TEXT - 1).join('')}…`;
}
