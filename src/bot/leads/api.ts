import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type restify from 'restify';
import { FOUND_BY, UnknownDecisionError, VERDICT_FILTERS, type DecisionLog, type DecisionView, type Person } from '../../domain/decisions.js';
import type { KnowledgeBase } from '../../domain/types.js';
import { GAP_REASONS } from '../../domain/gaps.js';
import { foundByLabels, gapReasonLabels, kindLabels, OUTCOME_KINDS, verdictLabels } from '../../domain/vocabulary.js';
import { packagePath } from '../../packageRoot.js';
import type { Config } from '../config.js';
import { LeadsAuth } from './auth.js';
import { BOM, CSV_FAILED, CSV_HEADER, csvHeaders, csvRow, decisionRow } from './csv.js';
import { isUnavailable } from '../infra/pg/pool.js';
import { fileUnder, sendStaticFile } from '../web/staticFiles.js';
import type { ReloadResult } from '../knowledge.js';
import { firstLine } from '../errors.js';
import type { FactNotes } from '../../dialogs/cards.js';
import { decisionCard } from '../../dialogs/decisionCard.js';
import { markReviewed, reviewNoteProblem } from './review.js';
import { BadRequest, checkParams, parsePeriod, parseQuery } from './query.js';
import { registerLeadViews } from './views.js';

/**
 * The team-lead HTTP API and the Teams tab that uses it:
 *   GET /api/decisions       ?operator&procedure&kind&verdict&reviewed&awaitingReview&undelivered&foundBy&from&to&offset&limit (≤200)
 *   GET /api/decisions/kinds the outcome kinds, verdicts, ways a procedure is found and time zone, as the tab shows them
 *   GET /api/decisions/facets?from&to   operators and procedures of the period, for pickers
 *   GET /api/decisions/:id
 *   GET /api/decisions/:id/card   the outcome card as the operator saw it (current card code, logged decision)
 *   POST /api/decisions/:id/review {note}   mark reviewed, by the signed-in team lead
 *   GET /api/decisions.csv   same filters, every matching decision
 *   POST /api/kb/reload      check the knowledge base again and swap it in if valid (422 with every problem if not)
 *   GET /tab/…               the tab's static files (public/tab)
 *   GET /tab/cards/…         the console's card renderer (public/console), which the tab reuses for the cards operators saw
 *   GET /vendor/teams-js/…, /vendor/chart.js/…, /vendor/adaptivecards/…   browser bundles from node_modules
 * The API answers only to the API token or a team lead's Teams SSO token (see LeadsAuth).
 */

export interface LeadApiDeps {
  decisions: DecisionLog;
  config: Pick<Config, 'teamLeads' | 'leadsApiToken' | 'tabSso'> & { telesales: { timeZone: string } };
  log: (line: string) => void;
  now?: () => Date;
  reloadKnowledge?: () => ReloadResult;
  /** The knowledge base in use: cards and analytics read procedures from it. */
  kb?: () => KnowledgeBase;
  factNotes?: FactNotes;
  /** Terms of a wording as search reads it (stems, synonyms, look-alikes, typos): the gap report groups by them. */
  terms?: (text: string) => string[];
}

/** A route handler behind the team-lead guard: 400 for BadRequest, 503 while the log is down. */
export type LeadHandler = (req: restify.Request, res: restify.Response, search: URLSearchParams, who: Person) => Promise<void>;
export type Guarded = (handler: LeadHandler) => restify.RequestHandler;
/** What the API shows of a decision: form values stay out (customers' personal data). */
function publicView(v: DecisionView): Omit<DecisionView, 'formValues'> {
  const { formValues: _omitted, ...rest } = v;
  return rest;
}

export const json = (res: restify.Response, status: number, body: unknown) => {
  res.setHeader('Cache-Control', 'no-store');
  res.send(status, body);
};

export function registerLeadApi(server: restify.Server, deps: LeadApiDeps): LeadsAuth {
  const { decisions, config, log } = deps;
  const auth = new LeadsAuth(config);
  const timeZone = config.telesales.timeZone;

  /** Runs a handler for a team lead only; refusals are logged with the reason, never the token. */
  const guarded: Guarded =
    (handler) => async (req: restify.Request, res: restify.Response) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const result = await auth.check(req.header('authorization'));
      if (!result.ok) {
        log(`team-lead API: refused ${req.method} ${url.pathname} from ${req.socket?.remoteAddress ?? '?'} (${result.status}): ${result.reason}`);
        if (result.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
        return json(res, result.status, { error: result.error, message: result.message });
      }
      try {
        await handler(req, res, url.searchParams, result.person);
      } catch (e) {
        if (e instanceof BadRequest) return json(res, 400, { error: 'bad_request', message: e.message });
        log(`team-lead API: ${req.method} ${url.pathname} failed: ${firstLine(e)}`);
        // The database is down: the client may retry later (and a load balancer may try another instance).
        if (!res.headersSent && isUnavailable(e)) json(res, 503, { error: 'unavailable', message: 'The decision log is temporarily unavailable: try again in a minute.' });
        else if (!res.headersSent) json(res, 500, { error: 'internal', message: 'internal error' });
        else res.end();
      }
    };

  server.get(
    '/api/decisions',
    guarded(async (_req, res, search) => {
      const { filter, offset, limit } = parseQuery(search, true, timeZone);
      const page = await decisions.query(filter, { offset, limit });
      json(res, 200, { total: page.total, offset, limit, items: page.items.map(publicView) });
    }),
  );

  // The words for outcome kinds, from the one vocabulary the bot's cards use, the verdict filter's
  // words, the gap report's reasons, how a decision's procedure was chosen, and the zone the tab
  // shows times and reads dates in.
  server.get(
    '/api/decisions/kinds',
    guarded(async (_req, res) =>
      json(res, 200, {
        kinds: OUTCOME_KINDS.map((id) => ({ id, label: kindLabels[id] })),
        timeZone,
        verdicts: VERDICT_FILTERS.map((id) => ({ id, label: verdictLabels[id] })),
        gapReasons: GAP_REASONS.map((id) => ({ id, label: gapReasonLabels[id] })),
        foundBy: FOUND_BY.map((id) => ({ id, label: foundByLabels[id] })),
      }),
    ),
  );

  server.get(
    '/api/decisions/facets',
    guarded(async (_req, res, search) => json(res, 200, await decisions.facets(parsePeriod(search, timeZone)))),
  );

  server.get(
    '/api/decisions.csv',
    guarded(async (_req, res, search) => {
      const { filter } = parseQuery(search, false, timeZone);
      // Decisions logged while the file streams would shift the pages: stop at the moment it started.
      const started = (deps.now?.() ?? new Date()).toISOString();
      const bounded = { ...filter, to: filter.to && filter.to < started ? filter.to : started };
      const stamp = started.slice(0, 10);
      const pageSize = 500;
      // The first page before the status line: a failure now is a 503, not a 200 with only the header row.
      let page = await decisions.query(bounded, { offset: 0, limit: pageSize });
      res.writeHead(200, csvHeaders(`decisions-${stamp}.csv`));
      res.write(BOM + csvRow(CSV_HEADER));
      try {
        for (let offset = 0; ; ) {
          if (page.items.length > 0) res.write(page.items.map((v) => csvRow(decisionRow(v, timeZone))).join(''));
          if (page.items.length < pageSize) break;
          offset += pageSize;
          page = await decisions.query(bounded, { offset, limit: pageSize });
        }
      } catch (e) {
        log(`team-lead API: GET /api/decisions.csv failed after it started: ${firstLine(e)}`);
        res.end(CSV_FAILED);
        return;
      }
      res.end();
    }),
  );

  const decisionId = (req: restify.Request) => String(req.params.id ?? '');
  const validId = (id: string) => /^[A-Za-z0-9_-]{1,64}$/.test(id);
  const notFound = (res: restify.Response, id: string) => json(res, 404, { error: 'not_found', message: `no decision "${id.slice(0, 64)}" in the log` });
  const viewOf = async (id: string) => (validId(id) ? await decisions.get(id) : undefined);

  server.get(
    '/api/decisions/:id',
    guarded(async (req, res) => {
      const view = await viewOf(decisionId(req));
      if (!view) return notFound(res, decisionId(req));
      json(res, 200, publicView(view));
    }),
  );

  server.get(
    '/api/decisions/:id/card',
    guarded(async (req, res) => {
      const view = await viewOf(decisionId(req));
      if (!view) return notFound(res, decisionId(req));
      const mine = view.feedback.find((f) => f.by.id === view.operator.id)?.verdict;
      const card = deps.kb && decisionCard(deps.kb(), view, deps.factNotes, mine ? { feedback: mine } : {});
      if (!card)
        return json(res, 409, {
          error: 'procedure_changed',
          message: `procedure ${view.procedureId} is no longer at version ${view.procedureVersion}: the card the operator saw cannot be drawn again; the decision's path, outcome and citations are in GET /api/decisions/${view.id}`,
        });
      json(res, 200, { card: card.content });
    }),
  );

  server.post(
    '/api/decisions/:id/review',
    guarded(async (req, res, search, who) => {
      checkParams(search, []);
      const id = decisionId(req);
      if (!validId(id)) return notFound(res, id);
      const body = req.body as unknown;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('the body must be a JSON object {"note": "…"}');
      const problem = reviewNoteProblem((body as { note?: unknown }).note);
      if (problem) throw new BadRequest(problem);
      try {
        const review = await markReviewed(decisions, { decisionId: id, by: who, note: (body as { note: string }).note, at: deps.now?.() ?? new Date() });
        json(res, 201, { review: { by: review.by, note: review.note, at: review.at } });
      } catch (e) {
        if (e instanceof UnknownDecisionError) return notFound(res, id);
        throw e;
      }
    }),
  );

  const { reloadKnowledge } = deps;
  if (reloadKnowledge)
    server.post(
      '/api/kb/reload',
      guarded(async (_req, res) => {
        const result = reloadKnowledge();
        json(res, result.ok ? 200 : 422, result);
      }),
    );

  registerLeadViews(server, guarded, deps);
  registerTab(server);
  return auth;
}

// ---- the Teams tab: static files ----

const tabDir = packagePath('public', 'tab');
const consoleDir = packagePath('public', 'console');
const teamsJs = createRequire(import.meta.url).resolve('@microsoft/teams-js');
const adaptiveCardsDir = packagePath('node_modules', 'adaptivecards', 'dist');
/** The browser bundles the tab loads, by URL; nothing else under node_modules is served. */
const vendorFiles: Record<string, string> = {
  '/vendor/teams-js/MicrosoftTeams.min.js': join(dirname(teamsJs), 'MicrosoftTeams.min.js'),
  '/vendor/chart.js/chart.umd.min.js': join(packagePath('node_modules', 'chart.js', 'dist'), 'chart.umd.min.js'),
  '/vendor/adaptivecards/adaptivecards.min.js': join(adaptiveCardsDir, 'adaptivecards.min.js'),
  '/vendor/adaptivecards/adaptivecards.css': join(adaptiveCardsDir, 'adaptivecards.css'),
};
/** The console's renderer and its two helpers: the tab shows cards exactly as the console (and Teams) does. */
const cardFiles = new Set(['render.js', 'hostConfig.js', 'markdown.js']);
/**
 * Only our own scripts and styles, API calls to this origin; the page may be framed by Teams
 * (and Outlook / Microsoft 365, which host Teams tabs) and by nothing else. The procedure map is
 * shown from a blob: URL (an <img> cannot send the sign-in header).
 */
const CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "script-src 'self'",
  "style-src 'self'",
  // TeamsJS fetches its list of valid Teams origins from the Microsoft 365 CDN.
  "connect-src 'self' https://res.cdn.office.net",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.teams.microsoft.us https://*.skype.com https://*.office.com https://outlook.office.com https://*.microsoft365.com https://*.cloud.microsoft",
].join('; ');

const tabHeaders = { 'x-content-type-options': 'nosniff', 'content-security-policy': CSP, 'referrer-policy': 'no-referrer' };

async function sendStatic(res: restify.Response, file: string | undefined): Promise<void> {
  if (!file || !(await sendStaticFile(res, file, tabHeaders))) json(res, 404, { error: 'not_found', message: 'no such file' });
}

function registerTab(server: restify.Server): void {
  server.get('/tab', async (_req, res) => {
    res.setHeader('Location', '/tab/');
    res.send(301);
  });
  server.get('/tab/cards/:file', async (req, res) => {
    const file = String(req.params.file ?? '');
    await sendStatic(res, cardFiles.has(file) ? join(consoleDir, file) : undefined);
  });
  server.get('/tab/*', async (req, res) => {
    await sendStatic(res, fileUnder(tabDir, req.url ?? '/', '/tab/'));
  });
  for (const [path, file] of Object.entries(vendorFiles))
    server.get(path, async (_req, res) => {
      await sendStatic(res, file);
    });
}
