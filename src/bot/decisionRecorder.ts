import type { TurnContext } from 'botbuilder';
import type { DecisionRecord, Person } from '../domain/decisions.js';
import type { KnowledgeBase } from '../domain/types.js';
import type { OutcomeReached } from '../dialogs/procedureDialog.js';

/** Who sent the activity, as the channel names them (Teams gives the AAD object id too). */
export function personOf(context: TurnContext): Person {
  const from = context.activity.from ?? { id: 'unknown', name: '' };
  return { id: from.id, name: from.name ?? '', ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}) };
}

/** The log entry for an outcome a dialog reached. */
export function decisionOf(kb: KnowledgeBase, reached: OutcomeReached, at: Date): DecisionRecord {
  const { context, procedure, outcome } = reached;
  return {
    id: reached.decisionId,
    at: at.toISOString(),
    operator: personOf(context),
    conversationId: context.activity.conversation?.id ?? 'unknown',
    procedureId: procedure.id,
    procedureVersion: procedure.version,
    procedureTitle: procedure.title,
    kbVersion: kb.version,
    path: reached.path,
    outcome: { nodeId: reached.nodeId, kind: outcome.kind, headline: outcome.headline },
    citations: outcome.citations,
  };
}
