import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFERRED_SYNC_MS, encodeEntry, JsonlDecisionLog, PREALLOC_BYTES, type OpenFlags, type SyncMode } from '../../src/bot/infra/decisionLog/jsonlDecisionLog.js';
import { UnknownDecisionError } from '../../src/domain/decisions.js';
import { decision } from '../support/decisions.js';
import { decisionLogContract } from '../support/decisionLogContract.js';
import { StorageFileError } from '../../src/bot/errors.js';
import { tempDir } from '../support/http.js';
import { repoRoot } from '../support/kb.js';

const person = { id: '29:operator-1', name: 'Оператор 1' };
const lead = { id: '29:lead', name: 'Тимлид' };
const segments = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
/** A segment's data: what comes before the zeros it is preallocated with. */
const dataOf = (file: string) => {
  const bytes = readFileSync(file);
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
};
/** Writes `text` where the segment's data ends, as an append the process did not finish would leave it. */
const writeAtDataEnd = (file: string, text: string) => {
  const fd = openSync(file, 'r+');
  writeSync(fd, text, Buffer.byteLength(dataOf(file)));
  closeSync(fd);
};
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const quiet = { log: () => undefined, sync: 'off' as const };

type Method = (...args: any[]) => any;
/**
 * An `open` for the log whose handles pass each method through `hook`: what it returns replaces
 * the method (`original` is the handle's own, bound), undefined keeps it. Asked at every access,
 * so a hook can change its mind mid-test.
 */
const hookedOpen =
  (hook: (prop: string | symbol, original: Method, flags: OpenFlags) => Method | undefined) =>
  async (path: string, flags: OpenFlags): Promise<FileHandle> => {
    const h = await open(path, flags);
    return new Proxy(h, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        const original: Method = v.bind(target);
        return hook(prop, original, flags) ?? original;
      },
    });
  };

describe('decision log on disk (JSON Lines)', () => {
  it('reads back what was appended, newest first, also after a restart', async () => {
    const dir = tempDir('oa-log-');
    const now = () => new Date('2026-11-23T10:00:00Z');
    const log = JsonlDecisionLog.open(dir, { ...quiet, now });
    await log.append(decision(1));
    // The segment is zero-filled ahead of its data, so later appends change no file size (their fdatasync needs no journal commit).
    const file = join(dir, 'decisions-2026-11-001.jsonl');
    expect(statSync(file).size).to.equal(PREALLOC_BYTES);
    for (let n = 2; n <= 3; n++) await log.append(decision(n));
    expect(statSync(file).size).to.equal(PREALLOC_BYTES);
    expect(await log.get(decision(2).id)).to.deep.equal({ ...decision(2), feedback: [], reviews: [], awaitingReview: false, verdict: null });
    expect((await log.query({}, { offset: 0, limit: 10 })).items.map((v) => v.id)).to.deep.equal([3, 2, 1].map((n) => decision(n).id));
    await log.close();

    expect(segments(dir)).to.deep.equal(['decisions-2026-11-001.jsonl']);
    expect(readFileSync(file).subarray(Buffer.byteLength(dataOf(file))).equals(Buffer.alloc(PREALLOC_BYTES - Buffer.byteLength(dataOf(file))))).to.equal(true);
    const lines = dataOf(file).split('\n');
    expect(lines).to.have.length(4);
    expect(lines[3]).to.equal('');
    expect(JSON.parse(lines[0])).to.deep.equal({ type: 'decision', record: decision(1) });

    const again = JsonlDecisionLog.open(dir, quiet);
    expect(again.size).to.equal(3);
    expect(await again.get(decision(3).id)).to.deep.equal({ ...decision(3), feedback: [], reviews: [], awaitingReview: false, verdict: null });
    expect(await again.get('nope')).to.equal(undefined);
    await again.close();
  });

  it('keeps feedback and reviews as separate lines and builds the review queue from them', async () => {
    const dir = tempDir('oa-log-');
    const log = JsonlDecisionLog.open(dir, quiet);
    for (let n = 1; n <= 4; n++) await log.append(decision(n));
    await log.addFeedback({ decisionId: decision(1).id, at: '2026-11-23T10:00:00.000Z', by: decision(1).operator, verdict: 'helpful' });
    await log.addFeedback({ decisionId: decision(2).id, at: '2026-11-23T10:01:00.000Z', by: decision(2).operator, verdict: 'wrong', comment: 'Линия [не та](http://evil)' });
    await log.addFeedback({ decisionId: decision(3).id, at: '2026-11-23T10:02:00.000Z', by: decision(3).operator, verdict: 'wrong' });
    await log.addReview({ decisionId: decision(3).id, at: '2026-11-23T11:00:00.000Z', by: lead, note: 'Всё верно, процедура так говорит' });

    const queue = await log.query({ awaitingReview: true }, { offset: 0, limit: 10 });
    expect(queue.total).to.equal(1);
    expect(queue.items[0].id).to.equal(decision(2).id);
    expect(queue.items[0].feedback).to.deep.equal([{ decisionId: decision(2).id, at: '2026-11-23T10:01:00.000Z', by: decision(2).operator, verdict: 'wrong', comment: 'Линия [не та](http://evil)' }]);
    const reviewed = await log.get(decision(3).id);
    expect(reviewed?.awaitingReview).to.equal(false);
    expect(reviewed?.reviews.map((r) => r.note)).to.deep.equal(['Всё верно, процедура так говорит']);

    const before = dataOf(join(dir, segments(dir)[0]));
    let error: unknown;
    await log.addFeedback({ decisionId: 'forged', at: '2026-11-23T10:00:00.000Z', by: person, verdict: 'wrong' }).catch((e) => (error = e));
    expect(error).to.be.instanceOf(UnknownDecisionError);
    expect(dataOf(join(dir, segments(dir)[0]))).to.equal(before);
    await log.close();

    const lines = dataOf(join(dir, segments(dir)[0])).trimEnd().split('\n').map((l) => JSON.parse(l).type);
    expect(lines).to.deep.equal(['decision', 'decision', 'decision', 'decision', 'feedback', 'feedback', 'feedback', 'review']);
    const again = JsonlDecisionLog.open(dir, quiet);
    expect((await again.query({ awaitingReview: true }, { offset: 0, limit: 10 })).items.map((v) => v.id)).to.deep.equal([decision(2).id]);
    // A form submitted twice: the newest values are the decision's, also after a restart.
    await again.addFormValues({ decisionId: decision(4).id, at: '2026-11-23T12:00:00.000Z', by: decision(4).operator, formId: 'case', values: { phone: '1' } });
    await again.addFormValues({ decisionId: decision(4).id, at: '2026-11-23T12:01:00.000Z', by: decision(4).operator, formId: 'case', values: { phone: '2' } });
    expect((await again.get(decision(4).id))?.formValues).to.deep.equal({ phone: '2' });
    await again.close();
    const third = JsonlDecisionLog.open(dir, quiet);
    expect((await third.get(decision(4).id))?.formValues).to.deep.equal({ phone: '2' });
    expect((await third.get(decision(4).id))?.awaitingReview).to.equal(false);
    const all: string[] = [];
    for await (const e of third.entries()) all.push(`${e.record.id}:${e.feedback.length}/${e.reviews.length}/${e.formValues.length}`);
    expect(all).to.deep.equal([`${decision(1).id}:1/0/0`, `${decision(2).id}:1/0/0`, `${decision(3).id}:1/1/0`, `${decision(4).id}:0/0/2`]);
    await third.close();
  });

  it('filters by operator (Teams or AAD id), procedure, kind and dates, with paging', async () => {
    const dir = tempDir('oa-log-');
    const log = JsonlDecisionLog.open(dir, quiet);
    for (let n = 1; n <= 30; n++) await log.append(decision(n));
    const ids = async (f: Parameters<typeof log.query>[0], offset = 0, limit = 100) => (await log.query(f, { offset, limit })).items.map((v) => Number(v.id.slice(1)));
    expect(await ids({ operatorId: '29:operator-3' })).to.deep.equal([24, 17, 10, 3]);
    expect(await ids({ operatorId: '00000000-0000-4000-8000-000000000003' })).to.deep.equal([24, 17, 10, 3]);
    expect(await ids({ procedureId: 'case-find', kind: 'phrase' })).to.deep.equal([30, 24, 18, 12, 6]);
    expect(await ids({ from: decision(5).at, to: decision(7).at })).to.deep.equal([7, 6, 5]);
    const page = await log.query({}, { offset: 10, limit: 5 });
    expect(page.total).to.equal(30);
    expect(page.items.map((v) => Number(v.id.slice(1)))).to.deep.equal([20, 19, 18, 17, 16]);
    await log.close();
  });

  it('rotates to a new file by month and by size, and reads across files', async () => {
    const dir = tempDir('oa-log-');
    let now = new Date('2026-10-31T23:59:00Z');
    // Room for two decisions per file.
    const line = Buffer.byteLength(encodeEntry({ type: 'decision', record: decision(1) }));
    const log = JsonlDecisionLog.open(dir, { ...quiet, now: () => now, maxSegmentBytes: 2 * line + 300 });
    await log.append(decision(1));
    now = new Date('2026-11-01T00:01:00Z');
    for (let n = 2; n <= 5; n++) await log.append(decision(n));
    await log.addFeedback({ decisionId: decision(1).id, at: now.toISOString(), by: decision(1).operator, verdict: 'wrong' });
    await log.close();
    expect(segments(dir)).to.deep.equal(['decisions-2026-10-001.jsonl', 'decisions-2026-11-001.jsonl', 'decisions-2026-11-002.jsonl']);
    const again = JsonlDecisionLog.open(dir, quiet);
    expect(again.size).to.equal(5);
    expect((await again.get(decision(1).id))?.awaitingReview).to.equal(true);
    await again.close();
  });

  it('ignores a torn last line with a warning, leaves the file byte for byte as it was, and writes on in a new file', async () => {
    const dir = tempDir('oa-log-');
    const now = () => new Date('2026-11-23T10:00:00Z');
    const log = JsonlDecisionLog.open(dir, { ...quiet, now });
    await log.append(decision(1));
    await log.append(decision(2));
    await log.close();
    const file = join(dir, 'decisions-2026-11-001.jsonl');
    // The process was killed in the middle of writing the third line.
    writeAtDataEnd(file, encodeEntry({ type: 'decision', record: decision(3) }).slice(0, 300));
    const hash = sha(file);

    const warnings: string[] = [];
    const again = JsonlDecisionLog.open(dir, { now, log: (l) => warnings.push(l) });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include(`${file}:3`).and.include('incomplete').and.include('ignored');
    expect(again.size).to.equal(2);
    expect(await again.get(decision(3).id)).to.equal(undefined);
    expect(sha(file)).to.equal(hash);

    await again.append(decision(4));
    await again.close();
    expect(sha(file)).to.equal(hash);
    expect(segments(dir)).to.deep.equal(['decisions-2026-11-001.jsonl', 'decisions-2026-11-002.jsonl']);
    const third = JsonlDecisionLog.open(dir, { now, log: () => undefined });
    expect((await third.query({}, { offset: 0, limit: 10 })).items.map((v) => v.id)).to.deep.equal([decision(4).id, decision(2).id, decision(1).id]);
    await third.close();
  });

  it('treats bytes after the zeros as a torn write: warned, ignored, the file left as it was, and new lines go to a new file', async () => {
    const dir = tempDir('oa-log-');
    const now = () => new Date('2026-11-23T10:00:00Z');
    const log = JsonlDecisionLog.open(dir, { ...quiet, now });
    await log.append(decision(1));
    await log.close();
    const file = join(dir, 'decisions-2026-11-001.jsonl');
    // A power loss wrote the second page of a line but not its first: zeros, then the line's tail.
    const tail = encodeEntry({ type: 'decision', record: decision(2) }).slice(100);
    const fd = openSync(file, 'r+');
    writeSync(fd, tail, Buffer.byteLength(dataOf(file)) + 100);
    closeSync(fd);
    const hash = sha(file);

    const warnings: string[] = [];
    const again = JsonlDecisionLog.open(dir, { now, log: (l) => warnings.push(l) });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include(`${file}:2`).and.include('after the end of the data').and.include('ignored');
    expect(again.size).to.equal(1);
    await again.append(decision(3));
    await again.close();
    expect(sha(file)).to.equal(hash);
    expect(segments(dir)).to.deep.equal(['decisions-2026-11-001.jsonl', 'decisions-2026-11-002.jsonl']);
    const third = JsonlDecisionLog.open(dir, { now, log: () => undefined });
    expect((await third.query({}, { offset: 0, limit: 10 })).items.map((v) => v.id)).to.deep.equal([decision(3).id, decision(1).id]);
    await third.close();
  });

  it('zero-fills the next stretch ahead while lines go on, and reads every line back across it', async () => {
    const dir = tempDir('oa-log-');
    const log = JsonlDecisionLog.open(dir, { ...quiet, now: () => new Date('2026-11-23T10:00:00Z') });
    const file = join(dir, 'decisions-2026-11-001.jsonl');
    const line = Buffer.byteLength(encodeEntry({ type: 'decision', record: decision(1) }));
    const count = Math.ceil(PREALLOC_BYTES / line) + 10; // past the first stretch
    for (let n = 1; n <= count; n++) await log.append(decision(n));
    await log.close();
    expect(statSync(file).size).to.equal(2 * PREALLOC_BYTES);
    expect(dataOf(file).split('\n')).to.have.length(count + 1);
    const again = JsonlDecisionLog.open(dir, quiet);
    expect(again.size).to.equal(count);
    expect((await again.get(decision(count).id))?.id).to.equal(decision(count).id);
    await again.close();
  });

  it('appends to a segment written without zeros (an older log), zero-filling it from its end', async () => {
    const dir = tempDir('oa-log-');
    const file = join(dir, 'decisions-2026-11-001.jsonl');
    writeFileSync(file, encodeEntry({ type: 'decision', record: decision(1) }));
    const log = JsonlDecisionLog.open(dir, { ...quiet, now: () => new Date('2026-11-23T10:00:00Z') });
    await log.append(decision(2));
    await log.close();
    expect(segments(dir)).to.deep.equal(['decisions-2026-11-001.jsonl']);
    expect(dataOf(file)).to.equal(encodeEntry({ type: 'decision', record: decision(1) }) + encodeEntry({ type: 'decision', record: decision(2) }));
    const again = JsonlDecisionLog.open(dir, quiet);
    expect(again.size).to.equal(2);
    await again.close();
  });

  it('reads delivery lines back; a torn one is ignored like any other line, and one with an unknown delivery stops the start', async () => {
    const dir = tempDir('oa-log-');
    const now = () => new Date('2026-11-23T10:00:00Z');
    const log = JsonlDecisionLog.open(dir, { ...quiet, now });
    await log.append(decision(1));
    await log.append(decision(2));
    await log.markDelivery({ decisionId: decision(1).id, at: now().toISOString(), delivery: 'undelivered', reason: 'turn failed: storage unavailable' });
    await log.close();
    const file = join(dir, 'decisions-2026-11-001.jsonl');
    // Killed while writing the mark of the second decision.
    writeAtDataEnd(file, encodeEntry({ type: 'delivery', event: { decisionId: decision(2).id, at: now().toISOString(), delivery: 'undelivered' } }).slice(0, 40));
    const warnings: string[] = [];
    const again = JsonlDecisionLog.open(dir, { now, log: (l) => warnings.push(l) });
    expect(warnings).to.have.length(1);
    expect((await again.query({ undelivered: true }, { offset: 0, limit: 10 })).items.map((v) => v.id)).to.deep.equal([decision(1).id]);
    await again.close();

    const broken = tempDir('oa-log-');
    writeFileSync(
      join(broken, 'decisions-2026-11-001.jsonl'),
      encodeEntry({ type: 'decision', record: decision(1) }) + encodeEntry({ type: 'delivery', event: { decisionId: decision(1).id, at: now().toISOString(), delivery: 'lost' as 'delivered' } }),
    );
    expect(() => JsonlDecisionLog.open(broken, quiet)).to.throw(StorageFileError, ':2: corrupted decision log entry: a delivery other than undelivered or delivered');
  });

  it('refuses to start on a corrupted line in the middle, naming file and line, and changes nothing', async () => {
    const dir = tempDir('oa-log-');
    const log = JsonlDecisionLog.open(dir, quiet);
    for (let n = 1; n <= 3; n++) await log.append(decision(n));
    await log.close();
    const file = join(dir, segments(dir)[0]);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = lines[1].slice(0, 200); // cut short, but the line still ends with a newline
    writeFileSync(file, lines.join('\n'));
    const hash = sha(file);

    expect(() => JsonlDecisionLog.open(dir, quiet)).to.throw(StorageFileError, `${file}:2: corrupted decision log entry, not valid JSON`);
    expect(sha(file)).to.equal(hash);

    lines[1] = JSON.stringify({ type: 'feedback', event: { decisionId: 'x', at: '2026-11-23T10:00:00Z', verdict: 'wrong' } });
    writeFileSync(file, lines.join('\n'));
    expect(() => JsonlDecisionLog.open(dir, quiet)).to.throw(StorageFileError, `${file}:2: corrupted decision log: feedback for decision x, which is not in the log`);
  });

  it('under concurrent appends, resolves each only after an fdatasync that began after its write, sharing writes and syncs', async () => {
    const dir = tempDir('oa-log-group-');
    const events: string[] = [];
    /** Where in `events` each decision's line was written. */
    const writtenAt = new Map<string, number>();
    const openLogged = hookedOpen((prop, original) => {
      if (prop === 'write')
        return async (...args: unknown[]) => {
          const r = await original(...args);
          const text = (args[0] as Buffer).toString('utf8');
          for (const line of text.split('\n').filter((l) => l.startsWith('{'))) {
            const id = (JSON.parse(line) as { record?: { id: string } }).record?.id;
            if (id) expect(writtenAt.has(id), `${id} written twice`).to.equal(false), writtenAt.set(id, events.length);
          }
          events.push('write');
          return r;
        };
      if (prop === 'datasync') return async () => { events.push('sync-start'); await original(); events.push('sync-end'); };
      return undefined;
    });
    const log = JsonlDecisionLog.open(dir, { now: () => new Date('2026-11-23T10:00:00Z'), open: openLogged, log: () => undefined });
    // The first append also zero-fills the new segment; the 50 below go into that stretch.
    await log.append(decision(100));
    events.length = 0;
    writtenAt.clear();
    const appends = Array.from({ length: 50 }, (_, i) =>
      log.append(decision(i + 1)).then(() => {
        // Some sync must have started after this append's write and ended since.
        const writeAt = writtenAt.get(decision(i + 1).id);
        expect(writeAt, `append ${i + 1} written`).to.be.a('number');
        const syncStartAfter = events.indexOf('sync-start', writeAt);
        expect(syncStartAfter, `append ${i + 1}`).to.be.greaterThan(writeAt!);
        expect(events.indexOf('sync-end', syncStartAfter), `append ${i + 1}`).to.be.greaterThan(syncStartAfter);
      }),
    );
    await Promise.all(appends);
    const syncs = events.filter((e) => e === 'sync-start').length;
    expect(writtenAt.size).to.equal(50);
    // Lines queued while a write is in flight go out together in the next one.
    expect(events.filter((e) => e === 'write').length).to.be.within(1, 49);
    expect(syncs).to.be.within(1, 49);
    expect((await log.query({}, { offset: 0, limit: 100 })).total).to.equal(51);
    await log.close();
    expect((await JsonlDecisionLog.open(dir, quiet).query({}, { offset: 0, limit: 100 })).total).to.equal(51);
  });

  it('a short write of a batch: the lines written whole are logged, the rest refused, and new lines go to a new file', async () => {
    const dir = tempDir('oa-log-short-');
    let shortOnce = false;
    const openShort = hookedOpen((prop, original) =>
      prop === 'write' && shortOnce
        ? (buf: Buffer, offset: number, length: number, position: number) => {
            shortOnce = false;
            // The first line and half of the second reach the file.
            const first = buf.indexOf(10) + 1;
            return original(buf, offset, first + Math.floor((length - first) / 4), position);
          }
        : undefined,
    );
    const log = JsonlDecisionLog.open(dir, { now: () => new Date('2026-11-23T10:00:00Z'), open: openShort, log: () => undefined });
    await log.append(decision(1));
    shortOnce = true;
    const outcomes = await Promise.allSettled([2, 3, 4].map((n) => log.append(decision(n))));
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'rejected']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).to.contain('short write');
    await log.append(decision(5));
    expect(segments(dir)).to.have.length(2);
    await log.close();
    const reopened = JsonlDecisionLog.open(dir, { log: () => undefined });
    expect((await reopened.query({}, { offset: 0, limit: 10 })).items.map((v) => v.id)).to.deep.equal([5, 2, 1].map((n) => decision(n).id));
    await reopened.close();
  });

  it('feedback queued right behind its decision sees it logged', async () => {
    const dir = tempDir('oa-log-batch-feedback-');
    const log = JsonlDecisionLog.open(dir, { now: () => new Date('2026-11-23T10:00:00Z'), log: () => undefined });
    await log.append(decision(1));
    const at = '2026-11-23T10:00:00.000Z';
    const by = { id: decision(2).operator.id, name: decision(2).operator.name };
    await Promise.all([log.append(decision(2)), log.append(decision(3)), log.addFeedback({ decisionId: decision(2).id, at, by, verdict: 'helpful' })]);
    expect((await log.get(decision(2).id))?.verdict).to.equal('helpful');
    await log.close();
  });

  describe('sync modes', () => {
    const now = () => new Date('2026-11-23T10:00:00Z');
    /** Handles whose datasync the test holds and fails at will; `events` records writes and syncs in order. */
    function controlled() {
      const events: string[] = [];
      let failWith: Error | undefined;
      let failWrite: Error | undefined;
      let held: Promise<void> | undefined;
      const open_ = hookedOpen((prop, original, flags) => {
        if (prop === 'write')
          return async (...args: unknown[]) => {
            if (failWrite) throw failWrite;
            const r = await original(...args);
            events.push('write');
            return r;
          };
        if (prop === 'datasync')
          return async () => {
            events.push('sync');
            await held;
            if (failWith) throw failWith;
            await original();
          };
        if (prop === 'close')
          return async () => {
            events.push(`close ${flags}`);
            await original();
          };
        return undefined;
      });
      /** The one pending timer, fired by the test instead of the clock. */
      const timers: { run: () => void; ms: number; cancelled: boolean }[] = [];
      const timer = (run: () => void, ms: number) => {
        const t = { run, ms, cancelled: false };
        timers.push(t);
        return () => (t.cancelled = true);
      };
      const pending = () => timers.filter((t) => !t.cancelled);
      const fire = async () => {
        const due = pending();
        timers.length = 0;
        for (const t of due) t.run();
        // Let the sync it started run to its end.
        await new Promise((r) => setTimeout(r, 20));
      };
      return {
        events,
        open: open_,
        timer,
        pending,
        fire,
        failSync: (e?: Error) => (failWith = e),
        /** Holds every sync until the returned function is called. */
        holdSyncs: () => {
          let release!: () => void;
          held = new Promise<void>((r) => (release = r));
          return () => ((held = undefined), release());
        },
        failWrite: (e?: Error) => (failWrite = e),
      };
    }
    const eio = () => Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });

    it('strict: an append resolves only after its fdatasync has finished', async () => {
      const dir = tempDir('oa-log-strict-');
      const io = controlled();
      const log = JsonlDecisionLog.open(dir, { now, open: io.open, sync: 'strict', log: () => undefined });
      await log.append(decision(1));
      io.events.length = 0;
      const release = io.holdSyncs();
      let resolved = false;
      const appended = log.append(decision(2)).then(() => (resolved = true));
      await new Promise((r) => setTimeout(r, 50));
      expect(io.events).to.deep.equal(['write', 'sync']);
      expect(resolved).to.equal(false);
      release();
      await appended;
      // A sync that fails refuses the append: it is never acknowledged as logged.
      io.failSync(eio());
      let refused: unknown;
      await log.append(decision(3)).catch((e) => (refused = e));
      expect(String(refused)).to.contain('EIO');
      expect(io.pending()).to.deep.equal([]);
      io.failSync(undefined);
      await log.close();
    });

    it(`deferred: an append resolves after its write, before any sync; one sync follows within ${DEFERRED_SYNC_MS} ms for every line written meanwhile`, async () => {
      const dir = tempDir('oa-log-deferred-');
      const io = controlled();
      const log = JsonlDecisionLog.open(dir, { now, open: io.open, sync: 'deferred', timer: io.timer, log: () => undefined });
      await log.append(decision(1)); // the new segment's zero-fill is synced here, as in strict mode
      await io.fire();
      io.events.length = 0;

      for (let n = 2; n <= 4; n++) await log.append(decision(n));
      await log.addFeedback({ decisionId: decision(2).id, at: '2026-11-23T10:01:00.000Z', by: decision(2).operator, verdict: 'helpful' });
      expect(io.events).to.deep.equal(['write', 'write', 'write', 'write']);
      // Written: the OS holds the lines, so another process (the bot after a SIGKILL) reads them now.
      const file = join(dir, 'decisions-2026-11-001.jsonl');
      expect(dataOf(file).split('\n').filter(Boolean)).to.have.length(5);
      expect(io.pending().map((t) => t.ms)).to.deep.equal([DEFERRED_SYNC_MS]);

      await io.fire();
      expect(io.events).to.deep.equal(['write', 'write', 'write', 'write', 'sync']);
      expect(io.pending()).to.deep.equal([]);
      expect(log.syncProblem()).to.equal(undefined);

      // A line not yet synced at close is synced by close.
      await log.append(decision(5));
      await log.close();
      expect(io.events.slice(-3)).to.deep.equal(['write', 'sync', 'close wx']);
      expect(JsonlDecisionLog.open(dir, quiet).size).to.equal(5);
    });

    it('deferred: a segment\'s lines are synced before its file is closed for the next segment', async () => {
      const dir = tempDir('oa-log-deferred-rotate-');
      const io = controlled();
      const line = Buffer.byteLength(encodeEntry({ type: 'decision', record: decision(1) }));
      const log = JsonlDecisionLog.open(dir, { now, open: io.open, sync: 'deferred', timer: io.timer, maxSegmentBytes: 2 * line + 10, log: () => undefined });
      for (let n = 1; n <= 3; n++) await log.append(decision(n));
      expect(segments(dir)).to.have.length(2);
      const closed = io.events.indexOf('close wx');
      expect(io.events.slice(0, closed).filter((e) => e === 'write').length).to.be.greaterThan(2); // its zeros and two lines
      expect(io.events.lastIndexOf('sync', closed)).to.be.greaterThan(io.events.lastIndexOf('write', closed));
      await log.close();
    });

    it('a refused sync of a new segment: deferred writes the line and reports it; strict fails the line and reports it', async () => {
      for (const sync of ['deferred', 'strict'] as const) {
        const dir = tempDir(`oa-log-${sync}-first-`);
        const io = controlled();
        const warnings: string[] = [];
        const log = JsonlDecisionLog.open(dir, { now, open: io.open, sync, timer: io.timer, log: (l) => warnings.push(l) });
        io.failSync(eio());
        let refused: unknown;
        await log.append(decision(1)).catch((e) => (refused = e));
        if (sync === 'deferred') {
          expect(refused, sync).to.equal(undefined);
          expect((await log.get(decision(1).id))?.id, sync).to.equal(decision(1).id);
        } else expect(String(refused), sync).to.contain('EIO');
        expect(log.syncProblem(), sync).to.match(/^decision log: fdatasync of .*decisions-2026-11-001\.jsonl failed at .*EIO/);
        expect(warnings[0], sync).to.contain('EIO');
        io.failSync(undefined);
        await log.close();
      }
    });

    it('deferred: a failed write fails the append; a failed sync is logged, retried and reported, and loses no line', async () => {
      const dir = tempDir('oa-log-deferred-fail-');
      const io = controlled();
      const warnings: string[] = [];
      const log = JsonlDecisionLog.open(dir, { now, open: io.open, sync: 'deferred', timer: io.timer, log: (l) => warnings.push(l) });
      await log.append(decision(1));
      await io.fire();

      io.failWrite(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      let refused: unknown;
      await log.append(decision(2)).catch((e) => (refused = e));
      expect(String(refused)).to.contain('ENOSPC');
      expect(await log.get(decision(2).id)).to.equal(undefined);
      io.failWrite(undefined);

      await log.append(decision(3));
      io.failSync(eio());
      await io.fire();
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(/^decision log: fdatasync of .*decisions-2026-11-00\d\.jsonl failed at .*: EIO: i\/o error, fdatasync; entries written since may not be on disk/);
      expect(log.syncProblem()).to.contain('EIO');
      // Retried later, with the line still there.
      expect(io.pending()).to.have.length(1);
      io.failSync(undefined);
      await io.fire();
      expect(io.events.filter((e) => e === 'sync').length).to.be.greaterThan(2);
      expect(io.pending()).to.deep.equal([]);
      // Still reported: after a failed fdatasync the kernel may have dropped those pages, so a later success proves nothing about them.
      expect(log.syncProblem()).to.contain('EIO');
      expect((await log.get(decision(3).id))?.id).to.equal(decision(3).id);
      await log.close();
      const again = JsonlDecisionLog.open(dir, quiet);
      expect((await again.query({}, { offset: 0, limit: 10 })).items.map((v) => v.id)).to.deep.equal([decision(3).id, decision(1).id]);
      await again.close();
    });
  });

  describe('with 100,000 decisions', function () {
    this.timeout(120_000);
    let big: string;
    const made: string[] = [];
    after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

    before(() => {
      big = tempDir('oa-log-big-');
      made.push(big);
      const file = join(big, 'decisions-2026-11-001.jsonl');
      const lines: string[] = [];
      for (let n = 1; n <= 100_000; n++) {
        lines.push(encodeEntry({ type: 'decision', record: decision(n) }));
        if (n % 10_000 === 0) appendFileSync(file, lines.splice(0).join(''));
      }
    });

    /** Opens files through a wrapper that counts every operation on them, and the bytes written. */
    function counted() {
      const ops: Record<string, number> = {};
      let bytes = 0;
      const count = (op: string) => (ops[op] = (ops[op] ?? 0) + 1);
      const handles = hookedOpen((prop, original) => (...args: unknown[]) => {
        count(String(prop));
        const result = original(...args);
        if (prop === 'write') return result.then((r: { bytesWritten: number }) => ((bytes += r.bytesWritten), r));
        return result;
      });
      const openCounted = (path: string, flags: OpenFlags) => (count(`open:${flags}`), handles(path, flags));
      return { ops, bytes: () => bytes, open: openCounted, reset: () => (Object.keys(ops).forEach((k) => delete ops[k]), (bytes = 0)) };
    }

    /** Appends 20 decisions and 20 feedback events after a warm-up append; returns what it cost on disk. */
    async function appendCost(dir: string) {
      const io = counted();
      const now = () => new Date('2026-11-23T10:00:00Z');
      const log = JsonlDecisionLog.open(dir, { now, open: io.open, log: () => undefined });
      await log.append(decision(900_000));
      io.reset();
      const dirSize = () => segments(dir).reduce((sum, f) => sum + Buffer.byteLength(dataOf(join(dir, f))), 0);
      const sizeBefore = dirSize();
      for (let n = 900_001; n <= 900_020; n++) {
        await log.append(decision(n));
        await log.addFeedback({ decisionId: decision(n).id, at: '2026-11-23T10:00:00.000Z', by: decision(n).operator, verdict: 'wrong', comment: 'не та линия' });
      }
      const cost = { ops: { ...io.ops }, bytes: io.bytes(), grown: dirSize() - sizeBefore };
      await log.close();
      return cost;
    }

    it('costs the same per append as with 10: one write of the line and one fdatasync, nothing read', async () => {
      const small = tempDir('oa-log-small-');
      writeFileSync(join(small, 'decisions-2026-11-001.jsonl'), Array.from({ length: 10 }, (_, i) => encodeEntry({ type: 'decision', record: decision(i + 1) })).join(''));
      const copy = tempDir('oa-log-copy-');
      made.push(small, copy);
      writeFileSync(join(copy, 'decisions-2026-11-001.jsonl'), readFileSync(join(big, 'decisions-2026-11-001.jsonl')));

      const at10 = await appendCost(small);
      const at100k = await appendCost(copy);
      expect(at10.ops).to.deep.equal({ write: 40, datasync: 40 });
      expect(at100k.ops).to.deep.equal(at10.ops);
      expect(at100k.bytes).to.equal(at10.bytes);
      expect(at10.grown).to.equal(at10.bytes);
      expect(at100k.grown).to.equal(at100k.bytes);
      // Per append: exactly the bytes of its own line.
      const line = Buffer.byteLength(encodeEntry({ type: 'decision', record: decision(900_001) }));
      expect(at10.bytes).to.be.within(20 * line, 20 * line + 20 * 400);
    });

    it('loads 100,000 decisions into well under 150 MB of resident memory and queries them', () => {
      // A fresh process, so the number is this log's and not the test runner's.
      const script = `
        import { JsonlDecisionLog } from './src/bot/infra/decisionLog/jsonlDecisionLog.ts';
        globalThis.gc?.();
        const heap0 = process.memoryUsage().heapUsed;
        const log = JsonlDecisionLog.open(${JSON.stringify(big)}, { log: () => undefined });
        globalThis.gc?.();
        const page = await log.query({ operatorId: '29:operator-3', kind: 'phrase' }, { offset: 0, limit: 50 });
        const m = process.memoryUsage();
        console.log(JSON.stringify({ size: log.size, total: page.total, first: page.items[0].id, rss: m.rss, heap: m.heapUsed, heap0 }));
      `;
      const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      const m = JSON.parse(r.stdout.trim().split('\n').pop()!);
      console.log(`      100,000 decisions loaded: process rss ${(m.rss / 2 ** 20).toFixed(0)} MB, index heap ${((m.heap - m.heap0) / 2 ** 20).toFixed(0)} MB`);
      expect(m.size).to.equal(100_000);
      expect(m.total).to.equal(Math.floor(100_000 / 21) + 1);
      expect(m.first).to.equal(decision(99_984).id);
      expect(m.rss).to.be.below(150 * 2 ** 20);
      // What the index itself keeps (the rest of RSS is node, tsx and V8's young generation).
      expect(m.heap - m.heap0).to.be.below(40 * 2 ** 20);
    });
  });
});

// Every sync mode keeps the same contract; `off` (no syncs) keeps the many other tests fast.
for (const sync of ['off', 'deferred', 'strict'] as SyncMode[])
  decisionLogContract(`JSON Lines files, sync ${sync}`, async () => {
    const dir = tempDir('oa-contract-');
    const options = { ...quiet, sync };
    let log = JsonlDecisionLog.open(dir, options);
    return {
      log,
      reopen: async () => {
        await log.close();
        return (log = JsonlDecisionLog.open(dir, options));
      },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  });
