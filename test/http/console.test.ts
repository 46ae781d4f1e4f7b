import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { readConfig } from '../../src/bot/config.js';
import { ConfigError } from '../../src/bot/errors.js';
import { clickAction, clickData, headlineOf, lastCard, textOf } from '../support/cards.js';
import { startApp, turn } from '../support/http.js';

/** POST /api/console: the web console's way into the bot (same adapter, same bot). */

type Reply = { status: number; type: string; json: any };

async function consolePost(url: string, body: unknown, contentType = 'application/json'): Promise<Reply> {
  const res = await fetch(`${url}/api/console`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', json };
}

const user = { userId: 'console-user-1', userName: 'Оператор Тест' };
const say = async (url: string, conversationId: string, input: { text?: string; value?: unknown; type?: string; verb?: string; universalActions?: boolean }) => {
  const r = await consolePost(url, { conversationId, ...user, ...input });
  expect(r.status, JSON.stringify(r.json)).to.equal(200);
  return r.json.activities as Partial<Activity>[];
};

describe('http: the web console endpoint', () => {
  describe('in local mode (no MicrosoftAppId)', () => {
    let app: Awaited<ReturnType<typeof startApp>>;
    before(async () => {
      app = await startApp();
    });
    after(() => app.close());

    it('is on by default and says so, with its URL, in the start log line', () => {
      expect(readConfig({}).console.enabled).to.equal(true);
      expect(app.describe()).to.include(`web console ON at ${app.url}/`);
    });

    it('serves the page (UTF-8, lang="ru") and the adaptivecards bundle from node_modules, nothing else', async () => {
      const page = await fetch(`${app.url}/`);
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-type')).to.equal('text/html; charset=utf-8');
      const html = await page.text();
      expect(html).to.include('<html lang="ru">').and.include('/vendor/adaptivecards.min.js').and.include('Новый разговор');
      expect(page.headers.get('content-security-policy')).to.include("script-src 'self'");
      const bundle = await fetch(`${app.url}/vendor/adaptivecards.min.js`);
      expect(bundle.status).to.equal(200);
      expect(bundle.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
      expect(await bundle.text()).to.include('AdaptiveCards');
      for (const path of ['/console/console.js', '/console/render.js', '/console/console.css', '/vendor/adaptivecards.css'])
        expect((await fetch(`${app.url}${path}`)).status, path).to.equal(200);
      for (const path of ['/vendor/package.json', '/console/index.ts', '/console/..%2F..%2Fpackage.json', '/vendor/..%2F..%2F..%2Fpackage.json', '/public/console/console.js'])
        expect((await fetch(`${app.url}${path}`)).status, path).to.equal(404);
    });

    it('greets a new conversation with the help card (conversationUpdate), as Teams does when the bot is added', async () => {
      const replies = await say(app.url, 'console-greet', { type: 'conversationUpdate' });
      expect(headlineOf(lastCard(replies))).to.equal('Помощник оператора');
    });

    it('runs an Action.Execute click as Teams does: an adaptiveCard/action invoke answered with the next card', async () => {
      const c = 'console-invoke';
      const card = lastCard(await say(app.url, c, { value: { action: 'start', procedureId: 'case-repeat-inquiry' } }));
      const button = clickAction(card, 'Closed — клиент не согласен с решением');
      const replies = await say(app.url, c, { type: 'invoke', verb: button.verb, value: button.data });
      expect(replies.map((a) => a.type)).to.deep.equal(['invokeResponse']);
      const answer = (replies[0].value as { status: number; body: { type: string; value: any } });
      expect(answer.status).to.equal(200);
      expect(answer.body.type).to.equal('application/vnd.microsoft.card.adaptive');
      expect(headlineOf(answer.body.value)).to.equal('Какая категория у кейса?');
      // An invoke needs its verb and its data, and takes no text.
      for (const bad of [{ type: 'invoke', value: button.data }, { type: 'invoke', verb: 'answer', text: 'x', value: button.data }, { verb: 'answer', text: 'x' }]) {
        const r = await consolePost(app.url, { conversationId: c, ...user, ...bad });
        expect(r.status, JSON.stringify(bad)).to.equal(400);
      }
    });

    it('opened without Universal Actions (?ua=off), gets Action.Submit buttons whose clicks post the next card', async () => {
      const c = 'console-no-ua';
      const card = lastCard(await say(app.url, c, { universalActions: false, value: { action: 'start', procedureId: 'case-repeat-inquiry' } }));
      expect(JSON.stringify(card)).not.to.include('Action.Execute');
      const replies = await say(app.url, c, { universalActions: false, value: clickData(card, 'Closed — клиент не согласен с решением') });
      expect(replies.map((a) => a.type)).to.deep.equal(['message']);
      expect(headlineOf(lastCard(replies))).to.equal('Какая категория у кейса?');
      expect((await consolePost(app.url, { conversationId: c, ...user, text: 'x', universalActions: 'no' })).status).to.equal(400);
    });

    it('runs a question and card clicks through the bot and continues the dialog across requests', async () => {
      let replies = await say(app.url, 'console-walk', { text: 'клиент не согласен с решением по закрытой заявке' });
      let card = lastCard(replies);
      if (headlineOf(card) === 'Уточните, о чём вопрос') card = lastCard(await say(app.url, 'console-walk', { value: clickData(card, 'Вопрос абонента по ранее созданному CASE') }));
      if (headlineOf(card) === 'В каком состоянии кейс клиента?') card = lastCard(await say(app.url, 'console-walk', { value: clickData(card, 'Closed — клиент не согласен с решением') }));
      expect(headlineOf(card)).to.equal('Какая категория у кейса?');
      replies = await say(app.url, 'console-walk', { value: clickData(card, 'Личный кабинет/mobile b2c (физ. лица)') });
      const outcome = lastCard(replies);
      expect(headlineOf(outcome)).to.equal('Переключите клиента на линию Экспертов оборудования');
      expect(textOf(outcome)).to.include('Источник: CASE, обещания клиенту, завершение звонка, домашний интернет');
      // Every reply came back in the HTTP answer (expectReplies), addressed to the console user.
      expect(replies.every((a) => a.type === 'message')).to.equal(true);
      // A click on the old question card: the bot's own stale-card answer.
      const stale = await say(app.url, 'console-walk', { value: clickData(card, 'BackOffice') });
      expect(stale.map((a) => a.text ?? '').join('\n')).to.match(/устарела/);
    });

    it('answers exactly as POST /api/messages does for the same input', async () => {
      const viaConsole = await say(app.url, 'same-1', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
      const viaChannel = await turn(app.url, 'same-2', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } }, { id: user.userId, name: user.userName });
      const strip = (card: any) => JSON.parse(JSON.stringify(card).replace(/"cardId":"[^"]*"/g, '"cardId":"x"'));
      expect(strip(lastCard(viaConsole))).to.deep.equal(strip(lastCard(viaChannel)));
    });

    it('keeps console conversations apart from Teams conversations with the same id (channel webchat)', async () => {
      await turn(app.url, 'shared-id', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
      // Nothing is active in the console conversation of the same id: «отмена» has nothing to cancel.
      const replies = await say(app.url, 'shared-id', { text: 'отмена' });
      expect(replies.map((a) => a.text ?? '').join('\n')).to.match(/нет начатого диалога/);
    });

    it('rejects malformed bodies with a clear 400 JSON error and never a stack trace', async () => {
      const cases: [string, unknown][] = [
        ['not an object', [1, 2]],
        ['a JSON string', '"hello"'],
        ['missing ids', { text: 'привет' }],
        ['bad conversation id', { conversationId: '../etc/passwd', userId: 'u', text: 'x' }],
        ['id too long', { conversationId: 'c'.repeat(200), userId: 'u', text: 'x' }],
        ['text not a string', { conversationId: 'c', userId: 'u', text: 42 }],
        ['text too long', { conversationId: 'c', userId: 'u', text: 'я'.repeat(4001) }],
        ['value not an object', { conversationId: 'c', userId: 'u', value: 'topics' }],
        ['value an array', { conversationId: 'c', userId: 'u', value: [] }],
        ['neither text nor value', { conversationId: 'c', userId: 'u' }],
        ['unknown field', { conversationId: 'c', userId: 'u', text: 'x', channelId: 'msteams' }],
        ['unknown type', { conversationId: 'c', userId: 'u', type: 'invoke', text: 'x' }],
        ['invalid JSON', '{"conversationId": "c",'],
      ];
      for (const [what, body] of cases) {
        const r = await consolePost(app.url, body);
        expect(r.status, what).to.equal(400);
        expect(r.type, what).to.match(/^application\/json/);
        expect(r.json.message, what).to.be.a('string').and.not.equal('');
        expect(JSON.stringify(r.json), what).to.not.match(/\n\s+at |\.ts:\d+|node_modules/);
      }
      const r = await consolePost(app.url, { conversationId: 'c', userId: 'u', text: 42, extra: 1 });
      expect(r.json.error).to.equal('bad_request');
      expect(r.json.problems).to.have.length(2);
      expect(r.json.message).to.include('unknown field "extra"').and.include('text must be a string');
    });

    it('takes JSON only (a form on another site cannot post to it)', async () => {
      const r = await consolePost(app.url, 'conversationId=c&userId=u&text=x', 'application/x-www-form-urlencoded');
      expect(r.status).to.equal(415);
      expect(r.json.message).to.include('JSON');
      expect((await consolePost(app.url, 'x', 'text/plain')).status).to.equal(415);
    });
  });

  describe('with a MicrosoftAppId (Bot Framework authentication)', () => {
    const auth = { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret' };

    it('is off without CONSOLE_ENABLED: 403 with a clear message, and the start log says so', async () => {
      const app = await startApp(auth);
      try {
        const r = await consolePost(app.url, { conversationId: 'c', ...user, text: 'темы' });
        expect(r.status).to.equal(403);
        expect(r.json.error).to.equal('console_disabled');
        expect(r.json.message).to.include('CONSOLE_ENABLED=true');
        expect(app.describe()).to.include('web console OFF').and.include('CONSOLE_ENABLED=true');
        // The channel endpoint still demands a token (the SDK logs the refusal: silenced here).
        const error = console.error;
        console.error = () => undefined;
        const channel = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'x', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: 'c' }, from: { id: 'u' }, recipient: { id: 'b' } }) }).finally(() => (console.error = error));
        expect(channel.status).to.equal(401);
      } finally {
        await app.close();
      }
    });

    it('works when explicitly enabled with CONSOLE_ENABLED=true, through the same bot', async () => {
      const app = await startApp({ ...auth, CONSOLE_ENABLED: 'true' });
      try {
        expect(app.describe()).to.include(`web console ON at ${app.url}/`);
        const replies = await say(app.url, 'console-auth', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
        expect(headlineOf(lastCard(replies))).to.equal('В каком состоянии кейс клиента?');
        const next = await say(app.url, 'console-auth', { value: clickData(lastCard(replies), 'Open') });
        expect(headlineOf(lastCard(next))).to.match(/^Сроки решения истекли/);
      } finally {
        await app.close();
      }
    });
  });

  describe('CONSOLE_ENABLED setting', () => {
    it('accepts only true or false', () => {
      expect(readConfig({ CONSOLE_ENABLED: 'false' }).console.enabled).to.equal(false);
      expect(readConfig({ CONSOLE_ENABLED: 'true', MicrosoftAppId: 'x', MicrosoftAppPassword: 'y' }).console.enabled).to.equal(true);
      expect(readConfig({ MicrosoftAppId: 'x', MicrosoftAppPassword: 'y' }).console.enabled).to.equal(false);
      for (const bad of ['yes', '1', 'TRUE', 'on'])
        expect(() => readConfig({ CONSOLE_ENABLED: bad }), bad).to.throw(ConfigError, `CONSOLE_ENABLED must be true or false, got "${bad}"`);
    });

    it('turns the console off in local mode with CONSOLE_ENABLED=false', async () => {
      const app = await startApp({ CONSOLE_ENABLED: 'false' });
      try {
        expect((await consolePost(app.url, { conversationId: 'c', ...user, text: 'темы' })).status).to.equal(403);
        expect(app.describe()).to.include('web console OFF (CONSOLE_ENABLED=false)');
      } finally {
        await app.close();
      }
    });
  });
});
