import { stem } from '../search/analyzer.js';
import { numberValue } from './numbers.js';
import { clauseWords, isInfinitive, readMessage, type Message, type MessageWord } from './message.js';
import { STOPWORDS } from '../search/stopwords.js';

/**
 * Questions that ask for a figure or a person: a price («сколько стоит», «цена», «стоимость»), a speed
 * («какая скорость»), a count or a period («сколько вопросов», «сколько дней», «какой срок»), who does
 * something («кто составляет анкеты») or their name («как зовут координатора»), what there is of a kind («какие каналы есть в пакете»). A procedure
 * answers one only when its outcome cards state such a figure — a price, a speed, a number counting what
 * is asked, a period, the act asked about, the things listed — so a
 * procedure found by the other words of the question («подключение IPTV», «анкета») gives no answer to it.
 */

export type FigureKind = 'price' | 'speed' | 'count' | 'term' | 'person' | 'list' | 'phone' | 'limit';

/**
 * Figures that are facts of their own, a phone number to call or a limit of an amount: a FAQ list whose entries
 * state none does not hold them as one of its questions («какой номер у ОСО», «какую максимальную сумму ФК можно»).
 */
export const FACT_FIGURES: ReadonlySet<FigureKind> = new Set(['phone', 'limit']);

export interface AskedFigure {
  kind: FigureKind;
  /** The stem the figure is asked about: what is counted («вопрос» of «сколько вопросов»), the act of «кто …», what is listed. */
  of?: string;
  /** Index of the word that asks. */
  at: number;
  /** A count of an act («сколько предупреждать»), not of things. */
  act?: boolean;
  /** Who holds a role («кто у нас координатор»): a card naming the role does not say who holds it. */
  identity?: boolean;
}

/** Price words, by stem: «стоимость», «цена», «почём»; «какой тариф самый дешёвый», «что дешевле» compare prices. */
const PRICE_STEMS = /^(стоимост|цен|ценник|прайс|дешев|дешевл|подешевл)$/;
/** Units and words that state a price on a card. */
const PRICE_STATED = /^(стоимост|цен|ценник|руб|рубл|тенг|тг|бесплатн|платн)$/;
const SPEED_STEMS = /^скорост/;
const SPEED_STATED = /^(мбит|кбит|гбит|mbit|mbps)$/;
/** A limit asked: «какую максимальную скидку», «минимальная сумма», «какой лимит». */
const LIMIT_STEMS = /^(максимальн|минимальн|предельн)/;
/** «лимит» by its form: Snowball cuts it to «лим» («лимит», «лимита», «лимиты» are one noun). */
const LIMIT_NOUN = /^лимит/;
/** A phone number asked: «какой номер у ОСО», «номер телефона отдела кадров»; not a work item's number («номер кейса»). */
const NUMBER_WORD = /^(номер|телефон)$/;
const NUMBERED_ITEM = /^(кейс|кейз|case|заявк|обращени|предложени|вопрос|анкет|заказ|договор|задани|пункт|строк|попытк|sim|сим)/;
/** A phone number on a card: four digits and more, or digits in groups («8-800-700-7007», «0611»). */
const PHONE_STATED = /\d{4,}|\d+-\d+-\d+/;
/** A period: its units, and «срок». */
const TERM_UNITS = new Set(
  'секунда секунды секунд сек с минута минуты минут мин час часа часов сутки суток день дня дней дн неделя недели недель месяц месяца месяцев мес год года лет'
    .split(' ')
    .flatMap((w) => [w, stem(w)]),
);
const isTermUnit = (w: MessageWord) => TERM_UNITS.has(w.word) || TERM_UNITS.has(w.stem);
const TERM_WORD = /^срок/;
/** Verbs that ask how long something lasts: «сколько длится», «сколько идёт». */
const LASTS = /^(длит|дл|ид|занима|делает|рассматрива|жд|ожида|времен|врем)/;
/**
 * «за какое время закрыть анкету», «через какое время перезвонить», «в течение какого времени»: a period asked, as
 * «какой срок» is; «в какое время звонить» asks a time of day, not a period.
 */
const PERIOD_PREPOSITIONS = new Set(['за', 'через', 'течение']);
const periodAsked = (ws: readonly MessageWord[], i: number) =>
  /^врем/.test(ws[i].stem) && (ws[i - 1]?.word === 'какое' || ws[i - 1]?.word === 'какого') && PERIOD_PREPOSITIONS.has(ws[i - 2]?.word ?? '') && ws[i - 2].clause === ws[i].clause;
const QUESTION_WORDS = new Set(['какой', 'какая', 'какое', 'какие', 'каков', 'какова', 'каковы', 'сколько', 'какую', 'каких']);
/** «кто-то», «кто он», «кто на смене»: no act asked about. */
/** «кто у нас / у вас …»: whose team the person asked about is in. */
const OURS = new Set(['нас', 'вас', 'них']);
const VERB_ENDING = /(ет|ёт|ит|ут|ют|ат|ят|ал|ала|ил|ила|ел|ела|ул|ула|ся|сь|ть|ти)$/;
const NOT_AN_ACT = new Set(['то', 'нибудь', 'либо', 'он', 'она', 'они', 'это', 'такой', 'такая', 'там', 'тут', 'у', 'на', 'в', 'с', 'из']);

/** Verbs that ask for a list: «какие X есть», «какие бывают X», «какие X входят в пакет». */
const LISTING = /^(есть|бывают|бывает|входят|входит|имеются|существуют)$/;
const WHICH = new Set(['какие', 'каких']);

const MODALS = new Set(['должен', 'должна', 'должны', 'может', 'могут', 'будет', 'будут', 'обязан', 'обязана', 'вправе', 'имеет', 'может']);

const asksInClause = (m: Message, at: number) => {
  const clause = m.words[at].clause;
  const words = clauseWords(m, at);
  const last = words[words.length - 1];
  return words.some((w) => QUESTION_WORDS.has(w.word)) || /^[^\p{L}\p{N}]*\?/u.test(m.text.slice(last.end)) || m.asking.has(clause);
};

/** Verbs that report a question asked: «узнать стоимость», «спрашивает цену», «интересуется ценой». */
const ASKING_VERBS = /^(узна|спрашива|спрос|интересу|уточн)/;
const reportsAQuestion = (m: Message, at: number) => clauseWords(m, at).some((w) => ASKING_VERBS.test(w.word));

/** The figures a message asks for, each where it asks. */
export function askedFigures(m: Message): AskedFigure[] {
  const out: AskedFigure[] = [];
  const ws = m.words;
  ws.forEach((w, i) => {
    // A message opening with a price noun asks it («цена подключения ip tv для нового абона»), as a heading does.
    if ((PRICE_STEMS.test(w.stem) && (i === 0 || asksInClause(m, i) || reportsAQuestion(m, i))) || w.word === 'почем') out.push({ kind: 'price', at: i });
    else if (WHICH.has(w.word)) {
      // «какие X есть/бывают»: what is listed is the first word past function words and the listing verb.
      const clause = ws.slice(i + 1).filter((x) => x.clause === w.clause);
      if (!clause.some((x) => LISTING.test(x.word))) return;
      const listed = clause.find((x) => !STOPWORDS.has(x.word) && !LISTING.test(x.word));
      if (listed) out.push({ kind: 'list', of: listed.stem, at: i });
    } else if (w.word === 'сколько') {
      // What is counted: the next word that is no function word or modal («сколько у нас длится», «сколько можно предупреждать»).
      let k = i + 1;
      while (ws[k] && ws[k].clause === w.clause && (STOPWORDS.has(ws[k].word) || MODALS.has(ws[k].word)) && !/^сто(ит|ят)$/.test(ws[k].word)) k++;
      const next = ws[k];
      if (!next || next.clause !== w.clause) return;
      if (/^сто(ит|ят|ить|ил|ила|ило|или)$/.test(next.word)) out.push({ kind: 'price', at: i });
      else if (isTermUnit(next) || LASTS.test(next.stem)) out.push({ kind: 'term', at: i });
      else out.push({ kind: 'count', of: next.stem, at: i, ...(isInfinitive(next.word) ? { act: true } : {}) });
    } else if (SPEED_STEMS.test(w.stem) && asksInClause(m, i)) out.push({ kind: 'speed', at: i });
    else if ((LIMIT_STEMS.test(w.stem) || LIMIT_NOUN.test(w.word)) && asksInClause(m, i)) {
      // What is limited: the word after the adjective («максимальную скидку»), «лимит» itself.
      const next = ws.slice(i + 1).find((x) => x.clause === w.clause && !STOPWORDS.has(x.word));
      out.push({ kind: 'limit', of: LIMIT_NOUN.test(w.word) || !next ? w.stem : next.stem, at: i });
    }
    // «какой номер у ОСО», «на какой номер», «номер телефона отдела кадров подскажите»: the number asked, not a work item's.
    else if (NUMBER_WORD.test(w.stem) && asksInClause(m, i) && (QUESTION_WORDS.has(ws[i - 1]?.word ?? '') || ws[i + 1]?.stem === 'телефон') && !NUMBERED_ITEM.test(ws[i + 1]?.clause === w.clause ? ws[i + 1].stem : ''))
      out.push({ kind: 'phone', at: i });
    else if (periodAsked(ws, i)) out.push({ kind: 'term', at: i });
    else if (TERM_WORD.test(w.stem) && asksInClause(m, i) && ws.some((x, k) => x.clause === w.clause && QUESTION_WORDS.has(x.word) && Math.abs(k - i) <= 2)) out.push({ kind: 'term', at: i });
    // «как зовут координатора»: a person's name asked, the act of naming («зовут») on no card.
    else if (w.word === 'зовут' && ws.some((x, k) => k < i && x.word === 'как' && x.clause === w.clause)) out.push({ kind: 'person', of: w.stem, at: i });
    else if (w.word === 'кто' && (i === 0 || ws[i - 1].clause !== w.clause || ws[i - 1].word === 'а' || ws[i - 1].word === 'и')) {
      if (ws[i + 1] && /[-]/.test(m.text.slice(w.end, ws[i + 1].start))) return;
      // «кто должен создать кейс»: the act is the verb after a modal; «кто у нас координатор»: the role after «у нас».
      const ours = ws[i + 1]?.word === 'у' && OURS.has(ws[i + 2]?.word ?? '') && ws[i + 2].clause === w.clause;
      const next = ours ? ws[i + 3] : MODALS.has(ws[i + 1]?.word) ? ws[i + 2] : ws[i + 1];
      if (!next || next.clause !== w.clause || NOT_AN_ACT.has(next.word)) return;
      // «кто у нас отвечает за анкеты» asks an act; «кто у нас координатор» a role's holder (a noun, no verb's ending).
      if (ours && !VERB_ENDING.test(next.word)) out.push({ kind: 'person', of: next.stem, at: i, identity: true });
      else out.push({ kind: 'person', of: next.stem, at: i });
    }
  });
  return out;
}

/**
 * Whether the message reports a call beyond the figure it asks: a question reported as the caller's
 * («кей клиент спрашивает сколько стоит роуминг»: what to do with the client's question), or a clause
 * that states something besides the asking ones («потенциальный клиент ИП, сколько стоит подключение»).
 * «сколько стоит услуга Мобильная почта для юрлиц» is only the operator's own question.
 */
export function reportsBeyond(m: Message, asked: readonly AskedFigure[]): boolean {
  if (m.words.some((w) => ASKING_VERBS.test(w.word))) return true;
  const asking = new Set(asked.map((a) => m.words[a.at].clause));
  return m.content.some((i) => !asking.has(m.words[i].clause) && !m.asking.has(m.words[i].clause) && !m.supposed.has(m.words[i].clause));
}

/** What a procedure's outcome cards state: the figures of {@link askedFigures} they can answer. */
export interface StatedFigures {
  price: boolean;
  speed: boolean;
  term: boolean;
  /** Stems a number counts on a card («2 раза», «3–4 месяца»: «раз», «месяц»). */
  counted: Set<string>;
  /** Every stem on the cards: the act of a «кто …» question must be one of them. */
  stems: Set<string>;
  /** A phone number to call («88007008000», «0611»). */
  phone: boolean;
}

const RAZ = stem('раз');
/** Two stems of one root: one begins the other but for its last two letters («предупрежда» / «предупрежден»). */
const sameRoot = (a: string, b: string) => {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n >= 5 && n >= Math.min(a.length, b.length) - 2;
};

const isNumber = (w: MessageWord) => /^\d+$/.test(w.word) || numberValue(w.word) !== undefined;

/** Reads the outcome texts of a procedure for the figures they state. */
export function statedFigures(texts: readonly string[]): StatedFigures {
  const out: StatedFigures = { price: false, speed: false, term: false, counted: new Set(), stems: new Set(), phone: false };
  for (const text of texts) {
    if (PHONE_STATED.test(text)) out.phone = true;
    const ws = readMessage(text).words;
    ws.forEach((w, i) => {
      out.stems.add(w.stem);
      if (PRICE_STATED.test(w.stem)) out.price = true;
      if (/^\d+$/.test(w.word) && /^\s*(₽|руб|р\.|тг)/.test(text.slice(w.end))) out.price = true;
      if (SPEED_STATED.test(w.stem)) out.speed = true;
      // A number counts the word after it, or the one after a word between («2 предупреждения», «1 или 2 раза»).
      if (!isNumber(w)) return;
      for (const next of ws.slice(i + 1, i + 3)) {
        if (next.clause !== w.clause) break;
        out.counted.add(next.stem);
        if (isTermUnit(next)) out.term = true;
        if (!isNumber(next) && next.word !== 'или' && next.word !== 'и') break;
      }
    });
  }
  return out;
}

/** Whether the cards answer what is asked. */
export function answersFigure(stated: StatedFigures, asked: AskedFigure): boolean {
  switch (asked.kind) {
    case 'price':
      return stated.price;
    case 'speed':
      return stated.speed;
    case 'term':
      return stated.term;
    case 'phone':
      return stated.phone;
    case 'limit': {
      // A limit is stated by a number counting what is limited («3–4 месяца»).
      const of = asked.of;
      return of !== undefined && (stated.counted.has(of) || [...stated.counted].some((c) => sameRoot(c, of)));
    }
    case 'count': {
      const of = asked.of;
      if (of === undefined) return false;
      // «сколько предупреждений» / «сколько раз» / «сколько предупреждать»: the noun counted, one of its root, or the act
      // named on the cards and counted in times.
      return stated.counted.has(of) || [...stated.counted].some((c) => sameRoot(c, of)) || (asked.act === true && stated.counted.has(RAZ) && stated.stems.has(of));
    }
    case 'list':
    case 'person': {
      if (asked.identity) return false;
      const of = asked.of;
      // The act asked about, in one of its forms («кто отработает» / «на отработку»); the things listed, named on a card.
      return of !== undefined && (stated.stems.has(of) || [...stated.stems].some((s) => sameRoot(s, of)));
    }
  }
}
