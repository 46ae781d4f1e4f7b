import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { readConfig } from '../../src/bot/config.js';
import { cardOf, headlineOf } from '../support/cards.js';
import { rawRequest, startApp, turn } from '../support/http.js';

const activity = (extra: object = {}) =>
  JSON.stringify({ type: 'message', text: 'помощь', from: { id: 'u1', name: 'Оператор' }, recipient: { id: 'bot' }, conversation: { id: 'c-guard' }, serviceUrl: 'http://127.0.0.1:9/', channelId: 'msteams', deliveryMode: 'expectReplies', ...extra });

/** A Bot Framework connector on this machine: what the bot posts to it, each answered with an activity id. */
async function loopbackConnector(): Promise<{ url: string; received: string[]; close: () => Promise<void> }> {
  const received: string[] = [];
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"id":"${received.length}"}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A JSON body whose card value nests `depth` arrays deep (JSON.stringify of it would overflow). */
const deepBody = (body: string, depth: number) => body.replace('"DEEP"', `${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('http: the request guard', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  before(async () => {
    app = await startApp();
  });
  after(() => app.close());

  const routes: [string, string][] = [
    ['POST', '/api/messages'],
    ['POST', '/api/console'],
    ['GET', '/healthz'],
    ['GET', '/api/decisions'],
    ['GET', '/'],
  ];
  const bodies: [string, string, Buffer][] = [
    ['bad gzip', 'gzip', Buffer.from('x')],
    ['a gzip bomb (50 MiB inflated)', 'gzip', gzipSync(Buffer.alloc(50 << 20, 'a'))],
    ['deflate', 'deflate', Buffer.from('x')],
    ['br', 'br', Buffer.from('x')],
    ['upper-case GZIP', 'GZIP', Buffer.from('x')],
    ['gzip after identity', 'identity, gzip', Buffer.from('x')],
  ];
  for (const [method, path] of routes)
    for (const [name, encoding, body] of bodies)
      it(`refuses ${name} on ${method} ${path} with 415 and keeps serving`, async () => {
        const res = await rawRequest(app.url, method, path, { 'content-type': 'application/json', 'content-encoding': encoding }, body);
        expect(res.status).to.equal(415);
        expect(JSON.parse(res.text).error).to.equal('unsupported_content_encoding');
        expect((await fetch(`${app.url}/healthz`)).status).to.equal(200);
      });

  it('accepts Content-Encoding: identity', async () => {
    const res = await rawRequest(app.url, 'POST', '/api/messages', { 'content-type': 'application/json', 'content-encoding': 'identity' }, activity());
    expect(res.status).to.equal(200);
    expect(JSON.parse(res.text).activities.length).to.be.above(0);
  });

  it('refuses message text over 10,000 characters with 413 before search, and takes 10,000', async () => {
    const long = await rawRequest(app.url, 'POST', '/api/messages', { 'content-type': 'application/json' }, activity({ text: 'клиент '.repeat(1430) }));
    expect(long.status).to.equal(413);
    expect(long.text).to.include('activity.text is longer than 10000 characters');
    const replies = await turn(app.url, 'c-guard-10k', 'а'.repeat(10_000));
    expect(replies.length).to.be.above(0);
  });

  it('refuses a sender name over 256 characters or an over-long AAD object id, so they never reach the decision log', async () => {
    const res = await rawRequest(app.url, 'POST', '/api/messages', { 'content-type': 'application/json' }, activity({ from: { id: 'u1', name: 'Я'.repeat(257) } }));
    expect(res.status).to.equal(400);
    expect(res.text).to.include('activity.from.name');
    const aad = await rawRequest(app.url, 'POST', '/api/messages', { 'content-type': 'application/json' }, activity({ from: { id: 'u1', aadObjectId: 'x'.repeat(2000) } }));
    expect(aad.status).to.equal(400);
    expect(aad.text).to.include('activity.from.aadObjectId');
  });

  it('refuses a 100,000-deep value with 400 on both entry points', async () => {
    const messages = await rawRequest(app.url, 'POST', '/api/messages', { 'content-type': 'application/json' }, deepBody(activity({ value: { action: 'answer', deep: 'DEEP' } }), 100_000));
    expect(messages.status).to.equal(400);
    expect(messages.text).to.include('nests deeper than 64 levels');
    const consoleRes = await rawRequest(app.url, 'POST', '/api/console', { 'content-type': 'application/json' }, deepBody(JSON.stringify({ conversationId: 'c-deep', userId: 'u1', value: { action: 'answer', deep: 'DEEP' } }), 100_000));
    expect(consoleRes.status).to.equal(400);
    expect(consoleRes.text).to.include('nests deeper');
    expect((await fetch(`${app.url}/healthz`)).status).to.equal(200);
  });

  it('in local mode, refuses at once a reply address other than this machine, and posts to 127.0.0.1', async () => {
    const started = Date.now();
    const res = await rawRequest(app.url, 'POST', '/api/messages', { 'content-type': 'application/json' }, activity({ deliveryMode: undefined, serviceUrl: 'http://10.255.255.1/' }));
    expect(res.status).to.equal(400);
    expect(res.text).to.include('ALLOWED_SERVICE_URLS');
    expect(Date.now() - started).to.be.below(1000);

    // A connector on this machine gets the reply by POST, as Bot Framework channels do.
    const connector = await loopbackConnector();
    try {
      const posted = await rawRequest(app.url, 'POST', '/api/messages', { 'content-type': 'application/json' }, activity({ deliveryMode: undefined, serviceUrl: connector.url, value: { action: 'start', procedureId: 'case-repeat-inquiry' }, text: undefined }));
      expect(posted.status).to.equal(200);
      expect(connector.received).to.have.length(1);
      expect(headlineOf(cardOf(JSON.parse(connector.received[0])))).to.equal('В каком состоянии кейс клиента?');
    } finally {
      await connector.close();
    }
  });

  it('in local mode, serves an expectReplies request whatever its reply address, since nothing is posted there', async () => {
    for (const serviceUrl of ['http://10.255.255.1/', undefined]) {
      const started = Date.now();
      const res = await rawRequest(app.url, 'POST', '/api/messages', { 'content-type': 'application/json' }, activity({ serviceUrl, value: { action: 'start', procedureId: 'case-repeat-inquiry' }, text: undefined }));
      expect(res.status, res.text).to.equal(200);
      const replies = (JSON.parse(res.text) as { activities: Partial<Activity>[] }).activities;
      expect(headlineOf(cardOf(replies[replies.length - 1]))).to.equal('В каком состоянии кейс клиента?');
      expect(Date.now() - started).to.be.below(1000);
    }
  });

  it('in local mode, an expectReplies turn with a foreign reply address sends nothing there, not even the update of an older card', async () => {
    const log: string[] = [];
    const local = await startApp({}, undefined, (line) => log.push(line));
    const connector = await loopbackConnector();
    try {
      // The first card is posted to this machine, so the dialog knows the message that shows it.
      const start = activity({ conversation: { id: 'c-update' }, deliveryMode: undefined, serviceUrl: connector.url, value: { action: 'start', procedureId: 'case-repeat-inquiry' }, text: undefined });
      expect((await rawRequest(local.url, 'POST', '/api/messages', { 'content-type': 'application/json' }, start)).status).to.equal(200);
      expect(connector.received).to.have.length(1);
      // Typed from elsewhere: the next question comes back in the answer; the older card would be updated through the foreign address.
      const typed = await rawRequest(local.url, 'POST', '/api/messages', { 'content-type': 'application/json' }, activity({ conversation: { id: 'c-update' }, serviceUrl: 'http://10.255.255.1/', text: 'Closed' }));
      expect(typed.status, typed.text).to.equal(200);
      const replies = (JSON.parse(typed.text) as { activities: Partial<Activity>[] }).activities;
      expect(headlineOf(cardOf(replies[replies.length - 1]))).to.equal('Какая категория у кейса?');
      expect(connector.received).to.have.length(1);
      expect(log.join('\n')).to.match(/older card was not turned read-only in place: replies to http:\/\/10\.255\.255\.1\/ are not allowed in local mode/);
    } finally {
      await connector.close();
      await local.close();
    }
  });

  it('reads ALLOWED_SERVICE_URLS as origins and refuses a value that is not a URL', () => {
    expect(readConfig({ ALLOWED_SERVICE_URLS: 'https://smba.trafficmanager.net/emea/, https://example.org' }).allowedServiceUrls).to.deep.equal(['https://smba.trafficmanager.net', 'https://example.org']);
    expect(() => readConfig({ ALLOWED_SERVICE_URLS: 'smba' })).to.throw(/ALLOWED_SERVICE_URLS must be/);
  });
});

describe('http: slow and numerous connections', function () {
  this.timeout(30_000);

  it('closes a request whose body trickles in past REQUEST_TIMEOUT_S, and keeps serving', async () => {
    const app = await startApp({ REQUEST_TIMEOUT_S: '1' });
    try {
      const started = Date.now();
      const closedAfter = await new Promise<number>((resolve) => {
        const socket = connect(Number(new URL(app.url).port), '127.0.0.1', () => {
          socket.write('POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
          const drip = setInterval(() => socket.write(' '), 100);
          socket.on('close', () => {
            clearInterval(drip);
            resolve(Date.now() - started);
          });
          socket.on('error', () => undefined);
          socket.resume();
        });
      });
      expect(closedAfter).to.be.below(5000);
      expect((await fetch(`${app.url}/healthz`)).status).to.equal(200);
    } finally {
      await app.close();
    }
  });

  it('holds at most MAX_CONNECTIONS sockets; the ones over it are closed at once', async () => {
    const app = await startApp({ MAX_CONNECTIONS: '8', REQUEST_TIMEOUT_S: '2' });
    try {
      const port = Number(new URL(app.url).port);
      const closedEarly: number[] = [];
      const sockets = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          new Promise<import('node:net').Socket>((resolve) => {
            const s = connect(port, '127.0.0.1', () => resolve(s));
            s.on('error', () => undefined);
            s.on('close', () => closedEarly.push(i));
          }),
        ),
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(closedEarly.length).to.be.at.least(12);
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => setTimeout(r, 100));
      expect((await fetch(`${app.url}/healthz`)).status).to.equal(200);
    } finally {
      await app.close();
    }
  });
});
