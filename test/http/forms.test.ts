import { expect } from 'chai';
import { createApp, type App } from '../../src/bot/app.js';
import { readConfig } from '../../src/bot/config.js';
import type { DecisionLog } from '../../src/domain/decisions.js';
import { clickData, headlineOf, inputsOf, lastCard, textOf, textsOf } from '../support/cards.js';
import { tempDir, turn } from '../support/http.js';
import { kbDir } from '../support/kb.js';

/** Sunday 22 November 2026, 12:00 in Moscow (no telesales schedule configured: the operator says telesales is closed). */
const SUNDAY_NOON = new Date('2026-11-22T09:00:00Z');



/**
 * The real server, with everything it and the process print collected; the decision log is the one
 * the app exposes (`app.decisions`, the store it writes decisions to).
 */
async function start(): Promise<{ app: App; url: string; printed: string[]; log: () => DecisionLog; stop: () => Promise<void> }> {
  const printed: string[] = [];
  const consoles = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = consoles.map((k) => console[k]);
  consoles.forEach((k, i) =>
    Object.assign(console, {
      [k]: (...args: unknown[]) => {
        printed.push(args.map(String).join(' '));
        saved[i].apply(console, args);
      },
    }),
  );
  try {
    const app = createApp(readConfig({ PORT: '0', HOST: '127.0.0.1', KB_DIR: kbDir, DATA_DIR: tempDir() }), { now: () => SUNDAY_NOON, log: (line) => printed.push(line) });
    const url = await app.listen();
    return {
      app,
      url,
      printed,
      log: () => app.decisions,
      stop: async () => {
        await app.close();
        consoles.forEach((k, i) => Object.assign(console, { [k]: saved[i] }));
      },
    };
  } catch (e) {
    consoles.forEach((k, i) => Object.assign(console, { [k]: saved[i] }));
    throw e;
  }
}

/** Walks potential-corporate to the «нулевой клиент» CASE and opens its form: the open click and the form's submit data. */
async function zeroClientForm(url: string, c: string): Promise<{ open: ReturnType<typeof clickData>; submit: ReturnType<typeof clickData> }> {
  let replies = await turn(url, c, { value: { action: 'start', procedureId: 'potential-corporate' } });
  replies = await turn(url, c, { value: clickData(lastCard(replies), 'Подключиться') });
  replies = await turn(url, c, { value: clickData(lastCard(replies), 'Нет — нерабочее время, выходной или праздник') });
  replies = await turn(url, c, { value: clickData(lastCard(replies), 'Не хочет оставлять никакой информации') });
  const open = clickData(lastCard(replies), 'Заполнить CASE');
  replies = await turn(url, c, { value: open });
  return { open, submit: clickData(lastCard(replies), 'Получить текст') };
}

describe('http: fill-in forms over POST /api/messages', () => {
  it('walks to the corporate CASE, refuses an incomplete form, returns the CASE text and logs the values', async () => {
    const s = await start();
    try {
      const c = 'c-form-case';
      let replies = await turn(s.url, c, { value: { action: 'start', procedureId: 'potential-corporate' } });
      replies = await turn(s.url, c, { value: clickData(lastCard(replies), 'Подключиться') });
      replies = await turn(s.url, c, { value: clickData(lastCard(replies), 'Нет — нерабочее время, выходной или праздник') });
      replies = await turn(s.url, c, { value: clickData(lastCard(replies), 'Да, оставит данные') });
      const outcome = lastCard(replies);
      expect(headlineOf(outcome)).to.equal('Создайте CASE — телепродажи сейчас не работают');

      // «Заполнить CASE» on the outcome card sends the form.
      const open = clickData(outcome, 'Заполнить CASE');
      replies = await turn(s.url, c, { value: open });
      const formCard = lastCard(replies);
      expect(headlineOf(formCard)).to.equal('CASE на потенциального корпоративного клиента');
      const submit = clickData(formCard, 'Получить текст');

      // Teams sends the button's data with the inputs merged in; no phone and no e-mail: refused.
      const partial = { company: 'ООО «Ромашка»', address: 'г. Тверь, ул. Советская, д. 5', contact: 'Смирнова Анна Петровна', profile: 'строительство' };
      replies = await turn(s.url, c, { value: { ...submit, ...partial } });
      expect(replies).to.have.length(1);
      const refused = lastCard(replies);
      expect(textsOf(refused)).to.include('• Заполните поле «Контактный телефон (или E-mail)».');
      const kept = inputsOf(refused);
      for (const [k, v] of Object.entries(partial)) expect(kept[k].value, k).to.equal(v);

      // The same form again with a phone: the CASE text, in the seed's order and words.
      const complete = { ...partial, phone: 'a.smirnova@example.ru', employees: '40' };
      replies = await turn(s.url, c, { value: { ...clickData(refused, 'Получить текст'), ...complete } });
      const result = lastCard(replies);
      const expected = [
        'название компании: ООО «Ромашка»',
        'фактический адрес компании: г. Тверь, ул. Советская, д. 5',
        'контактное лицо: Смирнова Анна Петровна',
        'контактный телефон (или E-mail): a.smirnova@example.ru',
        'профиль деятельности: строительство',
        'количество сотрудников: 40',
      ].join('\n');
      expect(textOf(result)).to.include(expected);
      expect(inputsOf(result).copy_output_0.value).to.equal(expected);

      // Saved with the decision, for the team lead.
      const view = await s.log().get(open.decisionId);
      expect(view?.outcome.nodeId).to.equal('create_case');
      expect(view?.formValues).to.deep.equal(complete);

      // Personal data never reached the console or the app's log.
      for (const v of Object.values(complete)) expect(s.printed.join('\n'), v).to.not.include(v);
    } finally {
      await s.stop();
    }
  });

  it('the «нулевой клиент» path: only name and phone, plus what to tell the client', async () => {
    const s = await start();
    try {
      const c = 'c-form-zero';
      const { open, submit } = await zeroClientForm(s.url, c);
      const replies = await turn(s.url, c, { value: { ...submit, name: 'Олег', phone: '8 912 345-67-89' } });
      const result = lastCard(replies);
      expect(textOf(result)).to.include('CASE на нулевого клиента\nимя: Олег\nконтактный телефон: 8 912 345-67-89');
      expect(textOf(result)).to.include('«Сообщить, что в рабочее время с ним обязательно свяжется сотрудник СРКК.»');
      expect((await s.log().get(open.decisionId))?.formValues).to.deep.equal({ name: 'Олег', phone: '8 912 345-67-89' });
    } finally {
      await s.stop();
    }
  });

  it('a survey comment: the date starts as today, and the finished comment comes back as typed by the operator', async () => {
    const s = await start();
    try {
      const c = 'c-form-survey';
      let replies = await turn(s.url, c, { value: { action: 'start', procedureId: 'survey-comment' } });
      replies = await turn(s.url, c, { value: clickData(lastCard(replies), 'Не ответил на 1 или несколько вопросов') });
      const open = clickData(lastCard(replies), 'Заполнить комментарий');
      replies = await turn(s.url, c, { value: open });
      const form = lastCard(replies);
      expect(inputsOf(form).date.value).to.equal('2026-11-22');
      // As a card client sends it: the date input's value unchanged, the rest typed.
      replies = await turn(s.url, c, { value: { ...clickData(form, 'Получить текст'), date: '2026-11-22', questions: '4,7', words: 'всё **отлично**' } });
      expect(textsOf(lastCard(replies))).to.include('22/11 Клиент частично ответил на вопросы анкетирования. Не ответил на вопрос №4,7. "всё \\*\\*отлично\\*\\*"');
      expect(inputsOf(lastCard(replies)).copy_output_0.value).to.equal('22/11 Клиент частично ответил на вопросы анкетирования. Не ответил на вопрос №4,7. "всё **отлично**"');
      expect((await s.log().get(open.decisionId))?.formValues).to.deep.equal({ date: '22/11', questions: '4,7', words: 'всё **отлично**' });
    } finally {
      await s.stop();
    }
  });

  it('refuses another operator’s submit of a form for a decision not theirs, and keeps the owner’s values', async () => {
    const s = await start();
    try {
      const c = 'c-form-owner';
      const { open, submit } = await zeroClientForm(s.url, c);
      await turn(s.url, c, { value: { ...submit, name: 'Олег', phone: '8 912 345-67-89' } });
      const intruder = { id: 'user-2', name: 'Другой Оператор' };
      const replies = await turn(s.url, 'c-form-intruder', { value: { ...submit, name: 'Подмена', phone: '8 900 000-00-00' } }, intruder);
      expect(replies.map((r) => r.text)).to.deep.equal(['Этот ответ получил другой оператор: отзыв о нём может оставить только он сам или руководитель группы, а форму заполнить — только он. Ничего не записано.']);
      expect((await s.log().get(open.decisionId))?.formValues).to.deep.equal({ name: 'Олег', phone: '8 912 345-67-89' });
    } finally {
      await s.stop();
    }
  });

  it('refuses a forged submit with fields the form does not have', async () => {
    const s = await start();
    try {
      const replies = await turn(s.url, 'c-form-forged', { value: { action: 'form', formId: 'zero-client-case', decisionId: 'abc', cardId: 'x', name: 'a', phone: '+7 903 1234567', extra: 'x' } });
      expect(replies.map((r) => r.text)).to.deep.equal(['Эту кнопку я не узнаю — возможно, карточка от старой версии бота. Опишите ситуацию своими словами или напишите «темы».']);
    } finally {
      await s.stop();
    }
  });
});
