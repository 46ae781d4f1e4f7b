import { stem } from './analyzer.js';

/** Tells whether a word is a word of the language in any of its forms. */
export interface Lexicon {
  has(word: string): boolean;
}

/**
 * The words of a Hunspell dictionary (the `.dic` text of `dictionary-ru`: one base form per line,
 * flags after «/»), looked up by Snowball stem: «мастера» is a word because «мастер» is. Base forms
 * are kept unstemmed, one string per first three letters, so building costs no stemming of the
 * dictionary's ~150,000 words and holds a few thousand strings; a word is looked up only when a
 * correction would change it.
 */
export class DictionaryLexicon implements Lexicon {
  /** First letters → «\nbase\nbase…». */
  private readonly bases = new Map<string, string>();
  private readonly known = new Map<string, boolean>();

  constructor(dic: string) {
    const groups = new Map<string, string[]>();
    for (const line of dic.toLowerCase().replace(/ё/g, 'е').split('\n')) {
      const cut = line.indexOf('/');
      const base = (cut < 0 ? line : line.slice(0, cut)).trim();
      const key = base.slice(0, PREFIX);
      const list = groups.get(key);
      if (list) list.push(base);
      else groups.set(key, [base]);
    }
    for (const [key, list] of groups) this.bases.set(key, `\n${list.join('\n')}\n`);
  }

  has(word: string): boolean {
    const s = stem(word);
    let found = this.known.get(s);
    if (found !== undefined) return found;
    found = false;
    // A base form starts with the stem («мастер» for «мастера», «пообедать» for «пообедал»).
    const bases = this.bases.get(s.slice(0, PREFIX)) ?? '';
    for (let at = bases.indexOf(`\n${s}`); at >= 0 && !found; at = bases.indexOf(`\n${s}`, at + 1)) found = stem(bases.slice(at + 1, bases.indexOf('\n', at + 1))) === s;
    if (this.known.size > 20_000) this.known.clear();
    this.known.set(s, found);
    return found;
  }
}

const PREFIX = 3;
