import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startApp } from './http.js';
import { repoRoot } from './kb.js';

/** Debian's Chromium (CI installs it with apt; never a browser download). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Chromium and the bot (on embedded defaults, 127.0.0.1) for the tests of one describe block:
 * started before them and closed after. Read `browser` and `app` inside the tests.
 */
export function chromiumAndBot(): { browser: Browser; app: Awaited<ReturnType<typeof startApp>> } {
  const running = {} as ReturnType<typeof chromiumAndBot>;
  before(async () => {
    running.browser = await launchChromium();
    running.app = await startApp();
  });
  after(async () => {
    await running.browser?.close();
    await running.app?.close();
  });
  return running;
}

/** Where screenshots go (git-ignored). */
export function resultsDir(): string {
  const dir = resolve(repoRoot, 'test-results');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface ConsolePage {
  page: Page;
  /** Browser console errors, uncaught page errors and failed requests seen so far. */
  problems: string[];
}

/** Opens the web console in a fresh browser context (its own sessionStorage) and waits until it is ready. */
export async function openConsole(browser: Browser, url: string, viewport = { width: 1280, height: 800 }): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport, locale: 'ru-RU' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/api/console')) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]');
  return { page, problems };
}

/** Bot messages on screen, in order. */
export const botMessages = (page: Page): Locator => page.locator('#messages .msg-bot');

/** Turns the console has answered so far. */
const answeredTurns = (page: Page): Promise<number> => page.evaluate(() => Number(document.getElementById('messages')!.dataset.turns ?? 0));

/** Waits until the number of bot messages exceeds `before` and no request is pending. */
export async function waitForReplies(page: Page, before: number): Promise<void> {
  await page.waitForFunction(
    (n) => document.querySelectorAll('#messages .msg-bot').length > n && (document.getElementById('typing') as HTMLElement).hidden,
    before,
  );
}

/** Waits until the console has answered more than `before` turns (a card updated in place adds no message) and nothing is pending. */
async function waitForAnswer(page: Page, before: number): Promise<void> {
  await page.waitForFunction((n) => Number(document.getElementById('messages')!.dataset.turns ?? 0) > n && (document.getElementById('typing') as HTMLElement).hidden, before);
}

/** Types `text` into the composer and presses Enter; resolves when the replies are shown. */
export async function say(page: Page, text: string): Promise<void> {
  const before = await botMessages(page).count();
  await page.locator('#input').fill(text);
  await page.locator('#input').press('Enter');
  await waitForReplies(page, before);
}

/** The latest Adaptive Card on screen. */
export const lastCard = (page: Page): Locator => page.locator('#messages .msg-card').last();

/** Clicks the choice or button titled `title` on `card` (as a user would); resolves when the answer is shown (new messages, or the card updated in place). */
export async function click(page: Page, card: Locator, title: string): Promise<void> {
  const before = await answeredTurns(page);
  await card.getByRole('button', { name: title, exact: true }).click();
  await waitForAnswer(page, before);
}
