import type { FoundBy } from './decisions.js';
import type { OutcomeKind } from './types.js';

/**
 * The words the product shows for its own concepts, in one place: the bot's cards, the team-lead
 * commands, the CSV and the Teams tab (served to it by the team-lead API) all read them here.
 */

/** Every outcome kind, in the order lists show them. */
export const OUTCOME_KINDS: readonly OutcomeKind[] = ['callResult', 'transfer', 'phrase', 'caseParams', 'actions', 'faq', 'notCovered'];

export const kindLabels: Readonly<Record<OutcomeKind, string>> = {
  callResult: 'Результат звонка',
  transfer: 'Перевод на линию',
  phrase: 'Стандартная фраза',
  caseParams: 'Параметры CASE',
  actions: 'Действия',
  faq: 'Ответ из FAQ',
  notCovered: 'Процедура не описывает',
};

/** The label of a kind; a kind this version does not know (an older log entry) is shown as it is. */
export const kindLabel = (kind: string): string => (Object.prototype.hasOwnProperty.call(kindLabels, kind) ? kindLabels[kind as OutcomeKind] : kind);

/** Why a question is on the gap report, as the report and its CSV say it. */
export const gapReasonLabels = {
  noMatch: 'Нет в процедурах',
  nothingFits: '«Ничего не подходит»',
  notCovered: 'Процедура не описывает',
  cancelled: 'Диалог прерван',
  wrong: 'Ответ неверный',
  corrected: 'Исправлен ответ из сообщения',
} as const;

/** The verdict filter's words. */
export const verdictLabels = { helpful: 'Помогло', wrong: 'Ответ неверный', none: 'Без отзыва' } as const;

/** How a decision's procedure was chosen (see FOUND_BY in decisions.ts), as the tab and the CSV say it. */
export const foundByLabels: Readonly<Record<FoundBy, string>> = {
  rules: 'Поиск: правила',
  evidenced: 'Поиск: признаки ответа в сообщении',
  secondOpinion: 'Классификатор: выбор из похожих',
  rescued: 'Классификатор: правила не нашли',
  tap: 'Выбрал оператор',
};

/** The label of a way; one this version does not know (a newer log entry) is shown as it is. */
export const foundByLabel = (way: string): string => (Object.prototype.hasOwnProperty.call(foundByLabels, way) ? foundByLabels[way as FoundBy] : way);
