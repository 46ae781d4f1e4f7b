import { MessageFactory, TeamsActivityHandler, type ConversationState, type MessagingExtensionQuery, type MessagingExtensionResponse, type TurnContext } from 'botbuilder';
import { DialogSet, type DialogState } from 'botbuilder-dialogs';
import { helpCard } from '../../dialogs/directories.js';
import { readInput, stepInputOf, type UserInput } from '../../dialogs/input.js';
import { TurnDialog, type TurnDialogDeps } from '../../dialogs/turnDialog.js';
import { messageExtensionResponse } from './messageExtension.js';

/** Handles some turns before the assistant does (e.g. team-lead commands); true = handled. */
export interface TurnHandler {
  handle(context: TurnContext, input: UserInput): Promise<boolean>;
}

export interface AssistantBotDeps extends TurnDialogDeps {
  conversationState: ConversationState;
  handlers?: TurnHandler[];
}

/**
 * The Teams activity handler: reads a message once, gives it to the handlers that own their turns
 * (team-lead commands, form submits), and otherwise to the conversation's one waterfall, which
 * decides the turn in the domain step. Saves the conversation state after every turn.
 */
export class AssistantBot extends TeamsActivityHandler {
  private readonly dialogs: DialogSet;

  constructor(private readonly deps: AssistantBotDeps) {
    super();
    this.dialogs = new DialogSet(deps.conversationState.createProperty<DialogState>('dialogState'));
    this.dialogs.add(new TurnDialog(deps));

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id !== botId)) await context.sendActivity(MessageFactory.attachment(helpCard(deps.kb)));
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
  }

  /** The compose box's search (message extension): the same search, answered in the invoke response. */
  protected override async handleTeamsMessagingExtensionQuery(_context: TurnContext, query: MessagingExtensionQuery): Promise<MessagingExtensionResponse> {
    return messageExtensionResponse(query, this.deps.kb, this.deps.search);
  }

  /** A button on a card inserted from the compose box comes as this invoke, with the button's data as `value`: the same click. */
  protected override async handleTeamsMessagingExtensionCardButtonClicked(context: TurnContext): Promise<void> {
    await this.handleMessage(context);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const input = readInput(context.activity);
    for (const handler of this.deps.handlers ?? []) if (await handler.handle(context, input)) return;
    await TurnDialog.run(await this.dialogs.createContext(context), stepInputOf(input));
  }
}
