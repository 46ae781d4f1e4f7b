import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { StorageFileError } from '../../src/bot/errors.js';
import { LowdbStorage } from '../../src/bot/infra/storage/lowdbStorage.js';
import { tempDir } from '../support/http.js';
import { repoRoot } from '../support/kb.js';

describe('bot: lowdb storage (botbuilder Storage)', () => {
  it('reads back what it wrote, with a fresh eTag, across instances (a restart)', async () => {
    const dir = tempDir();
    await new LowdbStorage(dir).write({ 'conv/1': { step: 2, text: 'Привет' } });
    const items = await new LowdbStorage(dir).read(['conv/1', 'missing']);
    expect(items['conv/1']).to.include({ step: 2, text: 'Привет' });
    expect(items['conv/1'].eTag).to.be.a('string').and.not.empty;
    expect(items).not.to.have.property('missing');
  });

  it('refuses a write with a stale eTag and accepts "*"', async () => {
    const s = new LowdbStorage(tempDir());
    await s.write({ k: { n: 1 } });
    const first = (await s.read(['k'])).k;
    await s.write({ k: { ...first, n: 2 } });
    let refused: unknown;
    await s.write({ k: { ...first, n: 3 } }).catch((e) => (refused = e));
    expect(String(refused)).to.match(/eTag conflict/);
    expect((await s.read(['k'])).k.n).to.equal(2);
    await s.write({ k: { n: 4, eTag: '*' } });
    expect((await s.read(['k'])).k.n).to.equal(4);
  });

  it('a write that fails on disk leaves the key as the file holds it, so a repeated write with the old eTag succeeds', async () => {
    const dir = tempDir();
    const s = new LowdbStorage(dir);
    await s.write({ k: { n: 1 } });
    const first = (await s.read(['k'])).k;
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.json'));
    // A directory where the temporary file goes: the write cannot reach the disk.
    mkdirSync(join(dir, `.${file}.tmp`));
    let failed: unknown;
    await s.write({ k: { ...first, n: 2 } }).catch((e) => (failed = e));
    expect(failed).to.be.instanceOf(Error);
    expect((await s.read(['k'])).k).to.deep.equal(first);
    rmdirSync(join(dir, `.${file}.tmp`));
    await s.write({ k: { ...first, n: 3 } });
    expect((await new LowdbStorage(dir).read(['k'])).k.n).to.equal(3);
  });

  it('loses no update when many writers race (each retries on conflict)', async () => {
    const dir = tempDir();
    const s = new LowdbStorage(dir);
    await s.write({ counter: { n: 0 } });
    const increment = async () => {
      for (;;) {
        const item = (await s.read(['counter'])).counter;
        try {
          await s.write({ counter: { ...item, n: item.n + 1 } });
          return;
        } catch (e) {
          if (!/eTag conflict/.test(String(e))) throw e;
        }
      }
    };
    await Promise.all(Array.from({ length: 200 }, increment));
    expect((await s.read(['counter'])).counter.n).to.equal(200);
    expect((await new LowdbStorage(dir).read(['counter'])).counter.n).to.equal(200);
  });

  it('keeps one small file per key, so a write does not grow with the number of conversations', async () => {
    const dir = tempDir();
    const s = new LowdbStorage(dir);
    await s.write(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`conv/${i}`, { i }])));
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files).to.have.length(50);
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8').length).to.be.below(200);
  });

  it('deletes a key', async () => {
    const s = new LowdbStorage(tempDir());
    await s.write({ gone: { x: 1 } });
    await s.delete(['gone']);
    expect(await s.read(['gone'])).to.deep.equal({});
  });

  it('names a corrupted file, refuses to start on it, and leaves it byte-for-byte as it was', async () => {
    const dir = tempDir();
    await new LowdbStorage(dir).write({ k: { n: 1 } });
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.json'));
    writeFileSync(join(dir, file), '{"key": "k", "eTag": "1", "item": {"n": 1');
    const broken = readFileSync(join(dir, file));
    const s = new LowdbStorage(dir);
    expect(() => s.verify()).to.throw(StorageFileError, new RegExp(`${file}: not valid JSON`));
    let error: unknown;
    await s.read(['k']).catch((e) => (error = e));
    expect(error).to.be.instanceOf(StorageFileError);
    await s.write({ k: { n: 2, eTag: '*' } }).catch(() => undefined);
    expect(readFileSync(join(dir, file)).equals(broken)).to.equal(true);
  });

  it('names a file whose JSON is not a state document', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.json'), '[1,2,3]');
    expect(() => new LowdbStorage(dir).verify()).to.throw(StorageFileError, /x\.json: not a state document/);
  });

  it('keeps at most maxCachedDocuments in memory over 30,000 conversations; evicted ones read back from disk', async function () {
    this.timeout(180_000);
    const dir = tempDir();
    const s = new LowdbStorage(dir, { maxCachedDocuments: 1000 });
    let largest = 0;
    for (let batch = 0; batch < 60; batch++) {
      await s.write(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`conv/${batch * 500 + i}`, { n: batch * 500 + i, text: 'шаг' }])));
      largest = Math.max(largest, s.cachedDocuments);
    }
    expect(largest).to.be.at.most(1000);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).to.have.length(30_000);
    // The first conversations were evicted long ago: read from disk, with their eTags.
    const early = (await s.read(['conv/0', 'conv/1', 'conv/29999']));
    expect([early['conv/0'].n, early['conv/1'].n, early['conv/29999'].n]).to.deep.equal([0, 1, 29999]);
    expect(s.cachedDocuments).to.be.at.most(1000);
    // An eTag read before eviction is still checked after the document is read back.
    const stale = early['conv/0'];
    await s.write({ 'conv/0': { ...stale, n: 'new' } });
    for (let i = 0; i < 1500; i++) await s.read([`conv/${1000 + i}`]);
    let refused: unknown;
    await s.write({ 'conv/0': { ...stale, n: 'lost?' } }).catch((e) => (refused = e));
    expect(String(refused)).to.match(/eTag conflict/);
    expect((await s.read(['conv/0']))['conv/0'].n).to.equal('new');
  });

  it('loses no update under racing writers on many keys with a cache far smaller than the keys', async () => {
    const s = new LowdbStorage(tempDir(), { maxCachedDocuments: 4 });
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    const increment = async (key: string) => {
      for (;;) {
        const item = (await s.read([key]))[key] ?? { n: 0 };
        try {
          await s.write({ [key]: { ...item, n: item.n + 1, eTag: item.eTag ?? '*' } });
          return;
        } catch (e) {
          if (!/eTag conflict/.test(String(e))) throw e;
        }
      }
    };
    await s.write(Object.fromEntries(keys.map((k) => [k, { n: 0 }])));
    await Promise.all(Array.from({ length: 400 }, (_, i) => increment(keys[i % keys.length])));
    const all = await new LowdbStorage(s.dir).read(keys);
    expect(keys.map((k) => all[k].n)).to.deep.equal(keys.map(() => 20));
  });

  it('at start removes the temporary files of killed writes, and nothing else', async () => {
    const dir = tempDir();
    await new LowdbStorage(dir).write({ k: { n: 1 } });
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.json'));
    writeFileSync(join(dir, `.${file}.tmp`), '{"key": "k", "eTag": "x", "item": {"n"');
    writeFileSync(join(dir, 'notes.json.tmp'), 'mine');
    writeFileSync(join(dir, `.${file}.tmp.bak`), 'mine too');
    const s = new LowdbStorage(dir);
    expect(s.verifyAtStart()).to.deep.include({ removedTemp: 1 });
    expect(readdirSync(dir).sort()).to.deep.equal([`.${file}.tmp.bak`, file, 'notes.json.tmp'].sort());
    expect((await s.read(['k'])).k.n).to.equal(1);
  });

  it('at start parses only documents changed since the last clean close; a broken older one is named when read', async () => {
    const dir = tempDir();
    const first = new LowdbStorage(dir);
    await first.write({ old: { n: 1 }, changed: { n: 2 } });
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    // Both documents are older than the clean close.
    const past = new Date(Date.now() - 60_000);
    for (const f of files) utimesSync(join(dir, f), past, past);
    first.markClean();
    // Damaged without its time changing (a disk fault): not read at start, refused when a turn reads it.
    const oldFile = files.find((f) => readFileSync(join(dir, f), 'utf8').includes('"old"'))!;
    writeFileSync(join(dir, oldFile), '{"key": "old", "eTag"');
    utimesSync(join(dir, oldFile), past, past);
    const second = new LowdbStorage(dir);
    expect(second.verifyAtStart()).to.deep.equal({ checked: 0, removedTemp: 0 });
    let error: unknown;
    await second.read(['old']).catch((e) => (error = e));
    expect(error).to.be.instanceOf(StorageFileError);
    expect(String(error)).to.include(oldFile);
    expect((await second.read(['changed'])).changed.n).to.equal(2);
    // Edited after the clean close: checked at start, and the start is refused naming it.
    const changedFile = files.find((f) => f !== oldFile)!;
    writeFileSync(join(dir, changedFile), '[]');
    expect(() => new LowdbStorage(dir).verifyAtStart()).to.throw(StorageFileError, new RegExp(`${changedFile}: not a state document`));
  });

  it('does not keep a process alive once its writes are done: a script that opens a store, or writes and stops, exits', function () {
    this.timeout(60_000);
    const dir = tempDir();
    for (const body of ['', `await s.write({ k: { n: 1 } }); console.log(Object.keys(await s.read(['k'])).join());`]) {
      // A file, not `-e`: `--input-type=module` would reach the writer thread's evaluated code too.
      const script = join(tempDir(), 'script.mts');
      writeFileSync(script, `import { LowdbStorage } from ${JSON.stringify(join(repoRoot, 'src/bot/infra/storage/lowdbStorage.ts'))}; const s = new LowdbStorage(${JSON.stringify(dir)}); ${body}`);
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
      expect(r.signal, 'still running after 30 s').to.equal(null);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout.trim()).to.equal(body ? 'k' : '');
    }
  });

  it('after the start has listed the directory, reads every document listed or written since, evicted or not, and takes an unlisted key as new', async () => {
    const dir = tempDir();
    await new LowdbStorage(dir).write({ listed: { n: 1 } });
    const storage = new LowdbStorage(dir, { maxCachedDocuments: 2 });
    storage.verifyAtStart();
    await storage.write({ later: { n: 2 } });
    // Evicts both from the cache: they are read back from their files.
    for (let i = 0; i < 5; i++) await storage.write({ [`other-${i}`]: { i } });
    expect(storage.cachedDocuments).to.equal(2);
    const back = await storage.read(['listed', 'later', 'other-0', 'never']);
    expect(Object.keys(back).sort()).to.deep.equal(['later', 'listed', 'other-0']);
    expect([back.listed.n, back.later.n, back['other-0'].i]).to.deep.equal([1, 2, 0]);
    // A document another program puts into the directory while this one runs is not looked for (one process per directory) …
    await new LowdbStorage(dir).write({ outside: { n: 3 } });
    expect(await storage.read(['outside'])).to.deep.equal({});
    // … and is read after the next start.
    const restarted = new LowdbStorage(dir);
    restarted.verifyAtStart();
    expect((await restarted.read(['outside'])).outside.n).to.equal(3);
  });
});
