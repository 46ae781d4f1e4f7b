import { expect } from 'chai';
import { refusalTexts } from '../../src/bot/infra/pg/turnRefusal.js';
import { clickData, headlineOf, lastCard } from '../support/cards.js';
import { startApp, turn } from '../support/http.js';
import { usePostgres } from '../support/postgres.js';

const START = { value: { action: 'start', procedureId: 'case-repeat-inquiry' } };
const TOKEN = 'leads-api-token-for-tests-0123456789abcdef';

async function health(url: string): Promise<{ status: number; body: { status: string; database?: string } }> {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string; database?: string } };
}

describe('PostgreSQL: the database goes away and comes back', function () {
  this.timeout(90_000);
  const cluster = usePostgres();

  it('answers politely while the database is down, reports 503, and recovers without a restart', async () => {
    const url = await cluster().createDatabase();
    const app = await startApp({ DATABASE_URL: url, LEADS_API_TOKEN: TOKEN });
    try {
      const user = { id: 'u-outage', name: 'Оператор Без Базы' };
      const before = await turn(app.url, 'c-outage', START, user);
      const card = lastCard(before);
      expect(headlineOf(card)).to.equal('В каком состоянии кейс клиента?');
      expect(await health(app.url)).to.deep.include({ status: 200 });
      expect((await health(app.url)).body).to.deep.include({ status: 'ok', database: 'up' });

      await cluster().stop();
      // A turn of a running conversation and of a new one: each gets exactly the polite reply, no 500.
      for (const [conversation, input] of [
        ['c-outage', { value: clickData(card, 'Open') }],
        ['c-outage-new', START],
      ] as const) {
        const replies = await turn(app.url, conversation, input, user);
        expect(replies.map((r) => r.text)).to.deep.equal([refusalTexts.unavailable]);
      }
      const down = await health(app.url);
      expect(down.status).to.equal(503);
      expect(down.body).to.deep.include({ status: 'unavailable', database: 'down' });
      // The team-lead API says «try later», and the export never answers 200 with only its header row.
      for (const path of ['/api/decisions', '/api/decisions.csv', '/api/decisions/someDecision1']) {
        const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.status, path).to.equal(503);
        expect(((await res.json()) as { error: string }).error).to.equal('unavailable');
      }

      await cluster().start();
      // Same process, same pool: the next turn reconnects and carries on where the dialog was.
      expect((await health(app.url)).status).to.equal(200);
      let replies = await turn(app.url, 'c-outage', { value: clickData(card, 'Open') }, user);
      expect(headlineOf(lastCard(replies))).to.match(/^Сроки решения истекли/);
      replies = await turn(app.url, 'c-outage', { value: clickData(lastCard(replies), 'Да') }, user);
      expect(headlineOf(lastCard(replies))).to.equal('Скажите клиенту стандартную фразу и внесите в комментарий CASE слово «Повтор»');
      const logged = await app.decisions.query({ operatorId: user.id }, { offset: 0, limit: 10 });
      expect(logged.total).to.equal(1);
    } finally {
      await app.close();
    }
  });

  it('refuses to start while the database is down, saying so without the password', async () => {
    const url = await cluster().createDatabase();
    await cluster().stop();
    try {
      let error: unknown;
      await startApp({ DATABASE_URL: url.replace('postgres@', 'postgres:hunter2@') }).catch((e) => (error = e));
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).name).to.equal('DatabaseUnavailableError');
      expect((error as Error).message).to.not.include('hunter2');
    } finally {
      await cluster().start();
    }
  });
});
