import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { expect } from 'chai';
import { JsonlDecisionLog } from '../../src/bot/infra/decisionLog/jsonlDecisionLog.js';
import { buttonsOf, cardOf, clickData, headlineOf, lastCard } from '../support/cards.js';
import { rawRequest, tempDir, turn } from '../support/http.js';
import { failedStart, spawnBot } from '../support/process.js';


describe('process: start, shutdown and crash', function () {
  this.timeout(60000);

  it('finishes the turn in flight on SIGTERM, then exits 0', async () => {
    // The turn posts its reply to this channel, which holds the answer: while it does, the turn is
    // known to be in flight (inside the bot, its state not yet saved), whatever the machine's load.
    let posted!: (activity: Partial<Activity>) => void;
    const reply = new Promise<Partial<Activity>>((resolve) => (posted = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const channel = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        posted(JSON.parse(body));
        void released.then(() => res.setHeader('content-type', 'application/json').end('{"id":"posted"}'));
      });
    });
    await new Promise<void>((resolve) => channel.listen(0, '127.0.0.1', resolve));
    try {
      const bot = await spawnBot({ DATA_DIR: tempDir() });
      const inFlight = fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: 'a-term',
          channelId: 'msteams',
          serviceUrl: `http://127.0.0.1:${(channel.address() as AddressInfo).port}/`,
          from: { id: 'user-1', name: 'Оператор Тест' },
          recipient: { id: 'bot', name: 'Помощник' },
          conversation: { id: 'c-term' },
          value: { action: 'start', procedureId: 'case-repeat-inquiry' },
        }),
      });
      expect(headlineOf(cardOf(await reply))).to.equal('В каком состоянии кейс клиента?');
      bot.child.kill('SIGTERM');
      // Released once the bot says it is stopping: shutdown must wait for the turn, which waits for the channel.
      await new Promise<void>((resolve) => {
        const check = () => bot.output().includes('SIGTERM: no new turns') && (bot.child.stdout!.off('data', check), resolve());
        bot.child.stdout!.on('data', check);
        check();
      });
      release();
      expect((await inFlight).status).to.equal(200);
      expect(await bot.exited).to.equal(0);
      expect(bot.output()).to.include('stopped cleanly');
    } finally {
      channel.close();
    }
  });

  it('keeps serving after invalid gzip and a gzip bomb on every kind of route, before authentication', async () => {
    const bot = await spawnBot({ DATA_DIR: tempDir(), MicrosoftAppId: '00000000-0000-4000-8000-000000000001', MicrosoftAppPassword: 'x', CONSOLE_ENABLED: 'true' });
    try {
      const bomb = gzipSync(Buffer.alloc(64 << 20, '{'));
      for (const [method, path] of [['GET', '/healthz'], ['POST', '/api/messages'], ['POST', '/api/console'], ['GET', '/api/decisions.csv']])
        for (const body of [Buffer.from([0x1f]), Buffer.from('not gzip at all'), bomb]) {
          const res = await rawRequest(bot.url, method, path, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body);
          expect(res.status, `${method} ${path}`).to.equal(415);
        }
      const health = await fetch(`${bot.url}/healthz`);
      expect(health.status).to.equal(200);
      expect(bot.child.exitCode).to.equal(null);
    } finally {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
  });

  it('after SIGKILL under load, restarts cleanly, every conversation continues, and no decision is logged twice', async () => {
    const dataDir = tempDir();
    const bot = await spawnBot({ DATA_DIR: dataDir });
    const conversations = Array.from({ length: 20 }, (_, i) => `c-kill-${i}`);
    // Every conversation reaches the category question, then clicks fly while the process dies.
    const cards = await Promise.all(conversations.map(async (c) => {
      const start = await turn(bot.url, c, { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
      return lastCard(await turn(bot.url, c, { value: clickData(lastCard(start), 'Closed — клиент не согласен с решением') }));
    }));
    const flying = conversations.map((c, i) => turn(bot.url, c, { value: clickData(cards[i], 'Эксперты оборудования') }).catch(() => undefined));
    // Killed as soon as the first decision is on disk: turns are caught between their append and their state save.
    // Data bytes: a segment is zero-filled ahead of its data, so its size says nothing.
    const logged = () => readdirSync(join(dataDir, 'decisions')).reduce((n, f) => n + Math.max(0, readFileSync(join(dataDir, 'decisions', f)).indexOf(0)), 0);
    for (const start = Date.now(); logged() === 0 && Date.now() - start < 5000; ) await new Promise((r) => setImmediate(r));
    bot.child.kill('SIGKILL');
    const before = await Promise.all(flying);
    await bot.exited;
    // What a write killed before its rename leaves behind (steno's temporary file).
    const stateDir = join(dataDir, 'state');
    writeFileSync(join(stateDir, `.${'0'.repeat(40)}.json.tmp`), '{"key": "c-kill-0", "eTag": "torn", "it');

    const shown = new Set<string>();
    // The decision a turn showed, if its last reply is a card: «карточка устарела» is a text and shows none.
    const decisionOn = (replies: Partial<Activity>[] | undefined) => {
      const last = replies?.[replies.length - 1];
      const outcome = last?.attachments?.length ? cardOf(last) : undefined;
      const data = outcome && buttonsOf(outcome).find((b) => b.data?.action === 'feedback')?.data;
      if (data) shown.add(data.decisionId);
    };
    before.forEach(decisionOn);

    const again = await spawnBot({ DATA_DIR: dataDir });
    try {
      expect(readdirSync(stateDir).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
      for (const [i, c] of conversations.entries()) {
        // Either the click landed before the kill (the dialog is over: the card is out of date)
        // or it was lost with the turn in flight (the same click now completes it).
        const replies = await turn(again.url, c, { value: clickData(cards[i], 'Эксперты оборудования') });
        const texts = replies.map((r) => r.text ?? headlineOf(cardOf(r))).join(' | ');
        expect(texts).to.match(/Переключите клиента на линию Экспертов оборудования|карточка устарела/);
        decisionOn(replies);
      }
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
    // A turn logged but never acknowledged and then repeated logs the same decision, not a second one.
    const log = JsonlDecisionLog.open(join(dataDir, 'decisions'));
    try {
      const { items } = await log.query({}, { offset: 0, limit: 1000 });
      const perConversation = new Map<string, number>();
      for (const d of items) perConversation.set(d.conversationId, (perConversation.get(d.conversationId) ?? 0) + 1);
      expect([...perConversation.values()].every((n) => n === 1), JSON.stringify([...perConversation])).to.equal(true);
      expect(perConversation.size).to.equal(conversations.length);
      for (const id of shown) expect(items.some((d) => d.id === id), `decision ${id} on a card is in the log`).to.equal(true);
    } finally {
      await log.close();
    }
  });

  it('a turn with a 4.4 MB sender name is refused, so it cannot stop the next start', async () => {
    const dataDir = tempDir();
    const bot = await spawnBot({ DATA_DIR: dataDir, MAX_BODY_KB: '10240' });
    const huge = { id: 'u-huge', name: 'Я'.repeat(2_300_000) };
    const refusals: string[] = [];
    // The walk to a logged outcome, each click as the huge-named sender: every turn that is refused stops it.
    let replies: object[] | undefined = await turn(bot.url, 'c-huge', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } }, huge).catch((e: Error) => void refusals.push(e.message));
    for (const label of ['Open', 'Да'])
      if (replies) replies = await turn(bot.url, 'c-huge', { value: clickData(lastCard(replies), label) }, huge).catch((e: Error) => void refusals.push(e.message));
    expect(refusals).to.have.length(1);
    expect(refusals[0]).to.match(/^POST \/api\/messages: 400 .*activity\.from\.name/);
    bot.child.kill('SIGTERM');
    await bot.exited;
    const again = await spawnBot({ DATA_DIR: dataDir });
    try {
      expect((await fetch(`${again.url}/healthz`)).status).to.equal(200);
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });

  it('refuses to start on a hand-broken state file, names it, and leaves it as it was', async () => {
    const dataDir = tempDir();
    const bot = await spawnBot({ DATA_DIR: dataDir });
    await turn(bot.url, 'c-broken', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
    bot.child.kill('SIGTERM');
    await bot.exited;
    const stateDir = join(dataDir, 'state');
    const file = readdirSync(stateDir).find((f) => f.endsWith('.json'))!;
    writeFileSync(join(stateDir, file), readFileSync(join(stateDir, file), 'utf8').slice(0, 40));
    const broken = readFileSync(join(stateDir, file));
    const { code, output } = await failedStart({ DATA_DIR: dataDir });
    expect(code).to.equal(1);
    expect(output).to.include(`Cannot start: ${join(stateDir, file)}: not valid JSON`);
    expect(output).not.to.match(/\n\s+at /);
    expect(readFileSync(join(stateDir, file)).equals(broken)).to.equal(true);
  });

  it('refuses to start on wrong configuration, naming the variable', async () => {
    const { code, output } = await failedStart({ DATA_DIR: tempDir(), TELESALES_DAYS: '1-5', TELESALES_OPEN: '25:00', TELESALES_CLOSE: '18:00', HOLIDAYS: '2026-11-04' });
    expect(code).to.equal(1);
    expect(output).to.include('TELESALES_OPEN must be HH:MM');
  });

  it('refuses to start on a broken procedure file, naming the file and line', async () => {
    const kb = tempDir();
    const { cpSync } = await import('node:fs');
    cpSync('kb', kb, { recursive: true });
    const file = join(kb, 'procedures', '001-case-repeat-inquiry.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('next: to_retention', 'next: nowhere'));
    const { code, output } = await failedStart({ DATA_DIR: tempDir(), KB_DIR: kb });
    expect(code).to.equal(1);
    expect(output).to.match(/001-case-repeat-inquiry\.yaml:\d+ .*leads to "nowhere"/);
  });
});
