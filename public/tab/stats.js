// «Аналитика»: decisions per day, per procedure and per outcome (GET /api/stats), and one procedure step by step
// (GET /api/stats/procedures/:id and its map with counts), drawn with Chart.js.
import { api, getJson, handle } from './api.js';
import { $, el, formValues, isValid, loadScript, queryOf } from './dom.js';
import { KIND_COLORS, kindLabel, shortDay, vocab } from './vocabulary.js';

const TOP = 12;
const charts = {};
let mapUrl = '';

const period = () => formValues($('stats-filters'));
const loadChartJs = () => loadScript('/vendor/chart.js/chart.umd.min.js');
const shorten = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
/** Long titles and headlines on a bar's axis: shortened to a third of the chart's width, whole in the tooltip. */
const categoryTicks = {
  autoSkip: false,
  callback(value) {
    return shorten(this.getLabelForValue(value), Math.max(12, Math.floor(this.chart.width / 3 / 7)));
  },
};
/** Horizontal bars: one row of the box per bar, so few bars are not drawn a finger thick. */
function fitRows(id, rows) {
  $(id).parentElement.style.height = `${Math.max(140, rows * 34 + 80)}px`;
}

/** Draws (or redraws) a chart on its canvas. */
function draw(id, config) {
  charts[id]?.destroy();
  charts[id] = new window.Chart($(id), { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } });
}

/** Stacked bars, one dataset per kind that occurs in `rows` (each row has `kinds: {kind: n}`). */
function kindDatasets(rows) {
  return Object.keys(vocab.kinds)
    .filter((k) => rows.some((r) => r.kinds[k]))
    .map((k) => ({ label: kindLabel(k), data: rows.map((r) => r.kinds[k] || 0), backgroundColor: KIND_COLORS[k] || '#999' }));
}

const stacked = (horizontal) => ({
  indexAxis: horizontal ? 'y' : 'x',
  scales: horizontal ? { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true, ticks: categoryTicks } } : { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } },
  plugins: { legend: { position: 'bottom' } },
});


export async function loadStats() {
  const [stats] = await Promise.all([getJson(`/api/stats?${queryOf(period())}`), loadChartJs()]);
  if (!stats) return;
  const total = stats.perDay.reduce((n, d) => n + d.total, 0);
  $('stats-status').textContent = `Решений за период: ${total}.`;

  draw('chart-days', { type: 'bar', data: { labels: stats.perDay.map((d) => shortDay(d.date)), datasets: kindDatasets(stats.perDay) }, options: stacked(false) });

  const procedures = stats.perProcedure.slice(0, TOP);
  fitRows('chart-procedures', procedures.length);
  draw('chart-procedures', {
    type: 'bar',
    data: { labels: procedures.map((p) => p.title), datasets: kindDatasets(procedures) },
    options: stacked(true),
  });

  const outcomes = stats.perOutcome.slice(0, TOP);
  fitRows('chart-outcomes', outcomes.length);
  draw('chart-outcomes', {
    type: 'bar',
    data: { labels: outcomes.map((o) => o.headline), datasets: [{ label: 'Решений', data: outcomes.map((o) => o.count), backgroundColor: outcomes.map((o) => KIND_COLORS[o.kind] || '#999') }] },
    options: { indexAxis: 'y', scales: { x: { ticks: { precision: 0 } }, y: { ticks: categoryTicks } }, plugins: { legend: { display: false }, tooltip: { callbacks: { title: (items) => `${outcomes[items[0].dataIndex].headline} (${kindLabel(outcomes[items[0].dataIndex].kind)})` } } } },
  });

  const select = $('s-procedure');
  const chosen = select.value;
  select.replaceChildren(...stats.perProcedure.map((p) => el('option', { value: p.id }, `${p.title} (${p.total})`)));
  if (stats.perProcedure.some((p) => p.id === chosen)) select.value = chosen;
  $('funnel').hidden = stats.perProcedure.length === 0;
  if (stats.perProcedure.length) await loadFunnel();
}

/** One procedure: how many dialogs reached each question, took each option and left where. */
async function loadFunnel() {
  const id = $('s-procedure').value;
  const q = queryOf(period());
  const funnel = await getJson(`/api/stats/procedures/${encodeURIComponent(id)}?${q}`);
  if (!funnel) return;
  $('funnel-summary').textContent = `Начато диалогов: ${funnel.started}; дошли до результата: ${funnel.decided}; ушли, не дойдя до результата: ${funnel.abandoned}.`;
  const questions = funnel.nodes.map((n) => n.question);
  fitRows('chart-funnel', questions.length * 2);
  draw('chart-funnel', {
    type: 'bar',
    data: {
      labels: questions,
      datasets: [
        { label: 'Дошли до вопроса', data: funnel.nodes.map((n) => n.reached), backgroundColor: '#5b5fc7' },
        { label: 'Ушли на этом вопросе', data: funnel.nodes.map((n) => n.abandonedHere), backgroundColor: '#c4314b' },
      ],
    },
    options: { indexAxis: 'y', scales: { x: { ticks: { precision: 0 } }, y: { ticks: categoryTicks } }, plugins: { legend: { position: 'bottom' } } },
  });
  $('funnel-nodes').replaceChildren(
    ...funnel.nodes.map((n) =>
      el(
        'div',
        { class: 'funnel-node' },
        el('p', {}, el('strong', {}, n.question), el('span', { class: 'muted small' }, ` — дошли ${n.reached}, ушли ${n.abandonedHere}`)),
        el('ul', { class: 'options' }, ...n.options.map((o) => el('li', {}, el('span', { class: 'count' }, String(o.count)), ` ${o.label}`))),
      ),
    ),
  );
  await loadMap(id, q);
}

/** The map comes with the sign-in header, so it is fetched and shown from a blob: URL. */
async function loadMap(id, q) {
  const res = await handle(api(`/api/stats/procedures/${encodeURIComponent(id)}/map.svg?${q}`));
  if (!res) return;
  if (mapUrl) URL.revokeObjectURL(mapUrl);
  mapUrl = URL.createObjectURL(await res.blob());
  $('funnel-map').src = mapUrl;
}

export function wireStats() {
  $('stats-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!isValid($('stats-filters'))) return;
    loadStats();
  });
  $('s-procedure').addEventListener('change', () => loadFunnel());
}
