import type { PathStep } from './engine.js';
import type { KnowledgeBase } from './types.js';
import { readWalk } from './walk.js';
import { walkPosition } from './walkPosition.js';

/** The question card a walk has in front of the operator: what it asks, and its id. */
export interface LiveCard {
  procedureId: string;
  nodeId: string;
  cardId: string;
}

/**
 * What a question card says once it is no longer the dialog's live card, with no buttons left:
 * the answer it got, or that a newer card asks the current question, or that the dialog is over.
 */
export type CardSummary = { kind: 'answered'; question: string; answer: string } | { kind: 'replaced' } | { kind: 'closed' };

/** The live question card of a stored walk; undefined when there is none (no walk, or one the knowledge base no longer fits). */
export function liveCardOf(kb: KnowledgeBase, stored: unknown): LiveCard | undefined {
  const walk = readWalk(stored);
  if (!walk) return undefined;
  const at = walkPosition(kb, walk);
  return at?.position?.type === 'question' ? { procedureId: at.proc.id, nodeId: at.position.nodeId, cardId: walk.cardId } : undefined;
}

/**
 * The summary of the card that asked `card.nodeId`, from where the dialog is now: `now` is the
 * procedure and path of its newest card (none: no dialog), `open` whether a walk is still open.
 */
export function cardSummary(card: Omit<LiveCard, 'cardId'>, now: { procedureId: string; path: readonly PathStep[] } | undefined, open: boolean): CardSummary {
  const step = now?.procedureId === card.procedureId ? now.path.find((s) => s.nodeId === card.nodeId && !s.automatic) : undefined;
  if (step) return { kind: 'answered', question: step.question, answer: step.answer };
  return open ? { kind: 'replaced' } : { kind: 'closed' };
}
