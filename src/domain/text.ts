import { distance } from 'fastest-levenshtein';
import { foldMixedScript } from './lookalikes.js';

/** Folds what operators type to one form: lower case, ё→е, punctuation to spaces. */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Normalized words, look-alike letters of mostly Latin words read as Latin. */
export function words(text: string): string[] {
  return normalize(text).split(' ').filter(Boolean).map(foldMixedScript);
}

/** True when two words are equal or one typo apart (a longer word tolerates two). */
export function nearlyEqual(a: string, b: string): boolean {
  if (a === b) return true;
  const allowed = Math.min(a.length, b.length) >= 8 ? 2 : Math.min(a.length, b.length) >= 4 ? 1 : 0;
  return allowed > 0 && Math.abs(a.length - b.length) <= allowed && distance(a, b) <= allowed;
}
