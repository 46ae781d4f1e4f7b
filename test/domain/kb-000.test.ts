/**
 * Seed 000 (survey calls): every outcome path of every procedure, written by hand from the seed.
 */
import { outcomeTable, type Expected } from '../support/outcomeTable.js';

const REFUSED = 'Отказался разговаривать';
const setRefused = (says: string[] = []): Expected => ({
  kind: 'callResult',
  head: 'Установите результат звонка «Отказался разговаривать»',
  callResult: REFUSED,
  says,
});
const REMINDER = 'Клиент просит повторно направить (Е-mail или СМС) с анкетой для прохождения онлайн опроса';
const FILL_BY_ANALOGY: Expected = {
  kind: 'actions',
  head: 'Заполните текущий контакт по аналогии',
  says: ['КСК по телефону', '«Субъекта претензии», анкеты и гос. номера'],
};
const DUPLICATE_MISMATCH: Expected = { ...setRefused(['дублировать результаты нельзя']), head: 'Установите результат звонка «Отказался разговаривать»' };
const NO_EXISTING = setRefused(['уже проходил', 'в текущем месяце']);

describe('kb 000: survey calls', () => {
  outcomeTable('survey-refusal', [
    { answers: 'situation=refuses', outcome: 'refuses', expect: setRefused(['исключить из обзвона', 'после 1-й, 2-й или 3-й попытки', '«Клиент отказывается от анкетирования»', 'Не удаляйте']) },
    { answers: 'situation=partial', outcome: 'partial', expect: setRefused(['«Клиент частично ответил на вопросы анкетирования. Не ответил на вопрос №...»', 'если иное не предусмотрено инструкцией по обзвону']) },
    { answers: 'situation=interrupted', outcome: 'interrupted', expect: setRefused(['«Клиент прервал анкетирование на вопросе №...., далее отказался отвечать»']) },
    { answers: 'situation=comments-only', outcome: 'comments_only', expect: setRefused(['замечания', 'отказывается отвечать на вопросы']) },
    { answers: 'situation=in-service', outcome: 'in_service', expect: setRefused(['в сервисе/ремонте']) },
    { answers: 'situation=language', outcome: 'language', expect: setRefused(['по-русски']) },
    { answers: 'situation=already-surveyed, already_surveyed=match', outcome: 'fill_by_analogy', expect: FILL_BY_ANALOGY },
    { answers: 'situation=already-surveyed, already_surveyed=mismatch', outcome: 'duplicate_mismatch', expect: DUPLICATE_MISMATCH },
    { answers: 'situation=already-surveyed, already_surveyed=none', outcome: 'no_existing_result', expect: NO_EXISTING },
    {
      answers: 'situation=wants-online',
      outcome: 'wants_online',
      expect: {
        kind: 'callResult',
        head: 'старая ссылка неактивна',
        callResult: REFUSED,
        phrases: [REMINDER],
        says: ['«Напоминание»', 'уведомлением на E-mail', '«Повторный on-line опрос»', 'Координатор', 'что предпочтительнее'],
      },
    },
    { answers: 'situation=not-the-one, who_serviced=individual-driver', outcome: 'driver_individual', expect: setRefused(['физическое лицо', 'его водитель']) },
    { answers: 'situation=not-the-one, who_serviced=company-employee', outcome: 'driver_company', expect: setRefused(['юридическое лицо', 'ответственного', 'водитель']) },
    { answers: 'situation=not-the-one, who_serviced=company-general', outcome: 'company_general_number', expect: setRefused(['общий номер организации']) },
    { answers: 'situation=not-the-one, who_serviced=other', outcome: 'who_not_covered', expect: { kind: 'notCovered', head: 'Процедура не описывает этот случай', says: ['только в трёх случаях'] } },
    { answers: 'situation=inconvenient, attempt=third', outcome: 'inconvenient_third', expect: setRefused(['неудобно разговаривать', 'не уточняет, когда ему можно перезвонить']) },
    { answers: 'situation=inconvenient, attempt=first-second', outcome: 'inconvenient_early', expect: { kind: 'notCovered', head: 'только для 3-й попытки', says: ['только после 3-й попытки', 'после 1-й или 2-й попытки'] } },
    { answers: 'situation=other', outcome: 'situation_not_covered', expect: { kind: 'notCovered', head: 'Процедура не называет эту ситуацию', says: ['только в перечисленных в процедуре ситуациях', 'После 3-й попытки'] } },
  ]);

  outcomeTable('survey-duplicate-result', [
    { answers: 'existing=match', outcome: 'fill_by_analogy', expect: FILL_BY_ANALOGY },
    { answers: 'existing=mismatch', outcome: 'duplicate_mismatch', expect: DUPLICATE_MISMATCH },
    { answers: 'existing=none', outcome: 'no_existing_result', expect: NO_EXISTING },
  ]);

  outcomeTable('survey-online-resurvey', [
    {
      answers: 'link=earlier-link',
      outcome: 'resurvey_reminder',
      expect: {
        kind: 'actions',
        head: 'старая ссылка неактивна',
        callResult: REFUSED,
        phrases: [REMINDER],
        says: ['повторно направят E-mail или СМС с новой ссылкой', 'что предпочтительнее', '«Напоминание» с уведомлением на E-mail', 'тема «Повторный on-line опрос»', 'Координатор'],
      },
    },
    { answers: 'link=other', outcome: 'link_not_covered', expect: { kind: 'notCovered', head: 'только повторную отправку ссылки', says: ['по поступившему ему ранее E-mail или СМС'] } },
  ]);

  outcomeTable('survey-comment', [
    { answers: 'what=interrupted', outcome: 'comment_interrupted', expect: { kind: 'actions', head: '«Клиент прервал анкетирование на вопросе №...., далее отказался отвечать»', says: ['комментарии клиента', 'Не удаляйте'] } },
    { answers: 'what=partial', outcome: 'comment_partial', expect: { kind: 'actions', head: '«Клиент частично ответил на вопросы анкетирования. Не ответил на вопрос №...»', says: ['комментарии клиента', 'Не удаляйте'] } },
    { answers: 'what=refused', outcome: 'comment_refused', expect: { kind: 'actions', head: '«Клиент отказывается от анкетирования»', says: ['озвученные комментарии клиента', 'Не удаляйте'] } },
    { answers: 'what=format', outcome: 'comment_format', expect: { kind: 'actions', head: 'не удаляя предыдущие', says: ['После каждой попытки', '15/04 не отвечает', '17/04 Клиент отказался от анкетирования.'] } },
    { answers: 'what=other', outcome: 'comment_not_covered', expect: { kind: 'notCovered', head: 'Готового текста комментария', says: ['только для трёх случаев', 'не удаляя предыдущие комментарии'] } },
  ]);
});
