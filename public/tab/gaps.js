// «Пробелы»: what operators asked that the bot could not answer, per week, grouped by wording (GET /api/gaps) — the knowledge manager's worklist.
import { api, getJson, handle } from './api.js';
import { $, el, formValues, isValid, queryOf, saveAs } from './dom.js';
import { dayInZone, longDay, nameOf, shortDay, time, vocab } from './vocabulary.js';

/** Why a message counts as a gap, as the bot names it (a reason this version does not know is shown as it is). */
const reasonLabel = (r) => vocab.gapReasons[r] || r;

function group(g) {
  // In the order the bot lists the reasons.
  const reasons = Object.entries(vocab.gapReasons).filter(([id]) => g.reasons[id]);
  return el(
    'li',
    { class: 'gap-group' },
    el('div', { class: 'gap-head' }, el('span', { class: 'count', title: 'сколько раз' }, String(g.count)), el('strong', { class: 'gap-label' }, g.label)),
    el('p', { class: 'reasons' }, ...reasons.map(([id, label]) => el('span', { class: 'tag reason' }, `${label}: ${g.reasons[id]}`))),
    el(
      'ul',
      { class: 'examples' },
      ...g.examples.map((x) => el('li', {}, el('q', {}, x.text), el('span', { class: 'muted small' }, ` — ${nameOf(x.operator)}, ${time(x.at)}, ${reasonLabel(x.reason)}`))),
    ),
  );
}

function week(w) {
  return el(
    'section',
    { class: 'panel gap-week', 'data-week': w.week },
    el('h3', {}, `Неделя ${shortDay(w.from)}–${longDay(w.to)} · всего ${w.total}`),
    w.groups.length ? el('ol', { class: 'gap-groups' }, ...w.groups.map(group)) : el('p', { class: 'muted' }, 'Пробелов нет.'),
  );
}

const period = () => formValues($('gaps-filters'));

export async function loadGaps() {
  const report = await getJson(`/api/gaps?${queryOf(period())}`);
  if (!report) return;
  const weeks = report.weeks.filter((w) => w.total > 0);
  $('gaps-weeks').replaceChildren(...weeks.map(week));
  const span = `С ${longDay(report.from)} по ${longDay(report.to)}`;
  $('gaps-status').textContent = weeks.length ? `${span}.` : `${span} пробелов не найдено.`;
}

export function wireGaps() {
  $('gaps-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!isValid($('gaps-filters'))) return;
    loadGaps();
  });
  $('gaps-csv').addEventListener('click', async () => {
    const res = await handle(api(`/api/gaps.csv?${queryOf(period())}`));
    if (res) await saveAs(res, `gaps-${dayInZone()}.csv`);
  });
}
