import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type restify from 'restify';
import type { DecisionFilter, DecisionLog, DecisionView } from '../../domain/decisions.js';
import type { OutcomeKind } from '../../domain/types.js';
import { ISO_DATE, upperBound } from '../../domain/dates.js';
import { kindLabels, OUTCOME_KINDS } from '../../domain/vocabulary.js';
import { packagePath } from '../../packageRoot.js';
import type { Config } from '../config.js';
import { LeadsAuth } from './auth.js';
import { BOM, CSV_FAILED, CSV_HEADER, csvRow, decisionRow } from './csv.js';
import { isUnavailable } from '../infra/pg/pool.js';
import { fileUnder, sendStaticFile } from '../web/staticFiles.js';
import type { ReloadResult } from '../knowledge.js';
import { firstLine } from '../errors.js';

/**
 * The team-lead HTTP API and the Teams tab that uses it:
 *   GET /api/decisions       ?operator&procedure&kind&from&to&awaitingReview&undelivered&offset&limit (≤200)
 *   GET /api/decisions/:id
 *   GET /api/decisions.csv   same filters, every matching decision
 *   POST /api/kb/reload      check the knowledge base again and swap it in if valid (422 with every problem if not)
 *   GET /tab/…               the tab's static files (public/tab)
 *   GET /vendor/teams-js/MicrosoftTeams.min.js   the TeamsJS browser bundle from node_modules
 * The API answers only to the API token or a team lead's Teams SSO token (see LeadsAuth).
 */

export interface LeadApiDeps {
  decisions: DecisionLog;
  config: Pick<Config, 'teamLeads' | 'leadsApiToken' | 'tabSso'> & { telesales: { timeZone: string } };
  log: (line: string) => void;
  now?: () => Date;
  reloadKnowledge?: () => ReloadResult;
}

export const MAX_LIMIT = 200;
const PARAMS = ['operator', 'procedure', 'kind', 'from', 'to', 'awaitingReview', 'undelivered', 'offset', 'limit'];
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

class BadRequest extends Error {}

/** A date (the whole UTC day, as the log's filter reads it) or a date-time with a zone, as ISO text. */
function isoBound(name: string, value: string): string {
  if (ISO_DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)) return value;
  if (DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  throw new BadRequest(`${name} must be a date (2026-11-23) or a date-time with a zone (2026-11-23T10:00:00Z)`);
}

function integer(name: string, value: string | null, fallback: number, min: number, max: number): number {
  if (value === null) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) throw new BadRequest(`${name} must be a whole number from ${min} to ${max}`);
  return Number(value);
}

/** Query string → filter and page; throws BadRequest naming the parameter. */
export function parseQuery(search: URLSearchParams, paged: boolean): { filter: DecisionFilter; offset: number; limit: number } {
  for (const key of search.keys()) if (!PARAMS.includes(key) || (!paged && (key === 'offset' || key === 'limit'))) throw new BadRequest(`unknown parameter "${key.slice(0, 40)}"`);
  for (const key of new Set(search.keys())) if (search.getAll(key).length > 1) throw new BadRequest(`parameter "${key}" is given more than once`);
  const filter: DecisionFilter = {};
  const get = (k: string) => search.get(k);
  const operator = get('operator');
  if (operator !== null) {
    if (!operator || operator.length > 200) throw new BadRequest('operator must be a Teams user id or an AAD object id (1–200 characters)');
    filter.operatorId = operator;
  }
  const procedure = get('procedure');
  if (procedure !== null) {
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(procedure)) throw new BadRequest('procedure must be a procedure id such as case-repeat-inquiry');
    filter.procedureId = procedure;
  }
  const kind = get('kind');
  if (kind !== null) {
    if (!OUTCOME_KINDS.includes(kind as OutcomeKind)) throw new BadRequest(`kind must be one of ${OUTCOME_KINDS.join(', ')}`);
    filter.kind = kind as OutcomeKind;
  }
  const from = get('from');
  if (from !== null) filter.from = isoBound('from', from);
  const to = get('to');
  if (to !== null) filter.to = isoBound('to', to);
  if (filter.from && filter.to && filter.from > upperBound(filter.to)) throw new BadRequest('from is after to');
  const awaiting = get('awaitingReview');
  if (awaiting !== null) {
    if (!['true', 'false'].includes(awaiting)) throw new BadRequest('awaitingReview must be true or false');
    filter.awaitingReview = awaiting === 'true';
  }
  // Decisions whose card a failed turn never delivered (see turn/delivery.ts).
  const undelivered = get('undelivered');
  if (undelivered !== null) {
    if (!['true', 'false'].includes(undelivered)) throw new BadRequest('undelivered must be true or false');
    filter.undelivered = undelivered === 'true';
  }
  return { filter, offset: integer('offset', get('offset'), 0, 0, 1_000_000_000), limit: integer('limit', get('limit'), 50, 1, MAX_LIMIT) };
}

/** What the API shows of a decision: form values stay out (customers' personal data). */
function publicView(v: DecisionView): Omit<DecisionView, 'formValues'> {
  const { formValues: _omitted, ...rest } = v;
  return rest;
}

const json = (res: restify.Response, status: number, body: unknown) => {
  res.setHeader('Cache-Control', 'no-store');
  res.send(status, body);
};

export function registerLeadApi(server: restify.Server, deps: LeadApiDeps): LeadsAuth {
  const { decisions, config, log } = deps;
  const auth = new LeadsAuth(config);
  const timeZone = config.telesales.timeZone;

  /** Runs a handler for a team lead only; refusals are logged with the reason, never the token. */
  const guarded =
    (handler: (req: restify.Request, res: restify.Response, search: URLSearchParams) => Promise<void>) => async (req: restify.Request, res: restify.Response) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const result = await auth.check(req.header('authorization'));
      if (!result.ok) {
        log(`team-lead API: refused ${req.method} ${url.pathname} from ${req.socket?.remoteAddress ?? '?'} (${result.status}): ${result.reason}`);
        if (result.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
        return json(res, result.status, { error: result.error, message: result.message });
      }
      try {
        await handler(req, res, url.searchParams);
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
      const { filter, offset, limit } = parseQuery(search, true);
      const page = await decisions.query(filter, { offset, limit });
      json(res, 200, { total: page.total, offset, limit, items: page.items.map(publicView) });
    }),
  );

  // The words for outcome kinds, from the one vocabulary the bot's cards use: the tab shows these.
  server.get(
    '/api/decisions/kinds',
    guarded(async (_req, res) => json(res, 200, { kinds: OUTCOME_KINDS.map((id) => ({ id, label: kindLabels[id] })) })),
  );

  server.get(
    '/api/decisions.csv',
    guarded(async (_req, res, search) => {
      const { filter } = parseQuery(search, false);
      // Decisions logged while the file streams would shift the pages: stop at the moment it started.
      const started = (deps.now?.() ?? new Date()).toISOString();
      const bounded = { ...filter, to: filter.to && filter.to < started ? filter.to : started };
      const stamp = started.slice(0, 10);
      const pageSize = 500;
      // The first page before the status line: a failure now is a 503, not a 200 with only the header row.
      let page = await decisions.query(bounded, { offset: 0, limit: pageSize });
      res.writeHead(200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="decisions-${stamp}.csv"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
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

  server.get(
    '/api/decisions/:id',
    guarded(async (req, res) => {
      const id = String(req.params.id ?? '');
      const view = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await decisions.get(id) : undefined;
      if (!view) return json(res, 404, { error: 'not_found', message: `no decision "${id.slice(0, 64)}" in the log` });
      json(res, 200, publicView(view));
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

  registerTab(server);
  return auth;
}

// ---- the Teams tab: static files ----

const tabDir = packagePath('public', 'tab');
const teamsJs = createRequire(import.meta.url).resolve('@microsoft/teams-js');
/**
 * Only our own scripts and styles, API calls to this origin; the page may be framed by Teams
 * (and Outlook / Microsoft 365, which host Teams tabs) and by nothing else.
 */
const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
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
  server.get('/tab/*', async (req, res) => {
    await sendStatic(res, fileUnder(tabDir, req.url ?? '/', '/tab/'));
  });
  server.get('/vendor/teams-js/MicrosoftTeams.min.js', async (_req, res) => {
    await sendStatic(res, join(dirname(teamsJs), 'MicrosoftTeams.min.js'));
  });
}
