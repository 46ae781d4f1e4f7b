import type { Activity, TurnContext } from 'botbuilder';
import { Prompt, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import type { Answer, Facts } from '../domain/engine.js';
import { matchOption } from '../domain/optionMatch.js';
import type { AnswerOption } from '../domain/types.js';
import { readInput } from './input.js';
import { t } from './strings.js';

/** What the procedure dialog asks with: the question being asked and the card it is on. */
export interface QuestionAsked {
  procedureId: string;
  version: number;
  facts: Facts;
  nodeId: string;
  cardId: string;
  /** Answers given before this question (for «Назад»). */
  answers: Answer[];
  options: AnswerOption[];
}

export type OptionPromptOptions = PromptOptions & { validations: QuestionAsked };

/**
 * A prompt for one procedure question, answered by a click on its card (`value`, as Teams sends
 * it) or by typing an option. The built-in ChoicePrompt would ignore clicks and speaks no Russian;
 * this one recognizes only clicks on the card it sent and Russian typed answers. Resolves to the
 * chosen option id. The card is rendered when sent, not kept in dialog state, so stored state
 * stays small.
 */
export class OptionPrompt extends Prompt<string> {
  constructor(
    dialogId: string,
    private readonly render: (asked: QuestionAsked) => Partial<Activity>,
  ) {
    super(dialogId);
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    if (isRetry) await context.sendActivity(t.notUnderstood);
    await context.sendActivity(this.render((options as OptionPromptOptions).validations));
  }

  protected async onRecognize(context: TurnContext, _state: object, options: PromptOptions): Promise<PromptRecognizerResult<string>> {
    const asked = (options as OptionPromptOptions).validations;
    const input = readInput(context.activity);
    if (input.kind === 'action') {
      const a = input.action;
      const fits = a.action === 'answer' && a.cardId === asked.cardId && a.nodeId === asked.nodeId && asked.options.some((o) => o.id === a.optionId);
      return fits ? { succeeded: true, value: a.optionId } : { succeeded: false };
    }
    if (input.kind === 'text') {
      const option = matchOption(asked.options, input.text);
      if (option) return { succeeded: true, value: option.id };
    }
    return { succeeded: false };
  }
}
