import { join } from 'node:path';
import { ConversationState } from 'botbuilder';
import restify from 'restify';
import { loadKnowledgeBase } from '../domain/loader.js';
import { describeHours, isOpen } from '../domain/schedule.js';
import { KnowledgeSearch, loadSearchData } from '../domain/search/index.js';
import { createAdapter } from './adapter.js';
import { AssistantBot } from './assistantBot.js';
import { JsonlDecisionLog } from './decisionLog/jsonlDecisionLog.js';
import { FormHandler } from './formHandler.js';
import { turnEffects } from './turnEffects.js';
import type { Config } from './config.js';
import { describeConsole, registerConsole } from './console.js';
import { checkActivityRequest, conversationOf } from './http/activityGuard.js';
import { KeyedQueue } from './http/keyedQueue.js';
import { LowdbStorage } from './storage/lowdbStorage.js';
import { registerLeadApi } from './leadApi.js';
import { LeadCommands } from './leadCommands.js';
import type { DecisionLog } from '../domain/decisions.js';
import { openPostgresStores } from './pg/stores.js';

export interface AppOptions {
  /** The clock, for facts such as telesales hours (tests pass a fixed one). */
  now?: () => Date;
  log?: (line: string) => void;
}

export interface App {
  server: restify.Server;
  /** The decision log (team-lead API, tests). */
  decisions: DecisionLog;
  /** One line for the start log: where, which store, how many procedures. */
  describe(): string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Builds the whole bot from configuration: knowledge base (all or nothing), storage, search,
 * the bot, the Bot Framework adapter and the restify server. Throws before listening if any
 * part is invalid, so a bot never serves half-loaded.
 */
export function createApp(config: Config, options: AppOptions = {}): App {
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? (() => new Date());

  const kb = loadKnowledgeBase(config.kbDir);
  const search = new KnowledgeSearch(kb, loadSearchData(config.kbDir));
  // DATABASE_URL: state and decisions in PostgreSQL, shared by several instances; else lowdb files.
  const pg = config.databaseUrl ? openPostgresStores(config.databaseUrl, { log }) : undefined;
  const conversationState = pg?.conversationState ?? lowdbState(config.dataDir);

  // Without PostgreSQL: append-only JSON Lines in dataDir/decisions.
  const decisions = pg?.decisions ?? JsonlDecisionLog.open(join(config.dataDir, 'decisions'), { now, log });
  const forms = new FormHandler({ kb, decisions, now, timeZone: config.telesales.timeZone });
  const bot = new AssistantBot({
    kb,
    search,
    conversationState,
    handlers: [forms, new LeadCommands({ decisions, teamLeads: config.teamLeads, timeZone: config.telesales.timeZone, log, now })],
    facts: () => ({ telesalesOpen: isOpen(config.telesales, now()) ? 'yes' : 'no' }),
    factNotes: { telesalesOpen: `телепродажи по настройке бота работают ${describeHours(config.telesales)}` },
    runEffect: turnEffects({ decisions, forms, now }),
  });

  const localMode = !config.auth.appId;
  const adapter = createAdapter(config, log);

  const server = restify.createServer({ name: 'operator-assistant' });
  server.use(restify.plugins.bodyParser({ maxBodySize: config.maxBodyBytes, mapParams: false }));
  const turns = new KeyedQueue();
  let closing = false;
  server.post('/api/messages', async (req, res) => {
    if (closing) {
      res.header('Connection', 'close');
      return void res.send(503, { error: 'shutting down' });
    }
    const problem = checkActivityRequest(req.contentType(), req.body);
    if (problem) return void res.send(problem.status, { error: problem.message });
    try {
      // One turn at a time per conversation: a double click cannot interleave two state updates.
      await turns.run(conversationOf(req.body), () => adapter.process(req, res, (context) => bot.run(context)));
    } catch (e) {
      log(`POST /api/messages failed: ${(e as Error).message}`);
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    }
  });
  // Web console: GET / and POST /api/console, through this same adapter and bot.
  registerConsole(server, adapter, bot, config, log, turns);
  // Team leads: /api/decisions*, the Teams tab at /tab/.
  const leadsAuth = registerLeadApi(server, { decisions, config, log, now });
  server.get('/healthz', async (_req, res) => {
    // With PostgreSQL the instance is only useful while the database answers: 503 takes it out of a load balancer.
    const database = pg && ((await pg.healthy()) ? 'up' : 'down');
    res.send(database === 'down' ? 503 : 200, { status: database === 'down' ? 'unavailable' : 'ok', procedures: kb.procedures.length, kbVersion: kb.version, ...(database ? { database } : {}) });
  });

  let url = '';
  return {
    server,
    decisions,
    describe: () =>
      `Operator assistant on ${url || `http://${config.host}:${config.port}`} · store: ${pg ? pg.description : `lowdb in ${config.dataDir}`} · ${kb.procedures.length} procedures (kb ${kb.version}) · ` +
      (localMode ? 'local mode: no MicrosoftAppId, requests are NOT authenticated' : `Bot Framework auth for app ${config.auth.appId}`) +
      ` · ${describeConsole(config, url || `http://${config.host}:${config.port}`)}` +
      ` · ${leadsAuth.describe()}`,
    listen: async () => {
      // The schema first (created or migrated): an instance never serves against an outdated one.
      await pg?.start();
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const address = server.address();
          url = `http://${config.host}:${address.port}`;
          resolve(url);
        });
      });
    },
    // Stop accepting, let turns in flight finish (their state writes are awaited inside the turn),
    // then close the stores.
    close: async () => {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.server.closeIdleConnections();
      await turns.idle();
      // Connections whose turn just finished are idle now; keep-alive would hold the close for seconds.
      setImmediate(() => server.server.closeIdleConnections());
      await closed;
      await decisions.close();
      await pg?.close();
    },
  };
}

/** Conversation state in lowdb files under dataDir/state (one process per directory). */
function lowdbState(dataDir: string): ConversationState {
  const storage = new LowdbStorage(join(dataDir, 'state'));
  storage.verify();
  return new ConversationState(storage);
}
