import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type pg from 'pg';
import { JsonlDecisionLog } from '../../src/bot/infra/decisionLog/jsonlDecisionLog.js';
import { MemoryDecisionLog } from '../../src/bot/infra/decisionLog/memoryDecisionLog.js';
import { PostgresDecisionLog } from '../../src/bot/infra/decisionLog/postgresDecisionLog.js';
import { migrate } from '../../src/bot/infra/pg/migrations.js';
import { createPool } from '../../src/bot/infra/pg/pool.js';
import { openPostgresStores } from '../../src/bot/infra/pg/stores.js';
import { readConfig } from '../../src/bot/config.js';
import { decisionLogContract, sampleDecision } from '../support/decisionLogContract.js';
import { tempDir } from '../support/http.js';
import { usePostgres } from '../support/postgres.js';

// One contract, three stores: the lead API must not be able to tell them apart.
decisionLogContract('MemoryDecisionLog', async () => ({ log: new MemoryDecisionLog() }));

decisionLogContract('JsonlDecisionLog', async () => {
  const dir = join(tempDir('oa-jsonl-'), 'decisions');
  let log = JsonlDecisionLog.open(dir, { sync: 'off', log: () => undefined });
  return {
    log,
    reopen: async () => {
      await log.close();
      return (log = JsonlDecisionLog.open(dir, { sync: 'off', log: () => undefined }));
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}, { persistent: true });

describe('PostgreSQL decision log', function () {
  this.timeout(60_000);
  const cluster = usePostgres();

  decisionLogContract('PostgresDecisionLog', async () => {
    // A database of its own per test: the contract expects an empty log.
    const url = await cluster().createDatabase();
    const pools: pg.Pool[] = [createPool(url)];
    await migrate(pools[0]);
    return {
      log: new PostgresDecisionLog(pools[0]),
      reopen: async () => {
        // Another pool on the same database: what a second instance (or a restart) sees.
        pools.push(createPool(url));
        return new PostgresDecisionLog(pools[pools.length - 1]);
      },
      cleanup: async () => {
        await Promise.all(pools.map((p) => p.end()));
      },
    };
  }, { persistent: true });

  it('DECISION_LOG_SYNC=deferred: the bot\'s sessions commit with synchronous_commit off; strict keeps the database\'s setting', async () => {
    const url = await cluster().createDatabase();
    // The test cluster runs with synchronous_commit=off: this database says on, as a production one would.
    const admin = createPool(url);
    await admin.query(`ALTER DATABASE "${decodeURIComponent(new URL(url).pathname.slice(1))}" SET synchronous_commit = on`);
    await admin.end();
    for (const [config, expected] of [[{ DECISION_LOG_SYNC: 'strict' }, 'on'], [{}, 'off']] as const) {
      const stores = openPostgresStores(url, { decisionLogSync: readConfig({ DATABASE_URL: url, ...config }).decisionLogSync });
      try {
        const { rows } = await stores.pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
        expect(rows[0].synchronous_commit, JSON.stringify(config)).to.equal(expected);
      } finally {
        await stores.close();
      }
    }
  });

  it('imports decisions with all their events, and a repeated import adds nothing', async () => {
    const url = await cluster().createDatabase();
    const pool = createPool(url);
    try {
      await migrate(pool);
      const log = new PostgresDecisionLog(pool);
      const lead = { id: 'lead', name: 'Руководитель' };
      const batch = [1, 2, 3].map((n) => ({
        record: sampleDecision(n),
        feedback: n === 2 ? [{ decisionId: sampleDecision(n).id, at: '2026-03-10T10:00:00.000Z', by: lead, verdict: 'wrong' as const }] : [],
        reviews: [],
        formValues: n === 3 ? [1, 2].map((i) => ({ decisionId: sampleDecision(n).id, at: `2026-03-10T10:0${i}:00.000Z`, by: lead, formId: 'case', values: { v: String(i) } })) : [],
        // Decision 1 was marked undelivered and cleared by a repeat; decision 3 stays undelivered.
        deliveries: (n === 1 ? (['undelivered', 'delivered'] as const) : n === 3 ? (['undelivered'] as const) : []).map((delivery, i) => ({
          decisionId: sampleDecision(n).id,
          at: `2026-03-10T11:0${i}:00.000Z`,
          delivery,
          ...(delivery === 'undelivered' ? { reason: 'state save failed' } : {}),
        })),
      }));
      expect(await log.importBatch(batch)).to.deep.equal({ decisions: 3, feedback: 1, reviews: 0, formValues: 2, deliveries: 3 });
      expect(await log.importBatch(batch)).to.deep.equal({ decisions: 0, feedback: 0, reviews: 0, formValues: 0, deliveries: 0 });
      expect(await log.counts()).to.deep.equal({ decisions: 3, feedback: 1, reviews: 0, formValues: 2, deliveries: 3, unanswered: 0 });
      expect(await log.entries(batch.map((b) => b.record.id))).to.deep.equal(batch);
      expect((await log.query({ undelivered: true }, { offset: 0, limit: 10 })).items.map((v) => v.id)).to.deep.equal(['dec-0003']);
      const page = await log.query({ awaitingReview: true }, { offset: 0, limit: 10 });
      expect(page.items.map((v) => v.id)).to.deep.equal(['dec-0002']);
      expect((await log.get('dec-0003'))!.formValues).to.deep.equal({ v: '2' });
      // Imported in order: newest first is the source's newest.
      expect((await log.query({}, { offset: 0, limit: 10 })).items.map((v) => v.id)).to.deep.equal(['dec-0003', 'dec-0002', 'dec-0001']);
    } finally {
      await pool.end();
    }
  });
});
