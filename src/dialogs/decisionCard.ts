import type { Attachment } from 'botbuilder';
import type { DecisionRecord } from '../domain/decisions.js';
import type { KnowledgeBase } from '../domain/types.js';
import { answeredOutcome } from '../domain/walkPosition.js';
import { outcomeCard, type FactNotes, type OutcomeExtras } from './cards.js';

/**
 * The outcome card of a logged decision, drawn again from the knowledge base in use (see
 * {@link answeredOutcome}). Undefined when it cannot be drawn as it was answered.
 */
export function decisionCard(kb: KnowledgeBase, decision: Pick<DecisionRecord, 'id' | 'procedureId' | 'procedureVersion' | 'path' | 'outcome'>, notes: FactNotes | undefined, extras: Pick<OutcomeExtras, 'feedback' | 'owner'> = {}): Attachment | undefined {
  const answered = answeredOutcome(kb, decision);
  if (!answered || answered === 'procedureChanged') return undefined;
  return outcomeCard(kb, answered.proc, answered.node, decision.path, decision.id, notes, extras);
}
