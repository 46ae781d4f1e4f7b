import type { Activity } from 'botbuilder';
import { mapActions } from './cardWalk.js';

/**
 * Whose dialog a turn belongs to. In group chats and channels several operators share one
 * conversation, so each person has a dialog of their own; a personal chat is one person's anyway.
 */
export interface DialogOwner {
  id: string;
  name: string;
}

/** Conversation types Teams sends where several people talk to the bot in one conversation. */
const SHARED = new Set(['groupChat', 'channel']);

/** A group chat or channel: what the bot posts there, everyone in it reads. */
export function isSharedConversation(activity: Partial<Activity>): boolean {
  const type = activity.conversation?.conversationType;
  return type !== undefined && SHARED.has(type);
}

/** The owner of this turn's dialog in a shared conversation; undefined in a personal chat. */
export function dialogOwnerOf(activity: Partial<Activity>): DialogOwner | undefined {
  const id = activity.from?.id;
  if (!isSharedConversation(activity) || !id) return undefined;
  return { id, name: activity.from?.name?.trim() || id };
}

/** The key a dialog is stored and its turns are identified under: the conversation, and the person where it is shared. */
export function dialogKeyOf(activity: Partial<Activity>): string {
  const conversation = activity.conversation?.id ?? '';
  const owner = dialogOwnerOf(activity);
  return owner ? `${conversation}/${owner.id}` : conversation;
}

/** The key on a card action's data that names the dialog's owner (cards in shared conversations only). */
export const OWNER_KEY = 'owner';

/** Puts the owner's id on every button of a card, so a click by someone else is recognized as such. */
export function stampOwner<T>(card: T, ownerId: string): T {
  return mapActions(card, (n) => {
    if ((n.type === 'Action.Submit' || n.type === 'Action.Execute') && n.data && typeof n.data === 'object' && !Array.isArray(n.data)) n.data = { ...(n.data as object), [OWNER_KEY]: ownerId };
    return n;
  });
}

/**
 * Whether a click is on a card of someone else's dialog (a group chat's card carries its owner's
 * id): such a click changes nothing; the clicker is told whose card it is.
 */
export function isOthersCard(activity: Partial<Activity>, owner: string | undefined): boolean {
  const me = dialogOwnerOf(activity);
  return Boolean(me && owner && owner !== me.id);
}
