/**
 * The content review's fixes, through the dialog: each walks a procedure as an operator would and
 * checks that the outcome card says what the seed says.
 */
import { expect } from 'chai';
import { buttonsOf, headlineOf, lastCard, textOf, textsOf } from '../support/cards.js';
import { operator } from '../support/operator.js';


/** Starts `procedureId` and taps each answer in turn; returns the last card. */
async function walk(procedureId: string, taps: string[], facts: Record<string, string> = {}) {
  const op = operator(procedureId, facts);
  let replies = await op.start();
  for (const tap of taps) replies = await op.click(lastCard(replies), tap);
  return lastCard(replies);
}

describe('dialogs: procedure content as the seeds say it', () => {
  describe('000 survey comments give the call result too, and the refusal outcomes the comment', () => {
    const cases: [string, string][] = [
      ['Начал отвечать и прервал опрос', 'Клиент прервал анкетирование на вопросе №...., далее отказался отвечать'],
      ['Не ответил на 1 или несколько вопросов', 'Клиент частично ответил на вопросы анкетирования. Не ответил на вопрос №...'],
      ['Отказался сразу после приветствия', 'Клиент отказывается от анкетирования'],
    ];
    for (const [tap, comment] of cases) {
      it(`«${tap}»: the comment to write and the call result «Отказался разговаривать»`, async () => {
        const card = await walk('survey-comment', [tap]);
        const texts = textsOf(card);
        expect(texts).to.include('Результат звонка: «Отказался разговаривать»');
        expect(texts).to.include('Комментарий');
        expect(textOf(card)).to.include(comment);
        expect(buttonsOf(card).map((b) => b.title)).to.include('Заполнить комментарий');
      });
    }

    const refusals: [string, string[]][] = [
      ['survey-duplicate-result', ['Есть, но хотя бы одно из трёх не совпадает']],
      ['survey-duplicate-result', ['Результата в текущем месяце нет']],
      ['survey-refusal', ['Говорит, что уже проходил опрос', 'Есть, но хотя бы одно из трёх не совпадает']],
      ['survey-refusal', ['Говорит, что уже проходил опрос', 'Результата в текущем месяце нет']],
    ];
    for (const [procedureId, taps] of refusals) {
      it(`${procedureId}: ${taps.join(' → ')}: the call result and the comment template, with the seed's own example`, async () => {
        const card = await walk(procedureId, taps);
        const texts = textsOf(card);
        expect(texts).to.include('Результат звонка: «Отказался разговаривать»');
        expect(texts).to.include('«Клиент отказывается от анкетирования» + озвученные комментарии клиента');
        expect(textOf(card)).to.include('17/04 Клиент отказался от анкетирования. Со слов клиента. ".....я уже отвечал на вопросы');
        expect(buttonsOf(card).map((b) => b.title)).to.include('Заполнить комментарий');
      });
    }
  });

  describe('001 «Когда можно прервать диалог»', () => {
    it('a case the seed does not list: says the procedure is silent, not that it forbids', async () => {
      const card = await walk('call-termination', ['Другое']);
      expect(headlineOf(card)).to.equal('Процедура не описывает, можно ли прервать диалог в этом случае');
      expect(textOf(card)).to.include('ничего не запрещает').and.not.include('не разрешает');
    });

    it('reaches the same section’s inaudible-caller rule: the phrases, then the SMS', async () => {
      const phrases = await walk('call-termination', ['Клиента не слышно', 'Клиента только что перестало быть слышно']);
      expect(textsOf(phrases)).to.include('Вас не слышно, пожалуйста, повторите вопрос').and.include('Вас не слышно, пожалуйста, перейдите в зону уверенного приема сигнала');
      const sms = await walk('call-termination', ['Клиента не слышно', 'Фразы сказаны 2–3 раза']);
      expect(headlineOf(sms)).to.equal('Отправьте клиенту стандартное сообщение из Инфоцентра');
      expect(textsOf(sms)).to.include('К сожалению, при звонке в ЦПК вас не было слышно, пожалуйста, перезвоните по номеру 0611');
    });
  });

  describe('003 KEY clients', () => {
    it('termination goes to the second line: comment, Interaction, and «круглосуточно»', async () => {
      const card = await walk('key-client-topics', ['Расторжение договора']);
      const text = textOf(card);
      expect(text).to.include('В комментарии укажите номер клиента и тематику обращения.').and.include('Зарегистрируйте Interaction');
      expect(text).to.include('Процедура выполняется специалистами Отдела оперативного обслуживания круглосуточно.');
    });

    it('a topic of the nine-topic list: says the headings it stands under, and marks only what the seed leaves open', async () => {
      const card = await walk('key-client-topics', ['Тема из перечня 9 тем']);
      const text = textOf(card);
      expect(text).to.include('«Процедура переключения действующий KEY клиентов»').and.include('«Инструкция по взаимодействию со вторым уровнем таблица переключений»');
      expect(text).to.not.include('нет заголовка');
      expect(text).to.include('Линия: вторая линия обслуживания');
      expect(text).to.include('В комментарии укажите номер клиента и тематику обращения.').and.include('круглосуточно');
      expect(text).to.include('Чего процедура не говорит: саму Инструкцию по взаимодействию со вторым уровнем она не приводит');
    });
  });

  describe('003 telesales', () => {
    const CONNECT = 'Подключиться — корп. тарифы, договор, документы, новые номера, 8-800';

    it('without a schedule the bot asks «Телепродажи сейчас работают?» instead of guessing hours', async () => {
      const op = operator('potential-corporate', {});
      let replies = await op.start();
      replies = await op.click(lastCard(replies), CONNECT);
      const question = lastCard(replies);
      expect(headlineOf(question)).to.equal('Телепродажи сейчас работают?');
      expect(textOf(question)).to.include('расписание (часы и праздничные дни) в настройках бота не задано');
      replies = await op.send('Помощь');
      expect(replies[0].text).to.include('Телепродажи сейчас работают?');
      replies = await op.send('нет');
      expect(headlineOf(lastCard(replies))).to.match(/^Клиент готов оставить данные для CASE/);
    });

    it('with a schedule the card says the bot decided it from its settings and offers the other answer', async () => {
      const op = operator('potential-corporate', { telesalesOpen: 'yes' }, { factNotes: { telesalesOpen: 'по расписанию из настроек бота телепродажи работают пн–пт 09:00–18:00 (Europe/Moscow), кроме праздников' } });
      let replies = await op.start();
      replies = await op.click(lastCard(replies), CONNECT);
      const card = lastCard(replies);
      expect(headlineOf(card)).to.equal('Переключите клиента на отдел телепродаж');
      expect(textOf(card)).to.include('определено автоматически: по расписанию из настроек бота').and.include('Это бот решил сам, по расписанию из своих настроек');
      expect(buttonsOf(card).find((b) => b.title === 'На самом деле: Нет — нерабочее время, выходной или праздник')?.data).to.deep.equal({
        action: 'start',
        procedureId: 'potential-corporate',
        answers: [{ nodeId: 'topic', optionId: 'connect' }, { nodeId: 'connect_hours', optionId: 'no' }],
      });
    });

    it('«нулевой клиент»: notes the conflict with 001 «не говорим, что ему обязательно перезвонят» and which rule applies', async () => {
      const card = await walk('potential-corporate', [CONNECT, 'Нет — нерабочее время', 'Не хочет оставлять никакой информации']);
      const text = textOf(card);
      expect(text).to.include('Сообщите, что в рабочее время с ним обязательно свяжется сотрудник СРКК.');
      expect(text).to.include('Расхождение процедур').and.include('«Никогда абоненту не обещаем корректировку баланса и не говорим, что ему обязательно перезвонят»');
      expect(text).to.include('Здесь действует правило 003');
    });
  });

  describe('004 identification', () => {
    const CHECK = 'При входящем звонке скопируйте номер телефона клиента и проверьте наличие, статус и состояние заказа в 1С.';

    for (const reason of ['after-sale', 'open-order', 'awaiting-confirmation', 'mentions-order']) {
      it(`«${reason}» taken from the message (no question shown): the outcome still says to check the order in 1С first`, async () => {
        const op = operator('client-identification', {}, {}, [{ nodeId: 'reason', optionId: reason, from: 'message' }]);
        const card = lastCard(await op.start());
        expect(textsOf(card)).to.include(`1. ${CHECK}`);
      });
    }

    it('names the «Ссылки, не вошедшие в схему» where they apply', async () => {
      expect(textOf(await walk('client-identification', ['Заказ «Ожидает подтверждения»']))).to.include('«Подтверждение заказа CallBack [КоллБэк]»');
      const change = textOf(await walk('client-identification', ['Открыть заказ или ЛК']));
      expect(change).to.include('«Изменение заказа по просьбе клиента», «Отмена заказа по просьбе клиента», «Отмена заказа: отработка возражений»');
      expect(textOf(await walk('client-identification', ['Сервисное обслуживание после покупки']))).to.include('«Описание работы в 1С. Просмотр заказа»');
    });
  });
});
