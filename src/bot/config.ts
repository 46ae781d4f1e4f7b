import { resolve } from 'node:path';
import { ISO_DATE } from '../domain/dates.js';
import type { WorkingHours } from '../domain/schedule.js';
import { ConfigError } from './errors.js';

/** Everything the bot reads from its environment, read and validated once at start. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  kbDir: string;
  /** KB_WATCH: reload the knowledge base when a file under kbDir changes (on by default in local mode). */
  kbWatch: boolean;
  /** Bot Framework credentials; all empty = local mode (no channel authentication). */
  auth: { appId: string; appPassword: string; appType: string; tenantId: string; openIdMetadata: string };
  /**
   * TIMEZONE, and the telesales schedule when a deployment configures it: the seeds give no hours,
   * so without one the operator is asked whether telesales works now.
   */
  telesales: { timeZone: string; schedule?: WorkingHours };
  /** Largest accepted request body, in bytes (MAX_BODY_KB). */
  maxBodyBytes: number;
  /**
   * Limits on connections: at most `maxConnections` open at once (MAX_CONNECTIONS); a request whose
   * headers and body have not fully arrived after `requestTimeoutMs` (REQUEST_TIMEOUT_S) is closed.
   */
  connections: { maxConnections: number; requestTimeoutMs: number };
  /**
   * ALLOWED_SERVICE_URLS: origins (https://smba.trafficmanager.net) local mode may send replies to,
   * besides 127.0.0.1 and localhost. With a MicrosoftAppId the channel's signed token names the serviceUrl.
   */
  allowedServiceUrls: string[];
  /**
   * The local web console (GET /, POST /api/console). It bypasses channel authentication, so it is
   * on by default only in local mode; with a MicrosoftAppId it needs CONSOLE_ENABLED=true.
   */
  console: { enabled: boolean };
  /** DATABASE_URL: state and decisions in PostgreSQL instead of lowdb files in dataDir. */
  databaseUrl?: string;
  /**
   * DECISION_LOG_SYNC: `deferred` (default) — a decision is written (held by the OS) before its card
   * is sent and synced to the disk within 200 ms; `strict` — synced before the card. Both stores.
   */
  decisionLogSync: 'deferred' | 'strict';
  /** TEAM_LEADS: Teams user ids and/or AAD object ids of team leads (chat commands, API, tab). */
  teamLeads: string[];
  /** LEADS_API_TOKEN: bearer token for /api/decisions outside Teams; empty = none. */
  leadsApiToken: string;
  /** TAB_SSO_*: Teams tab single sign-on (AAD tokens of team leads for /api/decisions); absent = off. */
  tabSso?: { clientId: string; tenantId: string; jwksUrl: string };
}

type Env = Record<string, string | undefined>;

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Reads the configuration; throws {@link ConfigError} listing every wrong variable. */
export function readConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const str = (name: string, fallback = '') => (env[name] ?? '').trim() || fallback;
  /** "true" or "false"; unset = undefined (the caller's default). */
  const flag = (name: string): boolean | undefined => {
    const text = str(name);
    if (text && text !== 'true' && text !== 'false') problems.push(`${name} must be true or false, got "${text}"`);
    return text ? text === 'true' : undefined;
  };
  /** A whole number in [min, max]; `what` names it in the error («a number of seconds»). */
  const intIn = (name: string, fallback: number, min: number, max: number, what: string): number => {
    const text = str(name, String(fallback));
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) problems.push(`${name} must be ${what} from ${min} to ${max}, got "${text}"`);
    return Number(text);
  };

  const portText = str('PORT', '3978');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) problems.push(`PORT must be a number from 0 to 65535, got "${portText}"`);

  const appType = str('MicrosoftAppType', 'MultiTenant');
  if (!['MultiTenant', 'SingleTenant', 'UserAssignedMSI'].includes(appType))
    problems.push(`MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI, got "${appType}"`);
  const appId = str('MicrosoftAppId');
  if (!appId && str('MicrosoftAppPassword')) problems.push('MicrosoftAppPassword is set but MicrosoftAppId is not');
  if (appType === 'SingleTenant' && appId && !str('MicrosoftAppTenantId')) problems.push('MicrosoftAppType=SingleTenant needs MicrosoftAppTenantId');

  const timeZone = str('TIMEZONE', 'Europe/Moscow');
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    problems.push(`TIMEZONE must be an IANA time zone such as Europe/Moscow, got "${timeZone}"`);
  }
  const schedule = readTelesalesSchedule(str, timeZone, problems);

  // Web console and KB watch: unset = on in local mode, off with a MicrosoftAppId.
  const consoleFlag = flag('CONSOLE_ENABLED');
  const kbWatchFlag = flag('KB_WATCH');
  const maxBodyKb = intIn('MAX_BODY_KB', 256, 16, 10240, 'a number');
  const maxConnections = intIn('MAX_CONNECTIONS', 512, 8, 100_000, 'a number');
  const requestTimeoutS = intIn('REQUEST_TIMEOUT_S', 15, 1, 300, 'a number of seconds');
  const allowedServiceUrls = str('ALLOWED_SERVICE_URLS').split(',').map((s) => s.trim()).filter(Boolean);
  for (const u of allowedServiceUrls) if (!isHttpOrigin(u)) problems.push(`ALLOWED_SERVICE_URLS must be a comma-separated list of http(s) URLs such as https://smba.trafficmanager.net (their origins are allowed), got "${u.slice(0, 80)}"`);
  const allowUnauthenticated = flag('ALLOW_UNAUTHENTICATED') ?? false;
  // Local mode accepts any request as any user: never by accident in production.
  if (!appId && str('NODE_ENV') === 'production' && !allowUnauthenticated)
    problems.push('NODE_ENV=production without MicrosoftAppId would accept unauthenticated requests: set MicrosoftAppId/MicrosoftAppPassword, or ALLOW_UNAUTHENTICATED=true to run so on purpose');

  // PostgreSQL. The value is never echoed: it may hold a password.
  const databaseUrl = str('DATABASE_URL');
  if (databaseUrl && !isPostgresUrl(databaseUrl)) problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL, e.g. postgres://user:password@host:5432/dbname');

  const decisionLogSync = str('DECISION_LOG_SYNC', 'deferred');
  if (decisionLogSync !== 'deferred' && decisionLogSync !== 'strict') problems.push(`DECISION_LOG_SYNC must be deferred or strict, got "${decisionLogSync.slice(0, 80)}"`);

  const { teamLeads, leadsApiToken, tabSso } = readLeadSettings(str, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: str('HOST', '127.0.0.1'),
    dataDir: resolve(str('DATA_DIR', './data')),
    kbDir: resolve(str('KB_DIR', './kb')),
    kbWatch: kbWatchFlag ?? !appId,
    // BotOpenIdMetadata: the SDK's setting for where channel signing keys are published (sovereign clouds, tests).
    auth: { appId, appPassword: str('MicrosoftAppPassword'), appType, tenantId: str('MicrosoftAppTenantId'), openIdMetadata: str('BotOpenIdMetadata') },
    telesales: { timeZone, ...(schedule ? { schedule } : {}) },
    maxBodyBytes: maxBodyKb * 1024,
    connections: { maxConnections, requestTimeoutMs: requestTimeoutS * 1000 },
    allowedServiceUrls: allowedServiceUrls.map((u) => new URL(u).origin),
    console: { enabled: consoleFlag ?? !appId },
    ...(databaseUrl ? { databaseUrl } : {}),
    decisionLogSync: decisionLogSync as Config['decisionLogSync'],
    teamLeads,
    leadsApiToken,
    ...(tabSso ? { tabSso } : {}),
  };
}

const SCHEDULE_VARS = ['TELESALES_DAYS', 'TELESALES_OPEN', 'TELESALES_CLOSE', 'HOLIDAYS'] as const;

/**
 * The telesales schedule: all of TELESALES_DAYS, TELESALES_OPEN, TELESALES_CLOSE and HOLIDAYS, or
 * none (operators are asked). No default hours: the seeds give none, and a schedule without the
 * year's holidays would send clients to a closed line on a public holiday.
 */
function readTelesalesSchedule(str: (name: string, fallback?: string) => string, timeZone: string, problems: string[]): WorkingHours | undefined {
  const set = SCHEDULE_VARS.filter((name) => str(name));
  if (set.length === 0) return undefined;
  if (set.length < SCHEDULE_VARS.length) {
    const missing = SCHEDULE_VARS.filter((name) => !set.includes(name));
    problems.push(`${set.join(', ')} set but not ${missing.join(', ')}: a telesales schedule needs all of ${SCHEDULE_VARS.join(', ')} (or none, and operators are asked)`);
    return undefined;
  }
  const daysText = str('TELESALES_DAYS');
  const days: number[] = [];
  for (const part of daysText.split(',')) {
    const m = /^\s*([1-7])(?:\s*-\s*([1-7]))?\s*$/.exec(part);
    if (!m) {
      problems.push(`TELESALES_DAYS must list ISO weekdays like "1-5" or "1,2,3" (1 = Monday), got "${daysText}"`);
      break;
    }
    for (let d = Number(m[1]); d <= Number(m[2] ?? m[1]); d++) days.push(d);
  }
  const open = str('TELESALES_OPEN');
  const close = str('TELESALES_CLOSE');
  for (const [name, v] of [['TELESALES_OPEN', open], ['TELESALES_CLOSE', close]])
    if (!hhmm.test(v)) problems.push(`${name} must be HH:MM (24-hour), got "${v}"`);
  if (hhmm.test(open) && hhmm.test(close) && open >= close) problems.push(`TELESALES_OPEN (${open}) must be before TELESALES_CLOSE (${close})`);
  const holidays = str('HOLIDAYS').split(',').map((s) => s.trim()).filter(Boolean);
  for (const h of holidays) if (!ISO_DATE.test(h)) problems.push(`HOLIDAYS must be a comma-separated list of YYYY-MM-DD dates, got "${h}"`);
  return { days, open, close, timeZone, holidays };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Team-lead settings. Secrets are never echoed in the problems. */
function readLeadSettings(str: (name: string, fallback?: string) => string, problems: string[]): Pick<Config, 'teamLeads' | 'leadsApiToken' | 'tabSso'> {
  // An AAD object id (GUID) or a Teams user id such as "29:1AbC…" or "8:orgid:…".
  const teamLeads = str('TEAM_LEADS').split(',').map((s) => s.trim()).filter(Boolean);
  const badLeads = teamLeads.filter((id) => !GUID.test(id) && !/^\d+:[A-Za-z0-9_.:-]{1,200}$/.test(id));
  if (badLeads.length > 0)
    problems.push(`TEAM_LEADS must be a comma-separated list of Teams user ids (29:…) or AAD object ids (GUIDs), got ${badLeads.map((b) => `"${b.slice(0, 40)}"`).join(', ')}`);

  const leadsApiToken = str('LEADS_API_TOKEN');
  if (leadsApiToken && (leadsApiToken.length < 32 || /\s/.test(leadsApiToken)))
    problems.push('LEADS_API_TOKEN must be at least 32 characters without spaces (e.g. the output of "openssl rand -hex 32")');

  const clientId = str('TAB_SSO_CLIENT_ID');
  const tenantId = str('TAB_SSO_TENANT_ID');
  const jwksText = str('TAB_SSO_JWKS_URL');
  if (!clientId && !tenantId) {
    if (jwksText) problems.push('TAB_SSO_JWKS_URL is set but TAB_SSO_CLIENT_ID and TAB_SSO_TENANT_ID are not');
    return { teamLeads, leadsApiToken };
  }
  if (!GUID.test(clientId)) problems.push(`TAB_SSO_CLIENT_ID must be the tab's AAD application (client) id, a GUID, got "${clientId}"`);
  if (!GUID.test(tenantId)) problems.push(`TAB_SSO_TENANT_ID must be the AAD tenant id, a GUID, got "${tenantId}"`);
  const jwksUrl = jwksText || `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`;
  let url: URL | undefined;
  try {
    url = new URL(jwksUrl);
  } catch {
    problems.push(`TAB_SSO_JWKS_URL must be a URL, got "${jwksText}"`);
  }
  // Signing keys over plain http only from this machine (tests).
  if (url && url.protocol !== 'https:' && !(url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)))
    problems.push(`TAB_SSO_JWKS_URL must be https (http only for 127.0.0.1), got "${jwksText}"`);
  return { teamLeads, leadsApiToken, tabSso: { clientId, tenantId, jwksUrl } };
}

function isHttpOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return ['http:', 'https:'].includes(url.protocol) && !url.username && !url.password;
  } catch {
    return false;
  }
}

function isPostgresUrl(text: string): boolean {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}
