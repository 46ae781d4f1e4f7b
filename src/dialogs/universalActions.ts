import type { Activity, TurnContext } from 'botbuilder';
import { mapActions } from './cardWalk.js';

/**
 * Cards as each client can act on them. Teams runs `Action.Execute` (Universal Actions, Adaptive
 * Cards 1.4+) as an `adaptiveCard/action` invoke; a host without it (the Bot Framework Emulator, an
 * Adaptive Cards host below 1.4) takes each button's `fallback`, an `Action.Submit` with the same
 * data, whose click arrives as a message `value` and is the same input to the bot.
 */

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** Channels whose clients are known not to run Action.Execute. */
const WITHOUT_UNIVERSAL_ACTIONS = new Set(['emulator']);

/** Whether the client of this turn runs Action.Execute; the web console says so when opened without it. */
export function supportsUniversalActions(activity: Partial<Activity>): boolean {
  if (WITHOUT_UNIVERSAL_ACTIONS.has(activity.channelId ?? '')) return false;
  return (activity.channelData as { universalActions?: unknown } | undefined)?.universalActions !== false;
}

/** The Action.Submit a click on an Action.Execute becomes for a client without Universal Actions. */
const submitOf = (execute: Record<string, unknown>): Record<string, unknown> => {
  const { verb: _verb, fallback: _fallback, type: _type, ...rest } = execute;
  return { type: 'Action.Submit', ...rest };
};

/**
 * The card with every Action.Execute carrying its Action.Submit as `fallback` or, for a client
 * known to lack Universal Actions, replaced by it (and no `refresh`, which only such a client asks for).
 */
export function fitActions<T>(card: T, universal: boolean): T {
  // A button's data is the bot's own; the refresh is Teams' to run (no fallback), and no other client's.
  return mapActions(card, (n) => (n.type !== 'Action.Execute' ? n : universal ? { ...n, fallback: submitOf(n) } : submitOf(n)), universal ? { keep: UNWALKED } : { keep: UNWALKED, drop: 'refresh' });
}

/** Keys fitActions takes as they are. */
const UNWALKED = new Set(['data', 'fallback', 'refresh']);

/** Fits every Adaptive Card this turn sends (messages, and the card an invoke answers with) to the client. */
export function fitCardsToClient(context: TurnContext): void {
  const universal = supportsUniversalActions(context.activity);
  context.onSendActivities(async (_context, activities, next) => {
    for (const a of activities) {
      if (a.attachments) a.attachments = a.attachments.map((x) => (x.contentType === ADAPTIVE_CARD ? { ...x, content: fitActions(x.content, universal) } : x));
      const body = a.type === 'invokeResponse' ? (a.value as { body?: { type?: string; value?: unknown } } | undefined)?.body : undefined;
      if (body?.type === ADAPTIVE_CARD) body.value = fitActions(body.value, universal);
    }
    return next();
  });
}
