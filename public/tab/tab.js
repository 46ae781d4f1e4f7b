// The team leads' tab: decisions, the review queue, the gap report and analytics, from the team-lead API.
// Inside Teams it signs in with the tab's SSO token; in a plain browser it asks for the API token.
import { handle, session, whenRefused } from './api.js';
import { $, loadScript, showError } from './dom.js';
import { fillChoices, showDecisions, wireDecisions } from './decisions.js';
import { loadGaps, wireGaps } from './gaps.js';
import { loadQueue, refreshQueueCount, wireReview } from './review.js';
import { loadStats, wireStats } from './stats.js';
import { dayInZone, loadVocabulary, vocab } from './vocabulary.js';

const TOKEN_KEY = 'leadsApiToken';

// ---- signing in ----

/** Teams answers within a second when the page runs in it; a plain browser never does. */
function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((_, fail) => setTimeout(() => fail(new Error('Teams не ответил')), ms))]);
}

/**
 * Teams desktop and web show the tab in a frame; Teams mobile loads it without one, in a web view
 * with a native bridge (`nativeInterface`). The manifest's contentUrl also carries «inTeams», so the
 * page tries Teams sign-in there even if the bridge is not visible; the browser link has no such flag.
 */
const inTeams = () => window.parent !== window || !!window.nativeInterface || new URLSearchParams(location.search).has('inTeams');

/** TeamsJS is loaded only in Teams: in a plain browser there is no Teams to talk to. */
async function teamsToken() {
  await loadScript('/vendor/teams-js/MicrosoftTeams.min.js').catch(() => {
    throw new Error('TeamsJS не загрузился');
  });
  const teams = window.microsoftTeams;
  await withTimeout(teams.app.initialize(), 5000);
  const context = await withTimeout(teams.app.getContext(), 5000);
  session.user = context.user?.displayName || context.user?.userPrincipalName || '';
  if (session.user) $('who').textContent = `Вы вошли через Teams: ${session.user}`;
  // The first sign-in may show Teams' consent screen: give the person time to answer it.
  const token = await withTimeout(teams.authentication.getAuthToken(), 60_000);
  teams.app.notifySuccess?.();
  return token;
}

function askForToken(message) {
  $('main').hidden = true;
  $('login').hidden = false;
  const e = $('login-error');
  e.textContent = message || '';
  e.hidden = !message;
  $('token').focus();
}

/** A valid Teams sign-in of someone who is not a listed team lead: say so, show nothing else. */
function showNotLead() {
  $('main').hidden = true;
  $('login').hidden = true;
  showError('');
  $('who').textContent = '';
  $('not-lead-who').textContent = session.user ? `Вы вошли через Teams как ${session.user}, но вас нет в списке руководителей групп.` : 'Вы вошли через Teams, но вас нет в списке руководителей групп.';
  $('not-lead').hidden = false;
}

whenRefused((e) => {
  if (e.code === 'forbidden' && session.sso) showNotLead();
  else if ((e.status === 401 || e.status === 403) && !session.sso) {
    sessionStorage.removeItem(TOKEN_KEY);
    askForToken(e.message);
  } else return false;
  return true;
});

async function signIn() {
  if (inTeams()) {
    try {
      session.token = await teamsToken();
      session.sso = true;
      return start();
    } catch (e) {
      $('login-note').textContent = `Не удалось войти через Teams (${e.message}). Закройте и снова откройте вкладку. Если не поможет, войдите по токену API для руководителей групп или обратитесь к администратору бота.`;
    }
  }
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) {
    session.token = saved;
    return start();
  }
  askForToken('');
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  session.token = $('token').value.trim();
  $('token').value = '';
  sessionStorage.setItem(TOKEN_KEY, session.token);
  start();
});

$('logout').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  session.token = '';
  askForToken('');
});

// ---- views ----

/** Each view loads when shown, so a team lead sees current numbers. */
const VIEWS = { decisions: showDecisions, review: loadQueue, gaps: loadGaps, stats: loadStats };

function showView(name) {
  for (const b of document.querySelectorAll('.view')) {
    b.classList.toggle('active', b.dataset.view === name);
    b.setAttribute('aria-pressed', String(b.dataset.view === name));
  }
  for (const id of Object.keys(VIEWS)) $(`view-${id}`).hidden = id !== name;
  return VIEWS[name]();
}

for (const b of document.querySelectorAll('.view')) b.addEventListener('click', () => showView(b.dataset.view));
wireDecisions();
wireReview();
wireGaps();
wireStats();

/** The zone's words, choices and default periods: once per page. */
let prepared = false;
function prepare() {
  if (prepared) return;
  prepared = true;
  fillChoices();
  $('zone').textContent = `Время — по часовому поясу ${vocab.timeZone}`;
  $('g-from').value = dayInZone(-27);
  $('g-to').value = dayInZone();
  $('s-from').value = dayInZone(-29);
  $('s-to').value = dayInZone();
}

async function start() {
  $('login').hidden = true;
  $('main').hidden = false;
  if (!session.sso) $('who').textContent = 'Вход по токену API';
  $('logout').hidden = session.sso;
  if (!(await handle(loadVocabulary()))) return;
  prepare();
  await showView('decisions');
  if (!$('main').hidden) await refreshQueueCount();
}

signIn();
