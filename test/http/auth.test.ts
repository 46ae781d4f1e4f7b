import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { ConfigError, readConfig } from '../../src/bot/config.js';
import { cardOf, headlineOf } from '../support/cards.js';
import { startApp } from '../support/http.js';

/**
 * Channel authentication with a MicrosoftAppId: the Bot Framework's OpenID metadata and signing
 * keys are served from 127.0.0.1 (BotOpenIdMetadata, the SDK's standard setting), so tokens
 * can be made here with a trusted key, an untrusted one, or already expired.
 */
const appId = '00000000-0000-4000-8000-000000000001';
const serviceUrl = 'http://127.0.0.1:9/';

function keyPair(kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, publicKey, privateKey };
}
const trusted = keyPair('trusted-key');
const untrusted = keyPair('untrusted-key');

function token(key: { kid: string; privateKey: KeyObject }, claims: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign(
    { iss: 'https://api.botframework.com', aud: appId, serviceurl: serviceUrl, nbf: now - 60, exp: now + 3600, ...claims },
    key.privateKey,
    { algorithm: 'RS256', keyid: key.kid, noTimestamp: true },
  );
}

let metadata: Server;
let metadataUrl = '';
before(async () => {
  metadata = createServer((req, res) => {
    const base = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/openid') return void res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    const jwk = { ...trusted.publicKey.export({ format: 'jwk' }), kid: trusted.kid, kty: 'RSA', use: 'sig', endorsements: ['msteams'] };
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
  metadataUrl = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}/openid`;
});
after(() => new Promise<void>((resolve) => metadata.close(() => resolve())));

describe('http: channel authentication with a MicrosoftAppId', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeEach(async () => {
    app = await startApp({ MicrosoftAppId: appId, MicrosoftAppPassword: 'test-secret-not-real', BotOpenIdMetadata: metadataUrl });
  });
  afterEach(() => app.close());

  const send = (authorization?: string, conversation = 'c-auth') =>
    fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({
        type: 'message', channelId: 'msteams', serviceUrl, deliveryMode: 'expectReplies',
        from: { id: 'u1', name: 'Оператор' }, recipient: { id: appId }, conversation: { id: conversation },
        value: { action: 'start', procedureId: 'case-repeat-inquiry' },
      }),
    });

  it('refuses a request with no token: 401, and no dialog starts', async () => {
    const res = await send();
    expect(res.status).to.equal(401);
    expect(await res.text()).not.to.include('В каком состоянии');
  });

  it('refuses a token signed by a key the bot does not trust: 401', async () => {
    const res = await send(`Bearer ${token(untrusted)}`);
    expect(res.status).to.equal(401);
  });

  it('refuses an expired token: 401', async () => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    const res = await send(`Bearer ${token(trusted, { nbf: past - 3600, exp: past })}`);
    expect(res.status).to.equal(401);
  });

  it('refuses a token for another bot: 401', async () => {
    const res = await send(`Bearer ${token(trusted, { aud: 'another-bot' })}`);
    expect(res.status).to.equal(401);
  });

  it('accepts a valid Bot Framework token and runs the turn', async () => {
    const res = await send(`Bearer ${token(trusted)}`);
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { activities: object[] };
    expect(headlineOf(cardOf(body.activities[0]))).to.equal('В каком состоянии кейс клиента?');
  });
});

describe('config: local mode is never an accident', () => {
  it('refuses to start unauthenticated with NODE_ENV=production', () => {
    expect(() => readConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /ALLOW_UNAUTHENTICATED=true/);
  });

  it('starts unauthenticated in production only when explicitly allowed', () => {
    expect(readConfig({ NODE_ENV: 'production', ALLOW_UNAUTHENTICATED: 'true' }).auth.appId).to.equal('');
  });

  it('announces local mode as unauthenticated in the start line', async () => {
    const app = await startApp();
    try {
      expect(app.describe()).to.match(/local mode.*NOT authenticated/);
    } finally {
      await app.close();
    }
  });
});
