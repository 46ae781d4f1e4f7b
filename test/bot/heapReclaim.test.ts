import { expect } from 'chai';
import { HeapReclaim } from '../../src/bot/heapReclaim.js';
import { KeyedQueue } from '../../src/bot/http/keyedQueue.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('bot: heap reclaim after a burst of turns', () => {
  /** A queue of turns wired as app.ts wires it, with a counting collector. */
  function wired(minTurns: number) {
    let collections = 0;
    const queue: KeyedQueue = new KeyedQueue(() => reclaim.turnDone());
    const reclaim = new HeapReclaim(() => queue.busy, () => collections++, 30, minTurns);
    return { queue, reclaim, collections: () => collections };
  }

  it('collects twice, a quiet period apart (objects, then their pages), when the bot has been quiet after enough turns, and not again until the next burst', async () => {
    const { queue, reclaim, collections } = wired(3);
    for (const c of ['a', 'b', 'c']) await queue.run(c, async () => undefined);
    expect(collections()).to.equal(0);
    await sleep(120);
    expect(collections()).to.equal(2);
    await queue.run('d', async () => undefined);
    await sleep(120);
    expect(collections()).to.equal(2);
    reclaim.stop();
  });

  it('waits while turns keep coming or one is still running, and counts failed turns too', async () => {
    const { queue, reclaim, collections } = wired(2);
    await queue.run('a', async () => undefined);
    await queue.run('b', async () => Promise.reject(new Error('turn failed'))).catch(() => undefined);
    let finish!: () => void;
    const long = queue.run('c', () => new Promise<void>((resolve) => (finish = resolve)));
    await sleep(120);
    expect(collections()).to.equal(0);
    finish();
    await long;
    await sleep(120);
    expect(collections()).to.equal(2);
    reclaim.stop();
  });
});
