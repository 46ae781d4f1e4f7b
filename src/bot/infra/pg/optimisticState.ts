import { calculateChangeHash, type BotState, type TurnContext } from 'botbuilder';
import { DialogOwnerState } from '../storage/dialogOwnerState.js';
import type { VersionedStorage } from '../storage/postgresStorage.js';

/**
 * botbuilder's BotState.saveChanges always writes with eTag `*` (botbuilder-core botState.js), so
 * of two turns of one conversation running at once on two instances the later write silently wins
 * and the other turn's changes vanish. These states write back with the eTag they read instead:
 * the slower turn fails with ETagConflictError and is refused (see app.ts), the state stays whole.
 * Within one instance turns of a conversation are already queued, so this only decides races
 * between instances.
 */

/** Sent for a key that did not exist when read: no stored item has this eTag, so the write
 * creates the key or, if another turn created it meanwhile, conflicts. */
export const ABSENT_ETAG = 'absent';

interface Snapshot {
  /** The state object this turn works on. */
  state: object;
  /** Its eTag in storage: as read, or as written by this turn. */
  eTag: string;
  /** calculateChangeHash of it then: unchanged state is not written. */
  hash: string;
}

/** The bookkeeping both states share: what was read this turn, and writing back against it. */
class OptimisticSaves {
  private readonly snapshotKey = Symbol('optimistic snapshot');

  constructor(private readonly storage: VersionedStorage) {}

  async load(owner: BotState, context: TurnContext, force: boolean, load: () => Promise<any>): Promise<any> {
    // The base reads storage only when nothing is cached for this turn (or when forced).
    const fresh = force || owner.get(context) === undefined;
    const state = await load();
    if (fresh) {
      const eTag = typeof state.eTag === 'string' && state.eTag !== '' ? state.eTag : ABSENT_ETAG;
      context.turnState.set(this.snapshotKey, { state, eTag, hash: calculateChangeHash(state) } satisfies Snapshot);
    }
    return state;
  }

  async save(owner: BotState, context: TurnContext, force: boolean, baseSave: () => Promise<void>, storageKey: () => string | Promise<string>): Promise<void> {
    const state = owner.get(context);
    // Nothing loaded this turn: only a forced save writes (an empty state), as the base does.
    if (state === undefined) return baseSave();
    const snap = context.turnState.get(this.snapshotKey) as Snapshot | undefined;
    const hash = calculateChangeHash(state);
    if (!force && snap && snap.state === state && snap.hash === hash) return;
    const key = await storageKey();
    // A state set without reading (clear() before any load) has nothing to compare with: overwrite.
    const written = await this.storage.writeVersioned({ [key]: { ...state, eTag: snap?.eTag ?? '*' } });
    context.turnState.set(this.snapshotKey, { state, eTag: written[key], hash } satisfies Snapshot);
  }

  forget(context: TurnContext): void {
    context.turnState.delete(this.snapshotKey);
  }
}

/** Conversation state (per person in shared conversations) whose saves fail with ETagConflictError if another instance saved first. */
export class OptimisticConversationState extends DialogOwnerState {
  private readonly saves: OptimisticSaves;

  constructor(storage: VersionedStorage, namespace?: string) {
    super(storage, namespace);
    this.saves = new OptimisticSaves(storage);
  }

  override load(context: TurnContext, force = false): Promise<any> {
    return this.saves.load(this, context, force, () => super.load(context, force));
  }

  override saveChanges(context: TurnContext, force = false): Promise<void> {
    return this.saves.save(this, context, force, () => super.saveChanges(context, force), () => this.storageKey(context));
  }

  override delete(context: TurnContext): Promise<void> {
    this.saves.forget(context);
    return super.delete(context);
  }
}
