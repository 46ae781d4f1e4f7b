import { expect } from 'chai';
import { answersFigure, askedFigures, reportsBeyond, statedFigures } from '../../src/domain/understanding/figures.js';
import { readMessage } from '../../src/domain/understanding/message.js';

const asked = (text: string) => askedFigures(readMessage(text)).map((a) => (a.of ? `${a.kind}:${a.of}` : a.kind));

describe('domain: figures a question asks for, and the ones outcome cards state', () => {
  it('reads a price, a speed, a count, a period and a person asked for', () => {
    expect(asked('сколько стоит подключение')).to.deep.equal(['price']);
    expect(asked('какая цена замены сим-карты?')).to.deep.equal(['price']);
    expect(asked('клиент хочет узнать стоимость ремонта')).to.deep.equal(['price']);
    expect(asked('почем минута')).to.deep.equal(['price']);
    expect(asked('какая скорость на тарифе')).to.deep.equal(['speed']);
    expect(asked('сколько вопросов в анкете')).to.deep.equal(['count:вопрос']);
    expect(asked('сколько дней идет доставка')).to.deep.equal(['term']);
    expect(asked('сколько длится акция')).to.deep.equal(['term']);
    expect(asked('какой срок решения')).to.deep.equal(['term']);
    // A period by «за / через / в течение какого времени»; «в какое время» is a time of day, no period.
    expect(asked('за какое время закрыть анкету')).to.deep.equal(['term']);
    expect(asked('через какое время повторить попытку')).to.deep.equal(['term']);
    expect(asked('в какое время звонить клиенту')).to.deep.equal([]);
    expect(asked('кто составляет анкеты')).to.deep.equal(['person:составля']);
    // What is counted is the first word past function words and modals.
    expect(asked('сколько у нас длится акция')).to.deep.equal(['term']);
    expect(asked('сколько можно предупреждать')).to.deep.equal([`count:${readMessage('предупреждать').words[0].stem}`]);
    expect(asked('кто должен создать кейс?')).to.deep.equal([`person:${readMessage('создать').words[0].stem}`]);
    // A message opening with a price noun asks it, as a heading; «какие X есть/бывают/входят» asks a list of X.
    expect(asked('цена подключения iptv для нового абонента')).to.deep.equal(['price']);
    expect(asked('стоимость переноса домашнего интернета')).to.deep.equal(['price']);
    expect(asked('какие каналы входят в пакет iptv')).to.deep.equal([`list:${readMessage('каналы').words[0].stem}`]);
    expect(asked('какие у нас вообще бывают скидки')).to.deep.equal([`list:${readMessage('скидки').words[0].stem}`]);
    // A phone number asked, not a work item's number; a limit of what the adjective qualifies.
    expect(asked('какой номер у ОСО')).to.deep.equal(['phone']);
    expect(asked('номер телефона отдела кадров подскажите?')).to.deep.equal(['phone']);
    expect(asked('какой номер кейса назвать')).to.deep.equal([]);
    expect(asked('какую максимальную скидку я могу дать')).to.deep.equal([`limit:${readMessage('скидку').words[0].stem}`]);
  });

  it('a figure word that asks nothing is none: a statement, «кто-то», a reported word', () => {
    expect(asked('на вопросе про цену сказал всё, хватит')).to.deep.equal([]);
    expect(asked('действующий абонент ругается на скорость')).to.deep.equal([]);
    expect(asked('сроки решения истекли')).to.deep.equal([]);
    expect(asked('его уже кто-то взял?')).to.deep.equal([]);
    expect(asked('кл матерится на чем свет стоит')).to.deep.equal([]);
    // A price noun inside a statement, «какие» with no listing verb.
    expect(asked('кл недоволен, цена выросла')).to.deep.equal([]);
    expect(asked('клиент говорит не хочу ни на какие опросы отвечать')).to.deep.equal([]);
  });

  it('cards state a figure by a number before what it counts, a period by its unit, a price by its word', () => {
    const cards = statedFigures(['Предупреждаем клиента 2 раза, на 3-й раз прервите диалог.', 'За последние 3–4 месяца скидок не было.', 'Две фразы 2–3 раза за 10–15 с.']);
    expect(answersFigure(cards, { kind: 'count', of: 'раз', at: 0 })).to.equal(true);
    expect(answersFigure(cards, { kind: 'term', at: 0 })).to.equal(true);
    expect(answersFigure(cards, { kind: 'price', at: 0 })).to.equal(false);
    expect(answersFigure(cards, { kind: 'speed', at: 0 })).to.equal(false);
    // An act counted in times on the cards («Предупреждаем … 2 раза») answers «сколько предупреждать»; a noun of its root too.
    const warn = readMessage('предупреждаем').words[0].stem;
    expect(answersFigure(cards, { kind: 'count', of: warn, at: 0, act: true })).to.equal(true);
    expect(answersFigure(statedFigures(['Дайте 2 предупреждения.']), { kind: 'count', of: readMessage('предупреждений').words[0].stem, at: 0 })).to.equal(true);
    // «1 или несколько вопросов» counts no questions: «несколько» stands between.
    const survey = statedFigures(['Клиент не ответил на 1 или несколько вопросов анкеты.']);
    expect(answersFigure(survey, { kind: 'count', of: 'вопрос', at: 0 })).to.equal(false);
    expect(answersFigure(statedFigures(['Стоимость замены — 100 руб.']), { kind: 'price', at: 0 })).to.equal(true);
    expect(answersFigure(statedFigures(['Кто занимался заданием, видно в «Истории».']), { kind: 'person', of: 'занима', at: 0 })).to.equal(true);
    // A list is answered by cards naming what is listed.
    const states = statedFigures(['Состояния CASE: Open, Closed, Dispatch.']);
    expect(answersFigure(states, { kind: 'list', of: readMessage('состояния').words[0].stem, at: 0 })).to.equal(true);
    expect(answersFigure(states, { kind: 'list', of: readMessage('каналы').words[0].stem, at: 0 })).to.equal(false);
  });

  it('a message reports a call beyond its figure question when it reports who asks or states another clause', () => {
    const beyond = (text: string) => {
      const m = readMessage(text);
      return reportsBeyond(m, askedFigures(m));
    };
    expect(beyond('кей клиент спрашивает сколько стоит роуминг')).to.equal(true);
    expect(beyond('потенциальный клиент ИП, сколько стоит подключение')).to.equal(true);
    expect(beyond('сколько стоит услуга Мобильная почта для юрлиц в месяц')).to.equal(false);
  });
});
