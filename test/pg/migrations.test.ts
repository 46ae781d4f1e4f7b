import { expect } from 'chai';
import pg from 'pg';
import { DatabaseUnavailableError, MigrationError } from '../../src/bot/errors.js';
import { migrate, migrations } from '../../src/bot/infra/pg/migrations.js';
import type { Person } from '../../src/domain/decisions.js';
import { PostgresDecisionLog } from '../../src/bot/infra/decisionLog/postgresDecisionLog.js';
import { createPool } from '../../src/bot/infra/pg/pool.js';
import { sampleDecision } from '../support/decisionLogContract.js';
import { usePostgres } from '../support/postgres.js';

describe('PostgreSQL schema migrations', function () {
  this.timeout(60_000);
  const cluster = usePostgres();
  const pools: pg.Pool[] = [];
  const pool = (url: string) => {
    const p = createPool(url);
    pools.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
  });

  const tables = async (p: pg.Pool) =>
    (await p.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`)).rows.map((r) => r.table_name);
  const applied = async (p: pg.Pool) => (await p.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);

  it('creates the schema once; running again changes nothing', async () => {
    const p = pool(await cluster().createDatabase());
    const first = await migrate(p);
    expect(first.applied).to.deep.equal(migrations.map((m) => m.version));
    expect(await tables(p)).to.deep.equal(['bot_state', 'decisions', 'delivery_marks', 'feedback', 'form_values', 'reviews', 'schema_migrations', 'unanswered']);
    const second = await migrate(p);
    expect(second).to.deep.equal({ applied: [], version: first.version });
    expect(await applied(p)).to.deep.equal(migrations.map((m) => m.version));
  });

  it('applies each migration exactly once when several instances start together', async () => {
    const url = await cluster().createDatabase();
    const results = await Promise.all([1, 2, 3, 4].map(() => migrate(pool(url))));
    const appliedBy = results.map((r) => r.applied.length);
    // One instance did the work, the others waited for its lock and found everything done.
    expect(appliedBy.filter((n) => n > 0)).to.deep.equal([migrations.length]);
    expect(results.every((r) => r.version === migrations[migrations.length - 1].version)).to.equal(true);
    expect(await applied(pool(url))).to.deep.equal(migrations.map((m) => m.version));
  });

  it('applies only the new migrations of a later release', async () => {
    const p = pool(await cluster().createDatabase());
    await migrate(p, migrations.slice(0, 1));
    expect(await tables(p)).to.deep.equal(['bot_state', 'schema_migrations']);
    const later = await migrate(p);
    expect(later.applied).to.deep.equal(migrations.slice(1).map((m) => m.version));
  });

  it('leaves nothing behind when a migration fails', async () => {
    const p = pool(await cluster().createDatabase());
    const broken = [...migrations, { version: 999, name: 'broken', sql: 'CREATE TABLE half_done (x int); SELECT no_such_function();' }];
    let error: unknown;
    await migrate(p, broken).catch((e) => (error = e));
    expect(error).to.be.instanceOf(MigrationError);
    expect((error as Error).message).to.match(/migration 999 \(broken\) failed/);
    // The whole run was one transaction: not even the earlier, valid migrations were applied.
    expect(await tables(p)).to.deep.equal([]);
    expect((await migrate(p)).applied).to.deep.equal(migrations.map((m) => m.version));
  });

  it('migration 5 copies name, title and headline of a populated log into columns, and later appends fill them too', async () => {
    const p = pool(await cluster().createDatabase());
    await migrate(p, migrations.filter((m) => m.version <= 4));
    // Rows as the release before migration 5 wrote them: no name, title or headline columns yet.
    // Older logs may hold a person without a name.
    const nameless = sampleDecision(2, { operator: { id: 'u-anon' } as Person });
    const notCovered = sampleDecision(1, { outcome: { nodeId: 'nc', kind: 'notCovered', headline: 'Процедура не описывает это состояние' } });
    const earlier = [notCovered, nameless, sampleDecision(3, { procedureTitle: undefined, procedureId: 'call-termination', outcome: { nodeId: 'nc', kind: 'notCovered', headline: 'Не описано' } })];
    for (const d of earlier)
      await p.query(
        `INSERT INTO decisions (id, at, operator_id, procedure_id, kind, record, outcome_node, path_key) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, '')`,
        [d.id, d.at, d.operator.id, d.procedureId, d.outcome.kind, JSON.stringify(d), d.outcome.nodeId],
      );
    await p.query(`INSERT INTO feedback (decision_id, n, at, verdict, event) VALUES ($1, 0, $2, 'wrong', $3::jsonb)`, [
      nameless.id,
      '2026-03-10T10:00:00.000Z',
      JSON.stringify({ decisionId: nameless.id, at: '2026-03-10T10:00:00.000Z', by: { id: 'lead', name: 'Руководитель' }, verdict: 'wrong', comment: 'не та фраза' }),
    ]);
    const records = async () => (await p.query<{ id: string; record: unknown }>('SELECT id, record FROM decisions ORDER BY seq')).rows;
    const before = await records();

    expect((await migrate(p, migrations.filter((m) => m.version <= 5))).applied).to.deep.equal([5]);
    // Nothing stored changed; each earlier row has its copies ('' where the record holds none).
    expect((await records()).slice(0, earlier.length)).to.deep.equal(before);
    const copies = await p.query('SELECT id, operator_name, procedure_title, headline FROM decisions ORDER BY seq');
    expect(copies.rows).to.deep.equal([
      { id: 'dec-0001', operator_name: notCovered.operator.name, procedure_title: notCovered.procedureTitle, headline: 'Процедура не описывает это состояние' },
      { id: 'dec-0002', operator_name: '', procedure_title: nameless.procedureTitle, headline: nameless.outcome.headline },
      { id: 'dec-0003', operator_name: notCovered.operator.name, procedure_title: '', headline: 'Не описано' },
    ]);

    // A decision appended after the migration shows in the gap report with its name and title.
    const log = new PostgresDecisionLog(p);
    await log.append(sampleDecision(4, { operator: { id: 'u-bob', name: 'Боб' }, procedureTitle: 'Завершение звонка', outcome: { nodeId: 'nc2', kind: 'notCovered', headline: 'Не описано вовсе' } }));
    const gaps = await log.gapDecisions({});
    expect(gaps.map((g) => [g.id, g.operator.name, g.procedureTitle, g.headline, g.wrong.map((w) => `${w.by.name}: ${w.comment}`)])).to.deep.equal([
      ['dec-0001', notCovered.operator.name, notCovered.procedureTitle, 'Процедура не описывает это состояние', []],
      ['dec-0002', '', nameless.procedureTitle, nameless.outcome.headline, ['Руководитель: не та фраза']],
      ['dec-0003', notCovered.operator.name, '', 'Не описано', []],
      ['dec-0004', 'Боб', 'Завершение звонка', 'Не описано вовсе', []],
    ]);
  });

  it('migration 7 reads how the procedure was chosen from every decision already logged, none for those logged before it was recorded', async () => {
    const p = pool(await cluster().createDatabase());
    await migrate(p, migrations.filter((m) => m.version <= 6));
    const log = new PostgresDecisionLog(p);
    // Appended by the release before migration 7: records with and without the field.
    await log.append(sampleDecision(1));
    await log.append(sampleDecision(2, { foundBy: 'rescued' }));
    expect((await migrate(p)).applied).to.deep.equal([7]);
    await log.append(sampleDecision(3, { foundBy: 'rescued' }));
    expect((await p.query('SELECT id, found_by FROM decisions ORDER BY seq')).rows).to.deep.equal([
      { id: 'dec-0001', found_by: null },
      { id: 'dec-0002', found_by: 'rescued' },
      { id: 'dec-0003', found_by: 'rescued' },
    ]);
    expect((await log.query({ foundBy: 'rescued' }, { offset: 0, limit: 10 })).items.map((v) => v.id)).to.deep.equal(['dec-0003', 'dec-0002']);
    expect(await log.get('dec-0001')).to.not.have.property('foundBy');
  });

  it('waits for a migration that takes longer than a turn’s statement timeout', async () => {
    const p = createPool(await cluster().createDatabase(), { statementTimeoutMs: 200 });
    pools.push(p);
    const slow = [...migrations, { version: 999, name: 'slow', sql: 'SELECT pg_sleep(1.5)' }];
    expect((await migrate(p, slow)).applied).to.deep.equal(slow.map((m) => m.version));
  });

  it('fails fast with DatabaseUnavailableError when nothing listens at the URL', async () => {
    // Port 9 (discard) on 127.0.0.1: nothing listens there, the connection is refused at once.
    const p = pool('postgres://postgres:secret@127.0.0.1:9/none');
    let error: unknown;
    await migrate(p).catch((e) => (error = e));
    expect(error).to.be.instanceOf(DatabaseUnavailableError);
    expect((error as Error).message).to.not.include('secret');
  });
});
