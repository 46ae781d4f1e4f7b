/**
 * Words that carry no topic in what an operator types mid-call: Russian function words and
 * the chatter around a question («подскажите, пожалуйста, что делать, если…»). They are dropped
 * before stemming, from documents and queries alike, so they neither match nor count as unknown.
 * Negations («не», «нет») are kept: they decide answers («не согласен», «не слышно»).
 * Compared after {@link normalize} (lower case, ё→е).
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `
а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже для до его ее ей ему если есть еще же за здесь и из или им их к как какая какие каким какой какое ко когда кто ли либо мне меня мной мы на над надо наш нам нас него нее ней нему них но ну о об однако он она они оно от очень по под при про с со так также такой там тебе тем то того тоже той только том ты у уже хотя чего чей чем что чтобы чье чья эта эти это этого этой этом этот я
ой ох эх ага угу ок окей ладно
привет приветик приветствую здравствуйте здравствуй здрасте здрасьте hello hi коллеги спс
подскажи подскажите подскажет скажите скажи пожалуйста плиз спасибо помогите помоги вопросик срочно вообще блин короче типа просто сейчас тут щас вот
делать делаю сделать поступить действовать дальше теперь
мой моя мое мои свой своя свое свои
можно нужно надо ли
будет будут буду будем станет был была были было
назад подряд совсем постоянно всегда никогда прямо точно вроде наверное кажется вдруг
хочет хотят хочу хотел хотела хотим хотите знать узнать`
    .split(/\s+/)
    .filter(Boolean),
);

/** Counting words: not searched, since counts say nothing about the topic (understanding/numbers reads them). */
export const COUNT_WORDS: ReadonlySet<string> = new Set(['раз', 'раза', 'разу', 'два', 'две', 'три', 'дважды', 'трижды']);
