import { nearlyEqual } from '../text.js';
import type { CountMeaning } from '../types.js';
import { CALL_OR_PERIOD, datesElsewhere, EARLIER, OPERATOR_OBJECT, OTHER_DAY } from './markers.js';
import { isInfinitive, type MessageWord } from './message.js';

/**
 * Reads counts from a message for a count question: digits, ordinals and number words alike
 * («2 раз», «второй раз», «в 3-й раз», «дважды», «два раза», «ни разу не предупреждал»). A number
 * counts only next to a unit («раз», the question's act or unit words), so «один и тот же вопрос»
 * is no count. Each reading is either acts already given (a number next to the act: «предупредил
 * дважды») or the occurrence of the behaviour («матерится второй раз»), converted to what the
 * question's options count.
 */

/** A range of counts the message states: `min`..`max` inclusive (`max` undefined = or more). */
export interface CountRange {
  min: number;
  max?: number;
  /** What the message counted: acts given, or the occurrence of the behaviour (already converted to the question's terms). */
  kind: 'acts' | 'occurrence';
  /** An ordinal («первый раз», «3-й раз»): surely the occurrence, where a bare «1 раз» may count anything. */
  ordinal?: boolean;
  /** «снова», «опять»: a repeat without a number, which says nothing of the acts given in between. */
  again?: boolean;
  /** Index range of the message words that state it. */
  from: number;
  to: number;
}

// «оба предупреждения», «обе фразы»: both is two.
const CARDINAL: Record<string, number> = { ноль: 0, один: 1, одна: 1, одно: 1, одну: 1, одного: 1, два: 2, две: 2, двух: 2, оба: 2, обе: 2, обоих: 2, три: 3, трех: 3, четыре: 4, пять: 5 };
const ORDINAL_STEMS: [RegExp, number][] = [
  [/^перв(ый|ая|ое|ого|ой|ую|ом)$/, 1],
  [/^втор(ой|ая|ое|ого|ую|ом)$/, 2],
  [/^трет(ий|ья|ье|ьего|ьей|ью|ьем)$/, 3],
  [/^четверт(ый|ая|ое|ого|ой|ую|ом)$/, 4],
  [/^пят(ый|ая|ое|ого|ой|ую|ом)$/, 5],
];
const TYPO_FORMS: [string, number, boolean][] = [
  ['первый', 1, true], ['первая', 1, true], ['второй', 2, true], ['вторая', 2, true], ['третий', 3, true], ['третья', 3, true], ['четвертый', 4, true], ['четыре', 4, false],
];
/** «ни одного», «ни единого»: not a single one. */
const NOT_A_SINGLE = new Set(['одного', 'одной', 'единого', 'единой']);
const MULTIPLE: Record<string, number> = { однажды: 1, единожды: 1, разок: 1, дважды: 2, трижды: 3 };
/** Endings typed after a digit to make an ordinal, attached or apart: «3-й», «2й», «2-ой», «3-я», «3-м». */
const ORDINAL_ENDINGS = 'й|ий|ой|ый|я|ая|ья|е|ое|го|ого|м|ом|ему';
const ORDINAL_ENDING = new RegExp(`^(?:${ORDINAL_ENDINGS})$`);
/** One or two digits, bare or with an ordinal ending: «2», «3й», «5ом». */
export const DIGIT_NUMBER = new RegExp(`^(\\d{1,2})(${ORDINAL_ENDINGS})?$`);
const RAZ = new Set(['раз', 'раза', 'разу']);
/** Words that say the behaviour happens again, without a number: the 2nd occurrence or later. */
const AGAIN = new Set(['снова', 'опять', 'повторно']);
const NEGATION = new Set(['не', 'нет', 'ни', 'без']);
const ALSO = new Set(['тоже', 'также']);
const TIME_PREPOSITION = new Set(['с', 'со', 'на', 'в', 'во']);
/** Words that may stand between an act and its «N-й раз» («предупредила его уже во второй раз»). */
const BESIDE_ACT = new Set(['уже', 'все', 'всё', 'его', 'ее', 'её', 'ему', 'ей', 'их', 'им', 'я', 'клиента', 'абонента', 'клиенту', 'абоненту', 'кл', 'аб', 'же', 'ведь', 'вот', 'это']);
/** Conjunctions that open a clause pointing back: «но это было…», «а было это…». */
const CLAUSE_LINK = new Set(['но', 'а', 'и', 'только', 'правда', 'хотя']);
/**
 * A count is of the call on the line («на протяжении разговора», seed 001): acts dated to another day
 * or call (markers.ts) or done by someone else («коллега», «другой оператор») in the act's own clause
 * were not given in this call.
 */
const OTHER_AGENT = new Set(['коллега', 'коллеги', 'напарница', 'напарник']);
const AGENT_NOUN = /^(оператор|сотрудни|специалист|смен)/;
/**
 * The warnings the question counts are the operator's, spoken on the line (seed 001: «Предупреждаем
 * клиента»): warnings the client received («получил два предупреждения»), or that came by SMS or
 * letter («предупреждения … по смс»), are another thing counted.
 */
const ABOUT = new Set(['о', 'об', 'про']);
/** A past-tense verb form («предупредила», «предупреждали»), not the act's noun («предупреждения»). */
const PAST_VERB = /(л|ла|ло|ли)$/;
/** What seed 001's warnings are about: the dialog ended («прерываем диалог»), obscene language, insults, threats; «о том, что …», «об этом» say it elsewhere. */
const WARNING_TOPIC = /^((том|этом|этого|нем|ней|них)$|прерыв|прерв|прекращ|заверш|окончан|отключ|сброс|разъедин|мат|нецензур|ненормат|брань|оскорбл|угроз|недопуст|поведен|выражен|лексик|грубост|хамств|тон|повтор|последств|санкци)/;
const RECEIVED = /^(получил|получал|получает|получит|пришл|приходил|прислал|присылал)/;
/** What a «что» after the act says when it is the seed's warning: the dialog to be ended, the language, the question not about the network («предупредила, что прерву разговор»). */
const WARNING_CONTENT = /^(прерыв|прерв|прекращ|заверш|законч|отключ|сброш|сброс|разъедин|положу|брошу|мат|нецензур|оскорбл|угроз|недопуст|связ|сотов)/;
/** «предупредил уже, что дальше?», «…, что делать»: the operator's own question after the act, not what the warning said. */
const OPERATOR_ASKS = new Set(['дальше', 'делать', 'теперь', 'потом']);
/** Verbs that carry the act's noun: «не делала предупреждений», «не давала никаких предупреждений» deny the act as «не предупреждала» does. */
const CARRIER = /^(делал|сделал|давал|дал|выносил|вынесл)/;
const CARRIER_FILLER = new Set(['никаких', 'никакого', 'никакое', 'ему', 'ей', 'им', 'пока', 'еще', 'ни', 'одного', 'одно']);
const WRITTEN = /^(смс|sms|эсэмэс|сообщени|письм|рассылк|уведомлени)/;
/** A finite verb, past or present («предупредил», «предупреждает»), whose subject may be named before it. */
const ACTING_VERB = /(л|ла|ли|ет|ит|ют|ят)$/;
/** The caller named as the subject, in the nominative. */
const CALLER_SUBJECT = /^(клиент|клиентка|кл|аб|абонент|абонентка|покупатель|он|она)$/;
const BETWEEN_SUBJECT = new Set(['уже', 'сам', 'сама', 'тоже', 'еще', 'сначала', 'сразу']);
/** «не успела предупредить», «предупреждать ещё не успела»: the act not yet done. */
const NOT_YET = /^успел/;

/**
 * A noun in the case a cardinal governs, which counts («2 попытки», «5 попыток»), where a nominative typed
 * after a digit names which one («3 попытка»): after 2–4 the feminine genitive in «-и»/«-ы», after 5 and more
 * the genitive plural («-ок», «-ов», «-ей»). A past verb in «-ли» («3 звонили») is no noun.
 */
function countingForm(value: number, word: string): boolean {
  if (/ли$/.test(word)) return false;
  const last = value % 10;
  const teen = value % 100 >= 11 && value % 100 <= 14;
  if (!teen && last >= 2 && last <= 4) return /[иы]$/.test(word);
  if (teen || last >= 5 || last === 0) return /(ок|ов|ев|ей)$/.test(word);
  return false;
}

interface NumberWord {
  value: number;
  ordinal: boolean;
  /** Index of the last word of the number («3 й» is two words). */
  end: number;
}

/** A word that is a number on its own: digits («2», «3й»), a cardinal («два») or an ordinal («второе»). */
function wordNumber(w: string): Omit<NumberWord, 'end'> | undefined {
  const digits = DIGIT_NUMBER.exec(w);
  if (digits) return { value: Number(digits[1]), ordinal: digits[2] !== undefined };
  if (w in CARDINAL) return { value: CARDINAL[w], ordinal: false };
  for (const [re, value] of ORDINAL_STEMS) if (re.test(w)) return { value, ordinal: true };
  return undefined;
}

function numberAt(ws: readonly MessageWord[], i: number): NumberWord | undefined {
  const w = ws[i].word;
  if (/^\d{1,2}$/.test(w) && ORDINAL_ENDING.test(ws[i + 1]?.word ?? '')) return { value: Number(w), ordinal: true, end: i + 1 };
  const n = wordNumber(w);
  if (n) return { ...n, end: i };
  // One typo in a longer number word («втарой», «трейтий»).
  const near = TYPO_FORMS.find(([form]) => w.length >= 5 && nearlyEqual(w, form));
  return near ? { value: near[1], ordinal: near[2], end: i } : undefined;
}

/** The value of a word that is a number on its own, for reading «предложение номер два» as «предложение номер 2». */
export const numberValue = (word: string): number | undefined => wordNumber(word)?.value;

/** Whether a word is an ordinal on its own («второе», «2я», «3-й» typed as one word). */
export const isOrdinalWord = (word: string): boolean => wordNumber(word)?.ordinal === true;

/** Whether a word is an ordinal ending typed apart from its digits («2-е»: «е»). */
export const isOrdinalEnding = (word: string): boolean => ORDINAL_ENDING.test(word);

/** Compiled count settings of one question: stems of its act and unit words, or «*»-prefixed forms for words written with «*». */
export interface CountSpec {
  means: CountMeaning['means'];
  act: ReadonlySet<string>;
  unit: ReadonlySet<string>;
}

/** A word written with «*» names its form, not its stem: «ответил*» is «ответила», not the noun «ответ». */
function isWordOf(words: ReadonlySet<string>, w: MessageWord): boolean {
  if (words.has(w.stem)) return true;
  for (const f of words) if (f.startsWith('*') && w.word.startsWith(f.slice(1))) return true;
  return false;
}

/**
 * Every count the message states, as ranges in the question's terms (the caller intersects them:
 * «уже предупредил» and «второй раз» together are exactly one warning given).
 */
export function readCounts(ws: readonly MessageWord[], spec: CountSpec): CountRange[] {
  const out: CountRange[] = [];
  const words = ws.map((w) => w.word);
  const isAct = (k: number) => k >= 0 && k < ws.length && !isInfinitive(ws[k].word) && isWordOf(spec.act, ws[k]) && !aboutOther(k) && !offered(k) && !notThisCall(k) && !callersOwn(k);
  // «клиент предупредил меня, что будет жаловаться»: the caller doing the act, or the operator its object, is no act of the operator's.
  const callersOwn = (k: number) => {
    if (!ACTING_VERB.test(ws[k].word)) return false;
    if (OPERATOR_OBJECT.has(ws[k + 1]?.word ?? '') && ws[k + 1].clause === ws[k].clause) return true;
    for (let j = k - 1; j >= 0 && j >= k - 3 && ws[j].clause === ws[k].clause; j--) {
      if (CALLER_SUBJECT.test(ws[j].word)) return true;
      if (!BETWEEN_SUBJECT.has(ws[j].word)) return false;
    }
    return false;
  };
  const notThisCall = (k: number) =>
    // «второе предупреждение от системы»: given by someone or something else than the operator.
    (ws[k + 1]?.word === 'от' && ws[k + 2] !== undefined && !['меня', 'нас', 'оператора'].includes(ws[k + 2].word)) ||
    datedAfter(k) ||
    ws.some((w, j) => w.clause === ws[k].clause && (OTHER_DAY.has(w.word) || OTHER_AGENT.has(w.word) || RECEIVED.test(w.word) || WRITTEN.test(w.word) || ((EARLIER.test(w.word) || w.word === 'другой' || w.word === 'другая') && (CALL_OR_PERIOD.test(ws[j + 1]?.word ?? '') || AGENT_NOUN.test(ws[j + 1]?.word ?? '')))));
  // «предупредила один раз, но это было на прошлой неделе»: the next clause dates the act it points back to («это было», «было»).
  const datedAfter = (k: number) => {
    const next = ws.filter((w) => w.clause === ws[k].clause + 1);
    const head = next.findIndex((w) => !CLAUSE_LINK.has(w.word));
    if (head < 0 || !(next[head].word === 'это' || next[head].word === 'было') || !next.some((w) => w.word === 'было')) return false;
    return next.some((w, j) => OTHER_DAY.has(w.word) || (EARLIER.test(w.word) && CALL_OR_PERIOD.test(next[j + 1]?.word ?? '')));
  };
  // «предупреждать или сразу отключать?»: an act offered as one of alternatives is a choice asked about, not an act done.
  const offered = (k: number) => [k - 1, k + 1].some((j) => ws[j]?.word === 'или' && ws[j].clause === ws[k].clause);
  // «предупредила клиента, что разговор записывается»: a «что» after the act says what it was about, another thing.
  // «предупреждение о записи разговора», «предупредила об акции»: a warning about another thing than the seed's
  // (the conversation to be ended, the client's language, insults or threats); an answer explained «про списание» is still one.
  // A «что» clause that says the seed's warning («предупредила, что при оскорблениях прерву разговор») is that warning.
  const warnsOfSeed = (at: number) => ws.slice(at + 1, at + 7).some((w) => w.clause <= ws[at].clause + 1 && WARNING_CONTENT.test(w.word));
  const aboutOther = (k: number) =>
    [1, 2, 3].some((d) => ws[k + d]?.word === 'что' && !warnsOfSeed(k + d) && !OPERATOR_ASKS.has(ws[k + d + 1]?.word ?? '')) ||
    (ws[k].word.startsWith('предупре') && [1, 2].some((d) => ABOUT.has(ws[k + d]?.word ?? '') && ws[k + d].clause === ws[k].clause && ws[k + d + 1] !== undefined && ws[k + d + 1].clause === ws[k].clause && !WARNING_TOPIC.test(ws[k + d + 1].word)));
  // A cardinal next to the act counts acts («предупредила дважды», «2 раза уже предупреждал»);
  // otherwise it counts occurrences («матерится 2 раза»).
  // In the number's own clause: «матерится 2 раза, предупредила» counts the swearing, not the warnings.
  const nearAct = (from: number, to: number) => {
    for (let k = Math.max(0, from - 5); k <= Math.min(ws.length - 1, to + 3); k++) if (isAct(k) && ws[k].clause === ws[from].clause) return true;
    return false;
  };
  // «три раза звонили», «2 раза», «2 попытки», «5 попыток»: a noun in the form a cardinal governs says how
  // many times, not which one this is (the occurrence a question like «какая это попытка?» asks); «с 3 раза»,
  // «на 2 раза» still name the time, as «2 раз» and «3 попытка» (a nominative typed after a digit) do.
  const howMany = (n: number, unit: number) => (ws[unit].word === 'раза' || countingForm(numberAt(ws, n)!.value, ws[unit].word)) && !TIME_PREPOSITION.has(ws[n - 1]?.word ?? '');
  // «вчера была вторая попытка», «на прошлой неделе матерился второй раз»: an occurrence dated to another
  // day or call is not the one on the line (seed 001: «на протяжении разговора»).
  const datedElsewhere = (k: number) =>
    ws.some((w, j) => w.clause === ws[k].clause && datesElsewhere(words, j));
  // The act right before the number or right after its «раз», with only an adverb, a pronoun or the time's preposition between.
  const actBeside = (from: number, to: number) => {
    const reach = (k: number, step: -1 | 1): boolean => {
      for (let d = 0; d < 4 && k >= 0 && k < ws.length && ws[k].clause === ws[from].clause; d++, k += step) {
        if (isAct(k)) return true;
        if (!BESIDE_ACT.has(ws[k].word) && !(step === -1 && TIME_PREPOSITION.has(ws[k].word))) return false;
      }
      return false;
    };
    return reach(from - 1, -1) || reach(to + 1, 1);
  };
  const isUnit = (k: number) => k < ws.length && (RAZ.has(ws[k].word) || isWordOf(spec.unit, ws[k]) || isWordOf(spec.act, ws[k]));
  const push = (kind: 'acts' | 'occurrence', min: number, max: number | undefined, from: number, to: number, ordinal = false) => {
    if (kind === 'occurrence' && datedElsewhere(from)) return;
    const before = out.length;
    // Convert: the n-th occurrence of the behaviour comes after n − 1 acts (one per earlier occurrence).
    if (spec.means === 'given') {
      if (kind === 'occurrence') out.push({ min: Math.max(0, min - 1), max: max === undefined ? undefined : Math.max(0, max - 1), kind, from, to });
      else out.push({ min, max, kind, from, to });
    } else if (kind === 'occurrence') out.push({ min, max, kind, from, to });
    if (ordinal) for (let k = before; k < out.length; k++) out[k].ordinal = true;
  };

  // The last ordinal read with its unit: «первое предупреждение сделала, второе тоже» leaves the unit out of the second;
  // so does «2 попытки были без ответа, сейчас 3я» after a count of how many (the one on the line is named by its ordinal).
  let lastOrdinal: 'acts' | 'occurrence' | undefined;
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i].word;
    // «ни разу», «ни одного раза»; «не предупреждал», «без предупреждения»: no act yet.
    // «ни одного предупреждения», «ни одного раза»: «одного» is no count of one here but «not a single».
    if (w === 'ни' && NOT_A_SINGLE.has(ws[i + 1]?.word ?? '') && (isAct(i + 2) || (RAZ.has(ws[i + 2]?.word ?? '') && nearAct(i, i + 2)))) {
      push('acts', 0, 0, i, i + 2);
      i += 2;
      continue;
    }
    // «а, нет, предупредила»: a «нет» set apart by punctuation is no negation of the act after it.
    const sameClause = (k: number) => ws[k] !== undefined && ws[k].clause === ws[i].clause;
    if (NEGATION.has(w) && ((ws[i + 1]?.word === 'разу' && sameClause(i + 1)) || (isAct(i + 1) && sameClause(i + 1)) || (isAct(i + 2) && ws[i + 1]?.word === 'ни' && sameClause(i + 2)))) {
      push('acts', 0, 0, i, i + 1);
      continue;
    }
    // «не делала предупреждений», «пока не давала никаких предупреждений»: the act's noun after a negated verb that carries it.
    if (NEGATION.has(w) && CARRIER.test(ws[i + 1]?.word ?? '')) {
      let k = i + 2;
      while (k < ws.length && k <= i + 4 && CARRIER_FILLER.has(ws[k].word)) k++;
      if (isAct(k) && ws[k].clause === ws[i].clause) {
        push('acts', 0, 0, i, k);
        i = k;
        continue;
      }
    }
    // «не успела предупредить», «предупреждать ещё не успела»: none given.
    if (w === 'не' && NOT_YET.test(ws[i + 1]?.word ?? '')) {
      const act = [i - 1, i - 2, i + 2, i + 3].find((k) => k >= 0 && k < ws.length && ws[k].clause === ws[i].clause && isWordOf(spec.act, ws[k]) && isInfinitive(ws[k].word));
      if (act !== undefined) {
        push('acts', 0, 0, Math.min(i, act), Math.max(i + 1, act));
        i = Math.max(i + 1, act);
        continue;
      }
    }
    // «не раз», «не один раз», «не однажды», «неоднократно» next to the act: more than once, two or more.
    const several = w === 'неоднократно' ? i : w === 'не' && ['раз', 'однажды', 'единожды'].includes(ws[i + 1]?.word ?? '') ? i + 1 : w === 'не' && ws[i + 1]?.word === 'один' && ws[i + 2]?.word === 'раз' ? i + 2 : undefined;
    if (several !== undefined) {
      if (spec.means === 'given' && nearAct(i, several)) push('acts', 2, undefined, i, several);
      i = several;
      continue;
    }
    const multiple = w in MULTIPLE ? w : w.length >= 6 ? Object.keys(MULTIPLE).find((m) => nearlyEqual(w, m)) : undefined;
    if (multiple) {
      // «звонили трижды»: how many times, not which time this one is.
      if (spec.means === 'occurrence' && !nearAct(i, i)) continue;
      push(nearAct(i, i) ? 'acts' : 'occurrence', MULTIPLE[multiple], MULTIPLE[multiple], i, i);
      continue;
    }
    const n = numberAt(ws, i);
    if (n) {
      // «в 3-й раз», «второй раз», «3 попытка», «2 раза», «2 раз»: a number needs a unit after it;
      // «первый же звонок»: an ordinal stressed by «же» still has its unit next.
      const gap = n.ordinal && ws[n.end + 1]?.word === 'же' ? 2 : 1;
      const unitAt = isUnit(n.end + gap) ? n.end + gap : undefined;
      if (unitAt === undefined) {
        // An ordinal whose unit is the earlier ordinal's, left out: it ends its clause or is followed by «тоже».
        const next = ws[n.end + 1];
        if (n.ordinal && lastOrdinal && (!next || next.clause !== ws[n.end].clause || ALSO.has(next.word))) push(lastOrdinal, n.value, n.value, i, n.end, true);
        continue;
      }
      // A cardinal next to the act counts acts («предупредил 2 раза»); an ordinal or a number next to
      // the behaviour is its occurrence («матерится второй раз», «2 раз», «3 попытка»).
      // An ordinal before the act itself says which act was given («первое предупреждение уже было»).
      // «предупредила уже во второй раз», «второй раз предупреждаю»: «раз» with the act itself beside it counts that act.
      const acts = n.ordinal ? (isAct(unitAt) && !RAZ.has(ws[unitAt].word)) || (RAZ.has(ws[unitAt].word) && actBeside(i, unitAt)) : nearAct(i, unitAt);
      if (!acts && spec.means === 'occurrence' && !n.ordinal && howMany(i, unitAt)) {
        lastOrdinal ??= 'occurrence';
        i = unitAt;
        continue;
      }
      // «первое предупреждение ещё не делала»: the act named by its ordinal is denied after it, so one fewer was given.
      const k = ['еще', 'пока'].includes(ws[unitAt + 1]?.word ?? '') ? unitAt + 2 : unitAt + 1;
      const denied = acts && n.ordinal && ws[k]?.word === 'не' && ws[k].clause === ws[unitAt].clause && (CARRIER.test(ws[k + 1]?.word ?? '') || ws[k + 1]?.word === 'было');
      if (denied) {
        push('acts', n.value - 1, n.value - 1, i, k + 1);
        i = k + 1;
        continue;
      }
      push(acts ? 'acts' : 'occurrence', n.value, n.value, i, unitAt, n.ordinal);
      if (n.ordinal) lastOrdinal = acts ? 'acts' : 'occurrence';
      i = unitAt;
      continue;
    }
    if (AGAIN.has(w)) {
      const before = out.length;
      push('occurrence', 2, undefined, i, i);
      for (let k = before; k < out.length; k++) out[k].again = true;
      continue;
    }
    if (isAct(i) && !NEGATION.has(ws[i - 1]?.word ?? '')) {
      // «предупреждения не было», «предупреждений нет», «предупреждений ещё не давала»: none given.
      // After a verb («предупредила не его, а жену», «предупреждала не раз») «не» negates what follows, not the act.
      const k = ['еще', 'пока'].includes(ws[i + 1]?.word ?? '') ? i + 2 : i + 1;
      const verb = PAST_VERB.test(ws[i].word);
      const end = ws[k]?.word === 'нет' && !verb ? k : ws[k]?.word === 'не' && !verb && ws[k + 1] !== undefined && ws[k + 1].clause === ws[i].clause ? k + 1 : undefined;
      push('acts', end !== undefined ? 0 : 1, end !== undefined ? 0 : undefined, i, end ?? i);
    }
  }
  // «первое предупреждение сделала, второе тоже»: each ordinal names an act given, the highest says how many.
  const named = out.filter((r) => r.kind === 'acts' && r.ordinal);
  if (named.length < 2) return out;
  const highest = named.reduce((a, b) => (b.min > a.min ? b : a));
  const span = { from: Math.min(...named.map((r) => r.from)), to: Math.max(...named.map((r) => r.to)) };
  return out.filter((r) => !named.includes(r) || r === highest).map((r) => (r === highest ? { ...r, ...span } : r));
}

/** A time the message dates a fact to, as months before now. */
export interface MonthsAgo {
  months: number;
  from: number;
  to: number;
}

const MONTH = /^(месяц|месяца|месяцев|мес)$/;
const YEAR = /^(год|года|лет)$/;

/**
 * Every «N месяцев назад», «полгода назад», «год назад» of the message, in months: what a question
 * about a past period («за последние 3–4 месяца») reads to see whether a fact falls inside it.
 */
export function readMonthsAgo(ws: readonly MessageWord[]): MonthsAgo[] {
  const out: MonthsAgo[] = [];
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i].word;
    let months: number | undefined;
    let end = i;
    if (w === 'полгода' || (w === 'пол' && ws[i + 1]?.word === 'года')) {
      months = 6;
      end = w === 'пол' ? i + 1 : i;
    } else if (MONTH.test(w) || YEAR.test(w)) {
      const n = i > 0 ? numberAt(ws, i - 1) : undefined;
      const count = n && !n.ordinal && n.end === i - 1 ? n.value : 1;
      months = MONTH.test(w) ? count : 12 * count;
    }
    if (months === undefined || ws[end + 1]?.word !== 'назад') continue;
    out.push({ months, from: i, to: end + 1 });
  }
  return out;
}
