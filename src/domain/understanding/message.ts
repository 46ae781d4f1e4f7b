import { foldMixedScript, foldToCyrillic } from '../lookalikes.js';
import { stem, type Analyzer } from '../search/analyzer.js';
import { STOPWORDS } from '../search/stopwords.js';
import { datesElsewhere, NOT_KNOWING } from './markers.js';

/**
 * An operator's message as words that remember where they were typed, so what is taken from it can
 * be quoted back as typed («Из сообщения: …»). Words are normalized like search's (lower case, ё→е,
 * look-alike letters folded) and stemmed with typo correction against the knowledge base's words.
 */

export interface MessageWord {
  /** Normalized word (Russian typed in Latin letters transliterated). */
  word: string;
  /** Normalized as typed, before transliteration. */
  typed: string;
  /** Its stem (corrected when the word is unknown and one typo from a known one). */
  stem: string;
  /** Offsets in the typed text. */
  start: number;
  end: number;
  /** Index of the clause it stands in (see {@link readMessage}). */
  clause: number;
}

/** An infinitive names an act to be done, not one done («надо предупредить», «будет проходить»). */
export const isInfinitive = (word: string): boolean => /(ть|ться|ти|тись)$/.test(word);

/** Evidence quotes are at most this long (the card shows them in a line). */
export const MAX_EVIDENCE = 80;

export interface Message {
  text: string;
  /** Every word of the message. */
  words: MessageWord[];
  /** Indexes into `words` of its content words (search's stop words left out), where synonyms are folded. */
  content: number[];
  /** Clauses that ask rather than state («можно ли прервать», «нужно завершить?»): nothing in them is taken as said. */
  asking: Set<number>;
  /**
   * Clauses that suppose a case rather than report the one on the line («а если клиент уже проходил
   * опрос…», «что будет, если нажать сохранить?»): no fact is taken from them.
   */
  supposed: Set<number>;
  /**
   * The supposed clauses of «что будет, если…»: the consequence of an act is asked, so not even the
   * message's topic is taken from them («спрашивает, что будет, если расторгнуть» asks no termination).
   * Those of «а если…» name their topic, like a case asked about («можно ли…, если…»).
   */
  consequence: Set<number>;
  /**
   * Clauses that state nothing though they report: hedged («вроде экспертный», «не знаю, экспертный ли») or taken
   * back («предупреждения не было... а, нет, одно было»).
   */
  unsure: Set<number>;
  /**
   * Clauses dated to another day or call in a message that also tells of today («в прошлый раз прервал анкету,
   * сегодня отказался сразу»): where today's clauses answer the same question, they answer it.
   */
  earlier: Set<number>;
}

/**
 * Clauses end at punctuation («,», «.», «—», «?»…) and begin at a conjunction that joins another
 * thought («но», «а», «если»…): evidence is read within one clause, so «просит скидку, давали бонус»
 * does not state «скидку давали», and a contrast («но», «а») starts a new statement.
 */
const CLAUSE_BREAK = /[,.;:!?()–—]|\s-\s/;
const CLAUSE_WORDS = new Set(['но', 'а', 'однако', 'зато', 'хотя', 'если', 'чтобы', 'поэтому', 'потому']);
/**
 * A clause asks when it has «ли» or «сколько», offers «X или нет», or ends with «?» and opens with a
 * modal («можно завершить?»).
 */
const ASKING_WORDS = new Set(['ли', 'сколько']);
const ASKING_OPENERS = new Set(['можно', 'нужно', 'надо', 'стоит', 'могу', 'можем', 'должен', 'должна', 'должны', 'обязан', 'обязана', 'разве']);

/** Reads a message; with the analyzer, unknown words are corrected to near known ones (not for knowledge-base phrases). */
export function readMessage(text: string, analyzer?: Analyzer): Message {
  const words: MessageWord[] = [];
  const tokens = [...text.matchAll(/[\p{L}\p{N}]+/gu)];
  for (const [i, m] of tokens.entries()) {
    const typed = foldToCyrillic(foldMixedScript(m[0].toLowerCase().replace(/ё/g, 'е')));
    const word = analyzer ? analyzer.script(typed) : typed;
    const prev = words[words.length - 1];
    // «…гос номер не совпадает можно ли продублировать»: a modal with «ли» opens the question typed on without a comma.
    const asks = ASKING_OPENERS.has(word) && tokens[i + 1]?.[0].toLowerCase() === 'ли';
    const clause = !prev ? 0 : CLAUSE_BREAK.test(text.slice(prev.end, m.index)) || CLAUSE_WORDS.has(word) || asks ? prev.clause + 1 : prev.clause;
    words.push({ word, typed, stem: analyzer ? analyzer.correct(word) : stem(word), start: m.index, end: m.index + m[0].length, clause });
  }
  const content = words.flatMap((w, i) => (STOPWORDS.has(w.word) ? [] : [i]));
  const { supposed, consequence } = supposedClauses(text, words);
  return { text, words, content, asking: askedConditions(text, words, askingClauses(text, words), supposed), supposed, consequence, ...unsureClauses(text, words) };
}

/** Words that hedge their clause («не скандалит вроде», «кажется, матерился», «наверное экспертный»). */
const HEDGES = new Set(['вроде', 'кажется', 'наверное', 'наверно', 'вероятно', 'возможно', 'похоже']);
/**
 * «…, но я не проверила», «…, сама не смотрела»: a clause of only the operator's check not done, after a claim,
 * leaves the claim unchecked («говорят, что они наши партнёры, но я не проверила»).
 */
const UNCHECKED = new Set(['проверила', 'проверил', 'проверяла', 'проверял', 'смотрела', 'смотрел', 'посмотрела', 'посмотрел', 'уточнила', 'уточнил', 'уточняла', 'уточнял']);
/** The operator herself in a short clause of not knowing («сама не пойму», «я пока не проверила»). */
const SELF = new Set(['я', 'сама', 'сам', 'пока', 'еще', 'это', 'этого']);
/** «точнее», «вернее»: what follows corrects the clause before («третья попытка, точнее вторая»). */
const CORRECTING = new Set(['точнее', 'вернее']);
/** «а, нет, …», «ой, нет», «хотя нет»: the operator takes back the clause before. */
const TAKING_BACK = new Set(['а', 'ой', 'хотя']);
/** «сегодня», «сейчас», «теперь»: the message tells of the call on the line apart from the day it dates. */
const NOW = new Set(['сегодня', 'сейчас', 'теперь']);

function unsureClauses(text: string, words: readonly MessageWord[]): { unsure: Set<number>; earlier: Set<number> } {
  const out = new Set<number>();
  const clauses = new Map<number, number[]>();
  words.forEach((w, i) => clauses.set(w.clause, [...(clauses.get(w.clause) ?? []), i]));
  const gapAfter = (i: number) => text.slice(words[i].end, words[i + 1]?.start ?? text.length);
  const dated = new Set<number>();
  let now = false;
  for (const [clause, at] of clauses) {
    const ws = at.map((i) => words[i].word);
    // «что-то там»: something, what is not known.
    const something = ws.some((w, k) => w === 'что' && ws[k + 1] === 'то' && ws[k + 2] === 'там');
    const unknown = ws.some((w, k) => w === 'не' && NOT_KNOWING.has(ws[k + 1] ?? ''));
    // «то ли скидку, то ли на баланс»: undecided alternatives; «может и согласится», «может быть, экспертный»: a possibility.
    const undecided = ws.some((w, k) => w === 'то' && ws[k + 1] === 'ли');
    // («не может и не хочет говорить» states both.)
    const possibly = ws.some((w, k) => w === 'может' && ws[k - 1] !== 'не' && (ws[k + 1] === 'и' || ws[k + 1] === 'быть'));
    if (something || unknown || undecided || possibly || ws.some((w) => HEDGES.has(w))) out.add(clause);
    // «…, не помню точно», «…, не уверена», «…, сама не пойму»: a clause of only that, ending its sentence, hedges the one before;
    // «…, но я не проверила» likewise leaves the claim before unchecked.
    const last = at[at.length - 1];
    const bare = ws.filter((w, k) => !SELF.has(w) && !(k === 0 && (w === 'но' || w === 'а')));
    // The operator's own check («я …», a feminine form), not the client leaving something unsaid («но не уточнил»).
    const unchecked = bare.length === 2 && bare[0] === 'не' && UNCHECKED.has(bare[1]) && (ws.includes('я') || bare[1].endsWith('ла'));
    if ((unknown || unchecked) && bare.length <= 3 && bare[0] === 'не' && (last === words.length - 1 || SENTENCE_END.test(gapAfter(last)))) out.add(clause - 1);
    // «третья попытка, точнее вторая»: a correction takes back the clause before.
    if (at[0] > 0 && CORRECTING.has(ws[0]) && at.length > 1) out.add(clause - 1);
    // «а, нет, одно было»: a «нет» after «а» / «ой» / «хотя», set apart by punctuation, takes back the clause before.
    const first = at[0];
    // «предупредила два раза, нет, пока только один»: a bare «нет» set apart the same way after a clause that reports (not a question).
    const bareNo = first > 0 && ws[0] === 'нет' && /[,.!…—–-]/.test(gapAfter(first - 1)) && !/\?/.test(gapAfter(first - 1)) && words[first + 1] !== undefined && /[,.!—–-]/.test(gapAfter(first));
    if (bareNo) out.add(clause - 1);
    if (first > 0 && TAKING_BACK.has(ws[0]) && /[,.!?…—–-]/.test(gapAfter(first - 1)) && words[first + 1]?.word === 'нет' && words[first + 2] !== undefined && /[,.!—–-]/.test(gapAfter(first + 1)))
      for (let c = clause - 1; c >= 0; c--) if (clauses.has(c)) {
        out.add(c);
        break;
      }
    // Dated to another day or call: «вчера», «на прошлой неделе», «в прошлый раз», «в прошлом месяце».
    if (ws.some((_, k) => datesElsewhere(ws, k))) dated.add(clause);
    else if (ws.some((w) => NOW.has(w))) now = true;
  }
  return { unsure: out, earlier: now ? dated : new Set() };
}

/** Words that may open a sentence before «если» and make it a supposition: «а если…», «а что если…», «что будет, если…» (this one anywhere). */
const SUPPOSING = new Set(['а', 'и', 'что', 'будет', 'если']);
const SENTENCE_END = /[.!?]/;

/** From a supposing «если» to the end of its sentence, every clause is a supposition (of a consequence, after «что будет»). */
function supposedClauses(text: string, words: readonly MessageWord[]): { supposed: Set<number>; consequence: Set<number> } {
  const out = new Set<number>();
  const consequence = new Set<number>();
  let sentence = 0;
  for (let i = 0; i < words.length; i++) {
    if (i > 0 && SENTENCE_END.test(text.slice(words[i - 1].end, words[i].start))) sentence = i;
    if (words[i].word !== 'если' || i === sentence) continue;
    const opening = words.slice(sentence, i);
    // «спрашивает, что будет, если расторгнуть»: «что будет, если» supposes wherever it stands, a question reported too.
    const whatIf = words[i - 2]?.word === 'что' && words[i - 1].word === 'будет';
    if (!whatIf && (!opening.every((w) => SUPPOSING.has(w.word)) || !opening.some((w) => w.word === 'а' || w.word === 'будет'))) continue;
    const whatWillHappen = whatIf || opening.some((w) => w.word === 'будет');
    for (let k = i; k < words.length && (k === i || !SENTENCE_END.test(text.slice(words[k - 1].end, words[k].start))); k++) {
      out.add(words[k].clause);
      if (whatWillHappen) consequence.add(words[k].clause);
    }
  }
  return { supposed: out, consequence };
}

/**
 * «можно ли положить трубку, если клиент хамит?»: a condition inside a question is a case asked
 * about, not one reported, so it joins the asking clauses; it still names the topic (unlike «а
 * если…», a supposition, which is left to {@link supposedClauses}).
 */
function askedConditions(text: string, words: readonly MessageWord[], asking: Set<number>, supposed: ReadonlySet<number>): Set<number> {
  let sentence = 0;
  for (let i = 1; i <= words.length; i++) {
    const gap = text.slice(words[i - 1].end, words[i]?.start ?? text.length);
    if (i < words.length && !SENTENCE_END.test(gap)) continue;
    const asks = gap.includes('?') || words.slice(sentence, i).some((w) => asking.has(w.clause));
    if (asks) for (let k = sentence; k < i; k++) if (words[k].word === 'если' && !supposed.has(words[k].clause)) asking.add(words[k].clause);
    sentence = i;
  }
  return asking;
}

/**
 * What an option means is asked, not said of the call: «что считается частичным ответом», «чем отличается open от
 * open-dispatch», «в чём разница между …». («что значит open-dispatch» names the state asked about: the answer explains it.)
 */
const DEFINING: readonly [string, RegExp][] = [
  ['что', /^(считается|считаются|считать|относится|относятся)$/],
  ['чем', /^(отличается|отличаются|отличие|отличия)$/],
  ['чем', /^разница$/],
  ['какая', /^разница$/],
  ['между', /^/],
];

function askingClauses(text: string, words: readonly MessageWord[]): Set<number> {
  const out = new Set<number>();
  words.forEach((w, i) => {
    const first = i === 0 || words[i - 1].clause !== w.clause;
    const next = words[i + 1]?.clause === w.clause ? words[i + 1].word : '';
    const defining = DEFINING.some(([a, b]) => a === w.word && (a === 'между' ? words.some((x) => x.clause === w.clause && x.word === 'разница') : b.test(next)));
    if (defining || ASKING_WORDS.has(w.word) || (w.word === 'нет' && words[i - 1]?.word === 'или')) out.add(w.clause);
    // «… — это значит он закрыт?», «то есть его закрыли?»: an inference the operator asks to have confirmed.
    const inference = first && (w.word === 'значит' || (w.word === 'это' && next === 'значит') || (w.word === 'то' && next === 'есть'));
    if (inference && i > 0) {
      let last = i;
      while (words[last + 1]?.clause === w.clause) last++;
      if (/^[^\p{L}\p{N}]*\?/u.test(text.slice(words[last].end))) out.add(w.clause);
    }
    if (!first || !ASKING_OPENERS.has(w.word)) return;
    let last = i;
    while (words[last + 1]?.clause === w.clause) last++;
    if (/^[^\p{L}\p{N}]*\?/u.test(text.slice(words[last].end))) out.add(w.clause);
  });
  return out;
}

/** Words that ask for information («как…», «какая…», «где…»): a clause with one asks about what it names. */
const QUESTION_WORDS = new Set(['как', 'какой', 'какая', 'какое', 'какие', 'какого', 'какую', 'каким', 'какими', 'каком', 'где', 'когда', 'почему', 'зачем', 'куда', 'откуда']);

/** The words of the clause the word at `at` stands in. */
export function clauseWords(message: Message, at: number): MessageWord[] {
  return message.words.filter((w) => w.clause === message.words[at].clause);
}

/** Whether the clause of word `at` has a question word: «какая гарантия на телевизор», «как поменять пароль от личного кабинета». */
export function asksAbout(message: Message, at: number): boolean {
  const clause = message.words[at].clause;
  return message.words.some((w) => w.clause === clause && QUESTION_WORDS.has(w.word));
}

/** The typed text from word `from` to word `to` (inclusive), cut to {@link MAX_EVIDENCE} characters. */
export function quote(message: Message, from: number, to: number): string {
  const text = message.text.slice(message.words[from].start, message.words[to].end);
  return text.length <= MAX_EVIDENCE ? text : `${text.slice(0, MAX_EVIDENCE - 1).trimEnd()}…`;
}
