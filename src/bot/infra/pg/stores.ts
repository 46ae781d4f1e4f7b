import type pg from 'pg';
import { PostgresDecisionLog } from '../decisionLog/postgresDecisionLog.js';
import { PostgresStorage } from '../storage/postgresStorage.js';
import { migrate } from './migrations.js';
import { OptimisticConversationState } from './optimisticState.js';
import { createPool, describeDatabaseUrl, ping, type PoolOptions } from './pool.js';

/** Everything the bot keeps in PostgreSQL when DATABASE_URL is set, over one pool. */
export interface PostgresStores {
  pool: pg.Pool;
  storage: PostgresStorage;
  conversationState: OptimisticConversationState;
  decisions: PostgresDecisionLog;
  /** For the start log: `PostgreSQL at host:port/db` (no credentials). */
  description: string;
  /** Creates or migrates the schema; call before serving. */
  start(): Promise<void>;
  /** Whether the database answers now (for /healthz). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Connects lazily: nothing touches the database until {@link PostgresStores.start}. `decisionLogSync`
 * `deferred` (DECISION_LOG_SYNC) makes the sessions commit with `synchronous_commit = off`, the
 * embedded log's guarantee: conversation state rides along, as the embedded state files are not synced either.
 */
export function openPostgresStores(url: string, options: PoolOptions & { decisionLogSync?: 'deferred' | 'strict' } = {}): PostgresStores {
  const { decisionLogSync, ...poolOptions } = options;
  const pool = createPool(url, { ...poolOptions, ...(decisionLogSync === 'deferred' ? { synchronousCommit: 'off' as const } : {}) });
  const storage = new PostgresStorage(pool);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await pool.end();
  };
  return {
    pool,
    storage,
    conversationState: new OptimisticConversationState(storage),
    decisions: new PostgresDecisionLog(pool),
    description: describeDatabaseUrl(url),
    start: async () => {
      try {
        await migrate(pool);
      } catch (e) {
        // The app will not serve: leave no connection (or retry timer) behind.
        await close();
        throw e;
      }
    },
    healthy: () => ping(pool),
    close,
  };
}
