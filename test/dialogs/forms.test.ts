import { expect } from 'chai';
import { TestAdapter, type Activity } from 'botbuilder';
import { FormHandler } from '../../src/bot/turn/formHandler.js';
import { MemoryDecisionLog } from '../../src/bot/infra/decisionLog/memoryDecisionLog.js';
import type { DecisionRecord } from '../../src/domain/decisions.js';
import { outcomeCard } from '../../src/dialogs/cards.js';
import { escapeMarkdown, formCard, formCardData, formResultData } from '../../src/dialogs/formCards.js';
import { FORM_LIMITS, parseCardAction, readInput, stepInputOf } from '../../src/dialogs/input.js';
import { step } from '../../src/domain/step.js';
import { turnEffects } from '../../src/bot/turn/turnEffects.js';
import { t } from '../../src/dialogs/strings.js';
import type { Form, KnowledgeBase, OutcomeNode } from '../../src/domain/types.js';
import { buttonsOf, cardOf, clickData, headlineOf, inputsOf, textOf, textsOf, type Card } from '../support/cards.js';
import { realKb } from '../support/kb.js';

const NOW = new Date('2026-11-23T09:30:00Z');
const form = (id: string): Form => realKb().forms!.find((f) => f.id === id)!;


/** What Teams sends for a form card's submit: the button's data with the inputs merged in. */
const submitOf = (card: Card, values: Record<string, string>) => ({ ...clickData(card, 'Получить текст'), ...values });

/** A decision in the log for an outcome with a form. */
function decisionFor(procedureId: string, nodeId: string, id = 'dec-1'): DecisionRecord {
  return {
    id,
    at: NOW.toISOString(),
    operator: { id: 'user-1', name: 'Оператор' },
    conversationId: 'c1',
    procedureId,
    procedureVersion: 1,
    procedureTitle: 'T',
    kbVersion: 'test',
    path: [],
    outcome: { nodeId, kind: 'caseParams', headline: 'H' },
    citations: [],
  };
}

/** A knowledge base where the named outcomes carry forms (independent of the `form:` lines in kb/). */
function kbWithForms(links: [procedureId: string, nodeId: string, formId: string][]): KnowledgeBase {
  const kb = structuredClone(realKb());
  for (const [p, n, f] of links) (kb.procedures.find((x) => x.id === p)!.nodes[n] as OutcomeNode).form = f;
  return kb;
}

const LINKS: [string, string, string][] = [
  ['potential-corporate', 'create_case', 'potential-corporate-case'],
  ['survey-comment', 'comment_interrupted', 'survey-comment-interrupted'],
  ['survey-online-resurvey', 'resurvey_reminder', 'survey-online-resurvey-reminder'],
];

/**
 * The form handler behind a Bot Framework test adapter, as the bot runs it: submits go to the
 * handler; «Заполнить …» is decided by the turn step, whose openForm effect the handler runs.
 */
function harness() {
  let kb = kbWithForms(LINKS);
  const decisions = new MemoryDecisionLog();
  let n = 0;
  const handler = new FormHandler({ kb: () => kb, decisions, now: () => NOW, timeZone: 'Europe/Moscow', newId: () => `card-${++n}` });
  const runEffect = turnEffects({ decisions, forms: handler, now: () => NOW });
  const noSearch = { query: () => ({ type: 'none' as const }) };
  const handled: boolean[] = [];
  const adapter = new TestAdapter(async (context) => {
    const input = readInput(context.activity);
    if (await handler.handle(context, input)) return void handled.push(true);
    const { effects } = step(kb, undefined, stepInputOf(input), { facts: {}, search: noSearch, newId: 'c', turnId: 't' });
    const forms = effects.filter((e) => e.type === 'openForm');
    for (const effect of forms) await runEffect(context, effect);
    handled.push(forms.length > 0);
  });
  return {
    kb,
    decisions,
    handled,
    /** A reload that gives the procedure its next version (the same nodes and forms). */
    bumpVersion(procedureId: string) {
      kb = { ...kb, procedures: kb.procedures.map((p) => (p.id === procedureId ? { ...p, version: p.version + 1 } : p)) };
    },
    async send(value: unknown): Promise<Partial<Activity>[]> {
      const replies: Partial<Activity>[] = [];
      await adapter.send({ type: 'message', value, from: { id: 'user-1', name: 'Оператор' } } as Partial<Activity>).startTest();
      for (let r = adapter.activeQueue.shift(); r; r = adapter.activeQueue.shift()) replies.push(r);
      return replies;
    },
  };
}

// ---------------------------------------------------------------------------------------------

describe('dialogs: the «Заполнить …» button on outcome cards', () => {
  it('appears only on outcomes with a form and opens that form for this decision', () => {
    const kb = kbWithForms(LINKS);
    const proc = kb.procedures.find((p) => p.id === 'potential-corporate')!;
    const card = cardOf({ attachments: [outcomeCard(kb, proc, proc.nodes.create_case as OutcomeNode, [], 'dec-1')] });
    expect(clickData(card, 'Заполнить CASE')).to.deep.equal({ action: 'formOpen', formId: 'potential-corporate-case', decisionId: 'dec-1' });
    const plain = cardOf({ attachments: [outcomeCard(kb, proc, proc.nodes.connect_to_telesales as OutcomeNode, [], 'dec-2')] });
    expect(buttonsOf(plain).map((b) => b.title)).to.not.include('Заполнить CASE');
    expect(buttonsOf(plain).some((b) => b.data?.action === 'formOpen')).to.equal(false);
  });

  it('every outcome in kb/ that names a form shows its button, and the form opens for it', async () => {
    const kb = realKb();
    const linked: string[] = [];
    for (const p of kb.procedures)
      for (const [nodeId, node] of Object.entries(p.nodes)) {
        if (node.type !== 'outcome') continue;
        const card = cardOf({ attachments: [outcomeCard(kb, p, node, [], 'dec-x')] });
        const opens = buttonsOf(card).filter((b) => b.data?.action === 'formOpen');
        if (!node.form) {
          expect(opens, `${p.id}.${nodeId}`).to.deep.equal([]);
          continue;
        }
        linked.push(`${p.id}.${nodeId}`);
        const f = kb.forms!.find((x) => x.id === node.form)!;
        expect(opens, `${p.id}.${nodeId}`).to.deep.equal([{ title: f.button, data: { action: 'formOpen', formId: f.id, decisionId: 'dec-x' } }]);
      }
    expect(linked).to.include.members([
      'potential-corporate.create_case',
      'potential-corporate.zero_client',
      'home-internet-transfer.collect_org_data',
      'survey-comment.comment_interrupted',
      'survey-comment.comment_partial',
      'survey-comment.comment_refused',
      'survey-online-resurvey.resurvey_reminder',
      'case-repeat-inquiry.dispatch_repeat',
      'case-repeat-inquiry.open_repeat',
      'inba-faq.faq_fk_low_balance',
      'inba-faq.faq_discount_category',
    ]);
  });
});

describe('dialogs: the form card', () => {
  it('has Russian labels, isRequired + errorMessage on mandatory fields, a regex taking a phone or an e-mail', () => {
    const card = cardOf({ attachments: [formCard(formCardData(form('potential-corporate-case'), { decisionId: 'd', cardId: 'c', values: {} }))] });
    const inputs = inputsOf(card);
    expect(Object.keys(inputs)).to.deep.equal(['company', 'address', 'contact', 'phone', 'profile', 'employees', 'offices', 'operators', 'costs', 'services']);
    for (const id of ['company', 'address', 'contact']) {
      expect(inputs[id].isRequired, id).to.equal(true);
      expect(inputs[id].errorMessage, id).to.equal(`Заполните поле «${inputs[id].label}».`);
    }
    expect(inputs.company.label).to.equal('Название компании');
    expect(inputs.phone.label).to.equal('Контактный телефон (или E-mail)');
    expect(inputs.phone.isRequired).to.equal(true);
    expect(inputs.phone.regex).to.equal('^(\\+?[0-9][0-9 ()-]{3,18}[0-9]|[^@\\s]+@[^@\\s]+\\.[^@\\s]+)$');
    expect(inputs.phone.placeholder).to.equal('+7 (900) 000-00-00 или name@company.ru');
    expect(inputs.profile.isRequired).to.equal(false);
    expect(inputs.profile).to.not.have.property('errorMessage');
    expect(textsOf(card)).to.include('Обязательные параметры').and.include('Желательные параметры (если их удается узнать)');
    expect(clickData(card, 'Получить текст')).to.deep.equal({ action: 'form', formId: 'potential-corporate-case', decisionId: 'd', cardId: 'c' });
  });

  it('uses a date input prefilled with today, a number input and a choice list', () => {
    const interrupted = inputsOf(cardOf({ attachments: [formCard(formCardData(form('survey-comment-interrupted'), { decisionId: 'd', cardId: 'c', values: { date: '2026-11-23' } }))] }));
    expect(interrupted.date).to.include({ type: 'Input.Date', value: '2026-11-23', isRequired: true });
    expect(interrupted.question).to.include({ type: 'Input.Number', min: 1, max: 999, isRequired: true });
    expect(interrupted.words).to.include({ type: 'Input.Text', isMultiline: true, isRequired: false });
    const reminder = inputsOf(cardOf({ attachments: [formCard(formCardData(form('survey-online-resurvey-reminder'), { decisionId: 'd', cardId: 'c', values: {} }))] }));
    expect(reminder.channel.type).to.equal('Input.ChoiceSet');
    expect(reminder.channel.choices).to.deep.equal([
      { title: 'E-mail', value: 'E-mail' },
      { title: 'СМС', value: 'СМС' },
    ]);
  });

  it('escapes Markdown in typed text so it cannot make links or formatting', () => {
    expect(escapeMarkdown('[x](http://evil)')).to.equal('\\[x\\](http://evil)');
    expect(escapeMarkdown('**жирно** и _курсив_ `код` ~зачёркнуто~')).to.equal('\\*\\*жирно\\*\\* и \\_курсив\\_ \\`код\\` \\~зачёркнуто\\~');
    expect(escapeMarkdown('# заголовок\n- пункт\n+ пункт\n1. первый\n2) второй')).to.equal('\\# заголовок\n\\- пункт\n\\+ пункт\n1\\. первый\n2\\) второй');
    expect(escapeMarkdown('\\[x]')).to.equal('\\\\\\[x\\]');
    // Ordinary values are left as they are.
    expect(escapeMarkdown('+7 (495) 123-45-67, ООО «Ромашка», г. Москва, д. 1-2')).to.equal('+7 (495) 123-45-67, ООО «Ромашка», г. Москва, д. 1-2');
  });
});

describe('dialogs: form handler (submits as Teams sends them)', () => {
  const complete = { company: 'ООО «Ромашка»', address: 'г. Москва, ул. Ленина, д. 1', contact: 'Иванов Иван', phone: '+7 (495) 123-45-67' };

  it('«Заполнить CASE» sends the form card for the decision', async () => {
    const h = harness();
    const [reply] = await h.send({ action: 'formOpen', formId: 'potential-corporate-case', decisionId: 'dec-1' });
    const card = cardOf(reply);
    expect(headlineOf(card)).to.equal('CASE на потенциального корпоративного клиента');
    expect(clickData(card, 'Получить текст')).to.deep.equal({ action: 'form', formId: 'potential-corporate-case', decisionId: 'dec-1', cardId: 'card-1' });
    expect(h.handled).to.deep.equal([true]);
  });

  it('a date field starts as today in the bot’s time zone', async () => {
    const h = harness();
    const [reply] = await h.send({ action: 'formOpen', formId: 'survey-comment-interrupted', decisionId: 'dec-1' });
    expect(inputsOf(cardOf(reply)).date.value).to.equal('2026-11-23');
  });

  it('refuses a missing mandatory field: re-shows the form with every value kept and the field named', async () => {
    const h = harness();
    await h.decisions.append(decisionFor('potential-corporate', 'create_case'));
    const [open] = await h.send({ action: 'formOpen', formId: 'potential-corporate-case', decisionId: 'dec-1' });
    for (const missing of ['company', 'address', 'contact', 'phone']) {
      const values: Record<string, string> = { ...complete, profile: 'торговля' };
      delete values[missing];
      const [reply] = await h.send(submitOf(cardOf(open), values));
      const card = cardOf(reply);
      const inputs = inputsOf(card);
      const label = inputs[missing].label;
      expect(textsOf(card), missing).to.include(`• Заполните поле «${label}».`); // at the top
      expect(textsOf(card).filter((x) => x === `Заполните поле «${label}».`), missing).to.have.length(1); // under the field
      for (const [k, v] of Object.entries(values)) expect(inputs[k].value, `${missing}: ${k} kept`).to.equal(v);
      expect(inputs[missing].value).to.equal('');
    }
    expect((await h.decisions.get('dec-1'))!.formValues).to.equal(undefined);
  });

  it('refuses a contact that is neither a phone nor an e-mail, naming the field and keeping the rest', async () => {
    const h = harness();
    const [open] = await h.send({ action: 'formOpen', formId: 'potential-corporate-case', decisionId: 'dec-1' });
    const cases: [Record<string, string>, string, string][] = [
      [{ ...complete, phone: 'вечером' }, 'phone', 'Контактный телефон (или E-mail): номер — цифры, пробелы, скобки, дефисы и «+» в начале, например +7 (900) 000-00-00, или адрес вида name@company.ru.'],
      [{ ...complete, phone: 'info(at)romashka' }, 'phone', 'Контактный телефон (или E-mail): номер — цифры, пробелы, скобки, дефисы и «+» в начале, например +7 (900) 000-00-00, или адрес вида name@company.ru.'],
    ];
    for (const [values, field, message] of cases) {
      const card = cardOf((await h.send(submitOf(cardOf(open), values)))[0]);
      expect(textsOf(card)).to.include(`• ${message}`).and.include(message);
      const inputs = inputsOf(card);
      for (const [k, v] of Object.entries(values)) expect(inputs[k].value, `${field}: ${k}`).to.equal(v);
      expect(headlineOf(card)).to.equal('CASE на потенциального корпоративного клиента');
    }
  });

  it('a complete submit gives the ready text to copy and saves the values with the decision', async () => {
    const h = harness();
    await h.decisions.append(decisionFor('potential-corporate', 'create_case'));
    const [open] = await h.send({ action: 'formOpen', formId: 'potential-corporate-case', decisionId: 'dec-1' });
    const [reply] = await h.send(submitOf(cardOf(open), { ...complete, employees: '120' }));
    const card = cardOf(reply);
    const expected = 'название компании: ООО «Ромашка»\nфактический адрес компании: г. Москва, ул. Ленина, д. 1\nконтактное лицо: Иванов Иван\nконтактный телефон (или E-mail): +7 (495) 123-45-67\nколичество сотрудников: 120';
    expect(textOf(card)).to.include(expected);
    expect(inputsOf(card).copy_output_0.value).to.equal(expected);
    expect(buttonsOf(card)).to.deep.equal([]); // nothing to submit on the result
    expect((await h.decisions.get('dec-1'))!.formValues).to.deep.equal({ ...complete, employees: '120' });
  });

  it('the reminder: topic, the seed’s text, the chosen channel, what to do and what to tell the client', async () => {
    const h = harness();
    await h.decisions.append(decisionFor('survey-online-resurvey', 'resurvey_reminder'));
    const [open] = await h.send({ action: 'formOpen', formId: 'survey-online-resurvey-reminder', decisionId: 'dec-1' });
    const card = cardOf((await h.send(submitOf(cardOf(open), { channel: 'СМС' })))[0]);
    const texts = textsOf(card);
    expect(texts).to.include('Повторный on-line опрос').and.include('Клиент просит повторно направить (Е-mail или СМС) с анкетой для прохождения онлайн опроса');
    expect(texts).to.include('«создать «Напоминание» с уведомлением на Е-mail и темой «Повторный on-line опрос» для Координатора»');
    expect(texts.join('\n')).to.include('Что сказать клиенту (из процедуры)');
    expect(inputsOf(card).copy_output_1.value).to.equal('Клиент просит повторно направить (Е-mail или СМС) с анкетой для прохождения онлайн опроса');
    expect(inputsOf(card).copy_output_2.value).to.equal('СМС');
    expect((await h.decisions.get('dec-1'))!.formValues).to.deep.equal({ channel: 'СМС' });
  });

  it('shows typed card markup, Markdown and ${…} as plain text; the copy box keeps them as typed', async () => {
    const h = harness();
    const [open] = await h.send({ action: 'formOpen', formId: 'survey-comment-interrupted', decisionId: 'dec-1' });
    const words = '[жми](http://evil.example) **срочно** ${decisionId} {"type":"Action.OpenUrl","url":"http://evil"}\n- пункт\n1. раз';
    const [reply] = await h.send(submitOf(cardOf(open), { date: '2026-04-17', question: '3', words }));
    const card = cardOf(reply);
    const live: string[] = []; // anything a click could follow
    JSON.stringify(card, (key, v) => {
      if (key === 'selectAction' || (key === 'type' && v === 'Action.OpenUrl')) live.push(key);
      return v;
    });
    expect(live).to.deep.equal([]);
    expect(buttonsOf(card)).to.deep.equal([]);
    const shown = textsOf(card).filter((x) => x.includes('Клиент прервал'));
    expect(shown).to.deep.equal(['17/04 Клиент прервал анкетирование на вопросе №3, далее отказался отвечать. "\\[жми\\](http://evil.example) \\*\\*срочно\\*\\* ${decisionId} {"type":"Action.OpenUrl","url":"http://evil"}']);
    expect(textsOf(card)).to.include('\\- пункт').and.include('1\\. раз"');
    expect(inputsOf(card).copy_output_0.value).to.equal(`17/04 Клиент прервал анкетирование на вопросе №3, далее отказался отвечать. "${words}"`);
    // Templating did not evaluate the typed ${…}: the decision id is nowhere in the texts.
    expect(textsOf(card).join('\n')).to.not.include('dec-1');
  });

  it('keeps ${…} and Markdown typed into a refused form as they were, in the inputs', async () => {
    const h = harness();
    const [open] = await h.send({ action: 'formOpen', formId: 'potential-corporate-case', decisionId: 'dec-1' });
    const typed = { company: '${formId} **x**', address: '[a](http://b)', contact: '' };
    const card = cardOf((await h.send(submitOf(cardOf(open), typed)))[0]);
    const inputs = inputsOf(card);
    expect(inputs.company.value).to.equal('${formId} **x**');
    expect(inputs.address.value).to.equal('[a](http://b)');
  });

  it('refuses inputs that are not the form’s own fields and values that are not text', async () => {
    const h = harness();
    const [open] = await h.send({ action: 'formOpen', formId: 'potential-corporate-case', decisionId: 'dec-1' });
    const data = clickData(cardOf(open), 'Получить текст');
    const [r1] = await h.send({ ...data, ...complete, isAdmin: 'yes' });
    expect(r1.text).to.equal(t.invalidClick);
    // Not text: not a form action at all; readInput calls it invalid and the bot answers that (not this handler).
    expect(await h.send({ ...data, ...complete, company: 42 })).to.deep.equal([]);
    expect(h.handled).to.deep.equal([true, true, false]);
    expect(parseCardAction({ ...data, ...complete, company: 42 })).to.equal(undefined);
    expect(parseCardAction({ ...data, company: 'x'.repeat(FORM_LIMITS.valueLength + 1) })).to.equal(undefined);
    expect(parseCardAction({ ...data, 'bad key': 'x' })).to.equal(undefined);
    expect(parseCardAction({ ...data, __proto__x: 'x' })).to.equal(undefined);
    expect(parseCardAction({ ...data, ...Object.fromEntries(Array.from({ length: FORM_LIMITS.fields + 1 }, (_, i) => [`f${i}`, 'x'])) })).to.equal(undefined);
    expect(parseCardAction({ action: 'form', formId: 'Bad Id', decisionId: 'd', cardId: 'c' })).to.equal(undefined);
    expect(parseCardAction({ action: 'formOpen', formId: 'potential-corporate-case' })).to.equal(undefined);
    expect(parseCardAction({ ...data, ...complete })).to.deep.equal({ action: 'form', formId: 'potential-corporate-case', decisionId: 'dec-1', cardId: 'card-1', values: complete });
  });

  it('refuses a form that is not the decision’s outcome’s, and an unknown form', async () => {
    const h = harness();
    await h.decisions.append(decisionFor('potential-corporate', 'create_case'));
    const [r1] = await h.send({ action: 'formOpen', formId: 'zero-client-case', decisionId: 'dec-1' });
    expect(r1.text).to.equal(t.invalidClick);
    const [r2] = await h.send({ action: 'form', formId: 'zero-client-case', decisionId: 'dec-1', cardId: 'x', name: 'Ольга', phone: '+7 903 1234567' });
    expect(r2.text).to.equal(t.invalidClick);
    const [r3] = await h.send({ action: 'formOpen', formId: 'no-such-form', decisionId: 'dec-1' });
    expect(r3.text).to.equal(t.unknownForm);
    expect((await h.decisions.get('dec-1'))!.formValues).to.equal(undefined);
  });

  it('after the decision\'s procedure changed version: says so, writes nothing, and gives the typed values back on the form', async () => {
    const h = harness();
    await h.decisions.append(decisionFor('potential-corporate', 'create_case'));
    const [open] = await h.send({ action: 'formOpen', formId: 'potential-corporate-case', decisionId: 'dec-1' });
    h.bumpVersion('potential-corporate');

    const replies = await h.send(submitOf(cardOf(open), complete));
    expect(replies.map((r) => r.text).filter(Boolean)).to.deep.equal([t.formProcedureChangedKept]);
    expect(t.formProcedureChangedKept).to.match(/^Процедура изменилась после этого ответа.*ничего не записано, введённые значения остались в форме ниже/);
    const card = cardOf(replies[replies.length - 1]);
    expect(headlineOf(card)).to.equal('CASE на потенциального корпоративного клиента');
    const inputs = inputsOf(card);
    for (const [k, v] of Object.entries(complete)) expect(inputs[k].value, k).to.equal(v);
    expect((await h.decisions.get('dec-1'))!.formValues).to.equal(undefined);

    // «Заполнить» on the old outcome card: the message alone, no form.
    const reopened = await h.send({ action: 'formOpen', formId: 'potential-corporate-case', decisionId: 'dec-1' });
    expect(reopened.map((r) => r.text)).to.deep.equal([t.formProcedureChanged]);
  });

  it('still gives the text for a decision the log does not have, saying the values were not saved', async () => {
    const h = harness();
    const [reply] = await h.send({ action: 'form', formId: 'survey-online-resurvey-reminder', decisionId: 'gone', cardId: 'x', channel: 'E-mail' });
    const texts = textsOf(cardOf(reply));
    expect(texts).to.include('Клиент просит повторно направить (Е-mail или СМС) с анкетой для прохождения онлайн опроса').and.include('E-mail').and.include(t.formNotLogged);
  });

  it('leaves every other turn to the bot', async () => {
    const h = harness();
    expect(await h.send({ action: 'topics' })).to.deep.equal([]);
    expect(h.handled).to.deep.equal([false]);
  });

  it('formResultData escapes every displayed line but copies the raw text', () => {
    const data = formResultData(form('case-repeat-comment'), { decisionId: 'd', outputs: [{ label: 'Комментарий CASE', text: 'Повтор _срочно_\n# нет' }] });
    expect(data.outputs).to.deep.equal([{ label: 'Комментарий CASE', lines: ['Повтор \\_срочно\\_', '\\# нет'], text: 'Повтор _срочно_\n# нет' }]);
  });
});
