// «Решения»: every decision with its path in the row, filtered by name, title, result, how its procedure was chosen, verdict, review and dates.
import { api, getJson, handle } from './api.js';
import { $, el, formValues, isValid, pager, queryOf, saveAs } from './dom.js';
import { reviewForm } from './review.js';
import { citationBlocks, dayInZone, deliveryTag, feedbackList, foundByTag, kindLabel, nameOf, pathLine, pathList, reviewList, reviewTag, time, verdictTag, vocab } from './vocabulary.js';

const PAGE = 50;
const list = { filter: {}, selected: '' };
let pages;

/** The form's kinds, ways a procedure is chosen and verdicts, from the bot's vocabulary. */
export function fillChoices() {
  for (const [id, label] of Object.entries(vocab.kinds)) $('f-kind').append(el('option', { value: id }, id === 'notCovered' ? `${label} (не покрыто)` : label));
  for (const [id, label] of Object.entries(vocab.foundBy)) $('f-found-by').append(el('option', { value: id }, label));
  for (const [id, label] of Object.entries(vocab.verdicts)) $('f-verdict').append(el('option', { value: id }, label));
}

/** Names and titles seen in the period, for the pickers (typed text works too: the API matches parts). */
async function loadFacets() {
  const facets = await getJson(`/api/decisions/facets?${queryOf({ from: list.filter.from, to: list.filter.to })}`);
  if (!facets) return;
  $('operators').replaceChildren(...facets.operators.map((o) => el('option', { value: o.name }, `решений: ${o.count}`)));
  $('procedures').replaceChildren(...facets.procedures.map((p) => el('option', { value: p.title }, `решений: ${p.count}`)));
}

/** A cell with its column's name, which narrow screens show beside the value (the table becomes cards). */
const cell = (label, content, cls) => el('td', { class: cls, 'data-label': label }, el('div', {}, content));

function row(v) {
  const open = () => openDecision(v.id);
  return el(
    'tr',
    { tabindex: '0', 'data-id': v.id, class: v.id === list.selected ? 'selected' : '', onclick: open, onkeydown: (e) => e.key === 'Enter' && open() },
    cell('Время', time(v.at), 'nowrap'),
    cell('Оператор', nameOf(v.operator), 'name'),
    // Under the title, how it was chosen (nothing for decisions logged before the bot recorded it).
    cell('Процедура', [v.procedureTitle, v.foundBy ? foundByTag(v) : '']),
    cell('Результат', [el('span', { class: 'kind' }, kindLabel(v.outcome.kind)), v.outcome.headline]),
    cell('Путь', pathLine(v.path)),
    cell('Отзыв', [verdictTag(v.verdict), ' ', reviewTag(v), ' ', deliveryTag(v)]),
  );
}

export async function loadList() {
  const page = await getJson(`/api/decisions?${queryOf({ ...list.filter, offset: pages.offset, limit: PAGE })}`);
  if (!page) return;
  $('table').tBodies[0].replaceChildren(...page.items.map(row));
  $('status').textContent = page.total === 0 ? 'Решений с такими условиями нет.' : '';
  pages.show(page);
}

/** The decision in full beside the list (below it on narrow screens), with the review form. */
async function openDecision(id) {
  list.selected = id;
  for (const r of $('table').tBodies[0].rows) r.classList.toggle('selected', r.dataset.id === id);
  const v = await getJson(`/api/decisions/${encodeURIComponent(id)}`);
  if (!v) return;
  const facts = [
    ['Оператор', `${nameOf(v.operator)} (${v.operator.id}${v.operator.aadObjectId ? `; AAD ${v.operator.aadObjectId}` : ''})`],
    ['Время', time(v.at)],
    ['Процедура', `${v.procedureTitle} (${v.procedureId}, версия ${v.procedureVersion})`],
    ['Как выбрана процедура', foundByTag(v)],
    ['Результат', `${kindLabel(v.outcome.kind)} · узел ${v.outcome.nodeId}`],
    ['Версия базы знаний', v.kbVersion],
    ['Номер решения', v.id],
  ];
  const detail = $('detail');
  detail.replaceChildren(
    el('button', { type: 'button', class: 'link close', onclick: () => ((detail.hidden = true), (list.selected = '')) }, 'Закрыть ✕'),
    el('p', { class: 'muted small' }, `${kindLabel(v.outcome.kind)} · ${v.procedureTitle}`),
    el('h2', { class: 'headline' }, v.outcome.headline),
    v.awaitingReview ? el('p', { class: 'tag wrong' }, 'Ждёт проверки: оператор отметил ответ как неверный') : '',
    v.undelivered ? el('p', { class: 'tag wrong' }, 'Не доставлено: ход оператора не завершился, карточку с этим решением он не получил') : '',
    el('dl', { class: 'facts' }, ...facts.flatMap(([k, val]) => [el('dt', {}, k), el('dd', {}, val)])),
    el('h3', {}, 'Путь вопросов и ответов'),
    pathList(v.path),
    el('h3', {}, 'Цитаты из процедуры'),
    ...citationBlocks(v.citations),
    el('h3', {}, 'Отзывы операторов'),
    feedbackList(v.feedback),
    el('h3', {}, 'Проверки'),
    reviewList(v.reviews),
    reviewForm(v, () => openDecision(id).then(loadList)),
  );
  detail.hidden = false;
  if (window.innerWidth < 1100) detail.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

export function wireDecisions() {
  pages = pager('list', PAGE, loadList);
  const form = $('filters');
  const apply = () => {
    list.filter = formValues(form);
    pages.offset = 0;
    loadList();
    loadFacets();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (isValid(form)) apply();
  });
  form.addEventListener('reset', () => setTimeout(apply));
  // The file and the list always show the same decisions: the filters on screen apply to both.
  $('csv').addEventListener('click', async () => {
    if (!isValid(form)) return;
    apply();
    const res = await handle(api(`/api/decisions.csv?${queryOf(list.filter)}`));
    if (res) await saveAs(res, `decisions-${dayInZone()}.csv`);
  });
}

export const showDecisions = () => Promise.all([loadList(), loadFacets()]);
