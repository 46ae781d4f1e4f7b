import { expect } from 'chai';
import { describeHours, isOpen, type WorkingHours } from '../../src/domain/schedule.js';

const hours: WorkingHours = { days: [1, 2, 3, 4, 5], open: '09:00', close: '18:00', timeZone: 'Europe/Moscow', holidays: ['2026-11-04'] };
const at = (iso: string) => new Date(iso);

describe('domain: working hours (telesales)', () => {
  it('is open on a working day inside the hours, in the configured time zone', () => {
    // Monday 23 Nov 2026: 09:00 in Moscow is 06:00 UTC.
    expect(isOpen(hours, at('2026-11-23T06:00:00Z'))).to.equal(true);
    expect(isOpen(hours, at('2026-11-23T05:59:00Z'))).to.equal(false);
    expect(isOpen(hours, at('2026-11-23T14:59:00Z'))).to.equal(true);
    expect(isOpen(hours, at('2026-11-23T15:00:00Z'))).to.equal(false);
  });

  it('is closed at weekends and on configured holidays', () => {
    expect(isOpen(hours, at('2026-11-21T10:00:00Z'))).to.equal(false); // Saturday
    expect(isOpen(hours, at('2026-11-22T10:00:00Z'))).to.equal(false); // Sunday
    expect(isOpen(hours, at('2026-11-04T10:00:00Z'))).to.equal(false); // a Wednesday holiday
  });

  it('takes the local date for holidays: 21:30 UTC on 3 Nov is already 4 Nov in Moscow', () => {
    const late: WorkingHours = { ...hours, open: '00:00', close: '23:59' };
    expect(isOpen(late, at('2026-11-03T20:50:00Z'))).to.equal(true);
    expect(isOpen(late, at('2026-11-03T21:30:00Z'))).to.equal(false);
  });

  it('describes the hours for the outcome card', () => {
    expect(describeHours(hours)).to.equal('пн–пт 09:00–18:00 (Europe/Moscow), кроме праздников');
    expect(describeHours({ ...hours, days: [1, 3] })).to.equal('пн, ср 09:00–18:00 (Europe/Moscow), кроме праздников');
  });
});
