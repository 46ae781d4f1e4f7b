import { randomBytes } from 'node:crypto';
import { MessageFactory, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  DialogTurnStatus,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { EngineError, locate, questionAt, type Answer, type Facts, type PathStep } from '../domain/engine.js';
import type { KnowledgeBase, OutcomeNode, Procedure } from '../domain/types.js';
import { parseCommand } from '../domain/commands.js';
import { matchOption } from '../domain/optionMatch.js';
import { outcomeCard, questionCard, type FactNotes } from './cards.js';
import { readInput } from './input.js';
import { OptionPrompt, type OptionPromptOptions, type QuestionAsked } from './optionPrompt.js';
import { t } from './strings.js';

export const PROCEDURE_DIALOG = 'procedure';
/** Short random ids for cards and decisions (URL-safe, unguessable enough to refuse forged clicks). */
const newId = () => randomBytes(9).toString('base64url');
const WALK = 'procedure.walk';
const ASK = 'procedure.ask';

/** How a procedure dialog starts (and restarts at each step): the answers so far. */
export interface ProcedureDialogOptions {
  procedureId: string;
  /** Answers already known, e.g. taken from the operator's free-text question. */
  answers?: Answer[];
  /** Set by the dialog: the facts decided at its start, so every step replays the same path. */
  facts?: Record<string, string>;
  /** Set by the dialog: the procedure version the answers belong to. */
  version?: number;
}

/** Told when a dialog reaches an outcome (the decision log listens here). */
export interface OutcomeReached {
  context: TurnContext;
  /** Id of this answer: on the card's feedback buttons and in the decision log. */
  decisionId: string;
  procedure: Procedure;
  nodeId: string;
  outcome: OutcomeNode;
  path: PathStep[];
}

export interface ProcedureDialogDeps {
  kb: KnowledgeBase;
  /** Facts the bot can decide itself (e.g. whether telesales works now). */
  facts: () => Facts;
  /** How each fact is decided, for the outcome card (e.g. the configured telesales hours). */
  factNotes?: FactNotes;
  onOutcome?: (reached: OutcomeReached) => Promise<void>;
  /**
   * A procedure that clearly fits a typed message, for text that answers no option (the operator
   * describes a new situation mid-dialog); undefined when nothing clearly fits.
   */
  findProcedure?: (text: string) => { procedureId: string; answers: Answer[] } | undefined;
}

/** What the ask step leaves for the answer step. */
interface StepValues {
  nodeId: string;
}

type Navigation = 'back' | 'restart' | 'cancel' | 'help';
const navigations = new Set<string>(['back', 'restart', 'cancel', 'help']);

/**
 * The one dialog that runs every procedure: a two-step waterfall (ask the current question,
 * apply the answer) that replaces itself after each answer until the engine reaches an outcome.
 * Navigation (back, restart, cancel, help) and out-of-date clicks are handled here, once, before
 * the prompt sees the turn.
 */
export class ProcedureDialog extends ComponentDialog {
  private readonly byId: Map<string, Procedure>;

  constructor(private readonly deps: ProcedureDialogDeps) {
    super(PROCEDURE_DIALOG);
    this.byId = new Map(deps.kb.procedures.map((p) => [p.id, p]));
    this.addDialog(new OptionPrompt(ASK, (asked) => this.renderQuestion(asked)));
    this.addDialog(new WaterfallDialog(WALK, [this.askStep.bind(this), this.answerStep.bind(this)]));
    this.initialDialogId = WALK;
  }

  protected async onBeginDialog(innerDc: DialogContext, options?: ProcedureDialogOptions): Promise<DialogTurnResult> {
    if (!options?.procedureId) throw new Error('ProcedureDialog needs a procedureId');
    const proc = this.byId.get(options.procedureId);
    return innerDc.beginDialog(WALK, { ...options, answers: options.answers ?? [], facts: { ...this.deps.facts() }, version: proc?.version });
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const o = step.options as Required<ProcedureDialogOptions>;
    const proc = this.byId.get(o.procedureId);
    if (!proc) {
      await step.context.sendActivity(t.unknownProcedure);
      return step.endDialog();
    }
    let position;
    try {
      if (o.version !== proc.version) throw new EngineError('notCurrent', 'procedure version changed');
      position = locate(proc, o.answers, o.facts);
    } catch (e) {
      if (!(e instanceof EngineError) || o.answers.length === 0) throw e;
      // Stored answers no longer fit (the procedure was edited since): start over rather than guess.
      await step.context.sendActivity(t.procedureChanged);
      return step.replaceDialog(WALK, { ...o, answers: [], version: proc.version });
    }
    if (position.type === 'outcome') {
      const decisionId = newId();
      await step.context.sendActivity(MessageFactory.attachment(outcomeCard(this.deps.kb, proc, position.node, position.path, decisionId, this.deps.factNotes)));
      await this.deps.onOutcome?.({ context: step.context, decisionId, procedure: proc, nodeId: position.nodeId, outcome: position.node, path: position.path });
      return step.endDialog({ procedureId: proc.id, outcome: position.nodeId });
    }
    const asked: QuestionAsked = { ...o, nodeId: position.nodeId, cardId: newId(), options: position.node.options };
    (step.values as StepValues).nodeId = position.nodeId;
    return step.prompt(ASK, { validations: asked } satisfies OptionPromptOptions);
  }

  private async answerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const o = step.options as Required<ProcedureDialogOptions>;
    return step.replaceDialog(WALK, { ...o, answers: [...o.answers, { nodeId: (step.values as StepValues).nodeId, optionId: step.result as string }] });
  }

  private renderQuestion(asked: QuestionAsked) {
    const proc = this.byId.get(asked.procedureId)!;
    const position = locate(proc, asked.answers, asked.facts);
    if (position.type !== 'question') throw new Error(`expected a question at ${asked.nodeId}`);
    return MessageFactory.attachment(questionCard(proc, position.nodeId, position.node, position.path, asked.cardId, asked.answers.length, this.deps.factNotes));
  }

  protected async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const asked = innerDc.activeDialog?.id === ASK ? (innerDc.activeDialog.state.options as OptionPromptOptions).validations : undefined;
    if (!asked || innerDc.context.activity.type !== 'message') return super.onContinueDialog(innerDc);

    const input = readInput(innerDc.context.activity);
    let nav: Navigation | undefined;
    if (input.kind === 'invalid') return this.reprompt(innerDc, t.invalidClick);
    if (input.kind === 'action') {
      const a = input.action;
      if ('cardId' in a && a.cardId !== asked.cardId) return this.reprompt(innerDc, t.staleCard);
      if (navigations.has(a.action)) nav = a.action as Navigation;
    } else {
      const command = parseCommand(input.text);
      if (command && navigations.has(command)) nav = command as Navigation;
      else if (!command && !matchOption(asked.options, input.text)) {
        // Not an answer: maybe the operator moved on to a new situation mid-dialog.
        const next = this.deps.findProcedure?.(input.text);
        if (next && this.byId.has(next.procedureId)) {
          await innerDc.context.sendActivity(t.switchedProcedure(this.byId.get(next.procedureId)!.title));
          await innerDc.cancelAllDialogs();
          return this.onBeginDialog(innerDc, next);
        }
      }
    }

    switch (nav) {
      case 'help': {
        const question = questionAt(this.byId.get(asked.procedureId)!, asked.nodeId);
        await innerDc.context.sendActivity(t.dialogHelp(question?.text ?? '', question?.help));
        return Dialog.EndOfTurn;
      }
      case 'cancel':
        await innerDc.cancelAllDialogs();
        await innerDc.context.sendActivity(t.cancelled);
        // The component ends with this result (ComponentDialog reports it as complete).
        return { status: DialogTurnStatus.cancelled, result: { cancelled: true } };
      case 'back':
        if (asked.answers.length === 0) return this.reprompt(innerDc, t.firstQuestion);
        return this.restartWalk(innerDc, asked, asked.answers.slice(0, -1));
      case 'restart':
        return this.restartWalk(innerDc, asked, []);
      default:
        return super.onContinueDialog(innerDc);
    }
  }

  private async restartWalk(innerDc: DialogContext, asked: QuestionAsked, answers: Answer[]): Promise<DialogTurnResult> {
    const { procedureId, facts, version } = asked;
    await innerDc.cancelAllDialogs();
    return innerDc.beginDialog(WALK, { procedureId, facts, version, answers } satisfies ProcedureDialogOptions);
  }

  private async reprompt(innerDc: DialogContext, notice: string): Promise<DialogTurnResult> {
    await innerDc.context.sendActivity(notice);
    await innerDc.repromptDialog();
    return Dialog.EndOfTurn;
  }
}
