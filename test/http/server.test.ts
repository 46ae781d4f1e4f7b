import { expect } from 'chai';
import { clickData, headlineOf, lastCard, textOf, textsOf } from '../support/cards.js';
import { startApp, tempDir, turn } from '../support/http.js';


describe('http: the real server on 127.0.0.1', () => {
  it('answers GET /healthz with the number of procedures loaded', async () => {
    const app = await startApp();
    try {
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).to.equal(200);
      const body = (await res.json()) as { status: string; procedures: number };
      expect(body.status).to.equal('ok');
      expect(body.procedures).to.be.greaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('runs a whole procedure by card clicks over POST /api/messages with expectReplies', async () => {
    const app = await startApp();
    try {
      let replies = await turn(app.url, 'c-walk', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
      expect(headlineOf(lastCard(replies))).to.equal('В каком состоянии кейс клиента?');
      replies = await turn(app.url, 'c-walk', { value: clickData(lastCard(replies), 'Open') });
      replies = await turn(app.url, 'c-walk', { value: clickData(lastCard(replies), 'Да') });
      const outcome = lastCard(replies);
      expect(headlineOf(outcome)).to.equal('Скажите клиенту стандартную фразу и внесите в комментарий CASE слово «Повтор»');
      expect(textOf(outcome)).to.include('Ожидайте, пожалуйста уведомления в течение суток');
      expect(textOf(outcome)).to.include('Источник: CASE, обещания клиенту, завершение звонка, домашний интернет');
    } finally {
      await app.close();
    }
  });

  it('continues the same dialog after a server restart on the same DATA_DIR', async () => {
    const dataDir = tempDir();
    const first = await startApp({ DATA_DIR: dataDir });
    let card;
    try {
      const replies = await turn(first.url, 'c-restart', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
      const next = await turn(first.url, 'c-restart', { value: clickData(lastCard(replies), 'Closed — клиент не согласен с решением') });
      card = lastCard(next);
      expect(headlineOf(card)).to.equal('Какая категория у кейса?');
    } finally {
      await first.close();
    }
    const second = await startApp({ DATA_DIR: dataDir });
    try {
      const replies = await turn(second.url, 'c-restart', { value: clickData(card, 'Личный кабинет/mobile b2c (физ. лица)') });
      const outcome = lastCard(replies);
      expect(headlineOf(outcome)).to.equal('Переключите клиента на линию Экспертов оборудования');
      expect(textOf(outcome)).to.include('Путь: Closed — клиент не согласен с решением → Личный кабинет/mobile b2c (физ. лица)');
    } finally {
      await second.close();
    }
  });

  it('keeps parallel conversations apart', async () => {
    const app = await startApp();
    try {
      const a = await turn(app.url, 'c-a', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
      const b = await turn(app.url, 'c-b', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
      const a2 = await turn(app.url, 'c-a', { value: clickData(lastCard(a), 'Open') });
      const b2 = await turn(app.url, 'c-b', { value: clickData(lastCard(b), 'Closed — клиент не согласен с решением') });
      expect(headlineOf(lastCard(a2))).to.match(/^Сроки решения истекли/);
      expect(headlineOf(lastCard(b2))).to.equal('Какая категория у кейса?');
    } finally {
      await app.close();
    }
  });

  it('answers a question typed in Russian by starting the right procedure', async () => {
    const app = await startApp();
    try {
      const replies = await turn(app.url, 'c-ask', 'абонент не согласен с решением по закрытой заявке');
      expect(textOf(lastCard(replies))).to.include('Вопрос абонента по ранее созданному CASE');
    } finally {
      await app.close();
    }
  });

  it('mid-dialog, a new situation typed in full starts its procedure; a short unknown answer is asked again', async () => {
    const app = await startApp();
    try {
      await turn(app.url, 'c-switch', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
      const retry = await turn(app.url, 'c-switch', 'не помню');
      expect(retry[0].text).to.match(/^Не понял ответ/);
      expect(headlineOf(lastCard(retry))).to.equal('В каком состоянии кейс клиента?');
      const replies = await turn(app.url, 'c-switch', 'клиент матерится уже третий раз, что делать');
      expect(replies[0].text).to.match(/^Похоже, это новый вопрос — начинаю процедуру «.*»/);
      expect(textOf(lastCard(replies))).to.match(/прерв|предупре|нецензурн/i);
      expect(textOf(lastCard(replies))).not.to.include('В каком состоянии кейс клиента?');
    } finally {
      await app.close();
    }
  });

  it('«Назад» on an outcome card reopens its last question with the earlier answers kept', async () => {
    const app = await startApp();
    try {
      let replies = await turn(app.url, 'c-back', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
      replies = await turn(app.url, 'c-back', { value: clickData(lastCard(replies), 'Closed — клиент не согласен с решением') });
      replies = await turn(app.url, 'c-back', { value: clickData(lastCard(replies), 'BackOffice') });
      expect(headlineOf(lastCard(replies))).to.equal('Переключите клиента на линию Сохранения');
      replies = await turn(app.url, 'c-back', { value: clickData(lastCard(replies), '◀ Назад') });
      const card = lastCard(replies);
      expect(headlineOf(card)).to.equal('Какая категория у кейса?');
      expect(textOf(card)).to.include('Closed — клиент не согласен с решением');
      replies = await turn(app.url, 'c-back', { value: clickData(card, 'Эксперты оборудования') });
      expect(headlineOf(lastCard(replies))).to.equal('Переключите клиента на линию Экспертов оборудования');
    } finally {
      await app.close();
    }
  });

  const CONNECT = 'Подключиться — корп. тарифы, договор, документы, новые номера, 8-800';
  const SCHEDULE = { TELESALES_DAYS: '1-5', TELESALES_OPEN: '09:00', TELESALES_CLOSE: '18:00', HOLIDAYS: '2026-11-04' };

  it('with a configured schedule and holidays, decides telesales from the clock, says so, and offers to override', async () => {
    const monday = () => new Date('2026-11-23T08:00:00Z'); // 11:00 in Moscow
    const sunday = () => new Date('2026-11-22T08:00:00Z');
    const holiday = () => new Date('2026-11-04T08:00:00Z'); // a Wednesday, listed in HOLIDAYS
    for (const [now, expected] of [[monday, /^Переключите клиента на отдел телепродаж/], [sunday, /^Клиент готов оставить данные/], [holiday, /^Клиент готов оставить данные/]] as const) {
      const app = await startApp(SCHEDULE, now);
      try {
        let replies = await turn(app.url, 'c-hours', { value: { action: 'start', procedureId: 'potential-corporate' } });
        replies = await turn(app.url, 'c-hours', { value: clickData(lastCard(replies), CONNECT) });
        const card = lastCard(replies);
        expect(headlineOf(card)).to.match(expected);
        expect(textOf(card)).to.include('определено автоматически: по расписанию из настроек бота телепродажи работают пн–пт 09:00–18:00 (Europe/Moscow), кроме праздников');
        // A question card leads with what decided the branch, then the question.
        if (now !== monday)
          expect(textsOf(card).slice(0, 3)).to.deep.equal([
            'Телепродажи сейчас работают? Нет — нерабочее время, выходной или праздник',
            'по расписанию из настроек бота телепродажи работают пн–пт 09:00–18:00 (Europe/Moscow), кроме праздников',
            'Клиент готов оставить данные для CASE (компания, адрес, контактное лицо, телефон или E-mail)?',
          ]);
      } finally {
        await app.close();
      }
    }

    const app = await startApp(SCHEDULE, monday);
    try {
      let replies = await turn(app.url, 'c-override', { value: { action: 'start', procedureId: 'potential-corporate' } });
      replies = await turn(app.url, 'c-override', { value: clickData(lastCard(replies), CONNECT) });
      const transfer = lastCard(replies);
      expect(textOf(transfer)).to.include('Это бот решил сам, по расписанию из своих настроек');
      // The operator knows better (telesales closed early today): the walk continues as for closed telesales.
      replies = await turn(app.url, 'c-override', { value: clickData(transfer, 'На самом деле: Нет — нерабочее время, выходной или праздник') });
      expect(headlineOf(lastCard(replies))).to.equal('Клиент готов оставить данные для CASE (компания, адрес, контактное лицо, телефон или E-mail)?');
      replies = await turn(app.url, 'c-override', { value: clickData(lastCard(replies), 'Да, оставит данные') });
      const outcome = lastCard(replies);
      expect(headlineOf(outcome)).to.equal('Создайте CASE — телепродажи сейчас не работают');
      expect(textOf(outcome)).to.include(`Путь: ${CONNECT} → Нет — нерабочее время, выходной или праздник → Да, оставит данные`);
    } finally {
      await app.close();
    }
  });

  it('without a configured schedule, asks the operator whether telesales works now', async () => {
    const app = await startApp({}, () => new Date('2026-11-04T08:00:00Z'));
    try {
      let replies = await turn(app.url, 'c-ask', { value: { action: 'start', procedureId: 'potential-corporate' } });
      replies = await turn(app.url, 'c-ask', { value: clickData(lastCard(replies), CONNECT) });
      expect(headlineOf(lastCard(replies))).to.equal('Телепродажи сейчас работают?');
      replies = await turn(app.url, 'c-ask', { value: clickData(lastCard(replies), 'Да, работают') });
      const card = lastCard(replies);
      expect(headlineOf(card)).to.equal('Переключите клиента на отдел телепродаж');
      expect(textOf(card)).to.not.include('определено автоматически').and.not.include('Это бот решил сам');
    } finally {
      await app.close();
    }
  });
});
