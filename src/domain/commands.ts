import { foldToCyrillic } from './lookalikes.js';
import { normalize } from './text.js';

/**
 * Commands an operator can type instead of a question. Only a whole message counts: «отмена» is a
 * command, «клиент просит отмену услуги» is a question.
 */
export type Command = 'help' | 'topics' | 'lines' | 'phrases' | 'back' | 'restart' | 'cancel';

/** Every spelling of a command, as {@link normalize} leaves it (lower case, ё→е). */
const SPELLINGS: Record<Command, readonly string[]> = {
  help: ['помощь', 'справка', 'help'],
  topics: ['темы', 'topics'],
  lines: ['линии', 'lines'],
  phrases: ['фразы', 'phrases'],
  back: ['назад', 'back'],
  restart: ['заново', 'сначала', 'restart'],
  cancel: ['отмена', 'стоп', 'выход', 'cancel', 'stop'],
};

const BY_SPELLING = new Map<string, Command>(Object.entries(SPELLINGS).flatMap(([command, spellings]) => spellings.map((s) => [s, command as Command] as const)));

/**
 * The command a message is, if it is one: any case, ё or е, with or without a leading slash and
 * surrounding spaces or punctuation («/Помощь», «назад!», « Отмена. »), Latin look-alike letters read
 * as Cyrillic. A lone «?» asks for help.
 */
export function parseCommand(text: string): Command | undefined {
  const trimmed = text.trim();
  if (/^[?？]+$/.test(trimmed)) return 'help';
  const words = normalize(trimmed).split(' ').filter(Boolean);
  // Only punctuation and a slash may surround the word: «/назад», «назад!!», not «2назад».
  if (words.length !== 1) return undefined;
  return BY_SPELLING.get(foldToCyrillic(words[0]));
}
