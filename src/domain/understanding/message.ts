import { foldMixedScript, foldToCyrillic } from '../lookalikes.js';
import { stem, type Analyzer } from '../search/analyzer.js';
import { STOPWORDS } from '../search/stopwords.js';

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
}

/** Evidence quotes are at most this long (the card shows them in a line). */
export const MAX_EVIDENCE = 80;

export interface Message {
  text: string;
  /** Every word of the message. */
  words: MessageWord[];
  /** Indexes into `words` of its content words (search's stop words left out), where synonyms are folded. */
  content: number[];
}

/** Reads a message; with the analyzer, unknown words are corrected to near known ones (not for knowledge-base phrases). */
export function readMessage(text: string, analyzer?: Analyzer): Message {
  const words: MessageWord[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const typed = foldToCyrillic(foldMixedScript(m[0].toLowerCase().replace(/ё/g, 'е')));
    const word = analyzer ? analyzer.script(typed) : typed;
    words.push({ word, typed, stem: analyzer ? analyzer.correct(word) : stem(word), start: m.index, end: m.index + m[0].length });
  }
  const content = words.flatMap((w, i) => (STOPWORDS.has(w.word) ? [] : [i]));
  return { text, words, content };
}

/** The typed text from word `from` to word `to` (inclusive), cut to {@link MAX_EVIDENCE} characters. */
export function quote(message: Message, from: number, to: number): string {
  const text = message.text.slice(message.words[from].start, message.words[to].end);
  return text.length <= MAX_EVIDENCE ? text : `${text.slice(0, MAX_EVIDENCE - 1).trimEnd()}…`;
}
