import { instance, type Viz } from '@viz-js/viz';
import type restify from 'restify';
import { kindLabels } from '../../domain/vocabulary.js';
import { mapColours, mapLegend, nodeTooltip, procedureDot, type MapCounts } from '../../domain/procedureMap.js';
import type { KnowledgeBase, Procedure } from '../../domain/types.js';
import { procedureOf } from '../../domain/walkPosition.js';
import type { Config } from '../config.js';
import { securityHeaders } from './console.js';
import { firstLine } from '../errors.js';

/**
 * Maps of the procedures for knowledge managers: GET /kb (every procedure) and GET /kb/<id> (its
 * graph as SVG, laid out by Graphviz compiled to WebAssembly, with every node's citations listed
 * beside it). Part of the web console, so on exactly when the console is. `npm run kb:map`
 * writes the same SVGs to docs/maps/.
 */

let viz: Promise<Viz> | undefined;
/** One Graphviz instance per process (loading the WebAssembly takes ~100 ms). */
const graphviz = () => (viz ??= instance());

/** The procedure's map as an SVG document; with `counts`, the dialogs on its edges and nodes. */
export async function procedureSvg(kb: KnowledgeBase, proc: Procedure, counts?: MapCounts): Promise<string> {
  return (await graphviz()).renderString(procedureDot(kb, proc, counts), { format: 'svg' });
}

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const style = `
body { font-family: system-ui, Arial, sans-serif; margin: 0; padding: 16px; color: #0f172a; }
h1 { font-size: 1.4rem; margin: 0 0 8px; } h2 { font-size: 1.1rem; margin: 24px 0 8px; }
a { color: #1d4ed8; } .muted { color: #475569; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #e2e8f0; padding: 6px 8px; text-align: left; vertical-align: top; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; margin: 8px 0 12px; padding: 0; list-style: none; font-size: .85rem; }
.legend span { display: inline-block; width: 14px; height: 14px; border: 1px solid #94a3b8; border-radius: 3px; vertical-align: middle; margin-right: 4px; }
.legend .nc { border: 2px dashed #b91c1c; }
.map svg text { font-family: Arial, Helvetica, sans-serif; font-size: 9.6px; }
.map { overflow: auto; border: 1px solid #e2e8f0; border-radius: 6px; max-height: 80vh; }
.nodes dt { font-weight: 600; margin-top: 10px; } .nodes dd { margin: 2px 0 0 16px; font-size: .9rem; }
.kind { font-size: .8rem; padding: 1px 6px; border-radius: 4px; border: 1px solid #94a3b8; }
`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>${html(title)}</title><style>${style}</style></head><body>${body}</body></html>`;
}

function counts(proc: Procedure) {
  const nodes = Object.values(proc.nodes);
  return {
    questions: nodes.filter((n) => n.type !== 'outcome').length,
    outcomes: nodes.filter((n) => n.type === 'outcome').length,
    notCovered: nodes.filter((n) => n.type === 'outcome' && n.kind === 'notCovered').length,
  };
}

export function indexPage(kb: KnowledgeBase): string {
  const rows = kb.procedures.map((p) => {
    const c = counts(p);
    return `<tr><td><a href="/kb/${html(p.id)}">${html(p.title)}</a><div class="muted">${html(p.summary)}</div></td><td>${html(p.seed)}<div class="muted">${html(p.section)}</div></td><td>${c.questions}</td><td>${c.outcomes}</td><td>${c.notCovered}</td></tr>`;
  });
  return page(
    'Карты процедур',
    `<h1>Карты процедур</h1><p class="muted">Схемы построены из файлов kb/procedures/*.yaml (версия базы знаний ${html(kb.version)}): каждый вопрос, вариант ответа и итог; наведите на узел, чтобы увидеть цитату из процедуры.</p>` +
      `<table><thead><tr><th>Процедура</th><th>Источник</th><th>Вопросов</th><th>Итогов</th><th>Не описано</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  );
}

export async function procedurePage(kb: KnowledgeBase, proc: Procedure): Promise<string> {
  // Drop the XML prolog and doctype: the SVG goes inline into the page.
  const svg = (await procedureSvg(kb, proc)).replace(/^[\s\S]*?(?=<svg)/, '');
  const legend = mapLegend
    .map((l) => `<li><span class="${l.key === 'notCovered' ? 'nc' : ''}" style="background:${mapColours[l.key]}"></span>${html(l.label)}</li>`)
    .join('');
  const nodes = Object.entries(proc.nodes)
    .map(([id, node]) => {
      const what = node.type === 'outcome' ? kindLabels[node.kind] : node.type === 'question' ? 'Вопрос' : 'Решает бот';
      const text = node.type === 'outcome' ? node.headline : node.text;
      const cites = node.type === 'outcome' ? node.citations.map((c) => `<dd>«${html(c.quote.replace(/^«|»$/g, ''))}» <span class="muted">(${html(c.seed)})</span></dd>`).join('') : `<dd class="muted">${html(nodeTooltip(node))}</dd>`;
      return `<dt id="node-${html(id)}"><span class="kind" style="background:${mapColours[node.type === 'outcome' ? node.kind : node.type]}">${html(what)}</span> ${html(text)} <span class="muted">(${html(id)})</span></dt>${cites}`;
    })
    .join('');
  return page(
    proc.title,
    `<p><a href="/kb">← Все процедуры</a></p><h1>${html(proc.title)}</h1><p class="muted">${html(proc.summary)}<br>Источник: ${html(proc.seed)} — «${html(proc.section)}» · файл kb/procedures/${html(proc.file ?? '')} · версия ${proc.version}</p>` +
      `<ul class="legend">${legend}</ul><div class="map">${svg}</div><h2>Узлы и цитаты</h2><dl class="nodes">${nodes}</dl>`,
  );
}

function send(res: restify.Response, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...securityHeaders });
  res.end(body);
}

/** GET /kb and /kb/:id, reading the knowledge base in use at each request. */
export function registerKbMaps(server: restify.Server, kb: () => KnowledgeBase, config: Pick<Config, 'console'>, log: (line: string) => void): void {
  const off = page('Карты процедур', '<p>Карты процедур — часть веб-консоли, а она выключена (CONSOLE_ENABLED).</p>');
  server.get('/kb', async (_req, res) => {
    if (!config.console.enabled) return send(res, 403, off);
    send(res, 200, indexPage(kb()));
  });
  server.get('/kb/:id', async (req, res) => {
    if (!config.console.enabled) return send(res, 403, off);
    const current = kb();
    const proc = procedureOf(current, String(req.params.id ?? ''));
    if (!proc) return send(res, 404, page('Нет такой процедуры', `<p>Процедуры «${html(String(req.params.id ?? ''))}» нет. <a href="/kb">Все процедуры</a></p>`));
    try {
      send(res, 200, await procedurePage(current, proc));
    } catch (e) {
      log(`GET /kb/${proc.id} failed: ${firstLine(e)}`);
      send(res, 500, page('Ошибка', '<p>Не удалось построить карту; подробности — в журнале сервера.</p>'));
    }
  });
}
