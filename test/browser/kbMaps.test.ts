import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { chromiumAndBot, resultsDir } from '../support/browser.js';
import { realKb } from '../support/kb.js';

/** What a page drew: the SVG's node titles (Graphviz writes each node id there), edge labels, hover texts, node classes. */
async function drawn(page: Page) {
  return page.evaluate(() => {
    const nodes = [...document.querySelectorAll('svg g.node')].map((g) => ({
      id: g.querySelector('title')?.textContent ?? '',
      classes: g.getAttribute('class') ?? '',
      tooltip: g.querySelector('a')?.getAttributeNS('http://www.w3.org/1999/xlink', 'title') ?? '',
      text: [...g.querySelectorAll('text')].map((t) => t.textContent).join(' '),
      box: (() => {
        const r = (g as SVGGraphicsElement).getBoundingClientRect();
        return { width: r.width, height: r.height };
      })(),
    }));
    const edges = [...document.querySelectorAll('svg g.edge')].map((g) => [...g.querySelectorAll('text')].map((t) => t.textContent).join(' '));
    return { nodes, edges };
  });
}

describe('browser: procedure maps (/kb) in Chromium', function () {
  this.timeout(120_000);
  const kb = realKb();
  const running = chromiumAndBot();

  for (const viewport of [{ width: 1280, height: 800 }, { width: 400, height: 800 }]) {
    it(`lists every procedure at /kb and opens its map (${viewport.width}×${viewport.height})`, async () => {
      const context = await running.browser.newContext({ viewport, locale: 'ru-RU' });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      try {
        await page.goto(`${running.app.url}/kb`);
        expect(await page.locator('h1').innerText()).to.equal('Карты процедур');
        const links = await page.locator('table a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
        expect(links).to.deep.equal(kb.procedures.map((p) => [p.title, `/kb/${p.id}`]));
        await page.screenshot({ path: join(resultsDir(), `kb-index-${viewport.width}.png`), fullPage: true });

        await page.getByRole('link', { name: kb.procedures[0].title, exact: true }).click();
        await page.waitForSelector('svg g.node');
        expect(await page.locator('h1').innerText()).to.equal(kb.procedures[0].title);
        await page.screenshot({ path: join(resultsDir(), `kb-map-${kb.procedures[0].id}-${viewport.width}.png`) });
        expect(problems).to.deep.equal([]);
      } finally {
        await context.close();
      }
    });
  }

  it('draws every node of every procedure, every option as a labelled edge, kinds and notCovered marked, citations on hover', async () => {
    const context = await running.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ru-RU' });
    const page = await context.newPage();
    try {
      for (const proc of kb.procedures) {
        await page.goto(`${running.app.url}/kb/${proc.id}`);
        const { nodes, edges } = await drawn(page);
        expect(nodes.map((n) => n.id).sort(), proc.id).to.deep.equal(Object.keys(proc.nodes).sort());
        for (const n of nodes) expect(n.box.width * n.box.height, `${proc.id}/${n.id} is drawn with a size`).to.be.greaterThan(0);
        const options = Object.values(proc.nodes).flatMap((n) => (n.type === 'question' ? n.options.map((o) => o.label) : n.type === 'check' ? Object.keys(n.cases) : []));
        expect(edges, proc.id).to.have.length(options.length);
        for (const label of options) {
          const firstWords = label.split(' ').slice(0, 2).join(' ');
          expect(edges.some((e) => e.replace(/\s+/g, ' ').includes(firstWords)), `${proc.id}: edge «${label}»`).to.equal(true);
        }
        for (const [id, node] of Object.entries(proc.nodes)) {
          const n = nodes.find((x) => x.id === id)!;
          if (node.type !== 'outcome') continue;
          expect(n.classes, `${proc.id}/${id}`).to.include(`kind-${node.kind}`);
          if (node.kind === 'notCovered') expect(n.text, `${proc.id}/${id}`).to.include('⚠ Процедура не описывает');
          expect(n.tooltip, `${proc.id}/${id} hover`).to.include(node.citations[0].quote.replace(/^«|»$/g, '').slice(0, 40));
          // … and beside the map, for touch screens and printing.
          expect(await page.locator(`#node-${id} + dd`).first().innerText(), `${proc.id}/${id} listed`).to.include(node.citations[0].quote.replace(/^«|»$/g, '').slice(0, 40));
        }
      }
      await page.goto(`${running.app.url}/kb/potential-corporate`);
      await page.screenshot({ path: join(resultsDir(), 'kb-map-potential-corporate-1280.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('answers an unknown procedure with a page in Russian and 404', async () => {
    const res = await fetch(`${running.app.url}/kb/no-such-thing`);
    expect(res.status).to.equal(404);
    expect(await res.text()).to.include('Процедуры «no-such-thing» нет');
  });
});
