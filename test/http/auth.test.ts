import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { expect } from 'chai';
import { createApp } from '../../src/bot/app.js';
import { readConfig } from '../../src/bot/config.js';
import { ConfigError } from '../../src/bot/errors.js';
import { cardOf, headlineOf } from '../support/cards.js';
import { appId, serviceUrl, startChannelMetadata, token, trusted, untrusted } from '../support/channelAuth.js';
import { startApp, tempDir } from '../support/http.js';
import { kbDir } from '../support/kb.js';

/** Channel authentication with a MicrosoftAppId, against the channel's metadata and keys served from 127.0.0.1. */
let metadata: Awaited<ReturnType<typeof startChannelMetadata>>;
let metadataUrl = '';
before(async () => {
  metadata = await startChannelMetadata();
  metadataUrl = metadata.url;
});
after(() => metadata.close());

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

const b64 = (v: object | string) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const claims = () => {
  const now = Math.floor(Date.now() / 1000);
  return { iss: 'https://api.botframework.com', aud: appId, serviceurl: serviceUrl, nbf: now - 60, exp: now + 3600 };
};
/** Tokens an attacker can make without the channel's private key. */
function forgeries(): [string, string][] {
  const valid = token(trusted);
  const [h, p, sig] = valid.split('.');
  const unsigned = `${b64({ alg: 'none', typ: 'JWT', kid: trusted.kid })}.${b64(claims())}.`;
  const hsHeader = `${b64({ alg: 'HS256', typ: 'JWT', kid: trusted.kid })}.${b64(claims())}`;
  const publicPem = trusted.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const hs = `${hsHeader}.${createHmac('sha256', publicPem).update(hsHeader).digest('base64url')}`;
  const flipped = sig.slice(0, 10) + (sig[10] === 'A' ? 'B' : 'A') + sig.slice(11);
  const now = Math.floor(Date.now() / 1000);
  return [
    ['alg "none" with a published key id', unsigned],
    ['HS256 signed with the public key', hs],
    ['a wrong key under a known key id', token({ kid: trusted.kid, privateKey: untrusted.privateKey })],
    ['a tampered signature', `${h}.${p}.${flipped}`],
    ['a tampered payload', `${h}.${b64({ ...claims(), aud: 'another-bot', serviceurl: 'http://evil.example/' })}.${sig}`],
    ['nbf in the future', token(trusted, { nbf: now + 3600, exp: now + 7200 })],
    ['an emulator-issued token', token(trusted, { iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/' })],
    ['garbage after Bearer', 'not.a.jwt'],
    ['an empty payload', `${b64({ alg: 'RS256', kid: trusted.kid })}..${sig}`],
  ];
}

describe('http: forged channel tokens', () => {
  let app: ReturnType<typeof createApp>;
  let url = '';
  const logged: string[] = [];
  const consoleLines: string[] = [];
  const outbound: string[] = [];
  const saved = { error: console.error, warn: console.warn, log: console.log, https: https.request, http: http.request };
  before(async () => {
    app = createApp(readConfig({ PORT: '0', HOST: '127.0.0.1', KB_DIR: kbDir, DATA_DIR: tempDir(), MicrosoftAppId: appId, MicrosoftAppPassword: 'test-secret-not-real', BotOpenIdMetadata: metadataUrl }), { log: (line) => logged.push(line) });
    url = await app.listen();
    // The SDK writes to the console and fetches with node-fetch (http/https.request): both are watched.
    for (const k of ['error', 'warn', 'log'] as const) console[k] = (...args: unknown[]) => void consoleLines.push(args.map(String).join(' '));
    const watch = (original: typeof https.request) =>
      ((...args: Parameters<typeof https.request>) => {
        const target = args[0];
        const host = typeof target === 'string' ? new URL(target).hostname : target instanceof URL ? target.hostname : (target.hostname ?? target.host ?? '');
        if (host !== '127.0.0.1') outbound.push(String(host));
        return original(...args);
      }) as typeof https.request;
    https.request = watch(saved.https);
    http.request = watch(saved.http);
  });
  after(async () => {
    Object.assign(console, { error: saved.error, warn: saved.warn, log: saved.log });
    https.request = saved.https;
    http.request = saved.http;
    await app.close();
  });

  for (const [name, forged] of forgeries()) {
    it(`answers ${name} with 401, a short generic body and one log line without the key`, async () => {
      logged.length = 0;
      consoleLines.length = 0;
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${forged}` },
        body: JSON.stringify({ type: 'message', channelId: 'msteams', serviceUrl, deliveryMode: 'expectReplies', from: { id: 'u1' }, recipient: { id: appId }, conversation: { id: 'c-forged' }, text: 'помощь' }),
      });
      const body = await res.text();
      expect(res.status, body).to.equal(401);
      expect(JSON.parse(body)).to.deep.equal({ error: 'unauthorized', message: 'A valid Bot Framework token is required.' });
      expect(logged, logged.join('\n')).to.have.length(1);
      expect(logged[0]).to.match(/^POST \/api\/messages refused \(401\)/).and.not.include('\n').and.not.match(/BEGIN|PUBLIC KEY|\bat .+:\d+/);
      expect(logged[0].length).to.be.below(200);
      expect(consoleLines, consoleLines.join('\n')).to.deep.equal([]);
      expect(outbound).to.deep.equal([]);
    });
  }

  it('fetches the keys once for many tokens with unknown key ids, and still accepts a valid token', async () => {
    const hits = metadata.hits();
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token({ kid: `kid-${i}`, privateKey: untrusted.privateKey })}` },
        body: JSON.stringify({ type: 'message', channelId: 'msteams', serviceUrl, deliveryMode: 'expectReplies', from: { id: 'u1' }, recipient: { id: appId }, conversation: { id: 'c-kids' }, text: 'помощь' }),
      });
      expect(res.status).to.equal(401);
    }
    expect(metadata.hits() - hits).to.be.at.most(2);
    const ok = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token(trusted)}` },
      body: JSON.stringify({ type: 'message', channelId: 'msteams', serviceUrl, deliveryMode: 'expectReplies', from: { id: 'u1' }, recipient: { id: appId }, conversation: { id: 'c-kids' }, text: 'помощь' }),
    });
    expect(ok.status).to.equal(200);
  });
});

describe('http: channel signing keys unreachable', () => {
  it('answers a valid-looking token with a retryable 503, not 401, and a one-line log', async () => {
    const logged: string[] = [];
    const app = createApp(readConfig({ PORT: '0', HOST: '127.0.0.1', KB_DIR: kbDir, DATA_DIR: tempDir(), MicrosoftAppId: appId, MicrosoftAppPassword: 'x', BotOpenIdMetadata: 'http://127.0.0.1:9/openid' }), { log: (l) => logged.push(l) });
    const url = await app.listen();
    try {
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token(trusted)}` },
          body: JSON.stringify({ type: 'message', channelId: 'msteams', serviceUrl, deliveryMode: 'expectReplies', from: { id: 'u1' }, recipient: { id: appId }, conversation: { id: 'c-nokeys' }, text: 'помощь' }),
        });
        expect(res.status).to.equal(503);
        expect(((await res.json()) as { error: string }).error).to.equal('auth_unavailable');
      }
      expect(logged.filter((l) => l.startsWith('POST /api/messages refused (503)'))).to.have.length(2);
      expect(logged.join('\n')).not.to.match(/\n\s+at /);
    } finally {
      await app.close();
    }
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
