import { expect } from 'chai';
import { readConfig } from '../../src/bot/config.js';
import { ConfigError } from '../../src/bot/errors.js';

describe('bot: configuration of the telesales schedule', () => {
  const full = { TELESALES_DAYS: '1-5', TELESALES_OPEN: '09:00', TELESALES_CLOSE: '18:00', HOLIDAYS: '2026-11-04,2026-12-31' };

  it('has no schedule by default (the seeds give no hours): operators are asked', () => {
    expect(readConfig({}).telesales).to.deep.equal({ timeZone: 'Europe/Moscow' });
  });

  it('takes a schedule only with days, hours and holidays all set', () => {
    expect(readConfig(full).telesales.schedule).to.deep.equal({ days: [1, 2, 3, 4, 5], open: '09:00', close: '18:00', timeZone: 'Europe/Moscow', holidays: ['2026-11-04', '2026-12-31'] });
  });

  it('refuses a partial schedule, naming what is missing', () => {
    let error: unknown;
    try {
      readConfig({ TELESALES_OPEN: '09:00', TELESALES_CLOSE: '18:00' });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).problems).to.deep.equal([
      'TELESALES_OPEN, TELESALES_CLOSE set but not TELESALES_DAYS, HOLIDAYS: a telesales schedule needs all of TELESALES_DAYS, TELESALES_OPEN, TELESALES_CLOSE, HOLIDAYS (or none, and operators are asked)',
    ]);
  });
});
