// The team-lead API as the tab calls it: the bearer token (Teams SSO or the API token) and refusals in Russian.
import { showError } from './dom.js';

export const session = { token: '', sso: false, user: '' };

export class ApiError extends Error {
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
  not_found: 'Не найдено: такого решения или процедуры нет.',
  unavailable: 'Журнал решений временно недоступен. Попробуйте через минуту.',
};

/** GET (or, with `body`, POST as JSON) under the signed-in person's token; throws ApiError in Russian. */
export async function api(path, body) {
  const headers = { Authorization: `Bearer ${session.token}` };
  const init = body === undefined ? { headers, cache: 'no-store' } : { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body), cache: 'no-store' };
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'Сервер недоступен. Проверьте подключение и обновите страницу.');
  }
  if (!res.ok) {
    const answer = await res.json().catch(() => ({}));
    const text = REFUSALS[answer.error] || (res.status === 400 ? `Неверный запрос: ${answer.message}` : `Ошибка сервера (${res.status}).`);
    throw new ApiError(res.status, text, answer.error);
  }
  return res;
}

let onRefused = () => false;

/** What to do when the API refuses the person (sign-in again, or «for team leads» notice): returns true if handled. */
export function whenRefused(handler) {
  onRefused = handler;
}

/** Runs an API call; a refusal or failure is shown (never thrown), and the result is undefined. */
export async function handle(promise) {
  try {
    showError('');
    return await promise;
  } catch (e) {
    if (!(e instanceof ApiError && onRefused(e))) showError(e.message);
    return undefined;
  }
}

/** GET as parsed JSON, shown errors and all (undefined on failure). */
export async function getJson(path) {
  const res = await handle(api(path));
  return res && res.json();
}
