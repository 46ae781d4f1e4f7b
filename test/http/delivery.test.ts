import { expect } from 'chai';
import { mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { cardOf, clickAction, clickData, headlineOf, lastCard, type Card } from '../support/cards.js';
import { createApp } from '../../src/bot/app.js';
import { readConfig } from '../../src/bot/config.js';
import { invokeAction, startApp, tempDir, turn } from '../support/http.js';
import { kbDir } from '../support/kb.js';

const TOKEN = 'lead-token-delivery-test-0123456789';
const OUTCOME = 'Переключите клиента на линию Сохранения';
const FAILED = 'Что-то пошло не так, ответ не получен. Повторите действие или напишите «отмена» и задайте вопрос заново.';

type Started = Awaited<ReturnType<typeof startApp>>;

/** The decisions team leads see, as /api/decisions gives them. */
async function listed(app: Started, query = ''): Promise<{ total: number; items: { id: string; undelivered?: boolean }[] }> {
  const res = await fetch(`${app.url}/api/decisions${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).to.equal(200);
  return res.json() as Promise<{ total: number; items: { id: string; undelivered?: boolean }[] }>;
}

/**
 * Makes the next state saves fail, as a full or broken disk would: a directory where lowdb writes
 * the conversation's temporary file before renaming it. Returns the undo.
 */
function blockStateSaves(dataDir: string): () => void {
  const dir = join(dataDir, 'state');
  const docs = readdirSync(dir).filter((f) => /^[0-9a-f]{40}\.json$/.test(f));
  expect(docs, 'one conversation stored').to.have.length(1);
  const blocker = join(dir, `.${docs[0]}.tmp`);
  mkdirSync(blocker);
  return () => rmdirSync(blocker);
}

/** Opens case-repeat-inquiry and answers its first question: the next click reaches an outcome. */
async function toCategory(url: string, conversation: string): Promise<Card> {
  const start = await turn(url, conversation, { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
  return lastCard(await turn(url, conversation, { value: clickData(lastCard(start), 'Closed — клиент не согласен с решением') }));
}

describe('http: a decision whose card the operator did not get is marked undelivered', () => {
  let app: Started;
  beforeEach(async () => (app = await startApp({ LEADS_API_TOKEN: TOKEN })));
  afterEach(() => app.close());

  it('expectReplies: the state save fails and nobody retries — the operator gets only the error, the decision is listed undelivered', async () => {
    const category = await toCategory(app.url, 'c-undelivered');
    const unblock = blockStateSaves(app.dataDir);
    const failed = await turn(app.url, 'c-undelivered', { value: clickData(category, 'BackOffice Сохранения') });
    unblock();
    expect(failed.map((a) => a.text)).to.deep.equal([FAILED]);
    expect(failed.some((a) => a.attachments?.length)).to.equal(false);
    const marked = await listed(app, '?undelivered=true');
    expect(marked.total).to.equal(1);
    expect(marked.items[0].undelivered).to.equal(true);
    expect((await listed(app, '?undelivered=false')).total).to.equal(0);
    const bad = await fetch(`${app.url}/api/decisions?undelivered=yes`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect([bad.status, ((await bad.json()) as { message: string }).message]).to.deep.equal([400, 'undelivered must be true or false']);
    const csv = await (await fetch(`${app.url}/api/decisions.csv`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const [header, row] = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(row.split(';')[header.split(';').indexOf('Не доставлено')]).to.equal('да');
  });

  it('expectReplies: the repeated click delivers the card — one decision, no longer marked', async () => {
    const category = await toCategory(app.url, 'c-retried');
    const unblock = blockStateSaves(app.dataDir);
    await turn(app.url, 'c-retried', { value: clickData(category, 'BackOffice Сохранения') });
    unblock();
    expect((await listed(app, '?undelivered=true')).total).to.equal(1);
    const again = await turn(app.url, 'c-retried', { value: clickData(category, 'BackOffice Сохранения') });
    const outcome = lastCard(again);
    expect(headlineOf(outcome)).to.equal(OUTCOME);
    const all = await listed(app);
    expect(all.total).to.equal(1);
    expect(all.items[0].id).to.equal(clickData(outcome, '👍 Помогло').decisionId);
    expect(all.items[0].undelivered).to.equal(undefined);
    expect((await listed(app, '?undelivered=true')).total).to.equal(0);
  });

  it('Action.Execute: the save fails — the invoke answers with the error instead of the card, and the decision is marked', async () => {
    const category = await toCategory(app.url, 'c-invoke');
    const unblock = blockStateSaves(app.dataDir);
    const answer = await invokeAction(app.url, 'c-invoke', clickAction(category, 'BackOffice Сохранения'));
    unblock();
    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.equal({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: FAILED });
    expect((await listed(app, '?undelivered=true')).total).to.equal(1);
    // The card stayed the question, so the click can be repeated: it shows the outcome and clears the mark.
    const again = await invokeAction(app.url, 'c-invoke', clickAction(category, 'BackOffice Сохранения'));
    expect(headlineOf(again.body.value)).to.equal(OUTCOME);
    expect((await listed(app)).total).to.equal(1);
    expect((await listed(app, '?undelivered=true')).total).to.equal(0);
  });

  it('the decision log cannot take the mark: the operator is still answered, and the server log says so', async () => {
    const lines: string[] = [];
    const dataDir = tempDir();
    const logged = createApp(readConfig({ PORT: '0', HOST: '127.0.0.1', KB_DIR: kbDir, DATA_DIR: dataDir }), { log: (line) => lines.push(line) });
    const url = await logged.listen();
    try {
      logged.decisions.markDelivery = () => Promise.reject(new Error('decision log unavailable'));
      const category = await toCategory(url, 'c-log-down');
      const unblock = blockStateSaves(dataDir);
      const failed = await turn(url, 'c-log-down', { value: clickData(category, 'BackOffice Сохранения') });
      unblock();
      expect(failed.map((a) => a.text)).to.deep.equal([FAILED]);
      expect(lines.filter((l) => /could not be marked undelivered/.test(l))).to.have.length(1);
    } finally {
      await logged.close();
    }
  });

  describe('posting replies to the channel (no expectReplies)', () => {
    let channel: Server;
    let posted: Partial<Activity>[];
    let refuse: boolean;
    let serviceUrl: string;
    beforeEach(async () => {
      posted = [];
      refuse = false;
      channel = createServer((req, res) => {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => {
          if (!refuse) posted.push(JSON.parse(body));
          res.statusCode = refuse ? 403 : 200;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ id: `posted-${posted.length}` }));
        });
      });
      await new Promise<void>((resolve) => channel.listen(0, '127.0.0.1', resolve));
      serviceUrl = `http://127.0.0.1:${(channel.address() as AddressInfo).port}/`;
    });
    afterEach(() => new Promise<void>((resolve) => channel.close(() => resolve())));

    /** One click as Teams sends it when replies are posted back to the channel. */
    async function post(conversation: string, value: unknown): Promise<number> {
      const body = {
        type: 'message',
        id: `m-${Math.random().toString(36).slice(2)}`,
        channelId: 'msteams',
        serviceUrl,
        from: { id: 'user-1', name: 'Оператор Тест' },
        recipient: { id: 'bot', name: 'Помощник' },
        conversation: { id: conversation },
        value,
      };
      const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await res.text();
      return res.status;
    }

    it('the card was posted, then the save failed: the operator has the card, the decision is not marked', async () => {
      const category = await toCategory(app.url, 'c-posted');
      const unblock = blockStateSaves(app.dataDir);
      expect(await post('c-posted', clickData(category, 'BackOffice Сохранения'))).to.equal(200);
      unblock();
      expect(headlineOf(cardOf(posted.find((a) => a.attachments?.length)))).to.equal(OUTCOME);
      expect(posted.map((a) => a.text).filter(Boolean)).to.deep.equal([FAILED]);
      expect((await listed(app)).total).to.equal(1);
      expect((await listed(app, '?undelivered=true')).total).to.equal(0);
    });

    it('the channel refused the card: the decision is marked undelivered', async () => {
      const category = await toCategory(app.url, 'c-refused');
      refuse = true;
      expect(await post('c-refused', clickData(category, 'BackOffice Сохранения'))).to.equal(200);
      expect(posted).to.deep.equal([]);
      expect((await listed(app, '?undelivered=true')).total).to.equal(1);
    });
  });
});
