import { expect } from 'chai';
import { assistant, questionText, screenOf } from '../support/assistant.js';
import { buttonsOf, choicesOf, clickAction, headlineOf, lastCard, textOf, type Card } from '../support/cards.js';
import { realKb } from '../support/kb.js';
import { decisionCard } from '../../src/dialogs/decisionCard.js';
import { t } from '../../src/dialogs/strings.js';
import type { KnowledgeBase } from '../../src/domain/types.js';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const start = { value: { action: 'start', procedureId: 'case-repeat-inquiry' } };
const CLOSED = 'Closed — клиент не согласен с решением';

/** case-repeat-inquiry walked by Universal Action clicks to a transfer: its outcome card. */
async function outcomeBy(bot: ReturnType<typeof assistant>): Promise<Card> {
  const first = lastCard(await bot.say(start));
  const category = (await bot.invoke(clickAction(first, CLOSED))).answer!.value as Card;
  return (await bot.invoke(clickAction(category, 'BackOffice'))).answer!.value as Card;
}

/** The same knowledge base with one procedure at its next version, as after an edit and a reload. */
function withNextVersion(kb: KnowledgeBase, procedureId: string): KnowledgeBase {
  return { ...kb, procedures: kb.procedures.map((p) => (p.id === procedureId ? { ...p, version: p.version + 1 } : p)) };
}

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

  it('feedback on an outcome shows on its card; once the procedure has changed, the card stays as it was answered and a message says why', async () => {
    const bot = assistant();
    const outcome = await outcomeBy(bot);
    const helpful = clickAction(outcome, '👍 Помогло');

    const shown = (await bot.invoke(helpful)).answer!;
    expect(shown.type).to.equal(ADAPTIVE);
    expect(textOf(shown.value)).to.include('Ваш отзыв: 👍 помогло');

    bot.useKb(withNextVersion(realKb(), 'case-repeat-inquiry'));
    const wrong = clickAction(outcome, 'Отправить тимлиду');
    const { answer, sent } = await bot.invoke(wrong);
    expect(sent).to.deep.equal([]);
    expect(answer?.type).to.equal('application/vnd.microsoft.activity.message');
    expect(answer?.value).to.equal(`${t.flaggedWrong}\n\n${t.feedbackCardKept}`);
    expect((await bot.decisions.get(helpful.data.decisionId))!.feedback.map((f) => f.verdict)).to.deep.equal(['wrong']);
  });

  it('an outcome card is drawn again from its logged decision only while the procedure is at the version it was answered with', async () => {
    const bot = assistant();
    const outcome = await outcomeBy(bot);
    const decision = (await bot.decisions.get(clickAction(outcome, '👍 Помогло').data.decisionId))!;
    expect(headlineOf(decisionCard(realKb(), decision, {})!.content as Card)).to.equal(headlineOf(outcome));
    expect(decisionCard(withNextVersion(realKb(), 'case-repeat-inquiry'), decision, {})).to.equal(undefined);
    expect(decisionCard({ ...realKb(), procedures: [] }, decision, {})).to.equal(undefined);
  });

  it('feedback from someone who did not get the answer is refused with a message, and the card stays as it is', async () => {
    const bot = assistant();
    const outcome = await outcomeBy(bot);
    const helpful = clickAction(outcome, '👍 Помогло');
    const { answer } = await bot.invoke(helpful, { from: { id: 'user-2', name: 'Другой оператор' } });
    expect(answer?.type).to.equal('application/vnd.microsoft.activity.message');
    expect(answer?.value).to.equal(t.notYourDecision);
    expect((await bot.decisions.get(helpful.data.decisionId))!.feedback).to.deep.equal([]);
  });
});
