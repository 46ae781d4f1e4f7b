import { expect } from 'chai';
import type { CardAction } from '../../src/domain/cardActions.js';
import type { Answer } from '../../src/domain/engine.js';
import type { SearchFoundBy, SearchHit, SearchResult } from '../../src/domain/search/index.js';
import { step, type Effect, type Reply, type StepContext, type StepInput, type Walk } from '../../src/domain/step.js';
import type { OutcomeKind, Procedure } from '../../src/domain/types.js';
import { OUTCOME_KINDS } from '../../src/domain/vocabulary.js';
import { realKb, realSearch } from '../support/kb.js';

/**
 * The turn step as a table: rows of (stored walk, input) → (replies, effects, next walk), each
 * written as short strings so a row reads as what the operator sees and what the bot does.
 */

const P = 'case-repeat-inquiry';
const kb = realKb();
const proc = kb.procedures.find((p) => p.id === P)!;

const hit = (procedureId: string, answers: Answer[] = [], values?: Record<string, string>): SearchHit => ({
  procedureId,
  kind: 'procedure',
  title: kb.procedures.find((p) => p.id === procedureId)?.title ?? procedureId,
  description: '',
  answers,
  score: 1,
  ...(values ? { values } : {}),
});

/** The search's match of a hit, chosen by its rules unless said otherwise. */
const match = (h: SearchHit, foundBy: SearchFoundBy = 'rules'): SearchResult => ({ type: 'match', hit: { ...h, foundBy } });

/** Search answers by exact message; anything else is not covered. */
const SEARCH: Record<string, SearchResult> = {
  'клиент не согласен с решением по заявке': match(hit(P, [{ nodeId: 'state', optionId: 'closed-disagree', evidence: 'не согласен с решением' }])),
  'клиент звонит повторно по открытому кейсу': match(hit(P, [{ nodeId: 'state', optionId: 'open', from: 'message', evidence: 'открытому кейсу' }])),
  'клиент хочет стать корпоративным клиентом': match(hit('potential-corporate')),
  'юрлицо хочет подключиться, данные оставлять не хочет': match(hit('potential-corporate', [{ nodeId: 'topic', optionId: 'connect', evidence: 'подключиться' }, { nodeId: 'connect_willing', optionId: 'no', evidence: 'данные оставлять не хочет' }])),
  'клиент спрашивает про кейс': { type: 'ambiguous', candidates: [hit(P), hit('case-find')] },
  'здравствуйте': { type: 'smalltalk', kind: 'greeting' },
  'спасибо': { type: 'smalltalk', kind: 'thanks' },
  'как пройти в библиотеку': { type: 'none' },
  'клиент спрашивает про погоду в роуминге': { type: 'none', nearest: [hit('case-find'), hit(P)] },
};
const search = { query: (text: string): SearchResult => SEARCH[text] ?? { type: 'none' } };
const ctx: StepContext = { facts: { telesalesOpen: 'yes' }, search, newId: 'new-card', turnId: 'turn-1' };

const tap = (nodeId: string, optionId: string): Answer => ({ nodeId, optionId, from: 'tap' });
const walkAt = (answers: Answer[], over: Partial<Walk> = {}): Walk => ({ procedureId: P, version: proc.version, answers, facts: {}, cardId: 'card-1', ...over });
const AT_STATE = walkAt([]);
const AT_CATEGORY = walkAt([tap('state', 'closed-disagree')]);

const click = (action: CardAction): StepInput => ({ kind: 'click', action });
const text = (t: string): StepInput => ({ kind: 'text', text: t });
const refresh = (nodeId: string, cardId: string) => click({ action: 'refresh', procedureId: P, nodeId, cardId });
const answer = (nodeId: string, optionId: string, cardId = 'card-1') => click({ action: 'answer', procedureId: P, nodeId, optionId, cardId });

function show(r: Reply): string {
  switch (r.type) {
    case 'notice':
      return r.notice;
    case 'switched':
      return `switched «${r.title}»`;
    case 'dialogHelp':
      return `help «${r.question}»`;
    case 'smalltalk':
      return `smalltalk ${r.kind}`;
    case 'question':
      return `question ${r.procedure.id}/${r.nodeId} on ${r.cardId}`;
    case 'outcome':
      return `outcome ${r.procedure.id}/${r.nodeId} (${r.node.kind}) as ${r.decisionId === decisionOf(r) ? 'its decision' : r.decisionId}`;
    case 'directory':
      return `directory ${r.directory}`;
    case 'disambiguation':
      return `choose ${r.candidates.map((c) => c.procedureId).join(' | ')}`;
    case 'nearest':
      return `nearest [${r.topics.map((c) => c.procedureId).join(' | ')}]`;
    case 'cardSummary':
      return r.summary.kind === 'answered' ? `summary: answered «${r.summary.question}» «${r.summary.answer}»` : `summary: ${r.summary.kind}`;
  }
}
let lastDecision = '';
const decisionOf = (r: Extract<Reply, { type: 'outcome' }>) => (lastDecision = r.decisionId);

function showEffect(e: Effect): string {
  switch (e.type) {
    case 'appendDecision':
      return `log ${e.decision.procedureId}/${e.decision.outcome.nodeId}`;
    case 'recordFeedback':
      return `feedback ${e.decisionId} ${e.verdict}${e.comment ? ` «${e.comment}»` : ''}`;
    case 'openForm':
      return `form ${e.formId} for ${e.decisionId}`;
    case 'recordUnanswered': {
      const u = e.unanswered;
      const where = u.procedureId ? ` at ${u.procedureId}/${u.nodeId} after [${(u.path ?? []).map((c) => `${c.nodeId}=${c.optionId}`).join(', ')}]` : '';
      return `unanswered ${u.reason}${u.text ? ` «${u.text}»` : ''}${where}`;
    }
  }
}
const showWalk = (w: Walk | undefined) => (w ? `${w.procedureId} [${w.answers.map((a) => `${a.nodeId}=${a.optionId}${a.from ? `(${a.from})` : ''}`).join(', ')}] on ${w.cardId}` : 'none');

interface Row {
  name: string;
  walk: unknown;
  input: StepInput;
  replies: string[];
  effects?: string[];
  next: string;
}

const rows: Row[] = [
  // answering
  { name: 'a tap answers the question on its card', walk: AT_STATE, input: answer('state', 'closed-disagree'), replies: ['question case-repeat-inquiry/closed_category on new-card'], next: `${P} [state=closed-disagree(tap)] on new-card` },
  { name: 'a typed answer (the option number) answers it too', walk: AT_STATE, input: text('3'), replies: ['question case-repeat-inquiry/open_urgent on new-card'], next: `${P} [state=open(tap)] on new-card` },
  { name: 'the last answer reaches the outcome and logs its decision; the walk ends', walk: AT_CATEGORY, input: answer('closed_category', 'backoffice'), replies: ['outcome case-repeat-inquiry/to_retention (transfer) as its decision'], effects: ['log case-repeat-inquiry/to_retention'], next: 'none' },
  { name: 'an option the question does not have is not understood; the same card again', walk: AT_STATE, input: answer('state', 'backoffice'), replies: ['notUnderstood', 'question case-repeat-inquiry/state on card-1'], next: `${P} [] on card-1` },
  { name: 'typed text that fits no option, and is no new situation, is re-asked', walk: AT_STATE, input: text('не знаю'), replies: ['notUnderstood', 'question case-repeat-inquiry/state on card-1'], next: `${P} [] on card-1` },
  // stale and double clicks
  { name: 'a click on an older card (a double click) is out of date: the current question again', walk: AT_CATEGORY, input: answer('state', 'open', 'card-0'), replies: ['staleCard', 'question case-repeat-inquiry/closed_category on card-1'], next: `${P} [state=closed-disagree(tap)] on card-1` },
  { name: 'a question-card click with no walk open: the dialog is over', walk: undefined, input: answer('state', 'open'), replies: ['staleCardNoDialog'], next: 'none' },
  { name: 'navigation on an older card is out of date too', walk: AT_CATEGORY, input: click({ action: 'back', cardId: 'card-0' }), replies: ['staleCard', 'question case-repeat-inquiry/closed_category on card-1'], next: `${P} [state=closed-disagree(tap)] on card-1` },
  { name: 'a click the bot did not put on a card, mid-walk: named, and the question again', walk: AT_STATE, input: { kind: 'invalid' }, replies: ['invalidClick', 'question case-repeat-inquiry/state on card-1'], next: `${P} [] on card-1` },
  { name: 'a click the bot did not put on a card, no walk', walk: undefined, input: { kind: 'invalid' }, replies: ['invalidClick'], next: 'none' },
  // a question card's refresh (Teams asks for it when the card is shown): nothing changes
  { name: 'the refresh of the live card: the same card', walk: AT_CATEGORY, input: refresh('closed_category', 'card-1'), replies: ['question case-repeat-inquiry/closed_category on card-1'], next: `${P} [state=closed-disagree(tap)] on card-1` },
  { name: 'the refresh of an answered card: the answer it got', walk: AT_CATEGORY, input: refresh('state', 'card-0'), replies: ['summary: answered «В каком состоянии кейс клиента?» «Closed — клиент не согласен с решением»'], next: `${P} [state=closed-disagree(tap)] on card-1` },
  { name: 'the refresh of an older card of the same question (asked again since): out of date', walk: AT_STATE, input: refresh('state', 'card-0'), replies: ['summary: replaced'], next: `${P} [] on card-1` },
  { name: 'the refresh of a card with no dialog open: the dialog is over', walk: undefined, input: refresh('state', 'card-1'), replies: ['summary: closed'], next: 'none' },

  // navigation, by button and typed
  { name: '«Назад» drops the last answer', walk: AT_CATEGORY, input: click({ action: 'back', cardId: 'card-1' }), replies: ['question case-repeat-inquiry/state on new-card'], next: `${P} [] on new-card` },
  { name: '«назад» typed at the first question: nowhere to go', walk: AT_STATE, input: { kind: 'command', command: 'back' }, replies: ['firstQuestion', 'question case-repeat-inquiry/state on card-1'], next: `${P} [] on card-1` },
  { name: '«Заново» starts from the first question', walk: AT_CATEGORY, input: { kind: 'command', command: 'restart' }, replies: ['question case-repeat-inquiry/state on new-card'], next: `${P} [] on new-card` },
  { name: '«Отмена» ends the walk', walk: AT_CATEGORY, input: click({ action: 'cancel', cardId: 'card-1' }), replies: ['cancelled'], effects: ['unanswered cancelled at case-repeat-inquiry/closed_category after [state=closed-disagree]'], next: 'none' },
  { name: '«отмена» with no walk: nothing to cancel', walk: undefined, input: { kind: 'command', command: 'cancel' }, replies: ['nothingToCancel'], next: 'none' },
  { name: '«Помощь» mid-walk explains the question and keeps the card', walk: AT_STATE, input: click({ action: 'help', cardId: 'card-1' }), replies: ['help «В каком состоянии кейс клиента?»'], next: `${P} [] on card-1` },
  { name: '«помощь» with no walk: the help card', walk: undefined, input: { kind: 'command', command: 'help' }, replies: ['directory help'], next: 'none' },
  { name: '«темы» mid-walk: the topic list, the walk kept', walk: AT_CATEGORY, input: { kind: 'command', command: 'topics' }, replies: ['directory topics'], next: `${P} [state=closed-disagree(tap)] on card-1` },
  { name: '«Линии» button', walk: undefined, input: click({ action: 'lines' }), replies: ['directory lines'], next: 'none' },
  { name: '«фразы» typed', walk: undefined, input: { kind: 'command', command: 'phrases' }, replies: ['directory phrases'], next: 'none' },
  { name: '«Ничего не подходит»: said so, and the topic list', walk: undefined, input: click({ action: 'nothingFits' }), replies: ['nothingFits', 'directory topics'], effects: ['unanswered nothingFits'], next: 'none' },
  { name: '«Ничего не подходит» under a message: the message is recorded', walk: undefined, input: click({ action: 'nothingFits', text: 'клиент спрашивает про кейс' }), replies: ['nothingFits', 'directory topics'], effects: ['unanswered nothingFits «клиент спрашивает про кейс»'], next: 'none' },
  // an answer taken from the message, changed in one tap
  { name: '«Изменить» reopens that question with the answers before it kept', walk: walkAt([{ nodeId: 'state', optionId: 'open', from: 'message', evidence: 'открыт' }]), input: click({ action: 'revise', nodeId: 'state', cardId: 'card-1' }), replies: ['question case-repeat-inquiry/state on new-card'], effects: ['unanswered corrected «В каком состоянии кейс клиента: «открыт» → «Open»» at case-repeat-inquiry/state after [state=open]'], next: `${P} [] on new-card` },
  { name: '«Изменить» of a tapped answer is no correction of the message', walk: AT_CATEGORY, input: click({ action: 'revise', nodeId: 'state', cardId: 'card-1' }), replies: ['question case-repeat-inquiry/state on new-card'], next: `${P} [] on new-card` },
  { name: '«Изменить» on an outcome card starts again before that answer, noting the correction', walk: undefined, input: click({ action: 'start', procedureId: P, answers: [], revised: { nodeId: 'state', optionId: 'open', from: 'message', evidence: 'кейс опен' } }), replies: ['question case-repeat-inquiry/state on new-card'], effects: ['unanswered corrected «В каком состоянии кейс клиента: «кейс опен» → «Open»» at case-repeat-inquiry/state after [state=open]'], next: `${P} [] on new-card` },
  { name: 'a «revised» answer the procedure does not have is not noted', walk: undefined, input: click({ action: 'start', procedureId: P, answers: [], revised: { nodeId: 'state', optionId: 'gone', from: 'message' } }), replies: ['question case-repeat-inquiry/state on new-card'], next: `${P} [] on new-card` },
  { name: '«Изменить» on an older card is out of date', walk: AT_CATEGORY, input: click({ action: 'revise', nodeId: 'state', cardId: 'card-0' }), replies: ['staleCard', 'question case-repeat-inquiry/closed_category on card-1'], next: `${P} [state=closed-disagree(tap)] on card-1` },
  // starting and switching
  { name: 'a start click (a topic, a candidate) starts the procedure', walk: undefined, input: click({ action: 'start', procedureId: P }), replies: ['question case-repeat-inquiry/state on new-card'], next: `${P} [] on new-card` },
  { name: 'a start click with answers asks only what remains, mid-walk too', walk: AT_CATEGORY, input: click({ action: 'start', procedureId: P, answers: [{ nodeId: 'state', optionId: 'open' }] }), replies: ['question case-repeat-inquiry/open_urgent on new-card'], next: `${P} [state=open] on new-card` },
  { name: 'a start click for a procedure no longer in the knowledge base', walk: AT_STATE, input: click({ action: 'start', procedureId: 'gone' }), replies: ['unknownProcedure'], next: 'none' },
  { name: 'start answers that do not fit the procedure (edited since): from the first question', walk: undefined, input: click({ action: 'start', procedureId: P, answers: [{ nodeId: 'nowhere', optionId: 'x' }] }), replies: ['procedureChanged', 'question case-repeat-inquiry/state on new-card'], next: `${P} [] on new-card` },
  { name: 'a new situation typed mid-walk switches procedure', walk: AT_CATEGORY, input: text('клиент хочет стать корпоративным клиентом'), replies: ['switched «Потенциальные корпоративные клиенты (юрлица, ПБОЮЛ) — телепродажи или CASE»', 'question potential-corporate/topic on new-card'], effects: ['unanswered switched «клиент хочет стать корпоративным клиентом» at case-repeat-inquiry/closed_category after [state=closed-disagree]'], next: 'potential-corporate [] on new-card' },
  { name: 'a new situation switches with the answers it states, taken from the message', walk: AT_CATEGORY, input: text('клиент звонит повторно по открытому кейсу'), replies: ['switched «Вопрос абонента по ранее созданному CASE»', 'question case-repeat-inquiry/open_urgent on new-card'], effects: ['unanswered switched «клиент звонит повторно по открытому кейсу» at case-repeat-inquiry/closed_category after [state=closed-disagree]'], next: `${P} [state=open(message)] on new-card` },
  // free text with no walk
  { name: 'a question search matches starts its procedure with the answers from the message', walk: undefined, input: text('клиент не согласен с решением по заявке'), replies: ['question case-repeat-inquiry/closed_category on new-card'], next: `${P} [state=closed-disagree(message)] on new-card` },
  { name: 'answers the message states past a check node hold only where the facts lead: telesales open, the transfer', walk: undefined, input: text('юрлицо хочет подключиться, данные оставлять не хочет'), replies: ['outcome potential-corporate/connect_to_telesales (transfer) as its decision'], effects: ['log potential-corporate/connect_to_telesales'], next: 'none' },
  { name: 'two or three fitting procedures: asked which', walk: undefined, input: text('клиент спрашивает про кейс'), replies: ['choose case-repeat-inquiry | case-find'], next: 'none' },
  { name: 'a greeting gets a friendly reply, not «no answer»', walk: undefined, input: text('здравствуйте'), replies: ['smalltalk greeting'], next: 'none' },
  { name: 'thanks too', walk: undefined, input: text('спасибо'), replies: ['smalltalk thanks'], next: 'none' },
  { name: 'not covered: said so, and the nearest topics to start', walk: undefined, input: text('клиент спрашивает про погоду в роуминге'), replies: ['notFound', 'nearest [case-find | case-repeat-inquiry]'], effects: ['unanswered noMatch «клиент спрашивает про погоду в роуминге»'], next: 'none' },
  { name: 'not covered, nothing near: said so, and the way to the topic list', walk: undefined, input: text('как пройти в библиотеку'), replies: ['notFound', 'nearest []'], effects: ['unanswered noMatch «как пройти в библиотеку»'], next: 'none' },
  { name: 'a customer’s number in an unanswered message is masked before it is recorded', walk: undefined, input: text('клиент +7 (912) 345-67-89 просит'), replies: ['notFound', 'nearest []'], effects: ['unanswered noMatch «клиент +• (•••) •••-••-•• просит»'], next: 'none' },
  { name: 'an empty message', walk: undefined, input: text(''), replies: ['emptyMessage'], next: 'none' },
  // version change and stored documents from before
  { name: 'a walk stored for another procedure version restarts it, saying so', walk: walkAt([tap('state', 'open')], { version: proc.version - 1 }), input: answer('open_urgent', 'yes'), replies: ['procedureChanged', 'question case-repeat-inquiry/state on new-card'], next: `${P} [] on new-card` },
  { name: 'a walk whose answers no longer fit restarts too', walk: walkAt([tap('state', 'gone-option')]), input: text('да'), replies: ['procedureChanged', 'question case-repeat-inquiry/state on new-card'], next: `${P} [] on new-card` },
  { name: 'a walk for a procedure removed from the knowledge base ends', walk: walkAt([], { procedureId: 'removed' }), input: text('да'), replies: ['unknownProcedure'], next: 'none' },
  { name: 'an unreadable stored walk is no walk', walk: { answers: 'x', cardId: 1 }, input: answer('state', 'open'), replies: ['staleCardNoDialog'], next: 'none' },
  // outcome-card buttons
  { name: '«Помогло» records feedback', walk: undefined, input: click({ action: 'feedback', decisionId: 'd-1', verdict: 'helpful' }), replies: ['thanksHelpful'], effects: ['feedback d-1 helpful'], next: 'none' },
  { name: '«Ответ неверный» records it with the comment, the walk kept', walk: AT_STATE, input: click({ action: 'feedback', decisionId: 'd-1', verdict: 'wrong', comment: 'не та линия' }), replies: ['flaggedWrong'], effects: ['feedback d-1 wrong «не та линия»'], next: `${P} [] on card-1` },
  { name: '«Заполнить …» opens the form for the decision', walk: undefined, input: click({ action: 'formOpen', formId: 'potential-corporate-case', decisionId: 'd-1' }), replies: [], effects: ['form potential-corporate-case for d-1'], next: 'none' },
  { name: 'a form submit or a team-lead card reaching the step is out of place', walk: AT_STATE, input: click({ action: 'leadQueue' }), replies: ['invalidClick'], next: `${P} [] on card-1` },
];

describe('domain: the turn step, as a table', () => {
  for (const row of rows)
    it(row.name, () => {
      const result = step(kb, row.walk, row.input, ctx);
      expect(result.replies.map(show)).to.deep.equal(row.replies);
      expect(result.effects.map(showEffect)).to.deep.equal(row.effects ?? []);
      expect(showWalk(result.walk)).to.equal(row.next);
    });
});

/** The shortest answers from a procedure's start to an outcome of `kind`, deciding check nodes by `facts`. */
function pathTo(p: Procedure, kind: OutcomeKind, facts: Record<string, string>): { answers: Answer[]; nodeId: string } | undefined {
  const queue: { nodeId: string; answers: Answer[] }[] = [{ nodeId: p.start, answers: [] }];
  for (let seen = new Set<string>(); queue.length; ) {
    const { nodeId, answers } = queue.shift()!;
    if (seen.has(nodeId)) continue;
    seen.add(nodeId);
    const node = p.nodes[nodeId];
    if (node.type === 'outcome') {
      if (node.kind === kind && answers.length > 0) return { answers, nodeId };
    } else if (node.type === 'check') queue.push({ nodeId: node.cases[facts[node.fact]], answers });
    else for (const o of node.options) queue.push({ nodeId: o.next, answers: [...answers, tap(nodeId, o.id)] });
  }
  return undefined;
}

describe('domain: the turn step reaches every outcome kind', () => {
  for (const kind of OUTCOME_KINDS)
    it(`${kind}: the last tap gives the outcome and one decision carrying the path, each step marked tapped`, () => {
      const found = kb.procedures.map((p) => ({ p, path: pathTo(p, kind, ctx.facts) })).find((x) => x.path);
      expect(found, `an outcome of kind ${kind} in kb/`).to.not.equal(undefined);
      const { p, path } = found as { p: Procedure; path: { answers: Answer[]; nodeId: string } };
      const before = path.answers.slice(0, -1);
      const last = path.answers[path.answers.length - 1];
      const walk: Walk = { procedureId: p.id, version: p.version, answers: before, facts: ctx.facts, cardId: 'card-1' };
      const result = step(kb, walk, click({ action: 'answer', procedureId: p.id, nodeId: last.nodeId, optionId: last.optionId, cardId: 'card-1' }), ctx);
      expect(result.walk).to.equal(undefined);
      expect(result.replies.map(show)).to.deep.equal([`outcome ${p.id}/${path.nodeId} (${kind}) as its decision`]);
      expect(result.effects).to.have.length(1);
      const effect = result.effects[0] as Extract<Effect, { type: 'appendDecision' }>;
      expect(effect.decision).to.include({ id: lastDecision, procedureId: p.id, procedureVersion: p.version, kbVersion: kb.version });
      expect(effect.decision.outcome).to.include({ nodeId: path.nodeId, kind });
      expect(effect.decision.path.filter((s) => !s.automatic).map((s) => `${s.nodeId}=${s.optionId} ${s.from}`)).to.deep.equal(path.answers.map((a) => `${a.nodeId}=${a.optionId} tap`));
    });
});

describe('domain: decision ids', () => {
  const outcomeId = (turnId: string, walk: Walk, input: StepInput) => {
    const r = step(kb, walk, input, { ...ctx, turnId }).replies.find((x) => x.type === 'outcome');
    return r?.type === 'outcome' ? r.decisionId : undefined;
  };
  const last = answer('closed_category', 'backoffice');

  it('the same turn repeated from the same stored conversation gets the same decision id', () => {
    expect(outcomeId('turn-1', AT_CATEGORY, last)).to.equal(outcomeId('turn-1', AT_CATEGORY, last));
  });

  it('another turn, or another outcome from the same turn, gets another id', () => {
    const a = outcomeId('turn-1', AT_CATEGORY, last);
    expect(outcomeId('turn-2', AT_CATEGORY, last)).to.not.equal(a);
    expect(outcomeId('turn-1', AT_CATEGORY, answer('closed_category', 'equipment-experts'))).to.not.equal(a);
  });

  it('is a valid card id (what the outcome card and the feedback buttons carry)', () => {
    expect(outcomeId('AbCdEfGhIjKlMnOp', AT_CATEGORY, last)).to.match(/^[A-Za-z0-9_-]{1,64}$/);
  });
});

describe('domain: an unanswered question is recorded once per turn', () => {
  const idOf = (turnId: string, walk: Walk | undefined, input: StepInput) =>
    (step(kb, walk, input, { ...ctx, turnId }).effects.find((e) => e.type === 'recordUnanswered') as Extract<Effect, { type: 'recordUnanswered' }> | undefined)?.unanswered.id;

  it('the same turn repeated from the same stored conversation records under the same id, which the log keeps once', () => {
    expect(idOf('turn-1', undefined, text('как пройти в библиотеку'))).to.equal(idOf('turn-1', undefined, text('как пройти в библиотеку')));
    expect(idOf('turn-1', AT_CATEGORY, click({ action: 'cancel', cardId: 'card-1' }))).to.match(/^[A-Za-z0-9_-]{1,64}$/);
  });

  it('another turn records under another id; answered turns record nothing', () => {
    expect(idOf('turn-2', undefined, text('как пройти в библиотеку'))).to.not.equal(idOf('turn-1', undefined, text('как пройти в библиотеку')));
    expect(idOf('turn-1', undefined, text('клиент спрашивает про кейс'))).to.equal(undefined);
    expect(idOf('turn-1', AT_CATEGORY, answer('closed_category', 'backoffice'))).to.equal(undefined);
    expect(idOf('turn-1', AT_CATEGORY, { kind: 'command', command: 'restart' })).to.equal(undefined);
  });
});

describe('domain: what the walk carries', () => {
  it('answers from the message keep their evidence; form values from the message reach the outcome', () => {
    const values = { questionNumber: '7' };
    const r = step(kb, undefined, text('x'), { ...ctx, search: { query: () => match(hit(P, [{ nodeId: 'state', optionId: 'closed-disagree', evidence: 'не согласен' }], values)) } });
    expect(r.walk?.answers).to.deep.equal([{ nodeId: 'state', optionId: 'closed-disagree', evidence: 'не согласен', from: 'message' }]);
    expect(r.walk?.values).to.deep.equal(values);
    const done = step(kb, r.walk, answer('closed_category', 'backoffice', r.walk!.cardId), ctx);
    const outcome = done.replies[0];
    expect(outcome.type === 'outcome' && outcome.values).to.deep.equal(values);
    const logged = done.effects[0] as Extract<Effect, { type: 'appendDecision' }>;
    expect(logged.decision.path.map((s) => s.from)).to.deep.equal(['message', 'tap']);
  });

  it('facts are decided when the walk starts and kept for the rest of it', () => {
    const started = step(kb, undefined, click({ action: 'start', procedureId: 'potential-corporate' }), ctx);
    expect(started.walk?.facts).to.deep.equal({ telesalesOpen: 'yes' });
    const later = step(kb, started.walk, { kind: 'command', command: 'restart' }, { ...ctx, facts: { telesalesOpen: 'no' } });
    expect(later.walk?.facts).to.deep.equal({ telesalesOpen: 'yes' });
  });

  it('stays small: no knowledge-base text in it', () => {
    const r = step(kb, AT_CATEGORY, { kind: 'command', command: 'topics' }, ctx);
    expect(JSON.stringify(r.walk)).not.to.include(proc.title);
    expect(JSON.stringify(r.walk).length).to.be.below(300);
  });
});

describe('domain: the decision says how its procedure was found', function () {
  this.timeout(120_000);
  const logged = (r: { effects: Effect[] }) => (r.effects.find((e) => e.type === 'appendDecision') as Extract<Effect, { type: 'appendDecision' }> | undefined)?.decision;

  /** Taps the first option of every question until the outcome: the decision the walk ends in. */
  function decide(first: ReturnType<typeof step>, c: StepContext) {
    let r = first;
    for (let taps = 0; !logged(r) && taps < 20; taps++) {
      const q = r.replies.find((x) => x.type === 'question');
      if (q?.type !== 'question') throw new Error(`no question and no decision: ${r.replies.map(show).join(', ')}`);
      expect(r.walk?.foundBy, 'the walk carries it to the decision').to.equal(first.walk?.foundBy);
      r = step(kb, r.walk, answer(q.nodeId, q.node.options[0].id, q.cardId), { ...c, newId: `card-${taps}` });
    }
    return logged(r)!;
  }

  // Each message is found one way by the real search (kb/search, kb/examples): see test/domain/classifier.test.ts.
  for (const [way, message, procedure] of [
    ['rules', 'клиента не слышно', 'inaudible-caller'],
    ['evidenced', 'аб матерится через слово', 'call-termination'],
    ['secondOpinion', 'на какой номер просить перезвонить если клиента не слышно', 'inaudible-caller'],
    ['rescued', 'кл хочет чтобы ему подарили гигабайты, что обещать', 'never-promise'],
  ] as const)
    it(`${way}: «${message}»`, () => {
      const c = { ...ctx, search: realSearch() };
      const d = decide(step(kb, undefined, text(message), c), c);
      expect([d.procedureId, d.foundBy]).to.deep.equal([procedure, way]);
    });

  it('tap: a candidate of «which of these?» started from its card, the answers it carries kept', () => {
    const c = { ...ctx, search: realSearch() };
    const asked = step(kb, undefined, text('кейс закрыт'), c).replies[0];
    expect(asked.type).to.equal('disambiguation');
    const candidate = asked.type === 'disambiguation' ? asked.candidates[0] : hit(P);
    const d = decide(step(kb, undefined, click({ action: 'start', procedureId: candidate.procedureId, answers: candidate.answers }), c), c);
    expect([d.procedureId, d.foundBy]).to.deep.equal([candidate.procedureId, 'tap']);
  });

  it('kept through «Назад» and «Заново»; a switch mid-walk takes the new search’s way', () => {
    const started = step(kb, undefined, text('клиент не согласен с решением по заявке'), { ...ctx, search: { query: () => match(hit(P, [{ nodeId: 'state', optionId: 'closed-disagree', evidence: 'не согласен' }]), 'secondOpinion') } });
    const back = step(kb, started.walk, click({ action: 'back', cardId: 'new-card' }), ctx);
    const again = step(kb, back.walk, { kind: 'command', command: 'restart' }, ctx);
    expect([started.walk?.foundBy, back.walk?.foundBy, again.walk?.foundBy]).to.deep.equal(['secondOpinion', 'secondOpinion', 'secondOpinion']);
    const category = step(kb, again.walk, answer('state', 'closed-disagree', 'new-card'), ctx);
    expect(logged(step(kb, category.walk, answer('closed_category', 'backoffice', 'new-card'), ctx))?.foundBy).to.equal('secondOpinion');
    const switched = step(kb, { ...AT_CATEGORY, foundBy: 'tap' }, text('клиент звонит повторно по открытому кейсу'), ctx);
    expect(switched.walk?.foundBy).to.equal('rules');
  });

  it('a walk stored before the bot kept it logs a decision without it; a value this version does not know is dropped, the walk kept', () => {
    expect(logged(step(kb, AT_CATEGORY, answer('closed_category', 'backoffice'), ctx))).to.not.have.property('foundBy');
    const unknown = step(kb, { ...AT_CATEGORY, foundBy: 'telepathy' }, answer('closed_category', 'backoffice'), ctx);
    expect(logged(unknown)).to.include({ procedureId: P }).and.not.have.property('foundBy');
  });
});
