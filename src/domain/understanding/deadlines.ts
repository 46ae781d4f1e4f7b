import type { Message, MessageWord } from './message.js';
import { isOrdinalWord, numberValue } from './numbers.js';

/** The words of the message that say the deadline has passed. */
export interface DeadlineReading {
  from: number;
  to: number;
}

/**
 * A number of days: «3 дня», «три рабочих дня», «неделю», «2 недели». Not «сутки»: in seed 001 they are the
 * SF's «Ожидайте … уведомления в течение суток», a notification promised, not the term of the solution.
 */
interface Days {
  days: number;
  from: number;
  to: number;
}

const DAY = /^(день|дня|дней|дн)$/;
const WEEK = /^(неделя|неделю|недели|недель)$/;
const MONTHS = ['январ', 'феврал', 'март', 'апрел', 'ма', 'июн', 'июл', 'август', 'сентябр', 'октябр', 'ноябр', 'декабр'];
/** Words of a term: the deadline itself, or what was promised by when. */
const TERM = /^(срок|сроки|обещал|обещали|обещала|сказали|решат|решить|решения|решение)$/;
/** Words of time gone by. */
const GONE = /^(прошло|прошел|прошла|прошли|висит|ждет|ждут)$/;

const monthOf = (w: string | undefined) => (w === undefined ? undefined : MONTHS.findIndex((m) => (m === 'ма' ? /^ма[яй]$/.test(w) : w.startsWith(m) && w.length <= m.length + 2)));

/** The day of the month a word names: «5», «10е», «28го»; with the month that follows, if any. */
function dayAt(ws: readonly MessageWord[], i: number): { day: number; month?: number; to: number } | undefined {
  const m = /^(\d{1,2})(е|го|ое|ого)?$/.exec(ws[i]?.word ?? '');
  if (!m) return undefined;
  const day = Number(m[1]);
  if (day < 1 || day > 31) return undefined;
  const month = monthOf(ws[i + 1]?.word);
  return month !== undefined && month >= 0 ? { day, month, to: i + 1 } : { day, to: ws[i + 1]?.word === 'число' ? i + 1 : i };
}

function daysAt(ws: readonly MessageWord[], i: number): Days | undefined {
  const n = numberValue(ws[i].word);
  if (n !== undefined && !isOrdinalWord(ws[i].word)) {
    let k = i + 1;
    if (ws[k]?.word === 'рабочих' || ws[k]?.word === 'календарных') k++;
    if (DAY.test(ws[k]?.word ?? '')) return { days: n, from: i, to: k };
    if (WEEK.test(ws[k]?.word ?? '')) return { days: 7 * n, from: i, to: k };
    return undefined;
  }
  if (WEEK.test(ws[i].word) && ws[i - 1]?.word !== 'на') return { days: 7, from: i, to: i };
  if (ws[i].word === 'день') return { days: 1, from: i, to: i };
  return undefined;
}

const clauseHas = (ws: readonly MessageWord[], clause: number, re: RegExp) => ws.some((w) => w.clause === clause && re.test(w.word));

/**
 * Whether the message states that a promised deadline has passed, told as numbers rather than in words
 * (seed 001 «сроки решения истекли»): a term and the time gone by («обещали за три дня, прошло пять»,
 * «срок 3 дня, создан 10 дней назад», «висит уже неделю, сказали решат за 3 рабочих дня»), or the last
 * day and today («срок был до 5 марта, сегодня 10е»; «создали 28го, срок 3 дня, сегодня 2е число»).
 * Only a later time than the term is read; the same day, or one earlier, says nothing either way.
 * Undefined when it does not say so.
 */
export function readDeadlinePassed(message: Message): DeadlineReading | undefined {
  const ws = message.words;
  const told = (i: number) => !message.asking.has(ws[i].clause) && !message.supposed.has(ws[i].clause) && !message.unsure.has(ws[i].clause);
  const terms: Days[] = [];
  const gone: Days[] = [];
  let created: { day: number; month?: number; at: number } | undefined;
  let until: { day: number; month?: number; at: number; to: number } | undefined;
  let today: { day: number; month?: number; from: number; to: number } | undefined;
  for (let i = 0; i < ws.length; i++) {
    if (!told(i)) continue;
    const w = ws[i].word;
    if (w === 'сегодня') {
      const k = ws[i + 1]?.word === 'уже' ? i + 2 : i + 1;
      const d = dayAt(ws, k);
      if (d) today = { day: d.day, month: d.month, from: i, to: d.to };
      continue;
    }
    if (w === 'до' && clauseHas(ws, ws[i].clause, /^(срок|сроки)$/)) {
      const d = dayAt(ws, i + 1);
      if (d) until = { day: d.day, month: d.month, at: i, to: d.to };
      continue;
    }
    if (/^(создан|создана|создали|создал|создала|созданной|созданный|созданную)$/.test(w)) {
      const d = dayAt(ws, i + 1);
      if (d) created = { day: d.day, month: d.month, at: i };
    }
    const p = daysAt(ws, i);
    if (!p) continue;
    i = Math.max(i, p.to);
    const clause = ws[p.from].clause;
    // «создан 10 дней назад», «висит уже неделю», «прошло 5 дней»: time gone by; «срок 3 дня», «обещали за три дня»: the term.
    if (ws[p.to + 1]?.word === 'назад' || clauseHas(ws, clause, GONE)) gone.push(p);
    else if (clauseHas(ws, clause, TERM)) terms.push(p);
  }
  // «срок 3 дня, прошло уже 5»: a bare number after the words of time gone by counts the term's unit.
  if (terms.length === 1 && gone.length === 0)
    for (let i = 0; i < ws.length - 1; i++) {
      if (!told(i) || !GONE.test(ws[i].word)) continue;
      const k = ws[i + 1].word === 'уже' ? i + 2 : i + 1;
      const n = ws[k] && !isOrdinalWord(ws[k].word) ? numberValue(ws[k].word) : undefined;
      if (n !== undefined && (ws[k + 1] === undefined || ws[k + 1].clause !== ws[k].clause)) gone.push({ days: n, from: i, to: k });
    }
  const span = (a: number, b: number) => ({ from: Math.min(a, b), to: Math.max(a, b) });
  if (terms.length === 1 && gone.length === 1) {
    const [t, g] = [terms[0], gone[0]];
    return g.days > t.days ? span(Math.min(t.from, g.from), Math.max(t.to, g.to)) : undefined;
  }
  if (today && until && (today.month ?? until.month) === (until.month ?? today.month)) {
    return today.day > until.day ? span(until.at, today.to) : undefined;
  }
  if (today && created && terms.length === 1 && today.month === undefined) {
    // «создали 28го …, сегодня 2е»: an earlier day of the month is the next month's.
    const elapsed = today.day >= created.day ? today.day - created.day : today.day + 30 - created.day;
    return elapsed > terms[0].days ? span(created.at, today.to) : undefined;
  }
  return undefined;
}
