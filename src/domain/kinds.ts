import type { OutcomeKind } from './types.js';

/** Outcome kinds as operators read them: on outcome cards, in team-lead views and on procedure maps. */
export const kindLabels: Record<OutcomeKind, string> = {
  callResult: 'Результат звонка',
  transfer: 'Перевод на линию',
  phrase: 'Стандартная фраза',
  caseParams: 'Параметры CASE',
  actions: 'Действия',
  faq: 'Ответ из FAQ',
  notCovered: 'Процедура не описывает',
};
