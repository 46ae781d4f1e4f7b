import { expect } from 'chai';
import pg from 'pg';
import { DatabaseUnavailableError, MigrationError } from '../../src/bot/errors.js';
import { migrate, migrations } from '../../src/bot/infra/pg/migrations.js';
import { createPool } from '../../src/bot/infra/pg/pool.js';
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
    expect(await tables(p)).to.deep.equal(['bot_state', 'decisions', 'delivery_marks', 'feedback', 'form_values', 'reviews', 'schema_migrations']);
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

  it('fails fast with DatabaseUnavailableError when nothing listens at the URL', async () => {
    // Port 9 (discard) on 127.0.0.1: nothing listens there, the connection is refused at once.
    const p = pool('postgres://postgres:secret@127.0.0.1:9/none');
    let error: unknown;
    await migrate(p).catch((e) => (error = e));
    expect(error).to.be.instanceOf(DatabaseUnavailableError);
    expect((error as Error).message).to.not.include('secret');
  });
});
