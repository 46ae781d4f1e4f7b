import pg from 'pg';
import { DatabaseUnavailableError } from '../../errors.js';

/**
 * The PostgreSQL connection pool and the few helpers every PostgreSQL store uses: queries and
 * transactions that turn "the database cannot be reached" into one typed error, and a health probe.
 */

export interface PoolOptions {
  /** Giving up on a new connection (database down or unreachable). Default 2 s. */
  connectTimeoutMs?: number;
  /** Server-side limit for one statement. Default 5 s. */
  statementTimeoutMs?: number;
  /** Most connections this process opens. Default 10. */
  max?: number;
  /** Errors of idle connections (the database went away between turns). Default: ignored. */
  log?: (line: string) => void;
  /**
   * `off`: the sessions commit with `synchronous_commit = off` (a commit returns before its WAL is
   * flushed; the WAL writer flushes it within 3 × `wal_writer_delay`, 200 ms by default): the bot's
   * `DECISION_LOG_SYNC=deferred`. Default: the server's setting.
   */
  synchronousCommit?: 'off';
}

// ENOENT: a unix-socket URL whose socket is not there (server down).
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ENOENT']);
const unavailableMessages = /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed)/;

/**
 * Whether an error means "no usable database right now" rather than a bug: network errors, SQLSTATE
 * class 08 (connection exception), 57P01-57P03 (shutdown, crash, starting up), 53300 (too many
 * connections), 57014 (statement timeout) and 55P03 (lock timeout).
 */
export function isUnavailable(e: unknown): boolean {
  if (e instanceof DatabaseUnavailableError) return true;
  const err = e as { code?: unknown; message?: unknown } | null;
  if (!err || typeof err !== 'object') return false;
  const code = typeof err.code === 'string' ? err.code : '';
  if (networkCodes.has(code) || code.startsWith('08') || ['57P01', '57P02', '57P03', '53300', '57014', '55P03'].includes(code)) return true;
  return typeof err.message === 'string' && unavailableMessages.test(err.message);
}

const wrap = (e: unknown): unknown => (isUnavailable(e) && !(e instanceof DatabaseUnavailableError) ? new DatabaseUnavailableError(e) : e);

/** A pool for DATABASE_URL with short timeouts, so turns fail fast while the database is down. */
export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const statementTimeout = options.statementTimeoutMs ?? 5000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
    statement_timeout: statementTimeout,
    lock_timeout: statementTimeout,
    // A hung network (no RST) would otherwise wait for TCP: the client gives up a bit after the server would.
    query_timeout: statementTimeout + 1000,
    idle_in_transaction_session_timeout: 30_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'operator-assistant',
    // JIT compiles a query that scans many rows (the team-lead views over 100,000 decisions) for
    // longer than running it takes: seconds instead of tens of milliseconds.
    options: `-c jit=off${options.synchronousCommit ? ` -c synchronous_commit=${options.synchronousCommit}` : ''}`,
  });
  // An idle connection dropped by the server (restart, failover) emits 'error' on the pool; without a
  // listener Node would crash the process. The pool has already discarded that connection.
  pool.on('error', (e) => options.log?.(`PostgreSQL: an idle connection was closed: ${e.message}`));
  return pool;
}

/** One parameterized statement; a lost database becomes {@link DatabaseUnavailableError}. */
export async function query<R extends pg.QueryResultRow = any>(pool: pg.Pool, text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
  try {
    return await pool.query<R>(text, values);
  } catch (e) {
    throw wrap(e);
  }
}

/**
 * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it
 * throws, so a write spanning several tables is all or nothing. A connection that failed is
 * destroyed rather than returned to the pool.
 */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    throw wrap(e);
  }
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    if (isUnavailable(e)) broken = e as Error;
    else await client.query('ROLLBACK').catch((r: Error) => (broken = r));
    throw wrap(e);
  } finally {
    client.release(broken);
  }
}

/** true when a trivial query answers within the timeouts. */
export async function ping(pool: pg.Pool): Promise<boolean> {
  try {
    await pool.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/**
 * Where DATABASE_URL points, for logs: `PostgreSQL at host:port/db`, never the user or password.
 * A socket directory given as `?host=/path` is shown as the host.
 */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname || u.searchParams.get('host') || 'localhost';
    const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default database)';
    return `PostgreSQL at ${host}:${u.port || '5432'}/${db}`;
  } catch {
    return 'PostgreSQL (unparsable DATABASE_URL)';
  }
}
