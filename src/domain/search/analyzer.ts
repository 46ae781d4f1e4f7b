import snowball from 'snowball-stemmers';
import SearchableMap from 'minisearch/SearchableMap';
import { nearlyEqual, words } from '../text.js';
import { STOPWORDS } from './stopwords.js';
import { foldToCyrillic, lookalikesToCyrillic } from '../lookalikes.js';
import type { Lexicon } from './lexicon.js';

/**
 * Turns text into search terms, the same way for the knowledge base and for what an operator types:
 * words (normalized by {@link words}: lower case, ё→е, mixed scripts folded) without stop words,
 * stemmed (Snowball Russian; Snowball English for Latin words such as «closed»), and runs of stems that
 * form a synonym phrase replaced by the family's one term («юр. лицо», «юрлицо», «юридическое лицо»
 * → one term). Queries may also have unknown words corrected to a near word of the vocabulary,
 * unless the word is a Russian word of its own (the lexicon): «мастера» is not a typo of «мат».
 */

const russian = snowball.newStemmer('russian');
const english = snowball.newStemmer('english');

/** Russian typed in Latin letters («kl materitsya», «skidok ne bylo»), longest spellings first. */
const TRANSLIT: [string, string][] = [
  // «privetstviya», «soglasiya»: «-ств-» and «-ия» are letter by letter, not «ц» and «ий»+«а».
  ['tstv', 'тств'], ['iya', 'ия'], ['iyu', 'ию'],
  ['shch', 'щ'], ['tsya', 'тся'], ['tsa', 'ца'], ['sch', 'щ'], ['zh', 'ж'], ['kh', 'х'], ['ch', 'ч'], ['sh', 'ш'], ['ts', 'ц'], ['yu', 'ю'], ['ya', 'я'], ['yo', 'е'], ['ju', 'ю'], ['ja', 'я'],
  ['yj', 'ый'], ['iy', 'ий'], ['a', 'а'], ['b', 'б'], ['v', 'в'], ['g', 'г'], ['d', 'д'], ['e', 'е'], ['z', 'з'], ['i', 'и'], ['j', 'й'], ['k', 'к'], ['l', 'л'], ['m', 'м'],
  ['n', 'н'], ['o', 'о'], ['p', 'п'], ['r', 'р'], ['s', 'с'], ['t', 'т'], ['u', 'у'], ['f', 'ф'], ['h', 'х'], ['c', 'ц'], ['w', 'в'], ['x', 'кс'], ['q', 'к'], ['y', 'ы'],
];

export function transliterate(word: string): string {
  let out = '';
  for (let i = 0; i < word.length; ) {
    const hit = TRANSLIT.find(([lat]) => word.startsWith(lat, i));
    if (!hit) {
      out += word[i++];
      continue;
    }
    out += hit[1];
    i += hit[0].length;
  }
  return out;
}

const stemCache = new Map<string, string>();
const STOP_VOCABULARY = SearchableMap.from([...STOPWORDS].filter((w) => /^[а-я]+$/.test(w)).map((w) => [w, true] as [string, boolean]));
const MIN_CORRECTED = 5;

/**
 * Whether two stems are forms of one root, as Snowball leaves them: one begins the other
 * («клиент», «клиентк»), or they part only at their last letter or two («отвеч», «ответ»).
 */
function sameRoot(a: string, b: string): boolean {
  let common = 0;
  while (common < a.length && a[common] === b[common]) common++;
  const shorter = Math.min(a.length, b.length);
  return common === shorter || (common >= 4 && common >= shorter - 1);
}

/**
 * A verb stem with an imperfective suffix as the stem of its base verb, which Snowball leaves apart:
 * «заказыва(л)» / «заказа(л)», «создава(ла)» / «созда(ла)», «расшифрова(ть)» / «расшифр(уйте)»,
 * «пользова(ться)» / «польз(уется)». The base keeps four letters at least («дава» stays: «да» is a word).
 */
function imperfectiveBase(s: string): string {
  if (s.length >= 7 && s.endsWith('ыва')) return `${s.slice(0, -3)}а`;
  if (s.length >= 7 && s.endsWith('ова')) return s.slice(0, -3);
  if (s.length >= 6 && s.endsWith('ава')) return s.slice(0, -2);
  return s;
}

/** The stem of one normalized word: Russian or English Snowball by script; numbers and mixes as they are. */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s !== undefined) return s;
  s = /^[а-я]+$/.test(word) ? imperfectiveBase(russian.stem(word)) : /^[a-z]+$/.test(word) ? english.stem(word) : word;
  // «ней», «нее» stem to «не»: a pronoun is no negation («по ней пройдет» is «пройдет»).
  if ((s === 'не' || s === 'ни') && s !== word) s = word;
  if (stemCache.size > 50_000) stemCache.clear();
  stemCache.set(word, s);
  return s;
}

/** The words of a text that carry meaning: normalized, scripts folded, stop words dropped. */
export function contentWords(text: string): string[] {
  return words(text)
    .map(foldToCyrillic)
    .filter((w) => !STOPWORDS.has(w));
}

/** One term of an analyzed text, with the span of content words it stands for. */
export interface Token {
  term: string;
  /** Index of its first content word, and one past its last. */
  start: number;
  end: number;
}

export interface Analysis {
  /** Stems of the content words, one per word (after typo correction for queries). */
  stems: string[];
  /** Terms after synonym phrases are folded: what is indexed and searched. */
  tokens: Token[];
}

interface SynonymPhrase {
  stems: string[];
  term: string;
}

/** A synonym member that clashes with another family, or that has no content words. */
export interface SynonymProblem {
  family: number;
  member: number;
  message: string;
  /** For a clash: the member of the other family. */
  other?: { family: number; member: number };
}

/** The term a family is indexed under: its first member's stems. */
const termOf = (stems: string[]) => stems.join('_');

/** Checks synonym families: every member has content words, and no phrase belongs to two families. */
export function synonymProblems(families: readonly (readonly string[])[]): SynonymProblem[] {
  const problems: SynonymProblem[] = [];
  const owner = new Map<string, { family: number; member: number }>();
  families.forEach((family, f) =>
    family.forEach((member, m) => {
      const stems = contentWords(member).map(stem);
      if (stems.length === 0) {
        problems.push({ family: f, member: m, message: `synonym «${member}» has no searchable words (only stop words or punctuation)` });
        return;
      }
      const key = stems.join(' ');
      const other = owner.get(key);
      if (other && other.family !== f) problems.push({ family: f, member: m, message: `synonym «${member}» is also in another family; merge the families or drop one`, other });
      else if (!other) owner.set(key, { family: f, member: m });
    }),
  );
  return problems;
}

/** What an {@link Analyzer} learned from the synonyms and the indexed text, as plain data (see {@link Analyzer.state}). */
export interface AnalyzerState {
  phrases: [string, SynonymPhrase[]][];
  stems: [string, number][];
  words: [string, number][];
}

export class Analyzer {
  /** Synonym phrases by their first stem, longest first. */
  private readonly phrases = new Map<string, SynonymPhrase[]>();
  /** Stems and word forms the knowledge base and synonyms use, with how often: for typo correction. */
  private readonly stemVocabulary = new SearchableMap<number>();
  private readonly wordVocabulary = new SearchableMap<number>();

  /**
   * With a lexicon, a word of the language is never corrected into another one. With `state` (what
   * {@link state} gave for the same families and text), nothing is stemmed or learned again.
   */
  constructor(
    families: readonly (readonly string[])[],
    private readonly lexicon?: Lexicon,
    state?: AnalyzerState,
  ) {
    if (state) {
      for (const [first, list] of state.phrases) this.phrases.set(first, list);
      for (const [s, n] of state.stems) this.stemVocabulary.set(s, n);
      for (const [w, n] of state.words) this.wordVocabulary.set(w, n);
      return;
    }
    for (const family of families) {
      const members = family.map((m) => contentWords(m)).filter((ws) => ws.length > 0);
      if (members.length === 0) continue;
      const term = termOf(members[0].map(stem));
      for (const ws of members) {
        this.learn(ws);
        const stems = ws.map(stem);
        const list = this.phrases.get(stems[0]) ?? [];
        if (!list.some((p) => p.stems.join(' ') === stems.join(' '))) list.push({ stems, term });
        list.sort((a, b) => b.stems.length - a.stems.length);
        this.phrases.set(stems[0], list);
      }
    }
  }

  /** The synonym phrases and the vocabulary, for a later `new Analyzer(families, lexicon, state)`. */
  state(): AnalyzerState {
    return { phrases: [...this.phrases], stems: [...this.stemVocabulary], words: [...this.wordVocabulary] };
  }

  /** Whether the knowledge base uses a word of this stem (a message's stems come corrected). */
  knows(stem: string): boolean {
    return this.stemVocabulary.has(stem);
  }

  /** Adds the words of indexed text to the vocabulary that query typos are corrected against. */
  learn(ws: readonly string[]): void {
    for (const w of ws) {
      this.wordVocabulary.update(w, (n = 0) => n + 1);
      this.stemVocabulary.update(stem(w), (n = 0) => n + 1);
    }
  }

  /**
   * The stem of a query word, corrected to the nearest known word when the word itself is unknown,
   * has five letters or more and is one typo away (two for long words; see {@link nearlyEqual}).
   * Ties go to the more frequent word, then to the first in alphabetical order. A word the lexicon knows is not a typo: it is read as a
   * knowledge-base word only of its own root («клиентка» as «клиент», «отвечу» as «ответ»), never
   * as another word («мастера» is not «мат», «пообедать» not «пообещать», «закону» not «закончу»).
   */
  correct(word: string): string {
    const s = stem(word);
    if (this.stemVocabulary.has(s) || /\d/.test(word)) return s;
    const best = (map: SearchableMap<number>, key: string): string | undefined => {
      // Words shorter than five letters are not corrected: too many real words are one letter apart
      // («орет» / «трет»). Longer ones follow nearlyEqual: one typo, two from eight letters.
      const allowed = key.length >= 8 ? 2 : key.length >= MIN_CORRECTED ? 1 : 0;
      if (allowed === 0) return undefined;
      let found: { key: string; d: number; n: number } | undefined;
      for (const [candidate, [n, d]] of map.fuzzyGet(key, allowed)) {
        // A typo keeps the first letter: «норме» is not «форме», «балуется» not «жалуется».
        if (!nearlyEqual(key, candidate) || candidate.length < 3 || candidate[0] !== key[0]) continue;
        // Two letters more at the end is a suffix, not a typo: «переадресац(ия)» is no «переадрес(ован)».
        if (key.length - candidate.length >= 2 && key.startsWith(candidate)) continue;
        // The last tie-break is the word itself: the tree's order differs in an analyzer restored from the
        // start's cache, and the same message must be read alike after every start.
        if (!found || d < found.d || (d === found.d && (n > found.n || (n === found.n && candidate < found.key)))) found = { key: candidate, d, n };
      }
      return found?.key;
    };
    const w = best(this.wordVocabulary, word);
    const corrected = w !== undefined ? stem(w) : best(this.stemVocabulary, s);
    // Nor as a synonym-family member its stem merely begins («закон» / «законч-ить»): read as the family's
    // term, such a guess carries a procedure's title word; a longer plain word still counts as its root («трубу», «трубку»).
    const other = corrected !== undefined && (!sameRoot(s, corrected) || (corrected.length > s.length && corrected.startsWith(s) && this.phrases.has(corrected)));
    return corrected === undefined || (other && this.lexicon?.has(word)) ? s : corrected;
  }

  /**
   * A word as the knowledge base would write it: a Latin word the knowledge base does not know
   * («kl», «skidku») is Russian typed in Latin letters and is transliterated; known ones («closed») stay.
   */
  script(word: string): string {
    if (/^[а-я]+$/.test(word)) return this.stopTypo(word) ?? word;
    if (!/^[a-z]+$/.test(word) || this.stemVocabulary.has(stem(word))) return word;
    // «OCO» typed with Latin look-alikes is «ОСО», not a transliteration («оцо»).
    const lookAlike = lookalikesToCyrillic(word);
    if (!/[a-z]/.test(lookAlike) && this.stemVocabulary.has(stem(lookAlike))) return lookAlike;
    return transliterate(word);
  }

  /**
   * The stop word an unknown word is one typo of («длать» for «делать»), keeping the first letter:
   * chatter typed in a hurry carries no topic either, and corrected to a knowledge-base word it
   * would count as one («длать» read as «дата»).
   */
  private stopTypo(word: string): string | undefined {
    if (word.length < MIN_CORRECTED || STOPWORDS.has(word) || this.stemVocabulary.has(stem(word))) return undefined;
    for (const [candidate] of STOP_VOCABULARY.fuzzyGet(word, 1)) if (candidate[0] === word[0] && candidate.length >= MIN_CORRECTED) return this.lexicon?.has(word) ? undefined : candidate;
    return undefined;
  }

  /** Analyzes text; with `correctTypos`, unknown words are first corrected against the vocabulary. */
  analyze(text: string, correctTypos = false): Analysis {
    const ws = correctTypos
      ? words(text)
          .map(foldToCyrillic)
          .map((w) => this.script(w))
          .filter((w) => !STOPWORDS.has(w))
      : contentWords(text);
    const stems = ws.map((w) => (correctTypos ? this.correct(w) : stem(w)));
    return { stems, tokens: this.fold(stems) };
  }

  /** Replaces synonym phrases (longest first) in a stem sequence by their family term. */
  fold(stems: readonly string[]): Token[] {
    const tokens: Token[] = [];
    for (let i = 0; i < stems.length; ) {
      const phrase = this.phrases.get(stems[i])?.find((p) => p.stems.every((s, k) => stems[i + k] === s));
      const len = phrase ? phrase.stems.length : 1;
      tokens.push({ term: phrase ? phrase.term : stems[i], start: i, end: i + len });
      i += len;
    }
    return tokens;
  }
}
