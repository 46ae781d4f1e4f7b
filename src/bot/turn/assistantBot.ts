import { MessageFactory, TeamsActivityHandler, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type ConversationState, type MessagingExtensionQuery, type MessagingExtensionResponse, type TurnContext } from 'botbuilder';
import { answerCardInvoke, invokeInput } from '../../dialogs/cardInvoke.js';
import { isOthersCard } from '../../dialogs/dialogOwner.js';
import type { DecisionLog } from '../../domain/decisions.js';
import { helpCard } from '../../dialogs/directories.js';
import { readInput, stepInputOf, type UserInput } from '../../dialogs/input.js';
import { t } from '../../dialogs/strings.js';
import { fitCardsToClient } from '../../dialogs/universalActions.js';
import { TurnDialog, type TurnDialogDeps } from '../../dialogs/turnDialog.js';
import { messageExtensionResponse } from './messageExtension.js';

/** Handles some turns before the assistant does (e.g. team-lead commands); true = handled. */
export interface TurnHandler {
  handle(context: TurnContext, input: UserInput): Promise<boolean>;
}

export interface AssistantBotDeps extends TurnDialogDeps {
  conversationState: ConversationState;
  handlers?: TurnHandler[];
  /** Lets a card clicked in place show the feedback given (Universal Actions). */
  decisions?: DecisionLog;
}

/**
 * The Teams activity handler: reads a message once, gives it to the handlers that own their turns
 * (team-lead commands, form submits), and otherwise to the conversation's one dialog, which
 * decides the turn in the domain step. Saves the conversation state after every turn.
 */
export class AssistantBot extends TeamsActivityHandler {
  private readonly dialog: TurnDialog;

  constructor(private readonly deps: AssistantBotDeps) {
    super();
    this.dialog = new TurnDialog(deps, deps.conversationState.createProperty('dialogState'));

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id !== botId)) await context.sendActivity(MessageFactory.attachment(helpCard(deps.knowledge().kb)));
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    fitCardsToClient(context);
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
  }

  /** The compose box's search (message extension): the same search, answered in the invoke response. */
  protected override async handleTeamsMessagingExtensionQuery(_context: TurnContext, query: MessagingExtensionQuery): Promise<MessagingExtensionResponse> {
    const { kb, search } = this.deps.knowledge();
    return messageExtensionResponse(query, kb, search);
  }

  /** A button on a card inserted from the compose box comes as this invoke, with the button's data as `value`: the same click. */
  protected override async handleTeamsMessagingExtensionCardButtonClicked(context: TurnContext): Promise<void> {
    await this.handleMessage(context);
  }

  /** A click on an Action.Execute button (Universal Actions): the same turn, answered with the next card in place. */
  protected override async onAdaptiveCardInvoke(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const input = invokeInput(value);
    return answerCardInvoke(context, input, () => this.handleMessage(context, input), this.deps);
  }

  private async handleMessage(context: TurnContext, input: UserInput = readInput(context.activity)): Promise<void> {
    if (input.kind === 'action' && isOthersCard(context.activity, input.owner)) return void (await context.sendActivity(t.notYourDialog));
    for (const handler of this.deps.handlers ?? []) if (await handler.handle(context, input)) return;
    await this.dialog.run(context, stepInputOf(input));
  }
}
