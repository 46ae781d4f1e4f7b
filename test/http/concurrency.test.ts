import { expect } from 'chai';
import { clickData, headlineOf, lastCard } from '../support/cards.js';
import { startApp, turn } from '../support/http.js';


describe('http: concurrent turns', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  before(async () => (app = await startApp()));
  after(() => app.close());

  it('a double click advances the dialog once; the second click is told the card is out of date', async () => {
    const start = await turn(app.url, 'c-double', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
    const click = { value: clickData(lastCard(start), 'Closed — клиент не согласен с решением') };
    const [a, b] = await Promise.all([turn(app.url, 'c-double', click), turn(app.url, 'c-double', click)]);
    const texts = [...a, ...b].map((r) => r.text).filter(Boolean);
    expect(texts).to.deep.equal([texts.find((t) => /устарела/.test(t!))]);
    expect(headlineOf(lastCard(a))).to.equal('Какая категория у кейса?');
    expect(headlineOf(lastCard(b))).to.equal('Какая категория у кейса?');
    // The dialog is on the category question, not two steps further.
    const next = await turn(app.url, 'c-double', { value: clickData(lastCard(b), 'BackOffice') });
    expect(headlineOf(lastCard(next))).to.equal('Переключите клиента на линию Сохранения');
  });

  it('many conversations at once each reach their own outcome', async () => {
    const choices = ['BackOffice', 'Эксперты оборудования', 'Другая категория'];
    const expected = [/^Переключите клиента на линию Сохранения$/, /^Переключите клиента на линию Экспертов оборудования$/, /процедура не называет линию/];
    const results = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const c = `c-many-${i}`;
        let replies = await turn(app.url, c, { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
        replies = await turn(app.url, c, { value: clickData(lastCard(replies), 'Closed — клиент не согласен с решением') });
        replies = await turn(app.url, c, { value: clickData(lastCard(replies), choices[i % 3]) });
        return headlineOf(lastCard(replies));
      }),
    );
    results.forEach((headline, i) => expect(headline).to.match(expected[i % 3]));
  });
});
