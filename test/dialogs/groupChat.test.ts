import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { assistant, questionText, screenOf } from '../support/assistant.js';
import { clickData } from '../support/cards.js';

const conversation = { id: 'team-chat', conversationType: 'groupChat' } as Activity['conversation'];
const anna = { id: 'u-anna', name: 'Анна' };
const boris = { id: 'u-boris', name: 'Борис' };

describe('dialogs: one dialog per person in a group chat', () => {
  it('keeps each operator\'s walk, names its owner on the card, and ignores a click on another person\'s card', async () => {
    const bot = assistant();
    const as = (from: typeof anna, input: Partial<Activity>) => bot.say({ conversation, from, ...input }).then(screenOf);

    const a1 = await as(anna, { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
    expect(a1.headline).to.equal(questionText('case-repeat-inquiry', 'state'));
    expect(a1.all).to.include('Диалог: Анна');
    const b1 = await as(boris, { text: 'клиент не согласен с решением по заявке' });
    expect(b1.all).to.include('Диалог: Борис');
    expect(b1.all).not.to.include('Предыдущий диалог закрыт');

    const foreign = await as(boris, { value: clickData(a1.card!, 'Open') });
    expect(foreign.card).to.equal(undefined);
    expect(foreign.texts.join(' ')).to.match(/карточка диалога другого оператора/);

    const a2 = await as(anna, { value: clickData(a1.card!, 'Open') });
    expect(a2.texts).to.deep.equal([]);
    expect(a2.headline).to.equal(questionText('case-repeat-inquiry', 'open_urgent'));
    expect(a2.all).to.include('Диалог: Анна');
  });
});
