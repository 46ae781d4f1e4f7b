/**
 * npm run migrate:lowdb-to-pg — copies a lowdb DATA_DIR into PostgreSQL:
 *   DATA_DIR/state/*.json      → bot_state (conversation and user state, eTags kept)
 *   DATA_DIR/decisions/*.jsonl → decisions, feedback, reviews, form_values, delivery_marks, unanswered
 *     (every kind of line the JSON Lines log holds: decisions, feedback, reviews, form values,
 *     delivery marks and unanswered questions)
 *
 *   DATA_DIR=./data DATABASE_URL=postgres://user:password@host:5432/db npm run migrate:lowdb-to-pg [-- --overwrite-state]
 *
 * Nothing in DATA_DIR is changed. Idempotent: state rows already in PostgreSQL are kept (with
 * --overwrite-state, ones that differ from DATA_DIR are replaced), decisions and unanswered questions
 * are skipped by id and events by their position within their decision, so a second run copies only
 * what is new. Ends with a check: per-table counts and a SHA-256 of the copied records read back
 * from both sides; exit code 1 when they differ. Stop the lowdb bot first (or run again after stopping it).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from '../src/bot/config.js';
import { ConfigError, isStartupProblem } from '../src/bot/errors.js';
import { JsonlDecisionLog } from '../src/bot/infra/decisionLog/jsonlDecisionLog.js';
import { addEntry, noCounts, PostgresDecisionLog } from '../src/bot/infra/decisionLog/postgresDecisionLog.js';
import type { DecisionEntry } from '../src/domain/decisions.js';
import { migrate } from '../src/bot/infra/pg/migrations.js';
import { createPool, describeDatabaseUrl, query } from '../src/bot/infra/pg/pool.js';
import { LowdbStorage } from '../src/bot/infra/storage/lowdbStorage.js';

const BATCH = 500;

/** JSON with object keys sorted, so both sides hash alike whatever order a store keeps keys in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonical(x))).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** Progress on stderr for inputs of more than one batch: at most once a second, and once when done. */
function progress(label: string, total: number) {
  let last = 0;
  let finished = false;
  return (done: number) => {
    const now = Date.now();
    if (total <= BATCH || finished || (done < total && now - last < 1000)) return;
    last = now;
    finished = done >= total;
    const line = `  ${label}: ${done}/${total} (${Math.floor((done / total) * 100)}%)`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${finished ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  };
}

interface StateDoc {
  key: string;
  eTag: string;
  item: Record<string, unknown>;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--overwrite-state');
  if (unknown.length) throw new ConfigError([`unknown argument(s): ${unknown.join(' ')} (the only option is --overwrite-state)`]);
  const overwriteState = args.includes('--overwrite-state');
  // Only the two settings this tool needs; the bot's other variables are not its business.
  const config = readConfig({ DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL });
  if (!config.databaseUrl) throw new ConfigError(['DATABASE_URL is not set: where should DATA_DIR be copied to?']);
  if (!existsSync(config.dataDir)) throw new ConfigError([`DATA_DIR ${config.dataDir} does not exist`]);

  console.log(`Copying ${config.dataDir} → ${describeDatabaseUrl(config.databaseUrl)}`);
  console.log('  conversation state; decisions with their feedback, reviews, form values and delivery marks; unanswered questions');
  // Bulk statements may take longer than a turn's; connecting must still fail fast.
  const pool = createPool(config.databaseUrl, { statementTimeoutMs: 300_000, max: 2 });
  try {
    const schema = await migrate(pool);
    console.log(`schema: version ${schema.version}${schema.applied.length ? ` (applied ${schema.applied.join(', ')})` : ' (up to date)'}`);

    // ---- state: lowdb documents, checked by LowdbStorage first (a broken file stops everything) ----
    const stateDir = join(config.dataDir, 'state');
    const stateFiles = existsSync(stateDir) ? readdirSync(stateDir).filter((f) => f.endsWith('.json')).sort() : [];
    if (stateFiles.length) new LowdbStorage(stateDir).verify();
    const state = { read: 0, copied: 0, same: 0, differ: 0, replaced: 0, sourceHash: createHash('sha256'), targetHash: createHash('sha256'), inTarget: 0 };
    const differing: string[] = [];
    const stateProgress = progress('state documents', stateFiles.length);
    for (let i = 0; i < stateFiles.length; i += BATCH) {
      // verify() has checked each file is a {key, eTag, item} document for its own key.
      const docs = stateFiles
        .slice(i, i + BATCH)
        .map((f) => JSON.parse(readFileSync(join(stateDir, f), 'utf8')) as StateDoc | null)
        .filter((d): d is StateDoc => d !== null);
      state.read += docs.length;
      const { rows } = await query<{ copied: string; same: string; differ: string[] | null }>(
        pool,
        `WITH src AS (SELECT x->>'key' AS key, x->>'eTag' AS etag, x->'item' AS item FROM json_array_elements($1::json) AS x),
         ins AS (INSERT INTO bot_state (key, etag, item) SELECT key, etag, item FROM src ON CONFLICT (key) DO NOTHING RETURNING key)
         SELECT (SELECT count(*) FROM ins) AS copied,
                (SELECT count(*) FROM src JOIN bot_state b USING (key) WHERE b.etag = src.etag AND b.item::jsonb = src.item::jsonb) AS same,
                (SELECT array_agg(src.key) FROM src JOIN bot_state b USING (key) WHERE NOT (b.etag = src.etag AND b.item::jsonb = src.item::jsonb)) AS differ`,
        [JSON.stringify(docs)],
      );
      state.copied += Number(rows[0].copied);
      state.same += Number(rows[0].same);
      const differ = rows[0].differ ?? [];
      state.differ += differ.length;
      if (differ.length && overwriteState) {
        const replace = docs.filter((d) => differ.includes(d.key));
        await query(
          pool,
          `UPDATE bot_state b SET etag = x->>'eTag', item = x->'item', updated_at = now() FROM json_array_elements($1::json) AS x WHERE b.key = x->>'key'`,
          [JSON.stringify(replace)],
        );
        state.replaced += replace.length;
      } else differing.push(...differ);
      // The check reads the rows back: what is in PostgreSQL now, not what was sent.
      const back = await query<{ key: string; etag: string; item: unknown }>(pool, 'SELECT key, etag, item FROM bot_state WHERE key = ANY($1::text[])', [docs.map((d) => d.key)]);
      const byKey = new Map(back.rows.map((r) => [r.key, r]));
      state.inTarget += back.rows.length;
      for (const d of docs) {
        state.sourceHash.update(canonical({ key: d.key, eTag: d.eTag, item: d.item }) + '\n');
        const r = byKey.get(d.key);
        state.targetHash.update((r ? canonical({ key: r.key, eTag: r.etag, item: r.item }) : 'missing') + '\n');
      }
      stateProgress(Math.min(i + BATCH, stateFiles.length));
    }
    console.log(
      `state: ${state.read} documents read; ${state.copied} copied, ${state.same} already there` +
        (state.differ ? `, ${state.differ} differ in PostgreSQL (${overwriteState ? `${state.replaced} replaced` : 'kept; --overwrite-state replaces them'})` : ''),
    );

    // ---- decisions: read with the JSON Lines log's own loader, oldest first ----
    const decisionsDir = join(config.dataDir, 'decisions');
    const source = existsSync(decisionsDir) ? JsonlDecisionLog.open(decisionsDir, { log: (line) => console.warn(line) }) : undefined;
    const target = new PostgresDecisionLog(pool);
    const src = noCounts();
    const copied = noCounts();
    const inTarget = noCounts();
    const sourceHash = createHash('sha256');
    const targetHash = createHash('sha256');
    const unanswered = { read: 0, copied: 0, inTarget: 0, total: 0, sourceHash: createHash('sha256'), targetHash: createHash('sha256') };
    try {
      const total = source?.size ?? 0;
      const decisionProgress = progress('decisions', total);
      let batch: DecisionEntry[] = [];
      const flush = async () => {
        if (!batch.length) return;
        const added = await target.importBatch(batch);
        for (const k of Object.keys(copied) as (keyof typeof copied)[]) copied[k] += added[k];
        const back = new Map((await target.entries(batch.map((b) => b.record.id))).map((e) => [e.record.id, e]));
        for (const b of batch) {
          sourceHash.update(canonical(b) + '\n');
          const e = back.get(b.record.id);
          targetHash.update((e ? canonical(e) : 'missing') + '\n');
          if (e) addEntry(inTarget, e);
        }
        decisionProgress(src.decisions);
        batch = [];
      };
      if (source)
        for await (const entry of source.entries()) {
          batch.push(entry);
          addEntry(src, entry);
          if (batch.length >= BATCH) await flush();
        }
      await flush();
      decisionProgress(total);
      // Unanswered questions: few beside decisions, each kept once by id however often this runs.
      const sourceUnanswered = (await source?.unanswered({})) ?? [];
      const before = (await target.counts()).unanswered;
      for (const u of sourceUnanswered) await target.addUnanswered(u);
      // Read back in full: each copy is checked against its source below.
      const targetUnanswered = new Map((await target.unanswered({})).map((u) => [u.id, u]));
      unanswered.read = sourceUnanswered.length;
      unanswered.total = (await target.counts()).unanswered;
      unanswered.copied = unanswered.total - before;
      for (const u of sourceUnanswered) {
        const back = targetUnanswered.get(u.id);
        if (back) unanswered.inTarget++;
        unanswered.sourceHash.update(canonical(u) + '\n');
        unanswered.targetHash.update((back ? canonical(back) : 'missing') + '\n');
      }
    } finally {
      await source?.close();
    }
    console.log(
      `decisions: ${src.decisions} read; ${copied.decisions} copied, ${src.decisions - copied.decisions} already there; ` +
        `events copied: feedback ${copied.feedback}, reviews ${copied.reviews}, form values ${copied.formValues}, delivery marks ${copied.deliveries}`,
    );
    console.log(`unanswered questions: ${unanswered.read} read; ${unanswered.copied} copied, ${unanswered.read - unanswered.copied} already there`);

    // ---- check ----
    const totals = await target.counts();
    const stateTotal = Number((await query<{ n: string }>(pool, 'SELECT count(*) AS n FROM bot_state')).rows[0].n);
    const rows: [string, number, number, number][] = [
      ['bot_state', state.read, state.inTarget, stateTotal],
      ['decisions', src.decisions, inTarget.decisions, totals.decisions],
      ['feedback', src.feedback, inTarget.feedback, totals.feedback],
      ['reviews', src.reviews, inTarget.reviews, totals.reviews],
      ['form_values', src.formValues, inTarget.formValues, totals.formValues],
      ['delivery_marks', src.deliveries, inTarget.deliveries, totals.deliveries],
      ['unanswered', unanswered.read, unanswered.inTarget, unanswered.total],
    ];
    console.log('check:');
    console.log(`  ${'table'.padEnd(14)} ${'DATA_DIR'.padStart(10)} ${'copied to PostgreSQL'.padStart(21)} ${'table total'.padStart(12)}`);
    for (const [table, a, b, t] of rows) console.log(`  ${table.padEnd(14)} ${String(a).padStart(10)} ${String(b).padStart(21)} ${String(t).padStart(12)}`);
    const hashes: [string, string, string][] = [
      ['state', state.sourceHash.digest('hex'), state.targetHash.digest('hex')],
      ['decisions', sourceHash.digest('hex'), targetHash.digest('hex')],
      ['unanswered', unanswered.sourceHash.digest('hex'), unanswered.targetHash.digest('hex')],
    ];
    for (const [what, a, b] of hashes) console.log(`  ${what.padEnd(14)} sha256 DATA_DIR ${a.slice(0, 16)} PostgreSQL ${b.slice(0, 16)} ${a === b ? 'match' : 'DIFFER'}`);
    const ok = hashes.every(([, a, b]) => a === b) && rows.every(([, a, b]) => a === b);
    if (ok) console.log('OK: everything in DATA_DIR is in PostgreSQL, unchanged.');
    else {
      console.log('MISMATCH: PostgreSQL does not hold exactly what DATA_DIR holds.');
      if (differing.length) console.log(`  state keys that differ (kept as in PostgreSQL): ${differing.slice(0, 10).join(', ')}${differing.length > 10 ? ', …' : ''}`);
    }
    return ok ? 0 : 1;
  } finally {
    await pool.end();
  }
}

try {
  process.exitCode = await main();
} catch (e) {
  // Configuration and data problems: say what, without a stack trace (and never the DATABASE_URL).
  console.error(isStartupProblem(e) ? `Cannot migrate: ${e.message}` : e);
  process.exitCode = 2;
}
