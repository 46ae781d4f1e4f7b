import { expect } from 'chai';
import { assistant, outcomeHeadline, questionText, screenOf, type Screen } from '../support/assistant.js';

/**
 * Messages that once pre-filled an answer they do not state, through the whole bot: the card the
 * operator sees asks the question the message leaves open (or answers what it does state), and no
 * words of the message are quoted as the answer to that question.
 */

async function ask(message: string): Promise<Screen> {
  return screenOf(await assistant().say(message));
}

function expectAsks(screen: Screen, procedureId: string, nodeId: string, message: string): void {
  expect(screen.headline, `«${message}» must ask`).to.equal(questionText(procedureId, nodeId));
}

describe('dialogs: free text — wrong pre-fills closed, the question is asked', function () {
  this.timeout(20_000);

  // 000: «только при совпадении в обоих контактах «Субъекта претензии», анкеты и гос. номера а/м».
  it('a field not yet checked («а субъект претензии пока не проверила») asks whether the result matches', async () => {
    const message = 'в КСК результат за этот месяц есть, анкета и госномер совпадают, а субъект претензии ещё не смотрела';
    const screen = await ask(message);
    expectAsks(screen, 'survey-duplicate-result', 'existing', message);
    expect(screen.headline).not.to.equal(outcomeHeadline('survey-duplicate-result', 'fill_by_analogy'));
  });

  // 001: «Предупреждаем клиента 2 раза, при повторении на 3 раз прерываем диалог» — the operator's warnings.
  it('warnings the client got by SMS are not warnings given: how many were given is asked', async () => {
    const message = 'кл получил два предупреждения об отключении по смс и теперь матерится на меня';
    const screen = await ask(message);
    expectAsks(screen, 'call-termination', 'obscenity_count', message);
    expect(screen.all).not.to.include(outcomeHeadline('call-termination', 'obscenity_end'));
  });

  // 001: «сроки решения истекли, или клиент настаивает на решении вопроса сейчас».
  it('«не настаивает» with the deadline unknown asks whether the deadline passed or the client insists', async () => {
    const message = 'кейс в open-dispatch, кл не настаивает, а истекли ли сроки, не знаю';
    const screen = await ask(message);
    expectAsks(screen, 'case-repeat-inquiry', 'dispatch_urgent', message);
  });

  it('«что-то про водителя сказал» asks what is happening on the survey call', async () => {
    const message = 'на опросе кл что-то про водителя сказал и положил трубку, какой результат';
    const screen = await ask(message);
    expectAsks(screen, 'survey-refusal', 'situation', message);
  });

  it('a car taken «в сервис» by someone else is no car still «в сервисе»', async () => {
    const message = 'по анкете владелец говорит что машину в сервис отвозил его сын, а не он';
    const screen = await ask(message);
    expect(screen.headline, message).not.to.equal(outcomeHeadline('survey-refusal', 'in_service'));
    // «отвозил его сын, а не он»: he did not service it (seed 000); who the owner is stays asked.
    expectAsks(screen, 'survey-refusal', 'who_serviced', message);
  });

  // 000: «После 3-ей попытки звонка, если: клиент при последней попытке дозвона озвучивает, что ему неудобно разговаривать».
  it('«2 попытки были, сейчас 3-я»: two attempts made, this is the third — the 3rd-attempt card, not the early one', async () => {
    const message = 'до этого 2 попытки без ответа, сейчас 3-я, кл говорит неудобно, когда перезвонить не сказал';
    const screen = await ask(message);
    expect(screen.headline, message).to.equal(outcomeHeadline('survey-refusal', 'inconvenient_third'));
    expect(screen.all).not.to.include(outcomeHeadline('survey-refusal', 'inconvenient_early'));
  });

  it('«2 попытки уже было» says how many were made, not which one this is: the attempt is asked', async () => {
    const message = '2 попытки уже было, клиенту неудобно, не сказал когда перезвонить';
    const screen = await ask(message);
    expectAsks(screen, 'survey-refusal', 'attempt', message);
  });

  it('an attempt dated to yesterday is not this call\'s: the attempt is asked', async () => {
    const message = 'вчера была вторая попытка, сегодня опять набираю, кл занят, не сказал когда перезвонить';
    const screen = await ask(message);
    expectAsks(screen, 'survey-refusal', 'attempt', message);
    expect(screen.all).not.to.include(outcomeHeadline('survey-refusal', 'inconvenient_early'));
  });

  // 001: «Если вы получили обратно созданное Вами задание с пометкой «Отклоненный»».
  it('«что делать с отклонёнными заданиями» asks what is happening, no task said to be returned', async () => {
    const message = 'что делать с отклонёнными заданиями';
    const screen = await ask(message);
    expectAsks(screen, 'task-rejected', 'what', message);
  });

  // 004: «Если контакта из заказа больше нет - рекомендуем написать на сайте с Личного кабинета…».
  it('«контакт из заказа утерян» on haieronline reaches the support address, not the order identification', async () => {
    const message = 'контакт из заказа утерян, заказывал на haieronline';
    const screen = await ask(message);
    expect(screen.headline, message).to.equal(outcomeHeadline('identification-special-rules', 'contact_gone_haier'));
  });

  // 001 «Вопрос абонента по ранее созданному case»: waiting past the promised day is the repeat inquiry.
  it('a client waiting on an Open case past the promised day gets the repeat inquiry, asking whether it is urgent', async () => {
    const message = 'клиент неделю ждёт по кейсу, статус open, обещали за сутки';
    const screen = await ask(message);
    expectAsks(screen, 'case-repeat-inquiry', 'open_urgent', message);
  });

  // 001: «Клиент переходит на личностные оскорбления» — the client's, not a colleague's.
  it('a colleague\'s insult is not the caller\'s: the situation is asked, not the insults branch', async () => {
    const message = 'руководитель оскорбил меня на планерке';
    const screen = await ask(message);
    expect(screen.all, message).not.to.include(questionText('call-termination', 'insults_count'));
    expect(screen.all).not.to.include(outcomeHeadline('call-termination', 'insults_warn'));
  });

  // 002: «Делают ли предложения сотрудники второй линии?» — not the «предложение №2» entry.
  it('«2я линия делает предложения» gets the second-line entry, not the second-offer one', async () => {
    const message = 'сотрудники 2 линии делают предложения INBA?';
    const screen = await ask(message);
    expect(screen.headline, message).to.equal(outcomeHeadline('inba-faq', 'faq_second_line'));
  });
  // 001: «необходимо 2-3 раза (в течение 10-15сек) использовать стандартые фразы».
  it('the phrases said once are not yet said 2–3 times: what is done is asked, no SMS card', async () => {
    const message = 'клиента не слышно, фразы повторила только 1 раз';
    const screen = await ask(message);
    expectAsks(screen, 'inaudible-caller', 'step', message);
    expect(screen.all).not.to.include(outcomeHeadline('inaudible-caller', 'send_sms'));
  });

  // 001: «Потенциальный абонент: · Физ лицо: переключаем на линию ШПД» — a subscriber is a физлицо too.
  it('a bare «частное лицо» on home internet asks who calls, not the new-subscriber line', async () => {
    const message = 'по домашнему интернету звонит частное лицо';
    const screen = await ask(message);
    expectAsks(screen, 'home-internet-transfer', 'caller', message);
    expect(screen.all).not.to.include(outcomeHeadline('home-internet-transfer', 'to_shpd_individual'));
  });

  it('a private person who wants to connect still reaches the ШПД line with no tap', async () => {
    const message = 'частник хочет провести интернет в частный дом';
    const screen = await ask(message);
    expect(screen.headline, message).to.equal(outcomeHeadline('home-internet-transfer', 'to_shpd_individual'));
  });

  // 001: «Дейстующий абонент» against «Потенциальный клиент»: a «клиент ШПД» may be either, so it is asked.
  it('«кл ШПД» alone asks whether the subscriber is an existing one', async () => {
    const message = 'кл ШПД, куда переводить';
    const screen = await ask(message);
    expectAsks(screen, 'home-internet-transfer', 'caller', message);
  });

  // 002: «был получен отказ, но спустя небольшое время абонент его решил подключить» — refused first, then yes.
  it('refused earlier, agrees now: the archive-of-offers entry, not cancelling a «Да»', async () => {
    const message = 'кл раньше отказался от предложения инба, теперь согласен, что делать';
    const screen = await ask(message);
    expect(screen.headline, message).to.equal(outcomeHeadline('inba-faq', 'faq_refused_then_wants'));
    expect(screen.all).not.to.include(outcomeHeadline('inba-faq', 'faq_yes_then_refused'));
  });

  it('said yes, then refused: the cancel-a-«Да» entry', async () => {
    const message = 'по инба кл сначала согласился, потом передумал и отказался';
    const screen = await ask(message);
    expect(screen.headline, message).to.equal(outcomeHeadline('inba-faq', 'faq_yes_then_refused'));
  });
});
