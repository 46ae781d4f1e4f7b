import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { clickAction, clickData, headlineOf, lastCard, textOf, textsOf, type Card } from '../support/cards.js';
import { invokeAction, startApp, turn, type CardInvokeAnswer } from '../support/http.js';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
/** The card an invoke answer puts in place of the clicked one. */
function cardIn(answer: CardInvokeAnswer): Card {
  expect(answer.status).to.equal(200);
  expect(answer.body.statusCode).to.equal(200);
  expect(answer.body.type, JSON.stringify(answer.body)).to.equal(ADAPTIVE);
  return answer.body.value as Card;
}
const start = { value: { action: 'start', procedureId: 'case-repeat-inquiry' } };

describe('http: Universal Actions (adaptiveCard/action) update the card in place', function () {
  this.timeout(30_000);
  let app: Awaited<ReturnType<typeof startApp>>;
  const log: string[] = [];
  before(async () => (app = await startApp({}, undefined, (line) => log.push(line))));
  after(() => app.close());

  it('walks a procedure in one message: each click answers with the next card, «Назад» works from the outcome', async () => {
    const c = 'ua-walk';
    const first = lastCard(await turn(app.url, c, start));
    const answer = clickAction(first, 'Closed — клиент не согласен с решением');
    expect(answer.verb).to.equal('answer');
    const category = cardIn(await invokeAction(app.url, c, answer));
    expect(headlineOf(category)).to.equal('Какая категория у кейса?');
    const outcome = cardIn(await invokeAction(app.url, c, clickAction(category, 'BackOffice')));
    expect(headlineOf(outcome)).to.equal('Переключите клиента на линию Сохранения');
    expect(textsOf(outcome)[0]).to.equal('Линия: линия Сохранения');
    const back = cardIn(await invokeAction(app.url, c, clickAction(outcome, '◀ Назад')));
    expect(headlineOf(back)).to.equal('Какая категория у кейса?');
  });

  it('a double click advances once; both answers show the current card', async () => {
    const c = 'ua-double';
    const first = lastCard(await turn(app.url, c, start));
    const click = clickAction(first, 'Closed — клиент не согласен с решением');
    const [a, b] = await Promise.all([invokeAction(app.url, c, click), invokeAction(app.url, c, click)]);
    expect(headlineOf(cardIn(a))).to.equal('Какая категория у кейса?');
    expect(headlineOf(cardIn(b))).to.equal('Какая категория у кейса?');
    const outcome = cardIn(await invokeAction(app.url, c, clickAction(cardIn(b), 'BackOffice')));
    expect(headlineOf(outcome)).to.equal('Переключите клиента на линию Сохранения');
  });

  it('shows feedback on the card once given; a second click does not add one, a change replaces it', async () => {
    const c = 'ua-feedback';
    let card = lastCard(await turn(app.url, c, start));
    card = cardIn(await invokeAction(app.url, c, clickAction(card, 'Closed — клиент не согласен с решением')));
    const outcome = cardIn(await invokeAction(app.url, c, clickAction(card, 'BackOffice')));
    const helpful = clickAction(outcome, '👍 Помогло');
    const decisionId = helpful.data.decisionId;
    expect(textOf(outcome)).not.to.include('Ваш отзыв');

    const once = cardIn(await invokeAction(app.url, c, helpful));
    expect(headlineOf(once)).to.equal('Переключите клиента на линию Сохранения');
    expect(textOf(once)).to.include('Ваш отзыв: 👍 помогло');
    const twice = cardIn(await invokeAction(app.url, c, clickAction(once, '👍 Помогло')));
    expect(textOf(twice)).to.include('Ваш отзыв: 👍 помогло');
    expect((await app.decisions.get(decisionId))!.feedback.map((f) => f.verdict)).to.deep.equal(['helpful']);

    const wrong = cardIn(await invokeAction(app.url, c, clickAction(twice, 'Отправить тимлиду')));
    expect(textOf(wrong)).to.include('Ваш отзыв: ответ неверный');
    expect((await app.decisions.get(decisionId))!.feedback.map((f) => f.verdict)).to.deep.equal(['wrong']);
  });

  it('a card of a finished dialog becomes a read-only note; a verb that disagrees with its data is refused politely', async () => {
    const c = 'ua-stale';
    const first = lastCard(await turn(app.url, c, start));
    cardIn(await invokeAction(app.url, c, clickAction(first, '✕ Отмена')));
    const stale = cardIn(await invokeAction(app.url, c, clickAction(first, 'Open')));
    expect(textOf(stale)).to.match(/устарела/);
    expect(JSON.stringify(stale)).not.to.include('Action.');

    const forged = await invokeAction(app.url, c, { verb: 'cancel', data: clickData(first, 'Open') });
    expect(forged.status).to.equal(200);
    expect(forged.body.type).to.equal('application/vnd.microsoft.activity.message');
    expect(forged.body.value).to.match(/Эту кнопку я не узнаю/);
  });

  it('in a group chat, a click on another person\'s card answers with a notice and leaves the card as it is', async () => {
    const conversation = { id: 'ua-group', conversationType: 'groupChat' } as Activity['conversation'];
    const anna = { id: 'u-anna', name: 'Анна' };
    const boris = { id: 'u-boris', name: 'Борис' };
    const card = lastCard(await turn(app.url, conversation.id, { ...start, conversation }, anna));
    const foreign = await invokeAction(app.url, conversation, clickAction(card, 'Open'), boris);
    expect(foreign.body.type).to.equal('application/vnd.microsoft.activity.message');
    expect(foreign.body.value).to.match(/карточка диалога другого оператора/);
    const mine = cardIn(await invokeAction(app.url, conversation, clickAction(card, 'Open'), anna));
    expect(textsOf(mine)).to.include('Диалог: Анна');
    expect(headlineOf(mine)).to.equal('Сроки решения истекли или клиент настаивает на решении вопроса сейчас?');
  });

  it('a question card\'s refresh answers with the live card, and once answered with «Ответ получен …», no buttons', async () => {
    const c = 'ua-refresh';
    const first = lastCard(await turn(app.url, c, start)) as Card & { refresh: { action: { verb: string; data: unknown }; userIds: string[] } };
    expect(first.refresh.userIds).to.deep.equal(['user-1']);
    expect(headlineOf(cardIn(await invokeAction(app.url, c, first.refresh.action)))).to.equal('В каком состоянии кейс клиента?');
    const next = await turn(app.url, c, 'Closed');
    expect(headlineOf(lastCard(next))).to.equal('Какая категория у кейса?');
    const old = cardIn(await invokeAction(app.url, c, first.refresh.action));
    expect(textsOf(old)).to.deep.equal(['Ответ получен: В каком состоянии кейс клиента? — Closed — клиент не согласен с решением']);
    expect(JSON.stringify(old)).not.to.include('Action.');
    // With expectReplies the channel gives no message ids: no older message is updated (nor tried).
    expect(log.filter((line) => line.includes('card'))).to.deep.equal([]);
  });

  it('for the Emulator, every button is an Action.Submit, and its click posts the next card', async () => {
    const c = 'ua-emulator';
    const emulator = { channelId: 'emulator' };
    const first = lastCard(await turn(app.url, c, { ...emulator, ...start }));
    const json = JSON.stringify(first);
    expect(json).not.to.include('Action.Execute');
    expect(json).to.include('Action.Submit');
    const replies = await turn(app.url, c, { ...emulator, value: clickData(first, 'Closed — клиент не согласен с решением') });
    expect(headlineOf(lastCard(replies))).to.equal('Какая категория у кейса?');
    expect(JSON.stringify(lastCard(replies))).not.to.include('Action.Execute');
  });

  it('every Action.Execute carries its Action.Submit fallback; a click on it posts the next card', async () => {
    const c = 'ua-submit';
    const first = lastCard(await turn(app.url, c, start));
    const option = first.body!.find((b) => b.selectAction?.title === 'Closed — клиент не согласен с решением').selectAction;
    expect(option.type).to.equal('Action.Execute');
    expect(option.fallback).to.deep.equal({ type: 'Action.Submit', title: option.title, data: option.data });
    const replies = await turn(app.url, c, { value: option.fallback.data });
    expect(replies.map((r) => r.type)).to.deep.equal(['message']);
    const category = lastCard(replies);
    expect(headlineOf(category)).to.equal('Какая категория у кейса?');
    // The card an invoke answers with carries its fallbacks too (the same message may be opened on an older client).
    const outcome = cardIn(await invokeAction(app.url, c, clickAction(category, 'BackOffice')));
    expect(outcome.actions!.find((a) => a.title === '👍 Помогло').fallback.type).to.equal('Action.Submit');
  });

  it('without Universal Actions (the Emulator): the same button\'s data as a message value posts the next card', async () => {
    const c = 'ua-fallback';
    const first = lastCard(await turn(app.url, c, start));
    const replies = await turn(app.url, c, { value: clickData(first, 'Closed — клиент не согласен с решением') });
    expect(replies.map((r) => r.type)).to.deep.equal(['message']);
    expect(headlineOf(lastCard(replies))).to.equal('Какая категория у кейса?');
  });
});
