/**
 * Seed 004 (online-shop client identification): every outcome path, written by hand from the seed.
 */
import { outcomeTable } from '../support/outcomeTable.js';

const ASK_LEAD = 'руководителя группы';
const WHERE = 'Уточните, пожалуйста, где оформили заказ?';
const HAIER = 'Заказ оформлен на сайте haieronline.kz?';
const THUNDEROBOT = 'Заказ оформлен на сайте thunderobot.kz?';

describe('kb 004: client identification', () => {
  outcomeTable('client-identification', [
    {
      answers: 'reason=after-sale',
      outcome: 'reduced_check',
      expect: { kind: 'actions', head: 'Полная идентификация не нужна', phrases: [WHERE, HAIER, THUNDEROBOT], says: ['где именно клиент приобрёл товар', 'Найдите заказ в 1С', 'Сверьте модель'] },
    },
    {
      answers: 'reason=open-order',
      outcome: 'full_identification',
      expect: { kind: 'actions', head: 'Проведите полную идентификацию клиента по схеме', says: ['Не произносите сами ФИО и адрес', 'не содержит', ASK_LEAD] },
    },
    {
      answers: 'reason=awaiting-confirmation',
      outcome: 'full_identification_confirm',
      expect: { kind: 'actions', head: 'видите заказ и его нужно подтвердить', says: ['«Ожидает подтверждения»', 'Подтвердите заказ', 'Не произносите сами ФИО и адрес'] },
    },
    { answers: 'reason=mentions-order', outcome: 'ask_where', expect: { kind: 'phrase', head: 'Обязательно уточните, где именно оформлен заказ', phrases: [WHERE, HAIER, THUNDEROBOT] } },
    { answers: 'reason=other', outcome: 'reason_not_covered', expect: { kind: 'notCovered', head: 'какая идентификация нужна', says: ['проверьте наличие, статус и состояние заказа в 1С'] } },
  ]);

  outcomeTable('identification-special-rules', [
    { answers: 'rule=voice-no-changes', outcome: 'voice_resolve', expect: { kind: 'actions', head: 'Решите вопрос клиента', says: ['голос явно не соответствует'] } },
    {
      answers: 'rule=voice-changes',
      outcome: 'voice_changes',
      expect: { kind: 'actions', head: 'покупатель или получатель должен сам позвонить на горячую линию', line: 'hotline', lineName: 'горячая линия' },
    },
    { answers: 'rule=contact-gone, contact_site=haieronline', outcome: 'contact_gone_haier', expect: { kind: 'actions', head: 'support-kz@haieronline.kz', says: ['из Личного кабинета'] } },
    { answers: 'rule=contact-gone, contact_site=thunderobot', outcome: 'contact_gone_thunderobot', expect: { kind: 'actions', head: 'support-kz@thunderobot.kz' } },
    { answers: 'rule=contact-gone, contact_site=other', outcome: 'site_not_covered', expect: { kind: 'notCovered', head: 'Уточните у клиента сайт заказа', phrases: [HAIER, THUNDEROBOT], says: ['только для двух сайтов'] } },
    { answers: 'rule=phone-typo', outcome: 'phone_typo_not_covered', expect: { kind: 'notCovered', head: 'отсылает к статье, которой в ней нет', says: ['«действуем по статье»', 'не называет статью'] } },
    { answers: 'rule=confidential', outcome: 'confidential', expect: { kind: 'actions', head: 'Не называйте ФИО и адрес из заказа', says: ['конфиденциальная информация'] } },
    { answers: 'rule=other', outcome: 'rule_not_covered', expect: { kind: 'notCovered', head: 'Процедура не описывает этот случай', says: ['голос явно не соответствует', 'действовать по статье'] } },
  ]);
});
