import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

/**
 * The Bot Framework channel as a MicrosoftAppId bot sees it, on 127.0.0.1: its OpenID metadata and
 * signing keys (served for BotOpenIdMetadata, the SDK's standard setting) and tokens made with a
 * trusted key, an untrusted one, or any claims.
 */
export const appId = '00000000-0000-4000-8000-000000000001';
export const serviceUrl = 'http://127.0.0.1:9/';

export function keyPair(kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, publicKey, privateKey };
}
export const trusted = keyPair('trusted-key');
export const untrusted = keyPair('untrusted-key');

export function token(key: { kid: string; privateKey: KeyObject }, claims: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign(
    { iss: 'https://api.botframework.com', aud: appId, serviceurl: serviceUrl, nbf: now - 60, exp: now + 3600, ...claims },
    key.privateKey,
    { algorithm: 'RS256', keyid: key.kid, noTimestamp: true },
  );
}

/** Serves the metadata at `url` and the trusted key at its jwks_uri; `hits()` counts requests. */
export async function startChannelMetadata(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/openid') return void res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    const jwk = { ...trusted.publicKey.export({ format: 'jwk' }), kid: trusted.kid, kty: 'RSA', use: 'sig', endorsements: ['msteams'] };
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/openid`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
