import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { cardOf, clickData, headlineOf, lastCard, textOf } from '../support/cards.js';
import { appId, serviceUrl, startChannelMetadata, token, trusted } from '../support/channelAuth.js';
import { repoRoot } from '../support/kb.js';
import { startApp, tempDir, turn } from '../support/http.js';
import { spawnBot, type BotProcess } from '../support/process.js';

const run = promisify(execFile);
const TOKEN = 'bundle-test-token-0123456789abcdef';

/** What an operator sees of a dialog: every card's text, turn by turn (ids and timestamps left out). */
async function dialog(url: string): Promise<string[]> {
  const typed = await turn(url, 'c-bundle', 'клиент повторно обращается, кейс закрыт, он не согласен с решением');
  const started = await turn(url, 'c-bundle-2', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
  const answered = await turn(url, 'c-bundle-2', { value: clickData(lastCard(started), 'Closed — клиент не согласен с решением') });
  return [typed, started, answered].map((replies) => textOf(lastCard(replies)));
}

describe('process: the bundle `npm start` runs (scripts/build.mjs)', function () {
  this.timeout(180_000);
  // Under the package root, as dist/server.js is, so cards/, public/ and node_modules/ are found the same way.
  const outDir = join(repoRoot, 'dist', `test-bundle-${process.pid}`);
  let bot: BotProcess | undefined;

  before(async () => {
    await run(process.execPath, ['scripts/build.mjs', '--outfile', join(outDir, 'server.js')], { cwd: repoRoot, timeout: 170_000 });
    bot = await spawnBot({ DATA_DIR: tempDir(), LEADS_API_TOKEN: TOKEN }, ['--no-deprecation', join(outDir, 'server.js')]);
  });

  after(async () => {
    if (bot && bot.child.exitCode === null) {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
    rmSync(outDir, { recursive: true, force: true });
  });

  it('answers typed Russian and card clicks exactly as the TypeScript sources do', async () => {
    const app = await startApp();
    try {
      const expected = await dialog(app.url);
      // The typed message is read (Cyrillic stems and patterns): the card shows what it settled.
      expect(expected[0]).to.include('Из сообщения');
      expect(await dialog(bot!.url)).to.deep.equal(expected);
    } finally {
      await app.close();
    }
  });

  it('serves the console, the procedure maps (Graphviz in WebAssembly) and the files of node_modules the tab loads', async () => {
    const get = async (path: string) => {
      const res = await fetch(`${bot!.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      return { status: res.status, body: await res.text() };
    };
    expect((await get('/')).body).to.include('/console/console.js');
    const map = await get('/kb/case-repeat-inquiry');
    expect(map.status).to.equal(200);
    expect(map.body).to.include('<svg');
    for (const path of ['/vendor/adaptivecards.min.js', '/vendor/teams-js/MicrosoftTeams.min.js', '/vendor/chart.js/chart.umd.min.js']) {
      expect((await get(path)).status, path).to.equal(200);
    }
    expect((await get('/api/decisions')).status).to.equal(200);
  });

  // The build defers modules of the SDK that only authentication uses (node-fetch for the keys,
  // jsonwebtoken, MSAL): the bundle with a MicrosoftAppId still loads and uses them.
  it('with a MicrosoftAppId refuses an unsigned request and runs a turn with a valid channel token', async () => {
    const metadata = await startChannelMetadata();
    const authed = await spawnBot({ DATA_DIR: tempDir(), MicrosoftAppId: appId, MicrosoftAppPassword: 'test-secret-not-real', BotOpenIdMetadata: metadata.url }, ['--no-deprecation', join(outDir, 'server.js')]);
    try {
      const send = (authorization?: string) =>
        fetch(`${authed.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({
            type: 'message', channelId: 'msteams', serviceUrl, deliveryMode: 'expectReplies',
            from: { id: 'u1', name: 'Оператор' }, recipient: { id: appId }, conversation: { id: 'c-bundle-auth' },
            value: { action: 'start', procedureId: 'case-repeat-inquiry' },
          }),
        });
      expect((await send()).status).to.equal(401);
      const res = await send(`Bearer ${token(trusted)}`);
      expect(res.status).to.equal(200);
      const body = (await res.json()) as { activities: object[] };
      expect(headlineOf(cardOf(body.activities[0]))).to.equal('В каком состоянии кейс клиента?');
      // The bot's own token check fetches the metadata and keys, then the SDK's (node-fetch) again.
      expect(metadata.hits()).to.equal(4);
    } finally {
      authed.child.kill('SIGTERM');
      await authed.exited;
      await metadata.close();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    bot!.child.kill('SIGTERM');
    expect(await bot!.exited).to.equal(0);
    expect(bot!.output()).to.include('stopped cleanly');
  });

  // dist/server.js compiles the bundle with the V8 code cache a clean stop left beside it.
  it('starts from the code cache a clean stop wrote, answering as the sources do; a damaged cache or one of another build is compiled afresh and replaced', async () => {
    const cacheFile = join(outDir, 'server.bundle.cjs.v8cache');
    const app = await startApp();
    let expected: string[];
    try {
      expected = await dialog(app.url);
    } finally {
      await app.close();
    }
    const startAndStop = async () => {
      const b = await spawnBot({ DATA_DIR: tempDir() }, ['--no-deprecation', join(outDir, 'server.js')]);
      try {
        expect(await dialog(b.url)).to.deep.equal(expected);
      } finally {
        b.child.kill('SIGTERM');
        expect(await b.exited).to.equal(0);
      }
    };
    const written = readFileSync(cacheFile);
    // Header: the SHA-256 of the bundle's text, then of the payload V8 reads.
    expect(written.subarray(0, 32)).to.deep.equal(createHash('sha256').update(readFileSync(join(outDir, 'server.bundle.cjs'))).digest());
    await startAndStop();
    expect(readFileSync(cacheFile).equals(written), 'a cache that was used is left as it is').to.equal(true);
    const damaged = (bytes: Buffer, at: number) => Buffer.concat([bytes.subarray(0, at), Buffer.from([bytes[at] ^ 0xff]), bytes.subarray(at + 1)]);
    for (const [what, bytes] of [
      ['a payload byte changed', damaged(written, 32 + 32 + 1000)],
      ['made from another bundle', damaged(written, 0)],
      ['truncated', written.subarray(0, written.length >> 1)],
    ] as const) {
      writeFileSync(cacheFile, bytes);
      await startAndStop();
      expect(readFileSync(cacheFile).subarray(0, 32).equals(written.subarray(0, 32)), what).to.equal(true);
      expect(readFileSync(cacheFile).equals(bytes), `${what}: replaced`).to.equal(false);
    }
  });
});
