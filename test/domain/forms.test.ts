import { expect } from 'chai';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultValues, formProblems, parseTemplate, renderTemplate, templateLiterals, validateForm, type FormResult } from '../../src/domain/forms.js';
import { KnowledgeBaseError, loadKnowledgeBase } from '../../src/domain/loader.js';
import { lintKnowledgeBase } from '../../src/domain/lint.js';
import type { Form, KnowledgeBase } from '../../src/domain/types.js';
import { kbDir, realKb, seeds } from '../support/kb.js';

const TODAY = '2026-11-23';

function form(id: string): Form {
  const f = realKb().forms?.find((x) => x.id === id);
  if (!f) throw new Error(`no form "${id}" in kb/forms`);
  return f;
}

const fill = (id: string, values: Record<string, string>) => validateForm(form(id), values, { today: TODAY });

function textOf(result: FormResult): string {
  if (!result.ok) throw new Error(`expected the form to pass, got: ${JSON.stringify(result.problems)}`);
  return result.text;
}

function problemsOf(result: FormResult): { fieldId: string; message: string }[] {
  if (result.ok) throw new Error(`expected problems, got the text: ${result.text}`);
  return result.problems;
}

/** Every required field left out in turn is refused with that field named. */
function expectEachRequiredRefused(id: string, complete: Record<string, string>) {
  for (const f of form(id).fields.filter((x) => x.required)) {
    const values = { ...complete, [f.id]: '  ' };
    const problems = problemsOf(fill(id, values));
    expect(problems, `${id} without ${f.id}`).to.deep.equal([{ fieldId: f.id, message: `Заполните поле «${f.label}».` }]);
  }
}

// ---------------------------------------------------------------------------------------------

describe('domain: forms in kb/forms', () => {
  it('loads every form with the knowledge base and they lint clean against their seeds', () => {
    const ids = (realKb().forms ?? []).map((f) => f.id).sort();
    expect(ids).to.deep.equal([
      'case-repeat-comment',
      'case-repeat-subject',
      'home-internet-org-request',
      'inba-discount-interaction',
      'inba-fk-interaction',
      'potential-corporate-case',
      'survey-comment-attempt',
      'survey-comment-interrupted',
      'survey-comment-partial',
      'survey-comment-refused',
      'survey-online-resurvey-reminder',
      'zero-client-case',
    ]);
    const formProblems = lintKnowledgeBase(realKb(), seeds()).filter((p) => p.includes(' form "'));
    expect(formProblems).to.deep.equal([]);
  });

  it('reuses no phone number of the seeds (the sample contact card is a real person’s) in placeholders, defaults or messages', () => {
    const digits = (t: string) => t.replace(/\D/g, '');
    const seedPhones = [...seeds().values()].flatMap((t) => [...t.matchAll(/\+7[\s(]*\d{3}[\s)]*[\d\s-]{7,9}/g)].map((m) => digits(m[0])));
    expect(seedPhones, 'the sample card’s «Телефон довер. лица»').to.include('79035148647');
    for (const f of realKb().forms ?? [])
      for (const field of f.fields)
        for (const text of [field.placeholder, field.default, field.errorMessage].filter((x): x is string => !!x))
          for (const phone of seedPhones) expect(digits(text), `${f.id}.${field.id}: «${text}»`).not.to.include(phone);
  });

  it('every outcome `form:` names a loaded form', () => {
    const ids = new Set((realKb().forms ?? []).map((f) => f.id));
    for (const p of realKb().procedures)
      for (const [nodeId, n] of Object.entries(p.nodes)) if (n.type === 'outcome' && n.form) expect(ids.has(n.form), `${p.id}.${nodeId}`).to.equal(true);
  });
});

describe('domain: CASE parameters — potential corporate client (003)', () => {
  const complete = {
    company: 'ООО «Ромашка»',
    address: 'г. Москва, ул. Ленина, д. 1',
    contact: 'Иванов Иван Иванович',
    phone: '+7 (495) 123-45-67',
    profile: 'оптовая торговля',
    employees: '120',
    offices: 'Москва, Тверь',
    operators: 'МТС',
    costs: '50 000 руб. в месяц, безналичный расчет',
    services: 'Мобильный бюджет',
  };

  it('a complete submission gives the CASE text in the seed’s order and words', () => {
    expect(textOf(fill('potential-corporate-case', complete))).to.equal(
      [
        'название компании: ООО «Ромашка»',
        'фактический адрес компании: г. Москва, ул. Ленина, д. 1',
        'контактное лицо: Иванов Иван Иванович',
        'контактный телефон (или E-mail): +7 (495) 123-45-67',
        'профиль деятельности: оптовая торговля',
        'количество сотрудников: 120',
        'наличие и месторасположение офисов: Москва, Тверь',
        'используемые операторы сотовой связи: МТС',
        'объем затрат и способы оплаты: 50 000 руб. в месяц, безналичный расчет',
        'использование специальных услуг: Мобильный бюджет',
      ].join('\n'),
    );
  });

  it('desirable parameters left empty are left out; the contact field takes a phone or an e-mail', () => {
    const only = { company: 'ООО «Ромашка»', address: 'Тверь', contact: 'Иванов', phone: 'info@romashka.ru' };
    expect(textOf(fill('potential-corporate-case', only))).to.equal('название компании: ООО «Ромашка»\nфактический адрес компании: Тверь\nконтактное лицо: Иванов\nконтактный телефон (или E-mail): info@romashka.ru');
    const result = fill('potential-corporate-case', { ...only, phone: '8-800-700-7007' });
    expect(textOf(result)).to.include('контактный телефон (или E-mail): 8-800-700-7007');
    expect(result.ok && result.values).to.deep.equal({ company: 'ООО «Ромашка»', address: 'Тверь', contact: 'Иванов', phone: '8-800-700-7007' });
  });

  it('refuses each missing mandatory parameter, naming it', () => {
    expectEachRequiredRefused('potential-corporate-case', complete);
  });

  it('refuses a contact that is neither a phone number nor an e-mail address', () => {
    const message = 'Контактный телефон (или E-mail): номер — цифры, пробелы, скобки, дефисы и «+» в начале, например +7 (900) 000-00-00, или адрес вида name@company.ru.';
    for (const phone of ['позвонить вечером', 'info at romashka', '12', 'a@b'])
      expect(problemsOf(fill('potential-corporate-case', { ...complete, phone })), phone).to.deep.equal([{ fieldId: 'phone', message }]);
  });

  it('reports every problem at once, in the form’s field order', () => {
    const problems = problemsOf(fill('potential-corporate-case', { phone: 'bad', contact: 'Иванов' }));
    expect(problems.map((p) => p.fieldId)).to.deep.equal(['company', 'address', 'phone']);
  });

  it('refuses a value longer than the field allows', () => {
    expect(problemsOf(fill('potential-corporate-case', { ...complete, company: 'Я'.repeat(201) }))).to.deep.equal([
      { fieldId: 'company', message: '«Название компании»: не больше 200 знаков.' },
    ]);
  });
});

describe('domain: CASE on «нулевой клиент» (003)', () => {
  it('only name and contact phone, both mandatory', () => {
    expect(textOf(fill('zero-client-case', { name: 'Ольга', phone: '+7 (903) 5148647' }))).to.equal('CASE на нулевого клиента\nимя: Ольга\nконтактный телефон: +7 (903) 5148647');
    expectEachRequiredRefused('zero-client-case', { name: 'Ольга', phone: '+7 (903) 5148647' });
    expect(problemsOf(fill('zero-client-case', { name: 'Ольга', phone: 'ольга@mail.ru' })).map((p) => p.fieldId)).to.deep.equal(['phone']);
  });

  it('tells what to say to the client in the seed’s words', () => {
    expect(form('zero-client-case').tell).to.equal('Сообщить, что в рабочее время с ним обязательно свяжется сотрудник СРКК.');
  });
});

describe('domain: ШПД potential client — organisation (001)', () => {
  const complete = { city: 'Тверь', contact: 'Петров Пётр', phone: '8 (4822) 55-66-77', organization: 'ООО «Вектор»' };

  it('gives город, конт. лицо, конт. телефон, название организации and the 2-business-day promise', () => {
    expect(textOf(fill('home-internet-org-request', complete))).to.equal('город: Тверь\nконт. лицо: Петров Пётр\nконт. телефон: 8 (4822) 55-66-77\nназвание организации: ООО «Вектор»');
    expect(form('home-internet-org-request').tell).to.equal(
      'После занесения заявки сообщить клиенту, что в случае если в течении 2(двух) рабочих дней ему не перезвонят, он может обратиться по номеру 8-800-700-7007',
    );
  });

  it('refuses each missing parameter and a malformed phone', () => {
    expectEachRequiredRefused('home-internet-org-request', complete);
    expect(problemsOf(fill('home-internet-org-request', { ...complete, phone: '+7 903 abc' })).map((p) => p.fieldId)).to.deep.equal(['phone']);
  });
});

describe('domain: survey comment templates (000)', () => {
  const words = '...я уже отвечал на вопросы, меня все устроило, все отлично.';

  it('interrupted: «Клиент прервал анкетирование на вопросе №…, далее отказался отвечать» + client’s words', () => {
    expect(textOf(fill('survey-comment-interrupted', { date: '2014-04-17', question: '5', words }))).to.equal(
      `17/04 Клиент прервал анкетирование на вопросе №5, далее отказался отвечать. "${words}"`,
    );
    expect(textOf(fill('survey-comment-interrupted', { date: '2014-04-17', question: '5' }))).to.equal('17/04 Клиент прервал анкетирование на вопросе №5, далее отказался отвечать.');
  });

  it('partial: «Клиент частично ответил на вопросы анкетирования. Не ответил на вопрос №…» + client’s words', () => {
    expect(textOf(fill('survey-comment-partial', { date: '2014-04-17', questions: '3, 5', words }))).to.equal(
      `17/04 Клиент частично ответил на вопросы анкетирования. Не ответил на вопрос №3, 5. "${words}"`,
    );
  });

  it('refused: «Клиент отказывается от анкетирования» + client’s words', () => {
    expect(textOf(fill('survey-comment-refused', { date: '2014-04-17', words }))).to.equal(`17/04 Клиент отказывается от анкетирования. "${words}"`);
  });

  it('the per-attempt line, dated dd/MM like the seed’s «15/04 не отвечает»', () => {
    expect(textOf(fill('survey-comment-attempt', { date: '2014-04-15', text: 'не отвечает' }))).to.equal('15/04 не отвечает');
  });

  it('the date starts as today (as the card’s date input wants it) and is written dd/MM', () => {
    expect(defaultValues(form('survey-comment-refused'), TODAY)).to.deep.equal({ date: TODAY });
    expect(textOf(fill('survey-comment-refused', defaultValues(form('survey-comment-refused'), TODAY)))).to.equal('23/11 Клиент отказывается от анкетирования.');
    // Typed by hand, as a client without a date picker would send it.
    expect(textOf(fill('survey-comment-refused', { date: '17.04' }))).to.equal('17/04 Клиент отказывается от анкетирования.');
    expect(textOf(fill('survey-comment-refused', { date: '17/04/2014' }))).to.equal('17/04 Клиент отказывается от анкетирования.');
  });

  it('refuses a missing date or question number and malformed ones', () => {
    expectEachRequiredRefused('survey-comment-interrupted', { date: TODAY, question: '5' });
    expectEachRequiredRefused('survey-comment-partial', { date: TODAY, questions: '3' });
    expect(problemsOf(fill('survey-comment-refused', { date: '31/02' }))[0].fieldId).to.equal('date');
    expect(problemsOf(fill('survey-comment-refused', { date: 'вчера' }))[0].message).to.equal('«Дата попытки»: укажите дату, например 17/04.');
    expect(problemsOf(fill('survey-comment-interrupted', { date: TODAY, question: 'пятый' }))[0].fieldId).to.equal('question');
    expect(problemsOf(fill('survey-comment-interrupted', { date: TODAY, question: '0' }))[0].fieldId).to.equal('question');
    expect(problemsOf(fill('survey-comment-partial', { date: TODAY, questions: 'третий' }))).to.deep.equal([
      { fieldId: 'questions', message: 'Номер вопроса — цифрами; если их несколько, через запятую, например: 3, 5.' },
    ]);
  });
});

describe('domain: online re-survey reminder (000)', () => {
  it('topic «Повторный on-line опрос», the seed’s text word for word, and the client’s chosen channel beside it', () => {
    const result = fill('survey-online-resurvey-reminder', { channel: 'СМС' });
    expect(result.ok && result.outputs).to.deep.equal([
      { label: 'Тема «Напоминания»', text: 'Повторный on-line опрос' },
      { label: 'Текст «Напоминания»', text: 'Клиент просит повторно направить (Е-mail или СМС) с анкетой для прохождения онлайн опроса' },
      { label: 'Что предпочтительнее клиенту', text: 'СМС' },
    ]);
    const seed = seeds().get(form('survey-online-resurvey-reminder').seed)!;
    expect(seed).to.include(`с текстом «${(result.ok && result.outputs[1].text) || ''}»`);
    expect(form('survey-online-resurvey-reminder').note).to.equal('создать «Напоминание» с уведомлением на Е-mail и темой «Повторный on-line опрос» для Координатора');
  });

  it('refuses a missing channel and one that is not in the list', () => {
    expect(problemsOf(fill('survey-online-resurvey-reminder', {}))).to.deep.equal([{ fieldId: 'channel', message: 'Заполните поле «Что предпочтительнее клиенту».' }]);
    expect(problemsOf(fill('survey-online-resurvey-reminder', { channel: 'Telegram' }))).to.deep.equal([
      { fieldId: 'channel', message: '«Что предпочтительнее клиенту»: выберите вариант из списка.' },
    ]);
  });
});

describe('domain: «ПОВТОР» / «Повтор» (001) and INBA Interaction (002)', () => {
  it('the case subject gets the word ПОВТОР; the CASE comment the word Повтор', () => {
    expect(textOf(fill('case-repeat-subject', { subject: 'Не работает мобильный интернет' }))).to.equal('ПОВТОР Не работает мобильный интернет');
    expectEachRequiredRefused('case-repeat-subject', { subject: 'x' });
    expect(textOf(fill('case-repeat-comment', {}))).to.equal('Повтор');
    expect(textOf(fill('case-repeat-comment', { comment: 'Клиент настаивает на решении вопроса сейчас' }))).to.equal('Повтор Клиент настаивает на решении вопроса сейчас');
  });

  it('ФК за INBA: the Interaction subject (prefilled) and the detailed comment', () => {
    const f = form('inba-fk-interaction');
    const values: Record<string, string> = { ...defaultValues(f, TODAY), ssvo: '12.11 АП 300 руб.', reason: 'недостаточная сумма на счету' };
    expect(values.subject).to.equal('ФК за INBA');
    const result = fill('inba-fk-interaction', values);
    expect(result.ok && result.outputs).to.deep.equal([
      { label: 'Тема Interaction', text: 'ФК за INBA' },
      { label: 'Комментарий Interaction', text: 'строчки из ССВО: 12.11 АП 300 руб.\nпричина ФК: недостаточная сумма на счету' },
    ]);
    expectEachRequiredRefused('inba-fk-interaction', values);
  });

  it('refund by a campaign: the correction comment (campaign name) and the Interaction texts', () => {
    const values = { campaign: 'Скидка на АП 50%', subject: 'Скидка за INBA', ssvo: 'строка 1\nстрока 2', what: 'Скидки', reason: 'возврат за подключение по условиям акции' };
    const result = fill('inba-discount-interaction', values);
    expect(result.ok && result.outputs.map((o) => o.text)).to.deep.equal([
      'Скидка на АП 50%',
      'Скидка за INBA',
      'строчки из ССВО: строка 1\nстрока 2\nпричина Скидки: возврат за подключение по условиям акции',
    ]);
  });
});

describe('domain: template language', () => {
  it('[[ ... ]] is left out when a field in it is empty, and a line left blank is dropped', () => {
    const t = 'a: {a}\n[[b: {b}]]\n[[c: {c}]] end\n\nlast';
    expect(renderTemplate(t, { a: '1', b: '2', c: '3' })).to.equal('a: 1\nb: 2\nc: 3 end\n\nlast');
    expect(renderTemplate(t, { a: '1' })).to.equal('a: 1\n end\n\nlast');
  });

  it('typed text is inserted as it is, never read as template syntax', () => {
    expect(renderTemplate('x {a} y', { a: '{b} [[z]] ${c}' })).to.equal('x {b} [[z]] ${c} y');
  });

  it('reports syntax problems instead of throwing', () => {
    expect(parseTemplate('a [[b]] c').problems).to.deep.equal(['template line 1: an optional part "[[ ... ]]" must contain a {field}']);
    expect(parseTemplate('[[{a}').problems[0]).to.include('is not closed');
    expect(parseTemplate('{a b}').problems[0]).to.include('must start a placeholder');
    expect(parseTemplate('a }').problems[0]).to.include('without an opening');
  });

  it('the fixed words are the text between placeholders, without separator punctuation', () => {
    expect(templateLiterals('{date} Клиент прервал анкетирование на вопросе №{q}, далее отказался отвечать.[[ Со слов клиента. "{w}"]]')).to.deep.equal([
      'Клиент прервал анкетирование на вопросе',
      'далее отказался отвечать',
      'Со слов клиента',
    ]);
  });

  it('formProblems finds unknown placeholders, optional fields outside [[ ]], reserved and duplicate ids', () => {
    const f: Form = {
      id: 'x',
      version: 1,
      title: 'X',
      button: 'Заполнить',
      seed: '000_a6fcd21645989319.txt',
      fields: [
        { id: 'a', label: 'A', kind: 'text', required: true },
        { id: 'a', label: 'A2', kind: 'text' },
        { id: 'cardId', label: 'C', kind: 'text', required: true },
        { id: 'b', label: 'B', kind: 'multiline', regex: '^x$', errorMessage: 'x' },
      ],
      outputs: [{ label: 'L', template: '{a} {b} {nope} {cardId}' }],
    };
    const messages = formProblems(f).map((p) => p.message);
    expect(messages).to.include('field id "a" is used twice');
    expect(messages.some((m) => m.includes('"cardId" is reserved'))).to.equal(true);
    expect(messages).to.include('"regex" is only for fields of kind text, not multiline');
    expect(messages).to.include('placeholder {nope} is not a field of this form');
    expect(messages).to.include('field "b" is not required: put {b} inside "[[ ... ]]" so the part is left out when it is empty');
  });
});

// ---------------------------------------------------------------------------------------------
// Loader and linter on a copy of the knowledge base.

function kbCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oa-forms-kb-'));
  cpSync(kbDir, dir, { recursive: true });
  return dir;
}

function loadProblems(dir: string): string[] {
  try {
    loadKnowledgeBase(dir);
  } catch (e) {
    if (e instanceof KnowledgeBaseError) return e.problems;
    throw e;
  }
  return [];
}

describe('domain: loading and linting forms', () => {
  it('the loader rejects a malformed form file, naming the file, line and path', () => {
    const dir = kbCopy();
    writeFileSync(
      join(dir, 'forms', '009-broken.yaml'),
      ['id: broken', 'version: 1', 'title: Сломанная форма', 'button: Заполнить', 'seed: 003_2cdb1d6111505da1.txt', 'fields:', '  - id: a', '    label: A', '    kind: textarea', 'outputs:', '  - label: L', '    template: "{a}"', ''].join('\n'),
    );
    const problems = loadProblems(dir);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/forms\/009-broken\.yaml:9 \(fields\[0\]\.kind\): must be equal to one of the allowed values: text, multiline, choice, date, number$/);
  });

  it('the loader rejects a form whose template names a field it does not have', () => {
    const dir = kbCopy();
    writeFileSync(
      join(dir, 'forms', '009-broken.yaml'),
      ['id: broken', 'version: 1', 'title: T', 'button: Заполнить', 'seed: 003_2cdb1d6111505da1.txt', 'fields:', '  - id: a', '    label: A', '    kind: text', '    required: true', 'outputs:', '  - label: L', '    template: "{a} {b}"', ''].join('\n'),
    );
    const problems = loadProblems(dir);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/forms\/009-broken\.yaml:13 \(outputs\[0\]\.template\): placeholder \{b\} is not a field of this form$/);
  });

  it('the loader rejects an outcome naming a form that does not exist, naming the procedure file and node', () => {
    const dir = kbCopy();
    writeFileSync(
      join(dir, 'procedures', '009-with-form.yaml'),
      [
        'id: with-form',
        'version: 1',
        'title: T',
        'summary: S',
        'seed: 003_2cdb1d6111505da1.txt',
        'section: X',
        'triggers: [t]',
        'start: o',
        'nodes:',
        '  o:',
        '    type: outcome',
        '    kind: actions',
        '    headline: H',
        '    actions: [a]',
        '    form: no-such-form',
        '    citations:',
        '      - quote: "Параметры для заполнения CASE:"',
        '',
      ].join('\n'),
    );
    const problems = loadProblems(dir);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/procedures\/009-with-form\.yaml:15 \(nodes\.o\.form\): node "o" names form "no-such-form", which is not in forms\/$/);
  });

  it('the linter checks a template’s fixed words, choices, tell and note against the form’s seed', () => {
    const kb = realKb();
    const f = structuredClone(form('zero-client-case'));
    f.outputs = [{ label: 'L', template: 'CASE на нулевого клиента\nИмя клиента: {name}\nтелефон для связи: {phone}' }];
    f.tell = 'Сообщить, что с ним свяжется менеджер.';
    const g = structuredClone(form('survey-online-resurvey-reminder'));
    g.fields[0].choices = [{ value: 'E-mail' }, { value: 'Telegram' }];
    g.note = 'создать «Напоминание» для руководителя';
    const h = { ...structuredClone(form('case-repeat-comment')), seed: '009_nope.txt' };
    const test: KnowledgeBase = { ...kb, forms: [f, g, h] };
    const problems = lintKnowledgeBase(test, seeds()).filter((p) => p.includes(' form "'));
    expect(problems).to.deep.equal([
      '003-zero-client-case.yaml form "zero-client-case": fixed words of output 1 («L») does not occur in 003_2cdb1d6111505da1.txt: «Имя клиента»',
      '003-zero-client-case.yaml form "zero-client-case": fixed words of output 1 («L») does not occur in 003_2cdb1d6111505da1.txt: «телефон для связи»',
      '003-zero-client-case.yaml form "zero-client-case": «tell» (what to tell the client) does not occur in 003_2cdb1d6111505da1.txt: «Сообщить, что с ним свяжется менеджер.»',
      '000-survey-online-resurvey-reminder.yaml form "survey-online-resurvey-reminder": choice of field "channel" does not occur in 000_a6fcd21645989319.txt: «Telegram»',
      '000-survey-online-resurvey-reminder.yaml form "survey-online-resurvey-reminder": «note» does not occur in 000_a6fcd21645989319.txt: «создать «Напоминание» для руководителя»',
      '001-case-repeat-comment.yaml form "case-repeat-comment": seed "009_nope.txt" does not exist',
    ]);
  });

  it('the linter reads Latin look-alikes and letter case as the seed’s («Cкидки» with a Latin C, «Е-mail» with a Cyrillic Е)', () => {
    // The INBA forms write «Скидки» in Cyrillic and the reminder «E-mail» in Latin; both pass.
    const kb = realKb();
    const test: KnowledgeBase = { ...kb, forms: [form('inba-fk-interaction'), form('survey-online-resurvey-reminder')] };
    expect(lintKnowledgeBase(test, seeds()).filter((p) => p.includes(' form "'))).to.deep.equal([]);
  });
});
