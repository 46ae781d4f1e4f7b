import type { KnowledgeBase, Procedure, ProcedureNode } from '../../src/domain/types.js';

/**
 * A synthetic knowledge base of `count` procedures for benchmarks and scale tests: deterministic
 * (seeded), Russian-looking text from a pool of real operator words and made-up words (so the
 * vocabulary is large, as a grown knowledge base's would be), each procedure with triggers, two
 * questions, options with synonyms and four outcomes; every tenth is a FAQ list with five entries.
 */

const REAL = `клиент абонент кейс заявка линия переключить номер тариф услуга баланс скидка опрос анкета звонок
  оператор договор счет оплата роуминг интернет сим карта блокировка подключение отключение заказ доставка
  возврат жалоба претензия сервис ремонт гарантия паспорт адрес телефон почта сайт кабинет пароль
  корпоративный юридический физический лицо потенциальный действующий новый старый срочный повторный
  закрытый открытый очередь статус категория комментарий фраза стандартная действие решение вопрос ответ
  предложение акция маркетинг продажа компенсация начисление корректировка период месяц неделя день`
  .split(/\s+/)
  .filter(Boolean);

const SYLLABLES = 'ба ве ги до ку ла ми но пу ро са ти фу ха це чи ша эр юн ям ков рин тал мер сон дек лит вар нож пел'.split(' ');
const ENDINGS = ['', 'а', 'у', 'ом', 'ами', 'ия', 'ого', 'ный', 'ная', 'ить', 'ает'];

/** Mulberry32: a small seeded generator, so every run builds the same knowledge base. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticKb(count = 1000, seed = 1): KnowledgeBase {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const madeUp = () => Array.from({ length: 2 + Math.floor(rnd() * 2) }, () => pick(SYLLABLES)).join('') + pick(ENDINGS);
  const word = () => (rnd() < 0.6 ? pick(REAL) : madeUp());
  const phrase = (n: number) => Array.from({ length: n }, word).join(' ');
  const cite = [{ seed: '999_synthetic.txt', quote: 'synthetic' }];

  const procedures: Procedure[] = [];
  for (let i = 0; i < count; i++) {
    const faq = i % 10 === 9;
    const nodes: Record<string, ProcedureNode> = {};
    if (faq) {
      nodes.q = {
        type: 'question',
        text: `Какой вопрос ${phrase(2)}?`,
        options: Array.from({ length: 5 }, (_, k) => ({ id: `f${k}`, label: `${phrase(6)}?`, next: `faq${k}` })),
      };
      for (let k = 0; k < 5; k++) {
        const question = (nodes.q.options[k] as { label: string }).label;
        nodes[`faq${k}`] = { type: 'outcome', kind: 'faq', question, headline: phrase(8), details: [phrase(12)], citations: cite };
      }
    } else {
      nodes.q1 = {
        type: 'question',
        text: `${phrase(4)}?`,
        options: [
          { id: 'a', label: phrase(2), synonyms: [word(), word()], next: 'q2' },
          { id: 'b', label: phrase(2), synonyms: [word()], next: 'o3' },
          { id: 'c', label: phrase(3), next: 'o4' },
        ],
      };
      nodes.q2 = {
        type: 'question',
        text: `${phrase(5)}?`,
        options: [
          { id: 'x', label: phrase(2), synonyms: [word()], next: 'o1' },
          { id: 'y', label: phrase(2), next: 'o2' },
        ],
      };
      for (const [k, kind] of [
        ['o1', 'transfer'],
        ['o2', 'phrase'],
        ['o3', 'actions'],
        ['o4', 'notCovered'],
      ] as const)
        nodes[k] = { type: 'outcome', kind, headline: phrase(7), details: [phrase(15), phrase(10)], actions: [phrase(6)], citations: cite };
    }
    procedures.push({
      id: `synthetic-${i}`,
      version: 1,
      title: phrase(4),
      summary: phrase(10),
      seed: '999_synthetic.txt',
      section: phrase(3),
      triggers: Array.from({ length: 4 }, () => phrase(5)),
      start: faq ? 'q' : 'q1',
      nodes,
    });
  }
  return { procedures, lines: [], version: `synthetic-${count}-${seed}` };
}
