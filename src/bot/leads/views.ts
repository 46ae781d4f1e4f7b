import type restify from 'restify';
import { gapItems, gapReport, gapReportOfWordings, gapWeeks, GAP_REASONS } from '../../domain/gaps.js';
import { mapCounts, outcomeStats, procedureFunnel } from '../../domain/outcomeStats.js';
import { contentWords, stem } from '../../domain/search/analyzer.js';
import { gapReasonLabels } from '../../domain/vocabulary.js';
import { procedureOf } from '../../domain/walkPosition.js';
import { procedureSvg } from '../web/kbMaps.js';
import { json, type Guarded, type LeadApiDeps } from './api.js';
import { parseDays } from './query.js';
import { BOM, csvHeaders, csvRow } from './csv.js';

/**
 * What team leads and knowledge managers look at rather than read, behind the team-lead guard:
 *   GET /api/gaps?from&to          what the bot could not answer, grouped by wording, per ISO week
 *   GET /api/gaps.csv?from&to      the same as rows for Excel
 *   GET /api/stats?from&to         decisions per day, per procedure, per outcome
 *   GET /api/stats/procedures/:id?from&to           one procedure's funnel: options taken, where operators left
 *   GET /api/stats/procedures/:id/map.svg?from&to   its map with those counts on the edges and nodes
 * `from`/`to` are dates, whole days in the configured zone; by default the last 28 days (gaps) or
 * 30 days (stats) up to today.
 */

const GAP_DAYS = 28;
const STATS_DAYS = 30;

export function registerLeadViews(server: restify.Server, guarded: Guarded, deps: LeadApiDeps): void {
  const { decisions } = deps;
  const timeZone = deps.config.telesales.timeZone;
  const now = () => deps.now?.() ?? new Date();
  // Wording as search reads it; without a search (tests of the API alone), stems of the content words.
  const terms = deps.terms ?? ((text: string) => contentWords(text).map(stem));
  const kb = () => deps.kb?.();
  const procedure = (id: string) => {
    const current = kb();
    return current && procedureOf(current, id);
  };

  /** Where an operator left a dialog without typing anything: the procedure and its question. */
  const place = (procedureId: string, nodeId?: string) => {
    const proc = procedure(procedureId);
    const node = nodeId ? proc?.nodes[nodeId] : undefined;
    return [proc?.title ?? procedureId, node && node.type !== 'outcome' ? node.text : ''].filter(Boolean).join(': ');
  };

  const report = async (search: URLSearchParams) => {
    const days = parseDays(search, timeZone, now(), GAP_DAYS);
    const period = { from: days.from, to: days.to, timeZone };
    // A log that counts wordings itself hands over a few rows per wording, not every item.
    if (decisions.gapWordings) return gapReportOfWordings(await decisions.gapWordings(gapWeeks(period), days.period, place), terms, period);
    const [unanswered, flagged] = await Promise.all([decisions.unanswered(days.period), decisions.gapDecisions(days.period)]);
    return gapReport(gapItems(unanswered, flagged, place), terms, period);
  };

  server.get(
    '/api/gaps',
    guarded(async (_req, res, search) => json(res, 200, await report(search))),
  );

  server.get(
    '/api/gaps.csv',
    guarded(async (_req, res, search) => {
      const gaps = await report(search);
      const rows = [['Неделя', 'С', 'По', 'Группа', 'Причина', 'Количество', 'Примеры']];
      for (const w of gaps.weeks)
        for (const g of w.groups)
          for (const reason of GAP_REASONS)
            if (g.reasons[reason] > 0)
              rows.push([w.week, w.from, w.to, g.label, gapReasonLabels[reason], String(g.reasons[reason]), g.examples.filter((e) => e.reason === reason).map((e) => e.text).join(' | ')]);
      res.writeHead(200, csvHeaders(`gaps-${gaps.from}-${gaps.to}.csv`));
      res.end(BOM + rows.map(csvRow).join(''));
    }),
  );

  server.get(
    '/api/stats',
    guarded(async (_req, res, search) => {
      const days = parseDays(search, timeZone, now(), STATS_DAYS);
      json(res, 200, outcomeStats(await decisions.decisionCounts(days.period, timeZone), days.dates, timeZone));
    }),
  );

  /** The procedure of the route and its funnel over the period; undefined (404 sent) for an unknown one. */
  const funnelOf = async (req: restify.Request, res: restify.Response, search: URLSearchParams) => {
    const id = String(req.params.id ?? '');
    const days = parseDays(search, timeZone, now(), STATS_DAYS);
    const proc = procedure(id);
    if (!proc) {
      json(res, 404, { error: 'not_found', message: `no procedure "${id.slice(0, 64)}" in the knowledge base` });
      return undefined;
    }
    return { proc, funnel: procedureFunnel(proc, await decisions.pathCounts(proc.id, days.period)) };
  };

  server.get(
    '/api/stats/procedures/:id',
    guarded(async (req, res, search) => {
      const found = await funnelOf(req, res, search);
      if (found) json(res, 200, found.funnel);
    }),
  );

  server.get(
    '/api/stats/procedures/:id/map.svg',
    guarded(async (req, res, search) => {
      const found = await funnelOf(req, res, search);
      if (!found) return;
      const svg = await procedureSvg(kb()!, found.proc, mapCounts(found.funnel));
      res.writeHead(200, {
        'Content-Type': 'image/svg+xml; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        // Drawn from the knowledge base's text; nothing in it may run.
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(svg);
    }),
  );
}
