import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { startApp } from './http.js';

/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` in a temporary directory,
 * `pg_ctl start` on a free port on 127.0.0.1 (unix socket in that directory, trust auth), removed
 * afterwards. Uses the Debian binaries (/usr/lib/postgresql/<version>/bin); as root they run as the
 * unprivileged `postgres` user, since the server refuses to run as root.
 */

const run = promisify(execFile);

export interface PostgresCluster {
  port: number;
  /** The temporary directory: data/, the unix socket and postgres.log. */
  dir: string;
  /** A URL for database `db` on this cluster (optionally with a password, which trust auth ignores). */
  url(db?: string, password?: string): string;
  /** Creates a new empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** `pg_ctl stop -m fast`: the database is down, connections are cut. */
  stop(): Promise<void>;
  /** Starts the stopped cluster again on the same port. */
  start(): Promise<void>;
  /** Stops the server and removes the directory. */
  destroy(): Promise<void>;
}

/** The directory holding initdb and pg_ctl (PG_BIN_DIR, or the newest Debian version), if any. */
export function postgresBinDir(): string | undefined {
  const candidates: string[] = [];
  if (process.env.PG_BIN_DIR) candidates.push(process.env.PG_BIN_DIR);
  if (existsSync('/usr/lib/postgresql'))
    for (const v of readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

const isRoot = () => process.getuid?.() === 0;

/** The command prefix that runs a PostgreSQL binary as a user the server accepts. */
function asServerUser(): string[] {
  if (!isRoot()) return [];
  if (!existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) throw new Error('running as root needs runuser (util-linux) to start PostgreSQL as the postgres user');
  return ['runuser', '-u', 'postgres', '--'];
}

async function pgExec(bin: string, args: string[]): Promise<string> {
  const [cmd, ...prefix] = [...asServerUser(), bin];
  try {
    // A directory the server user can enter (it may not read the checkout).
    const { stdout } = await run(cmd, [...prefix, ...args], { timeout: 120_000, cwd: tmpdir() });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${bin} ${args.join(' ')} failed: ${err.stderr || err.stdout || err.message}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Clusters not destroyed yet: stopped on exit if a run is interrupted. */
const live = new Map<string, () => void>();
process.once('exit', () => {
  for (const kill of live.values()) kill();
});

let dbSeq = 0;

/** Initializes and starts a cluster. Throws if no binaries are found (see {@link postgresBinDir}). */
export async function startPostgres(binDir = postgresBinDir()): Promise<PostgresCluster> {
  if (!binDir) throw new Error('no PostgreSQL binaries (initdb, pg_ctl) found: apt-get install -y postgresql, or set PG_BIN_DIR');
  const dir = mkdtempSync(join(tmpdir(), 'oa-pg-'));
  if (isRoot()) {
    let ids: number[];
    try {
      ids = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()));
    } catch {
      rmSync(dir, { recursive: true, force: true });
      throw new Error('running as root needs the "postgres" user (the Debian postgresql package creates it) to run the server as');
    }
    chownSync(dir, ids[0], ids[1]);
  }
  const data = join(dir, 'data');
  const pgCtl = join(binDir, 'pg_ctl');
  await pgExec(join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  // Durability is pointless for a throwaway cluster; only 127.0.0.1 and a socket in our directory.
  const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = () => pgExec(pgCtl, ['-D', data, '-l', join(dir, 'postgres.log'), '-w', '-t', '60', '-o', serverOptions, 'start']).then(() => undefined);
  const stop = () => pgExec(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']).then(() => undefined);
  try {
    await start();
  } catch (e) {
    const log = existsSync(join(dir, 'postgres.log')) ? readFileSync(join(dir, 'postgres.log'), 'utf8').slice(-2000) : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}\n${log}`);
  }
  live.set(dir, () => {
    try {
      const [cmd, ...prefix] = [...asServerUser(), pgCtl];
      execFileSync(cmd, [...prefix, '-D', data, '-m', 'immediate', 'stop'], { stdio: 'ignore' });
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  });

  let running = true;
  const url = (db = 'postgres', password?: string) => `postgres://postgres${password ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/${db}`;
  return {
    port,
    dir,
    url,
    async createDatabase(name = `oa_test_${process.pid}_${++dbSeq}`) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await stop().catch(() => undefined);
      running = false;
      live.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For a mocha describe(): a cluster for its tests, removed after them. Without PostgreSQL binaries
 * the suite is skipped with the reason printed, except in CI (CI set), where that is a failure.
 */
export function usePostgres(): () => PostgresCluster {
  let cluster: PostgresCluster | undefined;
  before(async function () {
    this.timeout(120_000);
    const bin = postgresBinDir();
    if (!bin) {
      const reason = 'no PostgreSQL binaries in /usr/lib/postgresql/*/bin (apt-get install -y postgresql, or set PG_BIN_DIR)';
      if (process.env.CI) throw new Error(`PostgreSQL tests cannot run in CI: ${reason}`);
      console.log(`      skipping PostgreSQL tests: ${reason}`);
      this.skip();
    }
    cluster = await startPostgres(bin);
  });
  after(async function () {
    this.timeout(60_000);
    await cluster?.destroy();
  });
  return () => {
    if (!cluster) throw new Error('the PostgreSQL cluster is not running (used outside a test?)');
    return cluster;
  };
}

/**
 * Benchmark hook: `n` bot instances (the real server, each on its own free port) sharing one
 * database. Close them with `Promise.all(apps.map((a) => a.close()))`.
 */
export async function startInstances(n: number, databaseUrl: string, env: Record<string, string> = {}, now?: () => Date) {
  const apps: Awaited<ReturnType<typeof startApp>>[] = [];
  try {
    for (let i = 0; i < n; i++) apps.push(await startApp({ ...env, DATABASE_URL: databaseUrl }, now));
  } catch (e) {
    await Promise.all(apps.map((a) => a.close()));
    throw e;
  }
  return apps;
}
