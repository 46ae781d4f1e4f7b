import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import pg from 'pg';
import { refusalTexts } from '../../src/bot/infra/pg/turnRefusal.js';
import { clickData, headlineOf, lastCard } from '../support/cards.js';
import { turn } from '../support/http.js';
import { startInstances, usePostgres } from '../support/postgres.js';

const START = { value: { action: 'start', procedureId: 'case-repeat-inquiry' } };
const FIRST_QUESTION = 'В каком состоянии кейс клиента?';
const OUTCOME = 'Скажите клиенту стандартную фразу и внесите в комментарий CASE слово «Повтор»';
const TOKEN = 'pg-instances-test-token-0123456789abcdef';

describe('PostgreSQL: two bot instances on one database', function () {
  this.timeout(60_000);
  const cluster = usePostgres();
  let url: string;
  let apps: Awaited<ReturnType<typeof startInstances>> = [];
  let A: string;
  let B: string;

  before(async () => {
    url = await cluster().createDatabase();
    apps = await startInstances(2, url, { LEADS_API_TOKEN: TOKEN });
    [A, B] = apps.map((a) => a.url);
    expect(A).to.not.equal(B);
  });
  after(async () => {
    await Promise.all(apps.map((a) => a.close()));
  });

  it('names the store in the start line without the password', async () => {
    const [app] = await startInstances(1, url.replace('postgres@', 'postgres:s3cret-pass@'));
    try {
      expect(app.describe()).to.include(`store: PostgreSQL at 127.0.0.1:${cluster().port}/`);
      expect(app.describe()).to.not.include('s3cret');
    } finally {
      await app.close();
    }
  });

  it('continues a conversation whose turns alternate between the instances', async () => {
    const user = { id: 'u-alternate', name: 'Оператор Чередующийся' };
    let replies = await turn(A, 'c-alternate', START, user);
    expect(headlineOf(lastCard(replies))).to.equal(FIRST_QUESTION);
    replies = await turn(B, 'c-alternate', { value: clickData(lastCard(replies), 'Open') }, user);
    expect(headlineOf(lastCard(replies))).to.match(/^Сроки решения истекли/);
    replies = await turn(A, 'c-alternate', { value: clickData(lastCard(replies), 'Да') }, user);
    expect(headlineOf(lastCard(replies))).to.equal(OUTCOME);
  });

  it('shows decisions reached on either instance to the team-lead API of both', async () => {
    const user = { id: 'u-both-logs', name: 'Оператор Два Экземпляра' };
    for (const [start, next, last] of [
      [A, A, A],
      [B, B, B],
      [B, A, B],
    ]) {
      const conversation = `c-logs-${start === A ? 'a' : 'b'}-${last === A ? 'a' : 'b'}-${next === A ? 'a' : 'b'}`;
      let replies = await turn(start, conversation, START, user);
      replies = await turn(next, conversation, { value: clickData(lastCard(replies), 'Open') }, user);
      replies = await turn(last, conversation, { value: clickData(lastCard(replies), 'Да') }, user);
      expect(headlineOf(lastCard(replies))).to.equal(OUTCOME);
    }
    for (const app of [A, B]) {
      const res = await fetch(`${app}/api/decisions?operator=${user.id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).to.equal(200);
      const body = (await res.json()) as { total: number; items: { conversationId: string; procedureId: string }[] };
      expect(body.total).to.equal(3);
      expect(body.items.map((d) => d.conversationId).sort()).to.deep.equal(['c-logs-a-a-a', 'c-logs-b-b-a', 'c-logs-b-b-b'].sort());
    }
  });

  /**
   * Sends `click` to both instances at once with the race made certain: the conversation's row is
   * held so both turns read the same state and then both wait to write it; released once both wait.
   */
  async function raceOnBoth(conversation: string, click: { value: unknown }, user: { id: string; name: string }): Promise<Partial<Activity>[][]> {
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      const held = await holder.query(`SELECT key FROM bot_state WHERE key = $1 FOR UPDATE`, [`msteams/conversations/${conversation}/`]);
      expect(held.rowCount).to.equal(1);
      const both = Promise.all([turn(A, conversation, click, user), turn(B, conversation, click, user)]);
      // A guard against hanging, not a timing assertion: both turns normally wait within milliseconds.
      const giveUp = Date.now() + 20_000;
      for (let waiting = 0; waiting < 2; ) {
        if (Date.now() > giveUp) throw new Error(`expected both turns to wait for the held row, ${waiting} did`);
        await new Promise((r) => setTimeout(r, 20));
        const { rows } = await holder.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
        waiting = Number(rows[0].n);
      }
      await holder.query('COMMIT');
      return await both;
    } finally {
      await holder.end();
    }
  }

  /** Which of two results is the refused one (the other won). */
  const loserOf = (results: Partial<Activity>[][]) => {
    const texts = results.map((replies) => replies.map((r) => r.text ?? ''));
    const lost = texts.findIndex((t) => t.length === 1 && t[0] === refusalTexts.conflict);
    expect(lost, `one turn must be refused, got ${JSON.stringify(texts)}`).to.be.oneOf([0, 1]);
    return lost;
  };

  it('refuses the slower of two simultaneous turns of one conversation politely and keeps the state whole', async () => {
    const user = { id: 'u-race', name: 'Оператор Двойной Клик' };
    const first = await turn(A, 'c-race', START, user);
    const card = lastCard(first);
    const results = await raceOnBoth('c-race', { value: clickData(card, 'Open') }, user);
    const lost = loserOf(results);
    const won = results[1 - lost];
    expect(headlineOf(lastCard(won))).to.match(/^Сроки решения истекли/);

    // The state is the winner's: its card leads on, on either instance.
    const next = await turn(lost === 0 ? A : B, 'c-race', { value: clickData(lastCard(won), 'Да') }, user);
    expect(headlineOf(lastCard(next))).to.equal(OUTCOME);
  });

  it('the same click reaching an outcome on both instances: one decision, delivered by the winner, not marked undelivered', async () => {
    const user = { id: 'u-race-outcome', name: 'Оператор Гонка' };
    let replies = await turn(A, 'c-race-outcome', START, user);
    replies = await turn(A, 'c-race-outcome', { value: clickData(lastCard(replies), 'Open') }, user);
    const results = await raceOnBoth('c-race-outcome', { value: clickData(lastCard(replies), 'Да') }, user);
    const won = results[1 - loserOf(results)];
    expect(headlineOf(lastCard(won))).to.equal(OUTCOME);
    const res = await fetch(`${A}/api/decisions?operator=${user.id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await res.json()) as { total: number; items: { id: string; undelivered?: boolean }[] };
    expect(body.total).to.equal(1);
    expect(body.items[0].id).to.equal(clickData(lastCard(won), '👍 Помогло').decisionId);
    expect(body.items[0].undelivered).to.equal(undefined);
  });

  it('serves many conversations alternating between the instances at once', async () => {
    const walk = async (i: number) => {
      const user = { id: `u-many-${i}`, name: `Оператор ${i}` };
      const [x, y] = i % 2 ? [A, B] : [B, A];
      let replies = await turn(x, `c-many-${i}`, START, user);
      replies = await turn(y, `c-many-${i}`, { value: clickData(lastCard(replies), 'Open') }, user);
      replies = await turn(x, `c-many-${i}`, { value: clickData(lastCard(replies), 'Да') }, user);
      return headlineOf(lastCard(replies));
    };
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => walk(i)));
    expect(outcomes).to.deep.equal(Array(12).fill(OUTCOME));
  });
});
