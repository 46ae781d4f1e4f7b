import { join } from 'node:path';
import { expect } from 'chai';
import { botMessages, chromiumAndBot, click, lastCard, openConsole, resultsDir, say } from '../support/browser.js';
import { startApp } from '../support/http.js';

const QUESTION = 'клиент не согласен с решением по закрытой заявке';
const CATEGORY = 'Личный кабинет/mobile b2c (физ. лица)';
const HEADLINE = 'Переключите клиента на линию Экспертов оборудования';
const SOURCE = /^Источник: CASE, обещания клиенту, завершение звонка, домашний интернет — «Вопрос абонента по ранее созданному case»$/;

describe('browser: the web console in Chromium', function () {
  this.timeout(60_000);
  const running = chromiumAndBot();

  it('greets with the help card, in Russian, as Teams does when the bot is added', async () => {
    const { page, problems } = await openConsole(running.browser, running.app.url);
    try {
      expect(await page.locator('html').getAttribute('lang')).to.equal('ru');
      await page.waitForSelector('#messages .msg-card');
      expect(await lastCard(page).getByText('Помощник оператора', { exact: true }).isVisible()).to.equal(true);
      expect(await page.getByRole('button', { name: 'Новый разговор' }).isVisible()).to.equal(true);
      expect(await page.locator('#messages').getAttribute('aria-live')).to.equal('polite');
      expect(await page.getByLabel('Сообщение помощнику').count()).to.equal(1);
      expect(problems).to.deep.equal([]);
    } finally {
      await page.context().close();
    }
  });

  it('answers a question typed in Russian and walks the procedure by clicks to a cited outcome', async () => {
    const { page, problems } = await openConsole(running.browser, running.app.url);
    try {
      await page.waitForSelector('#messages .msg-card');
      await say(page, QUESTION);
      // The typed question shows as the user's bubble.
      expect(await page.locator('#messages .msg-user .msg-text').last().innerText()).to.equal(QUESTION);

      let card = lastCard(page);
      // Search may ask which procedure is meant; pick the case-repeat one.
      if (await card.getByText('Уточните, о чём вопрос').count()) {
        await click(page, card, 'Вопрос абонента по ранее созданному CASE');
        card = lastCard(page);
      }
      if (await card.getByText('В каком состоянии кейс клиента?').count()) {
        await click(page, card, 'Closed — клиент не согласен с решением');
        card = lastCard(page);
      }
      expect(await card.getByText('Какая категория у кейса?').isVisible()).to.equal(true);
      const cards = await page.locator('#messages .msg-card').count();
      const users = await page.locator('#messages .msg-user').count();
      await click(page, card, CATEGORY);
      // Universal Actions, as in Teams: the card becomes the outcome in place; no message is added.
      expect(await page.locator('#messages .msg-card').count()).to.equal(cards);
      expect(await page.locator('#messages .msg-user').count()).to.equal(users);

      const outcome = lastCard(page);
      const headline = outcome.getByText(HEADLINE, { exact: true });
      expect(await headline.isVisible()).to.equal(true);
      expect(await outcome.getByText('Линия: линия Экспертов оборудования', { exact: true }).isVisible()).to.equal(true);
      expect(await outcome.getByText('Процедура обработки повторных обращений по тематикам оборудования', { exact: true }).isVisible()).to.equal(true);
      // The source is collapsed behind «Источник», as in Teams; one click shows it.
      const source = outcome.getByText(SOURCE);
      expect(await source.isVisible()).to.equal(false);
      await outcome.getByRole('button', { name: 'Источник', exact: true }).click();
      expect(await source.isVisible()).to.equal(true);
      // The latest card is scrolled into view: its headline is on screen.
      expect(await headline.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const box = document.getElementById('messages')!.getBoundingClientRect();
        return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
      })).to.equal(true);

      await outcome.screenshot({ path: join(resultsDir(), 'console-outcome.png') });
      await page.screenshot({ path: join(resultsDir(), 'console-page.png') });
      expect(problems).to.deep.equal([]);
    } finally {
      await page.context().close();
    }
  });

  it('shows a standard phrase with «Скопировать» (Action.ShowCard), as Teams does, and no console-only copy button', async () => {
    const { page, problems } = await openConsole(running.browser, running.app.url);
    try {
      await page.waitForSelector('#messages .msg-card');
      // Start the procedure from the topics card, as an operator can.
      await say(page, 'темы');
      await click(page, lastCard(page), 'Вопрос абонента по ранее созданному CASE');
      await click(page, lastCard(page), 'Open');
      await click(page, lastCard(page), 'Да');
      const outcome = lastCard(page);
      const phrase = 'Я внес(ла) комментарий в Вашу заявку, чтобы ускорить ее рассмотрение. Ожидайте, пожалуйста уведомления в течение суток';
      expect(await outcome.getByText(phrase, { exact: true }).isVisible()).to.equal(true);
      expect(await outcome.getByText('Скажите клиенту стандартную фразу и внесите в комментарий CASE слово «Повтор»', { exact: true }).isVisible()).to.equal(true);

      // The card's own ShowCard opens an input holding the phrase verbatim.
      await outcome.getByRole('button', { name: 'Скопировать', exact: true }).click();
      const field = outcome.locator('textarea');
      expect(await field.isVisible()).to.equal(true);
      expect(await field.inputValue()).to.equal(phrase);
      // Teams has no clipboard button on a card: neither has the console.
      expect(await outcome.getByRole('button', { name: /Копировать/ }).count()).to.equal(0);
      await page.setViewportSize({ width: 1280, height: 1400 });
      await outcome.screenshot({ path: join(resultsDir(), 'console-phrase.png') });
      expect(problems).to.deep.equal([]);
    } finally {
      await page.context().close();
    }
  });

  it('sends with Enter and with the button, keeps the dialog across a reload, and resets with «Новый разговор»', async () => {
    const { page } = await openConsole(running.browser, running.app.url);
    try {
      await page.waitForSelector('#messages .msg-card');
      // Enter sends (and Shift+Enter does not).
      await page.locator('#input').fill('темы');
      await page.locator('#input').press('Shift+Enter');
      expect(await page.locator('#messages .msg-user').count()).to.equal(0);
      await page.locator('#input').fill('');
      await say(page, 'темы');
      expect(await lastCard(page).getByText('Темы', { exact: true }).first().isVisible()).to.equal(true);
      expect(await page.locator('#input').inputValue()).to.equal('');

      // The send button works too.
      const before = await botMessages(page).count();
      await page.locator('#input').fill('клиент не согласен с решением по закрытому кейсу');
      await page.getByRole('button', { name: 'Отправить' }).click();
      await page.waitForFunction((n) => document.querySelectorAll('#messages .msg-bot').length > n, before);
      await page.waitForSelector('#typing[hidden]', { state: 'attached' });
      expect(await lastCard(page).getByText('Какая категория у кейса?').isVisible()).to.equal(true);

      // Same tab, reload: the same conversation continues (a number answers the open question).
      const ids = await page.evaluate(() => sessionStorage.getItem('operator-assistant-console'));
      await page.reload();
      await page.waitForSelector('html[data-ready="true"]');
      expect(await page.evaluate(() => sessionStorage.getItem('operator-assistant-console'))).to.equal(ids);
      expect(await lastCard(page).getByText('Какая категория у кейса?').isVisible()).to.equal(true);
      await say(page, '6');
      expect(await lastCard(page).getByText(HEADLINE, { exact: true }).isVisible()).to.equal(true);

      // «Новый разговор»: a new conversation id, an empty list and the help card again.
      const oldConversation = JSON.parse(ids!).conversationId;
      await page.getByRole('button', { name: 'Новый разговор' }).click();
      await page.waitForFunction(() => document.querySelectorAll('#messages .msg').length === 1 && (document.getElementById('typing') as HTMLElement).hidden);
      const fresh = JSON.parse((await page.evaluate(() => sessionStorage.getItem('operator-assistant-console')))!);
      expect(fresh.conversationId).to.not.equal(oldConversation);
      expect(await lastCard(page).getByText('Помощник оператора', { exact: true }).isVisible()).to.equal(true);
    } finally {
      await page.context().close();
    }
  });

  it('opened with ?ua=off, acts as a client without Universal Actions: each click posts the next card as a new message', async () => {
    const { page, problems } = await openConsole(running.browser, `${running.app.url}/?ua=off`);
    try {
      await page.waitForSelector('#messages .msg-card');
      await say(page, 'темы');
      await click(page, lastCard(page), 'Вопрос абонента по ранее созданному CASE');
      const cards = await page.locator('#messages .msg-card').count();
      // Pinned to this card (lastCard() would follow newer ones).
      const question = page.locator('#messages .msg-card').nth(cards - 1);
      expect(await question.getByText('В каком состоянии кейс клиента?').isVisible()).to.equal(true);
      await click(page, question, 'Closed — клиент не согласен с решением');
      // Action.Submit, as the Emulator sends it: the click shows as the user's message and the next card is a new one.
      expect(await page.locator('#messages .msg-card').count()).to.equal(cards + 1);
      expect(await page.locator('#messages .msg-user').last().innerText()).to.include('Closed — клиент не согласен с решением');
      expect(await lastCard(page).getByText('Какая категория у кейса?').isVisible()).to.equal(true);
      expect(await question.getByText('В каком состоянии кейс клиента?').isVisible()).to.equal(true);
      expect(problems).to.deep.equal([]);
    } finally {
      await page.context().close();
    }
  });

  it('turns a clicked card of a finished dialog into a read-only «устарела» note', async () => {
    const { page } = await openConsole(running.browser, running.app.url);
    try {
      await page.waitForSelector('#messages .msg-card');
      await say(page, QUESTION);
      // Pinned to this card (lastCard() would follow newer ones).
      const question = page.locator('#messages .msg-card').nth((await page.locator('#messages .msg-card').count()) - 1);
      expect(await question.getByText('Какая категория у кейса?').isVisible()).to.equal(true);
      // The dialog ends by a typed command; its card is still on screen.
      await say(page, 'отмена');
      await click(page, question, 'BackOffice');
      expect(await question.innerText()).to.match(/устарела/);
      expect(await question.getByRole('button').count()).to.equal(0);
    } finally {
      await page.context().close();
    }
  });

  it('works on a narrow phone-sized window (375×700): no horizontal scroll, outcome card visible', async () => {
    const { page, problems } = await openConsole(running.browser, running.app.url, { width: 375, height: 700 });
    try {
      await page.waitForSelector('#messages .msg-card');
      await say(page, QUESTION);
      await click(page, lastCard(page), CATEGORY);
      const outcome = lastCard(page);
      const headline = outcome.getByText(HEADLINE, { exact: true });
      expect(await headline.isVisible()).to.equal(true);
      expect(await headline.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;
      })).to.equal(true);
      const widths = await page.evaluate(() => ({
        doc: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
        messages: (document.getElementById('messages') as HTMLElement).scrollWidth,
        messagesClient: (document.getElementById('messages') as HTMLElement).clientWidth,
        view: window.innerWidth,
      }));
      expect(widths.doc, 'document scroll width').to.be.at.most(widths.view);
      expect(widths.body, 'body scroll width').to.be.at.most(widths.view);
      expect(widths.messages, 'message list scroll width').to.be.at.most(widths.messagesClient);
      const box = await outcome.boundingBox();
      expect(box!.x).to.be.at.least(0);
      expect(box!.x + box!.width).to.be.at.most(375);
      // The composer stays usable.
      expect(await page.locator('#input').isVisible()).to.equal(true);
      expect(await page.getByRole('button', { name: 'Отправить' }).isVisible()).to.equal(true);
      await page.screenshot({ path: join(resultsDir(), 'console-narrow.png') });
      expect(problems).to.deep.equal([]);
    } finally {
      await page.context().close();
    }
  });

  it('posts card clicks as Teams does: data merged with the card inputs, selectAction and ShowCard included', async () => {
    const { page, problems } = await openConsole(running.browser, running.app.url);
    try {
      await page.waitForSelector('#messages .msg-card');
      const card = {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          { type: 'Input.Text', id: 'fio', label: 'ФИО клиента' },
          { type: 'Input.Text', id: 'city', label: 'Город', value: 'Москва' },
          { type: 'Input.Text', id: 'phone', label: 'Телефон', isRequired: true, errorMessage: 'Укажите телефон' },
          { type: 'Container', style: 'emphasis', selectAction: { type: 'Action.Submit', title: 'Вариант А', data: { action: 'answer', optionId: 'a' } }, items: [{ type: 'TextBlock', text: '1. Вариант А' }] },
          {
            type: 'ActionSet',
            actions: [
              {
                type: 'Action.ShowCard',
                title: 'Комментарий',
                card: { type: 'AdaptiveCard', body: [{ type: 'Input.Text', id: 'comment', label: 'Комментарий' }], actions: [{ type: 'Action.Submit', title: 'Отправить комментарий', data: { action: 'feedback' } }] },
              },
            ],
          },
        ],
        actions: [
          { type: 'Action.Submit', title: 'Отправить форму', data: { action: 'form', formId: 'f1' } },
        ],
      };
      const sent: any[] = [];
      await page.route('**/api/console', async (route) => {
        const body = route.request().postDataJSON();
        sent.push(body);
        const activities = body.text === 'тестовая карточка' ? [{ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] }] : [{ type: 'message', text: 'принято' }];
        await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ activities }) });
      });
      await say(page, 'тестовая карточка');
      const shown = lastCard(page);
      const sentAfter = async (act: () => Promise<void>) => {
        const before = sent.length;
        await act();
        await page.waitForFunction(() => (document.getElementById('typing') as HTMLElement).hidden);
        for (let i = 0; i < 50 && sent.length === before; i++) await page.waitForTimeout(20);
        return sent.slice(before);
      };

      // A required input left empty: the card says so and nothing is sent (as in Teams).
      expect(await sentAfter(() => shown.getByRole('button', { name: 'Отправить форму' }).click())).to.deep.equal([]);
      await shown.getByLabel('ФИО клиента').fill('Иванов Иван');
      await shown.getByLabel('Телефон').fill('+7 900 000-00-00');

      const [form] = await sentAfter(() => shown.getByRole('button', { name: 'Отправить форму' }).click());
      expect(form.value).to.deep.equal({ action: 'form', formId: 'f1', fio: 'Иванов Иван', city: 'Москва', phone: '+7 900 000-00-00' });
      expect(form.text).to.equal(undefined);
      expect(form.conversationId).to.match(/^console-/);
      expect(await page.locator('#messages .msg-user .msg-text').last().innerText()).to.equal('Отправить форму');

      const [option] = await sentAfter(() => shown.getByRole('button', { name: 'Вариант А' }).click());
      expect(option.value).to.deep.equal({ action: 'answer', optionId: 'a', fio: 'Иванов Иван', city: 'Москва', phone: '+7 900 000-00-00' });
      expect(await page.locator('#messages .msg-user .msg-text').last().innerText()).to.equal('Вариант А');

      await shown.getByRole('button', { name: 'Комментарий' }).click();
      await shown.getByRole('textbox', { name: 'Комментарий' }).fill('Ответ не подошёл');
      const [inner] = await sentAfter(() => shown.getByRole('button', { name: 'Отправить комментарий' }).click());
      expect(inner.value).to.deep.equal({ action: 'feedback', comment: 'Ответ не подошёл', fio: 'Иванов Иван', city: 'Москва', phone: '+7 900 000-00-00' });

      expect(problems).to.deep.equal([]);
    } finally {
      await page.context().close();
    }
  });

  it('says in the page why the console is off when the bot has a MicrosoftAppId', async () => {
    const secured = await startApp({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret' });
    try {
      const { page } = await openConsole(running.browser, secured.url);
      try {
        const alert = page.getByRole('alert');
        await alert.waitFor();
        expect(await alert.innerText()).to.include('Ошибка 403').and.include('CONSOLE_ENABLED=true');
      } finally {
        await page.context().close();
      }
    } finally {
      await secured.close();
    }
  });

  it('shows network and HTTP errors in the page instead of swallowing them', async () => {
    const { page } = await openConsole(running.browser, running.app.url);
    try {
      await page.waitForSelector('#messages .msg-card');
      // The server refuses the request (here: forced to 500).
      await page.route('**/api/console', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'turn_failed', message: 'тестовый сбой' }) }));
      await page.locator('#input').fill('темы');
      await page.locator('#input').press('Enter');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.innerText()).to.include('Ошибка 500: тестовый сбой');
      // The network is down.
      await page.unroute('**/api/console');
      await page.route('**/api/console', (route) => route.abort('connectionrefused'));
      await page.locator('#input').fill('темы');
      await page.locator('#input').press('Enter');
      await page.waitForFunction(() => /Сервер недоступен/.test(document.getElementById('error')!.textContent ?? ''));
      await page.unroute('**/api/console');
      // Back to normal: the next answer clears the error.
      await say(page, 'темы');
      expect(await page.locator('#error').isHidden()).to.equal(true);
    } finally {
      await page.context().close();
    }
  });
});
