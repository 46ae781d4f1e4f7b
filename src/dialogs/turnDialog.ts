import { createHash, randomUUID } from 'node:crypto';
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Facts } from '../domain/engine.js';
import { cardSummary, liveCardOf } from '../domain/cardSummary.js';
import { runsAfterReplies, step, type Effect, type NoticeKey, type Reply, type StepInput, type Walk } from '../domain/step.js';
import type { SearchResult } from '../domain/search/index.js';
import type { KnowledgeBase } from '../domain/types.js';
import type { FactNotes } from './cards.js';
import { dialogKeyOf, dialogOwnerOf } from './dialogOwner.js';
import { renderReplies, summaryCard } from './replies.js';
import { randomToken } from '../randomToken.js';

export const TURN_DIALOG = 'turn';

/** What the dialog stores between turns: the open walk, and the id of the turn that stored it. */
export interface TurnOptions {
  walk?: Walk;
  /** Fresh for every saved turn; decision ids derive from it (see {@link StepContext.turnId}). */
  turn?: string;
  /** The message (the channel's activity id) showing the walk's live card, turned read-only once a newer card takes its place. */
  card?: ShownCard;
}

/** Which message shows which question card. */
interface ShownCard {
  activityId: string;
  cardId: string;
}

const shownCardOf = (v: unknown): ShownCard | undefined => {
  const c = v as Partial<ShownCard> | undefined;
  return typeof c?.activityId === 'string' && c.activityId && typeof c.cardId === 'string' ? { activityId: c.activityId, cardId: c.cardId } : undefined;
};

/** The knowledge base and its search, swapped together when the knowledge base is reloaded. */
export interface Knowledge {
  kb: KnowledgeBase;
  search: { query(text: string): SearchResult };
}

export interface TurnDialogDeps {
  /** The knowledge in use, read once per turn: a turn never mixes two versions. */
  knowledge: () => Knowledge;
  /** Facts the bot decides itself at this moment (e.g. whether telesales works now). */
  facts: () => Facts;
  /** How each fact is decided, for the cards (e.g. the configured telesales hours). */
  factNotes?: FactNotes;
  /** Runs one effect of the step; replies it returns replace the step's (e.g. feedback for a decision not in the log). */
  runEffect(context: TurnContext, effect: Effect): Promise<Reply[] | void>;
  /** Fresh ids for cards and turns (tests pass a fixed sequence). */
  newId?: () => string;
  /** An older card could not be updated in place (the turn goes on); for one log line. */
  cardUpdateFailed?: (error: unknown) => void;
}

/** The notices this turn showed, by key; kept for the turn only. */
const NOTICES = Symbol('turnNotices');

/** Which notices the turn just run showed (none when the dialog did not decide it): an invoke's answer decides on them. */
export const turnNoticesOf = (context: TurnContext): readonly NoticeKey[] => context.turnState.get(NOTICES) ?? [];

/** Short random ids (URL-safe, unguessable enough to refuse forged clicks). */
const randomId = () => randomToken(9, 'base64url');

/** The id of a turn: unguessable, and the same for every attempt at a turn from the same stored state. */
const turnIdOf = (dialogKey: string, turn: string) => createHash('sha256').update(`${dialogKey}\n${turn}`).digest('base64url').slice(0, 16);

/**
 * The conversation's dialog stack as botbuilder-dialogs stores it (`dialogState`), holding one
 * waiting instance of the waterfall earlier versions of the bot ran (step 1 waits for the
 * operator's input, step 2 decides), so documents they stored load unchanged and a rolled-back
 * version reads what this one stores.
 */
interface StoredDialogs {
  dialogStack: { id: string; state?: { options?: TurnOptions; values?: Record<string, unknown>; stepIndex?: number } }[];
}

/**
 * The conversation's dialog, the same for every procedure: each turn decides its input with the
 * pure {@link step}, runs its effects in order (a decision is appended, and durable, before the
 * card that names it is sent), sends the replies and stores the next walk, which the bot's
 * ConversationState then saves. It reads and writes the stored stack itself instead of running a
 * botbuilder `WaterfallDialog`: the waterfall gave a turn nothing but its own machinery (three or
 * four dialog contexts, each with its memory manager and component registration, and a new
 * instance per turn through `replaceDialog`): about a quarter of a turn's CPU, measured (README «Performance»).
 */
export class TurnDialog {
  constructor(
    private readonly deps: TurnDialogDeps,
    private readonly dialogState: StatePropertyAccessor<StoredDialogs>,
  ) {}

  /** Runs one turn with its input: continues the conversation's dialog, or starts it. */
  async run(context: TurnContext, input: StepInput): Promise<void> {
    const dialogs = await this.dialogState.get(context, { dialogStack: [] });
    const stack = Array.isArray(dialogs.dialogStack) ? dialogs.dialogStack : [];
    const active = stack[stack.length - 1];
    // A conversation stored by an older version of the bot with other dialogs: it starts cleanly.
    const continued = active?.id === TURN_DIALOG;
    const next = await this.decide(context, (continued ? active.state?.options : undefined) ?? {}, input);
    // As the waterfall's replaceDialog did: the next instance, waiting at its first step.
    dialogs.dialogStack = [...(continued ? stack.slice(0, -1) : []), { id: TURN_DIALOG, state: { options: next, values: { instanceId: randomUUID() }, stepIndex: 0 } }];
  }

  private async decide(context: TurnContext, options: TurnOptions, input: StepInput): Promise<TurnOptions> {
    const { kb, search } = this.deps.knowledge();
    const newId = this.deps.newId?.() ?? randomId();
    const stored = typeof options.turn === 'string' ? options.turn : '';
    const result = step(kb, options.walk, input, {
      facts: this.deps.facts(),
      search,
      newId,
      // Per dialog, so two operators' first turns in one group chat never derive the same decision id.
      turnId: turnIdOf(dialogKeyOf(context.activity), stored),
    });
    let replies = result.replies;
    for (const effect of result.effects) if (!runsAfterReplies(effect)) replies = (await this.deps.runEffect(context, effect)) ?? replies;
    context.turnState.set(NOTICES, replies.flatMap((r) => (r.type === 'notice' ? [r.notice] : [])));
    const activity = context.activity;
    const sent = replies.length ? await context.sendActivities(renderReplies(kb, replies, this.deps.factNotes, dialogOwnerOf(activity), activity.from?.id)) : [];
    for (const effect of result.effects) if (runsAfterReplies(effect)) await this.deps.runEffect(context, effect);
    const card = await this.followCard(context, kb, options, result.walk, replies, sent.map((r) => r?.id ?? ''));
    // A refresh changes nothing: the stored turn stays, so a retried click still derives the same decision id.
    const refresh = input.kind === 'click' && input.action.action === 'refresh';
    return { ...(result.walk ? { walk: result.walk } : {}), turn: refresh ? stored : newId, ...(card ? { card } : {}) } satisfies TurnOptions;
  }

  /**
   * Keeps one live question card per dialog in Teams. When this turn posts a newer card of the dialog
   * as a new message, or ends or moves the walk past the card, the message that showed it is updated
   * in place to its read-only summary; returns the message that now shows the live card. A click
   * answered in place (an invoke) replaces its own message (`replyToId`). With `expectReplies` the
   * channel gives no activity ids, so nothing is tracked and nothing updated.
   */
  private async followCard(context: TurnContext, kb: KnowledgeBase, before: TurnOptions, walk: Walk | undefined, replies: readonly Reply[], ids: string[]): Promise<ShownCard | undefined> {
    const shown = shownCardOf(before.card);
    const inPlace = context.activity.type === 'invoke' ? (context.activity.replyToId ?? '') : undefined;
    // Only a shown card or an invoke's own message can need it: a plain message turn with nothing
    // tracked (every expectReplies turn) does not place the stored walk a second time.
    const live = shown || inPlace !== undefined ? liveCardOf(kb, before.walk) : undefined;
    const last = replies.map((r) => r.type === 'question' || r.type === 'outcome').lastIndexOf(true);
    const newest = replies[last] as Extract<Reply, { type: 'question' | 'outcome' }> | undefined;
    const posted = inPlace === undefined && newest !== undefined;
    // An invoke that does not name its message may be a click on the shown one: that message is left to the answer.
    if (shown && live && shown.cardId === live.cardId && inPlace !== '' && shown.activityId !== inPlace && (posted || walk?.cardId !== live.cardId)) {
      const summary = cardSummary(live, newest && { procedureId: newest.procedure.id, path: newest.path }, walk !== undefined);
      try {
        await context.updateActivity({ type: 'message', id: shown.activityId, attachments: [summaryCard(summary)] });
      } catch (e) {
        this.deps.cardUpdateFailed?.(e);
      }
    }
    if (!walk) return undefined;
    if (walk.cardId === live?.cardId && !posted) return shown;
    if (inPlace !== undefined) return inPlace ? { activityId: inPlace, cardId: walk.cardId } : undefined;
    const id = newest?.type === 'question' ? ids[last] : '';
    return id ? { activityId: id, cardId: walk.cardId } : undefined;
  }
}
