// The outcome card an operator saw, rendered by the console's renderer (the Teams host config) from /api/decisions/:id/card.
import { getJson } from './api.js';
import { el, loadScript } from './dom.js';

let renderer;

/** adaptivecards and the console's render module, loaded the first time a card is shown. */
function loadRenderer() {
  renderer ??= loadScript('/vendor/adaptivecards/adaptivecards.min.js').then(() => import('/tab/cards/render.js'));
  renderer.catch(() => (renderer = undefined));
  return renderer;
}

/** A read-only copy of the card: its toggles work, its buttons send nothing from here. */
export async function outcomeCard(id) {
  const [answer, { renderCard }] = await Promise.all([getJson(`/api/decisions/${encodeURIComponent(id)}/card`), loadRenderer()]);
  if (!answer) return el('p', { class: 'muted' }, 'Карточку показать не удалось.');
  const { element } = renderCard(answer.card, () => undefined);
  return el('div', { class: 'seen-card' }, element);
}
