import { distance } from 'fastest-levenshtein';

/** Folds what operators type to one form: lower case, ё→е, punctuation to spaces. */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const cyrToLat: Record<string, string> = { а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x' };

/**
 * In a word that is mostly Latin, Cyrillic look-alike letters become Latin: «dispatсh» → «dispatch»
 * (the seeds themselves write «Open-Dispatсh» with a Cyrillic «с»).
 */
export function foldMixedScript(word: string): string {
  const latin = (word.match(/[a-z]/g) ?? []).length;
  const cyr = (word.match(/[а-я]/g) ?? []).length;
  if (latin === 0 || cyr === 0 || latin < cyr) return word;
  return word.replace(/[а-я]/g, (c) => cyrToLat[c] ?? c);
}

export function words(text: string): string[] {
  return normalize(text).split(' ').filter(Boolean).map(foldMixedScript);
}

/** True when two words are equal or one typo apart (a longer word tolerates two). */
export function nearlyEqual(a: string, b: string): boolean {
  if (a === b) return true;
  const allowed = Math.min(a.length, b.length) >= 8 ? 2 : Math.min(a.length, b.length) >= 4 ? 1 : 0;
  return allowed > 0 && Math.abs(a.length - b.length) <= allowed && distance(a, b) <= allowed;
}
