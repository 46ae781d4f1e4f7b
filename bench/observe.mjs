/**
 * Preload for the bot under the benchmark's paced load (`NODE_OPTIONS=--import=<this file>`, set by
 * bench/run.ts together with BENCH_OBSERVE_FILE), so the tail can be split by cause without a hook
 * in src/. Plain JavaScript: the bot runs precompiled, without a TypeScript loader.
 *
 * Records, on the wall clock the driver uses too (performance.timeOrigin + performance.now()):
 *  - every GC pause (PerformanceObserver 'gc': start, duration, kind);
 *  - every fdatasync/fsync (FileHandle.datasync/sync and fs.fdatasync/fsync): start and end;
 *  - for each request carrying an `x-bench-turn` header, when the server started on it (the
 *    'request' event: headers parsed, i.e. the event loop got to it) and when its response finished;
 *  - event-loop delay percentiles (monitorEventLoopDelay).
 * Written once, as JSON, on SIGUSR2 (sent by the bench when its load is over) or else at exit.
 * Every list is bounded.
 */
import fs from 'node:fs';
import { open } from 'node:fs/promises';
import http from 'node:http';
import { constants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';

const file = process.env.BENCH_OBSERVE_FILE;
if (file) {
  const MAX = 500_000;
  const now = () => performance.timeOrigin + performance.now();
  const gc = [];
  const syncs = [];
  const requests = [];
  const kinds = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };

  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (gc.length < MAX) gc.push([performance.timeOrigin + e.startTime, e.duration, kinds[e.detail?.kind] ?? String(e.detail?.kind)]);
  }).observe({ entryTypes: ['gc'] });

  const timed = (fn) =>
    function (...args) {
      const t = now();
      const done = () => syncs.length < MAX && syncs.push([t, now()]);
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        // Callback form (fs.fdatasync(fd, cb)).
        args[args.length - 1] = function (...r) {
          done();
          return last.apply(this, r);
        };
        return fn.apply(this, args);
      }
      const p = fn.apply(this, args);
      return p && typeof p.finally === 'function' ? p.finally(done) : (done(), p);
    };
  const handle = await open(process.execPath, 'r');
  const proto = Object.getPrototypeOf(handle);
  await handle.close();
  proto.datasync = timed(proto.datasync);
  proto.sync = timed(proto.sync);
  fs.fdatasync = timed(fs.fdatasync);
  fs.fsync = timed(fs.fsync);

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let measuring = false;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, req, res) {
    if (event === 'request') {
      const id = req.headers['x-bench-turn'];
      // Event-loop delay over the measured window only (not the start or the warm-up).
      if (!measuring && req.headers['x-bench-measured'] === '1') (measuring = true), loop.reset();
      if (typeof id === 'string' && requests.length < MAX) {
        const started = now();
        res.once('finish', () => requests.push([id, started, now()]));
      }
    }
    return emit.apply(this, arguments);
  };

  const startedAt = now();
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    loop.disable();
    const ms = (ns) => ns / 1e6;
    // Renamed into place, so the bench never reads half a file.
    fs.writeFileSync(
      `${file}.tmp`,
      JSON.stringify({
        from: startedAt,
        to: now(),
        gc,
        syncs,
        requests,
        loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), p999: ms(loop.percentile(99.9)), max: ms(loop.max), mean: ms(loop.mean) },
      }),
    );
    fs.renameSync(`${file}.tmp`, file);
  };
  // The bench asks with SIGUSR2 once its load is over, so the file exists however the bot stops later.
  process.on('SIGUSR2', write);
  process.once('exit', write);
}
