import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../config.js';
import type { Person } from '../../domain/decisions.js';

/**
 * Who may read the decision log over HTTP: the holder of LEADS_API_TOKEN, or — inside Teams — a team
 * lead whose tab single sign-on token (an AAD JWT) checks out. Nothing configured: nobody.
 */

export type AuthResult =
  /** `person`: who acts, for reviews (a team lead by their AAD object id and name, or the API token). */
  | { ok: true; who: string; person: Person }
  /** `reason` is for the server log: it never holds the token. */
  | { ok: false; status: 401 | 403 | 503; error: string; message: string; reason: string };

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time comparison (digests first, so lengths do not leak either). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Whether a chat message comes from a team lead. Only in Teams, where the channel vouches for the
 * user's ids: elsewhere (the web console, an emulator) the sender's id is whatever the client typed,
 * so a listed id proves nothing.
 */
export function isTeamLead(activity: { channelId?: string; from?: { id: string; aadObjectId?: string } }, leads: ReadonlySet<string>): boolean {
  const { from, channelId } = activity;
  return channelId === 'msteams' && !!from && (leads.has(from.id) || (!!from.aadObjectId && leads.has(from.aadObjectId)));
}

/** Who acts with the API token: not a person, so reviews it writes say so. */
const API_TOKEN_PERSON: Person = { id: 'api-token', name: 'API' };

const looksLikeJwt = (t: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(t);

export class LeadsAuth {
  private readonly leads: Set<string>;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly config: Pick<Config, 'teamLeads' | 'leadsApiToken' | 'tabSso'>) {
    this.leads = new Set(config.teamLeads);
    if (config.tabSso) this.jwks = createRemoteJWKSet(new URL(config.tabSso.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 3_600_000 });
  }

  get configured(): boolean {
    return !!this.config.leadsApiToken || !!this.config.tabSso;
  }

  /** One line for the start log. */
  describe(): string {
    const ways = [this.config.leadsApiToken ? 'API token' : '', this.config.tabSso ? `Teams SSO (app ${this.config.tabSso.clientId})` : ''].filter(Boolean);
    return ways.length ? `team-lead API: ${ways.join(' + ')}, ${this.leads.size} team lead(s)` : 'team-lead API: off (no LEADS_API_TOKEN or TAB_SSO_*)';
  }

  async check(authorization: string | undefined): Promise<AuthResult> {
    if (!this.configured)
      return {
        ok: false,
        status: 403,
        error: 'not_configured',
        message: 'The team-lead API is off: set LEADS_API_TOKEN, or TAB_SSO_CLIENT_ID and TAB_SSO_TENANT_ID with TEAM_LEADS.',
        reason: 'neither LEADS_API_TOKEN nor TAB_SSO_* is configured',
      };
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) return this.unauthorized(authorization ? 'Authorization is not "Bearer <token>"' : 'no Authorization header');
    const token = m[1];
    if (this.config.leadsApiToken && sameSecret(token, this.config.leadsApiToken)) return { ok: true, who: 'API token', person: API_TOKEN_PERSON };
    if (!this.config.tabSso || !looksLikeJwt(token)) return this.unauthorized('the token is not the API token');
    return this.checkSso(token);
  }

  private unauthorized(reason: string): AuthResult {
    return { ok: false, status: 401, error: 'unauthorized', message: 'Send "Authorization: Bearer <token>": the team-lead API token, or a Teams sign-in token of a team lead.', reason };
  }

  private async checkSso(token: string): Promise<AuthResult> {
    const { clientId, tenantId } = this.config.tabSso!;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks!, {
        algorithms: ['RS256'],
        // v2.0 and v1.0 AAD tokens (which one depends on the app registration's accessTokenAcceptedVersion).
        issuer: [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`],
        requiredClaims: ['exp', 'aud', 'oid'],
        clockTolerance: 60,
      }));
    } catch (e) {
      if (e instanceof errors.JWKSTimeout || !(e instanceof errors.JOSEError))
        return { ok: false, status: 503, error: 'sso_unavailable', message: 'Cannot check the Teams sign-in right now: try again later.', reason: `signing keys unavailable (${(e as Error).name})` };
      return this.unauthorized(`SSO token rejected: ${(e as errors.JOSEError).code}`);
    }
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    // The tab's Application ID URI (api://<host>/<clientId>, or api://<host>/botid-<clientId> for a
    // registration shared with the bot) or the bare client id.
    const audienceOk = audiences.some((a) => a === clientId || (typeof a === 'string' && (/^api:\/\/[^/\s]+\/(botid-)?([^/\s]+)$/.exec(a)?.[2] ?? '') === clientId));
    if (!audienceOk) return this.unauthorized('SSO token for another application (aud)');
    if (payload.tid !== tenantId) return this.unauthorized('SSO token from another tenant (tid)');
    const oid = String(payload.oid);
    if (!this.leads.has(oid))
      return { ok: false, status: 403, error: 'forbidden', message: 'The decision log is for team leads: ask the bot administrator to add you to TEAM_LEADS.', reason: `user ${oid} is not in TEAM_LEADS` };
    const name = [payload.name, payload.preferred_username].find((n): n is string => typeof n === 'string' && n.length > 0) ?? oid;
    return { ok: true, who: `team lead ${oid}`, person: { id: oid, name, aadObjectId: oid } };
  }
}
