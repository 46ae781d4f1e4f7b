import { expect } from 'chai';
import { MemoryStorage, TestAdapter, TurnContext, type Activity, type Storage } from 'botbuilder';
import type pg from 'pg';
import { OptimisticConversationState } from '../../src/bot/infra/pg/optimisticState.js';
import { migrate } from '../../src/bot/infra/pg/migrations.js';
import { createPool } from '../../src/bot/infra/pg/pool.js';
import { ETagConflictError, PostgresStorage } from '../../src/bot/infra/storage/postgresStorage.js';
import { usePostgres } from '../support/postgres.js';

const isConflict = (e: unknown) => e instanceof Error && /eTag conflict/.test(e.message);

async function conflictOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an eTag conflict, the write succeeded');
}

/** The Storage behaviours the bot relies on, run against MemoryStorage (the reference) and PostgreSQL. */
function storageContract(name: string, make: () => Storage) {
  describe(`Storage contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(() => {
      storage = make();
    });

    it('reads nothing for unknown keys, and back what was written, with an eTag', async () => {
      expect(await storage.read(['nope'])).to.deep.equal({});
      const item = { text: 'Привет «мир»', n: 42, ok: true, none: null, list: [1, 'два', { three: 3 }], nested: { deep: { er: 'x' } } };
      await storage.write({ k1: item });
      const read = await storage.read(['k1', 'nope']);
      expect(Object.keys(read)).to.deep.equal(['k1']);
      const { eTag, ...rest } = read.k1;
      expect(rest).to.deep.equal(item);
      expect(eTag).to.be.a('string').and.not.equal('');
    });

    it('writes with the current eTag and gives a new one', async () => {
      await storage.write({ k: { v: 1 } });
      const first = (await storage.read(['k'])).k;
      await storage.write({ k: { ...first, v: 2 } });
      const second = (await storage.read(['k'])).k;
      expect(second.v).to.equal(2);
      expect(second.eTag).to.not.equal(first.eTag);
    });

    it('refuses a write with a stale eTag and keeps the newer item', async () => {
      await storage.write({ k: { v: 1 } });
      const stale = (await storage.read(['k'])).k;
      await storage.write({ k: { ...stale, v: 2 } });
      const error = await conflictOf(storage.write({ k: { ...stale, v: 3 } }));
      expect(isConflict(error), error.message).to.equal(true);
      // botbuilder's wording (MemoryStorage); the PostgreSQL run prefixes its keys.
      expect(error.message).to.match(/^Storage: error writing "(t\d+\/)?k" due to eTag conflict\.$/);
      expect((await storage.read(['k'])).k.v).to.equal(2);
    });

    it('overwrites whatever is stored with eTag "*" or no eTag', async () => {
      await storage.write({ k: { v: 1 } });
      const stale = (await storage.read(['k'])).k;
      await storage.write({ k: { ...stale, v: 2 } });
      await storage.write({ k: { ...stale, v: 3, eTag: '*' } });
      expect((await storage.read(['k'])).k.v).to.equal(3);
      await storage.write({ k: { v: 4 } });
      expect((await storage.read(['k'])).k.v).to.equal(4);
    });

    it('creates a missing key on a conditional write', async () => {
      await storage.write({ fresh: { v: 1, eTag: 'some-etag' } });
      expect((await storage.read(['fresh'])).fresh.v).to.equal(1);
    });

    it('deletes keys; deleting a missing key is no error', async () => {
      await storage.write({ a: { v: 1 }, b: { v: 2 } });
      await storage.delete(['a', 'missing']);
      expect(Object.keys(await storage.read(['a', 'b']))).to.deep.equal(['b']);
    });

    it('loses no update when many writers increment one counter, retrying on conflict', async () => {
      await storage.write({ counter: { n: 0 } });
      const writers = 8;
      const increments = 15;
      const writer = async () => {
        for (let i = 0; i < increments; i++) {
          for (;;) {
            const current = (await storage.read(['counter'])).counter;
            try {
              await storage.write({ counter: { ...current, n: current.n + 1 } });
              break;
            } catch (e) {
              if (!isConflict(e)) throw e;
            }
          }
        }
      };
      await Promise.all(Array.from({ length: writers }, writer));
      expect((await storage.read(['counter'])).counter.n).to.equal(writers * increments);
    });
  });
}

storageContract('MemoryStorage (reference)', () => new MemoryStorage());

describe('PostgreSQL storage', function () {
  this.timeout(60_000);
  const cluster = usePostgres();
  const pools: pg.Pool[] = [];
  const newPool = async (url: string) => {
    const pool = createPool(url);
    pools.push(pool);
    return pool;
  };
  let url: string;
  let storage: PostgresStorage;

  before(async () => {
    url = await cluster().createDatabase();
    await migrate(await newPool(url));
    storage = new PostgresStorage(await newPool(url));
  });
  after(async () => {
    await Promise.all(pools.map((p) => p.end()));
  });

  let keyspace = 0;
  // Each contract test gets its own key prefix on the shared database.
  storageContract('PostgresStorage', () => {
    const prefix = `t${++keyspace}/`;
    const re = (items: Record<string, any>) => Object.fromEntries(Object.entries(items).map(([k, v]) => [k.slice(prefix.length), v]));
    return {
      read: async (keys: string[]) => re(await storage.read(keys.map((k) => prefix + k))),
      write: (changes: Record<string, any>) => storage.write(Object.fromEntries(Object.entries(changes).map(([k, v]) => [prefix + k, v]))),
      delete: (keys: string[]) => storage.delete(keys.map((k) => prefix + k)),
    };
  });

  it('throws a typed ETagConflictError naming the key', async () => {
    await storage.write({ typed: { v: 1 } });
    const stale = (await storage.read(['typed'])).typed;
    await storage.write({ typed: { ...stale, v: 2 } });
    const error = await conflictOf(storage.write({ typed: { ...stale, v: 3 } }));
    expect(error).to.be.instanceOf(ETagConflictError);
    expect((error as ETagConflictError).key).to.equal('typed');
  });

  it('writes several keys all or nothing', async () => {
    await storage.write({ 'multi/a': { v: 1 }, 'multi/b': { v: 1 } });
    const a = (await storage.read(['multi/a']))['multi/a'];
    const b = (await storage.read(['multi/b']))['multi/b'];
    await storage.write({ 'multi/b': { ...b, v: 2 } });
    await conflictOf(storage.write({ 'multi/a': { ...a, v: 9 }, 'multi/b': { ...b, v: 9 } }));
    const after = await storage.read(['multi/a', 'multi/b']);
    expect([after['multi/a'].v, after['multi/b'].v]).to.deep.equal([1, 2]);
  });

  it('lets exactly one of two instances win the same eTag, and one of two creators of a new key', async () => {
    const other = new PostgresStorage(await newPool(url));
    await storage.write({ race: { v: 0 } });
    for (let round = 0; round < 10; round++) {
      const current = (await storage.read(['race'])).race;
      const results = await Promise.allSettled([storage.write({ race: { ...current, v: `a${round}` } }), other.write({ race: { ...current, v: `b${round}` } })]);
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).to.be.instanceOf(ETagConflictError);
      const winner = results[0].status === 'fulfilled' ? `a${round}` : `b${round}`;
      expect((await other.read(['race'])).race.v).to.equal(winner);
    }
    const created = await Promise.allSettled([storage.write({ newborn: { by: 'a', eTag: 'absent' } }), other.write({ newborn: { by: 'b', eTag: 'absent' } })]);
    expect(created.filter((r) => r.status === 'fulfilled')).to.have.length(1);
  });

  it('keeps increments of writers on two instances (pools) with retries', async () => {
    const stores = [storage, new PostgresStorage(await newPool(url))];
    await storage.write({ shared: { n: 0 } });
    const increments = 12;
    const writer = async (s: PostgresStorage) => {
      for (let i = 0; i < increments; i++)
        for (;;) {
          const current = (await s.read(['shared'])).shared;
          try {
            await s.write({ shared: { ...current, n: current.n + 1 } });
            break;
          } catch (e) {
            if (!(e instanceof ETagConflictError)) throw e;
          }
        }
    };
    await Promise.all([...stores, ...stores, ...stores].map(writer));
    expect((await storage.read(['shared'])).shared.n).to.equal(6 * increments);
  });

  describe('OptimisticConversationState (two instances, one conversation)', () => {
    const activity = (conversation: string): Partial<Activity> => ({
      type: 'message',
      channelId: 'msteams',
      conversation: { id: conversation } as Activity['conversation'],
      from: { id: 'u1', name: 'Оператор' },
      recipient: { id: 'bot', name: 'bot' },
      text: 'x',
    });
    const contextFor = (conversation: string) => new TurnContext(new TestAdapter(), activity(conversation));

    it('refuses the slower of two turns that read the same state; the faster one is kept whole', async () => {
      const [a, b] = [new OptimisticConversationState(storage), new OptimisticConversationState(new PostgresStorage(await newPool(url)))];
      const setup = contextFor('c-opt');
      const counter = a.createProperty<{ steps: string[] }>('dialog');
      await counter.set(setup, { steps: ['start'] });
      await a.saveChanges(setup);

      const [ta, tb] = [contextFor('c-opt'), contextFor('c-opt')];
      const pa = a.createProperty<{ steps: string[] }>('dialog');
      const pb = b.createProperty<{ steps: string[] }>('dialog');
      const sa = await pa.get(ta);
      const sb = await pb.get(tb);
      await pa.set(ta, { steps: [...sa!.steps, 'a'] });
      await pb.set(tb, { steps: [...sb!.steps, 'b'] });
      await a.saveChanges(ta);
      const error = await conflictOf(b.saveChanges(tb));
      expect(error).to.be.instanceOf(ETagConflictError);

      const check = contextFor('c-opt');
      expect(await pa.get(check)).to.deep.equal({ steps: ['start', 'a'] });
    });

    it('refuses the second of two turns that both started a new conversation', async () => {
      const [a, b] = [new OptimisticConversationState(storage), new OptimisticConversationState(new PostgresStorage(await newPool(url)))];
      const [ta, tb] = [contextFor('c-new'), contextFor('c-new')];
      const pa = a.createProperty<string>('who');
      const pb = b.createProperty<string>('who');
      await pa.get(ta);
      await pb.get(tb);
      await pa.set(ta, 'a');
      await pb.set(tb, 'b');
      await a.saveChanges(ta);
      expect(await conflictOf(b.saveChanges(tb))).to.be.instanceOf(ETagConflictError);
      expect(await pa.get(contextFor('c-new'))).to.equal('a');
    });

    it('writes nothing for an unchanged state, and saves twice in one turn against its own eTag', async () => {
      const a = new OptimisticConversationState(storage);
      const t = contextFor('c-twice');
      const p = a.createProperty<number>('n');
      await p.set(t, 1);
      await a.saveChanges(t);
      const eTag = (await storage.read(['msteams/conversations/c-twice/']))['msteams/conversations/c-twice/'].eTag;
      await a.saveChanges(t);
      expect((await storage.read(['msteams/conversations/c-twice/']))['msteams/conversations/c-twice/'].eTag).to.equal(eTag);
      await p.set(t, 2);
      await a.saveChanges(t);
      expect(await p.get(contextFor('c-twice'))).to.equal(2);
    });
  });
});
