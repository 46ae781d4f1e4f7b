import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { clickData, headlineOf, lastCard, textsOf } from '../support/cards.js';
import { startApp, turn } from '../support/http.js';
import { questionText } from '../support/assistant.js';

const anna = { id: 'u-anna', name: 'Анна' };
const boris = { id: 'u-boris', name: 'Борис' };

/** One turn in a Teams group chat (or a channel): the conversation is shared, the sender says who. */
function inGroup(url: string, conversationType: 'groupChat' | 'channel', user: typeof anna, input: string | { value: unknown }) {
  const conversation = { id: `g-${conversationType}`, conversationType } as Activity['conversation'];
  return turn(url, conversation.id, { ...(typeof input === 'string' ? { text: input } : input), conversation }, user);
}

describe('http: one dialog per person in group chats and channels', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  before(async () => (app = await startApp()));
  after(() => app.close());

  for (const type of ['groupChat', 'channel'] as const)
    it(`${type}: two operators interleave, each keeps their own dialog, and a click on the other's card changes nothing`, async () => {
      const a1 = lastCard(await inGroup(app.url, type, anna, { value: { action: 'start', procedureId: 'case-repeat-inquiry' } }));
      expect(headlineOf(a1)).to.equal(questionText('case-repeat-inquiry', 'state'));
      expect(textsOf(a1)).to.include('Диалог: Анна');

      // Boris starts his own dialog in the same chat: Anna's is not closed by it.
      const b1 = lastCard(await inGroup(app.url, type, boris, { value: { action: 'start', procedureId: 'case-repeat-inquiry' } }));
      expect(textsOf(b1)).to.include('Диалог: Борис');
      const b2 = lastCard(await inGroup(app.url, type, boris, { value: clickData(b1, 'Open') }));
      expect(headlineOf(b2)).to.equal(questionText('case-repeat-inquiry', 'open_urgent'));

      // Anna's card is still hers and current.
      const a2replies = await inGroup(app.url, type, anna, { value: clickData(a1, 'Closed — клиент не согласен с решением') });
      expect(a2replies.map((r) => r.text).filter(Boolean)).to.deep.equal([]);
      const a2 = lastCard(a2replies);
      expect(headlineOf(a2)).to.equal('Какая категория у кейса?');

      // Boris clicks Anna's card: told whose it is, nothing sent as a question or outcome.
      const foreign = await inGroup(app.url, type, boris, { value: clickData(a2, 'BackOffice') });
      expect(foreign).to.have.length(1);
      expect(foreign[0].text).to.match(/карточка диалога другого оператора/);

      // Anna's dialog was not moved by that click, Boris's neither.
      const a3 = lastCard(await inGroup(app.url, type, anna, { value: clickData(a2, 'BackOffice') }));
      expect(headlineOf(a3)).to.equal('Переключите клиента на линию Сохранения');
      expect(textsOf(a3)).to.include('Диалог: Анна');
      const b3 = lastCard(await inGroup(app.url, type, boris, { value: clickData(b2, 'Да') }));
      expect(headlineOf(b3)).to.equal('Скажите клиенту стандартную фразу и внесите в комментарий CASE слово «Повтор»');
      expect(textsOf(b3)).to.include('Диалог: Борис');
    });

  it('typed text by one operator does not close the other operator\'s dialog', async () => {
    const conversation = { id: 'g-typed', conversationType: 'groupChat' } as Activity['conversation'];
    const say = (user: typeof anna, input: string | { value: unknown }) => turn(app.url, conversation.id, { ...(typeof input === 'string' ? { text: input } : input), conversation }, user);
    const a1 = lastCard(await say(anna, { value: { action: 'start', procedureId: 'case-repeat-inquiry' } }));
    const typed = await say(boris, 'клиент не согласен с решением по заявке');
    expect(textsOf(lastCard(typed))).to.include('Диалог: Борис');
    expect(typed.map((r) => r.text ?? '').join(' ')).not.to.match(/Предыдущий диалог закрыт/);
    const a2 = lastCard(await say(anna, { value: clickData(a1, 'Open') }));
    expect(headlineOf(a2)).to.equal(questionText('case-repeat-inquiry', 'open_urgent'));
  });

  it('a personal chat keeps one dialog per conversation, with no owner on its cards', async () => {
    const card = lastCard(await turn(app.url, 'p-personal', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } }));
    expect(textsOf(card).some((t) => t.startsWith('Диалог:'))).to.equal(false);
    expect(JSON.stringify(card)).not.to.include('"owner"');
  });
});
