import type { Message } from './message.js';

/**
 * Greetings and thanks, when they are all a message says («привет», «спасибо большое!»), and a
 * question about the bot itself («ты бот?», «что ты умеешь?»): the bot answers them with a short
 * friendly reply, not with "no answer". A greeting followed by a question («привет, кл матерится») is
 * a question.
 */

/** Words that make a message a greeting or thanks; the full sets add the words that may stand beside them. */
const GREETING_CORE = new Set(['доброго', 'привет', 'приветик', 'приветствую', 'здравствуйте', 'здравствуй', 'здрасте', 'здрасьте', 'здорово', 'хай', 'hi', 'hello', 'hey', 'хэллоу', 'хелло', 'приветики', 'салют', 'добрый', 'доброе', 'доброй']);
const THANKS_CORE = new Set(['спасибо', 'спасиба', 'спасибочки', 'спс', 'пасиб', 'пасибо', 'спасибки', 'благодарю', 'спасибище', 'благодарствую', 'thanks', 'thank', 'thx', 'сенкс', 'мерси']);
/** An acknowledgement alone («ок», «понял», «угу понятно») is answered as thanks: nothing was asked. */
const ACK_CORE = new Set(['ок', 'окей', 'оки', 'ok', 'okay', 'понял', 'поняла', 'поняли', 'понятно', 'понятненько', 'ясно', 'ясненько', 'угу', 'ага', 'принято', 'принял', 'приняла', 'услышал', 'услышала', 'записал', 'записала', 'хорошо', 'ладно']);
const GREETING = new Set([...GREETING_CORE, 'времени', 'суток', 'день', 'утро', 'утра', 'вечер', 'вечера', 'ночи', 'всем', 'коллеги', 'бот', 'помощник', 'я', 'новенькая', 'новенький', 'новая', 'новый', 'тут']);
const THANKS = new Set([...THANKS_CORE, ...ACK_CORE, 'большое', 'огромное', 'выручил', 'выручили', 'помог', 'помогли', 'помогло', 'помогла', 'разобралась', 'разобрался', 'разобрались', 'сработало', 'получилось', 'за', 'помощь', 'ответ', 'ответы', 'подсказку', 'подсказал', 'подсказали', 'инфу', 'информацию', 'очень', 'реально', 'отлично', 'супер', 'класс', 'you', 'тебе', 'вам', 'все']);

/**
 * A question to the bot about itself: it names the bot («ты», «вы», «бот») and asks who or what it is
 * or can do, in no other words than these and a greeting («привет, ты бот?»).
 */
const ABOUT_CORE = new Set(['ты', 'вы', 'бот', 'робот']);
const ABOUT_ASKS = new Set(['кто', 'что', 'умеешь', 'умеете', 'можешь', 'можете', 'бот', 'робот']);
const ABOUT = new Set([...ABOUT_ASKS, ...ABOUT_CORE, ...GREETING_CORE, 'такой', 'такая', 'такое', 'это', 'живой', 'человек', 'а', 'или', 'ли', 'настоящий', 'чат', 'программа', 'ии']);

/** What kind of small talk a message is. */
export type SmallTalk = 'greeting' | 'thanks' | 'about';

export function smalltalk(message: Message): SmallTalk | undefined {
  const ws = message.words.map((w) => w.typed);
  if (ws.length === 0 || ws.length > 6) return undefined;
  const asks = /\?\s*$/.test(message.text) || ws.some((w) => ABOUT_ASKS.has(w));
  if (asks && ws.some((w) => ABOUT_CORE.has(w)) && ws.every((w) => ABOUT.has(w))) return 'about';
  if (ws.some((w) => THANKS_CORE.has(w) || ACK_CORE.has(w)) && ws.every((w) => THANKS.has(w) || GREETING.has(w))) return 'thanks';
  if (ws.some((w) => GREETING_CORE.has(w)) && ws.every((w) => GREETING.has(w))) return 'greeting';
  return undefined;
}
