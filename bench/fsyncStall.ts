/**
 * Why the decision log's fdatasync stalls: its latency on this file system, alone and beside the
 * state writes a turn makes, one scenario at a time in a fresh temporary directory on the same file
 * system as `DATA_DIR` (the OS temporary directory, or `--dir`).
 *
 *   npx tsx bench/fsyncStall.ts [--seconds 8] [--state-rate 250] [--log-rate 100] [--only a,b] [--dir D]
 *
 * The log side (main thread): a ≈ 600-byte line, then `fdatasync`, `--log-rate` times a second,
 * timed around the sync (`both`: one of each kind, in turn). Log kinds: `append` (O_APPEND, the
 * file grows: the JSON Lines log before preallocation) and `prealloc` (a segment zero-filled and
 * synced once, then each line overwrites zeros inside it, as the log writes now).
 * The state side (a child process): `--state-rate` writes a second of ≈ 300 bytes to conversation
 * files, a third of them to a new conversation (as the paced bench starts one per walk). State
 * kinds: `none`, `rename` (temporary file + rename over the old one: lowdb's atomic write today),
 * `inplace` (the file rewritten where it is: not atomic, measured only to locate the cost),
 * `fresh` (each version a new file, the previous one unlinked: atomic without a rename over); and
 * `bulk`, not a state write but another program's buffered writes to the same file system
 * (`--state-rate` MiB a second into one growing file, as a build, a test suite or a database does).
 */
import { closeSync, existsSync, fdatasyncSync, fsyncSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { Samples, round, sleep } from './stats.js';

type StateKind = 'none' | 'rename' | 'inplace' | 'fresh' | 'bulk';
type LogKind = 'append' | 'prealloc';

const SEGMENT_BYTES = 64 << 20;
const line = Buffer.from(`${JSON.stringify({ type: 'decision', record: { id: 'x'.repeat(40), text: 'y'.repeat(500) } })}\n`);
const state = Buffer.from(JSON.stringify({ key: 'k'.repeat(60), eTag: 'e'.repeat(16), item: { walk: 'w'.repeat(180) } }));

/** The child process: state writes at a steady rate until told to stop, then their count to the parent. */
function stateWriter(dir: string, kind: StateKind, rate: number): void {
  let stop = false;
  process.on('message', () => (stop = true));
  const versions = new Map<number, number>(); // conversation -> version (for `fresh`)
  let conversations = 64;
  let bulk: number | undefined;
  const mebibyte = Buffer.alloc(1 << 20, 1);
  let n = 0;
  const t0 = performance.now();
  process.send!('ready');
  const tick = () => {
    if (stop) return void process.send!(n, () => process.exit(0));
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    for (; n < due; n++) {
      if (kind === 'bulk') {
        writeSync((bulk ??= openSync(join(dir, 'bulk'), 'a')), mebibyte);
        continue;
      }
      const c = n % 3 === 0 ? conversations++ : Math.floor(Math.random() * conversations);
      const file = join(dir, `${c}.json`);
      if (kind === 'rename') {
        writeFileSync(join(dir, `.${c}.json.tmp`), state);
        renameSync(join(dir, `.${c}.json.tmp`), file);
      } else if (kind === 'inplace') {
        // Neither O_TRUNC nor O_APPEND (Linux appends every pwrite of an O_APPEND file): the bytes overwritten where they are.
        const fd = openSync(file, existsSync(file) ? 'r+' : 'w');
        try {
          writeSync(fd, state, 0, state.length, 0);
        } finally {
          closeSync(fd);
        }
      } else if (kind === 'fresh') {
        const v = (versions.get(c) ?? 0) + 1;
        writeFileSync(join(dir, `${c}.${v}.json`), state, { flag: 'wx' });
        if (v > 1) unlinkSync(join(dir, `${c}.${v - 1}.json`));
        versions.set(c, v);
      }
    }
    setTimeout(tick, 2);
  };
  tick();
}

/**
 * The block device's own counters (/proc/diskstats, for every process on the machine): writes and
 * cache flushes completed and the milliseconds spent on them. Their mean over a scenario, beside the
 * latency the process saw, says whether a slow sync was the device or the wait for a CPU.
 */
function deviceCounters(dir: string): { writes: number; writeMs: number; flushes: number; flushMs: number } | undefined {
  try {
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' '));
    const mount = mounts.filter((m) => m.length > 9 && (dir + '/').startsWith(m[4] === '/' ? '/' : m[4] + '/')).sort((a, b) => b[4].length - a[4].length)[0];
    const device = mount?.[mount.indexOf('-') + 2]?.replace('/dev/', '');
    const row = readFileSync('/proc/diskstats', 'utf8').split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f[2] === device);
    if (!row || row.length < 20) return undefined;
    return { writes: Number(row[7]), writeMs: Number(row[10]), flushes: Number(row[18]), flushMs: Number(row[19]) };
  } catch {
    return undefined;
  }
}

/** A log file of the kind, ready for its first line. */
function openLog(dir: string, log: LogKind): number {
  const file = join(dir, `log-${log}`);
  if (log === 'append') return openSync(file, 'a');
  const fd = openSync(file, 'w+');
  const zeros = Buffer.alloc(1 << 20);
  for (let i = 0; i < SEGMENT_BYTES; i += zeros.length) writeSync(fd, zeros, 0, zeros.length, i);
  fsyncSync(fd);
  return fd;
}

/** One scenario: each log of `logs` gets a line and an fdatasync in turn, beside the state writer of `stateKind`. */
async function scenario(root: string, logs: LogKind[], stateKind: StateKind, seconds: number, logRate: number, stateRate: number) {
  const dir = mkdtempSync(join(root, 'fsync-stall-'));
  try {
    const fds = logs.map((log) => openLog(dir, log));
    const dirFd = openSync(dir, 'r');
    fsyncSync(dirFd);
    closeSync(dirFd);
    const writer = stateKind === 'none' ? undefined : fork(new URL(import.meta.url), ['--writer', dir, stateKind, String(stateRate)]);
    if (writer) await new Promise((r) => writer.once('message', r));
    await sleep(500); // let the writers reach their rate
    const samples = logs.map(() => new Samples());
    const device0 = deviceCounters(dir);
    let offset = 0;
    const t0 = performance.now();
    for (let i = 0; performance.now() - t0 < seconds * 1000; i++) {
      const wait = t0 + (i * 1000) / logRate - performance.now();
      if (wait > 0) await sleep(wait);
      logs.forEach((log, k) => {
        if (log === 'prealloc') writeSync(fds[k], line, 0, line.length, offset);
        else writeSync(fds[k], line);
        const s = performance.now();
        fdatasyncSync(fds[k]);
        samples[k].add(performance.now() - s);
      });
      offset += line.length;
    }
    fds.forEach((fd) => closeSync(fd));
    const device1 = deviceCounters(dir);
    const device = device0 && device1 && {
      flushes: device1.flushes - device0.flushes,
      flush_mean_ms: round((device1.flushMs - device0.flushMs) / Math.max(1, device1.flushes - device0.flushes)),
      write_mean_ms: round((device1.writeMs - device0.writeMs) / Math.max(1, device1.writes - device0.writes)),
    };
    const elapsed = (performance.now() - t0) / 1000 + 0.5;
    let written = 0;
    if (writer) {
      written = await new Promise<number>((r) => {
        writer.once('message', (n) => r(Number(n)));
        writer.send('stop');
      });
    }
    return logs.map((log, k) => {
      const [p50, p99, p999, max] = samples[k].percentiles(50, 99, 99.9, 100);
      const alone = logs.length === 1 ? '' : ' (alternating)';
      return { log: log + alone, state: stateKind, syncs: samples[k].count, p50_ms: round(p50), p99_ms: round(p99), p999_ms: round(p999), max_ms: round(max), state_writes_per_s: round(written / elapsed, 0), device };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Named `log+state`; `both` syncs the two logs in turn, so a changing machine weighs on both alike. */
const SCENARIOS: Array<[LogKind | 'both', StateKind]> = [
  ['append', 'none'],
  ['append', 'rename'],
  ['append', 'inplace'],
  ['append', 'fresh'],
  ['prealloc', 'none'],
  ['prealloc', 'rename'],
  ['append', 'bulk'],
  ['prealloc', 'bulk'],
  ['both', 'none'],
  ['both', 'rename'],
];

const writerAt = process.argv.indexOf('--writer');
if (writerAt > 0) stateWriter(process.argv[writerAt + 1], process.argv[writerAt + 2] as StateKind, Number(process.argv[writerAt + 3]));
else {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const seconds = Number(arg('seconds', '8'));
  const stateRate = Number(arg('state-rate', '250'));
  const logRate = Number(arg('log-rate', '100'));
  const only = arg('only', '').split(',').filter(Boolean);
  const root = arg('dir', tmpdir());
  console.log(`| log | state writes | syncs | fdatasync p50 | p99 | p99.9 | max | state writes/s | device flushes (everyone's) | their mean | device write mean | load average |\n|---|---|---|---|---|---|---|---|---|---|---|---|`);
  for (const [log, s] of SCENARIOS) {
    if (only.length && !only.includes(`${log}+${s}`)) continue;
    for (const r of await scenario(root, log === 'both' ? ['append', 'prealloc'] : [log], s, seconds, logRate, stateRate)) {
      const d = r.device;
      const device = d ? `${d.flushes} | ${d.flush_mean_ms} ms | ${d.write_mean_ms} ms` : '— | — | —';
      console.log(`| ${r.log} | ${r.state} | ${r.syncs} | ${r.p50_ms} ms | ${r.p99_ms} ms | ${r.p999_ms} ms | ${r.max_ms} ms | ${r.state_writes_per_s} | ${device} | ${round(loadavg()[0], 1)} |`);
    }
  }
}
