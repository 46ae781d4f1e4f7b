import { ConversationState, type StoreItem, type TurnContext } from 'botbuilder';

/** What a turn loaded: the state its dialogs change, and that state's JSON when last read or written. */
interface Loaded {
  state: StoreItem;
  json: string;
}

/** The state's JSON without its eTag, which is what botbuilder's change hash covers. */
const jsonOf = ({ eTag: _eTag, ...rest }: StoreItem): string => JSON.stringify(rest);

/**
 * ConversationState that tells a changed state by comparing its JSON with the JSON it was read
 * with. BotState does the same through `calculateChangeHash` — a stringify whose replacer runs for
 * every value, then a SHA-256 — three times per saved turn (at load, to decide, after the write).
 * Storage sees the same calls as from BotState: a changed (or forced) state is written with eTag
 * `*`, an unchanged one is not written.
 */
export class JsonChangeState extends ConversationState {
  private readonly loadedKey = Symbol('loaded state');

  override async load(context: TurnContext, force = false): Promise<any> {
    const cached = context.turnState.get(this.loadedKey) as Loaded | undefined;
    if (!force && cached?.state) return cached.state;
    const key = await this.storageKey(context);
    const state: StoreItem = (await this.storage.read([key]))[key] ?? {};
    context.turnState.set(this.loadedKey, { state, json: jsonOf(state) } satisfies Loaded);
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const cached = context.turnState.get(this.loadedKey) as Loaded | undefined;
    if (!cached && !force) return;
    const state = cached?.state ?? {};
    const json = jsonOf(state);
    if (!force && json === cached?.json) return;
    const key = await this.storageKey(context);
    state.eTag = '*';
    await this.storage.write({ [key]: state });
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
