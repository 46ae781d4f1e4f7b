// The bot's words and time zone for the tab (GET /api/decisions/kinds), and how a decision's parts are shown.
import { api } from './api.js';
import { el } from './dom.js';

/** Kind, verdict, gap-reason and found-by labels as the bot names them, and the configured zone every time is shown in. */
export const vocab = { kinds: {}, verdicts: {}, gapReasons: {}, foundBy: {}, timeZone: '' };

export const KIND_COLORS = {
  callResult: '#2f6fd0',
  transfer: '#d07a1f',
  phrase: '#2e9e6a',
  caseParams: '#8a5cc7',
  actions: '#c2448a',
  faq: '#1f9bb5',
  notCovered: '#8a8a8a',
};

let stamp;
let dayStamp;

export async function loadVocabulary() {
  if (vocab.timeZone) return true;
  const answer = await (await api('/api/decisions/kinds')).json();
  for (const { id, label } of answer.kinds) vocab.kinds[id] = label;
  for (const { id, label } of answer.verdicts || []) vocab.verdicts[id] = label;
  for (const { id, label } of answer.gapReasons || []) vocab.gapReasons[id] = label;
  for (const { id, label } of answer.foundBy || []) vocab.foundBy[id] = label;
  vocab.timeZone = answer.timeZone;
  stamp = new Intl.DateTimeFormat('ru-RU', { timeZone: vocab.timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  // en-CA writes dates as YYYY-MM-DD, the form the date inputs and the API use.
  dayStamp = new Intl.DateTimeFormat('en-CA', { timeZone: vocab.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return true;
}

/** An ISO instant as the configured zone's clock shows it, never the browser's. */
export const time = (iso) => stamp.format(new Date(iso));

/** Today's date (YYYY-MM-DD) in the configured zone, `plusDays` away. */
export function dayInZone(plusDays = 0) {
  const [y, m, d] = dayStamp.format(new Date()).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + plusDays)).toISOString().slice(0, 10);
}

/** A YYYY-MM-DD date as «30.11». */
export const shortDay = (date) => `${date.slice(8, 10)}.${date.slice(5, 7)}`;
/** A YYYY-MM-DD date as «30.11.2026». */
export const longDay = (date) => `${shortDay(date)}.${date.slice(0, 4)}`;

export const kindLabel = (kind) => vocab.kinds[kind] || kind;

/** How the decision's procedure was chosen; decisions logged before the bot recorded it say so. */
export function foundByTag(v) {
  if (!v.foundBy) return el('span', { class: 'muted small' }, 'не записано');
  return el('span', { class: `found-by ${v.foundBy}` }, vocab.foundBy[v.foundBy] || v.foundBy);
}

export const nameOf = (person) => (person && (person.name || person.id)) || '—';

const VERDICT_TAGS = { helpful: 'ok', wrong: 'wrong', mixed: 'mixed' };

/** A row's verdict: what the people who gave feedback said, null when nobody did. */
export function verdictTag(verdict) {
  if (!verdict) return el('span', { class: 'muted small' }, vocab.verdicts.none || 'Без отзыва');
  const label = verdict === 'mixed' ? 'Мнения разошлись' : vocab.verdicts[verdict] || verdict;
  return el('span', { class: `tag ${VERDICT_TAGS[verdict] || ''}` }, label);
}

/** Whether a team lead has looked at it: its own colour, never the green of «помогло». */
export function reviewTag(v) {
  // Flagged again after a review: it waits for a team lead again.
  if (v.awaitingReview) return el('span', { class: 'tag wrong' }, 'ждёт проверки');
  if (v.reviews.length) return el('span', { class: 'tag reviewed' }, 'проверено');
  return '';
}

/** The turn that reached this decision failed: the operator never got its card. */
export function deliveryTag(v) {
  return v.undelivered ? el('span', { class: 'tag wrong', title: 'Ход оператора не завершился: карточку с этим решением он не получил' }, 'не доставлено') : '';
}

/** One step's answer, marked when the bot took it from the operator's message or decided it itself. */
function stepAnswer(s) {
  return el('span', { class: 'step', title: s.question }, s.answer, s.from === 'message' ? el('span', { class: 'from' }, ' из сообщения') : '', s.automatic ? el('span', { class: 'from' }, ' автоматически') : '');
}

/** The path in one line: the answers in order. */
export function pathLine(path) {
  if (!path.length) return el('span', { class: 'muted' }, 'без вопросов');
  return el('span', { class: 'path-line' }, ...path.flatMap((s, i) => (i ? [' → ', stepAnswer(s)] : [stepAnswer(s)])));
}

/** The path question by question. */
export function pathList(path) {
  if (!path.length) return el('p', { class: 'muted' }, 'Без вопросов: ответ сразу.');
  return el('ol', { class: 'path' }, ...path.map((s) => el('li', {}, el('span', { class: 'muted' }, s.question), ' → ', el('strong', {}, s.answer), s.from === 'message' ? el('span', { class: 'from' }, ' (из сообщения)') : '', s.automatic ? el('span', { class: 'from' }, ' (автоматически)') : '')));
}

export const citationBlocks = (citations) => citations.map((c) => el('blockquote', { class: 'citation' }, `«${c.quote}»`, el('footer', { class: 'muted small' }, c.seed)));

/** Feedback given on a decision, with who and when. */
export function feedbackList(feedback) {
  if (!feedback.length) return el('p', { class: 'muted' }, 'Отзывов нет.');
  return el(
    'ul',
    { class: 'events' },
    ...feedback.map((f) => el('li', {}, verdictTag(f.verdict), ` ${nameOf(f.by)}, ${time(f.at)}`, f.comment ? el('p', { class: 'comment' }, f.comment) : '')),
  );
}

/** Reviews of a decision, with who and when. */
export function reviewList(reviews) {
  if (!reviews.length) return el('p', { class: 'muted' }, 'Ещё не проверено.');
  return el('ul', { class: 'events reviews' }, ...reviews.map((r) => el('li', {}, el('span', { class: 'tag reviewed' }, 'Проверено'), ` ${nameOf(r.by)}, ${time(r.at)}`, el('p', { class: 'comment' }, r.note))));
}
