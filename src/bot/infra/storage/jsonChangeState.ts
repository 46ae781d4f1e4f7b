import { ConversationState, type Storage, type StoreItem, type TurnContext } from 'botbuilder';
import type { StoredJson } from './lowdbStorage.js';

/** What a turn loaded: the state its dialogs change, and that state's JSON when last read or written. */
interface Loaded {
  state: StoreItem;
  json: string;
}

/** The state's JSON without its eTag, which is what botbuilder's change hash covers. */
const jsonOf = ({ eTag: _eTag, ...rest }: StoreItem): string => JSON.stringify(rest);

/** A storage that holds items as JSON text (LowdbStorage): the state is read and written as that text, not serialized again. */
interface JsonStorage extends Storage {
  readJson(key: string): Promise<StoredJson | undefined>;
  writeJson(key: string, eTag: string | undefined, json: string): Promise<void>;
}

const isJsonStorage = (storage: Storage): storage is JsonStorage =>
  typeof (storage as Partial<JsonStorage>).readJson === 'function' && typeof (storage as Partial<JsonStorage>).writeJson === 'function';

/**
 * ConversationState that tells a changed state by comparing its JSON with the JSON it was read
 * with. BotState does the same through `calculateChangeHash` — a stringify whose replacer runs for
 * every value, then a SHA-256 — three times per saved turn (at load, to decide, after the write).
 * Storage sees the same calls as from BotState: a changed (or forced) state is written with eTag
 * `*`, an unchanged one is not written. With a storage that keeps items as JSON text the state
 * is read from that text, which is its JSON already, and written as the JSON just compared, so a
 * saved turn serializes its state once instead of three times.
 */
export class JsonChangeState extends ConversationState {
  private readonly loadedKey = Symbol('loaded state');

  override async load(context: TurnContext, force = false): Promise<any> {
    const cached = context.turnState.get(this.loadedKey) as Loaded | undefined;
    if (!force && cached?.state) return cached.state;
    const key = await this.storageKey(context);
    const storage = this.storage;
    let loaded: Loaded;
    if (isJsonStorage(storage)) {
      const stored = await storage.readJson(key);
      // The item's text is JSON.stringify of an object without eTag: what jsonOf gives for this state.
      loaded = stored ? { state: { ...JSON.parse(stored.json), eTag: stored.eTag }, json: stored.json } : { state: {}, json: '{}' };
    } else {
      const state: StoreItem = (await storage.read([key]))[key] ?? {};
      loaded = { state, json: jsonOf(state) };
    }
    context.turnState.set(this.loadedKey, loaded);
    return loaded.state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const cached = context.turnState.get(this.loadedKey) as Loaded | undefined;
    if (!cached && !force) return;
    const state = cached?.state ?? {};
    const json = jsonOf(state);
    if (!force && json === cached?.json) return;
    const key = await this.storageKey(context);
    state.eTag = '*';
    const storage = this.storage;
    if (isJsonStorage(storage)) await storage.writeJson(key, '*', json);
    else await storage.write({ [key]: state });
    context.turnState.set(this.loadedKey, { state, json } satisfies Loaded);
  }

  override async clear(context: TurnContext): Promise<void> {
    // An empty JSON matches no state: the next save writes.
    context.turnState.set(this.loadedKey, { state: {}, json: '' } satisfies Loaded);
  }

  override async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.loadedKey);
    const key = await this.storageKey(context);
    await this.storage.delete([key]);
  }

  override get(context: TurnContext): any | undefined {
    return (context.turnState.get(this.loadedKey) as Loaded | undefined)?.state;
  }
}
