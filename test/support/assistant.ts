import { MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { AssistantBot } from '../../src/bot/turn/assistantBot.js';
import { DialogOwnerState } from '../../src/bot/infra/storage/dialogOwnerState.js';
import { MemoryDecisionLog } from '../../src/bot/infra/decisionLog/memoryDecisionLog.js';
import { FormHandler } from '../../src/bot/turn/formHandler.js';
import { LeadCommands } from '../../src/bot/leads/commands.js';
import { turnEffects } from '../../src/bot/turn/turnEffects.js';
import type { KnowledgeBase, Procedure } from '../../src/domain/types.js';
import { cardOf, choicesOf, clickData, headlineOf, type Card } from './cards.js';
import { procedure, realKb, realSearch } from './kb.js';

/**
 * The whole bot as the server builds it (real knowledge base, real search, the procedure dialog,
 * the decision log), behind a Bot Framework test adapter: free text goes the same way as in Teams.
 */
export function assistant(options: { telesalesOpen?: boolean; failUpdates?: boolean; teamLeads?: string[] } = {}) {
  /** Messages the bot updated in place (Teams' updateActivity), and the lines it logged about them. */
  const updates: Partial<Activity>[] = [];
  const log: string[] = [];
  let kb = realKb();
  const storage = new MemoryStorage();
  const decisions = new MemoryDecisionLog();
  const now = () => new Date('2026-11-24T09:30:00Z');
  const forms = new FormHandler({ kb: () => kb, decisions, now });
  const bot = new AssistantBot({
    // The search is built once per run, as the server builds it once per load; a query keeps no state.
    knowledge: () => ({ kb, search: realSearch() }),
    conversationState: new DialogOwnerState(storage),
    decisions,
    // In the server's order: forms, then team-lead commands.
    handlers: [forms, ...(options.teamLeads ? [new LeadCommands({ decisions, teamLeads: options.teamLeads, timeZone: 'Europe/Moscow', log: (line) => log.push(line), now })] : [])],
    // The clock fact is fixed here, so an answer never depends on when the test runs.
    facts: () => ({ telesalesOpen: options.telesalesOpen === false ? 'no' : 'yes' }),
    runEffect: turnEffects({ decisions, forms, now }),
    cardUpdateFailed: (e) => log.push(String((e as Error).message)),
  });
  const adapter = new TestAdapter((context) => bot.run(context));
  adapter.updateActivity = async (_context, activity) => {
    if (options.failUpdates) throw new Error('the channel refused the update');
    updates.push(activity);
  };
  return {
    updates,
    log,
    decisions,
    /** Swaps the knowledge base in use, as a reload does. */
    useKb(next: KnowledgeBase) {
      kb = next;
    },
    /** Sends one message (text or card click) and returns every reply of that turn. */
    async say(input: string | Partial<Activity>): Promise<Partial<Activity>[]> {
      const activity: Partial<Activity> = typeof input === 'string' ? { type: 'message', text: input } : { type: 'message', ...input };
      await adapter.send({ from: { id: 'user-1', name: 'Оператор' }, ...activity } as Partial<Activity>).startTest();
      const replies: Partial<Activity>[] = [];
      for (let r = adapter.activeQueue.shift(); r; r = adapter.activeQueue.shift()) replies.push(r);
      return replies;
    },
    /**
     * Clicks an Action.Execute as Teams does (an `adaptiveCard/action` invoke with its verb and data):
     * the invoke's answer (the card put in place of the clicked one) and anything else the turn sent.
     */
    async invoke(action: { verb?: string; data: unknown }, activity: Partial<Activity> = {}): Promise<{ answer: { statusCode: number; type: string; value: any } | undefined; sent: Partial<Activity>[] }> {
      const value = { action: { type: 'Action.Execute', verb: action.verb, data: action.data } };
      const replies = await this.say({ from: { id: 'user-1', name: 'Оператор' }, ...activity, type: 'invoke', name: 'adaptiveCard/action', value });
      const response = replies.find((r) => r.type === 'invokeResponse');
      return { answer: (response?.value as { body?: any } | undefined)?.body, sent: replies.filter((r) => r !== response) };
    },
    /** Taps the choice or button titled `title` on the card of `screen` (as Teams sends a card click). */
    tap(screen: Screen, title: string): Promise<Partial<Activity>[]> {
      if (!screen.card) throw new Error(`no card to tap «${title}» on; the bot said: ${screen.texts.join(' | ')}`);
      return this.say({ value: clickData(screen.card, title) });
    },
  };
}

const isCard = (a: Partial<Activity>) => (a.attachments ?? []).some((x) => x.contentType === 'application/vnd.microsoft.card.adaptive');

/** Every string a person reads on a card: text blocks, rich-text runs, facts, copy fields, button titles. */
export function visibleTextOf(card: Card): string {
  const out: string[] = [];
  const walk = (node: any): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (node.type === 'TextBlock' || node.type === 'TextRun') out.push(String(node.text));
    if (node.type === 'FactSet') for (const f of node.facts ?? []) out.push(`${f.title}: ${f.value}`);
    if (node.type === 'Input.Text' && node.value) out.push(String(node.value));
    if (typeof node.type === 'string' && node.type.startsWith('Action.') && node.title) out.push(String(node.title));
    if (node.selectAction?.title) out.push(String(node.selectAction.title));
    for (const key of ['body', 'items', 'columns', 'actions', 'card', 'inlines']) if (node[key]) walk(node[key]);
  };
  walk(card);
  return out.join('\n');
}

/** What the operator sees after a turn: the plain texts, and the last card (what they act on next). */
export interface Screen {
  texts: string[];
  card?: Card;
  /** The large heading of the last card: the question asked, or what to do first. */
  headline: string;
  /** Everything readable: plain texts and every card's visible text. */
  all: string;
  /** Tappable choices of the last card. */
  choices: string[];
  /** Size of everything sent this turn, as JSON (a 11 KB topic list is not a short reply). */
  bytes: number;
}

export function screenOf(replies: Partial<Activity>[]): Screen {
  const cards = replies.filter(isCard).map((r) => cardOf(r));
  const card = cards[cards.length - 1];
  const texts = replies.map((r) => r.text).filter((x): x is string => typeof x === 'string' && x.length > 0);
  return {
    texts,
    card,
    headline: card ? headlineOf(card) : '',
    all: [...texts, ...cards.map(visibleTextOf)].join('\n'),
    choices: card ? choicesOf(card).map((c) => c.title) : [],
    bytes: Buffer.byteLength(JSON.stringify(replies), 'utf8'),
  };
}

/** Expected texts come from the knowledge base (the procedure trees), so a test names the node it means. */
function node(procedureId: string, nodeId: string): Procedure['nodes'][string] {
  const n = procedure(procedureId).nodes[nodeId];
  if (!n) throw new Error(`no node "${nodeId}" in procedure "${procedureId}"`);
  return n;
}

/** The text of a question as its card shows it. */
export function questionText(procedureId: string, nodeId: string): string {
  const n = node(procedureId, nodeId);
  if (n.type !== 'question') throw new Error(`${procedureId}.${nodeId} is not a question`);
  return n.text;
}

/** The headline of an outcome as its card shows it. */
export function outcomeHeadline(procedureId: string, nodeId: string): string {
  const n = node(procedureId, nodeId);
  if (n.type !== 'outcome') throw new Error(`${procedureId}.${nodeId} is not an outcome`);
  return n.headline;
}

/** Every headline an outcome of any procedure (or of one) can have, and every question text: what "an answer" looks like. */
export function procedureScreens(procedureId?: string): { outcomes: Set<string>; questions: Set<string> } {
  const outcomes = new Set<string>();
  const questions = new Set<string>();
  for (const p of realKb().procedures.filter((x) => procedureId === undefined || x.id === procedureId))
    for (const n of Object.values(p.nodes)) {
      if (n.type === 'outcome') outcomes.add(n.headline);
      if (n.type === 'question') questions.add(n.text);
    }
  return { outcomes, questions };
}
