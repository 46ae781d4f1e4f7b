import { MemoryStorage, TestAdapter, TurnContext, type StoreItems } from 'botbuilder';
import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonChangeState } from '../../src/bot/infra/storage/jsonChangeState.js';
import { LowdbStorage } from '../../src/bot/infra/storage/lowdbStorage.js';

/** MemoryStorage that records every write it is asked for. */
class RecordingStorage extends MemoryStorage {
  writes: StoreItems[] = [];
  override async write(changes: StoreItems): Promise<void> {
    this.writes.push(structuredClone(changes));
    return super.write(changes);
  }
}

const turn = () => new TurnContext(new TestAdapter(), { type: 'message', channelId: 'test', conversation: { id: 'c1' } as never, text: 'hi' });

describe('bot: conversation state saved only when its JSON changed', () => {
  it('writes a changed state with eTag "*", skips an unchanged one, and reads back what it wrote', async () => {
    const storage = new RecordingStorage();
    const state = new JsonChangeState(storage);
    const step = state.createProperty<{ n: number }>('step');

    const first = turn();
    await step.set(first, { n: 1 });
    await state.saveChanges(first);
    expect(storage.writes).to.have.length(1);
    expect(Object.values(storage.writes[0])[0]).to.deep.include({ step: { n: 1 }, eTag: '*' });

    const unchanged = turn();
    expect(await step.get(unchanged)).to.deep.equal({ n: 1 });
    await state.saveChanges(unchanged);
    expect(storage.writes).to.have.length(1);

    const changed = turn();
    (await step.get(changed))!.n = 2;
    await state.saveChanges(changed);
    // Saved again in the same turn without a change: nothing more to write.
    await state.saveChanges(changed);
    expect(storage.writes).to.have.length(2);
    expect(await step.get(turn())).to.deep.equal({ n: 2 });
  });

  it('writes after clear() and when forced, deletes, and saves nothing for a turn that never loaded it', async () => {
    const storage = new RecordingStorage();
    const state = new JsonChangeState(storage);
    const step = state.createProperty<{ n: number }>('step');
    const untouched = turn();
    await state.saveChanges(untouched);
    expect(storage.writes).to.have.length(0);

    const context = turn();
    await step.set(context, { n: 1 });
    await state.saveChanges(context);
    await state.saveChanges(context, true);
    expect(storage.writes).to.have.length(2);
    await state.clear(context);
    expect(state.get(context)).to.deep.equal({});
    await state.saveChanges(context);
    expect(storage.writes).to.have.length(3);
    expect(await step.get(turn())).to.equal(undefined);

    await step.set(context, { n: 5 });
    await state.saveChanges(context);
    await state.delete(context);
    expect(state.get(context)).to.equal(undefined);
    expect(await step.get(turn())).to.equal(undefined);
  });

  it('on lowdb files, reads and writes the state as the stored JSON text: the same files and the same saves as through read and write', async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'json-state-')), mkdtempSync(join(tmpdir(), 'json-state-'))];
    try {
      // One storage with the JSON text path, one seen only through botbuilder's Storage calls.
      const [json, plain] = dirs.map((d) => new LowdbStorage(d));
      const viaStorage = { read: plain.read.bind(plain), write: plain.write.bind(plain), delete: plain.delete.bind(plain) };
      const writes = [0, 0];
      const written = json.writeJson.bind(json);
      json.writeJson = async (...args) => (writes[0]++, written(...args));
      const plainWrite = viaStorage.write;
      viaStorage.write = async (changes) => (writes[1]++, plainWrite(changes));
      const states = [new JsonChangeState(json), new JsonChangeState(viaStorage)];
      const steps = states.map((s) => s.createProperty<{ n: number; text?: string }>('step'));
      for (const [i, state] of states.entries()) {
        const first = turn();
        await steps[i].set(first, { n: 1, text: 'кейс «Closed» \u2028' });
        await state.saveChanges(first);
        const unchanged = turn();
        expect(await steps[i].get(unchanged)).to.deep.equal({ n: 1, text: 'кейс «Closed» \u2028' });
        await state.saveChanges(unchanged);
        const changed = turn();
        (await steps[i].get(changed))!.n = 2;
        await state.saveChanges(changed);
        expect(await steps[i].get(turn())).to.deep.equal({ n: 2, text: 'кейс «Closed» \u2028' });
      }
      expect(writes).to.deep.equal([2, 2]);
      const stored = dirs.map((d) => readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(d, f), 'utf8'))));
      expect(stored[0]).to.have.length(1);
      expect(stored[0].map(({ eTag: _e, ...rest }) => rest)).to.deep.equal(stored[1].map(({ eTag: _e, ...rest }) => rest));
      // A document written through write() reads back through the JSON text as the same state.
      const reread = new JsonChangeState(plain).createProperty<{ n: number }>('step');
      expect(await reread.get(turn())).to.deep.include({ n: 2 });
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });
});
