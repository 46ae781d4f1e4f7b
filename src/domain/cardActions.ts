import type { Answer } from './engine.js';

/**
 * The `data` of every Action.Submit and Action.Execute the bot puts on a card. Teams sends it back
 * as the message's `value` (with no text), or for Action.Execute as the `adaptiveCard/action`
 * invoke's `action.data` (its `verb` is the `action` here); `cardId` lets the bot refuse a click on
 * an out-of-date card.
 * src/dialogs/input.ts checks a click against these shapes before anything acts on it.
 */
export type CardAction =
  | { action: 'answer'; procedureId: string; nodeId: string; optionId: string; cardId: string }
  | { action: 'back' | 'restart' | 'cancel' | 'help'; cardId: string }
  /** A question card's refresh: Teams asks for the card again when it is shown; the live card, else its read-only summary. */
  | { action: 'refresh'; procedureId: string; nodeId: string; cardId: string }
  /** «Изменить» beside an answer taken from the message: reopens that question, the answers before it kept. */
  | { action: 'revise'; nodeId: string; cardId: string }
  /** `revised`: from an outcome card's «Изменить», the answer taken from the message that the operator reopens. */
  | { action: 'start'; procedureId: string; answers?: Answer[]; revised?: Answer }
  | { action: 'topics' | 'lines' | 'phrases' }
  /** `text`: the message the offered procedures were for. */
  | { action: 'nothingFits'; text?: string }
  /** From an outcome card; `comment` is the card's input, merged into `value` by the channel. */
  | { action: 'feedback'; decisionId: string; verdict: 'helpful' | 'wrong'; comment?: string }
  /** «Заполнить …» on an outcome card: send the outcome's form card, pre-filled with `values` the message gave. */
  | { action: 'formOpen'; formId: string; decisionId: string; values?: Record<string, string> }
  /**
   * A form card's submit: the card's data with the form's inputs merged in by the channel
   * (input id → typed text), collected here under `values`. Which ids are the form's own is checked
   * by the form handler, which knows the form.
   */
  | { action: 'form'; formId: string; decisionId: string; cardId: string; values: Record<string, string> }
  /** Team-lead cards; `note` is the decision card's input, merged into `value` by the channel. */
  | { action: 'leadRecent' | 'leadQueue' }
  | { action: 'leadDecision'; decisionId: string }
  | { action: 'leadReviewed'; decisionId: string; note?: string };
