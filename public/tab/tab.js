// The team leads' tab: decisions, the review queue and a chart, from /api/decisions.
// Inside Teams it signs in with the tab's SSO token; in a plain browser it asks for the API token.
// Every text from the log is put in with textContent: names and comments are never HTML.

/** Outcome kind → label, as the bot names them (GET /api/decisions/kinds, filled at start). */
const KINDS = {};
const KIND_COLORS = {
  callResult: '#2f6fd0',
  transfer: '#d07a1f',
  phrase: '#2e9e6a',
  caseParams: '#8a5cc7',
  actions: '#c2448a',
  faq: '#1f9bb5',
  notCovered: '#8a8a8a',
};
const PAGE = 50;
const CHART_DAYS = 7;
const TOKEN_KEY = 'leadsApiToken';

const $ = (id) => document.getElementById(id);
const state = { token: '', sso: false, user: '', view: 'all', offset: 0, total: 0, filter: {}, selected: '' };

/** Builds an element; children are nodes or strings (strings become text, never markup). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

const time = (iso) => new Date(iso).toLocaleString('ru-RU', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const nameOf = (p) => p.name || p.id;

function showError(text) {
  const e = $('error');
  e.textContent = text;
  e.hidden = !text;
}

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
function loadTeamsJs() {
  return new Promise((resolve, reject) => {
    const script = el('script', { src: '/vendor/teams-js/MicrosoftTeams.min.js' });
    script.addEventListener('load', () => resolve(window.microsoftTeams));
    script.addEventListener('error', () => reject(new Error('TeamsJS не загрузился')));
    document.head.append(script);
  });
}

async function teamsToken() {
  const teams = await loadTeamsJs();
  await withTimeout(teams.app.initialize(), 5000);
  const context = await withTimeout(teams.app.getContext(), 5000);
  state.user = context.user?.displayName || context.user?.userPrincipalName || '';
  if (state.user) $('who').textContent = `Вы вошли через Teams: ${state.user}`;
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
  $('not-lead-who').textContent = state.user ? `Вы вошли через Teams как ${state.user}, но вас нет в списке руководителей групп.` : 'Вы вошли через Teams, но вас нет в списке руководителей групп.';
  $('not-lead').hidden = false;
}

async function signIn() {
  if (inTeams()) {
    try {
      state.token = await teamsToken();
      state.sso = true;
      return start();
    } catch (e) {
      $('login-note').textContent = `Не удалось войти через Teams (${e.message}). Закройте и снова откройте вкладку. Если не поможет, войдите по токену API для руководителей групп или обратитесь к администратору бота.`;
    }
  }
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) {
    state.token = saved;
    return start();
  }
  askForToken('');
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  state.token = $('token').value.trim();
  $('token').value = '';
  sessionStorage.setItem(TOKEN_KEY, state.token);
  start();
});

$('logout').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = '';
  askForToken('');
});

// ---- the API ----

class ApiError extends Error {
  constructor(status, message, code = '') {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The API's refusals, in the tab's language (the API itself answers in English). */
const REFUSALS = {
  unauthorized: 'Неверный токен или вход не выполнен.',
  forbidden: 'Журнал решений доступен только руководителям групп. Попросите администратора бота добавить вас в TEAM_LEADS.',
  not_configured: 'Журнал решений не настроен на сервере: нужен LEADS_API_TOKEN или вход через Teams (TAB_SSO_*).',
  sso_unavailable: 'Не удалось проверить вход через Teams. Попробуйте позже.',
};

async function api(path) {
  let res;
  try {
    res = await fetch(path, { headers: { Authorization: `Bearer ${state.token}` }, cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'Сервер недоступен. Проверьте подключение и обновите страницу.');
  }
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    const text = REFUSALS[body.error] || (res.status === 400 ? `Неверный запрос: ${body.message}` : `Ошибка сервера (${res.status}).`);
    throw new ApiError(res.status, text, body.error);
  }
  return res;
}

/** Local dates from the form to instants: «по» covers its whole local day. */
function localDayStart(value, plusDays = 0) {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d + plusDays);
}

function query(extra = {}) {
  const f = state.filter;
  const q = new URLSearchParams();
  if (f.operator) q.set('operator', f.operator);
  if (f.procedure) q.set('procedure', f.procedure);
  if (f.kind) q.set('kind', f.kind);
  if (f.from) q.set('from', localDayStart(f.from).toISOString());
  if (f.to) q.set('to', new Date(localDayStart(f.to, 1).getTime() - 1).toISOString());
  if (state.view === 'queue') q.set('awaitingReview', 'true');
  for (const [k, v] of Object.entries(extra)) q.set(k, String(v));
  return q;
}

async function handle(promise) {
  try {
    showError('');
    return await promise;
  } catch (e) {
    if (e instanceof ApiError && e.code === 'forbidden' && state.sso) showNotLead();
    else if (e instanceof ApiError && (e.status === 401 || e.status === 403) && !state.sso) {
      sessionStorage.removeItem(TOKEN_KEY);
      askForToken(e.message);
    } else showError(e.message);
    return undefined;
  }
}

// ---- the list ----

function statusOf(v) {
  if (v.awaitingReview) return el('span', { class: 'tag wrong' }, 'ждёт проверки');
  if (v.reviews.length) return el('span', { class: 'tag ok' }, 'проверено');
  if (v.feedback.some((f) => f.verdict === 'helpful')) return el('span', { class: 'tag ok' }, 'помогло');
  return '';
}

async function loadList() {
  const res = await handle(api(`/api/decisions?${query({ offset: state.offset, limit: PAGE })}`));
  if (!res) return;
  const page = await res.json();
  state.total = page.total;
  const body = $('table').tBodies[0];
  body.replaceChildren(
    ...page.items.map((v) =>
      el(
        'tr',
        { tabindex: '0', 'data-id': v.id, class: v.id === state.selected ? 'selected' : '', onclick: () => openDecision(v.id), onkeydown: (e) => e.key === 'Enter' && openDecision(v.id) },
        el('td', { class: 'nowrap' }, time(v.at)),
        el('td', { class: 'name' }, nameOf(v.operator)),
        el('td', {}, v.procedureTitle),
        el('td', {}, KINDS[v.outcome.kind] || v.outcome.kind),
        el('td', {}, v.outcome.headline),
        el('td', {}, statusOf(v), v.undelivered && el('span', { class: 'tag wrong', title: 'Ход оператора не завершился: карточку с этим решением он не получил' }, 'не доставлено')),
      ),
    ),
  );
  $('list-title').textContent = state.view === 'queue' ? 'Проверка: ответы, отмеченные как неверные' : 'Решения';
  $('status').textContent = page.total === 0 ? (state.view === 'queue' ? 'Очередь пуста: всё проверено.' : 'Решений с такими условиями нет.') : '';
  $('range').textContent = page.total ? `${state.offset + 1}–${state.offset + page.items.length} из ${page.total}` : '';
  $('prev').disabled = state.offset === 0;
  $('next').disabled = state.offset + PAGE >= page.total;
}

async function loadQueueCount() {
  const res = await handle(api('/api/decisions?awaitingReview=true&limit=1'));
  if (!res) return;
  const { total } = await res.json();
  $('queue-count').textContent = total ? String(total) : '';
}

// ---- one decision ----

async function openDecision(id) {
  state.selected = id;
  for (const row of $('table').tBodies[0].rows) row.classList.toggle('selected', row.dataset.id === id);
  const res = await handle(api(`/api/decisions/${encodeURIComponent(id)}`));
  if (!res) return;
  const v = await res.json();
  const facts = [
    ['Оператор', `${nameOf(v.operator)} (${v.operator.id}${v.operator.aadObjectId ? `; AAD ${v.operator.aadObjectId}` : ''})`],
    ['Время', time(v.at)],
    ['Процедура', `${v.procedureTitle} (${v.procedureId}, версия ${v.procedureVersion})`],
    ['Результат', `${KINDS[v.outcome.kind] || v.outcome.kind} · узел ${v.outcome.nodeId}`],
    ['Версия базы знаний', v.kbVersion],
    ['Номер решения', v.id],
  ];
  const detail = $('detail');
  detail.replaceChildren(
    el('button', { type: 'button', class: 'link close', onclick: () => ((detail.hidden = true), (state.selected = '')) }, 'Закрыть ✕'),
    el('p', { class: 'muted small' }, `${KINDS[v.outcome.kind] || v.outcome.kind} · ${v.procedureTitle}`),
    el('h2', { class: 'headline' }, v.outcome.headline),
    v.awaitingReview ? el('p', { class: 'tag wrong' }, 'Ждёт проверки: оператор отметил ответ как неверный') : '',
    el('dl', { class: 'facts' }, ...facts.flatMap(([k, val]) => [el('dt', {}, k), el('dd', {}, val)])),
    el('h3', {}, 'Путь вопросов и ответов'),
    v.path.length
      ? el('ol', { class: 'path' }, ...v.path.map((s) => el('li', {}, el('span', { class: 'muted' }, s.question), ' → ', el('strong', {}, s.answer + (s.automatic ? ' (автоматически)' : '')))))
      : el('p', { class: 'muted' }, 'Без вопросов: ответ сразу.'),
    el('h3', {}, 'Цитаты из процедуры'),
    ...v.citations.map((c) => el('blockquote', { class: 'citation' }, `«${c.quote}»`, el('footer', { class: 'muted small' }, c.seed))),
    el('h3', {}, 'Отзывы операторов'),
    v.feedback.length
      ? el(
          'ul',
          { class: 'events' },
          ...v.feedback.map((f) =>
            el(
              'li',
              {},
              el('span', { class: f.verdict === 'wrong' ? 'tag wrong' : 'tag ok' }, f.verdict === 'wrong' ? 'Ответ неверный' : 'Помогло'),
              ` ${nameOf(f.by)}, ${time(f.at)}`,
              f.comment ? el('p', { class: 'comment' }, f.comment) : '',
            ),
          ),
        )
      : el('p', { class: 'muted' }, 'Отзывов нет.'),
    el('h3', {}, 'Проверки'),
    v.reviews.length
      ? el('ul', { class: 'events' }, ...v.reviews.map((r) => el('li', {}, el('span', { class: 'tag ok' }, 'Проверено'), ` ${nameOf(r.by)}, ${time(r.at)}`, el('p', { class: 'comment' }, r.note))))
      : el('p', { class: 'muted' }, 'Ещё не проверено.'),
    el('p', { class: 'muted small' }, `Отметить проверенным: в чате с ботом напишите «проверено ${v.id} <примечание>» или нажмите «Отметить проверенным» на карточке решения.`),
  );
  detail.hidden = false;
  if (window.innerWidth < 1100) detail.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

// ---- the chart: outcomes per procedure over the last days ----

async function loadChart() {
  const today = new Date();
  const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (CHART_DAYS - 1));
  const counts = new Map();
  let seen = 0;
  let total = 0;
  // At most 25 pages: the newest 5,000 decisions are plenty for a bar chart.
  for (let offset = 0; offset < 5000; offset += 200) {
    const res = await handle(api(`/api/decisions?from=${encodeURIComponent(from.toISOString())}&limit=200&offset=${offset}`));
    if (!res) return;
    const page = await res.json();
    total = page.total;
    for (const v of page.items) {
      const row = counts.get(v.procedureTitle) || { total: 0, kinds: {} };
      row.total++;
      row.kinds[v.outcome.kind] = (row.kinds[v.outcome.kind] || 0) + 1;
      counts.set(v.procedureTitle, row);
    }
    seen += page.items.length;
    if (seen >= total || page.items.length === 0) break;
  }
  drawChart([...counts].sort((a, b) => b[1].total - a[1].total).slice(0, 12));
  $('chart-note').textContent = total === 0 ? 'За последние 7 дней решений нет.' : `Всего решений за 7 дней: ${total}${seen < total ? ` (на диаграмме последние ${seen})` : ''}.`;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function drawChart(rows) {
  const box = $('chart');
  if (rows.length === 0) return box.replaceChildren();
  const width = Math.max(320, box.clientWidth || 640);
  const labelW = Math.min(260, Math.round(width * 0.35));
  const barH = 22;
  const gap = 8;
  const legendH = 28;
  const height = rows.length * (barH + gap) + legendH + 4;
  const max = Math.max(...rows.map(([, r]) => r.total));
  const scale = (width - labelW - 50) / max;
  const chart = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'bars' });
  rows.forEach(([title, r], i) => {
    const y = i * (barH + gap);
    const label = svg('text', { x: labelW - 8, y: y + barH / 2 + 4, 'text-anchor': 'end', class: 'label' });
    label.append(document.createTextNode(title), svg('title', {}, title));
    chart.append(label);
    let x = labelW;
    for (const kind of Object.keys(KINDS)) {
      const n = r.kinds[kind];
      if (!n) continue;
      const w = Math.max(2, n * scale);
      const rect = svg('rect', { x, y, width: w, height: barH, fill: KIND_COLORS[kind], 'data-kind': kind });
      rect.append(svg('title', {}, `${title}: ${KINDS[kind]} — ${n}`));
      chart.append(rect);
      x += w;
    }
    chart.append(svg('text', { x: x + 6, y: y + barH / 2 + 4, class: 'value' }, r.total));
  });
  // Legend: only the kinds that occur.
  const used = Object.keys(KINDS).filter((k) => rows.some(([, r]) => r.kinds[k]));
  let lx = 0;
  const ly = rows.length * (barH + gap) + 10;
  for (const kind of used) {
    chart.append(svg('rect', { x: lx, y: ly, width: 12, height: 12, fill: KIND_COLORS[kind] }));
    const t = svg('text', { x: lx + 16, y: ly + 11, class: 'legend' }, KINDS[kind]);
    chart.append(t);
    lx += 24 + KINDS[kind].length * 7;
  }
  box.replaceChildren(chart);
  // Long procedure titles: shortened until they fit left of the bars (full title on hover).
  for (const label of chart.querySelectorAll('text.label')) {
    const full = label.firstChild.textContent;
    for (let n = full.length; n > 4 && label.getComputedTextLength() > labelW - 12; n--) label.firstChild.textContent = `${full.slice(0, n - 1)}…`;
  }
}

// ---- CSV ----

$('csv').addEventListener('click', async () => {
  const q = query();
  q.delete('awaitingReview');
  if (state.view === 'queue') q.set('awaitingReview', 'true');
  const res = await handle(api(`/api/decisions.csv?${q}`));
  if (!res) return;
  const blob = await res.blob();
  const a = el('a', { href: URL.createObjectURL(blob), download: `decisions-${new Date().toISOString().slice(0, 10)}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
});

// ---- wiring ----

function readFilters() {
  const data = new FormData($('filters'));
  state.filter = Object.fromEntries([...data].map(([k, v]) => [k, String(v).trim()]).filter(([, v]) => v));
}

$('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  if (!$('filters').reportValidity()) return;
  readFilters();
  state.offset = 0;
  loadList();
});
$('filters').addEventListener('reset', () =>
  setTimeout(() => {
    readFilters();
    state.offset = 0;
    loadList();
  }),
);
$('prev').addEventListener('click', () => {
  state.offset = Math.max(0, state.offset - PAGE);
  loadList();
});
$('next').addEventListener('click', () => {
  state.offset += PAGE;
  loadList();
});
for (const [id, view] of [
  ['view-all', 'all'],
  ['view-queue', 'queue'],
]) {
  $(id).addEventListener('click', () => {
    state.view = view;
    state.offset = 0;
    for (const b of document.querySelectorAll('.view')) {
      b.classList.toggle('active', b.id === id);
      b.setAttribute('aria-pressed', String(b.id === id));
    }
    loadList();
  });
}

/** The kinds and their labels from the bot (one vocabulary for cards, CSV and this tab), into the filter too. */
async function loadKinds() {
  if (Object.keys(KINDS).length) return true;
  const { kinds } = await (await api('/api/decisions/kinds')).json();
  for (const { id, label } of kinds) {
    KINDS[id] = label;
    $('f-kind').append(el('option', { value: id }, label));
  }
  return true;
}

async function start() {
  $('login').hidden = true;
  $('main').hidden = false;
  if (!state.sso) $('who').textContent = 'Вход по токену API';
  $('logout').hidden = state.sso;
  if (!(await handle(loadKinds()))) return;
  await loadList();
  if ($('main').hidden) return;
  await Promise.all([loadQueueCount(), loadChart()]);
}

signIn();
