import type pg from 'pg';
import { MigrationError } from '../../errors.js';
import { transaction } from './pool.js';

/**
 * The PostgreSQL schema, as numbered migrations applied at start. Append new ones; never edit or
 * renumber an applied one. All pending migrations run in one transaction under an advisory lock, so
 * instances starting together apply each exactly once and a failed migration leaves nothing behind.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'bot state',
    // botbuilder Storage: one row per key. `item` is json, not jsonb: an opaque blob kept verbatim.
    sql: `
      CREATE TABLE bot_state (
        key        text PRIMARY KEY,
        etag       text NOT NULL,
        item       json NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );`,
  },
  {
    version: 2,
    name: 'decision log',
    // `at` is text in the C collation: filters compare ISO strings exactly as the other logs do.
    // `seq` is the append order ("newest first"); `n` numbers a decision's events from 0, so an
    // import can be repeated without duplicating them.
    sql: `
      CREATE TABLE decisions (
        id              text PRIMARY KEY,
        seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        at              text COLLATE "C" NOT NULL,
        operator_id     text NOT NULL,
        operator_aad    text,
        procedure_id    text NOT NULL,
        kind            text NOT NULL,
        awaiting_review boolean NOT NULL DEFAULT false,
        record          jsonb NOT NULL
      );
      CREATE INDEX decisions_operator ON decisions (operator_id, seq);
      CREATE INDEX decisions_operator_aad ON decisions (operator_aad, seq) WHERE operator_aad IS NOT NULL;
      CREATE INDEX decisions_procedure ON decisions (procedure_id, seq);
      CREATE INDEX decisions_kind ON decisions (kind, seq);
      CREATE INDEX decisions_at ON decisions (at);
      CREATE INDEX decisions_awaiting ON decisions (seq) WHERE awaiting_review;
      CREATE TABLE feedback (
        decision_id text NOT NULL REFERENCES decisions (id),
        n           integer NOT NULL,
        at          text COLLATE "C" NOT NULL,
        verdict     text NOT NULL CHECK (verdict IN ('helpful', 'wrong')),
        event       jsonb NOT NULL,
        PRIMARY KEY (decision_id, n)
      );
      CREATE TABLE reviews (
        decision_id text NOT NULL REFERENCES decisions (id),
        n           integer NOT NULL,
        at          text COLLATE "C" NOT NULL,
        event       jsonb NOT NULL,
        PRIMARY KEY (decision_id, n)
      );
      CREATE TABLE form_values (
        decision_id text NOT NULL REFERENCES decisions (id),
        n           integer NOT NULL,
        at          text COLLATE "C" NOT NULL,
        event       jsonb NOT NULL,
        PRIMARY KEY (decision_id, n)
      );`,
  },
  {
    version: 3,
    name: 'delivery marks',
    // Append-only, like the other event tables; a new table, so no existing row is touched. Marks
    // are rare (failed turns and their repeats): the filter reads this table, not every decision.
    sql: `
      CREATE TABLE delivery_marks (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        decision_id text NOT NULL REFERENCES decisions (id),
        at          text COLLATE "C" NOT NULL,
        delivery    text NOT NULL CHECK (delivery IN ('undelivered', 'delivered')),
        event       jsonb NOT NULL
      );
      CREATE INDEX delivery_marks_decision ON delivery_marks (decision_id);`,
  },
  {
    version: 4,
    name: 'team-lead views: unanswered questions, folded names and titles, outcome and path columns',
    // The keys are folded by the bot (lower case, ё = е), which the database's collation may not do
    // for Cyrillic: decisions logged before this keep them NULL and the name and title filters read
    // `record` for them. The outcome node and the path are exact copies of what `record` holds,
    // filled in for earlier decisions (`record` itself is not touched), so the analytics read only
    // the covering indexes below, never the wide rows.
    sql: `
      ALTER TABLE decisions ADD COLUMN operator_key text, ADD COLUMN title_key text, ADD COLUMN outcome_node text, ADD COLUMN path_key text;
      UPDATE decisions SET outcome_node = coalesce(record->'outcome'->>'nodeId', ''),
        path_key = coalesce((SELECT string_agg((s->>'nodeId') || '=' || (s->>'optionId'), ',' ORDER BY i) FROM jsonb_array_elements(record->'path') WITH ORDINALITY AS p(s, i)), '');
      CREATE INDEX decisions_views ON decisions (at) INCLUDE (id, procedure_id, kind, outcome_node, operator_id);
      CREATE INDEX decisions_paths ON decisions (procedure_id, at) INCLUDE (id, path_key, outcome_node);
      CREATE INDEX feedback_wrong ON feedback (decision_id) WHERE verdict = 'wrong';
      CREATE TABLE unanswered (
        id           text PRIMARY KEY,
        seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        at           text COLLATE "C" NOT NULL,
        reason       text NOT NULL,
        procedure_id text,
        event        jsonb NOT NULL
      );
      CREATE INDEX unanswered_at ON unanswered (at);
      CREATE INDEX unanswered_procedure ON unanswered (procedure_id, at) WHERE procedure_id IS NOT NULL;`,
  },
  {
    version: 5,
    name: 'gap report: operator name, procedure title and headline columns',
    // The gap report lists every not-covered decision of a period with its operator's name, the
    // procedure's title and the outcome's headline; read from `record`, each row's jsonb had to be
    // detoasted. Generated from `record` ('' where it holds none), so earlier decisions get them as
    // the table is rewritten and no writer can let them drift; the partial index covers the list.
    sql: `
      ALTER TABLE decisions
        ADD COLUMN operator_name text NOT NULL GENERATED ALWAYS AS (coalesce(record->'operator'->>'name', '')) STORED,
        ADD COLUMN procedure_title text NOT NULL GENERATED ALWAYS AS (coalesce(record->>'procedureTitle', '')) STORED,
        ADD COLUMN headline text NOT NULL GENERATED ALWAYS AS (coalesce(record->'outcome'->>'headline', '')) STORED;
      CREATE INDEX decisions_not_covered ON decisions (at) INCLUDE (id, seq, operator_id, operator_name, procedure_id, procedure_title, kind, headline) WHERE kind = 'notCovered';`,
  },
  {
    version: 6,
    name: 'gap report: unanswered questions by wording',
    // The gap report counts a week's items per wording and reads only the last few of each, from
    // these indexes, instead of every item. A question's wording is what the bot words it from:
    // the text typed, else the procedure and question left (as JSON literals, so no two pairs
    // read alike). Generated, so existing rows get it as the small table is rewritten; `event`
    // is untouched. How wordings are grouped stays in the bot.
    sql: `
      ALTER TABLE unanswered ADD COLUMN wording_key text NOT NULL GENERATED ALWAYS AS (
        CASE WHEN event->>'text' IS NOT NULL THEN 't' || (event->>'text')
             ELSE 'p' || coalesce((event->'procedureId')::text, 'null') || coalesce((event->'nodeId')::text, 'null') END) STORED;
      CREATE INDEX unanswered_wording ON unanswered (wording_key, reason, at, seq);
      CREATE INDEX decisions_not_covered_headline ON decisions (headline, at, seq) WHERE kind = 'notCovered';`,
  },
  {
    version: 7,
    name: 'decisions: how the procedure was chosen',
    // The team lead's filter by how a decision's procedure was chosen (`record.foundBy`), from a
    // column and an index as the kind filter. Generated, so it cannot drift from `record`; NULL for
    // decisions logged before the record kept it, which that filter never lists.
    sql: `
      ALTER TABLE decisions ADD COLUMN found_by text GENERATED ALWAYS AS (record->>'foundBy') STORED;
      CREATE INDEX decisions_found_by ON decisions (found_by, seq) WHERE found_by IS NOT NULL;`,
  },
];

/** pg_advisory_xact_lock key: any constant the rest of the database does not use. */
const LOCK_KEY = 7_316_200_419;
/**
 * How long the client waits for a migration's statement: past the server's 10 minutes below. The
 * pool's own read timeout is a turn's (seconds), and a migration that fills a column of 100,000
 * decisions takes longer than that.
 */
const MIGRATION_READ_TIMEOUT_MS = 11 * 60_000;
/** A statement with that read timeout (node-pg takes `query_timeout` per query; its types omit it). */
const long = (text: string, values?: unknown[]) => ({ text, values, query_timeout: MIGRATION_READ_TIMEOUT_MS }) as pg.QueryConfig;

export interface MigrationResult {
  /** Versions applied by this call (empty when the schema was up to date). */
  applied: number[];
  /** The schema version afterwards. */
  version: number;
}

/** Brings the schema up to date; safe to call from several instances at once, and again and again. */
export async function migrate(pool: pg.Pool, list: Migration[] = migrations): Promise<MigrationResult> {
  return transaction(pool, async (client) => {
    // DDL and index builds may outlast a turn's statement timeout; waiting for another instance's
    // migration must not fail either.
    await client.query(`SET LOCAL statement_timeout = '10min'`);
    await client.query(`SET LOCAL lock_timeout = '5min'`);
    // Taken before anything else, including creating schema_migrations: the second instance waits
    // here, then finds everything applied. Released at COMMIT or ROLLBACK.
    await client.query(long('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]));
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of [...list].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      try {
        await client.query(long(m.sql));
      } catch (e) {
        throw new MigrationError(m, e);
      }
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    const version = Math.max(0, ...done, ...applied);
    return { applied, version };
  });
}
