import type { DecisionLog, Person, ReviewEvent } from '../../domain/decisions.js';
import { MAX_NOTE, storableReview } from '../infra/decisionLog/storableText.js';

/**
 * A team lead marks a decision reviewed: the one way the chat command «проверено» and
 * `POST /api/decisions/:id/review` write a review.
 */

/** Why a note cannot be a review note, or undefined when it can: 1–1000 code points after trimming. */
export function reviewNoteProblem(note: unknown): string | undefined {
  if (typeof note !== 'string' || note.trim() === '') return 'note is required: what was checked (1–1000 characters)';
  if ([...note.trim()].length > MAX_NOTE) return `note must be at most ${MAX_NOTE} characters`;
  return undefined;
}

/** Writes the review and gives it back as stored; throws UnknownDecisionError for a decision not in the log. */
export async function markReviewed(log: DecisionLog, review: { decisionId: string; by: Person; note: string; at: Date }): Promise<ReviewEvent> {
  const event = storableReview({ decisionId: review.decisionId, at: review.at.toISOString(), by: review.by, note: review.note.trim() });
  await log.addReview(event);
  return event;
}
