import { expect } from 'chai';
import type { DecisionView } from '../../src/domain/decisions.js';
import { createApp, type App } from '../../src/bot/app.js';
import { readConfig } from '../../src/bot/config.js';
import { clickData, headlineOf, lastCard, type Card } from '../support/cards.js';
import { tempDir, turn } from '../support/http.js';
import { kbDir } from '../support/kb.js';

/**
 * The team-lead views over HTTP, on decisions logged by real dialogs: filters by name, title,
 * verdict, review and Moscow days; facets; the review action with and without rights; the card the
 * operator saw.
 */

const TOKEN = 'leads-api-token-for-tests-abcdef0123456789';
const ANNA = { id: '29:anna', name: 'Анна Петрова', aadObjectId: '66666666-6666-4666-8666-666666666666' };
const FEDYA = { id: '29:fedya', name: 'Фёдор Ёлкин' };

type Started = App & { url: string };

async function start(env: Record<string, string>, now: () => Date): Promise<Started> {
  const app = createApp(readConfig({ PORT: '0', HOST: '127.0.0.1', KB_DIR: kbDir, DATA_DIR: tempDir('oa-leadsapi-'), ...env }), { now, log: () => undefined });
  return Object.assign(app, { url: await app.listen() });
}

/** case-repeat-inquiry by clicks: Open → Да (a phrase), or Closed → BackOffice Сохранения (a transfer). */
export async function walkCase(url: string, conversation: string, user: { id: string; name: string }, route: 'phrase' | 'transfer'): Promise<Card> {
  let replies = await turn(url, conversation, { value: { action: 'start', procedureId: 'case-repeat-inquiry' } }, user);
  const answers = route === 'phrase' ? ['Open', 'Да'] : ['Closed — клиент не согласен с решением', 'BackOffice Сохранения'];
  for (const answer of answers) replies = await turn(url, conversation, { value: clickData(lastCard(replies), answer) }, user);
  return lastCard(replies);
}

const request = (app: Started, path: string, init: RequestInit & { token?: string | null } = {}) => {
  const { token = TOKEN, ...rest } = init;
  return fetch(`${app.url}${path}`, { ...rest, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(rest.body ? { 'content-type': 'application/json' } : {}) } });
};
async function getJson<T = any>(app: Started, path: string, token: string | null = TOKEN): Promise<{ status: number; body: T; cache: string | null }> {
  const res = await request(app, path, { token });
  return { status: res.status, body: (await res.json()) as T, cache: res.headers.get('cache-control') };
}
const postReview = async (app: Started, id: string, body: unknown, token: string | null = TOKEN) => {
  const res = await request(app, `/api/decisions/${id}/review`, { method: 'POST', body: JSON.stringify(body), token });
  return { status: res.status, body: (await res.json()) as any };
};

describe('http: team-lead views — filters, facets, review, the card the operator saw', () => {
  let app: Started;
  let clock = new Date('2026-11-20T22:30:00Z');
  const ids: Record<string, string> = {};
  const cards: Record<string, Card> = {};
  const idsOf = async (q: string) => (await getJson<{ items: DecisionView[] }>(app, `/api/decisions?${q}`)).body.items.map((v) => v.id);

  before(async () => {
    app = await start({ LEADS_API_TOKEN: TOKEN }, () => clock);
    // 01:30 in Moscow on the 21st (still the 20th in UTC), then the 21st, then the 22nd.
    cards.first = await walkCase(app.url, 'c-1', ANNA, 'phrase');
    clock = new Date('2026-11-21T10:00:00Z');
    cards.second = await walkCase(app.url, 'c-2', FEDYA, 'transfer');
    clock = new Date('2026-11-22T11:00:00Z');
    cards.third = await walkCase(app.url, 'c-3', ANNA, 'transfer');
    for (const k of ['first', 'second', 'third']) ids[k] = clickData(cards[k], '👍 Помогло').decisionId;
    clock = new Date('2026-11-22T12:00:00Z');
    await turn(app.url, 'c-1', { value: { ...clickData(cards.first, 'Отправить тимлиду'), comment: 'не та фраза' } }, ANNA);
    await turn(app.url, 'c-2', { value: clickData(cards.second, '👍 Помогло') }, FEDYA);
    // What the bot could not answer, on Monday the 23rd (Moscow): two wordings of one question (one
    // with the customer's phone number), «Ничего не подходит» under a message, a dialog cancelled.
    clock = new Date('2026-11-23T07:00:00Z');
    await turn(app.url, 'c-4', 'как пройти в библиотеку 89123456789', ANNA);
    clock = new Date('2026-11-23T07:01:00Z');
    await turn(app.url, 'c-4', 'Как пройти в библиотеку?', FEDYA);
    clock = new Date('2026-11-23T07:02:00Z');
    await turn(app.url, 'c-4', { value: { action: 'nothingFits', text: 'клиент спрашивает про кейс' } }, ANNA);
    clock = new Date('2026-11-23T07:03:00Z');
    await turn(app.url, 'c-5', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } }, FEDYA);
    await turn(app.url, 'c-5', 'отмена', FEDYA);
    // An answer taken from the message that the operator changes: the bot read it wrong, or took more than was said.
    clock = new Date('2026-11-23T07:04:00Z');
    const read = await turn(app.url, 'c-6', 'кл звонит повторно по кейсу, кейс в статусе опен', ANNA);
    await turn(app.url, 'c-6', { value: clickData(lastCard(read), 'Изменить: Open') }, ANNA);
  });
  after(() => app?.close());

  it('names kinds, verdicts and the time zone for the tab', async () => {
    const { status, body, cache } = await getJson(app, '/api/decisions/kinds');
    expect(status).to.equal(200);
    expect(cache).to.equal('no-store');
    expect(body.timeZone).to.equal('Europe/Moscow');
    expect(body.verdicts).to.deep.equal([
      { id: 'helpful', label: 'Помогло' },
      { id: 'wrong', label: 'Ответ неверный' },
      { id: 'none', label: 'Без отзыва' },
    ]);
    expect(body.gapReasons.map((r: { id: string; label: string }) => `${r.id}=${r.label}`)).to.deep.equal([
      'noMatch=Нет в процедурах',
      'nothingFits=«Ничего не подходит»',
      'notCovered=Процедура не описывает',
      'cancelled=Диалог прерван',
      'wrong=Ответ неверный',
      'corrected=Исправлен ответ из сообщения',
    ]);
  });

  it('filters by part of a person’s name (any case, ё = е) or an id, and by part of a procedure’s title or its id', async () => {
    expect(await idsOf('operator=анна')).to.deep.equal([ids.third, ids.first]);
    expect(await idsOf(`operator=${encodeURIComponent('ФЕДОР елкин')}`)).to.deep.equal([ids.second]);
    expect(await idsOf(`operator=${ANNA.aadObjectId}`)).to.deep.equal([ids.third, ids.first]);
    expect(await idsOf('operator=Борис')).to.deep.equal([]);
    expect(await idsOf(`procedure=${encodeURIComponent('ранее созданному case')}`)).to.deep.equal([ids.third, ids.second, ids.first]);
    expect(await idsOf('procedure=case-repeat-inquiry&kind=phrase')).to.deep.equal([ids.first]);
    expect(await idsOf(`procedure=${encodeURIComponent('завершение звонка')}`)).to.deep.equal([]);
  });

  it('reads from and to as whole days in Moscow, not in UTC', async () => {
    expect(await idsOf('from=2026-11-21&to=2026-11-21')).to.deep.equal([ids.second, ids.first]);
    expect(await idsOf('to=2026-11-20')).to.deep.equal([]);
    expect(await idsOf('from=2026-11-22')).to.deep.equal([ids.third]);
  });

  it('filters by the current verdict, and each row carries its verdict summary', async () => {
    expect(await idsOf('verdict=wrong')).to.deep.equal([ids.first]);
    expect(await idsOf('verdict=helpful')).to.deep.equal([ids.second]);
    expect(await idsOf('verdict=none')).to.deep.equal([ids.third]);
    const { body } = await getJson<{ items: DecisionView[] }>(app, '/api/decisions');
    expect(body.items.map((v) => v.verdict)).to.deep.equal([null, 'helpful', 'wrong']);
    expect(body.items[2].path.map((s) => s.answer)).to.deep.equal(['Open', 'Да']);
  });

  it('gives a period’s operators and procedures with counts for the pickers', async () => {
    const { status, body } = await getJson(app, '/api/decisions/facets?from=2026-11-21&to=2026-11-21');
    expect(status).to.equal(200);
    expect(body).to.deep.equal({
      operators: [
        { id: ANNA.id, name: ANNA.name, count: 1 },
        { id: FEDYA.id, name: FEDYA.name, count: 1 },
      ],
      procedures: [{ id: 'case-repeat-inquiry', title: 'Вопрос абонента по ранее созданному CASE', count: 2 }],
    });
    expect((await getJson(app, '/api/decisions/facets?from=2026-11-23&to=2026-11-01')).body).to.deep.equal({ error: 'bad_request', message: 'from is after to' });
    expect((await getJson(app, '/api/decisions/facets?kind=faq')).body.message).to.include('unknown parameter "kind"');
  });

  it('gives the outcome card as the operator saw it, for the tab to render', async () => {
    const { status, body } = await getJson<{ card: Card }>(app, `/api/decisions/${ids.third}/card`);
    expect(status).to.equal(200);
    expect(body.card.type).to.equal('AdaptiveCard');
    expect(headlineOf(body.card)).to.equal(headlineOf(cards.third));
    expect((await getJson(app, '/api/decisions/nope/card')).status).to.equal(404);
  });

  it('marks a decision reviewed with a note by whoever is signed in, refuses a bad note, an unknown id and anyone without rights', async () => {
    expect((await postReview(app, ids.first, { note: 'ok' }, null)).status).to.equal(401);
    expect((await postReview(app, ids.first, { note: 'ok' }, 'wrong-token')).status).to.equal(401);
    for (const [body, words] of [
      [{}, 'note is required'],
      [{ note: '   ' }, 'note is required'],
      [{ note: 5 }, 'note is required'],
      [{ note: '😀'.repeat(1001) }, 'note must be at most 1000 characters'],
      [['note'], 'body must be a JSON object'],
    ] as const) {
      const res = await postReview(app, ids.first, body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).to.equal(400);
      expect(res.body).to.deep.include({ error: 'bad_request' });
      expect(res.body.message).to.include(words);
    }
    expect((await postReview(app, 'no-such-decision', { note: 'ok' })).status).to.equal(404);
    expect(await idsOf('reviewed=true')).to.deep.equal([]);

    clock = new Date('2026-11-23T08:00:00Z');
    const done = await postReview(app, ids.first, { note: '😀'.repeat(1000) });
    expect(done.status).to.equal(201);
    expect(done.body).to.deep.equal({ review: { by: { id: 'api-token', name: 'API' }, note: '😀'.repeat(1000), at: '2026-11-23T08:00:00.000Z' } });
    const view = (await getJson<DecisionView>(app, `/api/decisions/${ids.first}`)).body;
    expect(view.reviews).to.deep.equal([{ decisionId: ids.first, ...done.body.review }]);
    expect(view.awaitingReview).to.equal(false);
    expect(await idsOf('reviewed=true')).to.deep.equal([ids.first]);
    expect(await idsOf('reviewed=false')).to.deep.equal([ids.third, ids.second]);
    expect(await idsOf('verdict=wrong&reviewed=true')).to.deep.equal([ids.first]);
  });

  it('reports what the bot could not answer per ISO week of Moscow, grouped by wording, numbers masked', async () => {
    const { status, body, cache } = await getJson(app, '/api/gaps?from=2026-11-16&to=2026-11-23');
    expect(status).to.equal(200);
    expect(cache).to.equal('no-store');
    expect(JSON.stringify(body)).not.to.include('89123456789');
    expect(body).to.deep.include({ from: '2026-11-16', to: '2026-11-23', timeZone: 'Europe/Moscow' });
    const show = (w: any) => `${w.week} ${w.from}…${w.to} ${w.total}: ${w.groups.map((g: any) => `${g.label} ×${g.count} [${Object.entries(g.reasons).filter(([, n]) => n).map(([r, n]) => `${r}:${n}`)}]`).join('; ')}`;
    expect(body.weeks.map(show)).to.deep.equal([
      '2026-W48 2026-11-23…2026-11-29 5: Вопрос абонента по ранее созданному CASE: В каком состоянии кейс клиента? ×2 [cancelled:1,corrected:1]; как пройти в библиотеку ••••••••••• ×2 [noMatch:2]; клиент спрашивает про кейс ×1 [nothingFits:1]',
      '2026-W47 2026-11-16…2026-11-22 1: не та фраза ×1 [wrong:1]',
    ]);
    const [wrong] = body.weeks[1].groups[0].examples;
    expect(wrong).to.deep.equal({ text: 'не та фраза', at: '2026-11-20T22:30:00.000Z', operator: { id: ANNA.id, name: ANNA.name }, reason: 'wrong', procedureId: 'case-repeat-inquiry', decisionId: ids.first });
    // A changed answer joins what else went wrong at that question.
    expect(body.weeks[0].groups[0].examples.map((e: any) => `${e.reason}: ${e.text}`)).to.deep.equal([
      'corrected: В каком состоянии кейс клиента: «опен» → «Open»',
      'cancelled: Вопрос абонента по ранее созданному CASE: В каком состоянии кейс клиента?',
    ]);
    expect(body.weeks[0].groups[0].examples[0]).to.deep.equal({ text: 'В каком состоянии кейс клиента: «опен» → «Open»', at: '2026-11-23T07:04:00.000Z', operator: { id: ANNA.id, name: ANNA.name }, reason: 'corrected', procedureId: 'case-repeat-inquiry' });
    expect(body.weeks[0].groups[1].examples.map((e: any) => [e.text, e.operator.name])).to.deep.equal([
      ['Как пройти в библиотеку?', FEDYA.name],
      ['как пройти в библиотеку •••••••••••', ANNA.name],
    ]);
    expect((await getJson(app, '/api/gaps?from=2026-11-23T00:00:00Z')).body.message).to.equal('from must be a date (2026-11-23)');
    expect((await getJson(app, '/api/gaps', null)).status).to.equal(401);
  });

  it('gives the gap report as CSV for Excel: a row per week, group and reason', async () => {
    const res = await request(app, '/api/gaps.csv?from=2026-11-16&to=2026-11-23');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('text/csv; charset=utf-8');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith('Неделя;С;По;Группа;Причина;Количество;Примеры\r\n')).to.equal(true);
    expect(text).to.include('2026-W48;2026-11-23;2026-11-29;как пройти в библиотеку •••••••••••;Нет в процедурах;2;Как пройти в библиотеку? | как пройти в библиотеку •••••••••••\r\n');
    expect(text).to.include(';клиент спрашивает про кейс;«Ничего не подходит»;1;клиент спрашивает про кейс\r\n');
    expect(text).to.include('2026-W47;2026-11-16;2026-11-22;не та фраза;Ответ неверный;1;не та фраза\r\n');
    expect(text).to.include(';Вопрос абонента по ранее созданному CASE: В каком состоянии кейс клиента?;Исправлен ответ из сообщения;1;В каком состоянии кейс клиента: «опен» → «Open»\r\n');
    expect((await request(app, '/api/gaps.csv', { token: null })).status).to.equal(401);
  });

  it('counts decisions per Moscow day (every day, zero-filled), per procedure and per outcome', async () => {
    const { status, body } = await getJson(app, '/api/stats?from=2026-11-20&to=2026-11-23');
    expect(status).to.equal(200);
    expect(body.timeZone).to.equal('Europe/Moscow');
    expect(body.perDay.map((d: any) => `${d.date} ${d.total} phrase:${d.kinds.phrase} transfer:${d.kinds.transfer}`)).to.deep.equal([
      '2026-11-20 0 phrase:0 transfer:0',
      '2026-11-21 2 phrase:1 transfer:1',
      '2026-11-22 1 phrase:0 transfer:1',
      '2026-11-23 0 phrase:0 transfer:0',
    ]);
    expect(body.perProcedure.map((p: any) => `${p.id} «${p.title}» ${p.total}`)).to.deep.equal(['case-repeat-inquiry «Вопрос абонента по ранее созданному CASE» 3']);
    expect(body.perOutcome.map((o: any) => `${o.nodeId} ${o.kind} ${o.count}`)).to.deep.equal(['to_retention transfer 2', 'open_repeat phrase 1']);
    expect(body.perOutcome[0].headline).to.equal(headlineOf(cards.second));
  });

  it('shows one procedure’s funnel: dialogs per option, where operators left, outcomes; and draws the counts on its map', async () => {
    const { status, body } = await getJson(app, '/api/stats/procedures/case-repeat-inquiry?from=2026-11-20&to=2026-11-23');
    expect(status).to.equal(200);
    expect(body).to.deep.include({ id: 'case-repeat-inquiry', title: 'Вопрос абонента по ранее созданному CASE', started: 4, decided: 3, abandoned: 1 });
    const state = body.nodes.find((n: any) => n.nodeId === 'state');
    expect(state).to.deep.include({ question: 'В каком состоянии кейс клиента?', reached: 4, abandonedHere: 1 });
    expect(Object.fromEntries(state.options.map((o: any) => [o.optionId, o.count]))).to.deep.include({ 'closed-disagree': 2, open: 1, 'open-dispatch': 0, other: 0 });
    expect(body.nodes.find((n: any) => n.nodeId === 'closed_category')).to.deep.include({ reached: 2, abandonedHere: 0 });
    expect(body.outcomes[0]).to.deep.equal({ nodeId: 'to_retention', headline: headlineOf(cards.second), count: 2 });

    const map = await request(app, '/api/stats/procedures/case-repeat-inquiry/map.svg?from=2026-11-20&to=2026-11-23');
    expect(map.status).to.equal(200);
    expect(map.headers.get('content-type')).to.equal('image/svg+xml; charset=utf-8');
    const svg = await map.text();
    expect(svg).to.match(/^<\?xml|^<svg|<!DOCTYPE svg/);
    expect(svg).to.include('× 2').and.include('Решений: 2').and.include('ушли здесь: 1');
    expect((await getJson(app, '/api/stats/procedures/no-such/map.svg')).status).to.equal(404);
    expect((await getJson(app, '/api/stats/procedures/no-such')).status).to.equal(404);
    expect((await getJson(app, '/api/stats?from=2026-01-01&to=2027-06-01')).body.message).to.include('at most 366 days');
  });

  it('refuses the review to everyone when the API is not configured', async () => {
    const closed = await start({}, () => clock);
    try {
      expect((await postReview(closed, ids.first, { note: 'ok' })).status).to.equal(403);
    } finally {
      await closed.close();
    }
  });
});
