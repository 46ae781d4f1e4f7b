// «Проверка»: answers operators flagged as wrong, of any period, reviewed or not, each with what a team lead needs to judge it.
import { api, getJson, handle } from './api.js';
import { $, el, formValues, isValid, pager, queryOf } from './dom.js';
import { outcomeCard } from './cards.js';
import { citationBlocks, feedbackList, foundByTag, kindLabel, nameOf, pathList, reviewList, reviewTag, time } from './vocabulary.js';

const PAGE = 20;
const MAX_NOTE = 1000;
const queue = { filter: {} };
let pages;

/** «Отметить проверенным» with a note, right where the item is; `onSaved` shows the saved review. */
export function reviewForm(v, onSaved) {
  const note = el('textarea', { name: 'note', rows: '2', maxlength: String(MAX_NOTE), required: 'required', placeholder: 'Что проверено и что сделано' });
  const problem = el('p', { class: 'error', role: 'alert', hidden: 'hidden' });
  const button = el('button', { type: 'submit' }, v.reviews.length ? 'Добавить примечание' : 'Отметить проверенным');
  const form = el('form', { class: 'review-form', autocomplete: 'off' }, el('label', {}, 'Примечание к проверке', note), button, problem);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = note.value.trim();
    problem.hidden = true;
    if (!text) {
      problem.textContent = 'Напишите примечание: что проверено и что сделано.';
      problem.hidden = false;
      return;
    }
    button.disabled = true;
    const res = await handle(api(`/api/decisions/${encodeURIComponent(v.id)}/review`, { note: text }));
    button.disabled = false;
    if (res) {
      await onSaved();
      refreshQueueCount();
    }
  });
  return form;
}

async function item(v) {
  const comments = v.feedback.filter((f) => f.verdict === 'wrong');
  const box = el(
    'article',
    { class: 'panel review-item', 'data-id': v.id },
    el('header', { class: 'item-head' }, reviewTag(v), el('span', { class: 'muted small' }, `${time(v.at)} · ${nameOf(v.operator)} · ${v.procedureTitle} · ${kindLabel(v.outcome.kind)}`)),
    el('h3', { class: 'headline' }, v.outcome.headline),
    el('h4', {}, 'Что сказал оператор'),
    feedbackList(comments),
    el('div', { class: 'item-body' }, el('div', { class: 'item-card' }, el('h4', {}, 'Карточка, которую видел оператор'), el('div', { class: 'card-slot' }, el('p', { class: 'muted' }, 'Загружается…'))), el('div', { class: 'item-facts' }, el('h4', {}, 'Как выбрана процедура'), el('p', {}, foundByTag(v)), el('h4', {}, 'Путь'), pathList(v.path), el('h4', {}, 'Цитата из процедуры'), ...citationBlocks(v.citations))),
    el('h4', {}, 'Проверки'),
    reviewList(v.reviews),
    reviewForm(v, () => reload(v.id, box)),
  );
  outcomeCard(v.id).then((card) => box.querySelector('.card-slot').replaceChildren(card), () => box.querySelector('.card-slot').replaceChildren(el('p', { class: 'muted' }, 'Карточку показать не удалось.')));
  return box;
}

/** One item again after its review: the new review in place, who and when. */
async function reload(id, box) {
  const v = await getJson(`/api/decisions/${encodeURIComponent(id)}`);
  if (v) box.replaceWith(await item(v));
}

export async function loadQueue() {
  const page = await getJson(`/api/decisions?${queryOf({ ...queue.filter, verdict: 'wrong', offset: pages.offset, limit: PAGE })}`);
  if (!page) return;
  $('review-list').replaceChildren(...(await Promise.all(page.items.map(item))));
  $('review-status').textContent = page.total === 0 ? (queue.filter.reviewed === 'false' ? 'Очередь пуста: всё проверено.' : 'Ответов, отмеченных как неверные, за этот период нет.') : '';
  pages.show(page);
}

/** The badge: how many flagged answers still wait for a team lead. */
export async function refreshQueueCount() {
  const page = await getJson('/api/decisions?awaitingReview=true&limit=1');
  if (page) $('queue-count').textContent = page.total ? String(page.total) : '';
}

export function wireReview() {
  pages = pager('review', PAGE, loadQueue);
  $('review-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!isValid($('review-filters'))) return;
    queue.filter = formValues($('review-filters'));
    pages.offset = 0;
    loadQueue();
  });
}
