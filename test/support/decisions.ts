import type { DecisionRecord } from '../../src/domain/decisions.js';

/** A decision shaped like the ones dialogs log (about 1 KB on disk). */
export function decision(n: number, over: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    id: `d${String(n).padStart(11, '0')}`,
    at: new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString(),
    operator: { id: `29:operator-${n % 7}`, name: `Оператор ${n % 7}`, aadObjectId: `00000000-0000-4000-8000-00000000000${n % 7}` },
    conversationId: `a:conversation-${n % 13}`,
    procedureId: n % 2 ? 'case-repeat-inquiry' : 'case-find',
    procedureVersion: 3,
    procedureTitle: 'Повторное обращение по кейсу',
    kbVersion: 'kb-0123456789abcdef',
    path: [
      { nodeId: 'state', question: 'В каком состоянии кейс клиента?', optionId: 'closed', answer: 'Closed — клиент не согласен с решением' },
      { nodeId: 'category', question: 'Какая категория у кейса?', optionId: 'retention', answer: 'BackOffice Сохранения' },
    ],
    outcome: { nodeId: 'to-retention', kind: n % 3 ? 'transfer' : 'phrase', headline: 'Переключите клиента на линию Сохранения' },
    citations: [{ seed: '001_30f17cc54f05e2fd.txt', quote: 'Если клиент не согласен с решением по кейсу в категории BackOffice Сохранения — переключаем на линию Сохранения.' }],
    ...over,
  };
}

