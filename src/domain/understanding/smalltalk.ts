import { STOPWORDS } from '../search/stopwords.js';
import type { Message } from './message.js';

/**
 * Greetings, thanks and farewells, when they are all a message says («привет», «спасибо большое!»,
 * «пока, до завтра»), a phatic question («как дела?») and a question about the bot itself («ты бот?»,
 * «что ты умеешь?»): the bot answers them with a short friendly reply, not with "no answer". A
 * greeting followed by a question («привет, кл матерится») is a question.
 */

/**
 * Words that make a message a greeting or thanks; the full sets add the words that may stand beside them.
 * The core words also as typed on a Latin keyboard («privet», «spasibo», «poka»).
 */
const GREETING_CORE = new Set(['здорова', 'здарова', 'здаров', 'здоров', 'прив', 'хеллоу', 'хаюшки', 'доброго', 'ау', 'привет', 'приветик', 'приветствую', 'здравствуйте', 'здравствуй', 'здрасте', 'здрасьте', 'здорово', 'хай', 'hi', 'hello', 'hey', 'хэллоу', 'хелло', 'приветики', 'салют', 'ку', 'добрый', 'доброе', 'доброй', 'салам', 'салям', 'privet', 'privetik', 'zdravstvuyte', 'zdravstvuite', 'zdravstvujte', 'zdraste', 'zdrasti', 'dobryi', 'dobryy', 'dobriy', 'dobroe']);
const THANKS_CORE = new Set(['спасибо', 'спасиба', 'спасибочки', 'спс', 'пасиб', 'пасиба', 'пасибо', 'спасибки', 'благодарю', 'спасибище', 'благодарствую', 'thanks', 'thank', 'thx', 'ty', 'tnx', 'сенкс', 'сенкью', 'пасибки', 'спасиб', 'благодарочка', 'мерси', 'spasibo', 'spasiba', 'spasib', 'spasibki', 'pasiba', 'pasibo', 'blagodaryu', 'sps', 'spsb', 'спсб', 'спасибос']);
/** An acknowledgement alone («ок», «понял», «угу понятно») is answered as thanks: nothing was asked. */
const ACK_CORE = new Set(['ок', 'окей', 'оки', 'ok', 'okay', 'понял', 'поняла', 'поняли', 'понятно', 'понятненько', 'ясно', 'ясненько', 'угу', 'ага', 'принято', 'принял', 'приняла', 'услышал', 'услышала', 'записал', 'записала', 'хорошо', 'ладно', 'ponyal', 'ponyala', 'ponyatno', 'yasno', 'horosho', 'khorosho']);
/** Praise of the bot is thanks too: «ты лучший, серьезно», «ты молодец, чётко ответил». */
const PRAISE_CORE = new Set(['лучший', 'лучшая', 'молодец', 'умница']);
/** Words that stand beside any of them: whom it is said to («бро», «всем, кто на смене») and how strongly. */
const ADDRESS = new Set(['всем', 'коллеги', 'коллега', 'боты', 'коллеги-боты', 'ребята', 'ребят', 'народ', 'друзья', 'бро', 'друг', 'дружище', 'бот', 'ботик', 'помощник', 'кто', 'на', 'смене', 'тебе', 'вам', 'и', 'еще', 'раз', 'all', 'guys', 'bro', 'bot', 'there', 'ну', 'вот']);
const GREETING = new Set([...GREETING_CORE, ...ADDRESS, 'времени', 'суток', 'день', 'утро', 'утра', 'вечер', 'вечера', 'ночи', 'den', 'utro', 'vecher', 'я', 'новенькая', 'новенький', 'новая', 'новый', 'ты', 'тут', 'связи', 'утречка', 'утречко', 'денечка', 'денёчка', 'вечерок', 'вечерочек', 'есть', 'живой', 'живые',
  // A newcomer greeting the shift names where she works: «всем привет, я новенькая на линии».
  'линии', 'линия',
  // «привет бот, есть минутка?»: asking for a moment of attention asks nothing of the procedures.
  'минутка', 'минутку', 'минуточка', 'минуточку', 'секундочка', 'секундочку',
  // «здравствуй, бот, можно к тебе с вопросом?»: asking leave to ask is no question yet.
  'можно', 'к', 'с', 'вопросом', 'вопросиком', 'обратиться',
  // «добрый вечер, начинаю ночную смену», «доброе утро! ты уже на смене?»: the shift begun, or asked whether it has.
  'уже', 'начинаю', 'начинаем', 'начала', 'начал', 'заступаю', 'заступила', 'заступил', 'ночную', 'дневную', 'вечернюю', 'утреннюю', 'смену']);
const THANKS = new Set([...THANKS_CORE, ...ACK_CORE, 'большое', 'огромное', 'выручил', 'выручили', 'помог', 'помогли', 'помогло', 'помогла', 'разобралась', 'разобрался', 'разобрались', 'сработало', 'получилось', 'за', 'помощь', 'ответ', 'ответы', 'подсказку', 'подсказал', 'подсказали', 'инфу', 'информацию', 'очень', 'реально', 'отлично', 'супер', 'класс', 'зачёт', 'зачет', 'зачетно', 'зачётно', 'ты', 'лучший', 'лучшая', 'лучше', 'всех', 'молодец', 'умница', 'прям', 'спас', 'спасла', 'спасли', 'спасаешь', 'выручаешь', 'bolshoe', 'ogromnoe', 'you', 'все', 'a', 'lot', 'so', 'much', 'many',
  // «спс, то что надо»: praise of the answer.
  'то',
  // «благодарю, теперь всё стало понятно», «ты молодец, чётко ответил»: what the thanks is for.
  'теперь', 'стало', 'стал', 'стала', 'четко', 'ответил', 'ответила', 'объяснил', 'объяснила', 'быстро',
  // «благодарю, разобралась сама», «ты лучший, серьезно»: who solved it, how much it is meant.
  'сама', 'сам', 'серьезно', 'серьёзно', 'правда', 'честно']);
/**
 * A farewell: «пока», «до свидания / завтра / встречи», «всего доброго», «хорошего вечера». «пока» and
 * «до» also open a statement («пока не проверила», «до обеда»), so the message must be made of farewell
 * words only.
 */
const FAREWELL_CORE = new Set(['пока', 'хорошего', 'хорошей', 'всего', 'покеда', 'покедова', 'бывай', 'свидания', 'свиданья', 'встречи', 'завтра', 'связи', 'bye', 'бай', 'счастливо', 'удачи', 'poka', 'dosvidaniya',
  // «всем отличной смены, я домой»: any good wish for the shift, as «хорошей» is.
  'отличной', 'отличного', 'удачной', 'удачного', 'легкой', 'лёгкой', 'спокойного', 'приятного', 'приятной']);
// Beside them the one leaving may say so: «до завтра, я ушла», «всё, я домой».
const FAREWELL = new Set([...FAREWELL_CORE, ...ADDRESS, 'до', 'доброго', 'вечера', 'дня', 'смены', 'выходных', 'ночи', 'спокойной', 'goodbye', 'see', 'you', 'я', 'всё', 'все', 'домой', 'ушла', 'ушел', 'ушёл', 'пошла', 'пошел', 'пошёл', 'убежала', 'убежал']);
/** A phatic question («как дела?», «как ты?», «как жизнь?»): «как» and a word asking after the other's well-being, nothing more. */
const PHATIC_CORE = new Set(['дела', 'делишки', 'жизнь', 'настроение', 'поживаешь', 'ты', 'сам', 'оно']);
const PHATIC = new Set([...PHATIC_CORE, ...GREETING_CORE, ...ADDRESS, 'как', 'у', 'тебя', 'а', 'твои', 'вообще', 'там', 'идут', 'живой', 'сегодня', 'how', 'are', 'you']);

/**
 * A question to the bot about itself: it names the bot («ты», «вы», «бот») and asks who or what it is
 * or can do, in no other words than these and a greeting («привет, ты бот?»).
 */
// «с кем я переписываюсь»: whom the operator is writing to is the bot; «ау, работаешь?»: a verb in the second person names it too.
const ABOUT_CORE = new Set(['ты', 'вы', 'тебя', 'вас', 'бот', 'робот', 'переписываюсь', 'общаюсь', 'работаешь', 'работаете']);
const ABOUT_ASKS = new Set(['кто', 'кем', 'что', 'умеешь', 'умеете', 'можешь', 'можете', 'бот', 'робот']);
const ABOUT = new Set([...ABOUT_ASKS, ...ABOUT_CORE, ...GREETING_CORE, 'такой', 'такая', 'такое', 'это', 'живой', 'человек', 'а', 'или', 'ли', 'настоящий', 'чат', 'программа', 'ии', 'вообще', 'еще', 'тут', 'здесь', 'делаешь', 'делаете', 'сделал', 'сделали', 'создал', 'создали', 'написал', 'написали', 'то', 'отвечает', 'отвечаешь', 'пишет', 'пишешь', 'мне', 'со', 'мной', 'говорю', 'делать', 'там', 'сидит', 'кто-то', 'кто-нибудь',
  // «слушай, ты бот или с той стороны кто-то сидит?»: the other end of the chat, asked who is there.
  'слушай', 'скажи', 'с', 'той', 'стороны',
  // «а ты что умеешь, расскажи коротко», «кто тебя придумал?»: what it can do, told briefly; who made it.
  'расскажи', 'расскажите', 'коротко', 'кратко', 'вкратце', 'придумал', 'придумали', 'разработал', 'разработали',
  // «ты меня вообще понимаешь?», «ты живой человек или всё-таки программа?»: whether the bot understands, what it is after all.
  'меня', 'понимаешь', 'понимаете', 'все-таки', 'всё-таки', 'таки', 'все', 'всё', 'по-русски', 'по', 'русски', 'я', 'человеком', 'программой', 'ботом',
  // «откуда ты берёшь ответы, по каким инструкциям?»: where the bot's answers come from.
  'откуда', 'берешь', 'берете', 'ответы', 'ответ', 'каким', 'инструкциям', 'инструкции', 'знаешь', 'знаете',
  // «как тебя зовут, бот?»: the bot's name («как» only beside «зовут», or «как ты?» would not be phatic).
  'зовут', 'звать', 'имя']);

const THANKS_OR_GREETING = new Set([...THANKS, ...GREETING]);
const THANKS_OR_FAREWELL = new Set([...THANKS, ...FAREWELL]);

/** What kind of small talk a message is. */
export type SmallTalk = 'greeting' | 'thanks' | 'farewell' | 'about';

/**
 * Small talk among operators carries words no list foresees («утречка доброго», «ну пока»): a stop word
 * that asks nothing, and one word the knowledge base never uses, may stand beside the listed words. A
 * word the knowledge base uses makes the message a question («спасибо, а скидку можно?»), and so does a
 * question mark or a word that asks («понял, что дальше?», «привет, кофемашина?»).
 */
const ASKS = new Set(['как', 'где', 'когда', 'почему', 'зачем', 'сколько', 'куда', 'откуда', 'какой', 'какая', 'какое', 'какие', 'кто', 'чем', 'что', 'ли', 'можно', 'нужно', 'надо', 'не', 'нет', 'без', 'если']);

/** `known`: whether the knowledge base uses a stem (the analyzer's vocabulary); without it, only listed words count. */
export function smalltalk(message: Message, known?: (stem: string) => boolean): SmallTalk | undefined {
  const ws = message.words.map((w) => w.typed);
  // A question about the bot may run to ten words (every one of them listed); other small talk to eight.
  if (ws.length === 0 || ws.length > 10) return undefined;
  const asks = /\?\s*$/.test(message.text) || ws.some((w) => ABOUT_ASKS.has(w));
  // «ты живой человек или программа» asks without a question mark: a choice between two things the bot may be.
  const choice = ws.includes('или');
  const named = ws.includes('зовут') || ws.includes('звать');
  if ((asks || choice) && ws.some((w) => ABOUT_CORE.has(w)) && ws.every((w) => ABOUT.has(w) || (named && w === 'как'))) return 'about';
  if (ws.length > 8) return undefined;
  // The phatic question opens with «как» (after a greeting or «а»): «привет, как жизнь?», «а как у тебя дела».
  // A greeting or a phatic question of listed words only may run to eight («приветик, бот! как у тебя дела сегодня?»).
  const opener = ws.findIndex((w) => !GREETING_CORE.has(w) && !ADDRESS.has(w) && w !== 'а');
  const phatic = (ws[opener] === 'как' || ws[opener] === 'how') && ws.some((w) => PHATIC_CORE.has(w) || w === 'you') && ws.every((w) => PHATIC.has(w));
  if (phatic) return 'greeting';
  if (ws.some((w) => GREETING_CORE.has(w)) && ws.every((w) => GREETING.has(w))) return 'greeting';
  // Only a question about the bot runs that long («ты вообще бот или живой кто-то отвечает?»).
  if (ws.length > 6) return undefined;
  const filler = fillerOf(message, known, asks);
  // «спасибо, что выручил»: a «что» between thanks and what it is for says why, it asks nothing («понял, что дальше?» does).
  // «спс, то что надо»: «что надо» after «то» praises the answer, it asks nothing.
  const thanksFor = (i: number) =>
    (ws[i] === 'что' && THANKS_CORE.has(ws[i - 1] ?? '') && THANKS.has(ws[i + 1] ?? '')) ||
    (ws[i] === 'что' && ws[i - 1] === 'то' && (ws[i + 1] === 'надо' || ws[i + 1] === 'нужно')) ||
    ((ws[i] === 'надо' || ws[i] === 'нужно') && ws[i - 1] === 'что' && ws[i - 2] === 'то');
  const all = (set: ReadonlySet<string>) => ws.every((w, i) => set.has(w) || filler[i] || thanksFor(i));
  const any = (...sets: ReadonlySet<string>[]) => ws.some((w) => sets.some((set) => set.has(w)));
  if (any(THANKS_CORE, ACK_CORE, PRAISE_CORE) && all(THANKS_OR_GREETING)) return 'thanks';
  if (any(GREETING_CORE) && all(GREETING)) return 'greeting';
  if (any(FAREWELL_CORE) && all(FAREWELL)) return 'farewell';
  // Thanks and a farewell in one («спасибо, всё получилось, хорошего дня») is thanks.
  if (any(THANKS_CORE) && any(FAREWELL_CORE) && all(THANKS_OR_FAREWELL)) return 'thanks';
  return undefined;
}

/**
 * Which words may stand in small talk unlisted: stop words that ask nothing, and at most one word the
 * knowledge base never uses; in a message that asks («ок, дальше?»), none.
 */
function fillerOf(message: Message, known: ((stem: string) => boolean) | undefined, asks: boolean): boolean[] {
  let unknown = 0;
  return message.words.map((w) => {
    if (asks || ASKS.has(w.typed)) return false;
    if (STOPWORDS.has(w.word)) return true;
    if (!known || known(w.stem) || /\d/.test(w.typed) || unknown++ > 0) return false;
    return true;
  });
}
