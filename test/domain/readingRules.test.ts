import { expect } from 'chai';
import type { SearchResult } from '../../src/domain/search/index.js';
import { realSearch } from '../support/kb.js';

/**
 * Reading rules that take no fact a message does not state, each a table of messages nobody wrote
 * in the evaluation set, with counter-rows where the same words do state the fact.
 */

const read = (text: string): string[] => {
  const r: SearchResult = realSearch().query(text);
  if (r.type === 'match') return [`${r.hit.procedureId}${r.hit.faq ? `#${r.hit.faq}` : ''}`, ...r.hit.answers.filter((a) => a.from === 'message' && !r.hit.faq).map((a) => `${a.nodeId}=${a.optionId}`)];
  return [r.type];
};

const tables: Record<string, [text: string, expected: string[]][]> = {
  '«N-й раз» beside the act done says which act it was, so N were given; beside the behaviour it is the occurrence': [
    ['клиент матерится, я его предупредила уже во второй раз, а он опять', ['call-termination', 'situation=obscenity', 'obscenity_count=twice']],
    ['уже второй раз ему всё объяснила, все варианты предложила, а он опять с тем же самым вопросом', ['call-termination', 'situation=unconstructive', 'unconstructive_count=twice']],
    // Counter-rows: the behaviour's occurrence, or the act in another clause, is not the act's time.
    ['клиент матерится второй раз, я предупредила', ['call-termination', 'situation=obscenity', 'obscenity_count=once']],
    ['матерится второй раз', ['call-termination', 'situation=obscenity']],
  ],
  'the unconstructive dialog by the seed’s «предложены все возможные варианты», and swearing as «выражается»': [
    ['аб: "а почему у меня списали?" — уже трижды спросил, я два раза ответила, вариантов больше нет', ['call-termination']],
    ['кл: "да пошли вы все..." — выражается, это первый раз за разговор', ['call-termination']],
    // Counter-row: «выражает недовольство» is no swearing.
    ['клиент выражает недовольство работой компании', ['call-termination']],
  ],
  'a deadline passed told as numbers or dates (seed 001 «сроки решения истекли»): only a later time than the term': [
    ['кейс Open висит, срок был 3 дня, уже прошло 5, кл недоволен', ['case-repeat-inquiry', 'state=open', 'open_urgent=yes']],
    ['кейс opendispatch создан 10 дней назад, срок решения 3 дня, кл звонит', ['case-repeat-inquiry', 'state=open-dispatch', 'dispatch_urgent=yes']],
    ['кл звонит по заявке созданной 1 марта, срок решения был до 5 марта, сегодня 10е, состояние open-dispatch', ['case-repeat-inquiry', 'state=open-dispatch', 'dispatch_urgent=yes']],
    ['заявку создали 28го, срок 3 дня, сегодня уже 2е число, состояние Open, клиент спрашивает где решение', ['case-repeat-inquiry', 'state=open', 'open_urgent=yes']],
    // Counter-rows: less time gone than the term, the same day, or a notification «в течение суток» (the SF's, no term) say nothing.
    ['кейс open, срок два дня, прошел только день', ['case-repeat-inquiry', 'state=open']],
    ['кейс open, срок решения до 12 марта, сегодня 10е', ['case-repeat-inquiry', 'state=open']],
    ['кейс open, срок 3 дня, создали 3 дня назад', ['case-repeat-inquiry', 'state=open']],
    ['кл 2 дня ждёт по кейсу, статус open, говорит обещали за сутки', ['case-repeat-inquiry', 'state=open']],
  ],
  'the highest ordinal of the act named is how many were given; an ordinal may leave its unit to the one before': [
    ['клиент матерится, дала первое предупреждение, потом второе', ['call-termination', 'situation=obscenity', 'obscenity_count=twice']],
    ['нецензурно выражается, первое предупреждение сделала, второе тоже', ['call-termination', 'situation=obscenity', 'obscenity_count=twice']],
    // Counter-rows: an ordinal followed by a noun of its own is no warning; one ordinal is one warning.
    ['матерится, первое предупреждение сделала, вторую минуту орет', ['call-termination', 'situation=obscenity', 'obscenity_count=once']],
    ['клиент угрожает мне, второе предупреждение уже сделала', ['call-termination', 'situation=insults', 'insults_count=once']],
  ],
  '«N-й раз» with the act beside it counts that act: «предупредила во второй раз» is two warnings given': [
    ['кл матерится, предупреждаю его во второй раз', ['call-termination', 'situation=obscenity', 'obscenity_count=twice']],
    ['кл матерится, второй раз предупредила', ['call-termination', 'situation=obscenity', 'obscenity_count=twice']],
    // Counter-row: which time the behaviour is, with no act beside it, is asked.
    ['кл матерится уже второй раз', ['call-termination', 'situation=obscenity']],
  ],
  'seed 001 «предложены все возможные варианты решения вопроса» is the unconstructive call, not an INBA offer': [
    ['всё ему рассказала, все варианты предложены, а он снова задаёт тот же вопрос', ['call-termination', 'situation=unconstructive']],
    ['второй раз всё объясняю, предложила все варианты, он по кругу то же самое', ['call-termination', 'situation=unconstructive', 'unconstructive_count=twice']],
    // Counter-row: the offers of INBA named.
    ['по инба все варианты предложения озвучила, клиент отказался', ['inba-faq']],
  ],
  'a purchase the caller made elsewhere is no service after our sale; a change of the delivery is a change of the order (seed 004)': [
    ['клиент по гарантии звонит, ноутбук покупал не у нас', ['client-identification']],
    ['клиент заказывал у нас, хочет изменить дату доставки', ['client-identification', 'reason=open-order']],
    // Counter-row: bought from us, the service question is the seed's.
    ['клиент по гарантии звонит, ноутбук покупал у нас на сайте', ['client-identification', 'reason=after-sale']],
  ],
  'the three survey fields «те же» in any gender and number («анкета такая же, номер тот же») match; one «другой» does not': [
    ['кл уже проходил опрос, в кск результат этого месяца: анкета такая же, номер тот же, субъект претензии тот же', ['survey-refusal', 'situation=already-surveyed', 'already_surveyed=match']],
    ['кл уже проходил опрос, в кск результат этого месяца: анкета та же, номер тот же, субъект другой', ['survey-refusal', 'situation=already-surveyed', 'already_surveyed=mismatch']],
  ],
  'a legal entity not served with us is no current key client (seed 003)': [
    ['юрлицо, у нас не обслуживается, спрашивает про детализацию счета', ['none']],
    ['юрлицо, у нас не обслуживается, хочет подключить корпоративный тариф', ['potential-corporate', 'topic=connect']],
  ],
  'an act offered as one of alternatives is a choice asked about, not an act given': [
    ['клиент угрожает, предупреждать или сразу отключать', ['call-termination', 'situation=insults']],
    ['kl ugrozhaet, preduprezhdat ili srazu otklyuchat?', ['call-termination', 'situation=insults']],
    // Counter-row: the act reported is a count.
    ['клиент угрожает, я уже предупредила', ['call-termination', 'situation=insults', 'insults_count=once']],
  ],
  'what a complaint is about is someone else\'s doing, not the caller\'s on the line': [
    ['клиент жалуется на грубого продавца в салоне связи', ['none']],
    ['абонент жалуется на хамство курьера', ['none']],
    // Counter-rows: the caller's own conduct beside the complaint is stated.
    ['клиент жалуется матом на грубого продавца', ['call-termination', 'situation=obscenity']],
    ['кл жалуется на оператора, оскорбляет меня', ['call-termination', 'situation=insults']],
  ],
  'a FAQ entry is answered only when the message tells it from the other entries': [
    ['это упущенная продажа?', ['inba-faq']],
    // Counter-rows: the situation of one entry tells it apart.
    ['кл сорвался до предложения инба, это упущенная продажа?', ['inba-faq#faq_missed_sale']],
    ['по инба сначала отказался, а через минуту решил подключить', ['inba-faq#faq_refused_then_wants']],
    ['отметила да по инба, а клиент потом отказался', ['inba-faq#faq_yes_then_refused']],
  ],
  'an option of two facts is stated only when both are: disagreement does not say the case is Closed': [
    ['абонент недоволен решением по заявке, категория роуминг', ['case-repeat-inquiry']],
    // Counter-row: the state and the disagreement together.
    ['заявку закрыли, абонент недоволен решением, категория эксперты поддержка', ['case-repeat-inquiry', 'state=closed-disagree', 'closed_category=support-experts']],
  ],
  '«N раза» says how many times, not which time this one is (the attempt is asked)': [
    ['кл говорит, что ему уже два раза звонили, сейчас некогда, когда перезвонить не сказал', ['survey-refusal', 'situation=inconvenient']],
    // Counter-rows: «со 2 раза», an ordinal, say which attempt it is.
    ['со 2 раза дозвонилась, клиенту неудобно, когда перезвонить не сказал', ['survey-refusal', 'situation=inconvenient', 'attempt=first-second']],
    ['звоню уже третий раз, клиенту неудобно, когда перезвонить не сказал', ['survey-refusal', 'situation=inconvenient', 'attempt=third']],
  ],
  'rudeness is not personal insults or threats: «хамит» alone asks the situation': [
    ['абонент грубит и хамит', ['call-termination']],
    // Counter-row: a threat beside it is the seed's situation.
    ['абонент хамит и угрожает', ['call-termination', 'situation=insults']],
    // The seed's own words («переходит на личностные оскорбления») name the situation and the procedure.
    ['абонент переходит на личности', ['call-termination', 'situation=insults']],
  ],
  'a CASE «открыт» may be Open or Open-Dispatch: only the state named says Open': [
    ['по кейсу клиента заявка открыта неделю, он просит ускорить', ['case-repeat-inquiry']],
    ['кейс в опен неделю, клиент просит ускорить', ['case-repeat-inquiry', 'state=open']],
  ],
  'declining the courier is half of the seed case: the other way chosen is the other half': [
    ['абонент отказался от курьера с новой симкой', ['task-rejected']],
    ['абонент отказался от курьера с новой симкой, сам приедет в офис', ['task-rejected', 'what=other-way']],
  ],
  'a reason for refusing does not say which comment template applies': [
    ['что писать в комментарии, если владелец говорит что машина еще в сервисе', ['survey-comment']],
  ],
  'a count is of the call on the line: warnings given on another day or by someone else are not this call\'s': [
    ['позавчера его уже предупреждали за мат, сейчас опять матерится', ['call-termination', 'situation=obscenity']],
    ['в прошлом звонке другой оператор предупредил его за угрозы, сейчас снова угрожает', ['call-termination', 'situation=insults']],
    ['напарница дважды предупредила его за мат, потом перевела звонок на меня', ['call-termination', 'situation=obscenity']],
    // Counter-rows: the operator's own warnings in this call, beside another day's.
    ['вчера тоже звонил, сегодня матерится, я предупредила дважды', ['call-termination', 'situation=obscenity', 'obscenity_count=twice']],
    ['клиент угрожает мне, я один раз предупредила', ['call-termination', 'situation=insults', 'insults_count=once']],
  ],
  '«что будет, если …» supposes a case wherever it stands, a question reported too: it states nothing': [
    ['корпоративный KEY клиент спрашивает что будет если расторгнуть договор', ['key-client-topics']],
    // Counter-row: the wish itself is the topic.
    ['корпоративный KEY клиент хочет расторгнуть договор', ['key-client-topics', 'topic=termination']],
  ],
  '«другой», «иной» deny a phrase only as the adjective: their stems are also other words («ин» for In Progress)': [
    ['кейс ин прогресс, абонент звонит снова', ['case-repeat-inquiry']],
    // Counter-row: «другая» after the phrase still denies the match.
    ['по анкете клиент уже проходил, в КСК результат за этот месяц есть, но анкета другая', ['survey-refusal', 'situation=already-surveyed', 'already_surveyed=mismatch']],
  ],
  'a discount asked for again, and a client calling again about a case, name their procedures (seed 001)': [
    ['абонент интересуется, можно ли получить скидку второй раз', ['never-promise', 'topic=discount']],
    ['абонент просит дать скидку ещё раз, за 4 месяца скидок не было', ['never-promise', 'topic=discount', 'discount_history=no']],
    ['кейс в статусе open, абонент звонит по нему третий раз', ['case-repeat-inquiry', 'state=open']],
    ['абонент перезванивает по кейсу, тот в статусе open', ['case-repeat-inquiry', 'state=open']],
  ],
  'warnings counted as operators say them: «оба» is two, a negated verb carrying the act is none, a «что» saying the seed\'s warning is one': [
    ['сквернословит, оба предупреждения я уже сделала, а он не унимается', ['call-termination', 'situation=obscenity', 'obscenity_count=twice']],
    ['кроет матом компанию, я пока не делала никаких предупреждений', ['call-termination', 'situation=obscenity', 'obscenity_count=none']],
    ['клиент матерится, я не давала ему предупреждений', ['call-termination', 'situation=obscenity', 'obscenity_count=none']],
    ['кл матерится, warning один раз дала, а он опять', ['call-termination', 'situation=obscenity', 'obscenity_count=once']],
    ['предупредила что при оскорблениях прерву разговор, он снова оскорбляет', ['call-termination', 'situation=insults', 'insults_count=once']],
    ['бабушка спрашивает рецепт пирога, я предупредил что вопрос не по сотовой связи, она продолжает', ['call-termination', 'situation=off-topic', 'offtopic_count=once']],
    // Counter-rows: a «что» about another thing is another warning; a verb that does not carry the act is no count.
    ['клиент матерится, предупредила, что разговор записывается', ['call-termination', 'situation=obscenity']],
    ['клиент оскорбляет, я предупредила что перезвоню позже', ['call-termination', 'situation=insults']],
  ],
  'a thing that does not work is there all the same: «старая из письма не работает» states the letter that came': [
    ['кл просит заново прислать на e-mail ссылку на анкету, старая из письма не работает', ['survey-online-resurvey', 'link=earlier-link']],
    ['ssylka na opros iz proshlogo sms ne otkryvaetsya, klient hochet proiti online', ['survey-online-resurvey', 'link=earlier-link']],
    // Counter-row: a letter not looked at yet is a negated predicate over it, so the question is asked.
    ['кл хочет пройти онлайн, письмо из смс пока не смотрел', ['survey-online-resurvey']],
  ],
  'a modal with «ли» opens a question typed on without a comma; the facts before it are still stated': [
    ['резльтат есть за этот месяц но машина другая гос номер не совпадает можно ли продублироват', ['survey-duplicate-result', 'existing=mismatch']],
    ['клиент матерится можно ли положить трубку', ['call-termination', 'situation=obscenity']],
    // Counter-row: the condition asked about after the question still states nothing.
    ['можно ли положить трубку если клиент матерится', ['call-termination']],
  ],
  'the operator\'s own «что дальше?» after the act is no warning about another thing': [
    ['абонент нецензурно выражаеться, 1 раз предупредил уже, что дальше', ['call-termination', 'situation=obscenity', 'obscenity_count=once']],
    ['мужик матюгается, 2 раза предупреждал, на третий опять. кладу трубу?', ['call-termination', 'situation=obscenity', 'obscenity_count=twice']],
  ],
  'CASE states typed in either script, with or without a space': [
    ['кейс в статусе опен форвардед что значит', ['case-states', 'state=open-forwarded']],
    ['что означает кейс opendispatch', ['case-states', 'state=open-dispatch']],
    // Counter-row: OPEN alone is still OPEN.
    ['кейс в статусе опен что значит', ['case-states', 'state=open']],
  ],
  'a shop site not known, or said to be neither of the two, is «Другой / не знаю»; one site denied is not': [
    ['контакта из заказа больше нет, сайт клиент не помнит', ['identification-special-rules', 'rule=contact-gone', 'contact_site=other']],
    ['контакт из заказа уже не действует, а где оформлял — не помнит', ['identification-special-rules', 'rule=contact-gone', 'contact_site=other']],
    ['старого номера из заказа больше нет, не хайер и не тандеробот', ['identification-special-rules', 'rule=contact-gone', 'contact_site=other']],
    ['контакта из заказа нет, заказ не на хайер', ['identification-special-rules', 'rule=contact-gone']],
    // An unlisted name alone may be a listed site in other words.
    ['номера из заказа у клиента больше нет, заказывал через маркетплейс', ['identification-special-rules', 'rule=contact-gone']],
  ],
  'the survey client\'s own words and shorthand (seed 000)': [
    ['кл неудобно говорить, это 2я попытка, время перезвона назвать отказался', ['survey-refusal', 'situation=inconvenient', 'attempt=first-second']],
    ['а/м до сих пор в сервисе, кл отказывается отвечать', ['survey-refusal', 'situation=in-service']],
    ['дедушка по русски еле-еле, ничего не понимает что спрашиваю', ['survey-refusal', 'situation=language']],
    // Counter-row: a time named for the next call is not «не уточняет, когда перезвонить» (it is «Другое»).
    ['на опросе кл говорит не могу говорить, перезвоните завтра', ['survey-refusal', 'situation=other']],
  ],
  'a hedged clause, or one the operator takes back, states nothing («не знаю, … ли», «что-то там», «а, нет, …»)': [
    ['корпоративный KEY клиент, вопрос непонятный, не знаю экспертный ли', ['key-client-topics']],
    ['кейс в статусе closed что-то там, что это значит', ['case-states']],
    ['кл на опросе говорит неудобно, наверное это вторая попытка, когда перезвонить не сказал', ['survey-refusal', 'situation=inconvenient']],
    ['клиент угрожает, я не предупреждала... а, нет, предупредила', ['call-termination', 'situation=insults']],
    ['абонент матерится, я один раз предупредила, не помню точно', ['call-termination', 'situation=obscenity']],
    // Counter-rows: the fact stated plainly; the client's own «не помнит» is a fact of his.
    ['корпоративный KEY клиент, вопрос экспертный', ['key-client-topics', 'topic=expert']],
    ['кейс в статусе closed, что это значит', ['case-states', 'state=closed']],
    ['абонент матерится, я один раз предупредила', ['call-termination', 'situation=obscenity', 'obscenity_count=once']],
  ],
  'a fact of another person or thing: a relative holding it, «у другого …», a relative clause on another thing, an act not at the operator': [
    ['у мужа подключен домашний интернет, а жена звонит узнать про тарифы', ['home-internet-transfer']],
    ['маме клиента приходила смс со ссылкой на опрос, он хочет пройти онлайн', ['survey-online-resurvey']],
    ['у клиента кейс open, а срок истек у другого кейса', ['case-repeat-inquiry', 'state=open']],
    ['абонент оскорбляет не меня, а коллегу, которая была до меня', ['call-termination']],
    // Counter-rows: the caller's own; a relative doing the act.
    ['у клиента подключен домашний интернет, хочет перенести на дачу', ['home-internet-transfer', 'caller=existing']],
    ['абонент угрожает мне', ['call-termination', 'situation=insults']],
  ],
  'what an earlier day or call was gives way to what today\'s clauses state for the same question': [
    ['в прошлый раз клиент прервал анкету, сегодня отказался сразу, какой комментарий', ['survey-comment', 'what=refused']],
    // Counter-row: an earlier day's fact with nothing of today for its question still stands.
    ['в прошлом месяце кл уже проходил опрос, сейчас отвечать отказывается', ['survey-refusal', 'situation=already-surveyed']],
  ],
  'a definition or an inference asked states no value («что считается …», «чем отличается X от Y», «это значит …?»)': [
    ['что считается прерванным опросом?', ['survey-refusal']],
    ['чем отличается closed от open?', ['case-states']],
    ['у кейса статус open, это значит его закрыли?', ['case-states', 'state=open']],
    // Counter-row: what a state means is asked of the state named, which the answer explains.
    ['что значит open-dispatch у кейса', ['case-states', 'state=open-dispatch']],
  ],
  'undecided alternatives, a possibility, a correction or a claim not checked state nothing («то ли …, то ли …», «может и», «, нет, …», «точнее», «но я не проверила»)': [
    ['клиент хочет то ли перерасчёт, то ли скидку', ['never-promise']],
    ['опрос он то ли прервал, то ли частично ответил, сама не пойму, какой комментарий', ['survey-comment']],
    ['действующий абонент ШПД, скандалит, но может и согласится перезвонить', ['home-internet-transfer', 'caller=existing']],
    ['клиент матерится, предупредила три раза, нет, два', ['call-termination', 'situation=obscenity']],
    ['кл занят, не говорит когда перезвонить, это вторая попытка, точнее третья', ['survey-refusal', 'situation=inconvenient', 'attempt=third']],
    ['юрлицо хочет интернет в офис, говорят, что они госструктура, но я не проверила', ['home-internet-transfer']],
    // Counter-rows: the claim as the operator states it; «не понимаю его» is no hedge of the language problem.
    ['юрлицо хочет интернет в офис, они госструктура', ['home-internet-transfer', 'caller=partner-government']],
    ['клиент на опросе по-русски почти не говорит, я его не понимаю, что ставить', ['survey-refusal', 'situation=language']],
  ],
  'seed 001 «оскорбления, угрозы» are the caller\'s against the operator: a threat to complain, or one made to the caller, is not': [
    ['клиент грозится пожаловаться в роспотребнадзор, можно завершить звонок?', ['call-termination']],
    ['ему угрожает коллектор, клиент плачет, можно завершить?', ['call-termination']],
    ['клиент угрожает мне расправой', ['call-termination', 'situation=insults']],
    // Counter-row: a complaint threatened is a conflict, where a procedure names it so.
    ['клиент с нашим домашним интернетом скандалит, перезванивать не будет, угрожает жалобой', ['home-internet-transfer', 'caller=existing', 'existing_conflict=yes']],
  ],
  'a fact within a period, with its date not known, is not known to fall within it («не помню когда»)': [
    ['скидку уже давали, не знаю когда, абонент просит ещё', ['never-promise', 'topic=discount']],
    ['скидку давали два месяца назад, просит ещё', ['never-promise', 'topic=discount', 'discount_history=yes']],
  ],
  'nearly so is not so: «почти готов»': [
    ['кейс почти заполнен, что нажать дальше', ['case-send']],
    ['кейс заполнен, что нажать дальше', ['case-send', 'step=send']],
  ],
  'the seed\'s facts in operators\' words': [
    ['просит больше не набирать его по опросам', ['survey-refusal', 'situation=refuses']],
    ['опрос: про мастера отвечать не захотел, на остальные ответил, какой результат звонка', ['survey-refusal', 'situation=partial']],
    ['по анкете клиент критикует дилера, отвечать на вопросы отказывается, что ставить', ['survey-refusal', 'situation=comments-only']],
    ['машина еще на ремонте, опрашивать рано', ['survey-refusal', 'situation=in-service']],
    ['есть id задания, где его открыть', ['case-find', 'what=by-id']],
    ['ткнул сохранить вместо направить', ['case-send', 'step=saved']],
    ['у клиентки номер сменился, того что в заказе нет', ['identification-special-rules', 'rule=contact-gone']],
    ['почта из заказа больше недоступна, телефон тоже сменился', ['identification-special-rules', 'rule=contact-gone']],
    ['у клиента голос пропал посреди разговора, что делать', ['inaudible-caller', 'step=just-now']],
    // Seed 001 «продолжает задавать один и тот же вопрос специально»: repeating one question names the situation.
    ['абонент нарочно повторяет один вопрос, ответ я озвучила дважды', ['call-termination', 'situation=unconstructive', 'unconstructive_count=twice']],
    // Operators write the English word for the comment field too.
    ['какой comment писать, если клиент прервал опрос', ['survey-comment', 'what=interrupted']],
    // Counter-row: «Клиент не доступен» is an order state of the scheme (seed 004), not the contact gone.
    ['заказ в статусе ожидает подтверждения, клиент недоступен', ['client-identification', 'reason=awaiting-confirmation']],
    // Seed 002: «можно сделать предложение не первого приоритета?» — another offer «вместо первого».
    ['по инба можно сделать предложение №3 вместо первого?', ['inba-faq#faq_not_first_priority']],
    // Seed 001: «По требованию клиента можно предоставить в эфир номер case, заменив понятие case словом "заявка"».
    ['абонент просит продиктовать ему номер обращения, можно?', ['never-promise', 'topic=case-number']],
  ],
};

describe('domain: reading rules — a fact only where the message states it', () => {
  for (const [rule, rows] of Object.entries(tables))
    describe(rule, () => {
      for (const [text, expected] of rows) it(`«${text}»`, () => expect(read(text)).to.deep.equal(expected));
    });
});
