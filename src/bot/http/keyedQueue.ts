/**
 * Runs tasks one at a time per key (a conversation), in arrival order, and knows when all are done.
 * Two turns of one conversation (a double click) must not interleave their read-modify-write of
 * dialog state; different conversations still run in parallel. A dozen lines, so no library.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  /** `onDone` is told after every task, whatever its result. */
  constructor(private readonly onDone: () => void = () => undefined) {}

  /** A task is queued or running. */
  get busy(): boolean {
    return this.running > 0;
  }

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    this.running++;
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
      if (--this.running === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      this.onDone();
    }
  }

  /** Resolves when no task is queued or running. */
  idle(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
