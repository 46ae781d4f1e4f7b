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

describe('bot: configuration of switches and limits', () => {
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      readConfig(env);
      return [];
    } catch (e) {
      return (e as ConfigError).problems;
    }
  };

  it('reads true/false switches, with local-mode defaults when unset', () => {
    expect(readConfig({}).console.enabled).to.equal(true);
    expect(readConfig({}).kbWatch).to.equal(true);
    expect(readConfig({ CONSOLE_ENABLED: 'false', KB_WATCH: 'false' })).to.include({ kbWatch: false }).and.to.have.nested.property('console.enabled', false);
    expect(readConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret' }).console.enabled).to.equal(false);
  });

  it('refuses a switch that is neither true nor false, naming it', () => {
    expect(problemsOf({ KB_WATCH: 'yes', ALLOW_UNAUTHENTICATED: '1' })).to.deep.equal(['KB_WATCH must be true or false, got "yes"', 'ALLOW_UNAUTHENTICATED must be true or false, got "1"']);
  });

  it('reads limits as whole numbers in their range, and refuses others with the range', () => {
    const c = readConfig({ MAX_BODY_KB: '64', MAX_CONNECTIONS: '100', REQUEST_TIMEOUT_S: '30' });
    expect(c.maxBodyBytes).to.equal(64 * 1024);
    expect(c.connections).to.deep.equal({ maxConnections: 100, requestTimeoutMs: 30_000 });
    expect(problemsOf({ MAX_BODY_KB: '8', MAX_CONNECTIONS: '1e3', REQUEST_TIMEOUT_S: '301' })).to.deep.equal([
      'MAX_BODY_KB must be a number from 16 to 10240, got "8"',
      'MAX_CONNECTIONS must be a number from 8 to 100000, got "1e3"',
      'REQUEST_TIMEOUT_S must be a number of seconds from 1 to 300, got "301"',
    ]);
  });

  it('refuses production without an app id unless unauthenticated is chosen on purpose', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).to.have.length(1);
    expect(problemsOf({ NODE_ENV: 'production', ALLOW_UNAUTHENTICATED: 'true' })).to.deep.equal([]);
  });
});

describe('bot: configuration of the decision log sync', () => {
  it('defers the sync by default, takes strict, and refuses anything else naming the variable', () => {
    expect(readConfig({}).decisionLogSync).to.equal('deferred');
    expect(readConfig({ DECISION_LOG_SYNC: 'strict' }).decisionLogSync).to.equal('strict');
    expect(() => readConfig({ DECISION_LOG_SYNC: 'always' })).to.throw(ConfigError, 'DECISION_LOG_SYNC must be deferred or strict, got "always"');
  });
});
