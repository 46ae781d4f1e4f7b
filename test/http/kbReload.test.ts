import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { createApp, type App } from '../../src/bot/app.js';
import { readConfig } from '../../src/bot/config.js';
import { cardOf, clickData, headlineOf, lastCard, textOf } from '../support/cards.js';
import { tempDir, turn } from '../support/http.js';
import { kbDir } from '../support/kb.js';
import { spawnBot } from '../support/process.js';

/**
 * Editing the knowledge base of a running bot: a valid edit is swapped in whole (team-lead API,
 * file watch, SIGHUP) and a dialog begun on the old version restarts cleanly; a bad edit keeps the
 * running version and names every problem with file and line.
 */

const TOKEN = 'leads-api-token-for-reload-tests-0123456789';
const OLD_QUESTION = 'В каком состоянии кейс клиента?';
const NEW_QUESTION = 'В каком состоянии сейчас кейс клиента?';
/** Where «Open» leads. */
const OPEN_NEXT = 'Сроки решения истекли или клиент настаивает на решении вопроса сейчас?';
const REPEAT = 'procedures/001-case-repeat-inquiry.yaml';
const FIND = 'procedures/001-case-find.yaml';

type Started = App & { url: string; kb: string; logs: string[] };

/** The bot on its own copy of kb/, so the test can edit it. */
async function start(env: Record<string, string> = {}): Promise<Started> {
  const kb = join(tempDir('oa-kb-'), 'kb');
  cpSync(kbDir, kb, { recursive: true });
  const logs: string[] = [];
  const app = createApp(readConfig({ PORT: '0', HOST: '127.0.0.1', KB_DIR: kb, DATA_DIR: tempDir('oa-reload-'), LEADS_API_TOKEN: TOKEN, ...env }), { log: (l) => logs.push(l) });
  const url = await app.listen();
  return Object.assign(app, { url, kb, logs });
}

/** Runs `test` against a started bot, and closes it whatever happens. */
async function withApp(env: Record<string, string>, test: (app: Started) => Promise<void>): Promise<void> {
  const app = await start(env);
  try {
    await test(app);
  } finally {
    await app.close();
  }
}

/** Rewrites one file of the copy; fails if the text to replace is not there. */
function edit(kb: string, file: string, from: string | RegExp, to: string): void {
  const path = join(kb, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: "${from}" not found`);
  writeFileSync(path, next);
}

/** The question edited and the procedure's version raised, as a knowledge manager does. */
const editQuestion = (kb: string) => {
  edit(kb, REPEAT, `text: ${OLD_QUESTION}`, `text: ${NEW_QUESTION}`);
  edit(kb, REPEAT, /^version: 3$/m, 'version: 4');
};

const reload = async (url: string, authorization?: string) => {
  const res = await fetch(`${url}/api/kb/reload`, { method: 'POST', headers: authorization ? { authorization } : {} });
  return { status: res.status, body: (await res.json()) as { ok: boolean; version: string; previous?: string; problems?: string[]; warnings?: string[]; error?: string } };
};
const health = async (url: string) => (await (await fetch(`${url}/healthz`)).json()) as { kbVersion: string; procedures: number };
/** Everything the operator reads in a turn's replies: message texts and card texts. */
const seen = (replies: Partial<Activity>[]) => replies.map((r) => (r.attachments?.length ? textOf(cardOf(r)) : (r.text ?? ''))).join('\n');
const openRepeatInquiry = (url: string, conversation: string) => turn(url, conversation, { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });

describe('http: reloading the knowledge base without a restart', function () {
  this.timeout(60000);

  it('swaps a valid edit in on POST /api/kb/reload; a dialog begun on the old version restarts on the new one', async () => {
    await withApp({ KB_WATCH: 'false' }, async (app) => {
      const before = (await health(app.url)).kbVersion;
      expect(app.describe()).to.include(`kb ${before}`);
      const question = lastCard(await openRepeatInquiry(app.url, 'c-edit'));
      expect(headlineOf(question)).to.equal(OLD_QUESTION);

      editQuestion(app.kb);
      const { status, body } = await reload(app.url, `Bearer ${TOKEN}`);
      expect(status).to.equal(200);
      expect(body).to.include({ ok: true, previous: before });
      expect(body.warnings).to.deep.equal([]);
      expect(body.version).to.not.equal(before);
      expect((await health(app.url)).kbVersion).to.equal(body.version);
      expect(app.describe()).to.include(`kb ${body.version}`);
      expect(app.logs.some((l) => l.includes(`kb ${before} → ${body.version}`))).to.equal(true);

      // The old card's click: the answers belonged to version 3, so the walk starts again on version 4.
      const replies = await turn(app.url, 'c-edit', { value: clickData(question, 'Open') });
      expect(seen(replies)).to.include('Процедура изменилась, пока шёл диалог. Начинаю её заново с первого вопроса.');
      expect(headlineOf(lastCard(replies))).to.equal(NEW_QUESTION);
      // The restarted dialog goes on normally on the new version.
      const next = await turn(app.url, 'c-edit', { value: clickData(lastCard(replies), 'Open') });
      expect(headlineOf(lastCard(next))).to.equal(OPEN_NEXT);
      expect(seen(next)).to.not.include('Процедура изменилась');
    });
  });

  it('swaps in a change made without a version bump, and warns that open dialogs go on with it', async () => {
    await withApp({ KB_WATCH: 'false' }, async (app) => {
      const question = lastCard(await openRepeatInquiry(app.url, 'c-same'));
      edit(app.kb, REPEAT, `text: ${OLD_QUESTION}`, `text: ${NEW_QUESTION}`);
      const { status, body } = await reload(app.url, `Bearer ${TOKEN}`);
      expect(status).to.equal(200);
      expect(body.warnings).to.deep.equal([
        'procedures/001-case-repeat-inquiry.yaml: procedure "case-repeat-inquiry" changed but its version is still 3: open dialogs go on with the new nodes; raise the version to restart them',
      ]);
      expect(app.logs.filter((l) => l.startsWith('kb reload warning: '))).to.have.length(1);
      // As after a restart with the same version: the answers are replayed, the dialog goes on.
      const replies = await turn(app.url, 'c-same', { value: clickData(question, 'Open') });
      expect(seen(replies)).to.not.include('Процедура изменилась');
      expect(headlineOf(lastCard(replies))).to.equal(OPEN_NEXT);
    });
  });

  it('keeps the running version on a bad edit and names every problem with file and line', async () => {
    await withApp({ KB_WATCH: 'false' }, async (app) => {
      editQuestion(app.kb);
      const good = (await reload(app.url, `Bearer ${TOKEN}`)).body.version;
      edit(app.kb, REPEAT, /^start: state$/m, 'start: [state');
      edit(app.kb, FIND, 'next: personal_folder', 'next: nowhere');
      app.logs.length = 0;

      const { status, body } = await reload(app.url, `Bearer ${TOKEN}`);
      expect(status).to.equal(422);
      expect(body.ok).to.equal(false);
      expect(body.version).to.equal(good);
      const problems = body.problems ?? [];
      expect(problems.some((p) => p.includes('001-case-repeat-inquiry.yaml') && /YAML syntax.*line \d+/.test(p))).to.equal(true, problems.join('\n'));
      expect(problems.some((p) => /001-case-find\.yaml:\d+ \(nodes\.\w+\.options\[0\]\.next\):.*"nowhere"/.test(p))).to.equal(true, problems.join('\n'));
      // The log has one line per problem, after a line saying the reload was refused.
      expect(app.logs.filter((l) => l.startsWith('kb reload problem: '))).to.have.length(problems.length);
      expect(app.logs.some((l) => l.includes(`refused: ${problems.length} problem(s), still on kb ${good}`))).to.equal(true);

      // Nothing changed for operators: the version in use answers, dialogs work.
      expect((await health(app.url)).kbVersion).to.equal(good);
      const question = lastCard(await openRepeatInquiry(app.url, 'c-bad'));
      expect(headlineOf(question)).to.equal(NEW_QUESTION);
      expect(headlineOf(lastCard(await turn(app.url, 'c-bad', { value: clickData(question, 'Open') })))).to.equal(OPEN_NEXT);
    });
  });

  it('checks what kb:lint checks: a quote that is not in the source text is refused', async () => {
    await withApp({ KB_WATCH: 'false' }, async (app) => {
      const before = (await health(app.url)).kbVersion;
      edit(app.kb, FIND, 'Личная папка содержит информацию', 'Личная папка хранит информацию');
      const { status, body } = await reload(app.url, `Bearer ${TOKEN}`);
      expect(status).to.equal(422);
      expect((body.problems ?? []).some((p) => p.includes('001-case-find.yaml') && p.includes('Личная папка хранит информацию'))).to.equal(true, (body.problems ?? []).join('\n'));
      expect((await health(app.url)).kbVersion).to.equal(before);
    });
  });

  it('refuses a reload without the team-lead token, and reloads nothing', async () => {
    await withApp({ KB_WATCH: 'false' }, async (app) => {
      const before = (await health(app.url)).kbVersion;
      editQuestion(app.kb);
      for (const authorization of [undefined, 'Bearer wrong-token', TOKEN]) {
        const { status, body } = await reload(app.url, authorization);
        expect(status).to.equal(401);
        expect(body.error).to.equal('unauthorized');
      }
      expect((await health(app.url)).kbVersion).to.equal(before);
      expect(app.logs.some((l) => l.startsWith('kb reload'))).to.equal(false);
    });
    // Without LEADS_API_TOKEN or Teams SSO the API is off: no one may reload.
    await withApp({ KB_WATCH: 'false', LEADS_API_TOKEN: '' }, async (off) => {
      expect((await reload(off.url, `Bearer ${TOKEN}`)).status).to.equal(403);
    });
  });

  it('with KB_WATCH, reloads once a saved file settles', async () => {
    await withApp({ KB_WATCH: 'true' }, async (app) => {
      const before = (await health(app.url)).kbVersion;
      editQuestion(app.kb);
      let now = before;
      for (let i = 0; i < 100 && now === before; i++) {
        await new Promise((r) => setTimeout(r, 100));
        now = (await health(app.url)).kbVersion;
      }
      expect(now).to.not.equal(before);
      expect(headlineOf(lastCard(await openRepeatInquiry(app.url, 'c-watch')))).to.equal(NEW_QUESTION);
      expect(app.logs.filter((l) => l.startsWith('kb reloaded (file change)'))).to.have.length(1);
    });
  });

  it('reloads on SIGHUP in the running process (npm start), and keeps serving on a bad edit', async () => {
    const kb = join(tempDir('oa-kb-'), 'kb');
    cpSync(kbDir, kb, { recursive: true });
    const bot = await spawnBot({ DATA_DIR: tempDir(), KB_DIR: kb, KB_WATCH: 'false' });
    try {
      const before = (await health(bot.url)).kbVersion;
      expect(bot.output()).to.include(`(kb ${before})`);
      // The child's output arrives in chunks: wait for the line itself, not for one written before it.
      const waitFor = async (text: string | RegExp) => {
        const seen = () => (typeof text === 'string' ? bot.output().includes(text) : text.test(bot.output()));
        for (let i = 0; i < 200 && !seen(); i++) await new Promise((r) => setTimeout(r, 50));
        if (typeof text === 'string') expect(bot.output()).to.include(text);
        else expect(bot.output()).to.match(text);
      };
      editQuestion(kb);
      bot.child.kill('SIGHUP');
      await waitFor('kb reloaded (SIGHUP)');
      const after = (await health(bot.url)).kbVersion;
      expect(after).to.not.equal(before);

      edit(kb, FIND, 'next: personal_folder', 'next: nowhere');
      bot.child.kill('SIGHUP');
      await waitFor('kb reload (SIGHUP) refused');
      await waitFor(/kb reload problem: .*001-case-find\.yaml:\d+ /);
      expect((await health(bot.url)).kbVersion).to.equal(after);
      expect(headlineOf(lastCard(await openRepeatInquiry(bot.url, 'c-hup')))).to.equal(NEW_QUESTION);
    } finally {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
  });
});
