/**
 * Latin and Cyrillic letters that look the same (a/а, c/с, e/е …): operators and the seeds mix
 * them («Open-Dispatсh» with a Cyrillic «с», «кeйс» with a Latin «e», «Cкидки» with a Latin «C»).
 * One table, read in either direction, for everything that compares text.
 */

/** Lower-case Latin letter → the Cyrillic letter it looks like. */
const LATIN_TO_CYRILLIC: Readonly<Record<string, string>> = { a: 'а', b: 'в', c: 'с', e: 'е', h: 'н', k: 'к', m: 'м', o: 'о', p: 'р', t: 'т', x: 'х', y: 'у' };
const CYRILLIC_TO_LATIN: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(LATIN_TO_CYRILLIC).map(([l, c]) => [c, l]));
const LATIN_LOOKALIKE = new RegExp(`[${Object.keys(LATIN_TO_CYRILLIC).join('')}]`, 'g');

/** In a lower-case word that is mostly Latin, Cyrillic look-alikes become Latin: «dispatсh» → «dispatch». */
export function foldMixedScript(word: string): string {
  const latin = (word.match(/[a-z]/g) ?? []).length;
  const cyr = (word.match(/[а-я]/g) ?? []).length;
  if (latin === 0 || cyr === 0 || latin < cyr) return word;
  return word.replace(/[а-я]/g, (c) => CYRILLIC_TO_LATIN[c] ?? c);
}

/** In a lower-case word mixing scripts, Latin look-alikes become Cyrillic, when every Latin letter has one: «кeйс» → «кейс». */
export function foldToCyrillic(word: string): string {
  if (!/[a-z]/.test(word) || !/[а-я]/.test(word)) return word;
  const folded = word.replace(/[a-z]/g, (c) => LATIN_TO_CYRILLIC[c] ?? c);
  return /[a-z]/.test(folded) ? word : folded;
}

/** Every Latin look-alike in lower-case text read as Cyrillic, whatever the word (for comparing seed text). */
export function lookalikesToCyrillic(text: string): string {
  return text.replace(LATIN_LOOKALIKE, (c) => LATIN_TO_CYRILLIC[c]);
}
