import { join } from 'node:path';
import { AuthenticationConstants } from 'botframework-connector';
import restify from 'restify';
import type { Facts } from '../domain/engine.js';
import { describeHours, isOpen } from '../domain/schedule.js';
import { authUnavailableBody, createAdapter, unauthorizedBody } from './turn/adapter.js';
import { AssistantBot } from './turn/assistantBot.js';
import { DeliveryMarks } from './turn/delivery.js';
import { JsonlDecisionLog } from './infra/decisionLog/jsonlDecisionLog.js';
import { FormHandler } from './turn/formHandler.js';
import { turnEffects } from './turn/turnEffects.js';
import type { Config } from './config.js';
import { describeConsole, registerConsole } from './web/console.js';
import { registerKbMaps } from './web/kbMaps.js';
import { KnowledgeHolder, type ReloadResult } from './knowledge.js';
import { watchKnowledgeBase } from './kbWatch.js';
import { checkActivityRequest, conversationOf } from './http/activityGuard.js';
import { ChannelTokenVerifier } from './http/channelToken.js';
import { limitConnections, refuseEncodedBodies } from './http/requestGuard.js';
import { KeyedQueue } from './http/keyedQueue.js';
import { HeapReclaim } from './heapReclaim.js';
import { DialogOwnerState } from './infra/storage/dialogOwnerState.js';
import { LowdbStorage } from './infra/storage/lowdbStorage.js';
import type { FactNotes } from '../dialogs/cards.js';
import { registerLeadApi } from './leads/api.js';
import { LeadCommands } from './leads/commands.js';
import type { DecisionLog } from '../domain/decisions.js';
import { openPostgresStores } from './infra/pg/stores.js';
import { firstLine } from './errors.js';

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
  /** Checks the knowledge base in KB_DIR again and swaps it in if valid (SIGHUP, file watch, team-lead API). */
  reloadKnowledge(trigger: string): ReloadResult;
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

  // The validated knowledge base is cached beside the state it serves (a directory the bot owns).
  const knowledge = new KnowledgeHolder(config.kbDir, log, join(config.dataDir, 'cache'));
  const kb = () => knowledge.current().kb;
  const schedule = config.telesales.schedule;
  // DATABASE_URL: state and decisions in PostgreSQL, shared by several instances; else lowdb files.
  // DECISION_LOG_SYNC: both stores give one guarantee (written before the card; synced before it, or within a bound).
  const pg = config.databaseUrl ? openPostgresStores(config.databaseUrl, { log, decisionLogSync: config.decisionLogSync }) : undefined;
  const lowdb = pg ? undefined : lowdbState(config.dataDir);
  const conversationState = pg?.conversationState ?? lowdb!.conversationState;

  // Without PostgreSQL: append-only JSON Lines in dataDir/decisions.
  const jsonl = pg ? undefined : JsonlDecisionLog.open(join(config.dataDir, 'decisions'), { now, log, sync: config.decisionLogSync });
  const decisions = pg?.decisions ?? jsonl!;
  const forms = new FormHandler({ kb, decisions, now, timeZone: config.telesales.timeZone });
  const factNotes: FactNotes = schedule ? { telesalesOpen: `по расписанию из настроек бота телепродажи работают ${describeHours(schedule)}` } : {};
  const bot = new AssistantBot({
    knowledge: () => knowledge.current(),
    conversationState,
    decisions,
    handlers: [forms, new LeadCommands({ decisions, teamLeads: config.teamLeads, timeZone: config.telesales.timeZone, log, now })],
    // Without a configured schedule the fact is unknown and the check node asks the operator.
    facts: (): Facts => (schedule ? { telesalesOpen: isOpen(schedule, now()) ? 'yes' : 'no' } : {}),
    factNotes,
    runEffect: turnEffects({ decisions, forms, now, teamLeads: config.teamLeads }),
    cardUpdateFailed: (e) => log(`an older card was not turned read-only in place: ${firstLine(e)}`),
  });

  const localMode = !config.auth.appId;
  const adapter = createAdapter(config, log, new DeliveryMarks(decisions, now, log));

  const server = restify.createServer({ name: 'operator-assistant' });
  limitConnections(server, config.connections);
  // Before routing and body parsing, on every route: no compressed bodies.
  server.pre(refuseEncodedBodies);
  server.use(restify.plugins.bodyParser({ maxBodySize: config.maxBodyBytes, mapParams: false }));
  const turns = new KeyedQueue(() => reclaim.turnDone());
  const reclaim = new HeapReclaim(() => turns.busy);
  // With a MicrosoftAppId every channel request carries a token; checked before the SDK sees it.
  const tokens = localMode
    ? undefined
    : new ChannelTokenVerifier({
        appId: config.auth.appId,
        metadataUrl: config.auth.openIdMetadata || AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
        issuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      });
  const guardOptions = localMode ? { untrustedServiceUrl: { allowedOrigins: config.allowedServiceUrls } } : {};
  let closing = false;
  server.post('/api/messages', async (req, res) => {
    if (closing) {
      res.header('Connection', 'close');
      return void res.send(503, { error: 'shutting down' });
    }
    const problem = checkActivityRequest(req.contentType(), req.body, guardOptions);
    if (problem) return void res.send(problem.status, { error: problem.message });
    const body = req.body as Record<string, unknown>;
    // Local mode is unauthenticated: a token in it is ignored (the SDK would try to fetch keys for it).
    const authorization = tokens ? (req.header('authorization') ?? '') : '';
    if (tokens) {
      const verdict = await tokens.check(authorization, body.channelId);
      if (!verdict.ok) {
        log(`POST /api/messages refused (${verdict.status}) from ${req.socket?.remoteAddress ?? '?'}: ${verdict.reason}`);
        return void res.send(verdict.status, verdict.status === 401 ? unauthorizedBody : authUnavailableBody);
      }
    }
    try {
      // One turn at a time per conversation: a double click cannot interleave two state updates.
      const reply = await turns.run(conversationOf(body), () => adapter.processRequest(authorization, body, (context) => bot.run(context)));
      if (reply.refused) log(`POST /api/messages refused (${reply.status}): ${reply.refused}`);
      if (!res.headersSent) res.send(reply.status, reply.body);
    } catch (e) {
      log(`POST /api/messages failed: ${firstLine(e)}`);
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    }
  });
  // Web console: GET / and POST /api/console, through this same adapter and bot.
  registerConsole(server, adapter, bot, config, log, turns);
  registerKbMaps(server, kb, config, log);
  // Team leads: /api/decisions*, the Teams tab at /tab/.
  const leadsAuth = registerLeadApi(server, {
    decisions,
    config,
    log,
    now,
    kb,
    factNotes,
    terms: (text) => knowledge.current().search.wordingTerms(text),
    reloadKnowledge: () => knowledge.reload('team-lead API') });
  server.get('/healthz', async (_req, res) => {
    // With PostgreSQL the instance is only useful while the database answers: 503 takes it out of a load balancer.
    const database = pg && ((await pg.healthy()) ? 'up' : 'down');
    // A failed background sync of the decision log: decisions may not be on disk, which needs a person.
    const decisionLog = jsonl?.syncProblem();
    const { procedures, version } = kb();
    const status = database === 'down' ? 'unavailable' : decisionLog ? 'degraded' : 'ok';
    res.send(status === 'ok' ? 200 : 503, { status, procedures: procedures.length, kbVersion: version, ...(database ? { database } : {}), ...(decisionLog ? { decisionLog } : {}) });
  });

  let url = '';
  let stopWatching: (() => void) | undefined;
  return {
    server,
    decisions,
    reloadKnowledge: (trigger) => knowledge.reload(trigger),
    describe: () =>
      `Operator assistant on ${url || `http://${config.host}:${config.port}`} · store: ${pg ? pg.description : `lowdb in ${config.dataDir}`} · ${kb().procedures.length} procedures (kb ${kb().version}${stopWatching ? ', reloaded on change' : ''}) · ` +
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
          if (config.kbWatch) stopWatching = watchKnowledgeBase(config.kbDir, () => knowledge.reload('file change'), log);
          resolve(url);
        });
      });
    },
    // Stop accepting, let turns in flight finish (their state writes are awaited inside the turn),
    // then close the stores.
    close: async () => {
      closing = true;
      stopWatching?.();
      reclaim.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.server.closeIdleConnections();
      await turns.idle();
      // Connections whose turn just finished are idle now; keep-alive would hold the close for seconds.
      setImmediate(() => server.server.closeIdleConnections());
      await closed;
      // Every state write has finished: the next start need not check these documents again.
      lowdb?.storage.markClean();
      await decisions.close();
      await pg?.close();
    },
  };
}

/** Conversation state in lowdb files under dataDir/state (one process per directory). */
function lowdbState(dataDir: string): { conversationState: DialogOwnerState; storage: LowdbStorage } {
  const storage = new LowdbStorage(join(dataDir, 'state'));
  storage.verifyAtStart();
  return { conversationState: new DialogOwnerState(storage), storage };
}
