import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { JsonlDecisionLog } from '../../src/bot/infra/decisionLog/jsonlDecisionLog.js';
import { LowdbStorage } from '../../src/bot/infra/storage/lowdbStorage.js';
import { clickData, headlineOf, lastCard } from '../support/cards.js';
import { decision } from '../support/decisions.js';
import { startApp, tempDir, turn } from '../support/http.js';
import { repoRoot } from '../support/kb.js';
import { usePostgres } from '../support/postgres.js';

const START = { value: { action: 'start', procedureId: 'case-repeat-inquiry' } };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The check table: table → [in DATA_DIR, copied to PostgreSQL, table total]. */
  table: Record<string, [number, number, number]>;
}

/** Runs the script as `npm run migrate:lowdb-to-pg` would (tsx), and reads its check table. */
function migrateScript(dataDir: string, databaseUrl: string, args: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'scripts/migrateLowdbToPg.ts'), ...args],
      { cwd: repoRoot, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl }, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        const table: Run['table'] = {};
        for (const m of stdout.matchAll(/^ {2}(bot_state|decisions|feedback|reviews|form_values|delivery_marks|unanswered)\s+(\d+)\s+(\d+)\s+(\d+)$/gm)) table[m[1]] = [Number(m[2]), Number(m[3]), Number(m[4])];
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr, table });
      },
    );
  });
}

async function countRows(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, number> = {};
    for (const t of ['bot_state', 'decisions', 'feedback', 'reviews', 'form_values', 'delivery_marks', 'unanswered']) out[t] = Number((await client.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
    return out;
  } finally {
    await client.end();
  }
}

/** What DATA_DIR holds, read with the stores' own code. */
async function sourceCounts(dataDir: string): Promise<Record<string, number>> {
  const log = JsonlDecisionLog.open(join(dataDir, 'decisions'), { log: () => undefined });
  const out = {
    bot_state: readdirSync(join(dataDir, 'state')).filter((f) => f.endsWith('.json')).length,
    decisions: 0,
    feedback: 0,
    reviews: 0,
    form_values: 0,
    delivery_marks: 0,
    unanswered: (await log.unanswered({})).length,
  };
  for await (const e of log.entries()) {
    out.decisions++;
    out.feedback += e.feedback.length;
    out.reviews += e.reviews.length;
    out.form_values += e.formValues.length;
    out.delivery_marks += e.deliveries.length;
  }
  await log.close();
  return out;
}

describe('npm run migrate:lowdb-to-pg', function () {
  this.timeout(180_000);
  const cluster = usePostgres();

  it('copies the DATA_DIR of a real dialog run, prints matching counts, adds nothing when repeated, and the bot carries on', async () => {
    const dataDir = tempDir('oa-migrate-');
    const user = { id: 'u-migrate', name: 'Оператор Переезд' };
    // A real run on lowdb + JSON Lines: one dialog stopped half way, two finished with feedback.
    const lowdb = await startApp({ DATA_DIR: dataDir });
    let halfWay;
    try {
      const r = await turn(lowdb.url, 'c-half', START, user);
      halfWay = lastCard(await turn(lowdb.url, 'c-half', { value: clickData(lastCard(r), 'Closed — клиент не согласен с решением') }, user));
      expect(headlineOf(halfWay)).to.equal('Какая категория у кейса?');
      for (const [conversation, verdict] of [
        ['c-done-1', '👍 Помогло'],
        ['c-done-2', 'Отправить тимлиду'],
      ]) {
        let replies = await turn(lowdb.url, conversation, START, user);
        replies = await turn(lowdb.url, conversation, { value: clickData(lastCard(replies), 'Open') }, user);
        replies = await turn(lowdb.url, conversation, { value: clickData(lastCard(replies), 'Да') }, user);
        await turn(lowdb.url, conversation, { value: clickData(lastCard(replies), verdict) }, user);
      }
      // A dialog cancelled half way: an unanswered question.
      await turn(lowdb.url, 'c-cancelled', START, user);
      await turn(lowdb.url, 'c-cancelled', 'отмена', user);
    } finally {
      await lowdb.close();
    }
    // A team lead's review too (no HTTP path writes one on lowdb in this test).
    const jsonl = JsonlDecisionLog.open(join(dataDir, 'decisions'), { log: () => undefined });
    const flagged = (await jsonl.query({ awaitingReview: true }, { offset: 0, limit: 10 })).items;
    expect(flagged).to.have.length(1);
    await jsonl.addReview({ decisionId: flagged[0].id, at: new Date(Date.now() + 1000).toISOString(), by: { id: 'lead', name: 'Руководитель' }, note: 'Разобрано' });
    // Delivery marks as failed turns write them: one decision's card never arrived, the other's
    // arrived on the repeat of its turn (the mark cleared).
    const [stillUndelivered, cleared] = (await jsonl.query({}, { offset: 0, limit: 10 })).items;
    await jsonl.markDelivery({ decisionId: stillUndelivered.id, at: new Date().toISOString(), delivery: 'undelivered', reason: 'state save failed' });
    await jsonl.markDelivery({ decisionId: cleared.id, at: new Date().toISOString(), delivery: 'undelivered', reason: 'connector refused' });
    await jsonl.markDelivery({ decisionId: cleared.id, at: new Date().toISOString(), delivery: 'delivered' });
    await jsonl.close();

    const source = await sourceCounts(dataDir);
    expect(source).to.deep.include({ decisions: 2, feedback: 2, reviews: 1, delivery_marks: 3, unanswered: 1 });
    expect(source.bot_state).to.be.greaterThan(0);

    const url = (await cluster().createDatabase()).replace('postgres@', 'postgres:pw-not-printed@');
    const first = await migrateScript(dataDir, url);
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    expect(first.stdout + first.stderr).to.not.include('pw-not-printed');
    expect(first.stdout).to.include('OK: everything in DATA_DIR is in PostgreSQL');
    expect(first.stdout).to.match(/sha256 DATA_DIR (\w{16}) PostgreSQL \1 match/);
    const inPg = await countRows(url);
    for (const [t, n] of Object.entries(source)) expect(first.table[t], t).to.deep.equal([n, n, inPg[t]]);
    expect(inPg).to.deep.equal(source);
    expect(first.stdout).to.include(`state: ${source.bot_state} documents read; ${source.bot_state} copied, 0 already there`);
    expect(first.stdout).to.include(`decisions: ${source.decisions} read; ${source.decisions} copied, 0 already there`);
    expect(first.stdout).to.include('delivery marks 3');
    expect(first.stdout).to.include('unanswered questions: 1 read; 1 copied, 0 already there');
    expect(first.stdout).to.match(/unanswered +sha256 DATA_DIR (\w{16}) PostgreSQL \1 match/);

    const second = await migrateScript(dataDir, url);
    expect(second.code, second.stdout + second.stderr).to.equal(0);
    expect(second.stdout).to.include(`state: ${source.bot_state} documents read; 0 copied, ${source.bot_state} already there`);
    expect(second.stdout).to.include(`decisions: ${source.decisions} read; 0 copied, ${source.decisions} already there; events copied: feedback 0, reviews 0, form values 0, delivery marks 0`);
    expect(second.stdout).to.include('unanswered questions: 1 read; 0 copied, 1 already there');
    expect(await countRows(url)).to.deep.equal(inPg);

    // The same bot on PostgreSQL: the half-way dialog goes on, the decisions are there with their events.
    const onPg = await startApp({ DATABASE_URL: url });
    try {
      const replies = await turn(onPg.url, 'c-half', { value: clickData(halfWay, 'Личный кабинет/mobile b2c (физ. лица)') }, user);
      expect(headlineOf(lastCard(replies))).to.equal('Переключите клиента на линию Экспертов оборудования');
      const page = await onPg.decisions.query({ operatorId: user.id }, { offset: 0, limit: 10 });
      expect(page.total).to.equal(3);
      // How each procedure was chosen came along, the half-way dialog's in its stored walk.
      expect(page.items.map((d) => d.foundBy)).to.deep.equal(['tap', 'tap', 'tap']);
      expect((await onPg.decisions.query({ foundBy: 'tap' }, { offset: 0, limit: 10 })).total).to.equal(3);
      expect(page.items.flatMap((d) => d.feedback.map((f) => f.verdict)).sort()).to.deep.equal(['helpful', 'wrong']);
      expect(page.items.flatMap((d) => d.reviews.map((r) => r.note))).to.deep.equal(['Разобрано']);
      expect(page.items.some((d) => d.awaitingReview)).to.equal(false);
      const undelivered = await onPg.decisions.query({ undelivered: true }, { offset: 0, limit: 10 });
      expect(undelivered.items.map((d) => d.id)).to.deep.equal([stillUndelivered.id]);
      expect((await onPg.decisions.unanswered({})).map((u) => u.reason)).to.deep.equal(['cancelled']);
    } finally {
      await onPg.close();
    }
  });

  it('copies a large DATA_DIR in batches with progress, and reports state that differs in PostgreSQL', async () => {
    const dataDir = tempDir('oa-migrate-big-');
    const log = JsonlDecisionLog.open(join(dataDir, 'decisions'), { sync: 'off', log: () => undefined });
    const lead = { id: 'lead', name: 'Руководитель' };
    for (let n = 1; n <= 1200; n++) {
      const d = decision(n);
      await log.append(d);
      if (n % 5 === 0) await log.addFeedback({ decisionId: d.id, at: d.at, by: d.operator, verdict: n % 10 ? 'helpful' : 'wrong', comment: n % 20 ? undefined : 'не та линия' });
      if (n % 20 === 0) await log.addReview({ decisionId: d.id, at: d.at, by: lead, note: `разбор ${n}` });
      if (n % 100 === 0) await log.markDelivery({ decisionId: d.id, at: d.at, delivery: 'undelivered', reason: 'state save failed' });
      if (n % 50 === 0) await log.addFormValues({ decisionId: d.id, at: d.at, by: d.operator, formId: 'case', values: { caseNumber: `CAS-${n}` } });
    }
    await log.close();
    const storage = new LowdbStorage(join(dataDir, 'state'));
    for (let i = 0; i < 700; i += 100) await storage.write(Object.fromEntries(Array.from({ length: 100 }, (_, j) => [`msteams/conversations/big-${i + j}/`, { dialogState: { n: i + j } }])));

    const url = await cluster().createDatabase();
    const first = await migrateScript(dataDir, url);
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    expect(first.table).to.deep.equal({
      bot_state: [700, 700, 700],
      decisions: [1200, 1200, 1200],
      feedback: [240, 240, 240],
      reviews: [60, 60, 60],
      form_values: [24, 24, 24],
      delivery_marks: [12, 12, 12],
      unanswered: [0, 0, 0],
    });
    expect(first.stderr).to.include('decisions: 1200/1200 (100%)');
    expect(first.stderr).to.include('state documents: 700/700 (100%)');

    // Someone changed a conversation in PostgreSQL since: kept by default, and the check says so.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`UPDATE bot_state SET etag = 'changed', item = '{"dialogState":{"n":-1}}' WHERE key = 'msteams/conversations/big-7/'`);
    await client.end();
    const second = await migrateScript(dataDir, url);
    expect(second.code).to.equal(1);
    expect(second.stdout).to.include('1 differ in PostgreSQL (kept; --overwrite-state replaces them)');
    expect(second.stdout).to.include('MISMATCH');
    const third = await migrateScript(dataDir, url, ['--overwrite-state']);
    expect(third.code, third.stdout).to.equal(0);
    expect(third.stdout).to.include('1 differ in PostgreSQL (1 replaced)');
    expect(third.stdout).to.include('OK:');
  });

  it('refuses without DATABASE_URL or with a broken state file, saying why', async () => {
    const dataDir = tempDir('oa-migrate-bad-');
    const noUrl = await migrateScript(dataDir, '');
    expect(noUrl.code).to.equal(2);
    expect(noUrl.stderr).to.include('DATABASE_URL is not set');
    const badUrl = await migrateScript(dataDir, 'mysql://u:secret@host/db');
    expect(badUrl.code).to.equal(2);
    expect(badUrl.stderr).to.include('DATABASE_URL must be a postgres:// or postgresql:// URL');
    expect(badUrl.stderr).to.not.include('secret');
    mkdirSync(join(dataDir, 'state'));
    writeFileSync(join(dataDir, 'state', 'broken.json'), '{"key": "k", "eTag"');
    const broken = await migrateScript(dataDir, await cluster().createDatabase());
    expect(broken.code).to.equal(2);
    expect(broken.stderr).to.match(/^Cannot migrate: .*broken\.json: not valid JSON/m);
  });
});
