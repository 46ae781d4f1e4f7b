/**
 * The web console: sends what the user types and clicks to POST /api/console (the bot's own
 * CloudAdapter turn pipeline, deliveryMode expectReplies) and shows the replies — text, and
 * Adaptive Cards rendered as Teams renders them.
 */
import { renderCard, submissionOf } from './render.js';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const SESSION_KEY = 'operator-assistant-console';
const HISTORY_LIMIT = 60;
/** `?ua=off`: the console acts as a client without Universal Actions (the Emulator), and the bot sends Action.Submit buttons. */
const UNIVERSAL_ACTIONS = new URLSearchParams(location.search).get('ua') !== 'off';

const $ = (id) => document.getElementById(id);
const messages = $('messages');
const form = $('composer');
const input = $('input');
const sendButton = $('send');
const typing = $('typing');
const errorBox = $('error');

const randomId = (prefix) => `${prefix}-${(crypto.randomUUID ? crypto.randomUUID() : `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`).replace(/[^A-Za-z0-9-]/g, '')}`;

/** Ids that stay the same for this browser tab (sessionStorage), plus the shown history. */
function loadSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
    if (saved && typeof saved.conversationId === 'string' && typeof saved.userId === 'string' && Array.isArray(saved.history)) return { ...saved, fresh: false };
  } catch {
    /* a broken entry starts a new session */
  }
  return { userId: randomId('user'), userName: 'Оператор (веб-консоль)', conversationId: randomId('console'), history: [], fresh: true };
}

const session = loadSession();
function saveSession() {
  session.history = session.history.slice(-HISTORY_LIMIT);
  try {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ userId: session.userId, userName: session.userName, conversationId: session.conversationId, history: session.history }));
  } catch {
    /* storage full or disabled: the conversation still works, only reload loses the history */
  }
}

// ---- showing messages -------------------------------------------------------------------

function bubble(who, className) {
  const item = document.createElement('div');
  item.className = `msg msg-${who}${className ? ` ${className}` : ''}`;
  const sender = document.createElement('span');
  sender.className = 'visually-hidden';
  sender.textContent = who === 'user' ? 'Вы: ' : 'Помощник: ';
  item.append(sender);
  messages.append(item);
  return item;
}

function showUser(entry) {
  const item = bubble('user', entry.click ? 'msg-click' : '');
  const text = document.createElement('p');
  text.className = 'msg-text';
  text.textContent = entry.text;
  item.append(text);
  if (entry.click) item.setAttribute('title', 'Нажатие на карточке');
  return item;
}

function showBotText(text) {
  const item = bubble('bot');
  for (const part of String(text).split(/\n{2,}/)) {
    const p = document.createElement('p');
    p.className = 'msg-text';
    p.textContent = part;
    item.append(p);
  }
  return item;
}

/** Which shown activity each card bubble is (so a card updated in place is kept so in the history). */
const activityOf = new WeakMap();

function showCard(content, activity) {
  // `msteams.width: "Full"` takes the whole message column, as Teams shows it.
  const item = bubble('bot', content?.msteams?.width === 'Full' ? 'msg-card msg-card-full' : 'msg-card');
  if (activity) activityOf.set(item, activity);
  fillCard(item, content);
  return item;
}

function fillCard(item, content) {
  try {
    const { element, problems } = renderCard(content, onCardAction);
    element.classList.add('card');
    item.append(element);
    if (problems.length) {
      const note = document.createElement('p');
      note.className = 'card-problems';
      note.textContent = `Карточка с ошибками разметки: ${problems.join('; ')}`;
      item.append(note);
    }
  } catch (e) {
    item.classList.add('msg-failed');
    item.append(Object.assign(document.createElement('p'), { className: 'msg-text', textContent: `Не удалось показать карточку: ${e.message}` }));
  }
}

/** Shows one bot activity; returns the elements added. */
function showActivity(activity) {
  const added = [];
  if (activity.type !== 'message') return added;
  if (typeof activity.text === 'string' && activity.text.trim()) added.push(showBotText(activity.text));
  for (const attachment of activity.attachments ?? []) {
    if (attachment.contentType === ADAPTIVE_CARD && attachment.content) added.push(showCard(attachment.content, activity));
    else added.push(showBotText(`[вложение ${attachment.contentType ?? 'без типа'} — в консоли не показывается]`));
  }
  return added;
}

function showEntry(entry) {
  if (entry.from === 'user') return [showUser(entry)];
  return entry.activities.flatMap(showActivity);
}

/**
 * Brings the latest reply into view: all of it if it fits, otherwise its top (so a tall
 * outcome card is read from its headline).
 */
function reveal(element) {
  if (!element) return;
  const box = messages.getBoundingClientRect();
  const rect = element.getBoundingClientRect();
  if (rect.height <= box.height) messages.scrollTop += rect.bottom - box.bottom + 8;
  else messages.scrollTop += rect.top - box.top - 8;
}

function showError(text) {
  errorBox.textContent = text;
  errorBox.hidden = false;
}
function clearError() {
  errorBox.hidden = true;
  errorBox.textContent = '';
}

// ---- talking to the bot -----------------------------------------------------------------

let queue = Promise.resolve();
let pending = 0;

/** Turns answered so far (`data-turns` on the message list): a card updated in place adds no message. */
let answered = 0;

function setBusy(delta) {
  if (delta < 0) messages.dataset.turns = String(++answered);
  pending += delta;
  typing.hidden = pending === 0;
  messages.setAttribute('aria-busy', pending > 0 ? 'true' : 'false');
}

async function post(body) {
  let res;
  try {
    res = await fetch('/api/console', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ conversationId: session.conversationId, userId: session.userId, userName: session.userName, ...(UNIVERSAL_ACTIONS ? {} : { universalActions: false }), ...body }),
    });
  } catch (e) {
    throw new Error(`Сервер недоступен (${e.message}). Проверьте, что бот запущен, и повторите.`);
  }
  let json = null;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  if (!res.ok) {
    const detail = json && typeof json.message === 'string' ? json.message : res.statusText;
    throw new Error(`Ошибка ${res.status}: ${detail}`);
  }
  if (!json || !Array.isArray(json.activities)) throw new Error('Сервер ответил без списка сообщений.');
  return json.activities;
}

/** Sends in order (one turn at a time, so a dialog sees messages as typed); shows the replies. */
/**
 * Posts one activity after those before it, and shows its answer unless «Новый разговор» was pressed
 * meanwhile; an error is shown in place of the answer.
 */
function postQueued(body, show) {
  const conversation = session.conversationId;
  setBusy(+1);
  queue = queue
    .then(async () => {
      const activities = await post(body);
      if (conversation !== session.conversationId) return;
      clearError();
      show(activities);
    })
    .catch((e) => {
      if (conversation === session.conversationId) showError(e.message);
    })
    .finally(() => setBusy(-1));
  return queue;
}

function send(body, userEntry) {
  if (userEntry) {
    session.history.push(userEntry);
    saveSession();
    reveal(showUser(userEntry));
  }
  return postQueued(body, (activities) => {
    const entry = { from: 'bot', activities: activities.map(keepShown) };
    session.history.push(entry);
    saveSession();
    const added = showEntry(entry);
    reveal(added[added.length - 1]);
  });
}

/** Only what the page shows is kept in the tab's history. */
const keepShown = (a) => ({ type: a.type, text: a.text, attachments: a.attachments });

/** The card bubble of the latest click (the library reports the action, not where it was). */
let clickedCard = null;
messages.addEventListener('click', (e) => (clickedCard = e.target instanceof Element ? e.target.closest('.msg-card') : null), true);

/**
 * An Action.Execute click, as Teams runs it: the invoke's answer replaces the clicked card (a
 * message answer is shown as a message, the card unchanged); nothing else is posted.
 */
function invoke(submission, card) {
  return postQueued({ type: 'invoke', verb: submission.invoke.verb, value: submission.invoke.value }, (activities) => {
    const answer = activities.find((a) => a.type === 'invokeResponse')?.value?.body;
    if (answer?.type === ADAPTIVE_CARD && answer.value && card) {
      card.replaceChildren();
      fillCard(card, answer.value);
      const shown = activityOf.get(card);
      if (shown) shown.attachments = [{ contentType: ADAPTIVE_CARD, content: answer.value }];
      saveSession();
      reveal(card);
    } else if (typeof answer?.value === 'string' && answer.value) {
      const entry = { from: 'bot', activities: [{ type: 'message', text: answer.value }] };
      session.history.push(entry);
      saveSession();
      reveal(showEntry(entry).pop());
    } else showError('Бот не ответил на нажатие.');
  });
}

function onCardAction(action) {
  const submission = submissionOf(action);
  if (!submission) return;
  if (submission.invoke) return void invoke(submission, clickedCard);
  if (submission.openUrl) {
    window.open(submission.openUrl, '_blank', 'noopener');
    return;
  }
  if (submission.unsupported) {
    showError(`Действие ${submission.unsupported} в консоли не поддерживается.`);
    return;
  }
  send(submission.body, { from: 'user', text: submission.display || 'Нажатие на карточке', click: true });
}

function sendTyped() {
  const text = input.value.trim();
  if (!text) {
    input.focus();
    return;
  }
  input.value = '';
  autosize();
  send({ text }, { from: 'user', text });
  input.focus();
}

function startConversation() {
  // As Teams does when the bot is added: the bot greets with its help card.
  return send({ type: 'conversationUpdate' }, null);
}

function newConversation() {
  session.conversationId = randomId('console');
  session.history = [];
  saveSession();
  messages.replaceChildren();
  clearError();
  startConversation();
  input.focus();
}

function autosize() {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  sendTyped();
});
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    sendTyped();
  }
});
input.addEventListener('input', autosize);
$('new-conversation').addEventListener('click', newConversation);

if (session.fresh) {
  saveSession();
  startConversation();
} else {
  for (const entry of session.history) showEntry(entry);
  messages.scrollTop = messages.scrollHeight;
}
sendButton.disabled = false;
input.focus();
document.documentElement.dataset.ready = 'true';
