import type { Attachment } from 'botbuilder';
import type { DecisionRecord } from '../domain/decisions.js';
import type { KnowledgeBase } from '../domain/types.js';
import { procedureOf } from '../domain/walkPosition.js';
import { outcomeCard, type FactNotes, type OutcomeExtras } from './cards.js';

/**
 * The outcome card of a logged decision, drawn again from the knowledge base in use — only while
 * its procedure is at the version the decision was made with, since a later version's text may
 * differ from what the operator was told. Undefined when it cannot be drawn as it was answered.
 */
export function decisionCard(kb: KnowledgeBase, decision: Pick<DecisionRecord, 'id' | 'procedureId' | 'procedureVersion' | 'path' | 'outcome'>, notes: FactNotes | undefined, extras: Pick<OutcomeExtras, 'feedback' | 'owner'> = {}): Attachment | undefined {
  const proc = procedureOf(kb, decision.procedureId);
  const node = proc?.nodes[decision.outcome.nodeId];
  if (!proc || proc.version !== decision.procedureVersion || node?.type !== 'outcome') return undefined;
  return outcomeCard(kb, proc, node, decision.path, decision.id, notes, extras);
}
