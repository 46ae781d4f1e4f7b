/**
 * The SDK floor: the smallest botbuilder bot on the bot's stack — restify 11 with the same
 * bodyParser, CloudAdapter with the SDK's own ConfigurationBotFrameworkAuthentication (local mode:
 * no app id), deliveryMode expectReplies, ConversationState on MemoryStorage (read, one property
 * changed, saved every turn), one text reply. Nothing the bot adds (request guard, per-conversation
 * queue, dialogs, cards, files). Started by bench/run.ts as its own process with the bot's node
 * flags; prints its URL when listening.
 */
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState, MemoryStorage, type TurnContext } from 'botbuilder';
import restify from 'restify';

const conversationState = new ConversationState(new MemoryStorage());
const turnCount = conversationState.createProperty<number>('turnCount');

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const n = (await turnCount.get(context, 0)) + 1;
      await turnCount.set(context, n);
      await context.sendActivity(`echo ${n}: ${context.activity.text ?? ''}`);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await conversationState.saveChanges(context, false);
  }
}

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new EchoBot();
const server = restify.createServer({ name: 'bench-echo' });
server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`echo bot listening on http://127.0.0.1:${server.address().port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
