import type { TurnContext } from 'botbuilder';
import type { DecisionRecord, Person } from '../../domain/decisions.js';
import type { DecisionDraft } from '../../domain/step.js';
import type { UnansweredDraft, UnansweredEvent } from '../../domain/unanswered.js';

/** Who sent the activity, as the channel names them (Teams gives the AAD object id too). */
export function personOf(context: TurnContext): Person {
  const from = context.activity.from ?? { id: 'unknown', name: '' };
  return { id: from.id, name: from.name ?? '', ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}) };
}

/** The log entry for a decision the step made in this turn: who, where and when added. */
export function decisionOf(draft: DecisionDraft, context: TurnContext, at: Date): DecisionRecord {
  const { id, ...rest } = draft;
  return { id, at: at.toISOString(), operator: personOf(context), conversationId: context.activity.conversation?.id ?? 'unknown', ...rest };
}

/** The log entry for a question the step could not answer in this turn: who, where and when added. */
export function unansweredOf(draft: UnansweredDraft, context: TurnContext, at: Date): UnansweredEvent {
  return { ...draft, at: at.toISOString(), operator: personOf(context), conversationId: context.activity.conversation?.id ?? 'unknown' };
}
