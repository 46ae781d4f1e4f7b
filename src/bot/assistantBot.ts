import { ConversationState, MessageFactory, TeamsActivityHandler, UserState, type TurnContext } from 'botbuilder';
import { NotYourDecisionError, UnknownDecisionError, type DecisionLog } from '../domain/decisions.js';
import { DialogSet, type DialogContext, type DialogState } from 'botbuilder-dialogs';
import { parseCommand } from '../domain/commands.js';
import type { SearchResult } from '../domain/search/index.js';
import type { KnowledgeBase } from '../domain/types.js';
import { disambiguationCard, helpCard, linesCard, phrasesCard, topicsCard } from '../dialogs/directories.js';
import { readInput, type CardAction, type UserInput } from '../dialogs/input.js';
import { PROCEDURE_DIALOG, ProcedureDialog, type ProcedureDialogDeps } from '../dialogs/procedureDialog.js';
import { t } from '../dialogs/strings.js';
import { personOf } from './decisionRecorder.js';
import { isTeamLead } from './leads/auth.js';

/** Handles some turns before the assistant does (e.g. team-lead commands); true = handled. */
export interface TurnHandler {
  handle(context: TurnContext, input: UserInput): Promise<boolean>;
}

export interface AssistantBotDeps extends ProcedureDialogDeps {
  conversationState: ConversationState;
  userState: UserState;
  search: { query(text: string): SearchResult };
  decisions: DecisionLog;
  handlers?: TurnHandler[];
  now?: () => Date;
  /** TEAM_LEADS: they may give feedback on any decision; operators only on their own. */
  teamLeads?: readonly string[];
}

/**
 * Routes each message: card clicks and commands first, then the active procedure dialog, then
 * free text as a question for search. Saves conversation and user state after every turn.
 */
export class AssistantBot extends TeamsActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly kb: KnowledgeBase;

  constructor(private readonly deps: AssistantBotDeps) {
    super();
    this.kb = deps.kb;
    this.dialogs = new DialogSet(deps.conversationState.createProperty<DialogState>('dialogState'));
    this.dialogs.add(
      new ProcedureDialog({
        ...deps,
        // Mid-dialog, only a clear match of a longer message counts: a mistyped answer («закрыт…») is re-asked, not redirected.
        findProcedure: (text) => {
          if (text.split(/\s+/).length < 3) return undefined;
          const result = deps.search.query(text);
          return result.type === 'match' ? { procedureId: result.hit.procedureId, answers: result.hit.answers } : undefined;
        },
      }),
    );

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id !== botId)) await context.sendActivity(MessageFactory.attachment(helpCard(this.kb)));
      await next();
    });
  }

  async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
    await this.deps.userState.saveChanges(context, false);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    const input = readInput(context.activity);
    for (const handler of this.deps.handlers ?? []) if (await handler.handle(context, input)) return;
    if (input.kind === 'action') return this.handleAction(dc, input.action);
    if (input.kind === 'invalid') {
      if (dc.activeDialog) await dc.continueDialog();
      else await context.sendActivity(t.invalidClick);
      return;
    }

    const command = parseCommand(input.text);
    switch (command) {
      case 'topics':
      case 'lines':
      case 'phrases':
        return this.handleAction(dc, { action: command });
      case 'help':
        if (dc.activeDialog) await dc.continueDialog();
        else await context.sendActivity(MessageFactory.attachment(helpCard(this.kb)));
        return;
      case 'back':
      case 'restart':
      case 'cancel':
        if (dc.activeDialog) await dc.continueDialog();
        else await context.sendActivity(t.nothingToCancel);
        return;
    }
    if (dc.activeDialog) {
      await dc.continueDialog();
      return;
    }
    if (!input.text) {
      await context.sendActivity(t.emptyMessage);
      return;
    }
    await this.answerQuestion(dc, input.text);
  }

  private async handleAction(dc: DialogContext, action: CardAction): Promise<void> {
    const send = (card: Parameters<typeof MessageFactory.attachment>[0]) => dc.context.sendActivity(MessageFactory.attachment(card));
    switch (action.action) {
      case 'topics':
        await send(topicsCard(this.kb));
        return;
      case 'lines':
        await send(linesCard(this.kb));
        return;
      case 'phrases':
        await send(phrasesCard(this.kb));
        return;
      case 'nothingFits':
        await dc.context.sendActivity(t.nothingFits);
        await send(topicsCard(this.kb));
        return;
      case 'feedback':
        await this.recordFeedback(dc.context, action);
        return;
      case 'start':
        await dc.cancelAllDialogs();
        await dc.beginDialog(PROCEDURE_DIALOG, { procedureId: action.procedureId, answers: action.answers });
        return;
      default:
        // A click on a question card: only the dialog that sent it can judge it.
        if (dc.activeDialog) await dc.continueDialog();
        else await dc.context.sendActivity(t.staleCardNoDialog);
    }
  }

  private async recordFeedback(context: TurnContext, action: Extract<CardAction, { action: 'feedback' }>): Promise<void> {
    let outcome;
    try {
      outcome = await this.deps.decisions.addFeedback(
        {
          decisionId: action.decisionId,
          at: (this.deps.now?.() ?? new Date()).toISOString(),
          by: personOf(context),
          verdict: action.verdict,
          ...(action.comment ? { comment: action.comment } : {}),
        },
        { byTeamLead: isTeamLead(context.activity, new Set(this.deps.teamLeads ?? [])) },
      );
    } catch (e) {
      if (e instanceof UnknownDecisionError) return void (await context.sendActivity(t.unknownDecision));
      if (e instanceof NotYourDecisionError) return void (await context.sendActivity(t.notYourDecision));
      throw e;
    }
    if (outcome === 'unchanged') await context.sendActivity(t.feedbackUnchanged);
    else if (action.verdict === 'wrong') await context.sendActivity(t.flaggedWrong);
    else await context.sendActivity(outcome === 'changed' ? t.helpfulAfterWrong : t.thanksHelpful);
  }

  private async answerQuestion(dc: DialogContext, text: string): Promise<void> {
    const result = this.deps.search.query(text);
    if (result.type === 'match') {
      const hit = result.hit;
      await dc.beginDialog(PROCEDURE_DIALOG, { procedureId: hit.procedureId, answers: hit.answers });
      return;
    }
    if (result.type === 'ambiguous') {
      await dc.context.sendActivity(MessageFactory.attachment(disambiguationCard(result.candidates)));
      return;
    }
    await dc.context.sendActivity(t.notFound);
    await dc.context.sendActivity(MessageFactory.attachment(topicsCard(this.kb)));
  }
}
