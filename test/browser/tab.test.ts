import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import { exportJWK, SignJWT } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { cardOf, clickData } from '../support/cards.js';
import { launchChromium, resultsDir } from '../support/browser.js';
import { rawRequest, startApp, turn } from '../support/http.js';

const TOKEN = 'leads-api-token-for-the-tab-test-0123456789';
const OPERATOR = { id: '29:operator-tab', name: 'Ольга <img src=x onerror="window.hacked=1">' };
const COMMENT = 'Категория не та <script>window.hacked=2</script> — проверьте';
const PETR = { id: '29:operator-petr', name: 'Пётр Семёнов' };
const INAUDIBLE = 'клиента не слышно, фразы сказал 3 раза, все равно не слышно';
const GAPS = ['как оформить доставку пиццы в офис', 'как оформить доставку пиццы клиенту в офис'];
const NOTE = 'Категория выбрана верно, ответ правильный';
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 400, height: 800 };

/** A raw GET, so the path reaches the server exactly as written (fetch would normalise «..»). */
describe('browser: the team leads’ tab in Chromium (plain browser, API token)', function () {
  this.timeout(90_000);
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startApp>>;

  /** Walks case-repeat-inquiry to an outcome card as an operator would. */
  async function walk(conversation: string, first: string, second: string) {
    let replies = await turn(app.url, conversation, { value: { action: 'start', procedureId: 'case-repeat-inquiry' } }, OPERATOR);
    replies = await turn(app.url, conversation, { value: clickData(cardOf(replies[replies.length - 1]), first) }, OPERATOR);
    replies = await turn(app.url, conversation, { value: clickData(cardOf(replies[replies.length - 1]), second) }, OPERATOR);
    return cardOf(replies[replies.length - 1]);
  }

  before(async () => {
    browser = await launchChromium();
    app = await startApp({ LEADS_API_TOKEN: TOKEN });
    await walk('tab-1', 'Open', 'Да');
    const undelivered = await walk('tab-2', 'Closed — клиент не согласен с решением', 'BackOffice Сохранения');
    // As a turn whose state save failed after logging marks it (test/http/delivery.test.ts makes one).
    await app.decisions.markDelivery({ decisionId: clickData(undelivered, '👍 Помогло').decisionId as string, at: new Date().toISOString(), delivery: 'undelivered', reason: 'state save failed' });
    const flagged = await walk('tab-3', 'Closed — клиент не согласен с решением', 'BackOffice Сохранения');
    await turn(app.url, 'tab-3', { value: { ...clickData(flagged, 'Отправить тимлиду'), comment: COMMENT } }, OPERATOR);
    // Another operator: the answer taken from the message, and «помогло».
    const told = await turn(app.url, 'tab-4', INAUDIBLE, PETR);
    await turn(app.url, 'tab-4', { value: clickData(cardOf(told[told.length - 1]), '👍 Помогло') }, PETR);
    // A dialog left at its second question.
    const left = await turn(app.url, 'tab-5', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } }, PETR);
    await turn(app.url, 'tab-5', { value: clickData(cardOf(left[left.length - 1]), 'Open') }, PETR);
    await turn(app.url, 'tab-5', 'отмена', PETR);
    // What the bot could not answer: the same question twice in other words.
    for (const [i, text] of GAPS.entries()) await turn(app.url, `tab-gap-${i}`, text, PETR);
    // An answer taken from the message that the operator changed.
    const read = await turn(app.url, 'tab-6', 'кл звонит повторно по кейсу, кейс в статусе опен', PETR);
    await turn(app.url, 'tab-6', { value: clickData(cardOf(read[read.length - 1]), 'Изменить: Open') }, PETR);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openTab(viewport: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'ru-RU', timezoneId: 'Asia/Vladivostok' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    await page.goto(`${app.url}/tab/`);
    return { page, problems };
  }

  async function signIn(page: Page, token = TOKEN) {
    await page.getByLabel('Токен API').fill(token);
    await page.getByRole('button', { name: 'Войти' }).click();
  }

  const rowsOf = (page: Page) => page.locator('#table tbody tr');
  const waitForRows = (page: Page, n: number) => page.waitForFunction((count) => document.querySelectorAll('#table tbody tr').length === count, n);
  const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  /** How every view ends: nothing scrolls sideways, a screenshot, no browser problem. */
  async function settled(page: Page, problems: string[], name: string) {
    expect(await noSidewaysScroll(page)).to.equal(true);
    await page.screenshot({ path: join(resultsDir(), `${name}.png`), fullPage: true });
    expect(problems).to.deep.equal([]);
  }
  const view = (page: Page, name: RegExp) => page.getByRole('navigation', { name: 'Разделы' }).getByRole('button', { name });

  for (const viewport of [WIDE, NARROW]) {
    const size = `${viewport.width}`;

    it(`at ${size}×800: the decisions list first, each row with who, what, the path and the verdict, in the bot's zone; filters by name, title and verdict`, async () => {
      const { page, problems } = await openTab(viewport);
      try {
        expect(await page.locator('html').getAttribute('lang')).to.equal('ru');
        await signIn(page);
        const rows = rowsOf(page);
        await rows.first().waitFor();
        expect(await rows.count()).to.equal(4);
        expect(await page.locator('#list-range').textContent()).to.equal('1–4 из 4');
        expect(await page.locator('#zone').textContent()).to.equal('Время — по часовому поясу Europe/Moscow');

        const inaudible = rows.filter({ hasText: PETR.name });
        const cells = await inaudible.locator('td').allInnerTexts();
        // The browser runs in Vladivostok: the time is Moscow's, as on the bot's cards.
        const moscow = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
        const at = await page.evaluate(async (token) => (await (await fetch('/api/decisions?limit=1', { headers: { Authorization: `Bearer ${token}` } })).json()).items[0].at, TOKEN);
        const text = cells.map((c) => c.replace(/\s+/g, ' ').trim()).join(' | ');
        expect(text).to.include(moscow.format(new Date(at)));
        expect(text).to.include('Клиента не слышно');
        expect(text).to.include('Фразы сказаны 2–3 раза — клиента всё равно не слышно из сообщения');
        expect(text).to.include('Помогло');
        // How the procedure was chosen: the search found this one; the others were started from a topic's card.
        expect(text).to.include('Поиск: правила');
        const flagged = await rows.filter({ hasText: 'ждёт проверки' }).locator('td').allInnerTexts();
        expect(flagged.join(' | ')).to.include(OPERATOR.name).and.include('Вопрос абонента по ранее созданному CASE').and.include('Closed — клиент не согласен с решением → BackOffice Сохранения').and.include('Ответ неверный').and.include('Выбрал оператор');

        // The list's top is on the first screen at laptop width: no chart above it.
        if (viewport === WIDE) {
          const top = await rows.first().evaluate((r) => r.getBoundingClientRect().bottom);
          expect(top).to.be.below(viewport.height);
          expect(await page.locator('canvas:visible').count()).to.equal(0);
        } else {
          // At phone width each decision is a card of labelled lines.
          expect(await rows.first().locator('td').first().evaluate((td) => getComputedStyle(td, '::before').content)).to.equal('"Время"');
        }
        // The decision whose card never reached the operator says so on its row, and no other row does.
        const undelivered = rows.filter({ hasText: 'не доставлено' });
        expect(await undelivered.count()).to.equal(1);
        const marker = undelivered.getByText('не доставлено', { exact: true });
        expect(await marker.isVisible()).to.equal(true);
        expect(await marker.getAttribute('title')).to.equal('Ход оператора не завершился: карточку с этим решением он не получил');
        const box = (await marker.boundingBox())!;
        expect(box.x + box.width).to.be.at.most(viewport.width);
        expect(await undelivered.innerText()).to.include(OPERATOR.name).and.include('BackOffice Сохранения').and.not.include('ждёт проверки');
        expect(await noSidewaysScroll(page)).to.equal(true);
        await page.screenshot({ path: join(resultsDir(), `tab-decisions-${size}.png`), fullPage: true });

        // A part of a person's name, in another case and with е for ё, narrows the list to that person.
        await page.locator('#filters').getByLabel('Оператор').fill('петр');
        await page.locator('#filters').getByRole('button', { name: 'Показать' }).click();
        await waitForRows(page, 1);
        expect(await rows.first().innerText()).to.include(PETR.name);
        await page.locator('#filters').getByRole('button', { name: 'Сбросить' }).click();
        await waitForRows(page, 4);
        // The procedure picker offers titles, and a part of one works.
        expect(await page.locator('#procedures option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).to.have.members(['Вопрос абонента по ранее созданному CASE', 'Клиента не слышно']);
        await page.locator('#filters').getByLabel('Процедура').fill('ранее созданному');
        await page.locator('#filters').getByLabel('Отзыв').selectOption({ label: 'Ответ неверный' });
        await page.locator('#filters').getByRole('button', { name: 'Показать' }).click();
        await waitForRows(page, 1);
        expect(await rows.first().innerText()).to.include('ждёт проверки');
        await page.locator('#filters').getByLabel('Отзыв').selectOption({ label: 'Без отзыва' });
        await page.locator('#filters').getByRole('button', { name: 'Показать' }).click();
        await waitForRows(page, 2);
        // Only the decisions whose procedure the search's rules chose.
        await page.locator('#filters').getByRole('button', { name: 'Сбросить' }).click();
        await waitForRows(page, 4);
        await page.locator('#filters').getByLabel('Как выбрана').selectOption({ label: 'Поиск: правила' });
        await page.locator('#filters').getByRole('button', { name: 'Показать' }).click();
        await waitForRows(page, 1);
        expect(await rows.first().innerText()).to.include(PETR.name);

        // A period that ends before it starts is refused at the field, in Russian, and the list stays.
        await page.locator('#filters').getByRole('button', { name: 'Сбросить' }).click();
        await waitForRows(page, 4);
        await page.locator('#filters').getByLabel('С', { exact: true }).fill('2026-11-20');
        await page.locator('#filters').getByLabel('По', { exact: true }).fill('2026-11-10');
        await page.locator('#filters').getByRole('button', { name: 'Показать' }).click();
        expect(await page.locator('#f-to').evaluate((e) => (e as HTMLInputElement).validationMessage)).to.equal('Дата «По» раньше даты «С».');
        expect(await rows.count()).to.equal(4);

        // The detail: path, citation and the operator's comment, as text.
        await page.locator('#filters').getByRole('button', { name: 'Сбросить' }).click();
        await rows.filter({ hasText: 'ждёт проверки' }).click();
        const detail = page.locator('#detail');
        await detail.getByRole('heading', { name: 'Переключите клиента на линию Сохранения' }).waitFor();
        expect(await detail.locator('.path li').allTextContents()).to.deep.equal([
          'В каком состоянии кейс клиента? → Closed — клиент не согласен с решением',
          'Какая категория у кейса? → BackOffice Сохранения',
        ]);
        const citations = await detail.locator('blockquote.citation').allTextContents();
        expect(citations.some((c) => /^«.*переключаем на линию Сохранения\.»001_30f17cc54f05e2fd\.txt$/s.test(c)), citations.join('\n')).to.equal(true);
        expect(await detail.locator('.comment').first().textContent()).to.equal(COMMENT);
        expect(await detail.locator('.facts').innerText()).to.match(/Как выбрана процедура\s+Выбрал оператор/);
        // Names and comments are text: nothing they contain ran.
        expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).to.equal(undefined);
        expect(await page.locator('#detail img, #table img').count()).to.equal(0);
        await settled(page, problems, `tab-detail-${size}`);

        // Its detail says it in a sentence.
        await rows.filter({ hasText: 'не доставлено' }).click();
        await detail.getByText('Не доставлено: ход оператора не завершился, карточку с этим решением он не получил').waitFor();
        expect(await detail.getByText('Не доставлено: ход оператора не завершился, карточку с этим решением он не получил').isVisible()).to.equal(true);
        await settled(page, problems, `tab-undelivered-${size}`);
      } finally {
        await page.context().close();
      }
    });
  }

  it('downloads the CSV with the filters on screen', async () => {
    const { page, problems } = await openTab(WIDE);
    try {
      await signIn(page);
      await rowsOf(page).first().waitFor();
      await page.locator('#filters').getByLabel('Отзыв').selectOption({ label: 'Ответ неверный' });
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#filters').getByRole('button', { name: 'Скачать CSV' }).click()]);
      const csv = readFileSync((await download.path())!);
      expect([...csv.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const lines = csv.toString('utf8').slice(1).trimEnd().split('\r\n');
      expect(lines[0]).to.match(/^Время;Оператор;/);
      expect(lines).to.have.length(2);
      expect(lines[1]).to.include('Переключите клиента на линию Сохранения');
      // The list shows the same one.
      await waitForRows(page, 1);
      expect(problems).to.deep.equal([]);
    } finally {
      await page.context().close();
    }
  });

  it('shows the flagged answer in «Проверка» with the comment and the card the operator saw, and saves a review made there, with who and when', async () => {
    const { page, problems } = await openTab(NARROW);
    try {
      await signIn(page);
      await rowsOf(page).first().waitFor();
      await page.waitForFunction(() => document.querySelector('#queue-count')?.textContent === '1');
      await view(page, /^Проверка/).click();
      const item = page.locator('#review-list .review-item');
      await item.first().waitFor();
      expect(await item.count()).to.equal(1);
      expect(await item.locator('.tag').first().textContent()).to.equal('ждёт проверки');
      expect(await item.locator('.comment').first().textContent()).to.equal(COMMENT);
      expect(await item.locator('.path li').count()).to.equal(2);
      expect((await item.locator('blockquote.citation').allTextContents()).join('\n')).to.include('переключаем на линию Сохранения.');
      // The card as the operator saw it, drawn by the Adaptive Cards renderer.
      const card = item.locator('.seen-card .ac-adaptiveCard');
      await card.waitFor();
      expect(await card.getByText('Переключите клиента на линию Сохранения', { exact: true }).count()).to.be.greaterThan(0);
      expect(await noSidewaysScroll(page)).to.equal(true);
      await page.screenshot({ path: join(resultsDir(), 'tab-review-400.png'), fullPage: true });

      await item.getByLabel('Примечание к проверке').fill(NOTE);
      await item.getByRole('button', { name: 'Отметить проверенным' }).click();
      const review = page.locator('#review-list .review-item .reviews li');
      await review.first().waitFor();
      expect(await review.first().innerText()).to.match(new RegExp(`^Проверено API, \\d{2}\\.\\d{2}\\.\\d{4}, \\d{2}:\\d{2}\\s+${NOTE}$`));
      // Reviewed is its own mark, not the green of «помогло».
      const reviewed = page.locator('#review-list .review-item .item-head .tag');
      expect(await reviewed.textContent()).to.equal('проверено');
      // A string, not a function: the test's TypeScript transform would add helpers the page does not have.
      const colours = (await page.evaluate(`(() => {
        const probe = (cls) => {
          const span = document.createElement('span');
          span.className = cls;
          document.body.append(span);
          const colour = getComputedStyle(span).backgroundColor;
          span.remove();
          return colour;
        };
        return { reviewed: probe('tag reviewed'), helpful: probe('tag ok') };
      })()`)) as { reviewed: string; helpful: string };
      expect(await reviewed.evaluate((e) => getComputedStyle(e).backgroundColor)).to.equal(colours.reviewed);
      expect(colours.reviewed).to.not.equal(colours.helpful);
      await page.waitForFunction(() => document.querySelector('#queue-count')?.textContent === '');

      // Still in the queue of its period when asked for reviewed ones, and kept by the log.
      await page.locator('#review-filters').getByLabel('Проверка').selectOption({ label: 'проверенные' });
      await page.locator('#review-filters').getByRole('button', { name: 'Показать' }).click();
      await page.waitForFunction(() => document.querySelectorAll('#review-list .review-item .reviews li').length === 1);
      const stored = await page.evaluate(async (token) => (await (await fetch('/api/decisions?reviewed=true', { headers: { Authorization: `Bearer ${token}` } })).json()).items[0].reviews, TOKEN);
      expect(stored.map((r: { by: { name: string }; note: string }) => [r.by.name, r.note])).to.deep.equal([['API', NOTE]]);
      await page.screenshot({ path: join(resultsDir(), 'tab-reviewed-400.png'), fullPage: true });

      await page.setViewportSize(WIDE);
      await page.screenshot({ path: join(resultsDir(), 'tab-review-1280.png'), fullPage: true });
      expect(problems).to.deep.equal([]);
    } finally {
      await page.context().close();
    }
  });

  for (const viewport of [WIDE, NARROW]) {
    const size = `${viewport.width}`;

    it(`at ${size}×800: «Пробелы» shows what the bot could not answer or read wrong, grouped with counts, and downloads it as CSV`, async () => {
      const { page, problems } = await openTab(viewport);
      try {
        await signIn(page);
        await rowsOf(page).first().waitFor();
        await view(page, /^Пробелы/).click();
        // The view holds both what went unanswered and what the bot read wrong from a message.
        expect(await page.locator('#view-gaps h2').textContent()).to.equal('Пробелы: что бот не смог ответить или понял из сообщения неверно');
        const group = page.locator('.gap-group').filter({ hasText: GAPS[0] });
        await group.first().waitFor();
        expect(await group.locator('.count').textContent()).to.equal('2');
        expect(await group.locator('.examples q').allTextContents()).to.have.members(GAPS);
        expect(await group.locator('.reasons').innerText()).to.equal('Нет в процедурах: 2');
        const corrected = page.locator('.gap-group').filter({ hasText: 'В каком состоянии кейс клиента: «опен» → «Open»' });
        expect(await corrected.locator('.reasons').innerText()).to.equal('Исправлен ответ из сообщения: 1');
        expect(await noSidewaysScroll(page)).to.equal(true);
        await page.screenshot({ path: join(resultsDir(), `tab-gaps-${size}.png`), fullPage: true });
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#gaps-filters').getByRole('button', { name: 'Скачать CSV' }).click()]);
        const csv = readFileSync((await download.path())!).toString('utf8');
        expect(csv.charCodeAt(0)).to.equal(0xfeff);
        expect(csv).to.include(GAPS[0]);
        expect(problems).to.deep.equal([]);
      } finally {
        await page.context().close();
      }
    });

    it(`at ${size}×800: «Аналитика» draws the charts and, for one procedure, its steps and its map with counts`, async () => {
      const { page, problems } = await openTab(viewport);
      try {
        await signIn(page);
        await rowsOf(page).first().waitFor();
        await view(page, /^Аналитика/).click();
        await page.getByText('Решений за период: 4.').waitFor();
        for (const id of ['chart-days', 'chart-procedures', 'chart-outcomes'])
          expect(await drawnPixels(page, id), id).to.be.greaterThan(100);
        // The days chart has the kinds stacked: one dataset per kind that occurs.
        expect(await page.evaluate(() => (window as any).Chart.getChart('chart-days').data.datasets.map((d: { label: string }) => d.label))).to.have.members(['Перевод на линию', 'Стандартная фраза', 'Действия']);

        await page.locator('#funnel').getByLabel('Процедура').selectOption({ label: 'Вопрос абонента по ранее созданному CASE (3)' });
        await page.getByText('Начато диалогов: 4; дошли до результата: 3; ушли, не дойдя до результата: 1.').waitFor();
        expect(await drawnPixels(page, 'chart-funnel')).to.be.greaterThan(100);
        const first = page.locator('.funnel-node').first();
        expect(await first.locator('strong').textContent()).to.equal('В каком состоянии кейс клиента?');
        expect(await first.locator('.options li').allInnerTexts()).to.include.members(['2 Open', '2 Closed — клиент не согласен с решением']);
        // Where the operator left: the question after «Open».
        expect(await page.locator('.funnel-node').filter({ hasText: 'ушли 1' }).locator('strong').allTextContents()).to.deep.equal(['Сроки решения истекли или клиент настаивает на решении вопроса сейчас?']);
        await page.waitForFunction(() => (document.getElementById('funnel-map') as HTMLImageElement).naturalWidth > 0);
        await settled(page, problems, `tab-stats-${size}`);
      } finally {
        await page.context().close();
      }
    });
  }

  it('refuses a wrong token in the page and keeps asking', async () => {
    const { page } = await openTab(WIDE);
    try {
      await signIn(page, 'not-the-token-not-the-token-not-the-token');
      await page.locator('#login-error').getByText('Неверный токен или вход не выполнен.').waitFor();
      expect(await page.locator('#main').isHidden()).to.equal(true);
      expect(await page.evaluate(() => sessionStorage.getItem('leadsApiToken'))).to.equal(null);
    } finally {
      await page.context().close();
    }
  });

  it('serves the tab under /tab/ with its bundles from /vendor/, and nothing beside them', async () => {
    const redirect = await rawRequest(app.url, 'GET', '/tab');
    expect(redirect.status).to.equal(301);
    expect(redirect.headers.location).to.equal('/tab/');
    const page = await rawRequest(app.url, 'GET', '/tab/');
    expect(page.status).to.equal(200);
    expect(String(page.headers['content-security-policy'])).to.include("frame-ancestors 'self' https://teams.microsoft.com").and.include("script-src 'self';");
    for (const [path, marker] of [
      ['/vendor/teams-js/MicrosoftTeams.min.js', 'authentication'],
      ['/vendor/chart.js/chart.umd.min.js', 'Chart'],
      ['/vendor/adaptivecards/adaptivecards.min.js', 'AdaptiveCard'],
      ['/tab/cards/render.js', 'renderCard'],
    ]) {
      const file = await rawRequest(app.url, 'GET', path);
      expect(file.status, path).to.equal(200);
      expect(file.headers['content-type'], path).to.equal('text/javascript; charset=utf-8');
      expect(file.text, path).to.include(marker);
    }
    for (const path of ['/tab/../package.json', '/tab/%2e%2e/package.json', '/tab/..%2f..%2fpackage.json', '/tab/%2e%2e%2f%2e%2e%2f.env', '/tab/nope.html', '/tab/%E0%A4%A', '/tab/cards/console.js', '/tab/cards/..%2f..%2fpackage.json', '/vendor/chart.js/package.json'])
      expect((await rawRequest(app.url, 'GET', path)).status, path).to.equal(404);
  });
});

/** How many pixels of a canvas are painted: Chart.js drew something, not an empty box. */
function drawnPixels(page: Page, id: string): Promise<number> {
  return page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  }, id);
}

/**
 * Teams mobile loads the tab without a frame, in a web view that gives the page a native bridge
 * (`window.nativeInterface`; replies come back through `window.onNativeMessage`). This stands in for
 * that host and lets the page's real TeamsJS talk to it; the bot checks the SSO token against a
 * key set on 127.0.0.1, as in test/http/decisions.test.ts.
 */
describe('browser: the tab in Teams mobile (no frame, SSO over the native bridge)', function () {
  this.timeout(60_000);
  const clientId = '44444444-4444-4444-8444-444444444444';
  const tenantId = '55555555-5555-4555-8555-555555555555';
  const LEAD = { oid: '77777777-7777-4777-8777-777777777777', name: 'Ирина Руководитель' };
  const NOT_LEAD = { oid: '66666666-6666-4666-8666-666666666666', name: 'Олег Оператор' };
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let jwks: Server;
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startApp>>;

  before(async () => {
    const jwk = { ...(await exportJWK(key.publicKey)), kid: 'k1', use: 'sig', alg: 'RS256' };
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    app = await startApp({
      TEAM_LEADS: LEAD.oid,
      TAB_SSO_CLIENT_ID: clientId,
      TAB_SSO_TENANT_ID: tenantId,
      TAB_SSO_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`,
    });
    let replies = await turn(app.url, 'tab-sso-1', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } }, OPERATOR);
    replies = await turn(app.url, 'tab-sso-1', { value: clickData(cardOf(replies[replies.length - 1]), 'Open') }, OPERATOR);
    await turn(app.url, 'tab-sso-1', { value: clickData(cardOf(replies[replies.length - 1]), 'Да') }, OPERATOR);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await new Promise<void>((resolve) => jwks?.close(() => resolve()));
  });

  const ssoToken = (who: { oid: string; name: string }) =>
    new SignJWT({ tid: tenantId, oid: who.oid, name: who.name, iss: `https://login.microsoftonline.com/${tenantId}/v2.0`, aud: `api://bot.example.com/${clientId}` })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key.privateKey);

  /** Opens the tab as Teams mobile does: top level, the contentUrl of the manifest, the bridge in place. */
  async function openInTeamsMobile(host: { name: string; token?: string; refusal?: string }) {
    const context = await browser.newContext({ viewport: { width: 400, height: 800 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    // A string, not a function: the test's TypeScript transform would add helpers the page does not have.
    await context.addInitScript(`(() => {
      const host = ${JSON.stringify(host)};
      window.teamsCalls = [];
      window.nativeInterface = {
        framelessPostMessage(text) {
          const request = JSON.parse(text);
          window.teamsCalls.push(request.func);
          const reply = (args) => setTimeout(() => window.onNativeMessage({ data: { id: request.id, uuidAsString: request.uuidAsString, args } }));
          if (request.func === 'initialize') reply(['content', 'android', '2.0.0']);
          else if (request.func === 'getContext') reply([{ locale: 'ru-ru', frameContext: 'content', hostClientType: 'android', userDisplayName: host.name, tid: '${tenantId}' }]);
          else if (request.func === 'authentication.getAuthToken') reply(host.token ? [true, host.token] : [false, host.refusal]);
        },
      };
    })();`);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
    page.on('response', (r) => r.status() >= 400 && r.status() !== 403 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    await page.goto(`${app.url}/tab/?inTeams=1`);
    expect(await page.evaluate(() => window.parent === window)).to.equal(true);
    return { page, problems };
  }

  it('signs a team lead in with the Teams token and shows the decisions, with no token form', async () => {
    const { page, problems } = await openInTeamsMobile({ name: LEAD.name, token: await ssoToken(LEAD) });
    try {
      await page.locator('#table tbody tr').first().waitFor();
      expect(await page.locator('#table tbody tr').count()).to.equal(1);
      expect(await page.locator('#who').textContent()).to.equal(`Вы вошли через Teams: ${LEAD.name}`);
      expect(await page.locator('#login').isHidden()).to.equal(true);
      expect(await page.locator('#logout').isHidden()).to.equal(true);
      expect(await page.evaluate(() => (window as any).teamsCalls)).to.include.members(['initialize', 'getContext', 'authentication.getAuthToken']);
      expect(problems).to.deep.equal([]);
    } finally {
      await page.context().close();
    }
  });

  it('tells an operator plainly that the tab is for team leads, and shows nothing of the log', async () => {
    const { page, problems } = await openInTeamsMobile({ name: NOT_LEAD.name, token: await ssoToken(NOT_LEAD) });
    try {
      const panel = page.locator('#not-lead');
      await panel.getByRole('heading', { name: 'Эта вкладка — для руководителей групп' }).waitFor();
      expect(await panel.locator('#not-lead-who').textContent()).to.equal(`Вы вошли через Teams как ${NOT_LEAD.name}, но вас нет в списке руководителей групп.`);
      expect(await page.locator('#main').isHidden()).to.equal(true);
      expect(await page.locator('#login').isHidden()).to.equal(true);
      expect(await page.locator('#error').isHidden()).to.equal(true);
      await page.screenshot({ path: join(resultsDir(), 'tab-not-lead-400.png'), fullPage: true });
      expect(problems).to.deep.equal([]);
    } finally {
      await page.context().close();
    }
  });

  it('falls back to the token form with a clear reason when Teams refuses the sign-in', async () => {
    const { page } = await openInTeamsMobile({ name: LEAD.name, refusal: 'resourceRequiresConsent' });
    try {
      await page.getByRole('heading', { name: 'Вход' }).waitFor();
      expect(await page.locator('#login-note').textContent()).to.match(/^Не удалось войти через Teams \(resourceRequiresConsent\)\. Закройте и снова откройте вкладку\./);
      expect(await page.locator('#main').isHidden()).to.equal(true);
    } finally {
      await page.context().close();
    }
  });
});
