import type { Message } from './message.js';

/**
 * Values of a fill-in form's fields that a message gives, read by a named reader (kb/search
 * `formValues`: `formId/fieldId` → reader). Only what the message states is read: «прервал на 5
 * вопросе» gives the question number 5; nothing is guessed for a field the message does not fill.
 */

const FORM_VALUE_READERS = ['questionNumber', 'questionNumbers'] as const;
export type FormValueReader = (typeof FORM_VALUE_READERS)[number];

const QUESTION = /^(вопрос|вопроса|вопросе|вопросу|вопросом|вопросы|вопросов|вопросах|вопросам)$/;
const ORDINAL_SUFFIX = /^(й|ий|ой|ый|я|ая|м|ом|ем|ым|ого|го|е|ое)$/;

/** Survey question numbers the message names: «на 5 вопросе», «вопрос №3», «на 3-м вопросе», «на 2 и 4 вопрос». */
export function questionNumbers(message: Message): number[] {
  const ws = message.words.map((w) => w.word);
  const found: number[] = [];
  const add = (n: number) => n >= 1 && n <= 999 && !found.includes(n) && found.push(n);
  ws.forEach((w, i) => {
    if (!QUESTION.test(w)) return;
    // After: «вопрос 5», «вопросе № 5» (№ is not a word), «вопросы 3 и 5».
    for (let k = i + 1; k < ws.length && k <= i + 4; k++) {
      const m = /^(\d{1,3})(?:[а-я]{0,3})$/.exec(ws[k]);
      if (m) add(Number(m[1]));
      else if (ws[k] !== 'и' && !ORDINAL_SUFFIX.test(ws[k])) break;
    }
    // Before: «на 5 вопросе», «на 3-м вопросе», «на 2 и 4 вопрос».
    for (let k = i - 1; k >= 0 && k >= i - 4; k--) {
      const m = /^(\d{1,3})(?:[а-я]{0,3})$/.exec(ws[k]);
      if (m) add(Number(m[1]));
      else if (ws[k] !== 'и' && !ORDINAL_SUFFIX.test(ws[k])) break;
    }
  });
  return found.sort((a, b) => a - b);
}

/** What one reader gives for a message, or undefined when the message gives nothing for it. */
export function readFormValue(reader: FormValueReader, message: Message): string | undefined {
  const numbers = questionNumbers(message);
  if (reader === 'questionNumber') return numbers.length === 1 ? String(numbers[0]) : undefined;
  return numbers.length > 0 ? numbers.join(', ') : undefined;
}
