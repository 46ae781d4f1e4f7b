import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { cardOf, clickData, headlineOf } from '../support/cards.js';
import { startApp, turn } from '../support/http.js';

/** Every file under a directory with its content: "stored data is unchanged" means this is equal. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[p] = readFileSync(p, 'base64');
    }
  };
  walk(dir);
  return out;
}

const post = (url: string, body: string, contentType = 'application/json') =>
  fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });

const activity = (extra: object = {}) =>
  JSON.stringify({ type: 'message', text: 'привет', from: { id: 'u1' }, recipient: { id: 'bot' }, conversation: { id: 'c-bad' }, serviceUrl: 'http://127.0.0.1:9/', channelId: 'msteams', deliveryMode: 'expectReplies', ...extra });

describe('http: bad requests get a 4xx and change nothing', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let stored: Record<string, string>;
  before(async () => {
    app = await startApp();
    // Some real state first, so "unchanged" has something to compare.
    const replies = await turn(app.url, 'c-bad', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
    expect(headlineOf(cardOf(replies[0]))).to.equal('В каком состоянии кейс клиента?');
    stored = snapshot(app.dataDir);
  });
  after(() => app.close());

  const cases: [string, () => Promise<Response>, number, RegExp][] = [
    ['malformed JSON', () => post(app.url, '{"type": "message", '), 400, /./],
    ['a wrong content type', () => post(app.url, activity(), 'text/plain'), 415, /application\/json/],
    ['a body over the size limit', () => post(app.url, activity({ text: 'я'.repeat(300 * 1024) })), 413, /./],
    ['a JSON array', () => post(app.url, '[1,2]'), 400, /JSON object/],
    ['no conversation', () => post(app.url, activity({ conversation: undefined })), 400, /conversation\.id/],
    ['no sender', () => post(app.url, activity({ from: undefined })), 400, /from\.id/],
    ['no channel (state is keyed by it)', () => post(app.url, activity({ channelId: undefined })), 400, /channelId/],
    ['no activity type', () => post(app.url, activity({ type: '' })), 400, /type/],
    ['text that is not a string', () => post(app.url, activity({ text: { $gt: '' } })), 400, /text/],
  ];
  for (const [name, send, status, message] of cases) {
    it(`refuses ${name} with ${status}, no stack trace`, async () => {
      const res = await send();
      const body = await res.text();
      expect(res.status).to.equal(status);
      expect(body).to.match(message);
      expect(body).not.to.match(/\bat .+\.(ts|js):\d+/);
      expect(snapshot(app.dataDir)).to.deep.equal(stored);
    });
  }

  it('ignores an unknown activity type with 200 and keeps the dialog', async () => {
    const res = await post(app.url, activity({ type: 'somethingNew', text: undefined }));
    expect(res.status).to.be.oneOf([200, 202]);
    const replies = await turn(app.url, 'c-bad', 'помощь');
    expect(replies[0].text).to.include('Сейчас вопрос: «В каком состоянии кейс клиента?»');
  });

  it('answers a click naming a procedure that does not exist politely', async () => {
    const replies = await turn(app.url, 'c-unknown', { value: { action: 'start', procedureId: 'no-such-procedure' } });
    expect(replies.map((r) => r.text).join(' ')).to.match(/Этой процедуры больше нет/);
  });

  it('keeps serving after all of that', async () => {
    const replies = await turn(app.url, 'c-bad', { value: clickData(cardOf((await turn(app.url, 'c-bad', 'назад'))[1]), 'Open') });
    expect(headlineOf(cardOf(replies[replies.length - 1]))).to.match(/^Сроки решения истекли/);
  });
});
