import { stem, type Analyzer } from '../search/analyzer.js';
import { OPERATOR_OBJECT } from './markers.js';
import { isInfinitive, readMessage, type Message } from './message.js';
import { isOrdinalEnding, isOrdinalWord, numberValue } from './numbers.js';

/**
 * Evidence phrases («анкета другая», «скидок не было») matched against a message. A phrase matches
 * where its words occur in order, at most two other words between two of them («номера из заказа у кл
 * больше нет» states «номера из заказа больше нет»), or in any order within two extra words («другая
 * анкета» / «анкета другая»), a negation keeping to the word it negates («с решением не согласен»);
 * a phrase ending in «нет» takes the «нет» that ends the clause, however far («результатов … нет»).
 * Phrases of kb/search (`requires`, `prefer`) fold synonym families as search does («юрик» states
 * «юрлицо»); option evidence does not (see {@link messageTerms}). A match is negated — it does not
 * state the phrase — when a negation or «другой» stands right before it, a negation inside it, or
 * «нет» / «не было» right after it («скидки нет»).
 */

export const NEGATIONS: ReadonlySet<string> = new Set(['не', 'нет', 'ни', 'без']);
/** «другая анкета», «бывший сотрудник»: another one, or no longer one, is not the thing named. */
const CONTRAST = new Set([stem('другой'), stem('иной'), stem('бывший')]);
/** Their stems are words of their own too («друг», Latin «in» typed «ин»: «кейс ин прогресс»): the word must be inflected as the adjective. */
const CONTRAST_FORM = /^(друг|ин|бывш)[а-я]{1,3}$/;
const isContrast = (m: Terms, k: number) => CONTRAST.has(m.terms[k] ?? '') && CONTRAST_FORM.test(m.forms[k] ?? '');
/** «совпадает всё, кроме гос номера»: an exception after a phrase takes back its «всё». */
const EXCEPT = new Set(['кроме', 'исключением']);
const WAS = stem('было');
/** «дублировать нечего», «незачем перезванивать»: there is nothing to do it with, so the act is denied. */
const NOTHING_TO = new Set([stem('нечего'), stem('незачем')]);

/** A phrase, as the terms of its words. */
export interface Phrase {
  text: string;
  terms: string[];
  negative: boolean;
  /** Clause breaks inside the phrase itself («сохранила а не направила»): a match may cross as many. */
  breaks: number;
  /** Per term: a verb in the past tense («уже проходил»): an act done, which the same verb as an infinitive («будет проходить», «проходить не хочет») does not state. */
  past: boolean[];
  /** Per term: a noun after «в» / «на» in the prepositional («в сервисе»: where a thing is), not a bare direction («в сервис»). */
  located: boolean[];
  /** Per term: a number written as an ordinal («второе предложение»: which one), which a count before a noun («2 предложения») is not. */
  ordinal: boolean[];
  /** Per term: the word as written in the phrase. */
  forms: string[];
}

/** A matched phrase: indexes into the message's words of its first and last word. */
export interface Span {
  from: number;
  to: number;
}

/** A message as terms over its words, for matching phrases. */
export interface Terms {
  terms: string[];
  /** Per term: first and last index into `Message.words`. */
  spans: Span[];
  /** Per term: whether it is a function word (a stop word of search). */
  stop: boolean[];
  /** Per term: the clause it stands in. */
  clause: number[];
  /** Clauses that ask rather than state. */
  asking: ReadonlySet<number>;
  /** Clauses that suppose a case rather than report it. */
  supposed: ReadonlySet<number>;
  /** Supposed clauses asking a consequence («что будет, если…»): they name nothing. */
  consequence: ReadonlySet<number>;
  /** Clauses hedged, taken back or dated to another day (see `Message.unsure`): they name their topic but state nothing. */
  unsure: ReadonlySet<number>;
  /** Per term: the word as typed (normalized), for phrase words that name their form. */
  forms: string[];
  /** Per term: whether its word was mistyped and corrected: its form is unknown, so its stem decides. */
  typo: boolean[];
  /** Per term: an infinitive («будет проходить», «проходить не хочет»): an act not done, whatever stands around it. */
  infinitive: boolean[];
  /** Per term: a number typed as a cardinal («2», «два»), not an ordinal («второе», «2я», «2-е»). */
  cardinal: boolean[];
}

/**
 * A phrase word ending in «*» names its form, not its stem: «подключен*» is «подключен», «подключена»,
 * not «подключить» (one stem: «is connected» against «to connect»); «оформил*» is not «оформить».
 */
const FORM = '*';
/** The phrase words written with «*», by index into the phrase's words. */
function formWords(text: string, read: Message): Set<number> {
  return new Set(read.words.flatMap((w, i) => (text[w.end] === FORM ? [i] : [])));
}

/**
 * Snowball keeps a fleeting vowel in some forms only («скидок» / «скидк-а», «звонок» / «звонк-а»):
 * two stems are one word when they differ by an «о» or «е» before the last letter.
 */
function fleeting(a: string, b: string): boolean {
  if (a.length !== b.length + 1) return a.length + 1 === b.length && fleeting(b, a);
  return b.length >= 3 && (a[a.length - 2] === 'о' || a[a.length - 2] === 'е') && a.slice(0, -2) + a.at(-1) === b;
}

/**
 * A past-tense verb form: «проходил», «отвечала», «согласились». One stem covers a verb's tenses, so
 * «что проходил» would state «что будет проходить»: an act to be done is not one done.
 */
const PAST = /.(л|ла|ло|ли|лся|лась|лось|лись)$/;

/**
 * A form word's forms: the message words it begins. A short participle («подключен*», «заполнен*», «создан*») is
 * not the verbal noun its letters begin («подключения», «заполнение», «создание»: the act, not its result), so
 * «насчёт подключения домашнего интернета» states no «подключен домашний интернет».
 */
const formMatches = (form: string | undefined, w: string): boolean =>
  form?.startsWith(w) === true && !(w.endsWith('н') && form[w.length] === 'и');

/** Whether the message term at `i` is term `k` of the phrase. */
const matches = (m: Terms, i: number, p: Phrase, k: number): boolean => {
  const w = p.terms[k];
  // An infinitive is no past form, mistyped too: «какие фразы говорть» asks what to say, it states no «фразы говорил*».
  if (p.past[k] && m.infinitive[i]) return false;
  if (w.startsWith(FORM)) return formMatches(m.forms[i], w.slice(1)) || (m.typo[i] === true && m.terms[i] === stem(w.slice(1)));
  const t = m.terms[i];
  // «отвозила машину в сервис» is no «машина в сервисе»: a masculine noun typed bare after «в» / «на» is a direction.
  if (p.located[k] && m.forms[i] === t && (m.forms[i - 1] === 'в' || m.forms[i - 1] === 'на')) return false;
  // «2 предложения сделала» counts offers; «второе предложение» names one: a cardinal right before a noun is no ordinal.
  // «2 предложение» (a singular after a digit) is still typed for the ordinal.
  if (p.ordinal[k] && m.cardinal[i] && k + 1 < p.terms.length && m.forms[i + 1] !== p.forms[k + 1] && matches(m, i + 1, p, k + 1)) return false;
  return t === w || (t !== undefined && fleeting(t, w));
};

/** A phrase's identity for the lint: stems, and forms where it names them. */
export function phraseKey(text: string): string {
  const read = readMessage(text);
  const forms = formWords(text, read);
  return read.words.map((w, i) => (forms.has(i) ? FORM + w.word : w.stem)).join(' ');
}

/** A knowledge-base phrase, read the way messages are (no typo correction); `fold` as in {@link messageTerms}. */
export function compilePhrase(analyzer: Analyzer, text: string, fold = true): Phrase {
  const read = readMessage(text);
  const m = messageTerms(analyzer, read, fold);
  const forms = formWords(text, read);
  const terms = m.terms.map((t, k) => (m.spans[k].from === m.spans[k].to && forms.has(m.spans[k].from) ? FORM + m.forms[k] : t));
  const past = m.forms.map((f, k) => m.spans[k].from === m.spans[k].to && !m.stop[k] && PAST.test(f));
  const located = m.forms.map((f, k) => k > 0 && (m.forms[k - 1] === 'в' || m.forms[k - 1] === 'на') && !m.stop[k] && f.endsWith('е') && f !== m.terms[k]);
  const ordinal = m.forms.map((f, k) => NUMBER.test(m.terms[k]) && isOrdinalWord(f));
  return { text, terms, negative: terms.some((t) => NEGATIONS.has(t)), breaks: read.words.at(-1)?.clause ?? 0, past, located, ordinal, forms: m.forms };
}

/**
 * Every word of the message as a term, function words included («по номеру» is not «номер»); with
 * `fold`, synonym phrases are folded over the content words as search folds them («ходит по
 * кругу»: the family of «по кругу»). Option evidence is matched unfolded: a family is too wide to
 * state one option («грубо» is not «оскорбляет»).
 */
export function messageTerms(analyzer: Analyzer, message: Message, fold = true): Terms {
  const { words, content } = message;
  const stems = content.map((i) => words[i].stem);
  const folded = fold ? analyzer.fold(stems) : stems.map((term, k) => ({ term, start: k, end: k + 1 }));
  const startsAt = new Map(folded.map((t) => [content[t.start], t]));
  const out: Terms = { terms: [], spans: [], stop: [], clause: [], asking: message.asking, supposed: message.supposed, consequence: message.consequence, unsure: message.unsure, forms: [], typo: [], infinitive: [], cardinal: [] };
  for (let i = 0; i < words.length; i++) {
    const t = startsAt.get(i);
    const to = t ? content[t.end - 1] : i;
    // A number is its value however typed: «номер два» states «номер 2».
    const n = t && t.end - t.start > 1 ? undefined : numberValue(words[i].word);
    // «X или нет?» offers an alternative; it negates nothing («дублирую результат или нет»).
    const alternative = words[i].word === 'нет' && words[i - 1]?.word === 'или';
    out.terms.push(n !== undefined ? String(n) : alternative ? 'или нет' : t ? t.term : words[i].stem);
    out.forms.push(words[i].word);
    out.typo.push(words[i].stem !== stem(words[i].word));
    out.infinitive.push(isInfinitive(words[i].word));
    out.cardinal.push(n !== undefined && !isOrdinalWord(words[i].word) && !(/^\d+$/.test(words[i].word) && isOrdinalEnding(words[to + 1]?.word ?? '')));
    out.spans.push({ from: i, to });
    out.stop.push(!t);
    out.clause.push(words[i].clause);
    i = to;
  }
  return out;
}

/** A phrase term that is a number (numbers are terms by value: «второе» is «2»). */
const NUMBER = /^\d+$/;

/** Where the phrase occurs in the message within one clause, as runs of term indexes [first, last]. */
function occurrences(m: Terms, p: Phrase): [number, number][] {
  const out: [number, number][] = [];
  const T = m.terms;
  const P = p.terms;
  if (P.length === 0) return out;
  for (let i = 0; i < T.length; i++) {
    if (!matches(m, i, p, 0)) continue;
    let at = i;
    let ok = true;
    for (let k = 1; k < P.length && ok; k++) {
      // A number agrees with the noun right after it («2я линия делает предложения» is no «второе предложение»).
      const gaps = NUMBER.test(P[k - 1]) ? (isOrdinalEnding(m.forms[at + 1] ?? '') ? [1, 2] : [1]) : [1, 2, 3];
      let next = gaps.find((d) => matches(m, at + d, p, k) && m.clause[at + d] - m.clause[i] <= p.breaks);
      // «результатов опроса за этот месяц нет»: a «нет» that ends the clause is its predicate, however far.
      if (next === undefined && k === P.length - 1 && P[k] === 'нет') {
        let end = at;
        while (end + 1 < T.length && m.clause[end + 1] === m.clause[at]) end++;
        if (end > at && T[end] === 'нет') next = end - at;
      }
      if (next === undefined) ok = false;
      else at += next;
    }
    if (ok) out.push([i, at]);
  }
  // In any order, a negation staying with the word it negates: «с решением не согласен» states
  // «не согласен с решением», «по-русски ничего не понимает» states «не понимает по-русски»; a number
  // stays next to its noun, on either side («второе предложение» is «предложение №2»).
  const units: number[][] = [];
  for (let k = 0; k < P.length; k++) units.push((NEGATIONS.has(P[k]) || NUMBER.test(P[k])) && k + 1 < P.length ? [k, ++k] : [k]);
  const fits = (u: number[], k: number) =>
    u.every((w, d) => matches(m, k + d, p, w)) || (u.length === 2 && NUMBER.test(P[u[0]]) && matches(m, k, p, u[1]) && matches(m, k + 1, p, u[0]));
  if (units.length > 1 || units.some((u) => u.length === 2 && NUMBER.test(P[u[0]]))) {
    const width = P.length + 2;
    for (let s = 0; s + P.length <= T.length; s++) {
      let end = s;
      while (end < Math.min(T.length, s + width) && m.clause[end] - m.clause[s] <= p.breaks) end++;
      const left = [...units];
      const used: number[] = [];
      for (let k = s; k < end; k++) {
        const j = left.findIndex((u) => k + u.length <= end && fits(u, k));
        if (j >= 0) {
          for (let d = 0; d < left[j].length; d++) used.push(k + d);
          k += left[j].length - 1;
          left.splice(j, 1);
        }
      }
      if (left.length === 0) {
        const span: [number, number] = [Math.min(...used), Math.max(...used)];
        if (!out.some((o) => o[0] === span[0] && o[1] === span[1])) out.push(span);
      }
    }
  }
  // «кл про шпд» is no «кл шпд»: what follows «про» right after a word is what that word is about, not a part of it
  // («покупатель спрашивает про гарантийный ремонт»: the asking is about it, the buyer still named).
  const aboutInside = ([a, b]: [number, number]) => {
    for (let k = a; k < b; k++) if (m.forms[k + 1] === ABOUT && p.terms.includes(T[k])) return true;
    return false;
  };
  return p.terms.includes(ABOUT) ? out : out.filter((o) => !aboutInside(o));
}

/** «про»: what follows it is what is talked about. */
const ABOUT = 'про';
/** «что-то про водителя сказал»: something said about it, its content unknown. */
const SOMETHING = new Set(['то', 'чтото', 'нибудь']);
const ABOUT_WORDS = new Set([ABOUT, 'о', 'об', 'насчет']);

/** «X и Y», «X или Y»: the words that join members of one coordination. */
const COORDINATORS = new Set(['и', 'или']);
/** Negations that deny every member of a coordination after them: «без мата и оскорблений», «ни мата, ни оскорблений». */
const DISTRIBUTING = new Set(['без', 'ни']);

/**
 * Whether the match at [a, b] is a later member of a coordination a distributing negation opens
 * («без мата и оскорблений» denies «оскорблений»), or an earlier member of one a «нет» closes
 * («мата и оскорблений нет»); a member is one or two words. «не» is left out: «не отвечает и
 * кричит» denies only the first verb.
 */
function deniedMember(m: Terms, [a, b]: [number, number]): boolean {
  const same = (k: number) => k >= 0 && k < m.terms.length && m.clause[k] === m.clause[a];
  if (a > 0 && COORDINATORS.has(m.forms[a - 1]) && same(a - 1))
    for (const k of [a - 3, a - 4]) if (same(k) && DISTRIBUTING.has(m.terms[k])) return true;
  // «мата и оскорблений нет», «… не было»: a closing negation of existence denies the earlier members too.
  if (COORDINATORS.has(m.forms[b + 1] ?? '') && same(b + 1))
    for (const k of [b + 3, b + 4]) if (same(k) && (m.terms[k] === 'нет' || (m.terms[k] === 'не' && m.terms[k + 1] === WAS))) return true;
  return false;
}

/**
 * «частник или фирма»: a member of an «или» offers it as one possibility and asserts it not. «X или
 * нет», «с датой или без» ask whether X, which is the clause's business, not a choice between two.
 */
function alternative(m: Terms, [a, b]: [number, number]): boolean {
  const before = a > 0 && m.forms[a - 1] === 'или' && m.clause[a - 1] === m.clause[a];
  const after = m.forms[b + 1] === 'или' && m.terms[b + 1] !== 'или нет' && !NEGATIONS.has(m.forms[b + 2] ?? '') && m.clause[b + 1] === m.clause[b];
  return before || after;
}

function negated(m: Terms, p: Phrase, [a, b]: [number, number]): boolean {
  const T = m.terms;
  const inPhrase = (t: string) => p.terms.includes(t);
  // A word before the match negates it only in its clause: «оставлять не хочет, только имя даст».
  const before = (d: number) => (a - d >= 0 && m.clause[a - d] === m.clause[a] ? T[a - d] : undefined);
  // «не в ремонте»: a negation right before, or before one function word.
  if (!p.negative && (NEGATIONS.has(before(1) ?? '') || (m.stop[a - 1] && !NEGATIONS.has(before(1) ?? '') && NEGATIONS.has(before(2) ?? '')))) return true;
  if (before(1) !== undefined && isContrast(m, a - 1) && !inPhrase(before(1)!)) return true;
  for (let k = a; k <= b; k++) if ((NEGATIONS.has(T[k]) || isContrast(m, k)) && !inPhrase(T[k])) return true;
  if (EXCEPT.has(m.forms[b + 1] ?? '')) return true;
  if (!p.negative && (T[b + 1] === 'нет' || (T[b + 1] === 'не' && T[b + 2] === WAS))) return true;
  if (NOTHING_TO.has(before(1) ?? '') || (m.clause[b + 1] === m.clause[b] && NOTHING_TO.has(T[b + 1] ?? ''))) return true;
  if (isContrast(m, b + 1) && !inPhrase(T[b + 1])) return true;
  return false;
}

/** «оскорбляет не меня, а прошлого оператора»: the act is denied of the operator on the line (its topic still named). */
const notAtOperator = (m: Terms, p: Phrase, [, b]: [number, number]): boolean => {
  // The operator as the act's direct object only: «матерится не на меня, а на ситуацию» is swearing all the same.
  return m.terms[b + 1] === 'не' && OPERATOR_OBJECT.has(m.forms[b + 2] ?? '') && !p.terms.includes('не');
};

/** Words of complaint, as stems: what the caller complains of («жалуется на …») is someone else's doing. */
const COMPLAINT = new Set(['жалуется', 'жалуются', 'жаловался', 'жаловалась', 'жаловаться', 'пожаловаться', 'пожаловался', 'пожаловалась', 'жалоба', 'жалобу', 'жалобы', 'жалобой'].map(stem));

/**
 * «жалуется на грубого продавца»: a match right after the «на» of a complaint is what the caller
 * complains of — another person's conduct or a thing gone wrong — not what the caller does on the line.
 */
function complainedOf(m: Terms, p: Phrase, a: number): boolean {
  if (m.forms[a - 1] !== 'на' || m.clause[a - 1] !== m.clause[a]) return false;
  return [a - 2, a - 3].some((k) => k >= 0 && m.clause[k] === m.clause[a] && COMPLAINT.has(m.terms[k]) && !p.terms.includes(m.terms[k]));
}

const spans = (m: Terms, list: [number, number][]): Span[] => list.map(([a, b]) => ({ from: m.spans[a].from, to: m.spans[b].to }));

/** The message spans where the phrase is mentioned, negated occurrences and what a complaint is about left out (a question about it names it too). */
export function stated(m: Terms, p: Phrase): Span[] {
  return spans(m, occurrences(m, p).filter((o) => !negated(m, p, o) && !complainedOf(m, p, o[0])));
}

/**
 * The spans where the message names the phrase as what it is about: a case supposed («а если контакт из заказа
 * недоступен?») is the topic asked, like a condition asked about; mentions in a consequence asked («что будет, если
 * расторгнуть») left out.
 */
export function named(m: Terms, p: Phrase): Span[] {
  return spans(m, occurrences(m, p).filter((o) => !negated(m, p, o) && !complainedOf(m, p, o[0]) && !m.consequence.has(m.clause[o[0]]) && !hedged(m, o[0]) && !relativesOwn(m, o[0]) && !ofOtherThing(m, o)));
}

/** The spans where the message says the phrase is so: mentions in a clause that asks («можно ли …») or supposes, or offered as one of alternatives, left out. */
export function asserted(m: Terms, p: Phrase): Span[] {
  return spans(m, occurrences(m, p).filter((o) => saidSo(m, p, o) && !alternative(m, o)));
}

/**
 * A mention that would be asserted but for being offered as one of alternatives: «X или Y» asserts
 * an option only when both of its members are that option's evidence («стирать или дописывать»).
 */
export function alternatives(m: Terms, p: Phrase): Span[] {
  return spans(m, occurrences(m, p).filter((o) => saidSo(m, p, o) && alternative(m, o)));
}

/** An adjective or participle as a value is written in the nominative («отклоненный», «отклоненное задание»). */
const NOMINATIVE_ADJECTIVE = /(ый|ий|ой|ая|яя|ое|ее|ые|ие)$/;
/**
 * Plural oblique adjective endings with the prepositions that govern them: instrumental «с отклонёнными»,
 * dative «по отклонённым», genitive or prepositional «об отклонённых» («в отклонённых», «на …» say where one is).
 */
const CLASS_PHRASE: [RegExp, ReadonlySet<string>][] = [
  [/(ыми|ими)$/, new Set(['с', 'со', 'за', 'над', 'под', 'перед', 'между'])],
  [/(ым|им)$/, new Set(['по', 'к', 'ко'])],
  [/(ых|их)$/, new Set(['о', 'об', 'обо', 'про', 'для', 'из', 'от', 'у', 'без', 'после', 'насчет'])],
];

/**
 * «что делать с отклонёнными заданиями», «вопрос по отклонённым заявкам»: a value's adjective in a plural
 * oblique case after a preposition names a kind of thing talked about, not the state of the one on the line
 * («задание вернули отклонённым», «с отклонённым статусом» still state it). The topic is still named.
 */
function kindNamed(m: Terms, p: Phrase, a: number): boolean {
  if (!NOMINATIVE_ADJECTIVE.test(p.forms[0] ?? '') || a === 0 || m.clause[a - 1] !== m.clause[a]) return false;
  const form = m.forms[a] ?? '';
  return CLASS_PHRASE.some(([ending, prepositions]) => ending.test(form) && prepositions.has(m.forms[a - 1]));
}

/** A colleague or a superior named as who does something («коллега оскорбила меня»): nominative forms only («коллегу» is an object). */
const STAFF_SUBJECT = new Set(['коллега', 'напарница', 'напарник', 'руководитель', 'руководительница', 'начальник', 'начальница', 'супервайзер', 'тимлид']);
/** Words naming the caller (or standing for him) in a clause. */
const CALLER = /^(клиент|кл$|аб$|абонент|покупател|звонящ|он$|она$|они$|его$|ему$|ее$|ей$|их$|им$)/;

/**
 * «коллега 2 раза оскорбила меня в чате»: what a colleague or a superior did, in a clause that does not name the
 * caller, is that person's conduct, not the caller's on the line (seed 001: «Клиент переходит на личностные
 * оскорбления»); «коллега говорит, клиент матерится» still names the caller.
 */
function staffDid(m: Terms, a: number): boolean {
  const clause = m.clause[a];
  let staff = false;
  for (let k = 0; k < m.terms.length; k++) {
    if (m.clause[k] !== clause) continue;
    if (CALLER.test(m.forms[k])) return false;
    if (k < a && STAFF_SUBJECT.has(m.forms[k])) staff = true;
  }
  return staff;
}

/** A relative of the caller, in the genitive («у жены») and in the dative («жене»): what is said of one is that person's. */
const RELATIVE_GENITIVE = new Set(['жены', 'мужа', 'мамы', 'матери', 'отца', 'папы', 'сына', 'дочери', 'дочки', 'брата', 'сестры', 'соседа', 'родителей']);
const RELATIVE_DATIVE = new Set(['жене', 'мужу', 'маме', 'матери', 'отцу', 'папе', 'сыну', 'дочери', 'дочке', 'брату', 'сестре', 'соседу', 'родителям']);
/** Prepositions before which a dative form is something else («на жене», «о маме», «к брату»). */
const GOVERNING = new Set(['на', 'в', 'о', 'об', 'при', 'по', 'к', 'ко', 'про']);

/**
 * «у жены подключен домашний интернет, а муж звонит», «жене клиента приходила смс»: a fact in a clause whose
 * holder is a relative of the caller, in the genitive after «у» or in the dative, is that person's, not the caller's
 * («жена отвозила машину» — a relative doing the act — is still stated).
 */
function relativesOwn(m: Terms, a: number): boolean {
  const clause = m.clause[a];
  return m.forms.some(
    (f, k) => m.clause[k] === clause && ((RELATIVE_GENITIVE.has(f) && m.forms[k - 1] === 'у') || (RELATIVE_DATIVE.has(f) && !GOVERNING.has(m.forms[k - 1] ?? ''))),
  );
}

/** Threatening, as stems: «угрожает», «грозится». */
const THREAT = new Set(['угрожает', 'угрожал', 'угрожала', 'угрожают', 'угрожали', 'грозится', 'грозился', 'грозилась', 'пригрозил', 'пригрозила'].map(stem));
/** Lawful steps a caller may threaten: a complaint, a court, the regulator. */
const LAWFUL = new Set([...COMPLAINT, ...['суд', 'судом', 'суда', 'пожаловаться', 'роскомнадзор', 'роспотребнадзор', 'прокуратуру', 'прокуратурой'].map(stem)]);
/** The caller (or another) as the object of an act in the dative, in the third person: «ему угрожает сосед». */
const THIRD_DATIVE = new Set(['ему', 'ей', 'им']);

/**
 * Seed 001 «личностные оскорбления, угрозы» are the caller's against the operator: a threat to complain or sue
 * («угрожает написать жалобу в Роскомнадзор») is a step the caller announces, and a threat made to the caller
 * («ему угрожает сосед») is someone else's. The topic is still named.
 */
function notPersonalThreat(m: Terms, p: Phrase, [a, b]: [number, number]): boolean {
  // A phrase that names the complaint itself («угрожает жалобой» for a conflict) states it.
  if (p.terms.some((t) => LAWFUL.has(t))) return false;
  const threat = (k: number) => THREAT.has(m.terms[k]);
  let at = -1;
  for (let k = a; k <= b; k++) if (threat(k)) at = k;
  if (at < 0) return false;
  if (THIRD_DATIVE.has(m.forms[at - 1] ?? '') && m.clause[at - 1] === m.clause[at]) return true;
  for (let k = at + 1; k <= at + 3 && m.clause[k] === m.clause[at]; k++) if (LAWFUL.has(m.terms[k])) return true;
  return false;
}

/** «CASE почти готов», «почти на все ответил»: nearly so is not so. */
const almost = (m: Terms, [a, b]: [number, number]): boolean =>
  // «почти не говорит по-русски», «почти ничего не понимает»: nearly none is the negation's fact, which it states.
  [a - 1, ...Array.from({ length: b - a + 1 }, (_, d) => a + d)].some((k) => m.forms[k] === 'почти' && m.clause[k] === m.clause[a] && !NEGATIONS.has(m.forms[k + 1] ?? '') && !(m.forms[k + 1] ?? '').startsWith('нич'));

/** «был», «была», «было», «были», «есть»: a verb of being between a fact and its holder. */
const BEING = /^(был|была|было|были|есть|стоит|стоял|стояла|висит|висел|висела)$/;

/** «который» and its forms: a relative clause, about the noun before it. */
const WHICH = /^котор(ый|ая|ое|ые|ого|ой|ому|ым|ом|ую|ых)$/;

/**
 * «срок истек у другого его кейса, который в open-dispatch»: a relative clause right after a mention of another
 * thing («другой») tells of that other thing, not of the one on the line.
 */
function ofOtherThing(m: Terms, [a, b]: [number, number]): boolean {
  // «срок истек у другого кейса», «open-dispatch был у другого клиента»: the fact is the other thing's, its holder set
  // after «у» (a verb of being may stand between).
  for (const d of [1, 2]) if (m.forms[b + d] === 'у' && isContrast(m, b + d + 1) && m.clause[b + d + 1] === m.clause[b] && (d === 1 || BEING.test(m.forms[b + 1] ?? ''))) return true;
  const clause = m.clause[a];
  const first = m.clause.indexOf(clause);
  if (first <= 0 || !WHICH.test(m.forms[first] ?? '')) return false;
  for (let k = first - 1; k >= 0 && m.clause[k] === clause - 1; k--) if (isContrast(m, k)) return true;
  return false;
}

/** The operator is not sure of the clause, or it is of another day («анкета вроде та же», «не знаю, экспертный ли»). */
const hedged = (m: Terms, a: number): boolean => m.unsure.has(m.clause[a]);

/**
 * Not negated, nor denied as a member of a coordination, in a clause that neither asks, supposes nor hedges.
 * A denied member still names its topic («кричит, но без мата и оскорблений» is about insults).
 */
function saidSo(m: Terms, p: Phrase, o: [number, number]): boolean {
  // «что-то про водителя сказал»: something was said about it, what is not known; a topic question is named by it.
  const a = o[0];
  const vague = a > 1 && ABOUT_WORDS.has(m.forms[a - 1]) && SOMETHING.has(m.forms[a - 2]) && m.clause[a - 2] === m.clause[a];
  return !vague && !hedged(m, a) && !relativesOwn(m, a) && !ofOtherThing(m, o) && !almost(m, o) && !notAtOperator(m, p, o) && !notPersonalThreat(m, p, o) && !kindNamed(m, p, a) && !staffDid(m, a) && !negated(m, p, o) && !complainedOf(m, p, o[0]) && !(!p.negative && deniedMember(m, o)) && !m.asking.has(m.clause[o[0]]) && !m.supposed.has(m.clause[o[0]]);
}

/** Where the phrase occurs negated («скидки не было» for «скидки»). */
export function negatedAt(m: Terms, p: Phrase): Span[] {
  return spans(m, occurrences(m, p).filter((o) => negated(m, p, o)));
}

/** Predicates of a thing not working («не работает», «не открывается», «не заходит»): said of a thing that is there. */
const MALFUNCTION = /^(работа|открыва|открыл|заход|зашл|грузит|загружа|срабатыва|сработал)/;

/** Endings of Russian verb forms (past, present, infinitive): a word so ending is taken as a predicate, not a noun. */
const VERB_FORM = /(л|ла|ло|ли|лся|лась|лось|лись|ет|ит|ут|ют|ат|ят|ть|ться|ется|ится|ются|ятся|ется|ешь|ишь)$/;

/**
 * «анкета и госномер совпадают, а субъект претензии пока не проверила», «субъект и номер ещё не
 * смотрела»: a negated predicate later in a clause governs every noun group before it there — what it
 * names was not done or checked — so such a mention states none of the facts an option needs together
 * (`assertsAll`). `own`: spans the option's own phrases match; a negation inside one is that phrase's
 * word («замечания, не отвечает»: the second fact), not a predicate over the first.
 */
export function underNegatedPredicate(m: Terms, s: Span, own: readonly Span[]): boolean {
  const last = m.spans.findIndex((x) => x.from <= s.to && s.to <= x.to);
  if (last < 0) return false;
  // Only a noun group is governed: a predicate of its own («не согласен», «бросил трубку») is followed by
  // another act («… и не хочет ждать», «… и не перезвонил»), not negated by it.
  const first = m.spans.findIndex((x) => x.from <= s.from && s.from <= x.to);
  for (let k = first; k <= last; k++) if (NEGATIONS.has(m.terms[k]) || VERB_FORM.test(m.forms[k])) return false;
  const clause = m.clause[last];
  for (let k = last + 1; k < m.terms.length && m.clause[k] === clause; k++) {
    if (!NEGATIONS.has(m.terms[k]) || m.terms[k] === 'без') continue;
    // «не» or «ни» needs the predicate it negates after it in the clause; «нет» is one.
    if (m.terms[k] !== 'нет' && m.clause[k + 1] !== clause) continue;
    // «старая из письма не работает», «по ссылке из смс не заходит»: a thing that does not work is there all the same.
    if (m.terms[k] === 'не' && MALFUNCTION.test(m.forms[k + 1] ?? '')) continue;
    const at = m.spans[k].from;
    if (own.some((o) => o.from <= at && at <= o.to)) continue;
    return true;
  }
  return false;
}
