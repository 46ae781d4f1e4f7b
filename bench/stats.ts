/** Small helpers shared by the benchmark parts: percentiles, rounding, progress on stderr. */

/** A growable array of latency samples (milliseconds). */
export class Samples {
  private data = new Float64Array(1 << 14);
  private n = 0;

  add(ms: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = ms;
  }

  get count(): number {
    return this.n;
  }

  /** Percentiles (0–100) by the nearest-rank method; NaN without samples. */
  percentiles(...ps: number[]): number[] {
    if (this.n === 0) return ps.map(() => Number.NaN);
    const sorted = this.data.slice(0, this.n).sort();
    return ps.map((p) => percentile(sorted, p));
  }
}

/** The p-th percentile (0–100) of sorted values by the nearest-rank method; NaN when there are none. */
export const percentile = (sorted: ArrayLike<number>, p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : Number.NaN;

/** Rounds to a few significant decimals for the table and results.json. */
export const round = (x: number, digits = 2): number => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

/** Progress lines on stderr: rewritten in place on a terminal, one line every few seconds otherwise. */
export function progress(label: string): { tick(text: string, force?: boolean): void; done(text: string): void } {
  const tty = process.stderr.isTTY;
  let last = 0;
  return {
    tick(text, force = false) {
      if (tty) return void process.stderr.write(`\r\x1b[K  ${label}: ${text}`);
      const now = Date.now();
      if (force || now - last >= 5000) {
        last = now;
        process.stderr.write(`  ${label}: ${text}\n`);
      }
    },
    done(text) {
      process.stderr.write(`${tty ? '\r\x1b[K' : ''}  ${label}: ${text}\n`);
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
