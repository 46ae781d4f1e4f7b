import type { Activity } from 'botbuilder';
import type { CardAction } from '../domain/cardActions.js';
import { parseCommand } from '../domain/commands.js';
import type { Answer } from '../domain/engine.js';
import type { StepInput } from '../domain/step.js';
import { maskedText } from '../domain/unanswered.js';
import { OWNER_KEY } from './dialogOwner.js';

export type { CardAction };

/** What a user's message means before any dialog looks at it. */
export type UserInput =
  | { kind: 'text'; text: string }
  /** `owner`: whose dialog the card belongs to, on cards in group chats and channels. */
  | { kind: 'action'; action: CardAction; owner?: string }
  /** A `value` the bot did not put on any card (forged, from another bot, or malformed). */
  | { kind: 'invalid' };

const id = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64 && /^[a-z0-9][a-z0-9_-]*$/.test(v);
const cardId = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v);
/** Limits on a form submit: field ids as kb/schema/form.schema.json allows them, values as text of bounded size. */
export const FORM_LIMITS = { fields: 30, valueLength: 4000 } as const;
const fieldId = (k: string) => /^[a-zA-Z][a-zA-Z0-9]{0,39}$/.test(k);
const formKeys = new Set(['action', 'formId', 'decisionId', 'cardId']);

function formValues(v: Record<string, unknown>): Record<string, string> | undefined {
  const values: Record<string, string> = {};
  const keys = Object.keys(v).filter((k) => !formKeys.has(k));
  if (keys.length > FORM_LIMITS.fields) return undefined;
  for (const k of keys) {
    const value = v[k];
    if (!fieldId(k) || typeof value !== 'string' || value.length > FORM_LIMITS.valueLength) return undefined;
    values[k] = value;
  }
  return values;
}

const onlyKeys = (v: Record<string, unknown>, keys: string[]) => Object.keys(v).every((k) => k === 'action' || keys.includes(k));
/** Answers on a start button: only the keys the bot puts there, evidence as bounded text. */
function answersOf(v: unknown): Answer[] | undefined {
  if (!Array.isArray(v) || v.length > 50) return undefined;
  const answers: Answer[] = [];
  for (const a of v) {
    if (!a || typeof a !== 'object' || !id(a.nodeId) || !id(a.optionId)) return undefined;
    if (a.from !== undefined && a.from !== 'message' && a.from !== 'tap') return undefined;
    if (a.evidence !== undefined && (typeof a.evidence !== 'string' || a.evidence.length > 500)) return undefined;
    answers.push({ nodeId: a.nodeId, optionId: a.optionId, ...(a.from ? { from: a.from } : {}), ...(a.evidence ? { evidence: a.evidence } : {}) });
  }
  return answers;
}

/** Checks a click's `value` against the shapes the bot's own cards send; anything else is invalid. */
export function parseCardAction(value: unknown): CardAction | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  switch (v.action) {
    case 'answer':
      return id(v.procedureId) && id(v.nodeId) && id(v.optionId) && cardId(v.cardId)
        ? { action: 'answer', procedureId: v.procedureId, nodeId: v.nodeId, optionId: v.optionId, cardId: v.cardId }
        : undefined;
    case 'back':
    case 'restart':
    case 'cancel':
    case 'help':
      return cardId(v.cardId) ? { action: v.action, cardId: v.cardId } : undefined;
    case 'refresh':
      return id(v.procedureId) && id(v.nodeId) && cardId(v.cardId) ? { action: 'refresh', procedureId: v.procedureId, nodeId: v.nodeId, cardId: v.cardId } : undefined;
    case 'revise':
      return id(v.nodeId) && cardId(v.cardId) ? { action: 'revise', nodeId: v.nodeId, cardId: v.cardId } : undefined;
    case 'start': {
      if (!id(v.procedureId)) return undefined;
      if (v.answers === undefined) return v.revised === undefined ? { action: 'start', procedureId: v.procedureId } : undefined;
      const answers = answersOf(v.answers);
      const revised = v.revised === undefined ? [] : answersOf([v.revised]);
      if (!answers || revised?.length !== (v.revised === undefined ? 0 : 1)) return undefined;
      return { action: 'start', procedureId: v.procedureId, answers, ...(revised[0] ? { revised: revised[0] } : {}) };
    }
    case 'feedback': {
      if (!cardId(v.decisionId) || (v.verdict !== 'helpful' && v.verdict !== 'wrong')) return undefined;
      if (v.comment !== undefined && typeof v.comment !== 'string') return undefined;
      const comment = typeof v.comment === 'string' ? v.comment.trim().slice(0, 1000) : '';
      return { action: 'feedback', decisionId: v.decisionId, verdict: v.verdict, ...(comment ? { comment } : {}) };
    }
    case 'formOpen': {
      if (!id(v.formId) || !cardId(v.decisionId)) return undefined;
      if (v.values === undefined) return { action: 'formOpen', formId: v.formId, decisionId: v.decisionId };
      const values = v.values && typeof v.values === 'object' && !Array.isArray(v.values) ? formValues(v.values as Record<string, unknown>) : undefined;
      return values ? { action: 'formOpen', formId: v.formId, decisionId: v.decisionId, values } : undefined;
    }
    case 'form': {
      if (!id(v.formId) || !cardId(v.decisionId) || !cardId(v.cardId)) return undefined;
      const values = formValues(v);
      return values ? { action: 'form', formId: v.formId, decisionId: v.decisionId, cardId: v.cardId, values } : undefined;
    }
    case 'topics':
    case 'lines':
    case 'phrases':
      return { action: v.action };
    case 'nothingFits':
      // The message comes back as the card carried it; anything else is dropped, never trusted further.
      return typeof v.text === 'string' && v.text.trim() ? { action: 'nothingFits', text: maskedText(v.text.slice(0, 2000)) } : { action: 'nothingFits' };
    // Team-lead cards carry nothing else: any other key means it is not one of them.
    case 'leadRecent':
    case 'leadQueue':
      return onlyKeys(v, []) ? { action: v.action } : undefined;
    case 'leadDecision':
      return onlyKeys(v, ['decisionId']) && cardId(v.decisionId) ? { action: 'leadDecision', decisionId: v.decisionId } : undefined;
    case 'leadReviewed': {
      if (!onlyKeys(v, ['decisionId', 'note']) || !cardId(v.decisionId) || (v.note !== undefined && typeof v.note !== 'string')) return undefined;
      const note = typeof v.note === 'string' ? v.note.trim().slice(0, 1000) : '';
      return { action: 'leadReviewed', decisionId: v.decisionId, ...(note ? { note } : {}) };
    }
    default:
      return undefined;
  }
}

/** A message activity as the bot understands it: a card click (`value`) wins over text. */
export function readInput(activity: Partial<Activity>): UserInput {
  if (activity.value !== undefined && activity.value !== null) {
    const { value, owner } = withoutOwner(activity.value);
    const action = parseCardAction(value);
    return action ? { kind: 'action', action, ...(owner ? { owner } : {}) } : { kind: 'invalid' };
  }
  return { kind: 'text', text: typeof activity.text === 'string' ? withoutMentions(activity.text) : '' };
}

/** The owner's id a shared conversation's card carries, apart from the action it names. */
function withoutOwner(value: unknown): { value: unknown; owner?: string } {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, OWNER_KEY)) return { value };
  const { [OWNER_KEY]: owner, ...rest } = value as Record<string, unknown>;
  return typeof owner === 'string' && owner.length > 0 && owner.length <= 256 ? { value: rest, owner } : { value: undefined };
}

/** In channels and group chats Teams puts «<at>Бот</at>» before the message: it is not part of the question. */
function withoutMentions(text: string): string {
  return text.replace(/<at>[^<]*<\/at>/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The input as the domain step takes it: a typed command is told apart from text here, once. */
export function stepInputOf(input: UserInput): StepInput {
  if (input.kind === 'action') return { kind: 'click', action: input.action };
  if (input.kind === 'invalid') return input;
  const command = parseCommand(input.text);
  return command ? { kind: 'command', command } : input;
}
