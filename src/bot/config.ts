import { resolve } from 'node:path';
import type { WorkingHours } from '../domain/schedule.js';

/** Everything the bot reads from its environment, read and validated once at start. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  kbDir: string;
  /** Bot Framework credentials; all empty = local mode (no channel authentication). */
  auth: { appId: string; appPassword: string; appType: string; tenantId: string };
  telesales: WorkingHours;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Reads the configuration; throws {@link ConfigError} listing every wrong variable. */
export function readConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const str = (name: string, fallback = '') => (env[name] ?? '').trim() || fallback;

  const portText = str('PORT', '3978');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) problems.push(`PORT must be a number from 0 to 65535, got "${portText}"`);

  const appType = str('MicrosoftAppType', 'MultiTenant');
  if (!['MultiTenant', 'SingleTenant', 'UserAssignedMSI'].includes(appType))
    problems.push(`MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI, got "${appType}"`);
  const appId = str('MicrosoftAppId');
  if (!appId && str('MicrosoftAppPassword')) problems.push('MicrosoftAppPassword is set but MicrosoftAppId is not');
  if (appType === 'SingleTenant' && appId && !str('MicrosoftAppTenantId')) problems.push('MicrosoftAppType=SingleTenant needs MicrosoftAppTenantId');

  const daysText = str('TELESALES_DAYS', '1-5');
  const days: number[] = [];
  for (const part of daysText.split(',')) {
    const m = /^\s*([1-7])(?:\s*-\s*([1-7]))?\s*$/.exec(part);
    if (!m) {
      problems.push(`TELESALES_DAYS must list ISO weekdays like "1-5" or "1,2,3" (1 = Monday), got "${daysText}"`);
      break;
    }
    for (let d = Number(m[1]); d <= Number(m[2] ?? m[1]); d++) days.push(d);
  }
  const open = str('TELESALES_OPEN', '09:00');
  const close = str('TELESALES_CLOSE', '18:00');
  for (const [name, v] of [['TELESALES_OPEN', open], ['TELESALES_CLOSE', close]])
    if (!hhmm.test(v)) problems.push(`${name} must be HH:MM (24-hour), got "${v}"`);
  if (hhmm.test(open) && hhmm.test(close) && open >= close) problems.push(`TELESALES_OPEN (${open}) must be before TELESALES_CLOSE (${close})`);
  const timeZone = str('TIMEZONE', 'Europe/Moscow');
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    problems.push(`TIMEZONE must be an IANA time zone such as Europe/Moscow, got "${timeZone}"`);
  }
  const holidays = str('HOLIDAYS').split(',').map((s) => s.trim()).filter(Boolean);
  for (const h of holidays) if (!/^\d{4}-\d{2}-\d{2}$/.test(h)) problems.push(`HOLIDAYS must be a comma-separated list of YYYY-MM-DD dates, got "${h}"`);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: str('HOST', '127.0.0.1'),
    dataDir: resolve(str('DATA_DIR', './data')),
    kbDir: resolve(str('KB_DIR', './kb')),
    auth: { appId, appPassword: str('MicrosoftAppPassword'), appType, tenantId: str('MicrosoftAppTenantId') },
    telesales: { days, open, close, timeZone, holidays },
  };
}
