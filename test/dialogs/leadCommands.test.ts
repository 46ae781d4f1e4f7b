import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { leadText } from '../../src/dialogs/strings.js';
import { assistant, screenOf } from '../support/assistant.js';
import { decision } from '../support/decisions.js';

const lead = { id: 'u-lead', name: 'Руководитель' };
const operator = { id: 'u-olga', name: 'Ольга Операторова' };
// Lead commands are recognised only where the channel vouches for the sender's id (Teams).

describe('dialogs: team-lead commands only in a personal chat', () => {
  for (const conversationType of ['groupChat', 'channel'] as const)
    it(`${conversationType}: a lead's command gets a note to use the personal chat, shows no decision and writes no review`, async () => {
      const bot = assistant({ teamLeads: [lead.id] });
      const logged = decision(1, { operator });
      await bot.decisions.append(logged);
      await bot.decisions.addFeedback({ decisionId: logged.id, at: '2026-11-24T09:00:00.000Z', by: operator, verdict: 'wrong', comment: 'не та линия' });
      const conversation = { id: `team-${conversationType}`, conversationType } as Activity['conversation'];
      const inGroup = (from: typeof lead, input: Partial<Activity>) => bot.say({ channelId: 'msteams', conversation, from, ...input }).then(screenOf);

      for (const input of [
        { text: 'решения' },
        { text: 'проверка' },
        { text: `решение ${logged.id}` },
        { text: `проверено ${logged.id} Разобрано с оператором` },
        { text: 'решение' },
        // A lead card's buttons, clicked on a card that found its way into the chat.
        { value: { action: 'leadQueue' } },
        { value: { action: 'leadDecision', decisionId: logged.id } },
      ]) {
        const screen = await inGroup(lead, input);
        expect(screen.texts, JSON.stringify(input)).to.deep.equal([leadText.personalOnly]);
        expect(screen.card, JSON.stringify(input)).to.equal(undefined);
        expect(screen.all).not.to.include(operator.name);
      }
      expect(leadText.personalOnly).to.match(/в личном чате/).and.match(/вкладку «Решения»/);
      expect((await bot.decisions.get(logged.id))!.reviews).to.deep.equal([]);

      // An operator in the same chat is refused as anywhere; a question is still a question.
      expect((await inGroup(operator, { text: 'решения' })).texts).to.deep.equal([leadText.refused]);
      expect((await inGroup(lead, { text: 'решение по кейсу не устраивает клиента' })).texts).not.to.include(leadText.personalOnly);

      // The same lead in a personal chat gets the queue with the decision.
      const personal = await bot.say({ channelId: 'msteams', conversation: { id: 'lead-personal', conversationType: 'personal' } as Activity['conversation'], from: lead, text: 'проверка' }).then(screenOf);
      expect(personal.all).to.include(operator.name);
      expect(personal.all).to.include(logged.outcome.headline);
    });
});
