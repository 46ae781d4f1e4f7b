import { expect } from 'chai';
import { readConfig } from '../../src/bot/config.js';
import { ConfigError, DatabaseUnavailableError } from '../../src/bot/errors.js';
import { describeDatabaseUrl, isUnavailable } from '../../src/bot/infra/pg/pool.js';
import { refusalFor, refusalTexts } from '../../src/bot/infra/pg/turnRefusal.js';
import { ETagConflictError } from '../../src/bot/infra/storage/postgresStorage.js';

describe('PostgreSQL settings and error handling (no database needed)', () => {
  it('accepts postgres:// and postgresql:// URLs in DATABASE_URL; unset keeps lowdb', () => {
    expect(readConfig({}).databaseUrl).to.equal(undefined);
    expect(readConfig({ DATABASE_URL: '  ' }).databaseUrl).to.equal(undefined);
    expect(readConfig({ DATABASE_URL: 'postgres://bot:pw@db:5432/assistant' }).databaseUrl).to.equal('postgres://bot:pw@db:5432/assistant');
    expect(readConfig({ DATABASE_URL: 'postgresql://db/assistant?sslmode=require' }).databaseUrl).to.equal('postgresql://db/assistant?sslmode=require');
  });

  it('refuses any other DATABASE_URL without echoing it (it may hold a password)', () => {
    for (const bad of ['mysql://bot:hunter2@db/x', 'hunter2', 'http://bot:hunter2@db/x']) {
      let error: unknown;
      try {
        readConfig({ DATABASE_URL: bad });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as Error).message).to.include('DATABASE_URL must be a postgres:// or postgresql:// URL');
      expect((error as Error).message).to.not.include('hunter2');
    }
  });

  it('describes the database for logs as host:port/db, never with user or password', () => {
    expect(describeDatabaseUrl('postgres://bot:s3cret@db.internal:6543/assistant')).to.equal('PostgreSQL at db.internal:6543/assistant');
    expect(describeDatabaseUrl('postgresql://bot:s3cret@db.internal/assistant?sslmode=require')).to.equal('PostgreSQL at db.internal:5432/assistant');
    expect(describeDatabaseUrl('postgres:///assistant?host=/var/run/postgresql')).to.equal('PostgreSQL at /var/run/postgresql:5432/assistant');
    expect(describeDatabaseUrl('postgres://bot:s3cret@db')).to.not.include('s3cret');
  });

  it('tells "database unavailable" from other errors', () => {
    const coded = (code: string) => Object.assign(new Error('x'), { code });
    for (const e of [coded('ECONNREFUSED'), coded('08006'), coded('57P01'), coded('57P03'), coded('57014'), new Error('Connection terminated unexpectedly'), new Error('timeout exceeded when trying to connect')])
      expect(isUnavailable(e), String((e as { code?: string }).code ?? e.message)).to.equal(true);
    for (const e of [coded('23505'), coded('42P01'), new Error('decision d1 is already logged'), null, 'text']) expect(isUnavailable(e)).to.equal(false);
  });

  it('turns storage refusals, also wrapped by a dialog, into the polite replies, and nothing else', () => {
    const unavailable = new DatabaseUnavailableError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    expect(refusalFor(unavailable)?.text).to.equal(refusalTexts.unavailable);
    expect(refusalFor(new ETagConflictError('msteams/conversations/c/'))?.text).to.equal(refusalTexts.conflict);
    // botbuilder-dialogs' DialogContextError keeps the original in `.error`.
    expect(refusalFor(Object.assign(new Error('wrapped'), { error: unavailable }))?.text).to.equal(refusalTexts.unavailable);
    expect(refusalFor(new Error('boom'))).to.equal(undefined);
    expect(refusalTexts.unavailable).to.equal('Сервис временно недоступен, повторите через минуту.');
    expect(refusalTexts.conflict).to.include('повторите');
  });
});
