import { expect } from 'chai';
import { ConversationState, MemoryStorage, TestAdapter, type Activity, type Storage, type StoreItems } from 'botbuilder';
import { AssistantBot } from '../../src/bot/turn/assistantBot.js';
import { MemoryDecisionLog } from '../../src/bot/infra/decisionLog/memoryDecisionLog.js';
import { FormHandler } from '../../src/bot/turn/formHandler.js';
import { turnEffects } from '../../src/bot/turn/turnEffects.js';
import { KnowledgeSearch, loadSearchData, russianLexicon, type SearchResult } from '../../src/domain/search/index.js';
import { cardOf, choicesOf, clickData, headlineOf, inputsOf, lastCard, textOf } from '../support/cards.js';
import type { KnowledgeBase, ProcedureNode } from '../../src/domain/types.js';
import { kbDir, realKb } from '../support/kb.js';

const NOW = new Date('2026-11-23T09:30:00Z');
let search: KnowledgeSearch | undefined;

/** A storage that fails the writes it is told to (a database that went away mid-turn). */
class FlakyStorage extends MemoryStorage {
  failWrites = 0;
  override async write(changes: StoreItems): Promise<void> {
    if (this.failWrites > 0) {
      this.failWrites--;
      throw new Error('storage unavailable');
    }
    return super.write(changes);
  }
}

/**
 * A user in front of the bot as the channel runs it (activity handler, the turn waterfall, state and
 * decision log): reads each card and clicks or types, as an operator would.
 */
function operator(facts: Record<string, string> = {}, kb: KnowledgeBase = realKb(), query?: (text: string) => SearchResult) {
  const storage = new FlakyStorage();
  const decisions = new MemoryDecisionLog();
  const forms = new FormHandler({ kb: () => kb, decisions, now: () => NOW });
  const bot = new AssistantBot({
    knowledge: () => ({ kb, search: query ? { query } : (search ??= new KnowledgeSearch(kb, loadSearchData(kbDir), {}, russianLexicon())) }),
    conversationState: new ConversationState(storage as Storage),
    handlers: [forms],
    facts: () => facts,
    runEffect: turnEffects({ decisions, forms, now: () => NOW }),
  });
  const adapter = new TestAdapter((context) => bot.run(context));
  adapter.onTurnError = async (context) => {
    await context.sendActivity('Сервис временно недоступен');
  };
  return {
    storage,
    decisions,
    async send(activity: Partial<Activity> | string): Promise<Partial<Activity>[]> {
      const a: Partial<Activity> = typeof activity === 'string' ? { type: 'message', text: activity } : activity;
      await adapter.receiveActivity({ from: { id: 'user-1', name: 'Оператор' }, ...a });
      return adapter.activeQueue.splice(0);
    },
    click(card: ReturnType<typeof cardOf>, title: string) {
      return this.send({ type: 'message', value: clickData(card, title) });
    },
    start(procedureId: string) {
      return this.send({ type: 'message', value: { action: 'start', procedureId } });
    },
    async logged() {
      return (await decisions.query({}, { offset: 0, limit: 100 })).items;
    },
  };
}

const KEY = 'test/conversations/Convo1/';
const DEEP = 'deep-procedure-for-state-size';

/** The real knowledge base plus a procedure five questions deep (real ones are at most two), ids as long as real ones. */
function deepKb(): KnowledgeBase {
  const kb = structuredClone(realKb());
  const nodes: Record<string, ProcedureNode> = {};
  for (let q = 1; q <= 5; q++)
    nodes[`question_number_${q}`] = {
      type: 'question',
      text: `Вопрос ${q} о ситуации клиента?`,
      options: [1, 2, 3, 4].map((o) => ({ id: `option_number_${o}`, label: `Вариант ответа ${o} на вопрос ${q}`, next: q < 5 ? `question_number_${q + 1}` : 'final_outcome' })),
    };
  nodes.final_outcome = { type: 'outcome', kind: 'actions', headline: 'Сделайте так', actions: ['Шаг'], citations: [{ seed: '001_30f17cc54f05e2fd.txt', quote: 'Повтор' }] };
  kb.procedures.push({ ...kb.procedures[0], id: DEEP, version: 1, start: 'question_number_1', nodes });
  return kb;
}

const STATE = 'В каком состоянии кейс клиента?';

describe('dialogs: the turn dialog (case-repeat-inquiry)', () => {
  it('asks the first question as a card with one tappable choice per option', async () => {
    const op = operator();
    const [reply] = await op.start('case-repeat-inquiry');
    const card = cardOf(reply);
    expect(headlineOf(card)).to.equal(STATE);
    expect(choicesOf(card).map((c) => c.title)).to.deep.equal([
      'Closed — клиент не согласен с решением',
      'Open-Dispatch',
      'Open',
      'Другое состояние или вопрос',
    ]);
  });

  it('walks by clicks to the retention line, with citation and path on the outcome card, and logs the decision first', async () => {
    const op = operator();
    let replies = await op.start('case-repeat-inquiry');
    replies = await op.click(lastCard(replies), 'Closed — клиент не согласен с решением');
    expect(headlineOf(lastCard(replies))).to.equal('Какая категория у кейса?');
    replies = await op.click(lastCard(replies), 'BackOffice Сохранения');
    const outcome = lastCard(replies);
    expect(headlineOf(outcome)).to.equal('Переключите клиента на линию Сохранения');
    const text = textOf(outcome);
    expect(text).to.include('Линия: линия Сохранения');
    expect(text).to.include('Источник: CASE, обещания клиенту, завершение звонка, домашний интернет');
    expect(text).to.include('переключаем на линию Сохранения');
    expect(text).to.include('Путь: Closed — клиент не согласен с решением → BackOffice Сохранения');
    const logged = await op.logged();
    expect(logged.map((d) => d.outcome.nodeId)).to.deep.equal(['to_retention']);
    expect(clickData(outcome, '👍 Помогло').decisionId).to.equal(logged[0].id);
    expect(logged[0].path.map((p) => p.from)).to.deep.equal(['tap', 'tap']);
  });

  it('walks by typed text in any case and with a typo', async () => {
    const op = operator();
    await op.start('case-repeat-inquiry');
    let replies = await op.send('OPEN-DISPATCH');
    expect(headlineOf(lastCard(replies))).to.match(/^Сроки решения истекли/);
    replies = await op.send('да');
    const outcome = lastCard(replies);
    expect(textOf(outcome)).to.include('Я внес(ла) комментарий в Вашу заявку, чтобы ускорить ее рассмотрение. Ожидайте, пожалуйста, уведомления в течение суток');
    expect(textOf(outcome)).to.include('Отметьте в теме кейса слово "ПОВТОР".');
  });

  it('accepts an option by its number on the card and tolerates one wrong letter', async () => {
    const op = operator();
    await op.start('case-repeat-inquiry');
    let replies = await op.send('1');
    expect(headlineOf(lastCard(replies))).to.equal('Какая категория у кейса?');
    replies = await op.send('бэкофис сохранеия');
    expect(headlineOf(lastCard(replies))).to.equal('Переключите клиента на линию Сохранения');
  });

  it('re-asks in Russian, with the same card, when the typed answer fits no option', async () => {
    const op = operator();
    const first = lastCard(await op.start('case-repeat-inquiry'));
    const replies = await op.send('не знаю');
    expect(replies[0].text).to.match(/^Не понял ответ/);
    expect(headlineOf(lastCard(replies))).to.equal(STATE);
    expect(textOf(lastCard(replies))).not.to.match(/\b(Yes|No|or)\b/);
    expect(clickData(lastCard(replies), 'Open').cardId).to.equal(clickData(first, 'Open').cardId);
  });

  it('goes back one question with «Назад» and starts over with «Заново»', async () => {
    const op = operator();
    let replies = await op.start('case-repeat-inquiry');
    replies = await op.click(lastCard(replies), 'Open');
    expect(headlineOf(lastCard(replies))).to.match(/^Сроки решения истекли/);
    replies = await op.click(lastCard(replies), '◀ Назад');
    expect(headlineOf(lastCard(replies))).to.equal(STATE);
    replies = await op.click(lastCard(replies), 'Closed — клиент не согласен с решением');
    replies = await op.send('заново');
    expect(headlineOf(lastCard(replies))).to.equal(STATE);
    expect(textOf(lastCard(replies))).not.to.include('Путь');
  });

  it('says there is nothing before the first question', async () => {
    const op = operator();
    await op.start('case-repeat-inquiry');
    const replies = await op.send('/назад');
    expect(replies[0].text).to.equal('Это первый вопрос — назад идти некуда.');
    expect(headlineOf(lastCard(replies))).to.equal(STATE);
  });

  it('cancels with «Отмена» and ends the dialog', async () => {
    const op = operator();
    const first = lastCard(await op.start('case-repeat-inquiry'));
    const replies = await op.click(first, '✕ Отмена');
    expect(replies[0].text).to.match(/^Диалог отменён/);
    expect(await op.logged()).to.have.length(0);
    const [late] = await op.click(first, 'Open');
    expect(late.text).to.match(/^Эта карточка устарела: диалог по ней уже завершён/);
    const [nothing] = await op.send('отмена');
    expect(nothing.text).to.match(/^Сейчас нет начатого диалога/);
  });

  it('explains the current question on help and keeps waiting', async () => {
    const op = operator();
    await op.start('case-repeat-inquiry');
    const replies = await op.send('Помощь');
    expect(replies[0].text).to.include(`Сейчас вопрос: «${STATE}»`);
    const after = await op.send('Open');
    expect(headlineOf(lastCard(after))).to.match(/^Сроки решения истекли/);
  });

  it('refuses a click on an older card and shows the current question instead', async () => {
    const op = operator();
    const first = lastCard(await op.start('case-repeat-inquiry'));
    await op.click(first, 'Closed — клиент не согласен с решением');
    // A second click on the first card (double click, or scrolled up): must not answer the category question.
    const replies = await op.click(first, 'Open');
    expect(replies[0].text).to.match(/^Эта карточка устарела/);
    expect(headlineOf(lastCard(replies))).to.equal('Какая категория у кейса?');
    const after = await op.click(lastCard(replies), 'Эксперты оборудования');
    expect(headlineOf(lastCard(after))).to.equal('Переключите клиента на линию Экспертов оборудования');
  });

  it('refuses a click whose value it did not put on a card', async () => {
    const op = operator();
    await op.start('case-repeat-inquiry');
    const replies = await op.send({ type: 'message', value: { action: 'answer', procedureId: 'case-repeat-inquiry', nodeId: 'state', optionId: '<script>' } });
    expect(replies[0].text).to.match(/^Эту кнопку я не узнаю/);
    expect(headlineOf(lastCard(replies))).to.equal(STATE);
  });

  it('starts with answers already known and asks only what remains', async () => {
    const op = operator();
    const [reply] = await op.send({ type: 'message', value: { action: 'start', procedureId: 'case-repeat-inquiry', answers: [{ nodeId: 'state', optionId: 'closed-disagree' }] } });
    expect(headlineOf(cardOf(reply))).to.equal('Какая категория у кейса?');
  });

  it('starts cleanly from a conversation stored by the former three-dialog chain', async () => {
    const op = operator();
    await op.storage.write({ [KEY]: { dialogState: { dialogStack: [{ id: 'procedure', state: { dialogs: { dialogStack: [{ id: 'procedure.ask', state: {} }] } } }] }, eTag: '*' } });
    const [late] = await op.send({ type: 'message', value: { action: 'answer', procedureId: 'case-repeat-inquiry', nodeId: 'state', optionId: 'open', cardId: 'old-card' } });
    expect(late.text).to.match(/^Эта карточка устарела: диалог по ней уже завершён/);
    expect(headlineOf(lastCard(await op.start('case-repeat-inquiry')))).to.equal(STATE);
  });

  it('continues a conversation stored by the botbuilder waterfall, and stores it in the same shape', async () => {
    const op = operator();
    // As the version that ran a WaterfallDialog stored it after the start click (one instance waiting at step 1).
    const waterfall = {
      dialogStack: [
        {
          id: 'turn',
          state: {
            options: {
              walk: { procedureId: 'case-repeat-inquiry', version: 3, answers: [], facts: {}, cardId: 'TMWZ2KhPx4D5' },
              turn: 'TMWZ2KhPx4D5',
              card: { activityId: '7e67af50-5bdf-4cc3-af89-6d903a6bf099', cardId: 'TMWZ2KhPx4D5' },
            },
            values: { instanceId: 'd0c5cb52-c898-4339-bd4f-b2531bb99cca' },
            stepIndex: 0,
          },
        },
      ],
    };
    await op.storage.write({ [KEY]: { dialogState: waterfall, eTag: '*' } });
    const replies = await op.send({ type: 'message', value: { action: 'answer', procedureId: 'case-repeat-inquiry', nodeId: 'state', optionId: 'closed-disagree', cardId: 'TMWZ2KhPx4D5' } });
    expect(headlineOf(lastCard(replies))).to.equal('Какая категория у кейса?');
    const stack = ((await op.storage.read([KEY]))[KEY] as { dialogState: typeof waterfall }).dialogState.dialogStack;
    expect(stack).to.have.length(1);
    expect(Object.keys(stack[0].state).sort()).to.deep.equal(['options', 'stepIndex', 'values']);
    expect(stack[0]).to.deep.include({ id: 'turn' });
    expect(stack[0].state.stepIndex).to.equal(0);
    expect(stack[0].state.values.instanceId).to.match(/^[0-9a-f-]{36}$/);
    expect(stack[0].state.options.walk.answers).to.deep.equal([{ nodeId: 'state', optionId: 'closed-disagree', from: 'tap' }]);
  });

  it('keeps the stored conversation small: under 1 KB after four answers, with no knowledge-base text', async () => {
    const kb = deepKb();
    const op = operator({}, kb);
    let replies = await op.start(DEEP);
    for (let i = 0; i < 4; i++) replies = await op.click(lastCard(replies), choicesOf(lastCard(replies))[3].title);
    expect(headlineOf(lastCard(replies))).to.equal('Вопрос 5 о ситуации клиента?');
    const stored = JSON.stringify((await op.storage.read([KEY]))[KEY]);
    expect(stored).to.include('"optionId":"option_number_4"');
    expect(Buffer.byteLength(stored)).to.be.below(1024);
    expect(stored).not.to.include('Вопрос');
  });
});

describe('dialogs: a decision is logged once', () => {
  it('when saving the state fails, the operator gets the error; the repeated click logs no second decision', async () => {
    const op = operator();
    let replies = await op.start('case-repeat-inquiry');
    replies = await op.click(lastCard(replies), 'Closed — клиент не согласен с решением');
    const category = lastCard(replies);
    op.storage.failWrites = 1;
    const failed = await op.click(category, 'BackOffice Сохранения');
    expect(failed.map((r) => r.text)).to.include('Сервис временно недоступен');
    expect(await op.logged()).to.have.length(1);
    const again = await op.click(category, 'BackOffice Сохранения');
    const outcome = lastCard(again);
    expect(headlineOf(outcome)).to.equal('Переключите клиента на линию Сохранения');
    const logged = await op.logged();
    expect(logged).to.have.length(1);
    expect(clickData(outcome, '👍 Помогло').decisionId).to.equal(logged[0].id);
    // The same question asked again later is a new decision.
    replies = await op.start('case-repeat-inquiry');
    replies = await op.click(lastCard(replies), 'Closed — клиент не согласен с решением');
    await op.click(lastCard(replies), 'BackOffice Сохранения');
    expect(await op.logged()).to.have.length(2);
  });

  it('a double click on the card that reaches the outcome logs one decision', async () => {
    const op = operator();
    let replies = await op.start('case-repeat-inquiry');
    replies = await op.click(lastCard(replies), 'Closed — клиент не согласен с решением');
    const category = lastCard(replies);
    await op.click(category, 'BackOffice Сохранения');
    const [second] = await op.click(category, 'BackOffice Сохранения');
    expect(second.text).to.match(/^Эта карточка устарела/);
    expect(await op.logged()).to.have.length(1);
  });
});

describe('dialogs: an unanswered question is recorded once', () => {
  it('after the reply; a failed save and the repeated message record it once; a new message records another', async () => {
    const op = operator();
    const unanswered = () => op.decisions.unanswered({});
    op.storage.failWrites = 1;
    const failed = await op.send('как пройти в библиотеку');
    expect(failed.map((r) => r.text)).to.include('Сервис временно недоступен');
    expect((await unanswered()).map((u) => [u.reason, u.text])).to.deep.equal([['noMatch', 'как пройти в библиотеку']]);
    await op.send('как пройти в библиотеку');
    expect(await unanswered()).to.have.length(1);
    await op.send('как пройти в библиотеку');
    expect(await unanswered()).to.have.length(2);
    const [first] = await unanswered();
    expect(first).to.deep.include({ at: NOW.toISOString(), operator: { id: 'user-1', name: 'Оператор' } });
  });

  it('a cancelled dialog records the procedure, the question and the answers so far', async () => {
    const op = operator();
    const replies = await op.start('case-repeat-inquiry');
    await op.click(lastCard(replies), 'Closed — клиент не согласен с решением');
    await op.send('отмена');
    const [u] = await op.decisions.unanswered({});
    expect(u).to.deep.include({ reason: 'cancelled', procedureId: 'case-repeat-inquiry', nodeId: 'closed_category', path: [{ nodeId: 'state', optionId: 'closed-disagree' }] });
    expect(u.text).to.equal(undefined);
  });
});

describe('dialogs: answers taken from the message', () => {
  it('the question card shows them, and one tap reopens that question', async () => {
    const op = operator();
    const replies = await op.send('клиент не согласен с решением по закрытому кейсу');
    const card = lastCard(replies);
    expect(headlineOf(card)).to.equal('Какая категория у кейса?');
    const text = textOf(card);
    expect(text).to.include('Из сообщения:');
    expect(text).to.include('В каком состоянии кейс клиента → Closed — клиент не согласен с решением');
    expect(text).not.to.include(STATE);
    const changed = await op.click(card, 'Изменить: Closed — клиент не согласен с решением');
    expect(headlineOf(lastCard(changed))).to.equal(STATE);
    expect(textOf(lastCard(changed))).not.to.include('Из сообщения:');
    // For the knowledge manager's gap report: which words were read as which answer, and changed.
    const [u] = await op.decisions.unanswered({});
    expect(u).to.deep.include({ reason: 'corrected', procedureId: 'case-repeat-inquiry', nodeId: 'state', path: [{ nodeId: 'state', optionId: 'closed-disagree' }] });
    expect(u.text).to.match(/^В каком состоянии кейс клиента: «.+» → «Closed — клиент не согласен с решением»$/);
  });

  it('the outcome card shows them, a tap on one starts again from that question, and the decision records where each answer came from', async () => {
    const op = operator();
    const replies = await op.send('кейс закрыт, клиент не согласен, категория BackOffice');
    const outcome = lastCard(replies);
    expect(headlineOf(outcome)).to.equal('Переключите клиента на линию Сохранения');
    expect(textOf(outcome)).to.include('Из сообщения:').and.include('Какая категория у кейса → BackOffice');
    const [logged] = await op.logged();
    expect(logged.path.map((s) => s.from)).to.deep.equal(['message', 'message']);
    const changed = await op.click(outcome, 'Изменить: BackOffice');
    const card = lastCard(changed);
    expect(headlineOf(card)).to.equal('Какая категория у кейса?');
    expect(textOf(card)).to.include('В каком состоянии кейс клиента → Closed — клиент не согласен с решением');
    const tapped = await op.click(card, 'Эксперты оборудования');
    expect(headlineOf(lastCard(tapped))).to.equal('Переключите клиента на линию Экспертов оборудования');
    expect((await op.logged())[0].path.map((s) => s.from)).to.deep.equal(['message', 'tap']);
    const corrections = (await op.decisions.unanswered({})).filter((u) => u.reason === 'corrected');
    expect(corrections.map((u) => [u.nodeId, u.text])).to.deep.equal([['closed_category', 'Какая категория у кейса: «категория BackOffice» → «BackOffice»']]);
  });
});

describe('dialogs: the logged decision says how its procedure was found', function () {
  this.timeout(120_000);
  /** Taps the first choice of each question card until an outcome card. */
  async function toOutcome(op: ReturnType<typeof operator>, replies: Partial<Activity>[]) {
    for (let card = lastCard(replies), taps = 0; taps < 10; card = lastCard(await op.click(card, choicesOf(card)[0].title)), taps++)
      if (!choicesOf(card).length) return card;
    throw new Error('no outcome after 10 taps');
  }

  it('by the search’s rules, or the classifier naming a topic the rules answered «нет» for; a topic picked on the «which of these?» card is the operator’s', async () => {
    for (const [message, procedureId, foundBy] of [
      ['клиента не слышно', 'inaudible-caller', 'rules'],
      ['кл хочет чтобы ему подарили гигабайты, что обещать', 'never-promise', 'rescued'],
    ] as const) {
      const op = operator();
      await toOutcome(op, await op.send(message));
      expect((await op.logged()).map((d) => [d.procedureId, d.foundBy]), message).to.deep.equal([[procedureId, foundBy]]);
    }
    const op = operator();
    const asked = lastCard(await op.send('кейс закрыт'));
    const [first] = choicesOf(asked);
    expect(first.data).to.include({ action: 'start' });
    await toOutcome(op, await op.click(asked, first.title));
    expect((await op.logged()).map((d) => [d.procedureId, d.foundBy])).to.deep.equal([[first.data.procedureId, 'tap']]);
  });

  it('an answer changed on the outcome card starts a decision of the operator’s; the first keeps the search’s', async () => {
    const op = operator();
    const outcome = lastCard(await op.send('кейс закрыт, клиент не согласен, категория BackOffice'));
    await op.click(lastCard(await op.click(outcome, 'Изменить: BackOffice')), 'Эксперты оборудования');
    expect((await op.logged()).map((d) => d.foundBy)).to.deep.equal(['tap', 'rules']);
  });
});

describe('dialogs: form values taken from the message', () => {
  it('reach the outcome\u2019s form card as its defaults', async () => {
    const hit = { procedureId: 'survey-comment', kind: 'procedure' as const, title: '', description: '', answers: [{ nodeId: 'what', optionId: 'interrupted' }], values: { question: '7' }, score: 1, foundBy: 'rules' as const };
    const op = operator({}, realKb(), () => ({ type: 'match', hit }));
    const replies = await op.send('клиент прервал опрос на седьмом вопросе');
    const outcome = lastCard(replies);
    const [open] = await op.click(outcome, 'Заполнить');
    const inputs = inputsOf(cardOf(open));
    expect(inputs.question.value).to.equal(7);
    expect(inputs.date.value).to.equal('2026-11-23');
  });
});
