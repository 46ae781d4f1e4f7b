import { randomToken } from '../../randomToken.js';
import { MessageFactory, type TurnContext } from 'botbuilder';
import { NotYourDecisionError, UnknownDecisionError, type DecisionLog } from '../../domain/decisions.js';
import { isoDate } from '../../domain/dates.js';
import { defaultValues, validateForm, type FieldProblem } from '../../domain/forms.js';
import type { Form, KnowledgeBase } from '../../domain/types.js';
import { formCard, formCardData, formResultData } from '../../dialogs/formCards.js';
import type { CardAction, UserInput } from '../../dialogs/input.js';
import { t } from '../../dialogs/strings.js';
import { answeredOutcome } from '../../domain/walkPosition.js';
import type { TurnHandler } from './assistantBot.js';
import { personOf } from './decisionRecorder.js';

export interface FormHandlerDeps {
  /** The knowledge base in use (it may be reloaded between turns). */
  kb: () => KnowledgeBase;
  decisions: DecisionLog;
  now?: () => Date;
  /** For a date field's default «today» (the bot's working time zone). */
  timeZone?: string;
  /** Card ids (tests pass a fixed sequence). */
  newId?: () => string;
}

type FormSubmit = Extract<CardAction, { action: 'form' }>;

/**
 * Fill-in forms on outcome cards: «Заполнить …» (an effect of the turn step) sends the outcome's form card; a submit
 * of that card (Teams merges the inputs into the action data) is checked against the form's rules
 * here, whatever the card client enforced. A refused submit gets the form back with every value
 * kept and each problem named; an accepted one gets the ready-to-paste texts, and its values are
 * appended to the decision log for the decision the form belongs to.
 *
 * Values are customers' personal data: nothing here logs them, and no error message carries them.
 */
export class FormHandler implements TurnHandler {
  constructor(private readonly deps: FormHandlerDeps) {}

  async handle(context: TurnContext, input: UserInput): Promise<boolean> {
    if (input.kind !== 'action' || input.action.action !== 'form') return false;
    await this.submit(context, input.action);
    return true;
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private newId(): string {
    return this.deps.newId?.() ?? randomToken(9, 'base64url');
  }

  /**
   * The form, if it exists and the decision (when the log has it) is an outcome with this form, on
   * its procedure's version as answered (the rule outcome cards drawn again follow). When the
   * procedure has changed since, the form comes back marked so and the caller tells the operator.
   */
  private async formFor(context: TurnContext, formId: string, decisionId: string): Promise<{ form: Form; procedureChanged: boolean } | undefined> {
    const kb = this.deps.kb();
    const form = (kb.forms ?? []).find((f) => f.id === formId);
    if (!form) {
      await context.sendActivity(t.unknownForm);
      return undefined;
    }
    const decision = await this.deps.decisions.get(decisionId);
    if (!decision) return { form, procedureChanged: false };
    const answered = answeredOutcome(kb, decision);
    if (answered === 'procedureChanged') return { form, procedureChanged: true };
    if (answered?.node.form !== formId) {
      await context.sendActivity(t.invalidClick);
      return undefined;
    }
    return { form, procedureChanged: false };
  }

  private async sendForm(context: TurnContext, form: Form, decisionId: string, values: Record<string, string>, problems?: FieldProblem[]): Promise<void> {
    await context.sendActivity(MessageFactory.attachment(formCard(formCardData(form, { decisionId, cardId: this.newId(), values, problems }))));
  }

  /** Sends the form card, pre-filled with the defaults and with `values` the operator's message gave. */
  async open(context: TurnContext, open: { formId: string; decisionId: string; values?: Record<string, string> }): Promise<void> {
    const found = await this.formFor(context, open.formId, open.decisionId);
    if (!found) return;
    if (found.procedureChanged) return void (await context.sendActivity(t.formProcedureChanged));
    const { form } = found;
    const given = Object.entries(open.values ?? {}).filter(([k]) => form.fields.some((f) => f.id === k));
    const values = { ...defaultValues(form, isoDate(this.now(), this.deps.timeZone)), ...Object.fromEntries(given) };
    await this.sendForm(context, form, open.decisionId, values);
  }

  private async submit(context: TurnContext, action: FormSubmit): Promise<void> {
    const found = await this.formFor(context, action.formId, action.decisionId);
    if (!found) return;
    const { form } = found;
    if (found.procedureChanged) {
      await context.sendActivity(t.formProcedureChangedKept);
      return this.sendForm(context, form, action.decisionId, action.values);
    }
    // Only the form's own inputs: anything else was not on the card the bot sent.
    const ids = new Set(form.fields.map((f) => f.id));
    if (Object.keys(action.values).some((k) => !ids.has(k))) {
      await context.sendActivity(t.invalidClick);
      return;
    }
    const now = this.now();
    const result = validateForm(form, action.values, { today: isoDate(now, this.deps.timeZone) });
    if (!result.ok) return this.sendForm(context, form, action.decisionId, action.values, result.problems);
    let notLogged = false;
    try {
      await this.deps.decisions.addFormValues({ decisionId: action.decisionId, at: now.toISOString(), by: personOf(context), formId: form.id, values: result.values });
    } catch (e) {
      if (e instanceof NotYourDecisionError) return void (await context.sendActivity(t.notYourDecision));
      if (!(e instanceof UnknownDecisionError)) throw e;
      notLogged = true;
    }
    await context.sendActivity(MessageFactory.attachment(formCard(formResultData(form, { decisionId: action.decisionId, outputs: result.outputs, notLogged }))));
  }
}
