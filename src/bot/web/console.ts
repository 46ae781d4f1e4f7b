import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Activity, CloudAdapter, TurnContext } from 'botbuilder';
// botbuilder's own auth layer (a dependency of botbuilder, same version): needed to hand the
// adapter an already-authenticated request, as CloudAdapter does for proactive messages.
import {
  AuthenticationConstants,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  MicrosoftAppCredentials,
  type AuthenticateRequestResult,
} from 'botframework-connector';
import type restify from 'restify';
import { packagePath } from '../../packageRoot.js';
import type { Config } from '../config.js';
import { MAX_DEPTH } from '../http/activityGuard.js';
import { nestsDeeperThan } from '../http/jsonDepth.js';
import type { KeyedQueue } from '../http/keyedQueue.js';
import { sendStaticFile } from './staticFiles.js';
import { firstLine } from '../errors.js';

/**
 * The local web console: a chat page at GET / that renders the bot's Adaptive
 * Cards as Teams does, and POST /api/console, which turns the page's text and card clicks into
 * message activities and runs them through the SAME CloudAdapter and bot as /api/messages.
 *
 * The console bypasses Bot Framework channel authentication, so it is on by default only in
 * local mode (no MicrosoftAppId); with a MicrosoftAppId it needs CONSOLE_ENABLED=true.
 */

const publicDir = packagePath('public', 'console');
const vendorDir = packagePath('node_modules', 'adaptivecards', 'dist');

/** The files the page may load: nothing else under these directories is served. */
const pageFiles = new Set(['console.js', 'console.css', 'render.js', 'hostConfig.js', 'markdown.js']);
const vendorFiles = new Set(['adaptivecards.min.js', 'adaptivecards.min.js.map', 'adaptivecards.css']);

export const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  // The card library sets inline styles; scripts only from this server, requests only to it.
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

/** The bot as the adapter runs it (AssistantBot.run). */
export interface ConsoleBot {
  run(context: TurnContext): Promise<void>;
}

/** The body of POST /api/console. */
export interface ConsoleRequest {
  conversationId: string;
  userId: string;
  userName: string;
  /** "message" (default): the user's text or card click; "conversationUpdate": the page opened a new conversation; "invoke": an Action.Execute click (`verb`, `value` its data). */
  type: 'message' | 'conversationUpdate' | 'invoke';
  text?: string;
  value?: Record<string, unknown>;
  verb?: string;
  /** false: the page was opened without Universal Actions (`?ua=off`), as the Emulator is; the bot sends Action.Submit. */
  universalActions?: boolean;
}

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const allowedKeys = new Set(['conversationId', 'userId', 'userName', 'type', 'text', 'value', 'verb', 'universalActions']);
export const MAX_TEXT = 4000;
export const MAX_VALUE_JSON = 16 * 1024;

/** Checks a request body; returns the request or every problem found (for a 400 answer). */
export function parseConsoleRequest(body: unknown): { ok: true; request: ConsoleRequest } | { ok: false; problems: string[] } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, problems: ['the body must be a JSON object'] };
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(b)) if (!allowedKeys.has(key)) problems.push(`unknown field "${key}"`);
  for (const key of ['conversationId', 'userId'] as const)
    if (typeof b[key] !== 'string' || !idPattern.test(b[key] as string))
      problems.push(`${key} must be a string of 1–128 letters, digits or . _ : @ - (starting with a letter or digit)`);
  if (b.userName !== undefined && (typeof b.userName !== 'string' || b.userName.length > 100)) problems.push('userName must be a string of at most 100 characters');
  const type = b.type ?? 'message';
  if (type !== 'message' && type !== 'conversationUpdate' && type !== 'invoke') {
    problems.push('type must be "message", "conversationUpdate" or "invoke"');
    return { ok: false, problems };
  }
  if (type === 'invoke' ? typeof b.verb !== 'string' || !/^[A-Za-z]{1,32}$/.test(b.verb) || b.value === undefined || b.text !== undefined : b.verb !== undefined)
    problems.push('an invoke (an Action.Execute click) takes a verb of 1–32 letters and a value, and no text; other types take no verb');
  if (b.universalActions !== undefined && typeof b.universalActions !== 'boolean') problems.push('universalActions must be true or false');
  if (b.text !== undefined && (typeof b.text !== 'string' || b.text.length > MAX_TEXT)) problems.push(`text must be a string of at most ${MAX_TEXT} characters`);
  if (b.value !== undefined) {
    if (!b.value || typeof b.value !== 'object' || Array.isArray(b.value)) problems.push('value must be a JSON object (the card action data)');
    // Before JSON.stringify, whose recursion a deep enough value overflows.
    else if (nestsDeeperThan(b.value, MAX_DEPTH)) problems.push(`value nests deeper than ${MAX_DEPTH} levels`);
    else if (JSON.stringify(b.value).length > MAX_VALUE_JSON) problems.push(`value must be at most ${MAX_VALUE_JSON} bytes of JSON`);
  }
  if (type === 'message' && b.text === undefined && b.value === undefined) problems.push('a message needs text or value');
  if (type === 'conversationUpdate' && (b.text !== undefined || b.value !== undefined)) problems.push('a conversationUpdate takes no text or value');
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    request: {
      conversationId: b.conversationId as string,
      userId: b.userId as string,
      userName: typeof b.userName === 'string' && b.userName.trim() ? b.userName.trim() : 'Оператор (веб-консоль)',
      type,
      ...(b.text !== undefined ? { text: b.text as string } : {}),
      ...(b.value !== undefined ? { value: b.value as Record<string, unknown> } : {}),
      ...(typeof b.verb === 'string' ? { verb: b.verb } : {}),
      ...(typeof b.universalActions === 'boolean' ? { universalActions: b.universalActions } : {}),
    },
  };
}

const BOT_ACCOUNT = { id: 'operator-assistant', name: 'Помощник оператора', role: 'bot' };

/** The activity a Web Chat channel would deliver for this request, with expectReplies. */
export function consoleActivity(request: ConsoleRequest, serviceUrl: string): Activity {
  const from = { id: request.userId, name: request.userName, role: 'user' };
  const base = {
    id: randomUUID(),
    timestamp: new Date(),
    channelId: 'webchat',
    serviceUrl,
    from,
    recipient: BOT_ACCOUNT,
    conversation: { id: request.conversationId, conversationType: 'personal', isGroup: false, name: 'Веб-консоль' },
    deliveryMode: 'expectReplies',
    locale: 'ru-RU',
    // Read by supportsUniversalActions: a page without them gets Action.Submit buttons.
    channelData: { source: 'operator-assistant-console', ...(request.universalActions === false ? { universalActions: false } : {}) },
  };
  if (request.type === 'conversationUpdate') return { ...base, type: 'conversationUpdate', membersAdded: [BOT_ACCOUNT, from] } as unknown as Activity;
  // As Teams sends an Action.Execute click: its answer comes back among the replies as the `invokeResponse`.
  if (request.type === 'invoke') return { ...base, type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: request.verb, data: request.value } } } as unknown as Activity;
  return {
    ...base,
    type: 'message',
    textFormat: 'plain',
    ...(request.text !== undefined ? { text: request.text } : {}),
    ...(request.value !== undefined ? { value: request.value } : {}),
  } as unknown as Activity;
}

/**
 * Connectors for console turns: anonymous and aimed at this server. Replies travel back in the
 * HTTP answer (expectReplies), so nothing is ever sent through them, and the bot's credentials are
 * never attached to a request the console started.
 */
class ConsoleConnectorFactory extends ConnectorFactory {
  async create(serviceUrl: string): Promise<ConnectorClient> {
    return new ConnectorClient(MicrosoftAppCredentials.Empty, { baseUri: serviceUrl });
  }
}

/**
 * The authentication result the adapter would get from a channel: anonymous in local mode (exactly
 * what /api/messages yields without a token), the bot's own identity when a MicrosoftAppId is set
 * (as CloudAdapter uses for proactive turns), so the adapter's user-token client can be built.
 */
function consoleAuthentication(config: Config): AuthenticateRequestResult {
  const appId = config.auth.appId;
  const claimsIdentity = appId
    ? new ClaimsIdentity(
        [
          { type: AuthenticationConstants.AudienceClaim, value: appId },
          { type: AuthenticationConstants.AppIdClaim, value: appId },
        ],
        true,
      )
    : new ClaimsIdentity([], AuthenticationConstants.AnonymousAuthType);
  return { audience: AuthenticationConstants.ToChannelFromBotOAuthScope, claimsIdentity, connectorFactory: new ConsoleConnectorFactory() };
}

/** This server's own address, for the console's serviceUrl and the start log. */
export function localUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

/** One part of the start log line: where the console is, or why it is off. */
export function describeConsole(config: Config, url: string): string {
  if (config.console.enabled)
    return `web console ON at ${url}/` + (config.auth.appId ? ' (CONSOLE_ENABLED=true: it bypasses channel authentication)' : '');
  return config.auth.appId ? 'web console OFF (MicrosoftAppId is set; CONSOLE_ENABLED=true turns it on)' : 'web console OFF (CONSOLE_ENABLED=false)';
}

const consoleOffMessage =
  'Веб-консоль выключена: бот настроен для Bot Framework (MicrosoftAppId), а консоль обходит проверку подлинности канала. ' +
  'Чтобы включить её, запустите бот с CONSOLE_ENABLED=true.';

async function sendFile(res: restify.Response, file: string): Promise<void> {
  if (await sendStaticFile(res, file, securityHeaders)) return;
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders });
  res.end('Not found');
}

function sendJson(res: restify.Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...securityHeaders });
  res.end(text);
}

/**
 * Registers the console's routes on the server: the page (GET /, /console/*), the card library
 * (/vendor/*) and POST /api/console, which runs each request as one turn of `adapter` + `bot`.
 */
export function registerConsole(
  server: restify.Server,
  adapter: CloudAdapter,
  bot: ConsoleBot,
  config: Config,
  log: (line: string) => void,
  turns: KeyedQueue,
): void {
  server.get('/', async (_req, res) => {
    await sendFile(res, join(publicDir, 'index.html'));
  });
  server.get('/console/:file', async (req, res) => {
    const file = String(req.params.file ?? '');
    if (pageFiles.has(file)) await sendFile(res, join(publicDir, file));
    else sendJson(res, 404, { error: 'not_found', message: `no console file "${file}"` });
  });
  server.get('/vendor/:file', async (req, res) => {
    const file = String(req.params.file ?? '');
    if (vendorFiles.has(file)) await sendFile(res, join(vendorDir, file));
    else sendJson(res, 404, { error: 'not_found', message: `no vendor file "${file}"` });
  });

  const authentication = consoleAuthentication(config);

  server.post('/api/console', async (req, res) => {
    try {
      await consoleTurn(req, res);
    } catch (e) {
      // Logged without the activity: it may hold customers' personal data. Never a stack to the page.
      log(`POST /api/console failed: ${firstLine(e)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'turn_failed', message: 'Бот не смог обработать сообщение; подробности — в журнале сервера.' });
    }
  });

  async function consoleTurn(req: restify.Request, res: restify.Response): Promise<void> {
    if (!config.console.enabled) return sendJson(res, 403, { error: 'console_disabled', message: consoleOffMessage });
    // JSON only: a form on another site cannot post here without a CORS preflight we never grant.
    if (!/^application\/json\s*(;|$)/i.test(String(req.headers['content-type'] ?? '')))
      return sendJson(res, 415, { error: 'unsupported_media_type', message: 'POST /api/console takes a JSON body (Content-Type: application/json).' });
    const parsed = parseConsoleRequest(req.body);
    if (!parsed.ok) return sendJson(res, 400, { error: 'bad_request', message: `Malformed console request: ${parsed.problems.join('; ')}.`, problems: parsed.problems });

    const activity = consoleActivity(parsed.request, localUrl(config.host, server.address().port) + '/');
    let replies: Partial<Activity>[] = [];
    // The same adapter (middleware, onTurnError) and the same bot as POST /api/messages. With
    // expectReplies the adapter buffers every reply of the turn (also onTurnError's) on the
    // context; the context itself is revoked after the turn, so keep the buffer.
    // In the same per-conversation queue as /api/messages, so shutdown waits for it too.
    await turns.run(activity.conversation!.id, () =>
      adapter.processActivityDirect(authentication, activity, async (context) => {
        replies = context.bufferedReplyActivities;
        await bot.run(context);
      }),
    );
    sendJson(res, 200, { activities: replies });
  }
}
