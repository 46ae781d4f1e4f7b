import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { LowdbStorage, StorageFileError } from '../../src/bot/storage/lowdbStorage.js';
import { tempDir } from '../support/http.js';

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
});
