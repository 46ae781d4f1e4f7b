/**
 * The paced tail split by cause: for the turns at or above the p99 latency, how much of each
 * turn's time (scheduled send → reply) went to
 *  - GC: main-thread GC pauses inside the turn's window (everything on the event loop waits);
 *  - queueing: from the scheduled send until the server started on the request (the driver's own
 *    lateness plus the time the request waited for the bot's event loop), GC excluded;
 *  - fsync: fdatasync/fsync running while the server handled a turn that appends a decision (the
 *    outcome turn awaits it with DECISION_LOG_SYNC=strict), GC excluded; other turns, and every turn
 *    with the deferred sync (the sync runs on libuv's thread pool, the turn does not wait), count none;
 *  - the rest: the turn's own work and other turns interleaved with it.
 * Server-side times come from bench/observe.mjs, on the same wall clock as the driver's.
 */
import type { TurnTiming } from './openLoad.js';
import { percentile, round } from './stats.js';

/** What bench/observe.mjs writes. */
export interface Observations {
  from: number;
  to: number;
  /** [start, duration ms, kind] */
  gc: [number, number, string][];
  /** [start, end] of each fdatasync/fsync */
  syncs: [number, number][];
  /** [x-bench-turn id, server started on it, response finished] */
  requests: [string, number, number][];
  loop: { p50: number; p99: number; p999: number; max: number; mean: number };
}

export interface TailSplit {
  /** Turns in the tail (latency ≥ p99). */
  turns: number;
  /** Mean latency of the tail turns and its parts (ms); the parts add up to the mean. */
  meanMs: number;
  queueMs: number;
  gcMs: number;
  fsyncMs: number;
  otherMs: number;
  /** The same parts averaged over every measured turn, for comparison. */
  all: { meanMs: number; queueMs: number; gcMs: number; fsyncMs: number; otherMs: number };
  /** GC over the measured window: pause time per second of wall time, longest pause, count by kind. */
  gcPauseMsPerS: number;
  gcMaxMs: number;
  gcCounts: Record<string, number>;
  syncCount: number;
  syncP50Ms: number;
  syncP99Ms: number;
  loopDelayP99Ms: number;
  /** Most negative (server start − driver send): below about −0.5 ms the two clocks disagree. */
  clockSkewMs: number;
  /** Turns the preload saw no request for (their queueing then counts up to the driver's send). */
  unmatched: number;
}

type Interval = [number, number];

/** Length of the union of `intervals` clipped to [from, to]. */
function covered(intervals: Interval[], from: number, to: number): number {
  const clipped = intervals.filter(([a, b]) => b > from && a < to).map(([a, b]): Interval => [Math.max(a, from), Math.min(b, to)]);
  clipped.sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [s, e] = [Number.NaN, Number.NaN];
  for (const [a, b] of clipped) {
    if (!(a <= e)) {
      if (e > s) total += e - s;
      [s, e] = [a, b];
    } else e = Math.max(e, b);
  }
  if (e > s) total += e - s;
  return total;
}

export function splitTail(timings: TurnTiming[], obs: Observations, options: { turnsAwaitSync: boolean } = { turnsAwaitSync: true }): TailSplit {
  const from = timings.reduce((m, t) => Math.min(m, t.scheduled), Infinity);
  const to = timings.reduce((m, t) => Math.max(m, t.end), -Infinity);
  // Only what can overlap the measured window, so each turn scans little.
  const gc: Interval[] = obs.gc.filter(([s, d]) => s + d >= from && s <= to).map(([s, d]) => [s, s + d]);
  const syncs: Interval[] = obs.syncs.filter(([s, e]) => e >= from && s <= to);
  const server = new Map(obs.requests.map(([id, start, end]) => [id, { start, end }]));
  let unmatched = 0;
  let clockSkewMs = 0;
  const parts = timings.map((t) => {
    const s = server.get(t.id);
    if (!s) unmatched++;
    else clockSkewMs = Math.min(clockSkewMs, s.start - t.sent);
    const started = Math.min(t.end, Math.max(t.sent, s?.start ?? t.sent));
    const finished = Math.min(t.end, Math.max(started, s?.end ?? t.end));
    const nearGc = gc.filter(([a, b]) => b > t.scheduled && a < t.end);
    const total = t.end - t.scheduled;
    const gcMs = covered(nearGc, t.scheduled, t.end);
    const queueMs = started - t.scheduled - covered(nearGc, t.scheduled, started);
    const nearSyncs = t.outcome && options.turnsAwaitSync ? syncs.filter(([a, b]) => b > started && a < finished) : [];
    const fsyncMs = nearSyncs.length ? covered([...nearGc, ...nearSyncs], started, finished) - covered(nearGc, started, finished) : 0;
    return { total, queueMs, gcMs, fsyncMs, otherMs: total - queueMs - gcMs - fsyncMs };
  });
  const sortedTotals = parts.map((x) => x.total).sort((a, b) => a - b);
  const p99 = percentile(sortedTotals, 99);
  const tail = parts.filter((x) => x.total >= p99);
  const mean = (xs: typeof parts) => {
    const m = (f: (x: (typeof parts)[number]) => number) => round(xs.reduce((sum, x) => sum + f(x), 0) / Math.max(1, xs.length), 2);
    return { meanMs: m((x) => x.total), queueMs: m((x) => x.queueMs), gcMs: m((x) => x.gcMs), fsyncMs: m((x) => x.fsyncMs), otherMs: m((x) => x.otherMs) };
  };
  const windowS = Math.max(0.001, (to - from) / 1000);
  const gcCounts: Record<string, number> = {};
  for (const [s, , kind] of obs.gc) if (s >= from && s <= to) gcCounts[kind] = (gcCounts[kind] ?? 0) + 1;
  const syncMs = syncs.map(([a, b]) => b - a).sort((a, b) => a - b);
  return {
    turns: tail.length,
    ...mean(tail),
    all: mean(parts),
    gcPauseMsPerS: round(covered(gc, from, to) / windowS, 2),
    gcMaxMs: round(gc.reduce((m, [a, b]) => Math.max(m, b - a), 0), 2),
    gcCounts,
    syncCount: syncs.length,
    syncP50Ms: round(percentile(syncMs, 50), 2),
    syncP99Ms: round(percentile(syncMs, 99), 2),
    loopDelayP99Ms: round(obs.loop.p99, 2),
    clockSkewMs: round(clockSkewMs, 3),
    unmatched,
  };
}
