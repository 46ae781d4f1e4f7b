import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import { exportJWK, SignJWT } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { cardOf, clickData } from '../support/cards.js';
import { launchChromium, resultsDir } from '../support/browser.js';
import { startApp, turn } from '../support/http.js';

const TOKEN = 'leads-api-token-for-the-tab-test-0123456789';
const OPERATOR = { id: '29:operator-tab', name: 'Ольга <img src=x onerror="window.hacked=1">' };
const COMMENT = 'Категория не та <script>window.hacked=2</script> — проверьте';

/** A raw GET, so the path reaches the server exactly as written (fetch would normalise «..»). */
function rawGet(url: string, path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser: the team leads’ tab in Chromium (plain browser, API token)', function () {
  this.timeout(60_000);
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
    await walk('tab-2', 'Closed — клиент не согласен с решением', 'BackOffice Сохранения');
    const flagged = await walk('tab-3', 'Closed — клиент не согласен с решением', 'BackOffice Сохранения');
    await turn(app.url, 'tab-3', { value: { ...clickData(flagged, 'Отправить тимлиду'), comment: COMMENT } }, OPERATOR);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openTab(viewport = { width: 1366, height: 900 }): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request: ${r.url()} ${r.failure()?.errorText}`));
    await page.goto(`${app.url}/tab/`);
    return { page, problems };
  }

  async function signIn(page: Page, token = TOKEN) {
    await page.getByLabel('Токен API').fill(token);
    await page.getByRole('button', { name: 'Войти' }).click();
  }

  it('asks for the API token, then shows the decisions a dialog produced, the detail with its citation, and the chart', async () => {
    const { page, problems } = await openTab();
    try {
      expect(await page.locator('html').getAttribute('lang')).to.equal('ru');
      expect(await page.getByRole('heading', { name: 'Вход' }).isVisible()).to.equal(true);
      await signIn(page);

      const rows = page.locator('#table tbody tr');
      await rows.first().waitFor();
      expect(await rows.count()).to.equal(3);
      expect(await page.locator('#range').textContent()).to.equal('1–3 из 3');
      const firstRow = await rows.first().locator('td').allTextContents();
      expect(firstRow.slice(1)).to.deep.equal([OPERATOR.name, 'Вопрос абонента по ранее созданному CASE', 'Перевод на линию', 'Переключите клиента на линию Сохранения', 'ждёт проверки']);
      // The queue's count arrives with its own request: wait for it rather than read it mid-load.
      await page.waitForFunction(() => document.querySelector('#queue-count')?.textContent !== '', undefined, { timeout: 10_000 });
      expect(await page.locator('#queue-count').textContent()).to.equal('1');

      // The chart: one bar for the procedure, split by outcome kind, with a legend.
      await page.locator('#chart svg rect[data-kind]').first().waitFor();
      expect(await page.locator('#chart svg rect[data-kind="transfer"]').count()).to.equal(1);
      expect(await page.locator('#chart svg rect[data-kind="phrase"]').count()).to.equal(1);
      expect(await page.locator('#chart svg text.value').allTextContents()).to.deep.equal(['3']);
      expect(await page.locator('#chart svg text.legend').allTextContents()).to.have.members(['Перевод на линию', 'Стандартная фраза']);
      expect(await page.locator('#chart-note').textContent()).to.equal('Всего решений за 7 дней: 3.');

      await rows.first().click();
      const detail = page.locator('#detail');
      await detail.getByRole('heading', { name: 'Переключите клиента на линию Сохранения' }).waitFor();
      expect(await detail.locator('.path li').allTextContents()).to.deep.equal([
        'В каком состоянии кейс клиента? → Closed — клиент не согласен с решением',
        'Какая категория у кейса? → BackOffice Сохранения',
      ]);
      const citations = await detail.locator('blockquote.citation').allTextContents();
      expect(citations.some((c) => /^«.*переключаем на линию Сохранения\.»001_30f17cc54f05e2fd\.txt$/s.test(c)), citations.join('\n')).to.equal(true);
      expect(await detail.locator('.comment').first().textContent()).to.equal(COMMENT);
      expect(await detail.getByText('Ждёт проверки: оператор отметил ответ как неверный').isVisible()).to.equal(true);
      // Names and comments are text: nothing they contain ran.
      expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).to.equal(undefined);
      expect(await page.locator('#detail img, #table img').count()).to.equal(0);

      await page.screenshot({ path: join(resultsDir(), 'tab.png'), fullPage: true });
      expect(problems).to.deep.equal([]);
    } finally {
      await page.context().close();
    }
  });

  it('filters by kind and dates, shows the review queue, and downloads the CSV', async () => {
    const { page, problems } = await openTab({ width: 1024, height: 768 });
    try {
      await signIn(page);
      const rows = page.locator('#table tbody tr');
      await rows.first().waitFor();
      await page.getByLabel('Тип').selectOption('phrase');
      await page.getByRole('button', { name: 'Показать' }).click();
      await page.waitForFunction(() => document.querySelectorAll('#table tbody tr').length === 1);
      expect(await rows.first().locator('td').nth(3).textContent()).to.equal('Стандартная фраза');

      // Two days ahead: a day after every decision in the browser's zone and in the bot's (Moscow) zone alike.
      const tomorrow = new Date(Date.now() + 2 * 86_400_000);
      const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
      await page.getByLabel('Тип').selectOption('');
      await page.getByLabel('С', { exact: true }).fill(day);
      await page.getByRole('button', { name: 'Показать' }).click();
      await page.getByText('Решений с такими условиями нет.').waitFor();
      await page.getByRole('button', { name: 'Сбросить' }).click();
      await page.waitForFunction(() => document.querySelectorAll('#table tbody tr').length === 3);

      await page.getByRole('button', { name: /^Проверка/ }).click();
      await page.waitForFunction(() => document.querySelectorAll('#table tbody tr').length === 1);
      expect(await page.locator('#list-title').textContent()).to.equal('Проверка: ответы, отмеченные как неверные');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Скачать CSV' }).click()]);
      const csv = readFileSync((await download.path())!);
      expect([...csv.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const lines = csv.toString('utf8').slice(1).trimEnd().split('\r\n');
      expect(lines[0]).to.match(/^Время;Оператор;/);
      expect(lines).to.have.length(2);
      expect(lines[1]).to.include('Переключите клиента на линию Сохранения');
      // Nothing sideways at laptop width.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).to.equal(true);
      expect(problems).to.deep.equal([]);
    } finally {
      await page.context().close();
    }
  });

  it('refuses a wrong token in the page and keeps asking', async () => {
    const { page } = await openTab();
    try {
      await signIn(page, 'not-the-token-not-the-token-not-the-token');
      await page.locator('#login-error').getByText('Неверный токен или вход не выполнен.').waitFor();
      expect(await page.locator('#main').isHidden()).to.equal(true);
      expect(await page.evaluate(() => sessionStorage.getItem('leadsApiToken'))).to.equal(null);
    } finally {
      await page.context().close();
    }
  });

  it('serves the tab under /tab/ with TeamsJS from /vendor/, and nothing beside them', async () => {
    const redirect = await rawGet(app.url, '/tab');
    expect(redirect.status).to.equal(301);
    expect(redirect.headers.location).to.equal('/tab/');
    const page = await rawGet(app.url, '/tab/');
    expect(page.status).to.equal(200);
    expect(String(page.headers['content-security-policy'])).to.include("frame-ancestors 'self' https://teams.microsoft.com");
    const teams = await rawGet(app.url, '/vendor/teams-js/MicrosoftTeams.min.js');
    expect(teams.status).to.equal(200);
    expect(teams.headers['content-type']).to.equal('text/javascript; charset=utf-8');
    expect(teams.body).to.include('authentication');
    for (const path of ['/tab/../package.json', '/tab/%2e%2e/package.json', '/tab/..%2f..%2fpackage.json', '/tab/%2e%2e%2f%2e%2e%2f.env', '/tab/nope.html', '/tab/%E0%A4%A'])
      expect((await rawGet(app.url, path)).status, path).to.equal(404);
  });
});

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
