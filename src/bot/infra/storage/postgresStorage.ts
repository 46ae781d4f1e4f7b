import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import type pg from 'pg';
import { randomToken } from '../../../randomToken.js';
import { query, transaction } from '../pg/pool.js';

/** A write lost the optimistic-concurrency race: the item changed since it was read. */
export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    // The same message botbuilder's MemoryStorage uses for a stale eTag.
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'ETagConflictError';
  }
}

/** A Storage that also says which eTag each write produced (see OptimisticConversationState). */
export interface VersionedStorage extends Storage {
  /** Like `write`; resolves to the new eTag of every written key. */
  writeVersioned(changes: StoreItems): Promise<Record<string, string>>;
}

const newETag = () => randomToken(8, 'hex');

// Conditional write in one statement: update if the stored eTag still matches; else insert if the
// key does not exist; else nothing (a conflict). Row locks and ON CONFLICT make it safe across
// instances: of two writers holding the same eTag exactly one gets a row back.
const CONDITIONAL = `
  WITH upd AS (
    UPDATE bot_state SET etag = $3, item = $2::json, updated_at = now() WHERE key = $1 AND etag = $4 RETURNING 1
  ), ins AS (
    INSERT INTO bot_state (key, etag, item) SELECT $1, $3, $2::json WHERE NOT EXISTS (SELECT 1 FROM upd)
    ON CONFLICT (key) DO NOTHING RETURNING 1
  )
  SELECT (SELECT count(*) FROM upd) + (SELECT count(*) FROM ins) AS written`;
const OVERWRITE = `
  INSERT INTO bot_state (key, etag, item) VALUES ($1, $3, $2::json)
  ON CONFLICT (key) DO UPDATE SET etag = EXCLUDED.etag, item = EXCLUDED.item, updated_at = now()`;

/**
 * botbuilder `Storage` in PostgreSQL (table bot_state, one row per key), shared by any number of
 * bot instances. eTags follow MemoryStorage: a write with a stale eTag throws
 * {@link ETagConflictError}; `*` or no eTag overwrites; a conditional write of a missing key creates
 * it. The check is done by the database, not in memory. A write of several keys is one transaction.
 */
export class PostgresStorage implements VersionedStorage {
  constructor(private readonly pool: pg.Pool) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    const { rows } = await query<{ key: string; etag: string; item: StoreItem }>(this.pool, 'SELECT key, etag, item FROM bot_state WHERE key = ANY($1::text[])', [keys]);
    for (const row of rows) items[row.key] = { ...row.item, eTag: row.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await this.writeVersioned(changes);
  }

  async writeVersioned(changes: StoreItems): Promise<Record<string, string>> {
    const entries = Object.entries(changes);
    const eTags: Record<string, string> = {};
    const writeAll = async (run: (text: string, values: unknown[]) => Promise<pg.QueryResult>) => {
      for (const [key, change] of entries) {
        const { eTag, ...item } = (change ?? {}) as StoreItem;
        const next = newETag();
        const conditional = typeof eTag === 'string' && eTag !== '' && eTag !== '*';
        const values = [key, JSON.stringify(item), next, ...(conditional ? [eTag] : [])];
        const result = await run(conditional ? CONDITIONAL : OVERWRITE, values);
        if (conditional && Number(result.rows[0].written) !== 1) throw new ETagConflictError(key);
        eTags[key] = next;
      }
    };
    if (entries.length === 1) await writeAll((text, values) => query(this.pool, text, values));
    else if (entries.length > 1) await transaction(this.pool, (client) => writeAll((text, values) => client.query(text, values)));
    return eTags;
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await query(this.pool, 'DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys]);
  }
}
