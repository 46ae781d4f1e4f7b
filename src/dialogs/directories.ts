import type { Attachment } from 'botbuilder';
import type { KnowledgeBase, OutcomeNode, Procedure } from '../domain/types.js';
import type { Answer } from '../domain/engine.js';
import type { CardAction } from '../domain/cardActions.js';
import { directoryCard, type DirectoryCardData } from './cards.js';

/** The reference cards an operator can open at any time: topics, lines, standard phrases, help. */

const outcomes = (p: Procedure) =>
  Object.entries(p.nodes).filter((e): e is [string, OutcomeNode] => e[1].type === 'outcome');

const seedGroup = (seed: string) => `Процедуры ${seed.slice(0, 3)} (${seed})`;

function groupBySeed<T>(items: T[], seedOf: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of [...items].sort((a, b) => seedOf(a).localeCompare(seedOf(b)))) {
    const key = seedOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

const commandButtons: DirectoryCardData['buttons'] = [
  { title: 'Темы', data: { action: 'topics' } },
  { title: 'Линии', data: { action: 'lines' } },
  { title: 'Фразы', data: { action: 'phrases' } },
];

/** «темы»: every procedure by seed; a tap starts it. */
export function topicsCard(kb: KnowledgeBase): Attachment {
  const groups = groupBySeed(kb.procedures, (p) => p.seed);
  return directoryCard({
    title: 'Темы',
    intro: 'Нажмите тему, чтобы пройти процедуру, или опишите ситуацию своими словами.',
    groups: [...groups].map(([seed, procs]) => ({
      title: seedGroup(seed),
      entries: procs.map((p) => ({ title: p.title, lines: [p.summary], source: '', data: { action: 'start', procedureId: p.id } })),
    })),
    buttons: commandButtons.filter((b) => b.data.action !== 'topics'),
  });
}

/** «линии»: every transfer line and number, with the procedures that lead to it. */
export function linesCard(kb: KnowledgeBase): Attachment {
  return directoryCard({
    title: 'Линии и номера',
    intro: 'Куда переключать и какие номера называть, по процедурам.',
    groups: [
      {
        title: '',
        entries: kb.lines.map((line) => {
          const leading = kb.procedures.filter((p) => outcomes(p).some(([, o]) => o.line === line.id));
          return {
            title: line.name,
            lines: [
              ...(line.number ? [`Номер: ${line.number}`] : []),
              ...(line.hours ? [`Часы: ${line.hours}`] : []),
              ...(line.note ? [line.note] : []),
              ...(leading.length ? [`Процедуры: ${leading.map((p) => p.title).join('; ')}`] : []),
            ],
            source: `Источник: ${[...new Set(line.citations.map((c) => c.seed))].join(', ')}`,
            data: null,
          };
        }),
      },
    ],
    buttons: commandButtons.filter((b) => b.data.action !== 'lines'),
  });
}

/** «фразы»: every standard phrase, verbatim, once, with where it comes from. */
export function phrasesCard(kb: KnowledgeBase): Attachment {
  const seen = new Map<string, { text: string; label?: string; procs: Procedure[]; seed: string }>();
  for (const p of kb.procedures)
    for (const [, o] of outcomes(p))
      for (const phrase of o.phrases ?? []) {
        const entry = seen.get(phrase.text) ?? { ...phrase, procs: [], seed: p.seed };
        if (!entry.procs.includes(p)) entry.procs.push(p);
        seen.set(phrase.text, entry);
      }
  const groups = groupBySeed([...seen.values()], (e) => e.seed);
  return directoryCard({
    title: 'Стандартные фразы',
    intro: 'Говорите дословно. Нажмите фразу, чтобы открыть процедуру, где она используется.',
    groups: [...groups].map(([seed, entries]) => ({
      title: seedGroup(seed),
      entries: entries.map((e) => ({
        title: e.label ? `${e.label}: ${e.text}` : e.text,
        lines: [],
        source: `Источник: ${e.seed} · ${e.procs.map((p) => p.title).join('; ')}`,
        data: { action: 'start', procedureId: e.procs[0].id },
      })),
    })),
    buttons: commandButtons.filter((b) => b.data.action !== 'phrases'),
  });
}

/** «помощь»: what the bot does and how to talk to it. */
export function helpCard(kb: KnowledgeBase): Attachment {
  return directoryCard({
    title: 'Помощник оператора',
    intro: `Опишите ситуацию на звонке своими словами — я найду процедуру, задам нужные вопросы и дам ответ со ссылкой на источник. В базе ${kb.procedures.length} процедур (версия ${kb.version}).`,
    groups: [
      {
        title: 'Например',
        entries: [
          'клиент не согласен с решением по заявке',
          'клиент матерится уже третий раз',
          'нужно ли предлагать INBA перед IVR?',
        ].map((q) => ({ title: `«${q}»`, lines: [], source: '', data: null })),
      },
      {
        title: 'Команды',
        entries: [
          { title: 'темы', lines: ['все процедуры по разделам'], source: '', data: null },
          { title: 'линии', lines: ['линии переключения, номера и часы'], source: '', data: null },
          { title: 'фразы', lines: ['стандартные фразы дословно'], source: '', data: null },
          { title: 'назад · заново · отмена', lines: ['во время вопросов: на шаг назад, с начала, закончить'], source: '', data: null },
        ],
      },
    ],
    buttons: commandButtons,
  });
}

/** When two or three procedures fit a question: one tap each, plus «Ничего не подходит». */
export function disambiguationCard(candidates: readonly { procedureId: string; title: string; description: string; answers?: Answer[] }[], text = ''): Attachment {
  return directoryCard({
    title: 'Уточните, о чём вопрос',
    intro: 'Подходит несколько процедур. Выберите нужную:',
    groups: [
      {
        title: '',
        entries: [
          ...candidates.map((c) => ({
            title: c.title,
            lines: [c.description],
            source: '',
            data: { action: 'start', procedureId: c.procedureId, ...(c.answers?.length ? { answers: c.answers } : {}) } as CardAction,
          })),
          { title: 'Ничего не подходит', lines: [], source: '', data: { action: 'nothingFits', ...(text ? { text } : {}) } },
        ],
      },
    ],
    buttons: [],
  });
}

/**
 * When no procedure answers a question: the few nearest topics, each a tap to start it (never the
 * whole list), and the way to the topic list.
 */
export function nearestCard(topics: readonly { procedureId: string; title: string; description: string }[]): Attachment {
  return directoryCard({
    title: topics.length ? 'Возможно, подойдёт одна из тем' : 'Похожих тем нет',
    intro: topics.length ? 'Это похожие темы, а не ответ на вопрос. Нажмите тему, если она подходит:' : 'Откройте список тем, чтобы выбрать процедуру.',
    groups: topics.length ? [{ title: '', entries: topics.map((c) => ({ title: c.title, lines: [c.description], source: '', data: { action: 'start', procedureId: c.procedureId } as CardAction })) }] : [],
    buttons: [commandButtons[0]],
  });
}
