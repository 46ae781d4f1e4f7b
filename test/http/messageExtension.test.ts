import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { expect } from 'chai';
import { buttonsOf, cardOf, headlineOf, textOf, type Card } from '../support/cards.js';
import { startApp, turn } from '../support/http.js';

/**
 * The compose-box search (message extension) over the real server: `composeExtension/query` invokes
 * as Teams sends them; the answer is the HTTP response body (no expectReplies for invokes).
 */

interface ExtensionResponse {
  composeExtension: {
    type: 'result' | 'message';
    attachmentLayout?: string;
    text?: string;
    attachments?: { contentType: string; content: Card & { msteams?: unknown }; preview: { contentType: string; content: { title: string; text: string } } }[];
  };
}

let seq = 0;

/** One `composeExtension/query` invoke, shaped as Teams sends it from the compose box of a chat. */
function invokeBody(value: unknown) {
  return {
    type: 'invoke',
    name: 'composeExtension/query',
    id: `f:${++seq}`,
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/',
    timestamp: new Date().toISOString(),
    locale: 'ru-RU',
    from: { id: '29:operator-search', name: 'Оператор Поиск', aadObjectId: '11111111-1111-4111-8111-111111111111' },
    recipient: { id: '28:bot', name: 'Помощник оператора' },
    conversation: { id: '19:group-chat-search@thread.v2', conversationType: 'groupChat', tenantId: '22222222-2222-4222-8222-222222222222' },
    channelData: { tenant: { id: '22222222-2222-4222-8222-222222222222' }, source: { name: 'compose' } },
    value,
  };
}

async function invoke(url: string, value: unknown): Promise<{ status: number; body: ExtensionResponse }> {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(invokeBody(value)) });
  return { status: res.status, body: (await res.json()) as ExtensionResponse };
}

const search = (query: string, queryOptions = { skip: 0, count: 25 }) => ({ commandId: 'search', parameters: [{ name: 'query', value: query }], queryOptions });

describe('http: the compose-box search (composeExtension/query)', function () {
  this.timeout(30_000);
  let app: Awaited<ReturnType<typeof startApp>>;
  /** Stands in for the Teams connector the bot posts its messages to (the activity's serviceUrl). */
  const connector = { url: '', refuse: false, posted: [] as { path: string; activity: Partial<Activity> }[], server: undefined as Server | undefined };
  before(async () => {
    app = await startApp();
    connector.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c) => (body += c));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (connector.refuse) {
          res.statusCode = 403;
          return void res.end(JSON.stringify({ error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } }));
        }
        connector.posted.push({ path: req.url ?? '', activity: JSON.parse(body) });
        res.end(JSON.stringify({ id: `posted-${connector.posted.length}` }));
      });
    });
    await new Promise<void>((resolve) => connector.server!.listen(0, '127.0.0.1', resolve));
    connector.url = `http://127.0.0.1:${(connector.server.address() as AddressInfo).port}/`;
  });
  after(async () => {
    await app?.close();
    await new Promise<void>((resolve) => (connector.server ? connector.server.close(() => resolve()) : resolve()));
  });

  it('answers a described situation with the procedure’s start card; its «Начать» starts the dialog in that chat past what the query said', async () => {
    const { status, body } = await invoke(app.url, search('клиент не согласен с решением по закрытому кейсу'));
    expect(status).to.equal(200);
    expect(body.composeExtension).to.deep.include({ type: 'result', attachmentLayout: 'list' });
    const [result] = body.composeExtension.attachments!;
    expect(body.composeExtension.attachments).to.have.length(1);
    expect(result.preview).to.deep.equal({
      contentType: 'application/vnd.microsoft.card.thumbnail',
      content: { title: 'Вопрос абонента по ранее созданному CASE', text: 'Клиент не согласен с решением по закрытому кейсу или торопит открытый — линия или СФ и действия' },
    });
    expect(result.contentType).to.equal('application/vnd.microsoft.card.adaptive');
    const card = result.content;
    expect(card.msteams).to.deep.equal({ width: 'Full' });
    expect(headlineOf(card)).to.equal('Вопрос абонента по ранее созданному CASE');
    expect(textOf(card)).to.include('В каком состоянии кейс клиента? — Closed — клиент не согласен с решением');
    const [start] = buttonsOf(card);
    expect(start.title).to.equal('Начать');

    // «Начать» on the inserted card: Teams sends the button's data as a composeExtension/onCardButtonClicked
    // invoke (answered 200 with no body) and the bot posts its question into that chat through the
    // channel's connector — here a stand-in on 127.0.0.1.
    const click = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...invokeBody(start.data), name: 'composeExtension/onCardButtonClicked', serviceUrl: connector.url }),
    });
    expect(click.status).to.equal(200);
    expect(await click.text()).to.equal('');
    expect(connector.posted).to.have.length(1);
    expect(connector.posted[0].path).to.match(/^\/v3\/conversations\/19%3Agroup-chat-search%40thread\.v2\/activities/);
    expect(headlineOf(cardOf(connector.posted[0].activity))).to.equal('Какая категория у кейса?');
  });

  it('answers an FAQ question with the answer first, its source behind «Источник»', async () => {
    const { status, body } = await invoke(app.url, search('перед IVR нужно предлагать INBA?'));
    expect(status).to.equal(200);
    const results = body.composeExtension.attachments!;
    expect(results).to.have.length(1);
    expect(results[0].preview.content).to.deep.equal({ title: 'Делается ли предложение INBA перед переключением на IVR?', text: 'Да — предложение INBA делается перед переключением на IVR' });
    const card = results[0].content;
    expect(headlineOf(card)).to.equal('Да — предложение INBA делается перед переключением на IVR');
    const source = card.body!.find((e) => e.id === 'source');
    expect(source.isVisible).to.equal(false);
    expect(textOf({ type: 'AdaptiveCard', body: source.items })).to.include('«Делается ли предложение INBA перед переключением на IVR? Ответ: Да, делается.»');
    expect(card.actions).to.deep.equal([{ type: 'Action.ToggleVisibility', title: 'Источник', targetElements: ['source'] }]);
    // The question appears once (on top), not again among the quotes.
    expect(textOf(card).split('Делается ли предложение INBA перед переключением на IVR?').length - 1).to.equal(2);
  });

  it('offers the two or three procedures a short query fits, each with its own start card', async () => {
    const { body } = await invoke(app.url, search('кейс'));
    const results = body.composeExtension.attachments!;
    expect(results.length).to.be.within(2, 3);
    const ids = results.map((r) => buttonsOf(r.content)[0].data.procedureId);
    expect(new Set(ids).size).to.equal(results.length);
    for (const r of results) expect(r.preview.content.title).to.equal(headlineOf(r.content));
  });

  it('says in Russian that nothing fits, with no result, when the procedures do not cover the query', async () => {
    const { status, body } = await invoke(app.url, search('погода в москве завтра'));
    expect(status).to.equal(200);
    expect(body.composeExtension.type).to.equal('message');
    expect(body.composeExtension.attachments ?? []).to.deep.equal([]);
    expect(body.composeExtension.text).to.equal(
      'По запросу «погода в москве завтра» в процедурах ничего нет — я не буду угадывать. Опишите ситуацию другими словами или уточните у руководителя группы (тимлида).',
    );
  });

  it('lists a few topics when the box opens empty, and the next ones when Teams asks to skip those', async () => {
    const initial = await invoke(app.url, { commandId: 'search', parameters: [{ name: 'initialRun', value: 'true' }], queryOptions: { skip: 0, count: 25 } });
    const first = initial.body.composeExtension.attachments!.map((a) => a.preview.content.title);
    expect(first).to.have.length(8);
    expect(first[0]).to.equal('Анкетирование — какой комментарий писать');
    const blank = await invoke(app.url, search('   '));
    expect(blank.body.composeExtension.attachments!.map((a) => a.preview.content.title)).to.deep.equal(first);
    const second = await invoke(app.url, search('', { skip: 8, count: 25 }));
    const titles = second.body.composeExtension.attachments!.map((a) => a.preview.content.title);
    expect(titles).to.have.length(8);
    expect(titles.filter((t) => first.includes(t))).to.deep.equal([]);
    for (const a of second.body.composeExtension.attachments!) expect(buttonsOf(a.content).map((b) => b.title)).to.deep.equal(['Начать']);
  });

  it('survives odd queries: another command, a missing or non-string parameter, a huge text', async () => {
    const other = await invoke(app.url, { commandId: 'createTicket', parameters: [{ name: 'query', value: 'кейс' }] });
    expect(other.status).to.equal(200);
    expect(other.body.composeExtension).to.deep.equal({ type: 'message', text: 'Эта команда поиска устарела: обновите приложение «Помощник оператора» в Teams.' });
    for (const value of [{ commandId: 'search' }, { commandId: 'search', parameters: [{ name: 'query', value: 42 }] }, { commandId: 'search', parameters: { name: 'query' } }, { commandId: 'search', parameters: [null] }, null, 'search']) {
      const res = await invoke(app.url, value);
      expect(res.status, JSON.stringify(value)).to.equal(200);
      expect(res.body.composeExtension.type, JSON.stringify(value)).to.equal('result');
    }
    // A click in a chat the bot is not a member of: Teams refuses the bot's post there. No crash, no stack trace.
    connector.refuse = true;
    try {
      const stranded = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...invokeBody({ action: 'start', procedureId: 'case-repeat-inquiry' }), name: 'composeExtension/onCardButtonClicked', serviceUrl: connector.url }),
      });
      expect(stranded.status).to.be.within(400, 599).and.not.equal(500);
      expect(await stranded.text()).not.to.match(/\bat .*\.[jt]s:\d+/);
    } finally {
      connector.refuse = false;
    }
    const huge = await invoke(app.url, search('клиент не согласен с решением по заявке '.repeat(200)));
    expect(huge.status).to.equal(200);
    expect((await fetch(`${app.url}/healthz`)).status).to.equal(200);
  });

  it('keeps nothing of a search: no conversation state, no decision (as the privacy page says)', async () => {
    const fresh = await startApp();
    try {
      await invoke(fresh.url, search('клиент не согласен с решением по закрытому кейсу'));
      await invoke(fresh.url, search('перед IVR нужно предлагать INBA?'));
      const stateDir = join(fresh.dataDir, 'state');
      expect(existsSync(stateDir) ? readdirSync(stateDir) : []).to.deep.equal([]);
      expect((await fresh.decisions.query({}, { offset: 0, limit: 10 })).total).to.equal(0);
      // The check has teeth: a message does leave state there.
      await turn(fresh.url, 'c-msgext-control', 'клиент не согласен с решением по заявке');
      expect(readdirSync(stateDir)).to.have.length.greaterThan(0);
    } finally {
      await fresh.close();
    }
  });
});
