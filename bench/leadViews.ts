/**
 * The team-lead views against a running bot (`LEADS_API_TOKEN` set), each asked `rounds` times in a
 * row after one warm-up request: the median and the slowest answer per view, in milliseconds. The
 * period covers every pre-filled decision (`bench/prefill.ts` writes them over the last ~140 days),
 * so each view reads all 100,000.
 */
import { performance } from 'node:perf_hooks';
import { isoDate } from '../src/domain/dates.js';
import { JsonlDecisionLog } from '../src/bot/infra/decisionLog/jsonlDecisionLog.js';
import { PostgresDecisionLog } from '../src/bot/infra/decisionLog/postgresDecisionLog.js';
import type { DecisionEntry } from '../src/domain/decisions.js';
import { createPool } from '../src/bot/infra/pg/pool.js';

export const VIEWS_TOKEN = 'bench-leads-api-token-0123456789abcdef';

/** The period the views ask for: the pre-fill's whole span, as dates in Moscow. */
export function viewsPeriod(now = new Date()): { from: string; to: string } {
  return { from: isoDate(new Date(now.getTime() - 145 * 86_400_000)), to: isoDate(now) };
}

/** View name → path: the list, its heaviest filters, the pickers, the gap report, the analytics. */
export function viewPaths({ from, to }: { from: string; to: string }): [string, string][] {
  const period = `from=${from}&to=${to}`;
  return [
    ['decisions', `/api/decisions?${period}`],
    ['decisions_name', `/api/decisions?operator=${encodeURIComponent('оператор 17')}&${period}`],
    ['decisions_title', `/api/decisions?procedure=${encodeURIComponent('ранее созданному')}&${period}`],
    ['decisions_wrong', `/api/decisions?verdict=wrong&${period}`],
    ['decisions_none', `/api/decisions?verdict=none&reviewed=false&${period}`],
    ['facets', `/api/decisions/facets?${period}`],
    ['gaps', `/api/gaps?${period}`],
    ['stats', `/api/stats?${period}`],
    ['funnel', `/api/stats/procedures/case-repeat-inquiry?${period}`],
    ['map', `/api/stats/procedures/case-repeat-inquiry/map.svg?${period}`],
  ];
}

export type ViewTimes = Record<string, { medianMs: number; maxMs: number }>;

export async function viewsBench(url: string, rounds: number, period = viewsPeriod()): Promise<ViewTimes> {
  const out: ViewTimes = {};
  for (const [name, path] of viewPaths(period)) {
    const times: number[] = [];
    for (let i = 0; i <= rounds; i++) {
      const t0 = performance.now();
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${VIEWS_TOKEN}` } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
      if (i > 0) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out[name] = { medianMs: Math.round(times[Math.floor(times.length / 2)] * 10) / 10, maxMs: Math.round(times[times.length - 1] * 10) / 10 };
  }
  return out;
}

/** Copies a pre-filled JSON Lines log (decisions, events, unanswered questions) into PostgreSQL, as migrate:lowdb-to-pg does. */
export async function copyToPostgres(decisionsDir: string, databaseUrl: string): Promise<number> {
  const source = JsonlDecisionLog.open(decisionsDir, { log: () => undefined });
  const pool = createPool(databaseUrl, { statementTimeoutMs: 300_000, max: 2 });
  const target = new PostgresDecisionLog(pool);
  let copied = 0;
  try {
    let batch: DecisionEntry[] = [];
    for await (const entry of source.entries()) {
      batch.push(entry);
      if (batch.length >= 1000) (copied += (await target.importBatch(batch)).decisions), (batch = []);
    }
    copied += (await target.importBatch(batch)).decisions;
    for (const u of await source.unanswered({})) await target.addUnanswered(u);
    // As autovacuum would after a bulk load: the visibility map lets the views read only their indexes.
    await pool.query('VACUUM ANALYZE');
  } finally {
    await source.close();
    await pool.end();
  }
  return copied;
}
