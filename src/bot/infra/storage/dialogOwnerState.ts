import type { TurnContext } from 'botbuilder';
import { dialogOwnerOf } from '../../../dialogs/dialogOwner.js';
import { JsonChangeState } from './jsonChangeState.js';

/**
 * Conversation state whose document, in group chats and channels, is one person's: the key is the
 * conversation and the sender, so operator B's message never closes operator A's dialog. Personal
 * chats keep the plain conversation key (and the documents stored under it).
 */
export class DialogOwnerState extends JsonChangeState {
  override getStorageKey(context: TurnContext): string | undefined {
    const key = super.getStorageKey(context);
    const owner = dialogOwnerOf(context.activity);
    return owner && key ? `${key}users/${owner.id}` : key;
  }
}
