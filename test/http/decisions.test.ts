import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { closeSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { foundByLabels, kindLabels, OUTCOME_KINDS } from '../../src/domain/vocabulary.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { SignJWT, exportJWK } from 'jose';
import { createApp, type App } from '../../src/bot/app.js';
import { readConfig } from '../../src/bot/config.js';
import { FOUND_BY, type DecisionView } from '../../src/domain/decisions.js';
import { buttonsOf, clickData, headlineOf, lastCard, textOf, type Card } from '../support/cards.js';
import { decision } from '../support/decisions.js';
import { tempDir, turn } from '../support/http.js';
import { kbDir } from '../support/kb.js';

/**
 * Team leads over HTTP: decisions logged by real dialogs (POST /api/messages), read back through
 * /api/decisions with filters, paging and CSV; feedback and review clicks as Teams sends them;
 * the lead commands in the chat; who may use the API.
 */

const TOKEN = 'leads-api-token-for-tests-0123456789abcdef';
const LEAD = { id: '29:lead-1', name: 'Тимлид Иванова', aadObjectId: '11111111-1111-4111-8111-111111111111' };
const OP_A = { id: '29:operator-a', name: 'Анна [Оператор](http://evil.example)', aadObjectId: '22222222-2222-4222-8222-222222222222' };
const OP_B = { id: '29:operator-b', name: '=HYPERLINK("http://evil.example";"Борис")' };

type Started = App & { url: string; logs: string[] };

async function start(env: Record<string, string> = {}, now?: () => Date): Promise<Started> {
  const logs: string[] = [];
  const app = createApp(readConfig({ PORT: '0', HOST: '127.0.0.1', KB_DIR: kbDir, DATA_DIR: tempDir('oa-leads-'), ...env }), { now, log: (l) => logs.push(l) });
  const url = await app.listen();
  return Object.assign(app, { url, logs });
}

const texts = (replies: Partial<Activity>[]) => replies.map((r) => r.text ?? '').filter(Boolean);

/** Every text a person reads on a card: TextBlocks and the TextRuns of RichTextBlocks (one line each). */
function readCard(card: Card): string {
  const out: string[] = [];
  const walk = (n: any): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    if (n.type === 'TextBlock') out.push(String(n.text));
    if (n.type === 'RichTextBlock') out.push(n.inlines.map((i: any) => i.text).join(''));
    for (const k of ['body', 'items', 'columns', 'actions', 'card']) if (n[k]) walk(n[k]);
  };
  walk(card);
  return out.join('\n');
}

/** Walks case-repeat-inquiry by clicks: Open → Да (a standard phrase), or Closed → BackOffice Сохранения (a transfer). */
async function walk(url: string, conversation: string, user: { id: string; name: string }, route: 'phrase' | 'transfer'): Promise<Card> {
  let replies = await turn(url, conversation, { value: { action: 'start', procedureId: 'case-repeat-inquiry' } }, user);
  if (route === 'phrase') {
    replies = await turn(url, conversation, { value: clickData(lastCard(replies), 'Open') }, user);
    replies = await turn(url, conversation, { value: clickData(lastCard(replies), 'Да') }, user);
  } else {
    replies = await turn(url, conversation, { value: clickData(lastCard(replies), 'Closed — клиент не согласен с решением') }, user);
    replies = await turn(url, conversation, { value: clickData(lastCard(replies), 'BackOffice Сохранения') }, user);
  }
  return lastCard(replies);
}

/** `null`: no Authorization header at all. */
const get = (app: Started, path: string, token: string | null = TOKEN) => fetch(`${app.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
async function getJson<T = any>(app: Started, path: string, token: string | null = TOKEN): Promise<{ status: number; body: T }> {
  const res = await get(app, path, token);
  return { status: res.status, body: (await res.json()) as T };
}

/** RFC 4180 with `;`: quoted cells may hold ; " and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

describe('http: team leads — decision log, feedback, review, API', () => {
  let app: Started;
  let clock = new Date('2026-11-20T09:00:00Z');
  const ids: Record<string, string> = {};
  /** The outcome cards the operators saw. */
  const cards: Record<string, Card> = {};

  before(async () => {
    app = await start({ LEADS_API_TOKEN: TOKEN, TEAM_LEADS: `${LEAD.id},33333333-3333-4333-8333-333333333333` }, () => clock);
    // Three real dialogs on three days, by two operators.
    const first = await walk(app.url, 'c-a1', OP_A, 'phrase');
    clock = new Date('2026-11-21T10:00:00Z');
    const second = await walk(app.url, 'c-b1', OP_B, 'transfer');
    clock = new Date('2026-11-22T11:00:00Z');
    const third = await walk(app.url, 'c-a2', OP_A, 'transfer');
    Object.assign(cards, { first, second, third });
    const idOf = (card: Card) => clickData(card, '👍 Помогло').decisionId as string;
    Object.assign(ids, { first: idOf(first), second: idOf(second), third: idOf(third) });
  });
  after(() => app?.close());

  it('logs every outcome a dialog reached and gives it back through GET /api/decisions, newest first', async () => {
    const { status, body } = await getJson<{ total: number; offset: number; limit: number; items: DecisionView[] }>(app, '/api/decisions');
    expect(status).to.equal(200);
    expect(body.total).to.equal(3);
    expect(body.items.map((v) => v.id)).to.deep.equal([ids.third, ids.second, ids.first]);
    const first = body.items[2];
    expect(first.operator).to.deep.equal(OP_A);
    expect(first.at).to.equal('2026-11-20T09:00:00.000Z');
    expect(first.procedureId).to.equal('case-repeat-inquiry');
    expect(first.outcome.headline).to.equal('Скажите клиенту стандартную фразу и внесите в комментарий CASE слово «Повтор»');
    expect(first.path.map((s) => s.answer)).to.deep.equal(['Open', 'Да']);
    expect(first.citations[0].seed).to.equal('001_30f17cc54f05e2fd.txt');
    // Started from a topic's card: the operator chose the procedure, not the search.
    expect(first.foundBy).to.equal('tap');
    expect(body.items[0].outcome.kind).to.equal('transfer');
  });

  it('filters by operator, procedure, kind and dates, pages with offset and limit, and answers one decision by id', async () => {
    const idsOf = async (q: string) => (await getJson<{ items: DecisionView[] }>(app, `/api/decisions?${q}`)).body.items.map((v) => v.id);
    expect(await idsOf(`operator=${encodeURIComponent(OP_A.id)}`)).to.deep.equal([ids.third, ids.first]);
    expect(await idsOf(`operator=${OP_A.aadObjectId}`)).to.deep.equal([ids.third, ids.first]);
    expect(await idsOf('kind=transfer')).to.deep.equal([ids.third, ids.second]);
    expect(await idsOf('kind=phrase&procedure=case-repeat-inquiry')).to.deep.equal([ids.first]);
    expect(await idsOf('procedure=call-termination')).to.deep.equal([]);
    expect(await idsOf('foundBy=tap&kind=transfer')).to.deep.equal([ids.third, ids.second]);
    expect(await idsOf('foundBy=secondOpinion')).to.deep.equal([]);
    expect(await idsOf('from=2026-11-21&to=2026-11-21')).to.deep.equal([ids.second]);
    expect(await idsOf('from=2026-11-21T00:00:00%2B03:00')).to.deep.equal([ids.third, ids.second]);
    const page = await getJson(app, '/api/decisions?offset=1&limit=1');
    expect(page.body).to.deep.include({ total: 3, offset: 1, limit: 1 });
    expect(page.body.items.map((v: DecisionView) => v.id)).to.deep.equal([ids.second]);

    const one = await getJson<DecisionView>(app, `/api/decisions/${ids.second}`);
    expect(one.status).to.equal(200);
    expect(one.body.operator.name).to.equal(OP_B.name);
    expect(one.body.outcome.headline).to.equal('Переключите клиента на линию Сохранения');
    expect(one.body.foundBy).to.equal('tap');
    const missing = await getJson(app, '/api/decisions/no-such-decision');
    expect(missing).to.deep.equal({ status: 404, body: { error: 'not_found', message: 'no decision "no-such-decision" in the log' } });
  });

  it('names the outcome kinds for the tab as the bot\u2019s cards name them, only to team leads', async () => {
    const { status, body } = await getJson(app, '/api/decisions/kinds');
    expect(status).to.equal(200);
    expect(body.kinds.map((k: { id: string; label: string }) => `${k.id}=${k.label}`)).to.deep.equal(OUTCOME_KINDS.map((k) => `${k}=${kindLabels[k]}`));
    expect(body.kinds.find((k: { id: string }) => k.id === 'transfer').label).to.equal('Перевод на линию');
    expect(body.foundBy.map((k: { id: string; label: string }) => `${k.id}=${k.label}`)).to.deep.equal(FOUND_BY.map((k) => `${k}=${foundByLabels[k]}`));
    expect((await getJson(app, '/api/decisions/kinds', null)).status).to.equal(401);
  });

  it('answers a wrong query with 400 and a JSON error naming the parameter', async () => {
    for (const [q, words] of [
      ['limit=201', 'limit must be a whole number from 1 to 200'],
      ['limit=0', 'limit'],
      ['offset=-1', 'offset'],
      ['kind=wrongKind', 'kind must be one of'],
      ['from=2026-13-01', 'from must be a date'],
      ['to=yesterday', 'to must be a date'],
      ['from=2026-11-23&to=2026-11-01', 'from is after to'],
      ['awaitingReview=yes', 'awaitingReview must be true or false'],
      [`procedure=${'x'.repeat(201)}`, 'procedure must be a procedure id or part of its title'],
      ['operator=%20', 'operator must be'],
      ['verdict=bad', 'verdict must be one of helpful, wrong, none'],
      ['foundBy=guess', 'foundBy must be one of rules, evidenced, secondOpinion, rescued, tap'],
      ['reviewed=yes', 'reviewed must be true or false'],
      ['oprator=x', 'unknown parameter "oprator"'],
      ['kind=faq&kind=phrase', 'more than once'],
    ]) {
      const res = await getJson(app, `/api/decisions?${q}`);
      expect(res.status, q).to.equal(400);
      expect(res.body.error, q).to.equal('bad_request');
      expect(res.body.message, q).to.include(words);
    }
    expect((await getJson(app, '/api/decisions.csv?limit=5')).body.message).to.include('unknown parameter "limit"');
  });

  it('takes the outcome card’s feedback clicks as Teams sends them, and a flagged answer joins the review queue', async () => {
    // «👍 Помогло» on the second decision, «Ответ неверный» → «Отправить тимлиду» with a comment on the third:
    // the buttons' data as the cards carry it, the comment input merged in by Teams.
    const helpful = await turn(app.url, 'c-b1', { value: clickData(cards.second, '👍 Помогло') }, OP_B);
    expect(texts(helpful)).to.deep.equal(['Спасибо! Отметил, что ответ помог.']);
    clock = new Date('2026-11-22T12:00:00Z');
    const comment = 'Линия не та: [жми](http://evil.example) **срочно**;\n"второй" абзац';
    const wrong = await turn(app.url, 'c-a2', { value: { ...clickData(cards.third, 'Отправить тимлиду'), comment } }, OP_A);
    expect(texts(wrong)[0]).to.match(/^Спасибо, ответ отмечен как неверный/);

    const queue = await getJson<{ total: number; items: DecisionView[] }>(app, '/api/decisions?awaitingReview=true');
    expect(queue.body.total).to.equal(1);
    expect(queue.body.items[0].id).to.equal(ids.third);
    expect(queue.body.items[0].feedback).to.deep.equal([{ decisionId: ids.third, at: '2026-11-22T12:00:00.000Z', by: OP_A, verdict: 'wrong', comment }]);
    const second = await getJson<DecisionView>(app, `/api/decisions/${ids.second}`);
    expect(second.body.feedback.map((f) => f.verdict)).to.deep.equal(['helpful']);
    expect(second.body.awaitingReview).to.equal(false);

    // A click naming a decision that is not in the log is refused, and nothing is logged.
    const forged = await turn(app.url, 'c-a2', { value: { action: 'feedback', decisionId: 'forgedDecision1', verdict: 'wrong' } }, OP_A);
    expect(texts(forged)).to.deep.equal(['Не нашёл этот ответ в журнале — возможно, карточка от старой версии бота. Отзыв не записан.']);
  });

  it('refuses the lead commands to an operator politely, and logs only the command word', async () => {
    for (const command of ['решения', '/Решения тип=перевод', 'проверка', `решение ${ids.first}`, `проверено ${ids.third} секретная заметка 12345`]) {
      const replies = await turn(app.url, 'c-op', command, OP_A);
      expect(texts(replies), command).to.deep.equal([
        'Эта команда доступна только руководителям групп (тимлидам). Если вы тимлид, попросите администратора бота добавить вас в список TEAM_LEADS.',
      ]);
    }
    const refusals = app.logs.filter((l) => l.startsWith('team-lead command refused'));
    expect(refusals).to.have.length(5);
    expect(refusals[4]).to.equal(`team-lead command refused: «проверено» from user ${OP_A.id} (not in TEAM_LEADS)`);
    expect(app.logs.join('\n')).not.to.include('секретная').and.not.to.include(ids.third);
    // An operator's question that merely starts with the word is a question, not a command.
    const question = await turn(app.url, 'c-op2', 'решение по кейсу не устраивает клиента', OP_A);
    expect(texts(question).join('\n')).not.to.include('только руководителям');
    // Nor can an operator use a lead card's button.
    const click = await turn(app.url, 'c-op', { value: { action: 'leadQueue' } }, OP_A);
    expect(texts(click)[0]).to.match(/^Эта команда доступна только руководителям/);
    // A lead's id typed into another channel (the web console lets the browser choose it) proves nothing.
    const elsewhere = await turn(app.url, 'c-web', { type: 'message', text: 'проверка', channelId: 'webchat' }, LEAD);
    expect(texts(elsewhere)[0]).to.match(/^Эта команда доступна только руководителям/);
  });

  it('answers a lead in a group chat or channel with a note to use the personal chat: no decision shown, no review written', async () => {
    for (const conversationType of ['groupChat', 'channel']) {
      const conversation = { id: `team-${conversationType}`, conversationType } as Activity['conversation'];
      for (const input of [{ text: 'решения' }, { text: 'проверка' }, { text: `решение ${ids.first}` }, { text: `проверено ${ids.third} Разобрано` }, { value: { action: 'leadRecent' } }]) {
        const replies = await turn(app.url, conversation.id, { type: 'message', ...input, conversation }, LEAD);
        expect(texts(replies), `${conversationType} ${JSON.stringify(input)}`).to.deep.equal([
          'Команды руководителя здесь не выполняются: в групповом чате и канале решения с именами операторов и ситуациями клиентов увидели бы все участники. ' +
            'Напишите эту команду боту в личном чате или откройте вкладку «Решения».',
        ]);
        expect(replies.flatMap((r) => r.attachments ?? [])).to.deep.equal([]);
      }
    }
    const third = await getJson<DecisionView>(app, `/api/decisions/${ids.third}`);
    expect(third.body.reviews).to.deep.equal([]);
  });

  it('shows a lead the decisions, the review queue and one decision in full, with typed text as plain text', async () => {
    let replies = await turn(app.url, 'c-lead', 'Решения', LEAD);
    let card = lastCard(replies);
    expect(headlineOf(card) || readCard(card).split('\n')[0]).to.equal('Решения');
    let text = readCard(card);
    expect(text).to.include('Всего: 3');
    expect(text).to.include('Переключите клиента на линию Сохранения');
    expect(text).to.include(`${OP_A.name}`);
    expect(text).to.include('⚠ ждёт проверки');
    // Typed names and comments sit in TextRuns only (plain text), never in Markdown TextBlocks.
    expect(textOf(card)).not.to.include('evil.example');

    replies = await turn(app.url, 'c-lead', '/решения тип=перевод с=21.11.2026 по=2026-11-21', LEAD);
    text = readCard(lastCard(replies));
    expect(text).to.include('Всего: 1');
    expect(text).to.include(OP_B.name);
    expect(text).not.to.include(OP_A.name);

    replies = await turn(app.url, 'c-lead', 'решения тип=космос', LEAD);
    expect(texts(replies)[0]).to.match(/^Такого типа результата нет\./);

    replies = await turn(app.url, 'c-lead', '<at>Помощник</at> ПРОВЕРКА', LEAD);
    card = lastCard(replies);
    text = readCard(card);
    expect(text).to.include('Проверка: ответы, отмеченные как неверные');
    expect(text).to.include('Всего: 1');
    expect(text).to.include('Комментарий оператора: Линия не та: [жми](http://evil.example) **срочно**; "второй" абзац');
    expect(textOf(card)).not.to.include('evil.example');

    // A tap on the queue item opens the decision card.
    const open = card.body!.find((b: any) => b.selectAction)?.selectAction.data;
    expect(open).to.deep.equal({ action: 'leadDecision', decisionId: ids.third });
    replies = await turn(app.url, 'c-lead', { value: open }, LEAD);
    card = lastCard(replies);
    text = readCard(card);
    expect(headlineOf(card)).to.equal('Переключите клиента на линию Сохранения');
    const title = (await getJson<DecisionView>(app, `/api/decisions/${ids.third}`)).body.procedureTitle;
    for (const line of [
      'Ждёт проверки: оператор отметил ответ как неверный',
      `Оператор: ${OP_A.name} (${OP_A.id}; AAD ${OP_A.aadObjectId})`,
      'Время: 22.11.2026, 14:00',
      `Процедура: ${title} (case-repeat-inquiry, версия`,
      'Версия базы знаний: ',
      `Номер решения: ${ids.third}`,
      '1. В каком состоянии кейс клиента? → Closed — клиент не согласен с решением',
      '2. Какая категория у кейса? → BackOffice Сохранения',
      '001_30f17cc54f05e2fd.txt',
      '✗ Ответ неверный — 22.11.2026, 15:00, Анна',
    ])
      expect(text).to.include(line);
    expect(text).to.match(/«.*переключаем на линию Сохранения.*»/i);
    expect(textOf(card)).not.to.include('evil.example');
    expect(buttonsOf(card).map((b) => b.title)).to.deep.equal(['Сохранить проверку', 'Проверка', 'Решения']);

    replies = await turn(app.url, 'c-lead', `решение ${ids.first}`, LEAD);
    expect(headlineOf(lastCard(replies))).to.equal('Скажите клиенту стандартную фразу и внесите в комментарий CASE слово «Повтор»');
    replies = await turn(app.url, 'c-lead', 'решение NoSuchDecision1', LEAD);
    expect(texts(replies)).to.deep.equal(['Решения NoSuchDecision1 нет в журнале. Проверьте номер или откройте список: «решения».']);
  });

  it('marks reviewed from the decision card’s note or by «проверено», and the queue empties', async () => {
    clock = new Date('2026-11-23T08:00:00Z');
    const card = lastCard(await turn(app.url, 'c-lead', `решение ${ids.third}`, LEAD));
    const save = clickData(card, 'Сохранить проверку');
    // Without a note: asked for one, nothing recorded.
    let replies = await turn(app.url, 'c-lead', { value: { ...save, note: '   ' } }, LEAD);
    expect(texts(replies)).to.deep.equal(['Напишите примечание к проверке: что выяснили и что сделали.']);
    expect((await getJson(app, '/api/decisions?awaitingReview=true')).body.total).to.equal(1);
    // A forged shape (an extra key) is not one of the bot's clicks.
    replies = await turn(app.url, 'c-lead', { value: { ...save, note: 'ok', admin: true } }, LEAD);
    expect(texts(replies)[0]).to.match(/Эту кнопку я не узнаю/);

    replies = await turn(app.url, 'c-lead', { value: { ...save, note: 'Линия верная, оператор выбрал не ту категорию. Разобрали с ним.' } }, LEAD);
    expect(texts(replies)).to.deep.equal([`Решение ${ids.third} отмечено как проверенное.`]);
    expect(readCard(lastCard(replies))).to.include('✓ 23.11.2026, 11:00, Тимлид Иванова: Линия верная, оператор выбрал не ту категорию. Разобрали с ним.');

    const queue = await getJson(app, '/api/decisions?awaitingReview=true');
    expect(queue.body.total).to.equal(0);
    replies = await turn(app.url, 'c-lead', 'проверка', LEAD);
    expect(readCard(lastCard(replies))).to.include('Очередь пуста: все ответы, отмеченные как неверные, проверены.');
    const reviewed = await getJson<DecisionView>(app, `/api/decisions/${ids.third}`);
    expect(reviewed.body.reviews).to.deep.equal([
      { decisionId: ids.third, at: '2026-11-23T08:00:00.000Z', by: LEAD, note: 'Линия верная, оператор выбрал не ту категорию. Разобрали с ним.' },
    ]);

    // The typed form, from a lead listed by AAD object id only.
    const aadLead = { id: '29:lead-2', name: 'Второй Тимлид', aadObjectId: '33333333-3333-4333-8333-333333333333' };
    replies = await turn(app.url, 'c-lead2', `проверено ${ids.first} Ответ верный`, aadLead);
    expect(texts(replies)[0]).to.equal(`Решение ${ids.first} отмечено как проверенное.`);
    expect((await getJson<DecisionView>(app, `/api/decisions/${ids.first}`)).body.reviews.map((r) => r.note)).to.deep.equal(['Ответ верный']);
  });

  it('exports CSV for Excel: BOM, «;», Russian intact, quoting, formula cells made harmless', async () => {
    const res = await get(app, '/api/decisions.csv?kind=transfer');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).to.match(/^attachment; filename="decisions-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith('\uFEFFВремя;Оператор;ID оператора;Процедура;')).to.equal(true);
    const rows = parseCsv(text.slice(1));
    const [header, ...data] = rows;
    expect(header).to.include.members(['Время', 'Оператор', 'Процедура', 'Тип результата', 'Результат', 'Путь', 'Цитата', 'Отзывы', 'Проверка']);
    expect(data).to.have.length(2);
    const col = (row: string[], name: string) => row[header.indexOf(name)];
    const [third, second] = data;
    expect(col(third, 'Время')).to.equal('2026-11-22 14:00:00');
    expect(col(third, 'Оператор')).to.equal(OP_A.name);
    expect(col(third, 'Тип результата')).to.equal('Перевод на линию');
    expect(col(third, 'Результат')).to.equal('Переключите клиента на линию Сохранения');
    expect(col(third, 'Путь')).to.equal('В каком состоянии кейс клиента? — Closed — клиент не согласен с решением | Какая категория у кейса? — BackOffice Сохранения');
    expect(col(third, 'Цитата')).to.include('(001_30f17cc54f05e2fd.txt)');
    // The comment with ; " and a line break comes back whole.
    expect(col(third, 'Отзывы')).to.equal('Ответ неверный (Анна [Оператор](http://evil.example), 2026-11-22 15:00:00): Линия не та: [жми](http://evil.example) **срочно**;\n"второй" абзац');
    expect(col(third, 'Проверка')).to.include('Тимлид Иванова, 2026-11-23 11:00:00: Линия верная');
    expect(col(third, 'Ждёт проверки')).to.equal('нет');
    expect(col(third, 'Как выбрана процедура')).to.equal('Выбрал оператор');
    // A name that starts like a formula is text in Excel.
    expect(col(second, 'Оператор')).to.equal(`'${OP_B.name}`);
    expect(col(second, 'Отзывы')).to.match(/^Помогло \(/);
    expect(text).to.include(`"'=HYPERLINK(""http://evil.example"";""Борис"")"`);
  });
});

describe('http: who may use the team-lead API', () => {
  const paths = ['/api/decisions', '/api/decisions.csv', '/api/decisions/anything'];

  it('refuses everything with 403 when neither an API token nor SSO is configured', async () => {
    const app = await start({ TEAM_LEADS: LEAD.id });
    try {
      for (const path of paths)
        for (const token of [null, TOKEN]) {
          const res = await getJson(app, path, token);
          expect(res.status, path).to.equal(403);
          expect(res.body.error).to.equal('not_configured');
        }
      expect(app.logs.filter((l) => l.includes('team-lead API: refused'))).to.have.length(6);
    } finally {
      await app.close();
    }
  });

  it('answers 401 with no token or a wrong one, and never logs the token', async () => {
    const app = await start({ LEADS_API_TOKEN: TOKEN });
    try {
      for (const path of paths) {
        const none = await get(app, path, null);
        expect(none.status).to.equal(401);
        expect(none.headers.get('www-authenticate')).to.equal('Bearer');
        expect(((await none.json()) as any).error).to.equal('unauthorized');
        const wrong = await getJson(app, path, 'wrong-token-wrong-token-wrong-token-00');
        expect(wrong.status).to.equal(401);
        const almost = await getJson(app, path, TOKEN.slice(0, -1) + 'X');
        expect(almost.status).to.equal(401);
      }
      const basic = await fetch(`${app.url}/api/decisions`, { headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` } });
      expect(basic.status).to.equal(401);
      expect((await get(app, '/api/decisions')).status).to.equal(200);
      const refusals = app.logs.filter((l) => l.includes('team-lead API: refused'));
      expect(refusals.length).to.equal(10);
      expect(refusals[1]).to.match(/^team-lead API: refused GET \/api\/decisions from 127\.0\.0\.1 \(401\): the token is not the API token$/);
      expect(app.logs.join('\n')).not.to.include('wrong-token').and.not.to.include(TOKEN.slice(0, 20));
    } finally {
      await app.close();
    }
  });
});

describe('http: the Teams tab’s single sign-on token (AAD JWT) for the team-lead API', () => {
  const clientId = '44444444-4444-4444-8444-444444444444';
  const tenantId = '55555555-5555-4555-8555-555555555555';
  const keyOf = (kid: string) => ({ kid, ...generateKeyPairSync('rsa', { modulusLength: 2048 }) });
  const trusted = keyOf('trusted');
  const untrusted = keyOf('untrusted');
  const sameKidImpostor = keyOf('trusted');
  let jwks: Server;
  let app: Started;

  before(async () => {
    const jwk = { ...(await exportJWK(trusted.publicKey)), kid: trusted.kid, use: 'sig', alg: 'RS256' };
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    app = await start({
      TEAM_LEADS: `${LEAD.id},${LEAD.aadObjectId}`,
      TAB_SSO_CLIENT_ID: clientId,
      TAB_SSO_TENANT_ID: tenantId,
      TAB_SSO_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`,
    });
  });
  after(async () => {
    await app?.close();
    await new Promise<void>((resolve) => jwks.close(() => resolve()));
  });

  function sso(key: { kid: string; privateKey: KeyObject }, claims: Record<string, unknown> = {}, expiresIn: string | number = '1h') {
    return new SignJWT({ tid: tenantId, oid: LEAD.aadObjectId, name: LEAD.name, iss: `https://login.microsoftonline.com/${tenantId}/v2.0`, aud: `api://bot.example.com/${clientId}`, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key.privateKey);
  }

  it('lets in a listed team lead with a valid token (Application ID URI or bare client id, v1 or v2 issuer)', async () => {
    expect((await get(app, '/api/decisions', await sso(trusted))).status).to.equal(200);
    expect((await get(app, '/api/decisions', await sso(trusted, { aud: clientId, iss: `https://sts.windows.net/${tenantId}/` }))).status).to.equal(200);
    expect((await get(app, '/api/decisions', await sso(trusted, { aud: `api://bot.example.com/botid-${clientId}` }))).status).to.equal(200);
  });

  it('records a review by the signed-in team lead: their AAD id and name; refuses someone who is not a lead', async () => {
    const card = await walk(app.url, 'c-sso', OP_A, 'phrase');
    const id = clickData(card, '👍 Помогло').decisionId as string;
    const post = async (token: string) =>
      fetch(`${app.url}/api/decisions/${id}/review`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ note: 'Проверила путь' }) });
    const refused = await post(await sso(trusted, { oid: '77777777-7777-4777-8777-777777777777' }));
    expect(refused.status).to.equal(403);
    const res = await post(await sso(trusted));
    expect(res.status).to.equal(201);
    const { review } = (await res.json()) as { review: { by: unknown; note: string } };
    expect(review.by).to.deep.equal({ id: LEAD.aadObjectId, name: LEAD.name, aadObjectId: LEAD.aadObjectId });
    const view = (await (await get(app, `/api/decisions/${id}`, await sso(trusted))).json()) as DecisionView;
    expect(view.reviews.map((r) => [r.by.name, r.note])).to.deep.equal([[LEAD.name, 'Проверила путь']]);
  });

  it('answers 403 to a valid token of someone who is not a team lead', async () => {
    const res = await getJson(app, '/api/decisions', await sso(trusted, { oid: '66666666-6666-4666-8666-666666666666' }));
    expect(res).to.deep.include({ status: 403 });
    expect(res.body.error).to.equal('forbidden');
    expect(app.logs.some((l) => l.endsWith('(403): user 66666666-6666-4666-8666-666666666666 is not in TEAM_LEADS'))).to.equal(true);
  });

  it('answers 401 to an untrusted key, a forged signature, an expired token, and another app, tenant or issuer', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, Promise<string>][] = [
      ['untrusted key', sso(untrusted)],
      ['same kid, other key', sso(sameKidImpostor)],
      ['expired', sso(trusted, {}, now - 3600)],
      ['other audience', sso(trusted, { aud: 'api://bot.example.com/77777777-7777-4777-8777-777777777777' })],
      ['audience with the client id elsewhere', sso(trusted, { aud: `api://bot.example.com/x${clientId}` })],
      ['other tenant', sso(trusted, { tid: '88888888-8888-4888-8888-888888888888' })],
      ['other issuer', sso(trusted, { iss: 'https://login.microsoftonline.com/88888888-8888-4888-8888-888888888888/v2.0' })],
    ];
    for (const [name, token] of cases) {
      const t = await token;
      const res = await getJson(app, '/api/decisions', t);
      expect(res.status, name).to.equal(401);
      expect(app.logs.join('\n'), name).not.to.include(t.split('.')[2]);
    }
    // Nor is the unsigned «alg: none» trick accepted.
    const [h, p] = (await sso(trusted)).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    expect((await get(app, '/api/decisions', none)).status).to.equal(401);
    void h;
  });
});

describe('http: feedback is one per decision and person, and only its operator’s or a team lead’s', () => {
  let app: Started;
  let card: Card;
  let id = '';
  before(async () => {
    app = await start({ LEADS_API_TOKEN: TOKEN, TEAM_LEADS: LEAD.id });
    card = await walk(app.url, 'c-own', OP_A, 'phrase');
    id = clickData(card, '👍 Помогло').decisionId as string;
  });
  after(() => app?.close());
  const feedbackOf = async () => (await getJson<DecisionView>(app, `/api/decisions/${id}`)).body.feedback;

  it('stores one event for 20 parallel «Помогло» clicks, and a later «неверный» changes it', async () => {
    const clicks = await Promise.all(Array.from({ length: 20 }, () => turn(app.url, 'c-own', { value: clickData(card, '👍 Помогло') }, OP_A)));
    expect(clicks.flatMap(texts).filter((t) => t === 'Спасибо! Отметил, что ответ помог.')).to.have.length(1);
    expect(clicks.flatMap(texts).filter((t) => t === 'Этот отзыв уже записан.')).to.have.length(19);
    expect((await feedbackOf()).map((f) => f.verdict)).to.deep.equal(['helpful']);
    const wrong = await turn(app.url, 'c-own', { value: { ...clickData(card, 'Отправить тимлиду'), comment: 'Не та фраза' } }, OP_A);
    expect(texts(wrong)[0]).to.match(/^Спасибо, ответ отмечен как неверный/);
    expect((await feedbackOf()).map((f) => [f.verdict, f.comment])).to.deep.equal([['wrong', 'Не та фраза']]);
    expect((await getJson<DecisionView>(app, `/api/decisions/${id}`)).body.awaitingReview).to.equal(true);
  });

  it('refuses feedback and form values from another operator with a clear message, and takes a team lead’s', async () => {
    const before = await feedbackOf();
    const other = await turn(app.url, 'c-other', { value: clickData(card, '👍 Помогло') }, OP_B);
    expect(texts(other)).to.deep.equal(['Этот ответ получил другой оператор: отзыв о нём может оставить только он сам или руководитель группы, а форму заполнить — только он. Ничего не записано.']);
    expect(await feedbackOf()).to.deep.equal(before);
    const lead = await turn(app.url, 'c-lead', { value: clickData(card, '👍 Помогло') }, LEAD);
    expect(texts(lead)).to.deep.equal(['Спасибо! Отметил, что ответ помог.']);
    expect((await feedbackOf()).map((f) => f.by.id)).to.deep.equal([OP_A.id, LEAD.id]);
  });
});

describe('http: a CSV export that fails after it started ends with an error line', () => {
  it('writes the pages it could read, then «#ОШИБКА…» as the last line', async () => {
    const dataDir = tempDir('oa-csv-');
    const app = await start({ LEADS_API_TOKEN: TOKEN, DATA_DIR: dataDir });
    try {
      for (let n = 1; n <= 600; n++) await app.decisions.append(decision(n));
      // The oldest entry is damaged on disk after the log was loaded: the second page cannot be read.
      const dir = join(dataDir, 'decisions');
      const fd = openSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.jsonl'))!), 'r+');
      writeSync(fd, '{"type":"xxxxxxxx"', 0);
      closeSync(fd);
      const res = await get(app, '/api/decisions.csv');
      expect(res.status).to.equal(200);
      const rows = parseCsv((await res.text()).slice(1));
      expect(rows.length).to.equal(1 + 500 + 1);
      expect(rows[rows.length - 1][0]).to.equal('#ОШИБКА: выгрузка прервана, файл неполный. Повторите выгрузку.');
      expect(app.logs.some((l) => l.startsWith('team-lead API: GET /api/decisions.csv failed after it started'))).to.equal(true);
    } finally {
      await app.close();
    }
  });
});
