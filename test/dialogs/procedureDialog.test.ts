import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { ProcedureDialog } from '../../src/dialogs/procedureDialog.js';
import { cardOf, choicesOf, clickData, headlineOf, textOf } from '../support/cards.js';
import { realKb } from '../support/kb.js';
import { operator } from '../support/operator.js';

const lastCard = (replies: Partial<Activity>[]) => cardOf(replies[replies.length - 1]);

describe('dialogs: procedure dialog (case-repeat-inquiry)', () => {
  it('asks the first question as a card with one tappable choice per option', async () => {
    const op = operator('case-repeat-inquiry');
    const [reply] = await op.send('начать');
    const card = cardOf(reply);
    expect(headlineOf(card)).to.equal('В каком состоянии кейс клиента?');
    expect(choicesOf(card).map((c) => c.title)).to.deep.equal([
      'Closed — клиент не согласен с решением',
      'Open-Dispatch',
      'Open',
      'Другое состояние или вопрос',
    ]);
  });

  it('walks by clicks to the retention line, with citation and path on the outcome card', async () => {
    const op = operator('case-repeat-inquiry');
    let replies = await op.send('начать');
    replies = await op.click(lastCard(replies), 'Closed — клиент не согласен с решением');
    expect(headlineOf(lastCard(replies))).to.equal('Какая категория у кейса?');
    replies = await op.click(lastCard(replies), 'BackOffice Сохранения');
    const outcome = lastCard(replies);
    expect(headlineOf(outcome)).to.equal('Переключите клиента на линию Сохранения');
    const text = textOf(outcome);
    expect(text).to.include('Линия: линия Сохранения');
    expect(text).to.include('Источник: 001_30f17cc54f05e2fd.txt');
    expect(text).to.include('переключаем на линию Сохранения');
    expect(text).to.include('Путь: Closed — клиент не согласен с решением → BackOffice Сохранения');
    expect(op.client.dialogTurnResult.status).to.equal(DialogTurnStatus.complete);
    expect(op.reached.map((r) => r.nodeId)).to.deep.equal(['to_retention']);
  });

  it('walks by typed text in any case and with a typo', async () => {
    const op = operator('case-repeat-inquiry');
    await op.send('начать');
    let replies = await op.send('OPEN-DISPATCH');
    expect(headlineOf(lastCard(replies))).to.match(/^Сроки решения истекли/);
    replies = await op.send('да');
    const outcome = lastCard(replies);
    expect(textOf(outcome)).to.include('Я внес(ла) комментарий в Вашу заявку, чтобы ускорить ее рассмотрение. Ожидайте, пожалуйста, уведомления в течение суток');
    expect(textOf(outcome)).to.include('Отметьте в теме кейса слово "ПОВТОР".');
  });

  it('accepts an option by its number on the card and tolerates one wrong letter', async () => {
    const op = operator('case-repeat-inquiry');
    await op.send('начать');
    let replies = await op.send('1');
    expect(headlineOf(lastCard(replies))).to.equal('Какая категория у кейса?');
    replies = await op.send('бэкофис сохранеия');
    expect(headlineOf(lastCard(replies))).to.equal('Переключите клиента на линию Сохранения');
  });

  it('re-asks in Russian, with the same card, when the typed answer fits no option', async () => {
    const op = operator('case-repeat-inquiry');
    await op.send('начать');
    const replies = await op.send('не знаю');
    expect(replies[0].text).to.match(/^Не понял ответ/);
    expect(headlineOf(lastCard(replies))).to.equal('В каком состоянии кейс клиента?');
    expect(textOf(lastCard(replies))).not.to.match(/\b(Yes|No|or)\b/);
  });

  it('goes back one question with «Назад» and starts over with «Заново»', async () => {
    const op = operator('case-repeat-inquiry');
    let replies = await op.send('начать');
    replies = await op.click(lastCard(replies), 'Open');
    expect(headlineOf(lastCard(replies))).to.match(/^Сроки решения истекли/);
    replies = await op.click(lastCard(replies), '◀ Назад');
    expect(headlineOf(lastCard(replies))).to.equal('В каком состоянии кейс клиента?');
    replies = await op.click(lastCard(replies), 'Closed — клиент не согласен с решением');
    replies = await op.send('заново');
    expect(headlineOf(lastCard(replies))).to.equal('В каком состоянии кейс клиента?');
    expect(textOf(lastCard(replies))).not.to.include('Путь');
  });

  it('says there is nothing before the first question', async () => {
    const op = operator('case-repeat-inquiry');
    await op.send('начать');
    const replies = await op.send('/назад');
    expect(replies[0].text).to.equal('Это первый вопрос — назад идти некуда.');
    expect(headlineOf(lastCard(replies))).to.equal('В каком состоянии кейс клиента?');
  });

  it('cancels with «Отмена» and ends the dialog', async () => {
    const op = operator('case-repeat-inquiry');
    const replies0 = await op.send('начать');
    const replies = await op.click(lastCard(replies0), '✕ Отмена');
    expect(replies[0].text).to.match(/^Диалог отменён/);
    expect(op.client.dialogTurnResult.status).to.equal(DialogTurnStatus.complete);
    expect(op.client.dialogTurnResult.result).to.deep.equal({ cancelled: true });
    expect(op.reached).to.have.length(0);
  });

  it('explains the current question on help and keeps waiting', async () => {
    const op = operator('case-repeat-inquiry');
    await op.send('начать');
    const replies = await op.send('Помощь');
    expect(replies[0].text).to.include('Сейчас вопрос: «В каком состоянии кейс клиента?»');
    expect(op.client.dialogTurnResult.status).to.equal(DialogTurnStatus.waiting);
  });

  it('refuses a click on an older card and shows the current question instead', async () => {
    const op = operator('case-repeat-inquiry');
    const first = lastCard(await op.send('начать'));
    await op.click(first, 'Closed — клиент не согласен с решением');
    // A second click on the first card (double click, or scrolled up): must not answer the category question.
    const replies = await op.click(first, 'Open');
    expect(replies[0].text).to.match(/^Эта карточка устарела/);
    expect(headlineOf(lastCard(replies))).to.equal('Какая категория у кейса?');
    const after = await op.click(lastCard(replies), 'Эксперты оборудования');
    expect(headlineOf(lastCard(after))).to.equal('Переключите клиента на линию Экспертов оборудования');
  });

  it('refuses a click whose value it did not put on a card', async () => {
    const op = operator('case-repeat-inquiry');
    await op.send('начать');
    const replies = await op.send({ type: 'message', value: { action: 'answer', procedureId: 'case-repeat-inquiry', nodeId: 'state', optionId: '<script>' } });
    expect(replies[0].text).to.match(/^Эту кнопку я не узнаю/);
    expect(headlineOf(lastCard(replies))).to.equal('В каком состоянии кейс клиента?');
  });

  it('starts with answers already known and asks only what remains', async () => {
    const dialog = new ProcedureDialog({ kb: realKb(), facts: () => ({}) });
    const client = new DialogTestClient('msteams', dialog, { procedureId: 'case-repeat-inquiry', answers: [{ nodeId: 'state', optionId: 'closed-disagree' }] });
    const reply = await client.sendActivity('начать');
    expect(headlineOf(cardOf(reply))).to.equal('Какая категория у кейса?');
  });
});
