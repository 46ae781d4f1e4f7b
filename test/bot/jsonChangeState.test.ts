import { MemoryStorage, TestAdapter, TurnContext, type StoreItems } from 'botbuilder';
import { expect } from 'chai';
import { JsonChangeState } from '../../src/bot/infra/storage/jsonChangeState.js';

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
});
