/**
 * Seed 001 (CASE, never promise, ending a call, inaudible caller, home internet): every outcome
 * path of every procedure, written by hand from the seed.
 */
import { outcomeTable, type Expected } from '../support/outcomeTable.js';

const ASK_LEAD = 'руководителя группы';
const notCovered = (head: string, ...says: string[]): Expected => ({ kind: 'notCovered', head, says });

const RETENTION: Expected = { kind: 'transfer', head: 'Переключите клиента на линию Сохранения', line: 'retention', lineName: 'линия Сохранения' };
const EQUIPMENT: Expected = {
  kind: 'transfer',
  head: 'Переключите клиента на линию Экспертов оборудования',
  line: 'equipment-experts',
  lineName: 'линия Экспертов оборудования',
  says: ['Процедура обработки повторных обращений по тематикам оборудования'],
};
// The two variants of the standard phrase differ by one comma; each must stay as the seed words it.
const SF_DISPATCH = 'Я внес(ла) комментарий в Вашу заявку, чтобы ускорить ее рассмотрение. Ожидайте, пожалуйста, уведомления в течение суток';
const SF_OPEN = 'Я внес(ла) комментарий в Вашу заявку, чтобы ускорить ее рассмотрение. Ожидайте, пожалуйста уведомления в течение суток';
const URGENCY_NOT_COVERED = notCovered('Процедура не описывает этот случай', 'сроки решения истекли или клиент настаивает');

describe('kb 001: CASE, promises, ending a call, inaudible caller, home internet', () => {
  outcomeTable('case-send', [
    { answers: 'step=send', outcome: 'press_send', expect: { kind: 'actions', head: 'Нажмите кнопку «Направить»', says: ['окно CASE закроется автоматически', '«Сохранить»', 'в очередь на отработку не попадёт'] } },
    { answers: 'step=saved', outcome: 'saved_not_covered', expect: notCovered('как исправить сохранённый CASE', 'сохранён в вашей папке', 'в очередь на отработку не попал') },
  ]);

  outcomeTable('case-states', [
    { answers: 'state=open', outcome: 'state_open', expect: { kind: 'actions', head: 'OPEN — кейс только что создан или принят из очереди', says: ['в папке создателя'] } },
    { answers: 'state=open-dispatch', outcome: 'state_dispatch', expect: { kind: 'actions', head: 'передан в очередь на обработку и пока не обрабатывается', says: ['в очереди и в папке создателя'] } },
    {
      answers: 'state=reject-return',
      outcome: 'state_reject_return',
      expect: {
        kind: 'actions',
        head: 'прочитайте в комментариях CASE причину возврата',
        says: ['срочно', 'закройте старый кейс и создайте новый в нужную категорию', 'либо закройте старый (ошибочно созданный) кейс', 'в папке создателя'],
      },
    },
    { answers: 'state=open-forwarded', outcome: 'state_forwarded', expect: { kind: 'actions', head: 'переадресован в другую очередь', says: ['в новой очереди и в папке создателя'] } },
    { answers: 'state=closed', outcome: 'state_closed', expect: { kind: 'actions', head: 'CLOSED — кейс закрыт', says: ['не отображается', 'Поиск – Найти задание по ID'] } },
    { answers: 'state=other', outcome: 'state_not_covered', expect: notCovered('только пять состояний CASE', 'OPEN, OPEN-DISPATCH, OPEN / OPEN-REJECT RETURN, OPEN-FORWARDED и CLOSED') },
  ]);

  outcomeTable('case-repeat-inquiry', [
    { answers: 'state=closed-disagree, closed_category=backoffice', outcome: 'to_retention', expect: RETENTION },
    { answers: 'state=closed-disagree, closed_category=backoffice-retention', outcome: 'to_retention', expect: RETENTION },
    { answers: 'state=closed-disagree, closed_category=support-experts', outcome: 'to_retention', expect: RETENTION },
    { answers: 'state=closed-disagree, closed_category=lk-b2b', outcome: 'to_retention', expect: RETENTION },
    { answers: 'state=closed-disagree, closed_category=equipment-experts', outcome: 'to_equipment_experts', expect: EQUIPMENT },
    { answers: 'state=closed-disagree, closed_category=lk-b2c', outcome: 'to_equipment_experts', expect: EQUIPMENT },
    { answers: 'state=closed-disagree, closed_category=other', outcome: 'category_not_covered', expect: notCovered('Для этой категории кейса процедура не называет линию', 'линия Сохранения', 'линия Экспертов оборудования') },
    {
      answers: 'state=open-dispatch, dispatch_urgent=yes',
      outcome: 'dispatch_repeat',
      expect: { kind: 'phrase', head: 'Скажите клиенту стандартную фразу', phrases: [SF_DISPATCH], says: ['Примите кейс в работу', '"ПОВТОР"', 'Отправьте кейс в очередь'] },
    },
    { answers: 'state=open-dispatch, dispatch_urgent=no', outcome: 'urgency_not_covered', expect: URGENCY_NOT_COVERED },
    {
      answers: 'state=open, open_urgent=yes',
      outcome: 'open_repeat',
      expect: { kind: 'phrase', head: 'Скажите клиенту стандартную фразу', phrases: [SF_OPEN], says: ['"Повтор"', 'Кейс из очереди не принимайте'] },
    },
    { answers: 'state=open, open_urgent=no', outcome: 'urgency_not_covered', expect: URGENCY_NOT_COVERED },
    { answers: 'state=other', outcome: 'state_not_covered', expect: notCovered('Процедура не описывает этот случай', 'только три случая') },
  ]);

  outcomeTable('case-find', [
    { answers: 'what=my-cases', outcome: 'personal_folder', expect: { kind: 'actions', head: '«Консоль»', says: ['левом верхнем углу', 'два раза на закладку «DEFAULT»', 'периодически просматривать'] } },
    { answers: 'what=by-id', outcome: 'find_by_id', expect: { kind: 'actions', head: 'Поиск – Найти задание по ID', says: ['в поле ID укажите номер задания', '«Открыть»', '«Истории»'] } },
  ]);

  outcomeTable('task-rejected', [
    {
      answers: 'what=returned',
      outcome: 'fix_rejected',
      expect: { kind: 'actions', head: 'Свяжитесь с клиентом и извинитесь', says: ['причину отклонения', 'варианты получения клиентом SIM-карты', 'Создайте новое задание'] },
    },
    { answers: 'what=other-way', outcome: 'comment_interaction', expect: { kind: 'actions', head: 'в поле «комментарии» в Interaction клиента', says: ['салонов МЦ'] } },
  ]);

  outcomeTable('never-promise', [
    { answers: 'topic=balance', outcome: 'no_balance_promise', expect: { kind: 'actions', head: 'Не обещайте абоненту корректировку баланса' } },
    { answers: 'topic=callback', outcome: 'no_callback_promise', expect: { kind: 'actions', head: 'Не говорите абоненту, что ему обязательно перезвонят' } },
    { answers: 'topic=discount, discount_history=yes', outcome: 'no_repeat_discount', expect: { kind: 'actions', head: 'повторно она предоставлена не будет', says: ['за последние 3–4 месяца'] } },
    { answers: 'topic=discount, discount_history=no', outcome: 'discount_not_covered', expect: notCovered('если скидок не было', 'за последние 3–4 месяца были', 'не обещайте абоненту корректировку баланса') },
    { answers: 'topic=case-number', outcome: 'case_number', expect: { kind: 'actions', head: 'называя его «заявкой»', says: ['По требованию клиента', '«заявка»'] } },
    { answers: 'topic=other', outcome: 'topic_not_covered', expect: notCovered('Процедура не описывает этот случай', 'корректировку баланса', 'обязательно перезвонят') },
  ]);

  const END = 'Прервите диалог';
  outcomeTable('call-termination', [
    { answers: 'situation=insults, insults_count=none', outcome: 'insults_warn', expect: { kind: 'actions', head: 'Предупредите клиента (1 раз)', says: ['единственное предупреждение', 'повторит оскорбления или угрозы — прервите диалог'] } },
    { answers: 'situation=insults, insults_count=once', outcome: 'insults_end', expect: { kind: 'actions', head: END, says: ['предупредили 1 раз'] } },
    { answers: 'situation=obscenity, obscenity_count=none', outcome: 'obscenity_warn_first', expect: { kind: 'actions', head: 'Предупредите клиента (1-е предупреждение из 2)', says: ['на 3-й раз'] } },
    { answers: 'situation=obscenity, obscenity_count=once', outcome: 'obscenity_warn_second', expect: { kind: 'actions', head: 'Предупредите клиента (2-е, последнее предупреждение)', says: ['(3-й раз) — прервите диалог'] } },
    { answers: 'situation=obscenity, obscenity_count=twice', outcome: 'obscenity_end', expect: { kind: 'actions', head: END, says: ['предупредили 2 раза', 'в 3-й раз'] } },
    { answers: 'situation=unconstructive, unconstructive_count=none', outcome: 'unconstructive_answer_first', expect: { kind: 'actions', head: 'Озвучьте клиенту ответ на его вопрос (1-й раз из 2)', says: ['в 3-й раз — прервите диалог'] } },
    { answers: 'situation=unconstructive, unconstructive_count=once', outcome: 'unconstructive_answer_second', expect: { kind: 'actions', head: 'Озвучьте клиенту ответ на его вопрос (2-й, последний раз)', says: ['в 3-й раз — прервите диалог'] } },
    { answers: 'situation=unconstructive, unconstructive_count=twice', outcome: 'unconstructive_end', expect: { kind: 'actions', head: END, says: ['озвучен клиенту 2 раза'] } },
    { answers: 'situation=off-topic, offtopic_count=none', outcome: 'offtopic_warn', expect: { kind: 'actions', head: 'Предупредите клиента (1 раз)', says: ['во 2-й раз', 'прервите диалог'] } },
    { answers: 'situation=off-topic, offtopic_count=once', outcome: 'offtopic_end', expect: { kind: 'actions', head: END, says: ['предупредили 1 раз', 'не по сотовой связи'] } },
    { answers: 'situation=other', outcome: 'situation_not_covered', expect: notCovered('не разрешает прерывать диалог', 'только в четырёх случаях') },
  ]);

  outcomeTable('inaudible-caller', [
    {
      answers: 'step=just-now',
      outcome: 'say_phrases',
      expect: {
        kind: 'phrase',
        head: '2–3 раза в течение 10–15 секунд',
        phrases: ['Вас не слышно, пожалуйста, повторите вопрос', 'Вас не слышно, пожалуйста, перейдите в зону уверенного приема сигнала'],
        says: ['SMS из Инфоцентра'],
      },
    },
    {
      answers: 'step=phrases-said',
      outcome: 'send_sms',
      expect: {
        kind: 'actions',
        head: 'Отправьте клиенту стандартное SMS из Инфоцентра',
        phrases: ['К сожалению, при звонке в ЦПК вас не было слышно, пожалуйста, перезвоните по номеру 0611'],
        says: ['«Программы по отправке sms абонентам»', 'Текст SMS'],
      },
    },
  ]);

  const SHPD_RULE = 'только в крайних случаях при острых конфликтных ситуациях, когда клиент категорически отказывается перезванивать';
  outcomeTable('home-internet-transfer', [
    {
      answers: 'caller=existing, existing_conflict=no',
      outcome: 'offer_existing_number',
      expect: { kind: 'actions', head: 'Предложите клиенту позвонить по номеру 88007008000', line: 'home-internet-existing', lineName: 'номер для действующих абонентов домашнего интернета', says: [SHPD_RULE] },
    },
    { answers: 'caller=existing, existing_conflict=yes', outcome: 'to_shpd_extreme', expect: { kind: 'transfer', head: 'Переключите клиента на линию ШПД', line: 'shpd', lineName: 'линия ШПД', says: [SHPD_RULE] } },
    { answers: 'caller=potential-person', outcome: 'to_shpd_individual', expect: { kind: 'transfer', head: 'Переключите клиента на линию ШПД', line: 'shpd', lineName: 'линия ШПД', says: ['Потенциальный абонент — физическое лицо', 'не уточняет', ASK_LEAD] } },
    {
      answers: 'caller=partner-government',
      outcome: 'offer_business',
      expect: { kind: 'actions', head: 'Билайн-Бизнес по номеру 8-800-700-7007 (в будние дни с 8:00 до 20:00)', line: 'beeline-business', lineName: 'Билайн-Бизнес', says: ['партнёр Компании или представитель государственных служб'] },
    },
    {
      answers: 'caller=potential-org',
      outcome: 'collect_org_data',
      expect: {
        kind: 'caseParams',
        head: 'Уточните город, контактное лицо, контактный телефон и название организации',
        mandatory: ['город', 'контактное лицо', 'контактный телефон', 'название организации'],
        says: ['в течение 2 (двух) рабочих дней', '8-800-700-7007', 'в соответствующие поля'],
      },
    },
    { answers: 'caller=other', outcome: 'caller_not_covered', expect: notCovered('не описывает этого звонящего', '88007008000', 'линия ШПД', '8-800-700-7007', SHPD_RULE) },
  ]);
});
