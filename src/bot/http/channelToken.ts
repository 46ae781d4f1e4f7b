import { decodeJwt, decodeProtectedHeader, errors, importJWK, jwtVerify, type JWK } from 'jose';
import { firstLine } from '../errors.js';

/**
 * Checks a Bot Framework channel token before the SDK sees it, so a forged or broken token gets a
 * 401 with a generic body and a one-line log: the SDK answers some forgeries with a 500 carrying its
 * own message, logs a stack and the whole public key for each, and fetches the emulator's keys from
 * the internet for any token that claims the emulator's issuer.
 *
 * Accepted: `Bearer <JWT>` signed RS256 by a key the channel's OpenID metadata publishes (with the
 * activity's channel among its endorsements), issued by the channel issuer, for this bot (aud),
 * within its validity (5 minutes of clock skew, as the SDK allows). The SDK still validates the
 * accepted ones as it always does (service URL claim and the rest).
 */

export type TokenVerdict = { ok: true } | { ok: false; status: 401 | 503; reason: string };

export interface ChannelTokenOptions {
  appId: string;
  /** The channel's OpenID metadata document (BotOpenIdMetadata or the public cloud's). */
  metadataUrl: string;
  /** The only issuer accepted (https://api.botframework.com). */
  issuer: string;
  /** Keys are refetched at most this often for an unknown key id (default 5 minutes). */
  refreshCooldownMs?: number;
}

interface SigningKey {
  key: CryptoKey | Uint8Array;
  endorsements?: string[];
}

const JWT = /^Bearer ([A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{1,8192}\.[A-Za-z0-9_-]{0,2048})$/;
/** Keys are refreshed after a day, as the SDK does. */
const MAX_KEY_AGE_MS = 24 * 3600_000;
const FETCH_TIMEOUT_MS = 5000;
const EMPTY_RETRY_MS = 10_000;

export class ChannelTokenVerifier {
  private keys = new Map<string, SigningKey>();
  private fetchedAt = 0;
  private refreshing?: Promise<void>;
  private readonly cooldownMs: number;

  constructor(private readonly options: ChannelTokenOptions) {
    this.cooldownMs = options.refreshCooldownMs ?? 5 * 60_000;
  }

  async check(authorization: string | undefined, channelId: unknown): Promise<TokenVerdict> {
    const m = JWT.exec(authorization ?? '');
    if (!m) return refused(authorization ? 'not "Bearer <JWT>"' : 'no Authorization header');
    const token = m[1];
    let kid: unknown;
    let issuer: unknown;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== 'RS256') return refused(`algorithm ${String(header.alg).slice(0, 16)} not accepted`);
      kid = header.kid;
      issuer = decodeJwt(token).iss;
    } catch {
      return refused('not a decodable JWT');
    }
    if (typeof kid !== 'string' || !kid) return refused('no key id');
    // Only the channel's issuer: the emulator's (or anyone else's) never reach a key fetch.
    if (issuer !== this.options.issuer) return refused('issuer not accepted');
    let key: SigningKey | undefined;
    try {
      key = await this.keyFor(kid);
    } catch (e) {
      return { ok: false, status: 503, reason: `channel signing keys unavailable (${firstLine(e).slice(0, 120)})` };
    }
    if (!key) return refused('unknown signing key');
    try {
      await jwtVerify(token, key.key, { algorithms: ['RS256'], issuer: this.options.issuer, audience: this.options.appId, clockTolerance: 300, requiredClaims: ['exp'] });
    } catch (e) {
      return refused(e instanceof errors.JOSEError ? e.code : 'invalid token');
    }
    if (key.endorsements?.length && !(typeof channelId === 'string' && key.endorsements.includes(channelId))) return refused('key not endorsed for this channel');
    return { ok: true };
  }

  /**
   * The key with this id; refreshes the set when it is a day old, or (at most once per cooldown) for
   * an unknown id. With no keys at all (the metadata was unreachable) it retries every 10 s and
   * throws meanwhile, so valid tokens get a retryable 503 rather than a 401.
   */
  private async keyFor(kid: string): Promise<SigningKey | undefined> {
    const age = Date.now() - this.fetchedAt;
    const missing = !this.keys.has(kid) && age > (this.keys.size === 0 ? EMPTY_RETRY_MS : this.cooldownMs);
    if (age > MAX_KEY_AGE_MS || missing) {
      try {
        await (this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined)));
      } catch (e) {
        // Old keys keep working while the metadata is unreachable.
        if (this.keys.size === 0) throw e;
      }
    }
    if (this.keys.size === 0) throw new Error('no channel signing keys yet');
    return this.keys.get(kid);
  }

  private async refresh(): Promise<void> {
    // Counted as a refresh even when it fails: an unreachable endpoint is not asked again on every request.
    this.fetchedAt = Date.now();
    const metadata = (await getJson(this.options.metadataUrl)) as { jwks_uri?: unknown };
    if (typeof metadata?.jwks_uri !== 'string') throw new Error('OpenID metadata without jwks_uri');
    const set = (await getJson(metadata.jwks_uri)) as { keys?: unknown };
    if (!Array.isArray(set?.keys)) throw new Error('key set without keys');
    const keys = new Map<string, SigningKey>();
    for (const jwk of set.keys as (JWK & { endorsements?: unknown })[]) {
      if (typeof jwk?.kid !== 'string' || jwk.kty !== 'RSA' || !jwk.n || !jwk.e) continue;
      try {
        const key = await importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e }, 'RS256');
        keys.set(jwk.kid, { key, ...(Array.isArray(jwk.endorsements) ? { endorsements: jwk.endorsements.filter((x): x is string => typeof x === 'string') } : {}) });
      } catch {
        // A key that cannot be imported verifies nothing.
      }
    }
    this.keys = keys;
  }
}

const refused = (reason: string): TokenVerdict => ({ ok: false, status: 401, reason });

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.json();
}
