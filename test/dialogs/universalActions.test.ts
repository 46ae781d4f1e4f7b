import { expect } from 'chai';
import { assistant, questionText, screenOf } from '../support/assistant.js';
import { buttonsOf, choicesOf, clickAction, headlineOf, lastCard, type Card } from '../support/cards.js';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const start = { value: { action: 'start', procedureId: 'case-repeat-inquiry' } };
const CLOSED = 'Closed — клиент не согласен с решением';

/** Every Action.Execute and Action.Submit of a card, selectActions included, as written. */
function actionTypes(card: Card): string[] {
  const out: string[] = [];
  const visit = (node: any): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    if (node.type === 'Action.Execute' || node.type === 'Action.Submit') out.push(node.type);
    for (const [k, v] of Object.entries(node)) if (k !== 'data' && k !== 'fallback' && k !== 'refresh') visit(v);
  };
  visit(card);
  return out;
}

describe('dialogs: Universal Actions and the Action.Submit fallback', () => {
  it('an Action.Execute click is answered by the invoke with the next card, and nothing is posted', async () => {
    const bot = assistant();
    const first = lastCard(await bot.say(start));
    const { answer, sent } = await bot.invoke(clickAction(first, CLOSED));
    expect(sent).to.deep.equal([]);
    expect(answer?.statusCode).to.equal(200);
    expect(answer?.type).to.equal(ADAPTIVE);
    expect(headlineOf(answer!.value)).to.equal(questionText('case-repeat-inquiry', 'closed_category'));
  });

  it('a click on the fallback Action.Submit (a client without Universal Actions) posts the next card as a new message', async () => {
    const bot = assistant();
    const first = lastCard(await bot.say(start));
    const option = choicesOf(first).find((c) => c.title === CLOSED)!;
    // The fallback is the button as an older host shows it: same title, same data.
    const button = buttonsOf(first).find((b) => b.title === '✕ Отмена')!;
    const raw = first.actions!.find((a) => a.title === '✕ Отмена');
    expect(raw.fallback).to.deep.equal({ type: 'Action.Submit', title: '✕ Отмена', data: button.data });
    const next = screenOf(await bot.say({ value: option.data }));
    expect(next.headline).to.equal(questionText('case-repeat-inquiry', 'closed_category'));
  });

  it('the Emulator gets Action.Submit buttons only, and their clicks walk the procedure with new cards', async () => {
    const bot = assistant();
    const emulator = { channelId: 'emulator' };
    const first = screenOf(await bot.say({ ...emulator, ...start }));
    expect(actionTypes(first.card!)).to.have.length.greaterThan(3);
    expect([...new Set(actionTypes(first.card!))]).to.deep.equal(['Action.Submit']);
    expect(JSON.stringify(first.card)).not.to.include('"refresh"');
    const next = screenOf(await bot.say({ ...emulator, value: clickAction(first.card!, CLOSED).data }));
    expect(next.headline).to.equal(questionText('case-repeat-inquiry', 'closed_category'));
    expect([...new Set(actionTypes(next.card!))]).to.deep.equal(['Action.Submit']);
  });
});
