import { join } from 'node:path';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState, UserState, type TurnContext } from 'botbuilder';
import restify from 'restify';
import { loadKnowledgeBase } from '../domain/loader.js';
import { isOpen } from '../domain/schedule.js';
import { KnowledgeSearch, loadSearchData } from '../domain/search/index.js';
import { AssistantBot } from './assistantBot.js';
import { MemoryDecisionLog } from './decisionLog/memoryDecisionLog.js';
import { decisionOf } from './decisionRecorder.js';
import type { Config } from './config.js';
import { LowdbStorage } from './storage/lowdbStorage.js';

export interface AppOptions {
  /** The clock, for facts such as telesales hours (tests pass a fixed one). */
  now?: () => Date;
  log?: (line: string) => void;
}

export interface App {
  server: restify.Server;
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
  const storage = new LowdbStorage(join(config.dataDir, 'state'));
  storage.verify();
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);

  const decisions = new MemoryDecisionLog();
  const bot = new AssistantBot({
    kb,
    search,
    conversationState,
    userState,
    decisions,
    now,
    facts: () => ({ telesalesOpen: isOpen(config.telesales, now()) ? 'yes' : 'no' }),
    onOutcome: (reached) => decisions.append(decisionOf(kb, reached, now())),
  });

  const localMode = !config.auth.appId;
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: config.auth.appId,
      MicrosoftAppPassword: config.auth.appPassword,
      MicrosoftAppType: config.auth.appType,
      MicrosoftAppTenantId: config.auth.tenantId,
    }),
  );
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    // Logged without the activity: it may hold customers' personal data.
    log(`turn error (${context.activity.type}, conversation ${context.activity.conversation?.id ?? '?'}): ${error.stack ?? error.message}`);
    await context.sendActivity('Что-то пошло не так, ответ не получен. Повторите действие или напишите «отмена» и задайте вопрос заново.').catch(() => undefined);
  };

  const server = restify.createServer({ name: 'operator-assistant' });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok', procedures: kb.procedures.length, kbVersion: kb.version });
    return next();
  });

  let url = '';
  return {
    server,
    describe: () =>
      `Operator assistant on ${url || `http://${config.host}:${config.port}`} · store: lowdb in ${config.dataDir} · ${kb.procedures.length} procedures (kb ${kb.version}) · ` +
      (localMode ? 'local mode: no MicrosoftAppId, requests are NOT authenticated' : `Bot Framework auth for app ${config.auth.appId}`),
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const address = server.address();
          url = `http://${config.host}:${address.port}`;
          resolve(url);
        });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
