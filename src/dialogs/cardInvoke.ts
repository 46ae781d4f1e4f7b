import type { Activity, AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, Attachment, TurnContext } from 'botbuilder';
import type { DecisionLog, DecisionRecord } from '../domain/decisions.js';
import { turnNoticesOf, type Knowledge } from './turnDialog.js';
import { readOnlyCard, type FactNotes } from './cards.js';
import { decisionCard } from './decisionCard.js';
import { dialogOwnerOf, stampOwner } from './dialogOwner.js';
import { readInput, type UserInput } from './input.js';
import { t } from './strings.js';

/**
 * Universal Actions (`Action.Execute`): Teams sends a click as an `adaptiveCard/action` invoke and
 * replaces the clicked card with the card in the answer, so a dialog is one message that becomes
 * the next question and then the outcome. The turn runs exactly as for a message with `value`
 * (the fallback for clients without Universal Actions); what it would have posted becomes the answer.
 */

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

export interface CardInvokeDeps {
  knowledge: () => Pick<Knowledge, 'kb'>;
  factNotes?: FactNotes;
  /** For showing the feedback given on the outcome card; without it the card stays and a notice says it. */
  decisions?: DecisionLog;
}

/** The click an invoke carries, as a message's `value` would carry it; a verb that disagrees with its data is not the bot's button. */
export function invokeInput(value: AdaptiveCardInvokeValue | undefined): UserInput {
  const data = value?.action?.data as Record<string, unknown> | undefined;
  if (!data || typeof data !== 'object' || data.action !== value?.action?.verb) return { kind: 'invalid' };
  return readInput({ value: data });
}

/**
 * Runs one turn (`run`) with what it sends captured, and answers the invoke with the next card.
 * Texts go on top of that card; texts alone are shown by Teams as a message, the card unchanged.
 */
export async function answerCardInvoke(context: TurnContext, input: UserInput, run: () => Promise<void>, deps: CardInvokeDeps): Promise<AdaptiveCardInvokeResponse> {
  const sent: Partial<Activity>[] = [];
  let capturing = true;
  context.onSendActivities(async (_context, activities, next) => {
    // The invoke response itself (sent after this turn) goes out as usual.
    if (!capturing || activities.some((a) => a.type !== 'message')) return next();
    sent.push(...activities);
    return activities.map(() => ({ id: '' }));
  });
  try {
    await run();
  } finally {
    capturing = false;
  }
  const texts = sent.map((a) => a.text).filter((x): x is string => typeof x === 'string' && x.length > 0);
  const cards = sent.flatMap((a) => (a.attachments ?? []).filter((x) => x.contentType === ADAPTIVE_CARD));

  // A card of a dialog that is over becomes a read-only note; a double click or an older card of the
  // open dialog shows its current card (the step sends it after the notice, which is noise here).
  const notices = turnNoticesOf(context);
  if (notices.includes('staleCardNoDialog')) return cardResponse(readOnly(t.staleCardNoDialog));
  if (notices.includes('staleCard') && cards.length) return cardResponse(cards[cards.length - 1].content as Record<string, unknown>);
  if (input.kind === 'action' && input.action.action === 'feedback' && !cards.length && !notices.includes('unknownDecision') && !notices.includes('notYourDecision')) {
    const decision = await deps.decisions?.get(input.action.decisionId);
    const refreshed = decision && feedbackCard(context, decision, input.action.verdict, deps);
    if (refreshed) return cardResponse(refreshed.content as Record<string, unknown>);
    // The procedure changed since this answer: the clicked card stays as it was answered, and says nothing new.
    if (decision) return messageResponse([...texts, t.feedbackCardKept].join('\n\n'));
  }
  // «Отмена» closes the dialog: its card says so and keeps no buttons.
  if (input.kind === 'action' && input.action.action === 'cancel' && !cards.length && texts.length) return cardResponse(readOnly(texts.join('\n\n')));
  // A refresh is answered with a card, for that person only: here another person's card, without buttons.
  if (input.kind === 'action' && input.action.action === 'refresh' && !cards.length) return cardResponse(readOnly(texts.join('\n\n') || t.cardClosed));
  const card = cards[cards.length - 1];
  if (!card) return messageResponse(texts.join('\n\n') || t.invalidClick);
  return cardResponse(withNotes(card.content as Record<string, unknown>, texts));
}

const cardResponse = (card: Record<string, unknown>): AdaptiveCardInvokeResponse => ({ statusCode: 200, type: ADAPTIVE_CARD, value: card });
/** An answer Teams shows as a message, the clicked card unchanged. Its value is the text (botbuilder types `value` as an object only). */
export const messageResponse = (text: string): AdaptiveCardInvokeResponse => ({ statusCode: 200, type: MESSAGE, value: text as unknown as Record<string, unknown> });

/** The outcome card again, from the decision log, with the verdict this person just gave; undefined when its procedure changed since. */
function feedbackCard(context: TurnContext, decision: DecisionRecord, verdict: 'helpful' | 'wrong', deps: CardInvokeDeps): Attachment | undefined {
  const owner = dialogOwnerOf(context.activity);
  const card = decisionCard(deps.knowledge().kb, decision, deps.factNotes, { feedback: verdict, ...(owner ? { owner: owner.name } : {}) });
  return card && owner ? stampOwner(card, owner.id) : card;
}

/** The turn's texts (a notice, «new procedure») on top of the card they came with. */
function withNotes(card: Record<string, unknown>, texts: string[]): Record<string, unknown> {
  if (!texts.length) return card;
  const notes = texts.map((text) => ({ type: 'TextBlock', text, wrap: true, size: 'Small', weight: 'Bolder', color: 'Accent' }));
  return { ...card, body: [...notes, ...((card.body as unknown[]) ?? [])] };
}

/** A card with no buttons: what an out-of-date card becomes. */
const readOnly = (text: string): Record<string, unknown> => readOnlyCard(text).content as Record<string, unknown>;
