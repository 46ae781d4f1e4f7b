import { expect } from 'chai';
import { gapItems, gapReport, groupGaps, type GapItem } from '../../src/domain/gaps.js';
import { maskedText } from '../../src/domain/unanswered.js';
import { realSearch } from '../support/kb.js';

/** The gap report's grouping as a table: unanswered messages in, groups (label: members) out, with the project's analyzer. */

const terms = (text: string) => realSearch().wordingTerms(text);
const op = { id: 'u-1', name: 'Анна' };
let minute = 0;
const item = (text: string, reason: GapItem['reason'] = 'noMatch'): GapItem => ({ text, at: new Date(Date.UTC(2026, 10, 24, 9, minute++)).toISOString(), operator: op, reason });
const show = (items: GapItem[]) => groupGaps(items, terms).map((g) => `${g.label} (${g.count}): ${[...g.examples].reverse().map((e) => e.text).join(' | ')}`);

const rows: { name: string; messages: string[]; groups: string[] }[] = [
  {
    name: 'shorthand, ё and a look-alike letter fall together; another topic stays apart',
    messages: ['клиент орет', 'кл орёт матом', 'клиент просит вернуть деньги', 'Клиент орет'],
    groups: ['клиент орет (3): клиент орет | кл орёт матом | Клиент орет', 'клиент просит вернуть деньги (1): клиент просит вернуть деньги'],
  },
  {
    name: 'word order does not matter; a shared «клиент просит» alone is not the same question',
    messages: ['клиент просит скидку', 'скидку просит кл', 'клиент просит вернуть деньги'],
    groups: ['клиент просит скидку (2): клиент просит скидку | скидку просит кл', 'клиент просит вернуть деньги (1): клиент просит вернуть деньги'],
  },
  {
    name: 'the label is the wording written most often; counts order the groups, then labels',
    messages: ['где библиотека', 'как пройти в библиотеку', 'как пройти в библиотеку', 'абонент кричит'],
    groups: ['как пройти в библиотеку (3): где библиотека | как пройти в библиотеку | как пройти в библиотеку', 'абонент кричит (1): абонент кричит'],
  },
  {
    name: 'messages without words group only with the same text',
    messages: ['???', '!!!', '???'],
    groups: ['??? (2): ??? | ???', '!!! (1): !!!'],
  },
];

describe('domain: the gap report groups similar wording', () => {
  for (const row of rows)
    it(row.name, () => {
      expect(show(row.messages.map((m) => item(m)))).to.deep.equal(row.groups);
    });

  it('is the same whatever order the messages come in', () => {
    const items = ['клиент орет', 'кл орёт матом', 'клиент просит скидку', 'скидку просит кл', 'где библиотека'].map((m) => item(m));
    expect(show([...items].reverse())).to.deep.equal(show(items));
  });

  it('counts reasons per group and keeps the five newest examples', () => {
    const items = [...Array.from({ length: 6 }, (_, i) => item(`клиент орет ${'!'.repeat(i)}`, i % 2 ? 'cancelled' : 'noMatch')), item('кл орёт', 'wrong')];
    const [group] = groupGaps(items, terms);
    expect(group.count).to.equal(7);
    expect(group.reasons).to.deep.equal({ noMatch: 3, nothingFits: 0, notCovered: 0, cancelled: 3, wrong: 1, corrected: 0 });
    expect(group.examples.map((e) => e.text)).to.deep.equal(['кл орёт', 'клиент орет !!!!!', 'клиент орет !!!!', 'клиент орет !!!', 'клиент орет !!']);
  });

  it('turns unanswered questions and decisions into items: a dialog left counts as cancelled, a wrong verdict reads its comment', () => {
    const at = '2026-11-24T09:00:00.000Z';
    const items = gapItems(
      [
        { id: 'u1', at, operator: op, conversationId: 'c', reason: 'switched', procedureId: 'case-find', nodeId: 'where' },
        { id: 'u2', at, operator: op, conversationId: 'c', reason: 'noMatch', text: 'клиент орет' },
      ],
      [
        { id: 'd1', at, operator: op, procedureId: 'p', procedureTitle: 'П', kind: 'notCovered', headline: 'Процедура не описывает X', wrong: [{ by: { id: 'u-2', name: 'Борис' }, at, comment: 'нет такого' }] },
        { id: 'd2', at, operator: op, procedureId: 'p', procedureTitle: 'П', kind: 'phrase', headline: 'Скажите фразу', wrong: [{ by: op, at }] },
      ],
      (procedureId, nodeId) => `${procedureId} / ${nodeId}`,
    );
    expect(items.map((i) => `${i.reason}: ${i.text}${i.decisionId ? ` [${i.decisionId}]` : ''}`)).to.deep.equal([
      'cancelled: case-find / where',
      'noMatch: клиент орет',
      'notCovered: Процедура не описывает X [d1]',
      'wrong: нет такого [d1]',
      'wrong: Скажите фразу [d2]',
    ]);
  });

  it('reports every ISO week of the period in the zone, newest first, a Sunday night in Moscow belonging to the next week', () => {
    const report = gapReport(
      [
        { text: 'клиент орет', at: '2026-11-29T21:30:00.000Z', operator: op, reason: 'noMatch' }, // Mon 30th 00:30 in Moscow
        { text: 'клиент орет', at: '2026-11-24T10:00:00.000Z', operator: op, reason: 'noMatch' },
      ],
      terms,
      { from: '2026-11-20', to: '2026-12-01', timeZone: 'Europe/Moscow' },
    );
    expect(report.weeks.map((w) => `${w.week} ${w.from}…${w.to} ${w.total}`)).to.deep.equal(['2026-W49 2026-11-30…2026-12-06 1', '2026-W48 2026-11-23…2026-11-29 1', '2026-W47 2026-11-16…2026-11-22 0']);
  });

  it('masks customers’ numbers in what it keeps and bounds the text', () => {
    expect(maskedText('номер 8 912 345-67-89, договор 1234567, 2 раза')).to.equal('номер • ••• •••-••-••, договор •••••••, 2 раза');
    expect([...maskedText('я'.repeat(500))]).to.have.length(300);
  });
});
