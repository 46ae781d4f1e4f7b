import type { AnswerOption } from './types.js';
import { nearlyEqual, words } from './text.js';

/**
 * Maps what an operator typed to one option of a question: its label or a synonym, its number
 * on the card («2»), in any case and with small typos. Returns undefined unless exactly one option fits,
 * so a vague answer is asked again rather than guessed.
 */
export function matchOption(options: readonly AnswerOption[], typed: string): AnswerOption | undefined {
  const input = words(typed);
  if (input.length === 0) return undefined;
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((w, i) => nearlyEqual(w, b[i]));
  const phrases = (o: AnswerOption) => [o.label, ...(o.synonyms ?? [])].map(words);
  // Whole label or synonym first; then a label that starts with what was typed («closed» for «Closed — …»).
  const exact = options.filter((o) => phrases(o).some((p) => same(p, input)));
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) return undefined;
  // The option's number on the card, unless a synonym already claimed that number.
  const asNumber = input.length === 1 && /^\d+$/.test(input[0]) ? Number(input[0]) : NaN;
  if (asNumber >= 1 && asNumber <= options.length) return options[asNumber - 1];
  const prefix = options.filter((o) => phrases(o).some((p) => p.length > input.length && same(p.slice(0, input.length), input)));
  return prefix.length === 1 ? prefix[0] : undefined;
}
