import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { AssistantBot, type AssistantBotDeps } from '../../src/bot/turn/assistantBot.js';
import { MemoryDecisionLog } from '../../src/bot/infra/decisionLog/memoryDecisionLog.js';
import { FormHandler } from '../../src/bot/turn/formHandler.js';
import { turnEffects } from '../../src/bot/turn/turnEffects.js';
import type { Answer, Facts } from '../../src/domain/engine.js';
import { cardOf, clickData } from './cards.js';
import { realKb, realSearch } from './kb.js';

/**
 * An operator in front of the whole bot (activity handler, the turn waterfall, state and decision
 * log) in one procedure: `start()` opens it as a topic click does, with `answers` known before the
 * first question (as when taken from the operator's message); then they read each card and click or type.
 */
export function operator(procedureId: string, facts: Facts = {}, deps: Partial<AssistantBotDeps> = {}, answers?: Answer[]) {
  const kb = realKb();
  const decisions = new MemoryDecisionLog();
  const forms = new FormHandler({ kb: () => kb, decisions, now: () => new Date() });
  const bot = new AssistantBot({
    knowledge: () => ({ kb, search: realSearch() }),
    conversationState: new ConversationState(new MemoryStorage()),
    handlers: [forms],
    facts: () => facts,
    runEffect: turnEffects({ decisions, forms, now: () => new Date() }),
    ...deps,
  });
  const adapter = new TestAdapter((context) => bot.run(context));
  return {
    decisions,
    async send(activity: Partial<Activity> | string): Promise<Partial<Activity>[]> {
      const a: Partial<Activity> = typeof activity === 'string' ? { type: 'message', text: activity } : activity;
      await adapter.receiveActivity({ from: { id: 'user-1', name: 'Оператор' }, ...a });
      return adapter.activeQueue.splice(0);
    },
    start() {
      return this.send({ type: 'message', value: { action: 'start', procedureId, ...(answers ? { answers } : {}) } });
    },
    click(card: ReturnType<typeof cardOf>, title: string) {
      return this.send({ type: 'message', value: clickData(card, title) });
    },
  };
}
