import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { assistant, questionText } from '../support/assistant.js';
import { buttonsOf, cardOf, choicesOf, clickAction, headlineOf, lastCard, textsOf, type Card } from '../support/cards.js';

/**
 * Older cards turn read-only in Teams: a question card carries a refresh (Teams asks for it again
 * when it is shown), and a card a newer one replaces is updated in place to its summary.
 */

const P = 'case-repeat-inquiry';
const start = { value: { action: 'start', procedureId: P } };
const CLOSED = 'Closed — клиент не согласен с решением';
const ANSWERED_STATE = `Ответ получен: ${questionText(P, 'state')} — ${CLOSED}`;

/** The one message the bot updated, as the person now sees it: its texts, and that it has no buttons. */
function updatedCard(update: Partial<Activity>): { texts: string[]; buttons: number } {
  const card = cardOf(update);
  return { texts: textsOf(card), buttons: JSON.stringify(card).split('"Action.').length - 1 };
}

/** The message in the replies that carries a card. */
const cardMessage = (replies: Partial<Activity>[]) => replies.filter((r) => r.attachments?.length).pop()!;

const refreshOf = (card: Card) => (card as Card & { refresh?: { action: { verb: string; data: unknown }; userIds: string[] } }).refresh;

describe('dialogs: older cards turn read-only', () => {
  it('a question card asks Teams to refresh it for the dialog\'s person; the live card refreshes to itself', async () => {
    const bot = assistant();
    const first = lastCard(await bot.say(start));
    const refresh = refreshOf(first)!;
    expect(refresh.userIds).to.deep.equal(['user-1']);
    expect(refresh.action.verb).to.equal('refresh');
    const { answer, sent } = await bot.invoke(refresh.action);
    expect(sent).to.deep.equal([]);
    expect(headlineOf(answer!.value)).to.equal(questionText(P, 'state'));
    expect(choicesOf(answer!.value).map((c) => c.title)).to.include(CLOSED);
    // A refresh changes nothing: the card's buttons still work.
    expect(headlineOf(lastCard(await bot.say({ value: clickAction(first, CLOSED).data })))).to.equal(questionText(P, 'closed_category'));
  });

  it('an older card refreshes to what it got: the answer, or that the dialog is over, with no buttons', async () => {
    const bot = assistant();
    const first = lastCard(await bot.say(start));
    await bot.say(CLOSED);
    const answered = (await bot.invoke(refreshOf(first)!.action)).answer!.value;
    expect(textsOf(answered)).to.deep.equal([ANSWERED_STATE]);
    expect(buttonsOf(answered)).to.deep.equal([]);

    await bot.say('отмена');
    const closed = (await bot.invoke(refreshOf(first)!.action)).answer!.value;
    expect(textsOf(closed)).to.deep.equal(['Диалог завершён — задайте новый вопрос.']);
    expect(JSON.stringify(closed)).not.to.include('Action.');
  });

  it('a typed answer posts the next card and updates the previous one in place to «Ответ получен …»', async () => {
    const bot = assistant();
    const posted = cardMessage(await bot.say(start));
    expect(bot.updates).to.deep.equal([]);
    const next = await bot.say(CLOSED);
    expect(headlineOf(lastCard(next))).to.equal(questionText(P, 'closed_category'));
    expect(bot.updates.map((u) => u.id)).to.deep.equal([posted.id]);
    expect(updatedCard(bot.updates[0])).to.deep.equal({ texts: [ANSWERED_STATE], buttons: 0 });

    // The outcome reached by typing turns the second question card read-only too.
    const second = cardMessage(next);
    await bot.say('BackOffice');
    expect(bot.updates.map((u) => u.id)).to.deep.equal([posted.id, second.id]);
    expect(updatedCard(bot.updates[1]).texts).to.deep.equal([`Ответ получен: ${questionText(P, 'closed_category')} — BackOffice`]);
  });

  it('a card re-sent for the same question, and «отмена», turn the one before read-only too', async () => {
    const bot = assistant();
    const first = cardMessage(await bot.say(start));
    const again = cardMessage(await bot.say('не знаю'));
    expect(updatedCard(bot.updates[0])).to.deep.equal({ texts: ['Эта карточка устарела — текущий вопрос в новой карточке.'], buttons: 0 });
    expect(bot.updates[0].id).to.equal(first.id);
    await bot.say('отмена');
    expect(bot.updates.map((u) => u.id)).to.deep.equal([first.id, again.id]);
    expect(updatedCard(bot.updates[1]).texts).to.deep.equal(['Диалог завершён — задайте новый вопрос.']);
    // Nothing left to turn read-only.
    await bot.say('отмена');
    expect(bot.updates).to.have.length(2);
  });

  it('a click answered in place replaces its own message; the next typed answer turns that message read-only', async () => {
    const bot = assistant();
    const first = cardMessage(await bot.say(start));
    const { answer } = await bot.invoke(clickAction(cardOf(first), CLOSED), { replyToId: first.id });
    expect(headlineOf(answer!.value)).to.equal(questionText(P, 'closed_category'));
    expect(bot.updates).to.deep.equal([]);
    await bot.say('BackOffice');
    expect(bot.updates.map((u) => u.id)).to.deep.equal([first.id]);
    expect(updatedCard(bot.updates[0]).texts).to.deep.equal([`Ответ получен: ${questionText(P, 'closed_category')} — BackOffice`]);
  });

  it('«Заново» on the outcome card starts the dialog again in that message, which the next typed answer turns read-only', async () => {
    const bot = assistant();
    await bot.say(start);
    const second = cardMessage(await bot.say(CLOSED));
    const outcome = cardMessage(await bot.say('BackOffice'));
    expect(bot.updates.map((u) => u.id).pop()).to.equal(second.id);
    bot.updates.length = 0;
    const { answer } = await bot.invoke(clickAction(cardOf(outcome), '↺ Заново'), { replyToId: outcome.id });
    expect(headlineOf(answer!.value)).to.equal(questionText(P, 'state'));
    expect(bot.updates).to.deep.equal([]);
    await bot.say(CLOSED);
    expect(bot.updates.map((u) => u.id)).to.deep.equal([outcome.id]);
    expect(updatedCard(bot.updates[0]).texts).to.deep.equal([ANSWERED_STATE]);
  });

  it('a failed update never fails the turn: the new card is posted and one line is logged', async () => {
    const bot = assistant({ failUpdates: true });
    await bot.say(start);
    const next = await bot.say(CLOSED);
    expect(headlineOf(lastCard(next))).to.equal(questionText(P, 'closed_category'));
    expect(next.map((r) => r.text).filter(Boolean)).to.deep.equal([]);
    expect(bot.log).to.deep.equal(['the channel refused the update']);
  });

  it('in a group chat, the refresh is for the owner only, and another person\'s refresh shows the card as theirs, without buttons', async () => {
    const bot = assistant();
    const conversation = { id: 'team-chat', conversationType: 'groupChat' } as Activity['conversation'];
    const anna = { id: 'u-anna', name: 'Анна' };
    const boris = { id: 'u-boris', name: 'Борис' };
    const card = lastCard(await bot.say({ conversation, from: anna, ...start }));
    expect(refreshOf(card)!.userIds).to.deep.equal(['u-anna']);
    const foreign = (await bot.invoke(refreshOf(card)!.action, { conversation, from: boris })).answer!;
    expect(foreign.type).to.equal('application/vnd.microsoft.card.adaptive');
    expect(textsOf(foreign.value).join(' ')).to.match(/карточка диалога другого оператора/);
    expect(JSON.stringify(foreign.value)).not.to.include('Action.');
    const mine = (await bot.invoke(refreshOf(card)!.action, { conversation, from: anna })).answer!;
    expect(headlineOf(mine.value)).to.equal(questionText(P, 'state'));
  });
});
