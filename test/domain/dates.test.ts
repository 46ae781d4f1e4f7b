import { expect } from 'chai';
import { dateFormat, isoDate, parseDate, zonedDateOf, zonedDayStart } from '../../src/domain/dates.js';
import { foldMixedScript, foldToCyrillic, lookalikesToCyrillic } from '../../src/domain/lookalikes.js';

describe('domain: dates in one place', () => {
  it('reads dates as cards send them and as people type them; a year is required unless a default is given', () => {
    expect(parseDate('2026-11-23')).to.deep.equal({ year: 2026, month: 11, day: 23 });
    expect(parseDate('23.11.2026')).to.deep.equal({ year: 2026, month: 11, day: 23 });
    expect(parseDate('17/04', 2014)).to.deep.equal({ year: 2014, month: 4, day: 17 });
    expect(parseDate('17/04')).to.equal(undefined);
    expect(parseDate('31.02.2026')).to.equal(undefined);
    expect(parseDate('2026-13-01')).to.equal(undefined);
  });

  it('gives the calendar day and the local midnight in the bot’s time zone', () => {
    expect(isoDate(new Date('2026-11-23T22:30:00Z'), 'Europe/Moscow')).to.equal('2026-11-24');
    expect(zonedDayStart(2026, 11, 24, 'Europe/Moscow').toISOString()).to.equal('2026-11-23T21:00:00.000Z');
  });

  it('tells the zone’s day of a run of instants, in or out of order and however written', () => {
    const ats = [
      '2026-03-09T20:59:59.999Z', // Moscow: the 9th, the last millisecond
      '2026-03-09T21:00:00.000Z', // the 10th, the first
      '2026-03-10T12:00:00.000Z', // inside the last one's day
      '2026-03-10T20:59:59.999Z',
      '2026-03-10T21:00:00.000Z', // the 11th
      '2026-03-10T12:00:00.000Z', // back in time
      '2026-03-10T20:30:00-05:00', // another spelling: between the 10th's bounds as a string, but the 11th in Moscow
      '2026-03-10T10:00:00Z',
      '2026-03-10T10:00:00.000Z',
      '2026-03-28T22:59:59.999Z', // Berlin: the 28th, the last millisecond before its clocks go forward
      '2026-03-28T23:00:00.000Z', // the 29th, a 23-hour day
      '2026-03-29T12:00:00.000Z',
      '2026-03-29T21:59:59.999Z', // its last millisecond
      '2026-03-29T22:00:00.000Z', // the 30th
    ];
    for (const zone of ['Europe/Moscow', 'UTC', 'Asia/Kathmandu', 'Europe/Berlin']) {
      expect(ats.map((at) => zonedDateOf(at, zone)), zone).to.deep.equal(ats.map((at) => isoDate(new Date(at), zone)));
    }
    expect(zonedDateOf('2026-03-10T12:00:00.000Z', 'Europe/Moscow')).to.equal('2026-03-10');
    expect(zonedDateOf('2026-03-10T20:30:00-05:00', 'Europe/Moscow')).to.equal('2026-03-11');
    expect(zonedDateOf('2026-03-29T21:59:59.999Z', 'Europe/Berlin')).to.equal('2026-03-29');
    expect(zonedDateOf('2026-03-29T22:00:00.000Z', 'Europe/Berlin')).to.equal('2026-03-30');
  });

  it('builds each formatter once', () => {
    const options = { timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit' } as const;
    expect(dateFormat('ru-RU', options)).to.equal(dateFormat('ru-RU', { ...options }));
    expect(dateFormat('ru-RU', options)).to.not.equal(dateFormat('en-GB', options));
  });
});

describe('domain: Latin and Cyrillic look-alike letters', () => {
  it('reads a mostly Latin word as Latin, a mixed Russian word as Cyrillic, and seed text as Cyrillic', () => {
    expect(foldMixedScript('dispatсh')).to.equal('dispatch');
    expect(foldToCyrillic('кeйс')).to.equal('кейс');
    expect(foldToCyrillic('кeйсz')).to.equal('кeйсz');
    expect(lookalikesToCyrillic('cкидки')).to.equal('скидки');
    expect(lookalikesToCyrillic('cкидки')).to.not.equal('cкидки');
  });
});
