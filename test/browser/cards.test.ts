import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Attachment } from 'botbuilder';
import { locate, type Answer, type Facts, type PathStep } from '../../src/domain/engine.js';
import type { OutcomeNode, Procedure, QuestionNode } from '../../src/domain/types.js';
import { CardFactory } from 'botbuilder';
import { expandCard, outcomeCard, questionCard } from '../../src/dialogs/cards.js';
import { t } from '../../src/dialogs/strings.js';
import { disambiguationCard, helpCard, linesCard, nearestCard, phrasesCard, topicsCard } from '../../src/dialogs/directories.js';
import type { DecisionView } from '../../src/domain/decisions.js';
import { formCard, formCardData, formResultData } from '../../src/dialogs/formCards.js';
import { decisionCard, decisionsCard } from '../../src/dialogs/leadCards.js';
import { parseCardAction, type CardAction } from '../../src/dialogs/input.js';
import { fitActions } from '../../src/dialogs/universalActions.js';
import { chromiumAndBot, openConsole, resultsDir } from '../support/browser.js';
import { realKb, repoRoot } from '../support/kb.js';

/**
 * Every card template (cards/*.json), filled by the bot's own functions with the real knowledge
 * base, must be a valid Adaptive Card 1.5 for the `adaptivecards` library (the renderer Teams'
 * desktop and web clients use) and render in the web console without errors.
 */

// The library's lib/ build does not load in plain Node; its UMD bundle does (parsing needs no DOM).
const AC = createRequire(import.meta.url)(join(repoRoot, 'node_modules/adaptivecards/dist/adaptivecards.js'));

/** Adaptive Cards 1.5 element and action types (adaptivecards.io schema, version 1.5). */
const ELEMENTS_1_5 = new Set([
  'TextBlock', 'Image', 'Media', 'RichTextBlock', 'TextRun', 'ActionSet', 'Container', 'ColumnSet', 'Column', 'FactSet', 'ImageSet',
  'Table', 'TableRow', 'TableCell', 'Input.Text', 'Input.Number', 'Input.Date', 'Input.Time', 'Input.Toggle', 'Input.ChoiceSet',
]);
const ACTIONS_1_5 = new Set(['Action.OpenUrl', 'Action.Submit', 'Action.ShowCard', 'Action.ToggleVisibility', 'Action.Execute']);
/** Teams refuses bot messages over about 28 KB. */
const TEAMS_MAX_BYTES = 28 * 1024;

interface Sample {
  name: string;
  template: string;
  card: Record<string, any>;
  /** The outcome an outcome card shows. */
  node?: OutcomeNode;
  /** What a question card must open with: the facts the bot decided on the way, then the question. */
  opening?: string[];
}

const kb = realKb();
const samples: Sample[] = [];
const add = (template: string, name: string, attachment: Attachment, node?: OutcomeNode, opening?: string[]) => {
  expect(attachment.contentType, name).to.equal('application/vnd.microsoft.card.adaptive');
  // What goes over the wire to Teams: every Action.Execute with its Action.Submit fallback.
  samples.push({ template, name, card: JSON.parse(JSON.stringify(fitActions(attachment.content, true))), ...(node ? { node } : {}), ...(opening ? { opening } : {}) });
};

/** The top of a question card, read from the procedure: each check the bot decided (its question, the answer it took, how it knew), then the question. */
function openingOf(proc: Procedure, node: QuestionNode, path: readonly PathStep[], notes: Record<string, string> = {}): string[] {
  const facts = path.flatMap((s) => {
    const check = proc.nodes[s.nodeId];
    const option = s.automatic && check.type === 'check' ? check.ask?.options.find((o) => o.id === s.optionId) : undefined;
    const note = notes[s.factName ?? ''];
    return option && check.type === 'check' ? [`${check.ask!.text} ${option.label}`, ...(note ? [note] : [])] : [];
  });
  return [...facts, node.text];
}

/** Every node a procedure can reach, with the first path found to it (both fact values tried). */
function reachable(proc: Procedure): Map<string, PathStep[]> {
  const found = new Map<string, PathStep[]>();
  const factSets: Facts[] = [{ telesalesOpen: 'yes' }, { telesalesOpen: 'no' }];
  for (const facts of factSets) {
    const walk = (answers: Answer[], depth: number) => {
      let position;
      try {
        position = locate(proc, answers, facts);
      } catch {
        return;
      }
      if (!found.has(position.nodeId)) found.set(position.nodeId, position.path);
      if (position.type !== 'question' || depth > 25) return;
      for (const option of position.node.options) walk([...answers, { nodeId: position.nodeId, optionId: option.id }], depth + 1);
    };
    walk([], 0);
  }
  return found;
}

// ---- sample data, built by the bot's own functions ----

for (const proc of kb.procedures) {
  const paths = reachable(proc);
  for (const [nodeId, node] of Object.entries(proc.nodes)) {
    const path = paths.get(nodeId) ?? [];
    if (node.type === 'question') add('question', `question ${proc.id}/${nodeId}`, questionCard(proc, nodeId, node, path, `c${samples.length}`, path.length, {}, [], '', '29:1a2b3c'), undefined, openingOf(proc, node, path));
    if (node.type === 'outcome') add('outcome', `outcome (${(node as OutcomeNode).kind}) ${proc.id}/${nodeId}`, outcomeCard(kb, proc, node as OutcomeNode, path, `d${samples.length}`), node as OutcomeNode);
  }
}

// A transfer to a line with every fact (number, hours, note), whether or not a procedure has one yet.
const factLine = kb.lines.find((l) => l.number && l.hours && l.note);
const transfer = kb.procedures.flatMap((p) => Object.values(p.nodes).map((n) => [p, n] as const)).find(([, n]) => n.type === 'outcome' && n.kind === 'transfer');
if (factLine && transfer) {
  const node = { ...(transfer[1] as OutcomeNode), line: factLine.id };
  add('outcome', `outcome (transfer to ${factLine.id}, all line facts)`, outcomeCard(kb, transfer[0], node, [], 'd-line'), node);
}

// Answers taken from the operator's message: «Из сообщения:» with the evidence and a tap to change each.
{
  const proc = kb.procedures.find((p) => p.id === 'case-repeat-inquiry')!;
  const fromMessage: Answer[] = [
    { nodeId: 'state', optionId: 'closed-disagree', from: 'message', evidence: 'клиент не согласен с решением' },
    { nodeId: 'closed_category', optionId: 'backoffice', from: 'message', evidence: 'категория BackOffice' },
  ];
  const atCategory = locate(proc, fromMessage.slice(0, 1));
  const done = locate(proc, fromMessage);
  if (atCategory.type === 'question')
    add('question', 'question with answers from the message', questionCard(proc, atCategory.nodeId, atCategory.node, atCategory.path, 'c-msg', 1, {}, fromMessage.slice(0, 1)), undefined, [atCategory.node.text]);
  if (done.type === 'outcome') add('outcome', 'outcome with answers from the message', outcomeCard(kb, proc, done.node, done.path, 'd-msg', {}, { answers: fromMessage }), done.node);
}
// A question after a check the bot decided from its schedule, in a group chat: the fact and its source above the question.
{
  const proc = kb.procedures.find((p) => p.id === 'potential-corporate')!;
  const at = locate(proc, [{ nodeId: 'topic', optionId: 'connect' }], { telesalesOpen: 'no' });
  const note = 'по расписанию из настроек бота телепродажи работают пн–пт 09:00–18:00 (Europe/Moscow), кроме праздников';
  if (at.type === 'question') add('question', 'question after a decided check, in a group chat', questionCard(proc, at.nodeId, at.node, at.path, 'c-fact', 1, { telesalesOpen: note }, [], 'Анна Петрова'), undefined, openingOf(proc, at.node, at.path, { telesalesOpen: note }));
}
// What an out-of-date card becomes when clicked in place (Universal Actions).
add('notice', 'notice: read-only card', CardFactory.adaptiveCard(expandCard('notice', { text: t.staleCardNoDialog })));
// When no procedure answers: the nearest topics, and when there are none, only the way to the list.
add('directory', 'directory: nearest topics', nearestCard(kb.procedures.slice(0, 2).map((p) => ({ procedureId: p.id, title: p.title, description: p.summary }))));
add('directory', 'directory: no nearest topic', nearestCard([]));
add('directory', 'directory: topics', topicsCard(kb));
add('directory', 'directory: lines', linesCard(kb));
add('directory', 'directory: phrases', phrasesCard(kb));
add('directory', 'directory: help', helpCard(kb));
// The disambiguation card, shaped as AssistantBot sends it for an ambiguous search.
add(
  'directory',
  'directory: disambiguation',
  disambiguationCard(kb.procedures.slice(0, 3).map((p) => ({ procedureId: p.id, title: p.title, description: p.summary }))),
);

for (const form of kb.forms ?? []) {
  const values = Object.fromEntries(form.fields.map((f) => [f.id, f.kind === 'number' ? '2' : f.kind === 'date' ? '2026-03-01' : f.kind === 'choice' ? (f.choices?.[0]?.value ?? '') : 'Иванов *Иван* [тест]']));
  add('form', `form ${form.id}: empty`, formCard(formCardData(form, { decisionId: 'd-form', cardId: 'c-form', values: {} })));
  add('form', `form ${form.id}: with values and a problem`, formCard(formCardData(form, { decisionId: 'd-form', cardId: 'c-form', values, problems: [{ fieldId: form.fields[0].id, message: `Проверьте поле «${form.fields[0].label}».` }] })));
  add('form', `form ${form.id}: result`, formCard(formResultData(form, { decisionId: 'd-form', outputs: [{ label: 'Комментарий в CASE', text: 'Клиент: Иванов *Иван*\n- строка списка\n1. пункт' }] })));
}

// Team-lead cards: decisions from real outcomes, with feedback and reviews people typed.
const caseProc = kb.procedures.find((p) => p.id === 'case-repeat-inquiry') ?? kb.procedures[0];
const caseOutcomes = Object.entries(caseProc.nodes).filter(([, n]) => n.type === 'outcome') as [string, OutcomeNode][];
const casePaths = reachable(caseProc);
const operator = { id: '29:1a2b3c', name: 'Анна Петрова', aadObjectId: '00000000-0000-0000-0000-00000000aaaa' };
const lead = { id: '29:9z8y7x', name: 'Тимлид Сидоров' };
const views: DecisionView[] = caseOutcomes.slice(0, 3).map(([nodeId, node], i) => ({
  id: `d${i + 1}x7k2`,
  at: `2026-03-0${i + 1}T09:1${i}:00.000Z`,
  operator,
  conversationId: 'a:1conv',
  procedureId: caseProc.id,
  procedureVersion: caseProc.version,
  procedureTitle: caseProc.title,
  kbVersion: kb.version,
  path: casePaths.get(nodeId) ?? [],
  outcome: { nodeId, kind: node.kind, headline: node.headline },
  citations: node.citations,
  feedback:
    i === 0
      ? [{ decisionId: `d${i + 1}x7k2`, at: '2026-03-01T09:20:00.000Z', by: operator, verdict: 'wrong', comment: 'Линия **не та**, см. [приказ](https://example.org)\n- и ещё' }]
      : i === 1
        ? [{ decisionId: `d${i + 1}x7k2`, at: '2026-03-02T09:20:00.000Z', by: operator, verdict: 'helpful' }]
        : [],
  reviews: i === 1 ? [{ decisionId: `d${i + 1}x7k2`, at: '2026-03-02T10:00:00.000Z', by: lead, note: 'Верно, _спасибо_' }] : [],
  awaitingReview: i === 0,
  verdict: i === 0 ? 'wrong' : i === 1 ? 'helpful' : null,
}));
const leadButtons = [
  { title: 'Проверка', data: { action: 'leadQueue' } as CardAction },
  { title: 'Решения', data: { action: 'leadRecent' } as CardAction },
];
add('decisions', 'decisions: list', decisionsCard({ title: 'Последние решения', summary: `Показано ${views.length} из ${views.length}`, empty: 'Решений нет.', hint: 'Фильтр: «решения оператор …»', items: views, buttons: leadButtons }, 'Europe/Moscow'));
add('decisions', 'decisions: empty queue', decisionsCard({ title: 'Ждут проверки', summary: 'Показано 0 из 0', empty: 'Очередь пуста.', hint: '', items: [], buttons: leadButtons }, 'Europe/Moscow'));
for (const v of views) add('decision', `decision ${v.id} (${v.awaitingReview ? 'awaiting review' : v.reviews.length ? 'reviewed' : 'plain'})`, decisionCard(v, 'Europe/Moscow'));

/** What may open an outcome card, from its outcome: each phrase verbatim, the line, the call result; with none of these, the headline. */
function leadTexts(node: OutcomeNode): string[] {
  const line = node.line ? kb.lines.find((l) => l.id === node.line) : undefined;
  const leads = [...(node.phrases ?? []).map((p) => p.text), ...(line ? [[`Линия: ${line.name}`, line.number, line.hours].filter(Boolean).join(' · ')] : []), ...(node.callResult ? [`Результат звонка: «${node.callResult}»`] : [])];
  return leads.length ? leads : [node.headline];
}

// ---- checks ----

/** Problems a card's JSON has as the bot sends it (beyond what the library checks). */
function jsonProblems(card: Record<string, any>): string[] {
  const problems: string[] = [];
  if (card.type !== 'AdaptiveCard') problems.push(`type is ${card.type}`);
  if (card.version !== '1.5') problems.push(`version is ${card.version}, expected 1.5`);
  if (Array.isArray(card.actions) && card.actions.length > 6) problems.push(`${card.actions.length} card actions (Teams shows at most 6)`);
  const bytes = Buffer.byteLength(JSON.stringify(card));
  if (bytes > TEAMS_MAX_BYTES) problems.push(`${bytes} bytes of JSON (Teams refuses messages over ~28 KB)`);
  const ids = new Set<string>();
  const inputs: Record<string, string> = {};
  const submits: { where: string; data: unknown }[] = [];
  const visit = (node: unknown, where: string, key: string) => {
    if (node === null) return void problems.push(`${where}: null value`);
    if (typeof node === 'string') {
      if (node.includes('${')) problems.push(`${where}: unexpanded template text ${JSON.stringify(node)}`);
      return;
    }
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}[${i}]`, key));
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, any>;
    for (const k of Object.keys(o)) if (k.startsWith('$') && k !== '$schema') problems.push(`${where}: template key ${k} left in the card`);
    if (typeof o.type === 'string' && key !== 'data' && key !== 'value') {
      const isAction = o.type.startsWith('Action.');
      if (isAction ? !ACTIONS_1_5.has(o.type) : !ELEMENTS_1_5.has(o.type) && o.type !== 'AdaptiveCard')
        problems.push(`${where}: ${o.type} is not an Adaptive Cards 1.5 ${isAction ? 'action' : 'element'}`);
      if (o.type.startsWith('Input.')) {
        if (ids.has(o.id)) problems.push(`${where}: duplicate input id ${o.id}`);
        ids.add(o.id);
        inputs[o.id] = typeof o.value === 'string' ? o.value : String(o.value ?? '');
      }
      if (o.type === 'Action.Submit' || o.type === 'Action.Execute') {
        if (!o.title) problems.push(`${where}: ${o.type} without a title (the console and screen readers show it)`);
        submits.push({ where, data: o.data });
      }
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'data') visit(v, `${where}.${k}`, k);
  };
  visit(card, 'card', '');
  if (submits.some((x) => !x.data || typeof x.data !== 'object' || Array.isArray(x.data))) problems.push('an Action.Submit or Action.Execute whose data is not an object');
  return problems;
}

/**
 * Every Action.Submit of the card (root, ActionSets, selectActions, inside ShowCards) with the
 * `value` a click sends: its data merged with the inputs the library (the renderer Teams uses)
 * associates with it — those of its own card and the cards around it, not of sibling ShowCards.
 * Inputs hold their prefilled value; a required empty input gets a typed sample (else no submit).
 */
function submitValues(card: Record<string, any>, context: () => any = teamsHost): { title: string; value: Record<string, unknown> }[] {
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context());
  const out: { title: string; value: Record<string, unknown> }[] = [];
  const seen = new Set<unknown>(); // getAllActions() lists an ActionSet's actions twice
  const visit = (actions: any[]) => {
    for (const a of actions) {
      if (seen.has(a)) continue;
      seen.add(a);
      const type = a.getJsonTypeName();
      if (type === 'Action.ShowCard' && a.card) visit(a.card.getAllActions());
      if (type !== 'Action.Submit' && type !== 'Action.Execute') continue;
      // Universal Actions: the verb names the action its data carries.
      if (type === 'Action.Execute' && a.verb !== (a.data as { action?: string })?.action) out.push({ title: `${a.title} (verb «${a.verb}» disagrees with its data)`, value: {} });
      const inputs: Record<string, string> = {};
      for (const input of Object.values(a.getReferencedInputs() ?? {}) as any[]) {
        const v = typeof input.defaultValue === 'string' && input.defaultValue ? input.defaultValue : input.defaultValue !== undefined ? String(input.defaultValue) : input.isRequired ? 'Пример' : '';
        if (v) inputs[input.id] = v;
      }
      out.push({ title: a.title, value: { ...(a.data as object), ...inputs } });
    }
  };
  visit(parsed.getAllActions());
  return out;
}

/** How Teams parses a card: Adaptive Cards 1.5, Action.Execute included. */
const teamsHost = () => new AC.SerializationContext(AC.Versions.v1_5);
/** A host without Universal Actions: Action.Execute is unknown to it, so it takes each button's fallback. */
function hostWithoutExecute() {
  const actions = new AC.CardObjectRegistry();
  AC.GlobalRegistry.populateWithDefaultActions(actions);
  actions.unregister('Action.Execute');
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  context.setActionRegistry(actions);
  return context;
}

/** The card's Action.Submit and Action.Execute as written (not a fallback, not the refresh), and whether each is a selectAction. */
function sendingActions(card: unknown): { node: Record<string, any>; select: boolean }[] {
  const out: { node: Record<string, any>; select: boolean }[] = [];
  const visit = (node: unknown, key: string) => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, key));
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, any>;
    if (o.type === 'Action.Submit' || o.type === 'Action.Execute') out.push({ node: o, select: key === 'selectAction' });
    for (const [k, v] of Object.entries(o)) if (k !== 'data' && k !== 'fallback' && k !== 'refresh') visit(v, k);
  };
  visit(card, '');
  return out;
}

/** The library's own parse (targeting 1.5) and validation events. */
function libraryProblems(card: Record<string, any>): string[] {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of parsed.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  return problems;
}

describe('cards: every template, filled with real data, is a valid Adaptive Card 1.5', () => {
  it('has sample data for every template in cards/ and for every card kind the bot sends', () => {
    const templates = readdirSync(join(repoRoot, 'cards')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
    for (const t of templates) expect(samples.some((s) => s.template === t), `no sample for cards/${t}.json`).to.equal(true);
    const names = samples.map((s) => s.name).join('\n');
    for (const kind of ['callResult', 'transfer', 'phrase', 'caseParams', 'actions', 'faq', 'notCovered']) expect(names, `outcome kind ${kind}`).to.include(`outcome (${kind})`);
    expect(names).to.include('all line facts');
    for (const d of ['topics', 'lines', 'phrases', 'help', 'disambiguation']) expect(names).to.include(`directory: ${d}`);
    expect(samples.filter((s) => s.template === 'question').length).to.be.greaterThan(10);
  });

  it('the checks below catch a broken card (self-test)', () => {
    const broken = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: 'Здравствуйте, ${name}' },
        { type: 'Carousel', pages: [] },
        { type: 'Container', style: 'fancy', items: [{ type: 'Input.Text', id: 'a', labelPosition: 'inline' }, { type: 'Input.Text', id: 'a' }] },
        { type: 'TextBlock', text: null, $when: '${x}' },
      ],
      actions: [{ type: 'Action.Submit', title: 'Нажми', data: { action: 'launchMissiles' } }, { type: 'Action.Submit', data: { action: 'topics' } }],
    };
    const lib = libraryProblems(broken).join('\n');
    expect(lib).to.match(/Carousel/).and.match(/fancy/).and.match(/labelPosition/);
    const json = jsonProblems(broken).join('\n');
    for (const part of ['unexpanded template text', 'Carousel is not an Adaptive Cards 1.5 element', 'duplicate input id a', 'null value', 'template key $when', 'without a title'])
      expect(json).to.include(part);
    const sent = submitValues({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text', id: 'a', value: 'x' }], actions: [{ type: 'Action.Submit', title: 'Нажми', data: { action: 'launchMissiles' } }] });
    expect(sent).to.deep.equal([{ title: 'Нажми', value: { action: 'launchMissiles', a: 'x' } }]);
    expect(parseCardAction(sent[0].value)).to.equal(undefined);
  });

  it('parses with the adaptivecards library targeting 1.5 with no errors or warnings', () => {
    const failures = samples.flatMap((s) => libraryProblems(s.card).map((p) => `${s.name}: ${p}`));
    expect(failures, failures.slice(0, 20).join('\n')).to.deep.equal([]);
  });

  it('uses only 1.5 elements and actions, leaves no template text and fits Teams limits', () => {
    const failures = samples.flatMap((s) => jsonProblems(s.card).map((p) => `${s.name}: ${p}`));
    expect(failures, failures.slice(0, 20).join('\n')).to.deep.equal([]);
  });

  it('has only buttons the bot accepts, with the card inputs merged in as Teams sends them', () => {
    const failures: string[] = [];
    for (const sample of samples) {
      const submits = submitValues(sample.card);
      const inJson = sendingActions(sample.card).length;
      if (submits.length !== inJson) failures.push(`${sample.name}: the library sees ${submits.length} Action.Submit/Execute, the JSON has ${inJson}`);
      for (const s of submits) if (!parseCardAction(s.value)) failures.push(`${sample.name}: «${s.title}» sends ${JSON.stringify(s.value)}, which the bot refuses`);
      // The refresh Teams runs when the card is shown: for one person, with data the bot accepts.
      const refresh = sample.card.refresh;
      if (refresh && (refresh.action?.type !== 'Action.Execute' || refresh.action.verb !== refresh.action.data?.action || !parseCardAction(refresh.action.data) || refresh.userIds?.length !== 1))
        failures.push(`${sample.name}: refresh ${JSON.stringify(refresh)}`);
    }
    expect(samples.filter((s) => s.card.refresh).length, 'question cards with a refresh').to.be.greaterThan(10);
    expect(failures, failures.slice(0, 20).join('\n')).to.deep.equal([]);
  });

  it('falls back from every Action.Execute to an Action.Submit with its title and data, which a host without Universal Actions sends', () => {
    const failures: string[] = [];
    for (const sample of samples) {
      const actions = sendingActions(sample.card);
      for (const { node } of actions.filter((a) => a.node.type === 'Action.Execute')) {
        const f = node.fallback;
        if (f?.type !== 'Action.Submit' || f.title !== node.title || JSON.stringify(f.data) !== JSON.stringify(node.data)) failures.push(`${sample.name}: «${node.title}» falls back to ${JSON.stringify(f)}`);
      }
      // The library takes an action's fallback, not a selectAction's: an option row of an old host has no tap (its number can be typed).
      const submits = submitValues(sample.card, hostWithoutExecute);
      const expected = actions.filter((a) => !a.select || a.node.type === 'Action.Submit').length;
      if (submits.length !== expected) failures.push(`${sample.name}: a host without Action.Execute sees ${submits.length} buttons, expected ${expected}`);
      for (const s of submits) if (!parseCardAction(s.value)) failures.push(`${sample.name}: «${s.title}» sends ${JSON.stringify(s.value)} without Universal Actions, which the bot refuses`);
    }
    expect(failures, failures.slice(0, 20).join('\n')).to.deep.equal([]);
  });

  it('for the Emulator, is valid with every button an Action.Submit the bot accepts and no refresh', () => {
    const failures: string[] = [];
    for (const sample of samples) {
      const card = fitActions(sample.card, false);
      const json = JSON.stringify(card);
      if (json.includes('Action.Execute') || json.includes('"refresh"')) failures.push(`${sample.name}: still has Action.Execute or a refresh`);
      failures.push(...[...libraryProblems(card), ...jsonProblems(card)].map((p) => `${sample.name}: ${p}`));
      const submits = submitValues(card);
      if (submits.length !== sendingActions(sample.card).length) failures.push(`${sample.name}: ${submits.length} buttons, the card for Teams has ${sendingActions(sample.card).length}`);
      for (const s of submits) if (!parseCardAction(s.value)) failures.push(`${sample.name}: «${s.title}» sends ${JSON.stringify(s.value)}, which the bot refuses`);
    }
    expect(failures, failures.slice(0, 20).join('\n')).to.deep.equal([]);
  });

  describe('in Chromium, rendered by the web console', function () {
    this.timeout(60_000);
    const running = chromiumAndBot();

    it('renders every sample card without errors, with its texts on screen', async () => {
      const { page, problems } = await openConsole(running.browser, running.app.url);
      try {
        const results = await page.evaluate(async (cards) => {
          const { renderCard } = await import('/console/render.js' as string);
          const host = document.createElement('div');
          host.style.width = '560px';
          document.body.append(host);
          return cards.map(({ name, card }) => {
            try {
              // Collapsed parts («Источник») shown, as a click on their toggle shows them.
              const expanded = JSON.parse(JSON.stringify(card).replaceAll('"isVisible":false', '"isVisible":true'));
              const { element, problems } = renderCard(expanded, () => undefined);
              host.replaceChildren(element);
              const text = element.innerText;
              return { name, problems, text, height: element.getBoundingClientRect().height };
            } catch (e) {
              return { name, problems: [`render threw: ${(e as Error).message}`], text: '', height: 0 };
            }
          });
        }, samples.map((s) => ({ name: s.name, card: s.card })));
        const failures = results.flatMap((r) => [...r.problems.map((p: string) => `${r.name}: ${p}`), ...(r.height > 0 ? [] : [`${r.name}: rendered empty`])]);
        expect(failures, failures.slice(0, 20).join('\n')).to.deep.equal([]);
        // Markdown as Teams shows it: a TextBlock's **bold** (quotes from the seeds) loses its
        // asterisks; a TextRun (text people typed, on the lead cards) stays plain text.
        const byName = new Map(results.map((r) => [r.name, r.text as string]));
        let bold = 0;
        let runs = 0;
        for (const s of samples) {
          const walk = (n: any): void => {
            if (Array.isArray(n)) return n.forEach(walk);
            if (!n || typeof n !== 'object') return;
            if (n.type === 'TextBlock' && /\*\*\S[^*]*\*\*/.test(n.text)) {
              bold++;
              const bolded = /\*\*(\S[^*]{0,20})/.exec(n.text)![1];
              expect(byName.get(s.name), s.name).to.include(bolded).and.not.include(`**${bolded}`);
            }
            if (n.type === 'TextRun' && /\*\*/.test(n.text)) {
              runs++;
              expect(byName.get(s.name), s.name).to.include(n.text);
            }
            Object.values(n).forEach(walk);
          };
          walk(s.card);
        }
        expect(bold, 'samples with **bold** in a TextBlock').to.be.greaterThan(0);
        expect(runs, 'samples with ** in a TextRun').to.be.greaterThan(0);
        expect(problems).to.deep.equal([]);
      } finally {
        await page.context().close();
      }
    });

    // Mid-call the operator reads the top: a question card opens with the question, after the fact the bot decided on the way.
    for (const { width, height } of [{ width: 1280, height: 800 }, { width: 400, height: 800 }])
      it(`every question card opens with its question (after the facts the bot decided) at ${width}×${height}`, async () => {
        const questions = samples.filter((s) => s.template === 'question');
        const { page, problems } = await openConsole(running.browser, running.app.url, { width, height });
        try {
          const show = async (card: Record<string, any>) =>
            page.evaluate(async (card) => {
              const { renderCard } = await import('/console/render.js' as string);
              const item = document.createElement('div');
              item.className = 'msg msg-bot msg-card msg-card-full';
              item.append(renderCard(card, () => undefined).element);
              document.getElementById('messages')!.replaceChildren(item);
              const shown = [...item.querySelectorAll('.ac-textBlock')].filter((e) => (e as HTMLElement).offsetParent !== null) as HTMLElement[];
              return { texts: shown.map((e) => e.innerText.trim()), sizes: shown.map((e) => parseFloat(getComputedStyle(e).fontSize)) };
            }, card);
          const failures: string[] = [];
          for (const q of questions) {
            const r = await show(q.card);
            const opening = q.opening!;
            const top = r.texts.slice(0, opening.length);
            if (JSON.stringify(top) !== JSON.stringify(opening)) failures.push(`${q.name}: opens with «${top.join('» «')}», not «${opening.join('» «')}»`);
            else if (r.sizes[opening.length - 1] < 18) failures.push(`${q.name}: the question is ${r.sizes[opening.length - 1]} px, not large`);
          }
          // For the record (test-results/): a question after a decided check, with its owner, as a Teams user sees it.
          await show(questions.find((s) => s.name === 'question after a decided check, in a group chat')!.card);
          await page.screenshot({ path: join(resultsDir(), `question-fact-${width}.png`), fullPage: true });
          await show(questions.find((s) => s.name === 'question with answers from the message')!.card);
          await page.screenshot({ path: join(resultsDir(), `question-from-message-${width}.png`), fullPage: true });
          expect(failures, failures.join('\n')).to.deep.equal([]);
          expect(problems).to.deep.equal([]);
        } finally {
          await page.context().close();
        }
      });

    // Teams shows the bottom of a new message first: an outcome card must fit the screen, and open
    // with what the operator says or sets (the phrase verbatim, the line, the call result).
    for (const { width, height, limit } of [{ width: 1280, height: 800, limit: 600 }, { width: 400, height: 800, limit: 800 }])
      it(`every outcome of every procedure fits ${limit} px at ${width}×${height} and opens with what to say or set`, async () => {
        const outcomes = samples.filter((s) => s.template === 'outcome');
        const { page, problems } = await openConsole(running.browser, running.app.url, { width, height });
        try {
          const results = await page.evaluate(async (cards) => {
            const { renderCard } = await import('/console/render.js' as string);
            const messages = document.getElementById('messages')!;
            return cards.map(({ name, card }) => {
              // A bot message as the console shows one (full width: the card asks for it).
              const item = document.createElement('div');
              item.className = 'msg msg-bot msg-card msg-card-full';
              item.append(renderCard(card, () => undefined).element);
              messages.replaceChildren(item);
              const first = [...item.querySelectorAll('.ac-textBlock')].find((e) => (e as HTMLElement).offsetParent !== null) as HTMLElement | undefined;
              return { name, height: item.getBoundingClientRect().height, first: first?.innerText.trim() ?? '', firstSize: first ? parseFloat(getComputedStyle(first).fontSize) : 0 };
            });
          }, outcomes.map((s) => ({ name: s.name, card: s.card })));
          const failures: string[] = [];
          for (const r of results) {
            if (r.height > limit) failures.push(`${r.name}: ${Math.round(r.height)} px tall`);
            // The expected top, read from the card's own data: a phrase, the line, the call result, else the headline.
            const leads = leadTexts(outcomes.find((s) => s.name === r.name)!.node!);
            if (!leads.includes(r.first)) failures.push(`${r.name}: opens with «${r.first}», not one of «${leads.join('» «')}»`);
            if (r.firstSize < 18) failures.push(`${r.name}: the first text is ${r.firstSize} px, not large`);
          }
          // The tallest one on screen, for the record (test-results/).
          const tallest = results.reduce((a, b) => (b.height > a.height ? b : a));
          await page.evaluate(async (card) => {
            const { renderCard } = await import('/console/render.js' as string);
            const item = document.createElement('div');
            item.className = 'msg msg-bot msg-card msg-card-full';
            item.append(renderCard(card, () => undefined).element);
            document.getElementById('messages')!.replaceChildren(item);
          }, outcomes.find((s) => s.name === tallest.name)!.card);
          await page.screenshot({ path: join(resultsDir(), `outcome-tallest-${width}.png`), fullPage: true });
          expect(failures, failures.join('\n')).to.deep.equal([]);
          expect(problems).to.deep.equal([]);
        } finally {
          await page.context().close();
        }
      });
  });
});
