import { expect } from 'chai';
import * as AC from 'adaptivecards';
import { parseLeadCommand } from '../../src/bot/leads/commands.js';
import { zonedDayStart } from '../../src/domain/dates.js';
import { csvCell } from '../../src/bot/leads/csv.js';
import { decisionCard, decisionsCard } from '../../src/dialogs/leadCards.js';
import { parseCardAction } from '../../src/dialogs/input.js';
import { decision } from '../support/decisions.js';

const TZ = 'Europe/Moscow';

describe('team-lead commands: reading what a lead types', () => {
  const parse = (text: string) => parseLeadCommand(text, TZ)?.request;

  it('knows the four commands in any case, with a slash or punctuation', () => {
    expect(parse('решения')).to.deep.equal({ type: 'list', filter: {} });
    expect(parse('/РЕШЕНИЯ!')).to.deep.equal({ type: 'list', filter: {} });
    expect(parse('Проверка')).to.deep.equal({ type: 'queue', filter: {} });
    expect(parse('решение AbC123xyz_-9')).to.deep.equal({ type: 'one', decisionId: 'AbC123xyz_-9' });
    expect(parse('Проверено AbC123xyz_-9 Ответ верный,\nоператор ошибся')).to.deep.equal({ type: 'review', decisionId: 'AbC123xyz_-9', note: 'Ответ верный,\nоператор ошибся' });
    expect(parse('проверено AbC123xyz_-9')).to.deep.equal({ type: 'review', decisionId: 'AbC123xyz_-9', note: '' });
  });

  it('reads filters, local dates included (a Moscow day is 21:00 UTC to 20:59:59.999 UTC)', () => {
    expect(parse('решения оператор=29:abc процедура=case-find тип=перевод с=2026-11-01 по=23.11.2026')).to.deep.equal({
      type: 'list',
      filter: { operatorId: '29:abc', procedureId: 'case-find', kind: 'transfer', from: '2026-10-31T21:00:00.000Z', to: '2026-11-23T20:59:59.999Z' },
    });
    expect(zonedDayStart(2026, 3, 29, 'Europe/Berlin').toISOString()).to.equal('2026-03-28T23:00:00.000Z');
    expect(zonedDayStart(2026, 3, 30, 'Europe/Berlin').toISOString()).to.equal('2026-03-29T22:00:00.000Z');
    expect(parse('решения тип=фраза')).to.deep.equal({ type: 'list', filter: { kind: 'phrase' } });
  });

  it('explains a misformed filter without repeating what was typed', () => {
    const usage = parse('решения с=31.02.2026') as { type: string; text: string };
    expect(usage.type).to.equal('usage');
    expect(usage.text).to.match(/^Дату в фильтре «с» пишут как 2026-11-23 или 23\.11\.2026\./);
    expect((parse('решения [x](http://evil)=1') as { text: string }).text).to.match(/^Неизвестный фильтр/).and.not.include('evil');
    expect((parse('решения с=2026-11-23 по=2026-11-01') as { text: string }).text).to.match(/^Дата «с» позже даты «по»/);
  });

  it('leaves ordinary questions alone', () => {
    for (const text of ['решение по кейсу не устраивает клиента', 'проверка связи', 'решения по заявкам клиентов', 'клиент просит решение', 'решение'.repeat(2), ''])
      expect(parse(text), text).to.satisfy((r: unknown) => r === undefined || (r as { type: string }).type === 'usage');
    expect(parse('решение по кейсу')).to.equal(undefined);
    expect(parse('проверка связи')).to.equal(undefined);
  });

  it('accepts the lead cards’ clicks only in their exact shape', () => {
    expect(parseCardAction({ action: 'leadQueue' })).to.deep.equal({ action: 'leadQueue' });
    expect(parseCardAction({ action: 'leadDecision', decisionId: 'AbC123' })).to.deep.equal({ action: 'leadDecision', decisionId: 'AbC123' });
    expect(parseCardAction({ action: 'leadReviewed', decisionId: 'AbC123', note: '  ок  ' })).to.deep.equal({ action: 'leadReviewed', decisionId: 'AbC123', note: 'ок' });
    expect(parseCardAction({ action: 'leadReviewed', decisionId: 'AbC123', note: '' })).to.deep.equal({ action: 'leadReviewed', decisionId: 'AbC123' });
    for (const bad of [
      { action: 'leadQueue', extra: 1 },
      { action: 'leadDecision' },
      { action: 'leadDecision', decisionId: '../x' },
      { action: 'leadReviewed', decisionId: 'AbC123', note: 5 },
      { action: 'leadReviewed', decisionId: 'AbC123', note: 'x', comment: 'y' },
    ])
      expect(parseCardAction(bad), JSON.stringify(bad)).to.equal(undefined);
  });
});

describe('team-lead cards and CSV cells', () => {
  const typed = '${operator.name} **жирный** [ссылка](http://evil.example) <b>html</b>';
  const view = {
    ...decision(1, { operator: { id: '29:x', name: typed } }),
    feedback: [{ decisionId: decision(1).id, at: '2026-11-23T10:00:00Z', by: { id: '29:x', name: typed }, verdict: 'wrong' as const, comment: typed }],
    reviews: [{ decisionId: decision(1).id, at: '2026-11-23T11:00:00Z', by: { id: '29:l', name: 'Лид' }, note: typed }],
    awaitingReview: false,
    verdict: 'wrong' as const,
  };
  const cards = [decisionCard(view, TZ).content, decisionsCard({ title: 'Решения', summary: 'Всего: 1', empty: '', hint: '', items: [view], buttons: [] }, TZ).content];

  it('are Adaptive Cards 1.5 that the SDK parses without a warning', () => {
    for (const card of cards) {
      expect(card.version).to.equal('1.5');
      const context = new AC.SerializationContext(AC.Versions.v1_5);
      const parsed = new AC.AdaptiveCard();
      parsed.parse(card, context);
      expect(context.eventCount).to.equal(0);
      expect(parsed.validateProperties().validationEvents).to.deep.equal([]);
    }
  });

  it('show typed text literally, only as plain-text TextRuns', () => {
    for (const card of cards) {
      const runs: string[] = [];
      const blocks: string[] = [];
      const walk = (n: any): void => {
        if (Array.isArray(n)) return n.forEach(walk);
        if (!n || typeof n !== 'object') return;
        if (n.type === 'TextRun') runs.push(n.text);
        if (n.type === 'TextBlock') blocks.push(n.text);
        if (n.type === 'FactSet') blocks.push(JSON.stringify(n.facts));
        Object.values(n).forEach(walk);
      };
      walk(card);
      expect(runs.some((r) => r.includes(typed))).to.equal(true);
      expect(blocks.join('\n')).not.to.include('evil.example').and.not.to.include('жирный');
    }
  });

  it('make CSV cells that Excel reads as text', () => {
    expect(csvCell('=1+2')).to.equal("'=1+2");
    expect(csvCell('+7 900 000-00-00')).to.equal("'+7 900 000-00-00");
    expect(csvCell('-5')).to.equal("'-5");
    expect(csvCell('@SUM(A1)')).to.equal("'@SUM(A1)");
    expect(csvCell('Иван; "Ваня"\nПетров')).to.equal('"Иван; ""Ваня""\nПетров"');
    expect(csvCell('обычный текст')).to.equal('обычный текст');
    // Spreadsheets trim leading white space before reading a formula.
    for (const lead of [' ', '  ', '\u00a0', '\n', '\r\n', '\t', '\u3000'])
      for (const sign of ['=', '+', '-', '@', '\uff1d']) expect(csvCell(`${lead}${sign}1+2`).replace(/^"|"$/g, ''), JSON.stringify(lead + sign)).to.match(/^'/);
    expect(csvCell(' обычный текст')).to.equal(' обычный текст');
    expect(csvCell('Иван = Ваня')).to.equal('Иван = Ваня');
  });
});
