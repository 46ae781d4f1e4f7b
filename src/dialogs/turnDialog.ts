import { createHash } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { DialogContext, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { Dialog, DialogReason, WaterfallDialog } from './dialogsCore.js';
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

/** This turn's input, parsed once by the bot; kept for the turn only, never stored. */
const INPUT = Symbol('turnInput');

/** The notices this turn showed, by key; kept for the turn only. */
const NOTICES = Symbol('turnNotices');

/** Which notices the turn just run showed (none when the dialog did not decide it): an invoke's answer decides on them. */
export const turnNoticesOf = (context: TurnContext): readonly NoticeKey[] => context.turnState.get(NOTICES) ?? [];

/** Short random ids (URL-safe, unguessable enough to refuse forged clicks). */
const randomId = () => randomToken(9, 'base64url');

/** The id of a turn: unguessable, and the same for every attempt at a turn from the same stored state. */
const turnIdOf = (dialogKey: string, turn: string) => createHash('sha256').update(`${dialogKey}\n${turn}`).digest('base64url').slice(0, 16);

/**
 * The conversation as one botbuilder waterfall, the same for every procedure: step 1 waits for the
 * operator's input, step 2 decides the turn with the pure {@link step}, runs its effects in order
 * (a decision is appended, and durable, before the card that names it is sent), sends the replies
 * and replaces the dialog with the next walk, which the bot's ConversationState then saves.
 */
export class TurnDialog extends WaterfallDialog<TurnOptions> {
  constructor(private readonly deps: TurnDialogDeps) {
    super(TURN_DIALOG, [(s) => this.ask(s), (s) => this.decide(s)]);
  }

  /**
   * WaterfallDialog skips every activity that is not a message; this dialog is only run with an input
   * the bot has parsed, and card buttons also arrive as invokes (a compose-box card's click), so each continues it.
   */
  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return this.resumeDialog(dc, DialogReason.continueCalled);
  }

  /** Runs one turn with its input: continues the conversation's dialog, or starts it. */
  static async run(dc: DialogContext, input: StepInput): Promise<void> {
    dc.context.turnState.set(INPUT, input);
    // A conversation stored by an older version of the bot: its dialogs are gone, it starts cleanly.
    if (dc.activeDialog && dc.activeDialog.id !== TURN_DIALOG) await dc.cancelAllDialogs();
    if (dc.activeDialog) await dc.continueDialog();
    else await dc.beginDialog(TURN_DIALOG, {});
  }

  /** Waits for the operator, unless this turn's input is still to be decided (the first turn of a conversation). */
  private async ask(sc: WaterfallStepContext<TurnOptions>): Promise<DialogTurnResult> {
    return sc.context.turnState.has(INPUT) ? sc.next() : Dialog.EndOfTurn;
  }

  private async decide(sc: WaterfallStepContext<TurnOptions>): Promise<DialogTurnResult> {
    const input: StepInput = sc.context.turnState.get(INPUT);
    sc.context.turnState.delete(INPUT);
    const { kb, search } = this.deps.knowledge();
    const newId = this.deps.newId?.() ?? randomId();
    const stored = typeof sc.options.turn === 'string' ? sc.options.turn : '';
    const result = step(kb, sc.options.walk, input, {
      facts: this.deps.facts(),
      search,
      newId,
      // Per dialog, so two operators' first turns in one group chat never derive the same decision id.
      turnId: turnIdOf(dialogKeyOf(sc.context.activity), stored),
    });
    let replies = result.replies;
    for (const effect of result.effects) if (!runsAfterReplies(effect)) replies = (await this.deps.runEffect(sc.context, effect)) ?? replies;
    sc.context.turnState.set(NOTICES, replies.flatMap((r) => (r.type === 'notice' ? [r.notice] : [])));
    const activity = sc.context.activity;
    const sent = replies.length ? await sc.context.sendActivities(renderReplies(kb, replies, this.deps.factNotes, dialogOwnerOf(activity), activity.from?.id)) : [];
    for (const effect of result.effects) if (runsAfterReplies(effect)) await this.deps.runEffect(sc.context, effect);
    const card = await this.followCard(sc.context, kb, sc.options, result.walk, replies, sent.map((r) => r?.id ?? ''));
    // A refresh changes nothing: the stored turn stays, so a retried click still derives the same decision id.
    const refresh = input.kind === 'click' && input.action.action === 'refresh';
    return sc.replaceDialog(TURN_DIALOG, { ...(result.walk ? { walk: result.walk } : {}), turn: refresh ? stored : newId, ...(card ? { card } : {}) } satisfies TurnOptions);
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
