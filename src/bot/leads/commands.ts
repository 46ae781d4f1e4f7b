import { MessageFactory, type TurnContext } from 'botbuilder';
import { UnknownDecisionError, type DecisionFilter, type DecisionLog } from '../../domain/decisions.js';
import { parseDate, zonedDayBounds } from '../../domain/dates.js';
import type { OutcomeKind } from '../../domain/types.js';
import type { CardAction, UserInput } from '../../dialogs/input.js';
import { decisionCard, decisionsCard } from '../../dialogs/leadCards.js';
import { isSharedConversation } from '../../dialogs/dialogOwner.js';
import { leadText } from '../../dialogs/strings.js';
import { isTeamLead } from './auth.js';
import type { TurnHandler } from '../turn/assistantBot.js';
import { personOf } from '../turn/decisionRecorder.js';
import { markReviewed } from './review.js';

/**
 * Team-lead commands in the chat, before anything else sees the message:
 *   «решения [оператор=… процедура=… тип=… с=… по=…]» — recent decisions
 *   «решение <номер>» — one decision in full
 *   «проверка» — the review queue (flagged wrong, not reviewed)
 *   «проверено <номер> <примечание>» — mark reviewed
 * and the buttons of their cards. Only for TEAM_LEADS, and only in a personal chat (a group chat or
 * channel gets a note instead); a message counts as a command only when it has the command's form,
 * so an operator's question that starts with «решение …» still goes to search.
 */

export interface LeadCommandsDeps {
  decisions: DecisionLog;
  /** Teams user ids and/or AAD object ids. */
  teamLeads: readonly string[];
  /** For showing times and reading dates in filters (the contact centre's zone). */
  timeZone: string;
  log: (line: string) => void;
  now?: () => Date;
}

/** How many decisions a list card shows (the rest: narrower filters or the tab). */
export const LIST_SIZE = 10;

type LeadRequest =
  | { type: 'list'; filter: DecisionFilter }
  | { type: 'queue'; filter: DecisionFilter }
  | { type: 'one'; decisionId: string }
  | { type: 'review'; decisionId: string; note: string }
  /** A lead's command of the right word but the wrong form: explain it (non-leads: not a command). */
  | { type: 'usage'; text: string };

const WORDS = { решения: 'list', решение: 'one', проверка: 'queue', проверено: 'review' } as const;
type Word = keyof typeof WORDS;

const DECISION_ID = /^[A-Za-z0-9_-]{6,64}$/;
const PROCEDURE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const KINDS: Record<string, OutcomeKind> = {
  результат: 'callResult',
  callresult: 'callResult',
  перевод: 'transfer',
  transfer: 'transfer',
  фраза: 'phrase',
  phrase: 'phrase',
  кейс: 'caseParams',
  case: 'caseParams',
  caseparams: 'caseParams',
  действия: 'actions',
  actions: 'actions',
  faq: 'faq',
  нет: 'notCovered',
  notcovered: 'notCovered',
};

const FILTER_KEYS = ['оператор', 'процедура', 'тип', 'с', 'по'];

/** Filters «ключ=значение»; a problem text never repeats what was typed (it may carry Markdown). */
function parseFilters(tokens: string[], timeZone: string): { filter: DecisionFilter } | { problem: string } {
  const filter: DecisionFilter = {};
  for (const token of tokens) {
    const eq = token.indexOf('=');
    const key = token.slice(0, eq).toLowerCase().replace(/ё/g, 'е');
    const value = token.slice(eq + 1);
    if (!FILTER_KEYS.includes(key)) return { problem: 'Неизвестный фильтр: можно оператор, процедура, тип, с, по.' };
    if (!value) return { problem: `Не указано значение фильтра «${key}».` };
    switch (key) {
      case 'оператор':
        if (value.length > 200) return { problem: 'Слишком длинный номер оператора.' };
        filter.operatorId = value;
        break;
      case 'процедура':
        if (!PROCEDURE_ID.test(value)) return { problem: 'Процедуру указывают её кодом из латинских букв, цифр и дефисов, например процедура=case-repeat-inquiry.' };
        filter.procedureId = value;
        break;
      case 'тип': {
        const kind = KINDS[value.toLowerCase().replace(/ё/g, 'е')];
        if (!kind) return { problem: 'Такого типа результата нет.' };
        filter.kind = kind;
        break;
      }
      case 'с':
      case 'по': {
        const day = parseDate(value);
        if (!day) return { problem: `Дату в фильтре «${key}» пишут как 2026-11-23 или 23.11.2026.` };
        const bounds = zonedDayBounds(day, timeZone);
        if (key === 'с') filter.from = bounds.start;
        else filter.to = bounds.end;
        break;
      }
      default:
        return { problem: 'Неизвестный фильтр: можно оператор, процедура, тип, с, по.' };
    }
  }
  if (filter.from && filter.to && filter.from > filter.to) return { problem: 'Дата «с» позже даты «по».' };
  return { filter };
}

/** Reads a typed message as a lead command; undefined when it is not one (then it is not ours). */
export function parseLeadCommand(text: string, timeZone: string): { word: Word; request: LeadRequest } | undefined {
  // Mentions («<at>Bot</at>») are already removed by readInput.
  const clean = text.trim();
  const tokens = clean.split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return undefined;
  const word = tokens[0].replace(/^\//, '').replace(/[.!?,:;]+$/, '').toLowerCase().replace(/ё/g, 'е') as Word;
  if (!(word in WORDS)) return undefined;
  const rest = tokens.slice(1);
  switch (WORDS[word]) {
    case 'list':
    case 'queue': {
      if (!rest.every((t) => /^[^=]+=/.test(t))) return undefined;
      const parsed = parseFilters(rest, timeZone);
      if ('problem' in parsed) return { word, request: { type: 'usage', text: leadText.filterUsage(parsed.problem) } };
      return { word, request: { type: WORDS[word] as 'list' | 'queue', filter: parsed.filter } };
    }
    case 'one':
      if (rest.length === 0) return { word, request: { type: 'usage', text: leadText.decisionUsage } };
      if (rest.length !== 1 || !DECISION_ID.test(rest[0])) return undefined;
      return { word, request: { type: 'one', decisionId: rest[0] } };
    case 'review': {
      if (rest.length === 0) return { word, request: { type: 'usage', text: leadText.reviewUsage } };
      if (!DECISION_ID.test(rest[0])) return undefined;
      // The note keeps its line breaks and case: everything after the id, as typed.
      const note = clean.slice(clean.indexOf(rest[0]) + rest[0].length).trim().slice(0, 1000);
      return { word, request: { type: 'review', decisionId: rest[0], note } };
    }
  }
}

const ACTION_WORD: Record<string, Word> = { leadRecent: 'решения', leadQueue: 'проверка', leadDecision: 'решение', leadReviewed: 'проверено' };

function fromAction(action: CardAction): { word: Word; request: LeadRequest } | undefined {
  switch (action.action) {
    case 'leadRecent':
      return { word: ACTION_WORD[action.action], request: { type: 'list', filter: {} } };
    case 'leadQueue':
      return { word: ACTION_WORD[action.action], request: { type: 'queue', filter: {} } };
    case 'leadDecision':
      return { word: ACTION_WORD[action.action], request: { type: 'one', decisionId: action.decisionId } };
    case 'leadReviewed':
      return { word: ACTION_WORD[action.action], request: { type: 'review', decisionId: action.decisionId, note: action.note ?? '' } };
    default:
      return undefined;
  }
}

const listButtons = [
  { title: 'Проверка', data: { action: 'leadQueue' } as CardAction },
  { title: 'Решения', data: { action: 'leadRecent' } as CardAction },
];

export class LeadCommands implements TurnHandler {
  private readonly leads: Set<string>;

  constructor(private readonly deps: LeadCommandsDeps) {
    this.leads = new Set(deps.teamLeads);
  }

  /** See {@link isTeamLead}. */
  isLead(context: TurnContext): boolean {
    return isTeamLead(context.activity, this.leads);
  }

  async handle(context: TurnContext, input: UserInput): Promise<boolean> {
    const parsed = input.kind === 'action' ? fromAction(input.action) : input.kind === 'text' ? parseLeadCommand(input.text, this.deps.timeZone) : undefined;
    if (!parsed) return false;
    if (!this.isLead(context)) {
      // Only a misformed command of a lead gets usage help; for anyone else it was just a message.
      if (parsed.request.type === 'usage' && input.kind === 'text') return false;
      // Who and which command, nothing of what they typed after it.
      this.deps.log(`team-lead command refused: «${parsed.word}» from user ${context.activity.from?.id ?? '?'} (not in TEAM_LEADS)`);
      await context.sendActivity(leadText.refused);
      return true;
    }
    // Decisions name operators and customers' situations: not for everyone in a group chat or channel.
    // Nothing is read or written there, a review neither.
    if (isSharedConversation(context.activity)) {
      await context.sendActivity(leadText.personalOnly);
      return true;
    }
    await this.run(context, parsed.request);
    return true;
  }

  private async run(context: TurnContext, request: LeadRequest): Promise<void> {
    const { decisions, timeZone } = this.deps;
    switch (request.type) {
      case 'usage':
        await context.sendActivity(request.text);
        return;
      case 'list':
      case 'queue': {
        const queue = request.type === 'queue';
        const page = await decisions.query({ ...request.filter, ...(queue ? { awaitingReview: true } : {}) }, { offset: 0, limit: LIST_SIZE });
        const card = decisionsCard(
          {
            title: queue ? leadText.queueTitle : leadText.recentTitle,
            summary: leadText.shown(page.items.length, page.total),
            empty: queue ? leadText.queueEmpty : leadText.noDecisions,
            hint: page.total > page.items.length || !queue ? leadText.filterHint : '',
            items: page.items,
            buttons: listButtons.filter((b) => b.data.action !== (queue ? 'leadQueue' : 'leadRecent')),
          },
          timeZone,
        );
        await context.sendActivity(MessageFactory.attachment(card));
        return;
      }
      case 'one': {
        const view = await decisions.get(request.decisionId);
        if (!view) await context.sendActivity(leadText.unknownDecision(request.decisionId));
        else await context.sendActivity(MessageFactory.attachment(decisionCard(view, timeZone)));
        return;
      }
      case 'review': {
        if (!request.note) {
          await context.sendActivity(leadText.noteMissing);
          return;
        }
        try {
          await markReviewed(decisions, { decisionId: request.decisionId, at: this.deps.now?.() ?? new Date(), by: personOf(context), note: request.note });
        } catch (e) {
          if (!(e instanceof UnknownDecisionError)) throw e;
          await context.sendActivity(leadText.unknownDecision(request.decisionId));
          return;
        }
        const view = await decisions.get(request.decisionId);
        await context.sendActivity(leadText.reviewed(request.decisionId));
        if (view) await context.sendActivity(MessageFactory.attachment(decisionCard(view, timeZone)));
        return;
      }
    }
  }
}
