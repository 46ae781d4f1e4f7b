/**
 * Offline pre-fill of a DATA_DIR before the bot starts on it, through the real store classes:
 *  - conversations: `LowdbStorage.write` into DATA_DIR/state, one document per conversation (the
 *    bot keeps no user state), cloned from state documents a real run left behind (the empty-store
 *    turn load), so each holds a real walk; a small hand-made one otherwise;
 *  - decisions: `JsonlDecisionLog.append` into DATA_DIR/decisions (JSON Lines), shaped like the
 *    ones dialogs log (test/support/decisions.ts), with feedback on every 20th (half of it «Ответ
 *    неверный», some with a comment), every 15th not covered by its procedure, and an unanswered
 *    question beside every 10th (a few wordings of a dozen questions, some cancelled mid-dialog).
 *
 * Also runnable alone: `tsx bench/prefill.ts <dataDir> <decisions> <conversations> [templateStateDir]`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { StoreItem } from 'botbuilder';
import { JsonlDecisionLog } from '../src/bot/infra/decisionLog/jsonlDecisionLog.js';
import { LowdbStorage } from '../src/bot/infra/storage/lowdbStorage.js';
import { TURN_DIALOG, type TurnOptions } from '../src/dialogs/turnDialog.js';
import type { Walk } from '../src/domain/walk.js';
import { decision } from '../test/support/decisions.js';

export interface PrefillResult {
  decisions: number;
  conversations: number;
  ms: number;
  /** Bytes written under DATA_DIR/decisions and DATA_DIR/state. */
  decisionBytes: number;
  stateBytes: number;
}

interface StateTemplate {
  conversation: StoreItem[];
}

const OPERATORS = 200;

/** What operators ask that the bot cannot answer: a dozen questions, each in a few wordings. */
const UNANSWERED = [
  'клиент орет матом',
  'кл орёт',
  'клиент просит вернуть деньги за прошлый месяц',
  'абонент хочет перенести номер в другой регион',
  'как оформить возврат оборудования',
  'клиент спрашивает про роуминг в Турции',
  'не приходят смс с кодом',
  'клиент просит скидку на тариф',
  'сколько стоит переоформление договора',
  'абонент жалуется на скорость интернета',
  'клиент хочет сменить владельца договора',
  'кл спрашивает про рассрочку на телефон',
];
const BATCH = 2000;

/**
 * A conversation as TurnDialog leaves it mid-procedure: its one waterfall waiting for the operator,
 * with the open walk and the turn id in its options (used when no real run left documents).
 */
const walk: Walk = { procedureId: 'case-repeat-inquiry', version: 3, answers: [{ nodeId: 'state', optionId: 'closed-disagree', from: 'tap' }], facts: {}, cardId: 'fallbackCard' };
const FALLBACK: StateTemplate = {
  conversation: [
    {
      dialogState: {
        dialogStack: [{ id: TURN_DIALOG, state: { options: { walk, turn: 'fallbackTurn' } satisfies TurnOptions, values: { instanceId: 'fallback' }, stepIndex: 0 } }],
      },
    },
  ],
};

/** Conversation state items from a state directory a real run left (at most 200). */
export function readStateTemplate(stateDir: string): StateTemplate {
  const out: StateTemplate = { conversation: [] };
  let names: string[] = [];
  try {
    names = readdirSync(stateDir).filter((f) => f.endsWith('.json'));
  } catch {
    return FALLBACK;
  }
  for (const name of names) {
    if (out.conversation.length >= 200) break;
    try {
      const doc = JSON.parse(readFileSync(join(stateDir, name), 'utf8')) as { key: string; item: StoreItem } | null;
      if (!doc) continue;
      if (doc.key.includes('/conversations/')) out.conversation.push(doc.item);
    } catch {
      // a document being replaced: skip it
    }
  }
  return out.conversation.length > 0 ? out : FALLBACK;
}

function dirBytes(dir: string): number {
  let total = 0;
  try {
    for (const name of readdirSync(dir)) total += statSync(join(dir, name)).size;
  } catch {
    // missing
  }
  return total;
}

export interface PrefillOptions {
  /** Conversations to write; 0 = none. */
  conversations: number;
  /** Decisions numbered [from, to) to append (`from` > 0 adds to a log filled before). */
  decisions: { from?: number; to: number };
  /** Conversation ids the decisions refer to (default: `conversations`). */
  conversationIds?: number;
  template?: StateTemplate;
  onProgress?: (text: string) => void;
}

export async function prefill(dataDir: string, options: PrefillOptions): Promise<PrefillResult> {
  const { conversations, template = FALLBACK, onProgress } = options;
  const from = options.decisions.from ?? 0;
  const decisions = options.decisions.to;
  const conversationIds = Math.max(1, options.conversationIds ?? conversations);
  const started = performance.now();
  const storage = new LowdbStorage(join(dataDir, 'state'));
  for (let i = 0; i < conversations; i += BATCH) {
    const changes: Record<string, StoreItem> = {};
    for (let k = i; k < Math.min(conversations, i + BATCH); k++) changes[`msteams/conversations/prefill-${k}/`] = { ...structuredClone(template.conversation[k % template.conversation.length]), eTag: '*' };
    await storage.write(changes);
    onProgress?.(`${Math.min(conversations, i + BATCH)}/${conversations} conversations`);
  }

  // Decisions through the real JSON Lines log; no fdatasync per line (an offline fill, not a bot).
  const log = JsonlDecisionLog.open(join(dataDir, 'decisions'), { sync: 'off', log: () => undefined });
  // One decision a minute from 200,000 minutes (about 4.5 months) ago: monotonic across fills that add to a log.
  const base = Date.now() - 200_000 * 60_000;
  for (let i = from; i < decisions; i += BATCH) {
    const batch: Promise<unknown>[] = [];
    for (let n = i; n < Math.min(decisions, i + BATCH); n++) {
      const op = n % OPERATORS;
      const record = decision(n, {
        id: `prefill-${n}`,
        at: new Date(base + n * 60_000).toISOString(),
        operator: { id: `29:prefill-operator-${op}`, name: `Оператор ${op}` },
        conversationId: `prefill-${n % conversationIds}`,
      });
      if (n % 15 === 7) record.outcome = { nodeId: 'state_not_covered', kind: 'notCovered', headline: 'Процедура не описывает это состояние кейса: уточните у тимлида' };
      batch.push(log.append(record));
      if (n % 20 === 0)
        batch.push(log.addFeedback({ decisionId: record.id, at: record.at, by: record.operator, verdict: n % 40 === 0 ? 'wrong' : 'helpful', ...(n % 80 === 0 ? { comment: 'не та линия' } : {}) }));
      if (n % 10 === 3) {
        const cancelled = n % 30 === 3;
        batch.push(
          log.addUnanswered({
            id: `prefill-u${n}`,
            at: record.at,
            operator: record.operator,
            conversationId: record.conversationId,
            ...(cancelled
              ? { reason: 'cancelled', procedureId: 'case-repeat-inquiry', nodeId: 'closed_category', path: [{ nodeId: 'state', optionId: 'closed-disagree' }] }
              : { reason: n % 4 === 1 ? 'nothingFits' : 'noMatch', text: `${UNANSWERED[n % UNANSWERED.length]}${n % 7 === 0 ? ' срочно' : ''}` }),
          }),
        );
      }
    }
    await Promise.all(batch);
    onProgress?.(`${Math.min(decisions, i + BATCH)}/${decisions} decisions`);
  }
  await log.close();
  return {
    decisions: decisions - from,
    conversations,
    ms: Math.round(performance.now() - started),
    decisionBytes: dirBytes(join(dataDir, 'decisions')),
    stateBytes: dirBytes(join(dataDir, 'state')),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dataDir, decisions = '10000', conversations = '10000', templateDir] = process.argv.slice(2);
  if (!dataDir) {
    console.error('usage: tsx bench/prefill.ts <dataDir> [decisions] [conversations] [templateStateDir]');
    process.exit(2);
  }
  const result = await prefill(dataDir, {
    decisions: { to: Number(decisions) },
    conversations: Number(conversations),
    template: templateDir ? readStateTemplate(templateDir) : FALLBACK,
    onProgress: (t) => process.stderr.write(`\r\x1b[K  prefill: ${t}`),
  });
  process.stderr.write('\n');
  console.log(JSON.stringify(result));
}
