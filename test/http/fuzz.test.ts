import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { cardOf, headlineOf } from '../support/cards.js';
import { startApp, turn } from '../support/http.js';

const stateFiles = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

/** Activities as a broken client, a forged click or a curious user might send them. */
const id = fc.oneof(fc.constantFrom('case-repeat-inquiry', 'state', 'open', 'closed-disagree', 'constructor', '__proto__', ''), fc.string({ maxLength: 80 }));
const cardValue = fc.oneof(
  fc.record({ action: fc.constantFrom('answer', 'back', 'restart', 'cancel', 'help', 'start', 'topics', 'feedback', 'nothingFits', 'zzz'), procedureId: id, nodeId: id, optionId: id, cardId: id, decisionId: id, verdict: fc.constantFrom('helpful', 'wrong', 'x'), comment: fc.string() }, { requiredKeys: ['action'] }),
  fc.jsonValue({ maxDepth: 3 }),
);
const activity = fc.record(
  {
    type: fc.oneof(fc.constantFrom('message', 'conversationUpdate', 'invoke', 'typing', 'event', 'messageReaction'), fc.string({ minLength: 1, maxLength: 20 })),
    text: fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('назад', 'Отмена', '/темы', 'помощь', '1', 'клиент матерится', '${$root}', '[x](http://evil)')),
    value: cardValue,
    conversation: fc.record({ id: fc.string({ minLength: 1, maxLength: 40 }).map((s) => `fuzz-${s}`) }),
    from: fc.record({ id: fc.string({ minLength: 1, maxLength: 40 }), name: fc.string({ maxLength: 40 }) }, { requiredKeys: ['id'] }),
    membersAdded: fc.array(fc.record({ id: fc.string({ maxLength: 10 }) }), { maxLength: 2 }),
    name: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: ['type', 'conversation', 'from'] },
);

describe('http: generated activities never crash the bot or touch other conversations', function () {
  this.timeout(120000);

  it('answers 1,000 generated activities with 2xx/4xx, never 500, and leaves a bystander conversation as it was', async () => {
    const app = await startApp();
    try {
      const start = await turn(app.url, 'bystander', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
      expect(headlineOf(cardOf(start[0]))).to.equal('В каком состоянии кейс клиента?');
      const stateDir = join(app.dataDir, 'state');
      const files = readdirSync(stateDir);
      const before = Object.fromEntries(files.map((f) => [f, readFileSync(join(stateDir, f), 'utf8')]));

      await fc.assert(
        fc.asyncProperty(activity, async (a) => {
          const res = await fetch(`${app.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', recipient: { id: 'bot' }, deliveryMode: 'expectReplies', ...a }),
          });
          const body = await res.text();
          expect(res.status, body).to.be.oneOf([200, 201, 202, 400, 404, 413, 415]);
          expect(body).not.to.match(/\n\s+at .+:\d+:\d+/);
        }),
        { numRuns: 1000 },
      );

      const after = stateFiles(stateDir);
      for (const f of files) expect(after[f], f).to.equal(before[f]);
      const help = await turn(app.url, 'bystander', 'помощь');
      expect(help[0].text).to.include('Сейчас вопрос: «В каком состоянии кейс клиента?»');
    } finally {
      await app.close();
    }
  });
});
