import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { locate, type Answer, type PathStep } from '../../src/domain/engine.js';
import type { DecisionView } from '../../src/domain/decisions.js';
import type { OutcomeNode, Procedure } from '../../src/domain/types.js';
import { cardCheck, expandCard, expandWithLibrary, outcomeCard, questionCard, readOnlyCard, sameCard, type CardName } from '../../src/dialogs/cards.js';
import { compileTemplate } from '../../src/dialogs/cardTemplate.js';
import { disambiguationCard, helpCard, linesCard, nearestCard, phrasesCard, topicsCard } from '../../src/dialogs/directories.js';
import { formCard, formCardData, formResultData } from '../../src/dialogs/formCards.js';
import { decisionCard, decisionsCard } from '../../src/dialogs/leadCards.js';
import { decision } from '../support/decisions.js';
import { realKb, repoRoot } from '../support/kb.js';

/**
 * The compiled card templates against adaptivecards-templating, the reference: every template,
 * with the data the bot builds from the real knowledge base, and with generated variations of it.
 */

const kb = realKb();
const cardsDir = join(repoRoot, 'cards');
const templateNames = readdirSync(cardsDir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '') as CardName);
const compiled = new Map(templateNames.map((name) => [name, compileTemplate(JSON.parse(readFileSync(join(cardsDir, `${name}.json`), 'utf8')))]));

/** Every node a procedure reaches, with a path to it. */
function reachable(proc: Procedure): Map<string, PathStep[]> {
  const found = new Map<string, PathStep[]>();
  for (const facts of [{ telesalesOpen: 'yes' }, { telesalesOpen: 'no' }] as const) {
    const walk = (answers: Answer[], depth: number) => {
      const at = locate(proc, answers, facts);
      if (!found.has(at.nodeId)) found.set(at.nodeId, at.path);
      if (at.type === 'question' && depth < 12) for (const o of at.node.options) walk([...answers, { nodeId: at.nodeId, optionId: o.id }], depth + 1);
    };
    walk([], 0);
  }
  return found;
}

/** The data of every card the bot renders from the knowledge base, as the card functions pass it to the templates. */
function renderedData(): { name: CardName; data: object }[] {
  const record: { name: CardName; data: object }[] = [];
  cardCheck.record = record;
  try {
    const notes = { telesalesOpen: 'по расписанию: пн–пт 09:00–18:00' };
    for (const proc of kb.procedures) {
      for (const [nodeId, path] of reachable(proc)) {
        const node = proc.nodes[nodeId];
        const fromMessage: Answer[] = path.filter((s) => !s.automatic).map((s) => ({ nodeId: s.nodeId, optionId: s.optionId, from: 'message', evidence: 'как в сообщении' }));
        if (node.type === 'question') {
          questionCard(proc, nodeId, node, path, 'c1', path.length, notes, fromMessage, 'Анна Петрова', '29:user');
          questionCard(proc, nodeId, node, path, 'c2', 0);
        }
        if (node.type === 'outcome') {
          outcomeCard(kb, proc, node as OutcomeNode, path, 'd1', notes, { answers: fromMessage, values: { question: '5' }, owner: 'Анна Петрова', feedback: 'wrong' });
          outcomeCard(kb, proc, node as OutcomeNode, path, 'd2');
        }
      }
    }
    const topics = kb.procedures.slice(0, 3).map((p) => ({ procedureId: p.id, title: p.title, description: p.summary }));
    for (const card of [topicsCard, linesCard, phrasesCard, helpCard]) card(kb);
    nearestCard(topics);
    nearestCard([]);
    disambiguationCard(topics, 'клиент недоволен');
    readOnlyCard('Диалог завершён');
    for (const form of kb.forms ?? []) {
      const values = Object.fromEntries(form.fields.map((f) => [f.id, f.kind === 'number' ? '2' : f.kind === 'date' ? '2026-03-01' : 'Иванов ${x} *Иван*']));
      formCard(formCardData(form, { decisionId: 'd', cardId: 'c', values: {} }));
      formCard(formCardData(form, { decisionId: 'd', cardId: 'c', values, problems: [{ fieldId: form.fields[0].id, message: 'Проверьте поле.' }] }));
      formCard(formResultData(form, { decisionId: 'd', outputs: [{ label: 'Комментарий', text: 'строка 1\nстрока 2' }], notLogged: true }));
    }
    const person = { id: '29:op', name: 'Оператор' };
    const views: DecisionView[] = [0, 1, 2].map((i) => ({
      ...decision(i),
      feedback: i === 0 ? [{ decisionId: decision(i).id, at: '2026-03-01T09:20:00.000Z', by: person, verdict: 'wrong', comment: 'не та линия' }] : [],
      reviews: i === 1 ? [{ decisionId: decision(i).id, at: '2026-03-02T10:00:00.000Z', by: person, note: 'проверено' }] : [],
      awaitingReview: i === 0,
      verdict: i === 0 ? 'wrong' : null,
    }));
    const list = { title: 'Решения', summary: '3 решения', empty: 'Нет решений', hint: '', buttons: [{ title: 'Проверка', data: { action: 'leadQueue' as const } }] };
    decisionsCard({ ...list, items: views }, 'Europe/Moscow');
    decisionsCard({ ...list, items: [], hint: 'Показаны последние' }, 'Europe/Moscow');
    for (const v of views) decisionCard(v, 'Europe/Moscow');
  } finally {
    cardCheck.record = undefined;
  }
  return record;
}

const samples = renderedData();

/** The library's card, or the error it throws. */
function library(name: CardName, data: object): { card?: unknown; error?: unknown } {
  try {
    return { card: expandWithLibrary(name, data) };
  } catch (error) {
    return { error };
  }
}

const TEXTS = ['', ' ', 'Текст', '${x}', '${$root.cardId}', 'null', 'true', '0', '**жирный** [ссылка](https://example.org)', '«цитата»', '😀 эмодзи', 'a\nb'];

/** Variations of a sample that keep every value's type (strings, numbers, booleans, list lengths change). */
function variations(value: unknown): fc.Arbitrary<unknown> {
  if (typeof value === 'string') return fc.oneof(fc.constant(value), fc.constantFrom(...TEXTS), fc.string({ maxLength: 8 }));
  if (typeof value === 'boolean') return fc.boolean();
  if (typeof value === 'number') return fc.oneof(fc.constant(value), fc.integer({ min: -3, max: 1000 }), fc.double({ min: -1, max: 1, noNaN: true }));
  if (Array.isArray(value)) return value.length ? fc.array(fc.oneof(...value.map(variations)), { maxLength: value.length + 2 }) : fc.constant([]);
  if (value && typeof value === 'object') return fc.record(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, variations(v)])));
  return fc.constant(value);
}

/** Variations that also put null where an object, list or text was, or leave a key out: what the compiled templates hand back to the library. */
function looseVariations(value: unknown): fc.Arbitrary<unknown> {
  if (Array.isArray(value)) return fc.oneof(value.length ? fc.array(fc.oneof(...value.map(looseVariations)), { maxLength: value.length + 1 }) : fc.constant([]), fc.constant(null));
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    return fc.oneof(fc.record(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, looseVariations(v)])), { requiredKeys: keys.slice(1) }), fc.constant(null));
  }
  if (typeof value === 'string') return fc.oneof(variations(value), fc.constant(null));
  return variations(value);
}

describe('card templates compiled against adaptivecards-templating', () => {
  it('compiles every template in cards/', () => {
    expect(templateNames).to.have.members(['question', 'outcome', 'directory', 'form', 'decisions', 'decision', 'notice']);
    for (const name of templateNames) expect(compiled.get(name), name).to.be.a('function');
  });

  it('gives the library’s card, byte for byte, for every card the bot renders from the knowledge base', () => {
    expect(new Set(samples.map((s) => s.name))).to.have.length(templateNames.length);
    expect(samples.length).to.be.greaterThan(100);
    for (const { name, data } of samples) {
      const card = compiled.get(name)!(data);
      expect(card, `${name}: fell back for ${JSON.stringify(data)}`).to.not.equal(undefined);
      expect(sameCard(card, expandWithLibrary(name, data)), `${name}: ${JSON.stringify(data)}`).to.equal(true);
    }
  });

  it('gives the library’s card for generated data of the same shapes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...samples).chain((s) => variations(s.data).map((data) => ({ name: s.name, data: data as object }))), ({ name, data }) => {
        const card = compiled.get(name)!(data);
        expect(card, `${name}: fell back`).to.not.equal(undefined);
        expect(sameCard(card, expandWithLibrary(name, data))).to.equal(true);
      }),
      { numRuns: 400 },
    );
  });

  it('hands data with nulls and missing keys to the library, or gives the same card; never a card where the library fails', () => {
    let fellBack = 0;
    fc.assert(
      fc.property(fc.constantFrom(...samples).chain((s) => looseVariations(s.data).map((data) => ({ name: s.name, data }))), ({ name, data }) => {
        if (!data || typeof data !== 'object') return;
        const card = compiled.get(name)!(data);
        const reference = library(name, data);
        if (card === undefined) fellBack++;
        else {
          expect(reference.error, `${name}: the library fails but the compiled template gave a card`).to.equal(undefined);
          expect(sameCard(card, reference.card)).to.equal(true);
        }
      }),
      { numRuns: 400 },
    );
    expect(fellBack).to.be.greaterThan(0);
  });

  it('shows what the library shows where a value is missing: the expression as typed', () => {
    const data = { title: 'Темы', intro: 'Выберите тему', buttons: [] } as object;
    expect(compiled.get('directory')!(data)).to.equal(undefined);
    const card = expandCard('directory', data);
    expect(card).to.deep.equal(expandWithLibrary('directory', data));
    expect(JSON.stringify(card)).to.include('Выберите тему');
  });
});
