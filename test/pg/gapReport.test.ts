import { expect } from 'chai';
import type pg from 'pg';
import { MemoryDecisionLog } from '../../src/bot/infra/decisionLog/memoryDecisionLog.js';
import { PostgresDecisionLog } from '../../src/bot/infra/decisionLog/postgresDecisionLog.js';
import { migrate, migrations } from '../../src/bot/infra/pg/migrations.js';
import { createPool } from '../../src/bot/infra/pg/pool.js';
import { zonedDayBounds } from '../../src/domain/dates.js';
import type { DecisionLog } from '../../src/domain/decisions.js';
import { gapItems, gapReport, gapReportOfWordings, gapWeeks, type GapPlace } from '../../src/domain/gaps.js';
import type { UnansweredEvent } from '../../src/domain/unanswered.js';
import { sampleDecision } from '../support/decisionLogContract.js';
import { realSearch } from '../support/kb.js';
import { usePostgres } from '../support/postgres.js';

/**
 * The gap report PostgreSQL counts per wording (gapWordings) is the report built from every item
 * (unanswered() and gapDecisions() through gapItems), on a varied log: repeated wordings in
 * several cases and reasons, questions without text (their place worded by the bot, two places
 * reading alike), messages without words, `at` ties across sources, not-covered decisions, current
 * and replaced «Ответ неверный» verdicts with and without comments, more than five items of one
 * wording, several weeks, and items outside the period. Half of it is logged before migration 6.
 */

const terms = (text: string) => realSearch().wordingTerms(text);
// Two procedures' places read alike, and a place reads like a typed text.
const place: GapPlace = (procedureId, nodeId) => (procedureId === 'twin' ? 'case-repeat-inquiry: state' : `${procedureId}: ${nodeId ?? '—'}`);
const period = { from: '2026-03-02', to: '2026-03-22', timeZone: 'Europe/Moscow' };
const bounds = { from: zonedDayBounds(period.from, period.timeZone).start, to: zonedDayBounds(period.to, period.timeZone).end };

const TEXTS = ['клиент орет', 'Клиент орёт', 'кл орет матом', 'клиент просит скидку', 'скидку просит кл', '???', '!!!', 'case-repeat-inquiry: state', 'не та линия'];
const PEOPLE = [
  { id: 'u-1', name: 'Анна' },
  { id: 'u-2', name: 'Фёдор' },
  { id: 'lead', name: 'Руководитель' },
];

/** A deterministic pseudo-random sequence (the same log on every run). */
function random(seed: number) {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

/** Writes the same events into each log; `half` says which of them to write (0: the first half, 1: the rest). */
async function fill(logs: DecisionLog[], half: 0 | 1): Promise<void> {
  const next = random(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  // Instants from 1 March to 24 March, on few distinct minutes so that ties of `at` happen often.
  const at = () => new Date(Date.UTC(2026, 2, 1, 0, 0) + Math.floor(next() * 80) * 7 * 3_600_000 + (next() < 0.5 ? 0 : 1)).toISOString();
  for (let n = 0; n < 240; n++) {
    const mine = (n % 2) === half;
    const when = at();
    const who = pick(PEOPLE);
    const kind = next();
    if (kind < 0.55) {
      const shape = next();
      const u: UnansweredEvent =
        shape < 0.6
          ? { id: `u-${n}`, at: when, operator: who, conversationId: 'c', reason: pick(['noMatch', 'nothingFits'] as const), text: pick(TEXTS) }
          : { id: `u-${n}`, at: when, operator: who, conversationId: 'c', reason: pick(['cancelled', 'switched'] as const), ...(shape < 0.95 ? { procedureId: pick(['case-repeat-inquiry', 'twin', 'call-termination']), ...(next() < 0.7 ? { nodeId: pick(['state', 'overdue']) } : {}) } : {}) };
      if (mine) for (const log of logs) await log.addUnanswered(u);
      continue;
    }
    const covered = next() < 0.5;
    const d = sampleDecision(n, {
      at: when,
      operator: who,
      ...(covered ? {} : { outcome: { nodeId: 'nc', kind: 'notCovered' as const, headline: pick(['Процедура не описывает это состояние', 'не та линия', 'Не описано']) } }),
    });
    if (!mine) continue;
    for (const log of logs) await log.append(d);
    // Verdicts: some wrong (with a comment, padded or blank), some changed back to helpful.
    for (const by of PEOPLE) {
      const r = next();
      if (r < 0.5) continue;
      const comment = pick([undefined, 'не та линия', '  не та линия  ', '   ', 'Клиент орёт']);
      for (const log of logs) await log.addFeedback({ decisionId: d.id, at: when, by, verdict: 'wrong', ...(comment !== undefined ? { comment } : {}) }, { byTeamLead: true });
      if (r > 0.85) for (const log of logs) await log.addFeedback({ decisionId: d.id, at: when, by, verdict: 'helpful' }, { byTeamLead: true });
    }
  }
}

const fromItems = async (log: DecisionLog) => gapReport(gapItems(await log.unanswered(bounds), await log.gapDecisions(bounds), place), terms, period);

describe('PostgreSQL gap report counted per wording', function () {
  this.timeout(120_000);
  const cluster = usePostgres();
  let pool: pg.Pool;
  after(async () => pool?.end());

  it('is the report built from every item, on a log partly written before migration 6', async () => {
    pool = createPool(await cluster().createDatabase());
    await migrate(pool, migrations.filter((m) => m.version < 6));
    const pgLog = new PostgresDecisionLog(pool);
    const memory = new MemoryDecisionLog();
    await fill([pgLog, memory], 0);
    const stored = async () => (await pool.query('SELECT id, event FROM unanswered ORDER BY seq')).rows;
    const before = await stored();
    // Migration 6 and any later one; none of the earlier again.
    expect((await migrate(pool)).applied.filter((v) => v <= 6)).to.deep.equal([6]);
    // Additive: every question logged before is there as it was.
    expect(await stored()).to.deep.equal(before);
    await fill([pgLog, memory], 1);

    const counted = gapReportOfWordings(await pgLog.gapWordings(gapWeeks(period), bounds, place), terms, period);
    const expected = await fromItems(pgLog);
    // The set is as varied as it claims: several weeks, every reason, groups with more than five items.
    const groups = expected.weeks.flatMap((w) => w.groups);
    expect(expected.weeks.length).to.equal(3);
    for (const reason of ['noMatch', 'nothingFits', 'notCovered', 'cancelled', 'wrong'] as const) expect(groups.some((g) => g.reasons[reason] > 0), reason).to.equal(true);
    expect(groups.some((g) => g.count > 5)).to.equal(true);
    expect(JSON.stringify(counted)).to.equal(JSON.stringify(expected));
    // And the embedded logs' path on the same events gives it too.
    expect(JSON.stringify(await fromItems(memory))).to.equal(JSON.stringify(expected));
  });
});
