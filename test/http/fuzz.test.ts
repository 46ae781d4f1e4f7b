import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import fc from 'fast-check';
import { cardOf, headlineOf } from '../support/cards.js';
import { rawRequest, startApp, turn } from '../support/http.js';

const stateFiles = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

/** Activities as a broken client, a forged click or a curious user might send them. */
const id = fc.oneof(fc.constantFrom('case-repeat-inquiry', 'state', 'open', 'closed-disagree', 'constructor', '__proto__', ''), fc.string({ maxLength: 80 }));
const cardValue = fc.oneof(
  fc.record({ action: fc.constantFrom('answer', 'back', 'restart', 'cancel', 'help', 'start', 'topics', 'feedback', 'nothingFits', 'zzz'), procedureId: id, nodeId: id, optionId: id, cardId: id, decisionId: id, verdict: fc.constantFrom('helpful', 'wrong', 'x'), comment: fc.string() }, { requiredKeys: ['action'] }),
  fc.jsonValue({ maxDepth: 3 }),
);
const activity = fc.record(
  {
    type: fc.oneof(fc.constantFrom('message', 'conversationUpdate', 'invoke', 'typing', 'event', 'messageReaction'), fc.string({ minLength: 1, maxLength: 20 })),
    text: fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('назад', 'Отмена', '/темы', 'помощь', '1', 'клиент матерится', '${$root}', '[x](http://evil)')),
    value: cardValue,
    conversation: fc.record({ id: fc.string({ minLength: 1, maxLength: 40 }).map((s) => `fuzz-${s}`) }),
    from: fc.record({ id: fc.string({ minLength: 1, maxLength: 40 }), name: fc.string({ maxLength: 40 }) }, { requiredKeys: ['id'] }),
    membersAdded: fc.array(fc.record({ id: fc.string({ maxLength: 10 }) }), { maxLength: 2 }),
    name: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: ['type', 'conversation', 'from'] },
);

describe('http: generated activities never crash the bot or touch other conversations', function () {
  this.timeout(120000);

  it('answers 1,000 generated activities with 2xx/4xx, never 500, and leaves a bystander conversation as it was', async () => {
    const app = await startApp();
    try {
      const start = await turn(app.url, 'bystander', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
      expect(headlineOf(cardOf(start[0]))).to.equal('В каком состоянии кейс клиента?');
      const stateDir = join(app.dataDir, 'state');
      const files = readdirSync(stateDir);
      const before = Object.fromEntries(files.map((f) => [f, readFileSync(join(stateDir, f), 'utf8')]));

      await fc.assert(
        fc.asyncProperty(activity, async (a) => {
          const res = await fetch(`${app.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', recipient: { id: 'bot' }, deliveryMode: 'expectReplies', ...a }),
          });
          const body = await res.text();
          expect(res.status, body).to.be.oneOf([200, 201, 202, 400, 404, 413, 415]);
          expect(body).not.to.match(/\n\s+at .+:\d+:\d+/);
        }),
        { numRuns: 1000 },
      );

      const after = stateFiles(stateDir);
      for (const f of files) expect(after[f], f).to.equal(before[f]);
      const help = await turn(app.url, 'bystander', 'помощь');
      expect(help[0].text).to.include('Сейчас вопрос: «В каком состоянии кейс клиента?»');
    } finally {
      await app.close();
    }
  });
});

/** Printable header text (what an HTTP client can send at all). */
const headerText = (max = 40) => fc.stringMatching(new RegExp(`^[\\x21-\\x7e][\\x20-\\x7e]{0,${max}}$`));
const b64url = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const APP_ID = '00000000-0000-4000-8000-000000000001';

/** Tokens of every shape: segment counts, algorithms, key ids, issuers, claims, signatures. */
const tokenShape = fc.oneof(
  headerText(200),
  fc.record({
    header: fc.record({ alg: fc.oneof(fc.constantFrom('RS256', 'none', 'HS256', 'ES256', 'PS256', 'RS512', ''), fc.string()), kid: fc.oneof(fc.constantFrom('fuzz-key', ''), fc.string(), fc.integer()), typ: fc.constantFrom('JWT', 'jwt') }, { requiredKeys: [] }),
    payload: fc.record(
      {
        iss: fc.oneof(fc.constantFrom('https://api.botframework.com', 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', 'https://login.microsoftonline.com/botframework.com/v2.0'), fc.string()),
        aud: fc.oneof(fc.constant(APP_ID), fc.string(), fc.array(fc.string(), { maxLength: 2 })),
        nbf: fc.oneof(fc.integer(), fc.string(), fc.double()),
        exp: fc.oneof(fc.integer({ min: 0, max: 4_000_000_000 }), fc.string()),
        serviceurl: fc.oneof(fc.constant('http://127.0.0.1:9/'), fc.string()),
      },
      { requiredKeys: [] },
    ),
    signature: fc.oneof(fc.constant(''), fc.base64String({ maxLength: 400 }).map((s) => s.replace(/[+/=]/g, 'A')), headerText(30)),
    rawPayload: fc.option(headerText(60), { nil: undefined }),
  }).map(({ header, payload, signature, rawPayload }) => `${b64url(header)}.${rawPayload ?? b64url(payload)}.${signature}`),
);
const authorization = fc.oneof(fc.constant(undefined), tokenShape.map((t) => `Bearer ${t}`), tokenShape, fc.tuple(fc.constantFrom('bearer', 'Basic', 'Bearer  ', 'Bearer\t'), tokenShape).map(([s, t]) => `${s} ${t}`));
const encoding = fc.oneof(fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'identity', 'IDENTITY', 'GZIP', 'x-gzip', 'compress', 'identity, gzip', 'gzip, identity', ' identity '), headerText(20));
const contentType = fc.oneof(fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/octet-stream', 'multipart/form-data', 'application/x-www-form-urlencoded'), headerText(40));
const body = fc.oneof(
  fc.constant(JSON.stringify({ type: 'message', text: 'помощь', from: { id: 'u1' }, recipient: { id: 'bot' }, conversation: { id: 'fuzz-headers' }, serviceUrl: 'http://127.0.0.1:9/', channelId: 'msteams', deliveryMode: 'expectReplies' })),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.constant(gzipSync(Buffer.from('{"type":"message"}'))),
  fc.constant(Buffer.from([0x1f, 0x8b, 0x08, 0x00])),
);
const route = fc.constantFrom(['POST', '/api/messages'], ['POST', '/api/console'], ['GET', '/healthz'], ['GET', '/api/decisions'], ['GET', '/api/decisions.csv'], ['POST', '/api/kb/reload'], ['GET', '/']);

describe('http: generated encodings, header shapes and tokens never crash the bot', function () {
  this.timeout(180_000);
  let metadata: Server;
  let metadataUrl = '';
  before(async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    metadata = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/openid') return void res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `http://127.0.0.1:${(metadata.address() as AddressInfo).port}/keys` }));
      res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'fuzz-key', use: 'sig' }] }));
    });
    await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
    metadataUrl = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}/openid`;
  });
  after(() => new Promise<void>((resolve) => metadata.close(() => resolve())));

  for (const mode of ['local mode', 'with a MicrosoftAppId'] as const)
    it(`answers 300 generated requests with 2xx/4xx or 503 (${mode}), never a 500 or a stack, and keeps serving`, async () => {
      const app = await startApp(mode === 'local mode' ? {} : { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-real', BotOpenIdMetadata: metadataUrl, LEADS_API_TOKEN: 'leads-api-token-for-tests-0123456789abcdef' });
      try {
        await fc.assert(
          fc.asyncProperty(route, encoding, contentType, authorization, body, async ([method, path], enc, type, auth, payload) => {
            const headers: Record<string, string> = {};
            if (enc !== undefined) headers['content-encoding'] = enc;
            if (type !== undefined) headers['content-type'] = type;
            if (auth !== undefined) headers.authorization = auth;
            const res = await rawRequest(app.url, method, path, headers, payload);
            expect(res.status, res.text).to.be.oneOf([200, 201, 202, 400, 401, 403, 404, 405, 413, 415, 503]);
            expect(res.text).not.to.match(/\n\s+at .+:\d+:\d+|BEGIN PUBLIC KEY|JsonWebTokenError|getaddrinfo/);
            const codings = (enc ?? '').split(',').map((c) => c.trim().toLowerCase()).filter(Boolean);
            if (codings.some((c) => c !== 'identity')) expect(res.status).to.equal(415);
            if (mode !== 'local mode' && path === '/api/messages' && res.status === 401) expect(JSON.parse(res.text).error).to.equal('unauthorized');
          }),
          { numRuns: 300 },
        );
        expect((await fetch(`${app.url}/healthz`)).status).to.equal(200);
      } finally {
        await app.close();
      }
    });
});
