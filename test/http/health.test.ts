import { expect } from 'chai';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { clickData, headlineOf, lastCard } from '../support/cards.js';
import { startApp, tempDir, turn } from '../support/http.js';

const TOKEN = 'leads-api-token-for-health-tests-0123456789';

/** The disk refusing fdatasync (EIO), for every file handle of this process, until restored. */
async function failingDatasync(): Promise<() => void> {
  const probe = await open(join(tempDir('oa-health-'), 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  const original = proto.datasync;
  proto.datasync = () => Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
  return () => void (proto.datasync = original);
}

async function health(url: string): Promise<{ status: number; body: { status: string; decisionLog?: string } }> {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string; decisionLog?: string } };
}

/** A dialog to its outcome by clicks; the headline the operator sees. */
async function walk(url: string, conversation: string): Promise<string> {
  let replies = await turn(url, conversation, { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
  replies = await turn(url, conversation, { value: clickData(lastCard(replies), 'Open') });
  replies = await turn(url, conversation, { value: clickData(lastCard(replies), 'Да') });
  return headlineOf(lastCard(replies));
}

describe('http: /healthz when the decision log cannot reach the disk', () => {
  it('the operator still gets the answer and the decision is kept, while /healthz answers 503 «degraded» with the reason, also after the disk recovers', async () => {
    const app = await startApp({ LEADS_API_TOKEN: TOKEN });
    let restore: (() => void) | undefined;
    try {
      expect((await health(app.url)).body.status).to.equal('ok');
      restore = await failingDatasync();
      expect(await walk(app.url, 'c-health-1')).to.equal('Скажите клиенту стандартную фразу и внесите в комментарий CASE слово «Повтор»');

      // The decision log syncs in the background (within 200 ms by default); poll until it has tried.
      let seen = await health(app.url);
      for (let i = 0; i < 50 && seen.status === 200; i++) {
        await new Promise((r) => setTimeout(r, 50));
        seen = await health(app.url);
      }
      expect(seen.status).to.equal(503);
      expect(seen.body.status).to.equal('degraded');
      expect(seen.body.decisionLog).to.match(/fdatasync of .* failed at .*EIO.*may not be on disk/);

      // A later successful sync proves nothing about pages the kernel may have dropped: it stays reported.
      restore();
      restore = undefined;
      expect(await walk(app.url, 'c-health-2')).to.equal('Скажите клиенту стандартную фразу и внесите в комментарий CASE слово «Повтор»');
      await new Promise((r) => setTimeout(r, 400));
      expect((await health(app.url)).body.status).to.equal('degraded');

      const res = await fetch(`${app.url}/api/decisions`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const body = (await res.json()) as { total: number };
      expect(body.total).to.equal(2);
    } finally {
      restore?.();
      await app.close();
    }
  });

  it('strict (synced before the card): the operator is told the answer did not go through, and /healthz says why at once', async () => {
    const app = await startApp({ DECISION_LOG_SYNC: 'strict' });
    let restore: (() => void) | undefined;
    try {
      let replies = await turn(app.url, 'c-health-strict', { value: { action: 'start', procedureId: 'case-repeat-inquiry' } });
      replies = await turn(app.url, 'c-health-strict', { value: clickData(lastCard(replies), 'Open') });
      restore = await failingDatasync();
      replies = await turn(app.url, 'c-health-strict', { value: clickData(lastCard(replies), 'Да') });
      expect(replies.map((r) => r.text)).to.deep.equal(['Что-то пошло не так, ответ не получен. Повторите действие или напишите «отмена» и задайте вопрос заново.']);
      const seen = await health(app.url);
      expect(seen.status).to.equal(503);
      expect(seen.body.status).to.equal('degraded');
      expect(seen.body.decisionLog).to.contain('EIO');
    } finally {
      restore?.();
      await app.close();
    }
  });
});
