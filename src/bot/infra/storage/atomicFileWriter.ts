import { Worker } from 'node:worker_threads';

/**
 * The writer thread's code: plain JavaScript evaluated by the worker (no file of its own, so the
 * bundle and tsx run it alike). Each message is one whole file, written to its temporary name and
 * renamed over the target; the answer names the write and any error.
 */
const WRITER = `
const { parentPort } = require('node:worker_threads');
const { renameSync, writeFileSync } = require('node:fs');
parentPort.on('message', ({ id, file, temp, data }) => {
  try {
    writeFileSync(temp, data);
    renameSync(temp, file);
    parentPort.postMessage({ id });
  } catch (e) {
    parentPort.postMessage({ id, error: { message: String(e && e.message), code: e && e.code } });
  }
});
`;

type Settle = { resolve: () => void; reject: (e: Error) => void };

/** One writer thread and the writes it has not answered yet. */
class WriterThread {
  private readonly worker = new Worker(WRITER, { eval: true });
  private readonly pending = new Map<number, Settle>();
  private seq = 0;
  dead = false;

  constructor() {
    this.worker.on('message', ({ id, error }: { id: number; error?: { message: string; code?: string } }) => {
      const settle = this.pending.get(id);
      if (!settle) return;
      this.pending.delete(id);
      if (this.pending.size === 0) this.worker.unref();
      if (error) settle.reject(Object.assign(new Error(error.message), error.code ? { code: error.code } : {}));
      else settle.resolve();
    });
    const fail = (e: Error) => {
      this.dead = true;
      for (const settle of this.pending.values()) settle.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the state file writer thread stopped (exit code ${code})`)));
    // Only writes in flight keep the process alive: an idle writer never holds up an exit. After the
    // listeners, as adding a 'message' listener refs the worker again.
    this.worker.unref();
  }

  write(file: string, temp: string, data: string): Promise<void> {
    const id = ++this.seq;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, file, temp, data });
    });
  }
}

/**
 * Whole-file atomic writes (a temporary file renamed over the target: a killed write leaves the old
 * file and at most a temporary one) on a thread of their own. A write is one message there and one
 * back, instead of the four libuv thread-pool round trips of an asynchronous write and rename
 * (open, write, close, rename), each of which waits for a turn of the event loop and for one of the
 * pool's four threads, which the decision log's writes and syncs share. The thread makes the same
 * system calls synchronously, so the rename's wait on ext4 (block allocation and discard of the
 * replaced file, README «Performance») is spent there, not on the event loop.
 *
 * Writes are answered in the order they were made. One thread serves the whole process, started
 * by {@link start} or on the first write; a thread that dies fails the writes it holds and the next
 * write starts another.
 */
export class AtomicFileWriter {
  private thread?: WriterThread;

  /**
   * Starts the thread now if none runs. A thread's own start (a V8 isolate and Node's bootstrap,
   * ≈ 50 ms) is otherwise paid by the first write, i.e. the first turn after the bot's start; started
   * while the bot starts, it runs on the other core meanwhile.
   */
  start(): void {
    if (!this.thread || this.thread.dead) this.thread = new WriterThread();
  }

  /** Resolves once `data` is in `file` (renamed from `temp`, in the same directory); rejects with the file system's error. */
  write(file: string, temp: string, data: string): Promise<void> {
    this.start();
    return this.thread!.write(file, temp, data);
  }
}
