/**
 * Gives the heap a burst of turns grew back to the OS once the bot is quiet. V8 sizes its heap for
 * the burst (30,000 new conversations left ≈ 26 MiB more heap than the live data needed) and
 * does not shrink it while the process sits idle: nothing allocates, so no collection runs (its
 * memory reducer did not either within the bench's 10 s). Two full collections `quietMs` apart do:
 * the first frees the objects, the second returns the pages they held (measured: the first alone, or
 * two back to back, left most of the RSS). The first runs only after `minTurns` turns and `quietMs`
 * without one, and neither while a turn runs, so a turn rarely waits for them.
 * `collect` is `gc` of `node --expose-gc` (as `npm start` runs); without it nothing is scheduled.
 */
export class HeapReclaim {
  private turnsSince = 0;
  private followUp = false;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    busy: () => boolean,
    collect: (() => void) | undefined = (globalThis as { gc?: () => void }).gc,
    quietMs = 2000,
    minTurns = 1000,
  ) {
    if (!collect) return;
    // One timer for the life of the process, pushed back by every turn (refresh costs no allocation).
    const timer = setTimeout(() => {
      if (busy()) return;
      if (this.turnsSince >= minTurns) {
        this.turnsSince = 0;
        this.followUp = true;
        collect();
        timer.refresh();
      } else if (this.followUp) {
        this.followUp = false;
        collect();
      }
    }, quietMs).unref();
    this.timer = timer;
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
