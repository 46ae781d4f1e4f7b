/**
 * Seed 003 (KEY clients; potential corporate clients): every outcome path, written by hand from
 * the seed. Telesales hours are not in the seed: the check node takes `telesalesOpen` from the
 * bot's configuration, so both values are rows here.
 */
import { outcomeTable, type Expected } from '../support/outcomeTable.js';

const SECOND_LINE: Expected = {
  kind: 'transfer',
  head: 'Переключите клиента на вторую линию обслуживания',
  line: 'second-line',
  lineName: 'вторая линия обслуживания',
  says: ['согласно действующей Инструкции по взаимодействию со вторым уровнем', 'номер клиента и тематику обращения', 'Зарегистрируйте Interaction', '«Новое дерево CRM»'],
};
const TELESALES = (...says: string[]): Expected => ({
  kind: 'transfer',
  head: 'Переключите клиента на отдел телепродаж',
  line: 'telesales',
  lineName: 'отдел телепродаж',
  says: ['в конфигурации бота', 'часы работы не указаны', ...says],
});

describe('kb 003: KEY and potential corporate clients', () => {
  outcomeTable('key-client-topics', [
    { answers: 'topic=termination', outcome: 'to_second_line', expect: SECOND_LINE },
    { answers: 'topic=expert', outcome: 'to_second_line', expect: SECOND_LINE },
    {
      answers: 'topic=listed-topic',
      outcome: 'listed_topic_not_covered',
      expect: { kind: 'notCovered', head: 'кто решает вопросы из перечня 9 тем', says: ['нет заголовка', 'роумингу', 'Мобильный бюджет', 'общий счёт по всему договору', 'вторую линию обслуживания'] },
    },
    { answers: 'topic=other', outcome: 'topic_not_covered', expect: { kind: 'notCovered', head: 'Процедура не описывает эту тему', says: ['расторжения и экспертным тематикам', 'вторую линию обслуживания'] } },
  ]);

  outcomeTable('potential-corporate', [
    { answers: 'topic=connect', facts: { telesalesOpen: 'yes' }, outcome: 'connect_to_telesales', expect: TELESALES('корпоративные тарифы', 'номера 8-800') },
    {
      answers: 'topic=connect, connect_willing=yes',
      facts: { telesalesOpen: 'no' },
      outcome: 'create_case',
      expect: {
        kind: 'caseParams',
        head: 'Создайте CASE',
        mandatory: ['название компании', 'фактический адрес компании', 'контактное лицо', 'контактный телефон (или E-mail)'],
        desirable: ['профиль деятельности', 'количество сотрудников', 'наличие и месторасположение офисов', 'используемые операторы сотовой связи', 'объём затрат и способы оплаты', 'использование специальных услуг'],
        says: ['если их удаётся узнать', 'в конфигурации бота', 'выходные, праздники'],
      },
    },
    {
      answers: 'topic=connect, connect_willing=no',
      facts: { telesalesOpen: 'no' },
      outcome: 'zero_client',
      expect: {
        kind: 'caseParams',
        head: 'создайте CASE на нулевого клиента',
        mandatory: ['имя', 'контактный телефон'],
        says: ['только своё имя и контактный телефон', 'в рабочее время с ним обязательно свяжется сотрудник СРКК'],
      },
    },
    { answers: 'topic=special-services', facts: { telesalesOpen: 'yes' }, outcome: 'services_to_telesales', expect: TELESALES('специальных услуг') },
    {
      answers: 'topic=special-services',
      facts: { telesalesOpen: 'no' },
      outcome: 'services_closed_not_covered',
      expect: { kind: 'notCovered', head: 'только для подключения к Билайн Бизнес', says: ['только для подключения к Билайн Бизнес', 'в конфигурации бота'] },
    },
    { answers: 'topic=other', outcome: 'topic_not_covered', expect: { kind: 'notCovered', head: 'не называет, куда направить клиента', says: ['только по двум темам'] } },
  ]);
});
