/**
 * Gives the heap a burst of turns grew back to the OS once the bot is quiet. V8 sizes its heap for
 * the burst (30,000 new conversations left ≈ 26 MiB more heap than the live data needed) and
 * does not shrink it while the process sits idle: nothing allocates, so no collection runs (its
 * memory reducer did not either within the bench's 10 s). Two full collections do: the first frees
 * the objects, the second returns the pages they held (measured: one alone left RSS where it was).
 * They run only after `minTurns` turns and `quietMs` without one, so a turn rarely waits for them.
 * `collect` is `gc` of `node --expose-gc` (as `npm start` runs); without it nothing is scheduled.
 */
export class HeapReclaim {
  private turnsSince = 0;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    busy: () => boolean,
    collect: (() => void) | undefined = (globalThis as { gc?: () => void }).gc,
    quietMs = 2000,
    private readonly minTurns = 1000,
  ) {
    if (!collect) return;
    // One timer for the life of the process, pushed back by every turn (refresh costs no allocation).
    this.timer = setTimeout(() => {
      if (busy() || this.turnsSince < minTurns) return;
      this.turnsSince = 0;
      collect();
      collect();
    }, quietMs).unref();
  }

  /** A turn has finished. */
  turnDone(): void {
    if (!this.timer) return;
    this.turnsSince++;
    this.timer.refresh();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
