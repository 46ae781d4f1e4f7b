/**
 * `npm run bench` (tsx bench/run.ts): the bot's procedure turns against the floor measured in the
 * same run — a bare restify POST of the same activity JSON (the HTTP ceiling) and a minimal
 * botbuilder echo bot on the same stack (the SDK floor) — then its latency on an open-loop Poisson
 * load with the p99 split by cause, its capacity, what a conversation costs in state and memory,
 * its start with stored conversations, and how it holds as the store grows. Prints one table on
 * stdout (progress on stderr) and writes the same figures to bench/results.json. See bench/README.md.
 *
 *   --quick      short loads, fewer conversations (about 4 minutes)
 *   --smoke      a few seconds, tiny loads and pre-fills, no PostgreSQL, targets not judged (npm test)
 *   --out FILE   write the results there instead of bench/results.json
 *   --no-pg      skip the PostgreSQL column
 *   --profile    run the empty-store bot under --cpu-prof (profile kept in bench/profiles/) and print where its CPU time goes
 *   --wait-idle  before each phase wait (at most 2 minutes) until other processes leave the CPUs alone
 *   --start CMD  start the bot with CMD instead of package.json "start" (e.g. "tsx src/bot/index.ts")
 *   --only-turns http, echo, turns, paced and capacity only (no state, start, conversations, growth, PostgreSQL, search)
 *   --only A,B   only the phases named (e.g. --only state,start,conversations); growth needs prefill too
 *
 * Everything runs on 127.0.0.1; every load is bounded in count and time; temporary data is removed afterwards.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { newConversations, walkAnswers } from './conversations.js';
import { openLoad, type OpenLoadOptions } from './openLoad.js';
import { prefill, readStateTemplate } from './prefill.js';
import { copyToPostgres, viewsBench, VIEWS_TOKEN, type ViewTimes } from './leadViews.js';
import { buildIfNeeded, cpuMsOf, memoryOf, ownProcesses, repoRoot, sampleMemory, startBare, startBot as startBotWith, startCommand, startEcho, type ServerProcess } from './processes.js';
import { summarizeProfile } from './profileSummary.js';
import { searchBench } from './searchBench.js';
import { progress, round, sleep } from './stats.js';
import { splitTail, type Observations } from './tailSplit.js';
import { readConfig } from '../src/bot/config.js';
import { FLOOR_TEXT, postLoad, turnLoad, type TurnLoadResult } from './turnLoad.js';

type Mode = 'full' | 'quick' | 'smoke';
type Json = number | string | boolean | null | Json[] | { [key: string]: Json };

const args = process.argv.slice(2);
const mode: Mode = args.includes('--smoke') ? 'smoke' : args.includes('--quick') ? 'quick' : 'full';
const outIndex = args.indexOf('--out');
const outFile = resolve(outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1] : join(repoRoot, 'bench', 'results.json'));
const profile = args.includes('--profile');
const waitIdle = args.includes('--wait-idle');
const onlyIndex = args.indexOf('--only');
const onlyPhases = args.includes('--only-turns') ? ['http', 'echo', 'turns', 'paced', 'capacity'] : onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').split(',') : undefined;
const noPg = args.includes('--no-pg') || mode === 'smoke' || (onlyPhases !== undefined && !onlyPhases.includes('postgres'));
const startIndex = args.indexOf('--start');
const startOverride = startIndex >= 0 ? args[startIndex + 1] : undefined;
const startBot = (env: Record<string, string>, nodeArgs: string[] = []) => startBotWith(env, nodeArgs, startOverride);

/**
 * Per mode: seconds of [warm-up, measured] load per phase; the capacity search (seconds per step,
 * steps, first rate); conversations walked for the state size; stored conversations for the start
 * (and how many starts); distinct conversations for the memory run (with its time bound and the
 * idle seconds before RSS is read again); pre-fill sizes [decisions, conversations]; search rounds.
 */
const PLAN = {
  full: {
    connections: 50, http: [3, 20], echo: [3, 20], turns: [5, 30], paced: [3, 30], growth: [3, 20], pg: [3, 20],
    capacity: { warmupS: 1, durationS: 5, steps: 7, first: 200 },
    walks: 50, stored: { conversations: 20_000, starts: 3 }, distinct: { conversations: 150_000, maxS: 600, settleS: 10 },
    search: { rounds: 200, warmup: 20 }, fill: { small: [10_000, 10_000], large: [100_000, 10_000] },
  },
  quick: {
    connections: 50, http: [1, 3], echo: [1, 3], turns: [2, 4], paced: [1, 8], growth: [1, 2], pg: [1, 2],
    capacity: { warmupS: 0.5, durationS: 2, steps: 5, first: 200 },
    walks: 20, stored: { conversations: 5_000, starts: 1 }, distinct: { conversations: 15_000, maxS: 60, settleS: 3 },
    search: { rounds: 10, warmup: 2 }, fill: { small: [10_000, 10_000], large: [100_000, 10_000] },
  },
  // 2 s of turns: an outcome turn waits for the decision log's fdatasync, which on a busy disk took
  // over a second, and the smoke run needs one finished dialog for every key.
  smoke: {
    connections: 10, http: [0, 1], echo: [0, 1], turns: [0, 2], paced: [0, 1], growth: [0, 1], pg: [0, 1],
    capacity: { warmupS: 0, durationS: 1, steps: 2, first: 100 },
    walks: 5, stored: { conversations: 200, starts: 1 }, distinct: { conversations: 300, maxS: 20, settleS: 1 },
    search: { rounds: 2, warmup: 1 }, fill: { small: [200, 100], large: [1_000, 100] },
  },
}[mode];
const PROCEDURE = 'case-repeat-inquiry';
/** The paced load: offered turns/s (Poisson arrivals) and conversations kept going at once. */
const PACED_RATE = 250;
const PACED_CONVERSATIONS = 64;
/** capacity_rps: the highest offered rate whose p99 stays within this. */
const CAPACITY_P99_MS = 50;
/** Questions each conversation answers before its state is measured, and the procedures it walks (two questions deep). */
const WALK_ANSWERS = 4;
const WALK_PROCEDURES = ['case-repeat-inquiry', 'survey-refusal', 'call-termination', 'home-internet-transfer', 'never-promise', 'identification-special-rules'];
const PROFILES_DIR = join(repoRoot, 'bench', 'profiles');
const OBSERVER = pathToFileURL(join(repoRoot, 'bench', 'observe.mjs')).href;

const results: Record<string, Json> = {};
const notes: string[] = [];
const phaseSeconds: Record<string, number> = {};
const othersCpu: Record<string, number> = {};
/** Keys whose target this run cannot judge, and why (e.g. the memory run stopped at its time bound). */
const unjudged: Record<string, string> = {};

// ---------------------------------------------------------------- CPU accounting

function machineTicks(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3] - (f[4] ?? 0), total };
}

/**
 * What other processes (not this one, its servers and wrappers) took of all CPUs during a phase, in
 * per cent: the machine is shared, and a busy neighbour makes every figure here pessimistic.
 */
function othersMeter(): () => number {
  const m0 = machineTicks();
  // CPU time of our processes, sampled every 250 ms so a server stopped before the end still counts.
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = () => {
    for (const p of ownProcesses()) {
      const ms = cpuMsOf(p);
      if (!Number.isFinite(ms)) continue;
      if (!first.has(p)) first.set(p, 0); // born during the phase: all its CPU time counts
      last.set(p, ms);
    }
  };
  for (const p of ownProcesses()) {
    const ms = cpuMsOf(p);
    if (Number.isFinite(ms)) {
      first.set(p, ms);
      last.set(p, ms);
    }
  }
  const timer = setInterval(sample, 250);
  return () => {
    clearInterval(timer);
    sample();
    const m1 = machineTicks();
    let ours = 0;
    for (const [p, ms] of last) ours += ms - (first.get(p) ?? 0);
    const totalMs = (m1.total - m0.total) * 10; // USER_HZ ticks of 10 ms
    const busyMs = (m1.busy - m0.busy) * 10;
    return totalMs > 0 ? Math.max(0, round((100 * (busyMs - ours)) / totalMs, 0)) : 0;
  };
}

async function machineBusy(ms: number): Promise<number> {
  const a = machineTicks();
  await sleep(ms);
  const b = machineTicks();
  return b.total === a.total ? 0 : round((100 * (b.busy - a.busy)) / (b.total - a.total), 0);
}

/**
 * Runs a phase: optionally waits for idle CPUs first, times it, records what other processes took
 * meanwhile. `part` is the phase `--only` names it by when it is one part of a larger one.
 */
async function phase<T>(name: string, body: () => Promise<T>, part = name): Promise<T | undefined> {
  if (onlyPhases && !onlyPhases.includes(part)) return undefined;
  if (waitIdle) {
    let busy = await machineBusy(1000);
    if (busy > 15) {
      const p = progress(`waiting for idle CPUs before ${name}`);
      const until = Date.now() + 120_000;
      while (busy > 15 && Date.now() < until) {
        p.tick(`${busy} % busy`, true);
        busy = await machineBusy(2000);
      }
      p.done(`${busy} % busy`);
    }
  }
  const t = performance.now();
  const others = othersMeter();
  try {
    return await body();
  } finally {
    othersCpu[name] = others();
    phaseSeconds[name] = round((performance.now() - t) / 1000, 1);
    if (othersCpu[name] > 15) notes.push(`${name}: other processes took ${othersCpu[name]} % of the CPUs meanwhile; its figures are pessimistic.`);
  }
}

// ---------------------------------------------------------------- helpers

const tempRoot = mkdtempSync(join(tmpdir(), 'oa-bench-'));
process.once('exit', () => rmSync(tempRoot, { recursive: true, force: true }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const ratio = (a: unknown, b: unknown) => round((a as number) / (b as number), 3);

const dataDir = (name: string) => {
  const dir = join(tempRoot, name);
  mkdirSync(dir, { recursive: true });
  return dir;
};

let firstTurnSeq = 0;
/** Posts the first turn of a dialog right after the start line; retried until answered (30 s at most). */
async function firstTurn(url: string): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: `first-${++firstTurnSeq}`,
          channelId: 'msteams',
          serviceUrl: 'http://127.0.0.1:9/',
          from: { id: '29:bench-first', name: 'Оператор' },
          recipient: { id: 'bot', name: 'Помощник' },
          conversation: { id: `bench-first-${firstTurnSeq}` },
          deliveryMode: 'expectReplies',
          value: { action: 'start', procedureId: PROCEDURE },
        }),
      });
      const body = (await res.json()) as { activities?: { attachments?: unknown[] }[] };
      if (res.status === 200 && body.activities?.some((a) => a.attachments?.length)) return;
      throw new Error(`HTTP ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    } catch (e) {
      if (Date.now() > until) throw new Error(`the bot at ${url} answered no turn within 30 s: ${(e as Error).message}`);
      await sleep(20);
    }
  }
}

interface BotRun {
  load: TurnLoadResult;
  startMs: number;
  listenMs: number;
  idleRssMb: number;
  /** VmHWM at the end of the load: the peak over the process's life, load included. */
  rssMb: number;
  lastRssMb: number;
  wrapperRssMb: number;
  /** Server CPU time per measured turn. */
  cpuMsPerTurn: number;
  /** This process's CPU time per measured turn: autocannon and the card walking (it shares the machine). */
  driverCpuMsPerTurn: number;
}

/** Starts the bot on `dir`, answers a first turn (start time), runs the turn load, samples memory and CPU, stops it. */
async function botRun(label: string, dir: string, tag: string, durations: number[], nodeArgs: string[] = []): Promise<BotRun> {
  const bot = await startBot({ DATA_DIR: dir }, nodeArgs);
  let stopped = false;
  try {
    await firstTurn(bot.url);
    const startMs = performance.now() - bot.spawnedAt;
    const idle = memoryOf(bot.pid);
    const wrapper = bot.wrapperPid ? memoryOf(bot.wrapperPid) : undefined;
    progress(label).done(`started: listening after ${Math.round(bot.listenMs)} ms, first turn answered after ${Math.round(startMs)} ms, RSS ${round(idle?.rssMb ?? NaN, 0)} MiB`);
    const sampler = sampleMemory(bot.pid);
    let cpu0 = 0;
    let driver0 = 0;
    const load = await turnLoad({
      urls: [bot.url],
      connections: PLAN.connections,
      warmupS: durations[0],
      durationS: durations[1],
      procedureId: PROCEDURE,
      tag,
      label,
      beforeMeasure: () => {
        cpu0 = cpuMsOf(bot.pid);
        driver0 = cpuMsOf(process.pid);
      },
    });
    const cpuMs = cpuMsOf(bot.pid) - cpu0;
    const driverMs = cpuMsOf(process.pid) - driver0;
    const mem = sampler.stop();
    const code = await bot.stop();
    stopped = true;
    if (code !== 0) notes.push(`${label}: the bot exited with ${code} on SIGTERM.`);
    if (load.failures) notes.push(`${label}: ${load.failures} failed turns, first: ${load.firstFailure}`);
    return {
      load,
      startMs: Math.round(startMs),
      listenMs: Math.round(bot.listenMs),
      idleRssMb: round(idle?.rssMb ?? NaN, 1),
      rssMb: round(mem.hwmMb, 1),
      lastRssMb: round(mem.lastRssMb, 1),
      wrapperRssMb: round(wrapper?.rssMb ?? NaN, 1),
      cpuMsPerTurn: round(cpuMs / Math.max(1, load.turns), 3),
      driverCpuMsPerTurn: round(driverMs / Math.max(1, load.turns), 3),
    };
  } finally {
    if (!stopped) await bot.stop(5000);
  }
}

const dirBytes = (dir: string) => {
  try {
    return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
  } catch {
    return 0;
  }
};

/** Files and bytes under a DATA_DIR, the decision log left out (anything named decision*): the stored state, whatever its layout. */
function stateFiles(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = relative(dir, join(entry.parentPath ?? entry.path, entry.name));
    if (!entry.isFile() || /(^|\/)decision/i.test(path)) continue;
    files++;
    bytes += statSync(join(dir, path)).size;
  }
  return { files, bytes };
}

// ---------------------------------------------------------------- the run

const started = performance.now();
process.stderr.write(`benchmark (${mode}) on ${cpus().length} CPUs, Node ${process.version}; temporary data in ${tempRoot}\n`);
// The bot runs as `npm start` runs it (package.json "start"), built first as `prestart` builds it.
const start = startCommand(startOverride);
results.start_command = start.command;
results.build_ms = buildIfNeeded(start.script);
process.stderr.write(`bot started with: ${start.command}${results.build_ms ? ` (built in ${results.build_ms} ms)` : ''}\n`);

// 1. The floor, each server in its own process with the bot's node flags: a bare restify POST (the HTTP ceiling), then the echo bot (the SDK floor).
for (const [name, key, start, label] of [
  ['http', 'http', startBare, 'bare restify POST (HTTP ceiling)'],
  ['echo', 'echo', startEcho, 'echo bot (SDK floor)'],
] as const) {
  await phase(name, async () => {
    const server = await start(startOverride);
    try {
      let cpu0 = 0;
      const b = await postLoad(server.url, PLAN.connections, PLAN[name][1], PLAN[name][0], label, () => (cpu0 = cpuMsOf(server.pid)));
      const cpuMs = cpuMsOf(server.pid) - cpu0;
      Object.assign(results, { [`${key}_rps`]: b.rps, [`${key}_p50_ms`]: b.p50, [`${key}_p99_ms`]: b.p99, [`${key}_cpu_ms`]: round(cpuMs / Math.max(1, b.requests), 4), [`${key}_failures`]: b.failures });
      if (b.failures) notes.push(`${name}: ${b.failures} failed requests, first: ${b.firstFailure}`);
    } finally {
      await server.stop(5000);
    }
  });
}

// 2. Turns on an empty store (closed loop); memory under load.
const emptyDir = dataDir('empty');
await phase('turns', async () => {
  if (profile) mkdirSync(PROFILES_DIR, { recursive: true });
  const r = await botRun('turns (empty store)', emptyDir, 'empty', PLAN.turns, profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILES_DIR}`] : []);
  const k = r.load.byKind;
  Object.assign(results, {
    turn_rps: r.load.turnsPerS,
    turn_p50_ms: r.load.p50,
    turn_p99_ms: r.load.p99,
    turn_echo_ratio: ratio(r.load.turnsPerS, results.echo_rps),
    turn_http_ratio: ratio(r.load.turnsPerS, results.http_rps),
    echo_http_ratio: ratio(results.echo_rps, results.http_rps),
    turn_max_ms: r.load.max,
    turn_start_p99_ms: k.start.p99,
    turn_question_p99_ms: k.question.p99,
    turn_outcome_p50_ms: k.outcome.p50,
    turn_outcome_p99_ms: k.outcome.p99,
    dialogs_per_s: round(r.load.dialogs / r.load.durationS, 1),
    turn_failures: r.load.failures,
    turn_cpu_ms: r.cpuMsPerTurn,
    turn_cpu_echo_ratio: ratio(r.cpuMsPerTurn, results.echo_cpu_ms),
    turn_driver_cpu_ms: r.driverCpuMsPerTurn,
    rss_mb: r.rssMb,
    rss_idle_mb: r.idleRssMb,
    rss_after_load_mb: r.lastRssMb,
    ...(start.tsx ? { rss_tsx_wrapper_mb: r.wrapperRssMb } : {}),
    start_empty_ms: r.startMs,
    listen_empty_ms: r.listenMs,
  });
  if (profile) notes.push(`--profile: the empty-store bot ran with --cpu-prof${start.tsx ? ' as `node --cpu-prof --import tsx` (no tsx wrapper)' : ''}, so its start, memory and speed are not quite those of \`npm start\`.`);
});

// 3. Open loop at an operator-like rate, observed by bench/observe.mjs: the tail and its causes. The
// floors first (bare restify and the echo bot, the same arrivals posting text), then a fresh bot
// clicking cards; each server fresh, in its own phase (for its own "other processes" share).
const observing = (file: string) => ({ NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${OBSERVER}`.trim(), BENCH_OBSERVE_FILE: file });

/** The paced load on one server started with the observer; its figures go into results under `prefix`. */
async function pacedRun(prefix: string, label: string, start: (env: Record<string, string>) => Promise<ServerProcess>, turns: OpenLoadOptions['turns'], turnsAwaitSync: boolean): Promise<void> {
  const observed = join(tempRoot, `observe-${prefix || 'bot'}.json`);
  const server = await start(observing(observed));
  let r;
  try {
    if ('cards' in turns) await firstTurn(server.url);
    r = await openLoad({ url: server.url, rate: PACED_RATE, conversations: PACED_CONVERSATIONS, warmupS: PLAN.paced[0], durationS: PLAN.paced[1], turns, tag: `paced-${prefix}`, label: `${label} (${PACED_RATE} turns/s, Poisson, ${PACED_CONVERSATIONS} conversations)` });
    process.kill(server.pid, 'SIGUSR2'); // bench/observe.mjs writes what it saw
    for (const until = Date.now() + 15_000; !existsSync(observed) && Date.now() < until; ) await sleep(100);
  } finally {
    // An overloaded server may still be finishing turns the driver gave up on.
    const code = await server.stop(30_000);
    if (code !== 0) notes.push(`${label}: exited with ${code} on SIGTERM.`);
  }
  const k = (name: string) => `${prefix}paced_${name}`;
  Object.assign(results, {
    [k('rps')]: r.turnsPerS,
    [k('p50_ms')]: r.p50,
    [k('p99_ms')]: r.p99,
    [k('p999_ms')]: r.p999,
    [k('max_ms')]: r.max,
    [k('turns')]: r.turns,
    [k('failures')]: r.failures,
    [k('max_in_flight')]: r.maxInFlight,
  });
  if (r.failures) notes.push(`${label}: ${r.failures} failed turns, first: ${r.firstFailure}`);
  if (r.overloaded) notes.push(`${label}: fell behind ${PACED_RATE} turns/s and the load stopped early.`);
  if (!existsSync(observed)) return void notes.push(`${label}: bench/observe.mjs wrote nothing within 15 s of SIGUSR2, so the p99 is not split by cause.`);
  const split = splitTail(r.timings, JSON.parse(readFileSync(observed, 'utf8')) as Observations, { turnsAwaitSync });
  Object.assign(results, {
    [k('p99_tail_turns')]: split.turns,
    [k('p99_tail_mean_ms')]: split.meanMs,
    [k('p99_queue_ms')]: split.queueMs,
    [k('p99_gc_ms')]: split.gcMs,
    [k('p99_fsync_ms')]: split.fsyncMs,
    [k('p99_other_ms')]: split.otherMs,
    [k('all_split_ms')]: split.all,
    [k('gc_ms_per_s')]: split.gcPauseMsPerS,
    [k('gc_max_ms')]: split.gcMaxMs,
    [k('gc_counts')]: split.gcCounts,
    [k('fsync_count')]: split.syncCount,
    [k('fsync_p50_ms')]: split.syncP50Ms,
    [k('fsync_p99_ms')]: split.syncP99Ms,
    [k('loop_delay_p99_ms')]: split.loopDelayP99Ms,
    [k('clock_skew_ms')]: split.clockSkewMs,
  });
  if (split.unmatched) notes.push(`${label}: ${split.unmatched} turns had no server-side record; their queueing counts only the driver's lateness.`);
  if (split.clockSkewMs < -0.5) notes.push(`${label}: the server started on a request ${-split.clockSkewMs} ms before the driver sent it, so the two clocks disagree by about that much.`);
}

const floorTurns = { text: FLOOR_TEXT };
const botTurns = { cards: PROCEDURE };
await phase('http-paced', () => pacedRun('http_', 'paced bare restify (HTTP ceiling)', (env) => startBare(startOverride, env), floorTurns, false), 'paced');
await phase('echo-paced', () => pacedRun('echo_', 'paced echo bot (SDK floor)', (env) => startEcho(startOverride, env), floorTurns, false), 'paced');
// The bot inherits this environment: with the deferred sync no turn waits for one (bench/README.md).
await phase('paced', async () => {
  await pacedRun('', 'paced bot', (env) => startBot({ DATA_DIR: dataDir('paced'), ...env }), botTurns, readConfig(process.env).decisionLogSync === 'strict');
  Object.assign(results, {
    paced_rate: PACED_RATE,
    paced_conversations: PACED_CONVERSATIONS,
    paced_p99_echo_ratio: ratio(results.paced_p99_ms, results.echo_paced_p99_ms),
    paced_p999_echo_ratio: ratio(results.paced_p999_ms, results.echo_paced_p999_ms),
  });
});

// 4. Capacity: open-loop steps on one warm server, rate raised by 1.6× until the p99 passes
// CAPACITY_P99_MS, then bisected; the echo bot (text) first, then the bot (cards).
async function capacitySearch(name: string, server: ServerProcess, turns: OpenLoadOptions['turns']): Promise<{ rps: number; steps: Json[] }> {
  const { warmupS, durationS, steps, first } = PLAN.capacity;
  const tried: Json[] = [];
  let [lo, hi, rate] = [0, Infinity, first];
  for (let step = 1; step <= steps; step++) {
    const r = await openLoad({ url: server.url, rate, conversations: PACED_CONVERSATIONS, warmupS, durationS, turns, tag: `${name}-${step}`, label: `${name} step ${step}/${steps}` });
    const ok = !r.overloaded && r.failures === 0 && r.p99 <= CAPACITY_P99_MS;
    tried.push({ rate, answered_rps: r.turnsPerS, p99_ms: r.p99, failures: r.failures, overloaded: r.overloaded, ok });
    if (ok) lo = rate;
    else hi = rate;
    if (server.exited() !== undefined) {
      notes.push(`${name}: the server exited (code ${server.exited()}) at ${rate} turns/s.`);
      break;
    }
    rate = hi === Infinity ? Math.round(rate * 1.6) : Math.round((lo + hi) / 2);
    if (hi - lo <= Math.max(10, lo * 0.05)) break;
    await sleep(1000); // let the previous step's queue drain
  }
  if (hi === Infinity) notes.push(`${name}: every rate tried passed; ${lo} turns/s is a lower bound.`);
  return { rps: lo, steps: tried };
}

await phase(
  'echo-capacity',
  async () => {
    const echo = await startEcho(startOverride);
    try {
      const c = await capacitySearch('echo capacity', echo, floorTurns);
      Object.assign(results, { echo_capacity_rps: c.rps, echo_capacity_steps: c.steps });
    } finally {
      await echo.stop(5000);
    }
  },
  'capacity',
);
await phase('capacity', async () => {
  const bot = await startBot({ DATA_DIR: dataDir('capacity') });
  try {
    await firstTurn(bot.url);
    const c = await capacitySearch('capacity', bot, botTurns);
    Object.assign(results, { capacity_rps: c.rps, capacity_p99_limit_ms: CAPACITY_P99_MS, capacity_steps: c.steps, capacity_echo_ratio: ratio(c.rps, results.echo_capacity_rps) });
  } finally {
    await bot.stop(5000);
  }
});

// 5. What a conversation costs in stored state: walks of WALK_ANSWERS answers, then the state files' bytes once the bot has stopped.
await phase('state', async () => {
  const dir = dataDir('state');
  const bot = await startBot({ DATA_DIR: dir });
  try {
    await firstTurn(bot.url);
    const before = stateFiles(dir);
    const w = await walkAnswers({ url: bot.url, conversations: PLAN.walks, answers: WALK_ANSWERS, procedureIds: WALK_PROCEDURES, tag: 'state' });
    const code = await bot.stop();
    if (code !== 0) notes.push(`state: the bot exited with ${code} on SIGTERM.`);
    const after = stateFiles(dir);
    const walked = PLAN.walks - w.failures;
    Object.assign(results, {
      state_bytes_per_conversation: round((after.bytes - before.bytes) / Math.max(1, walked), 0),
      state_files_per_conversation: round((after.files - before.files) / Math.max(1, walked), 2),
      state_conversations: walked,
      state_answers_per_conversation: WALK_ANSWERS,
    });
    if (w.failures) notes.push(`state: ${w.failures} of ${PLAN.walks} walks failed, first: ${w.firstFailure}`);
  } finally {
    await bot.stop(5000);
  }
});

// 6. Start with stored conversations: a bot creates them over HTTP (whatever its store keeps), stops; then the start is timed on that DATA_DIR.
await phase('start', async () => {
  const dir = dataDir('stored');
  const prep = await startBot({ DATA_DIR: dir });
  let served = 0;
  try {
    await firstTurn(prep.url);
    const made = await newConversations({ url: prep.url, count: PLAN.stored.conversations, connections: PLAN.connections, maxS: 300, procedureId: PROCEDURE, tag: 'stored', label: `storing ${PLAN.stored.conversations} conversations` });
    served = made.served;
    if (made.failures) notes.push(`start: ${made.failures} failed turns while storing conversations, first: ${made.firstFailure}`);
  } finally {
    await prep.stop();
  }
  const starts: number[] = [];
  const listens: number[] = [];
  let idleMb = Number.NaN;
  for (let i = 0; i < PLAN.stored.starts; i++) {
    const bot = await startBot({ DATA_DIR: dir });
    try {
      await firstTurn(bot.url);
      starts.push(Math.round(performance.now() - bot.spawnedAt));
      listens.push(Math.round(bot.listenMs));
      idleMb = memoryOf(bot.pid)?.rssMb ?? Number.NaN;
    } finally {
      await bot.stop(5000);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  progress('start').done(`${served} stored conversations: first turn answered after ${starts.join(', ')} ms`);
  Object.assign(results, { start_ms: median(starts), start_runs_ms: starts, listen_ms: median(listens), start_stored_conversations: served, start_rss_idle_mb: round(idleMb, 1) });
  if (served < 20_000) notes.push(`start: measured with ${served} stored conversations, not 20,000 (${mode} run).`);
  rmSync(dir, { recursive: true, force: true });
});

// 7. Distinct conversations: RSS after many conversations on one bot, and again after it has been idle.
await phase('conversations', async () => {
  const { conversations: count, maxS, settleS } = PLAN.distinct;
  const dir = dataDir('distinct');
  const bot = await startBot({ DATA_DIR: dir });
  try {
    await firstTurn(bot.url);
    const idle = memoryOf(bot.pid);
    const sampler = sampleMemory(bot.pid, 500);
    const r = await newConversations({ url: bot.url, count, connections: PLAN.connections, maxS, procedureId: PROCEDURE, tag: 'distinct', label: `${count} distinct conversations` });
    const mem = sampler.stop();
    await sleep(200);
    const crashed = bot.exited() !== undefined;
    const end = crashed ? undefined : memoryOf(bot.pid);
    await sleep(settleS * 1000);
    const settled = crashed ? undefined : memoryOf(bot.pid);
    Object.assign(results, {
      rss_after_150k_conversations_mb: round(end?.rssMb ?? Number.NaN, 1),
      rss_150k_idle_mb: round(idle?.rssMb ?? Number.NaN, 1),
      rss_150k_peak_mb: round(mem.maxRssMb, 1),
      rss_150k_settled_mb: round(settled?.rssMb ?? Number.NaN, 1),
      rss_150k_settled_over_idle_mb: round((settled?.rssMb ?? Number.NaN) - (idle?.rssMb ?? Number.NaN), 1),
      conversations_150k_planned: count,
      conversations_150k_served: r.served,
      conversations_150k_s: r.seconds,
      conversations_150k_failures: r.failures,
      conversations_150k_crashes: crashed ? 1 : 0,
      conversations_150k_settle_s: settleS,
    });
    if (crashed) notes.push(`conversations: the bot died after about ${r.served} conversations (exit ${bot.exited()}): ${bot.output().trim().split('\n').slice(-3).join(' / ').slice(0, 400)}`);
    else if (r.failures) notes.push(`conversations: ${r.failures} failed turns, first: ${r.firstFailure}`);
    if (count < 150_000) notes.push(`conversations: ${mode} run, ${count} distinct conversations, not 150,000.`);
    if (r.timedOut) {
      const why = `only ${r.served} of ${count} conversations within the ${maxS} s bound`;
      notes.push(`conversations: ${why}; an RSS target already missed on the way counts as missed, otherwise it is not judged.`);
      unjudged.rss_after_150k_conversations_mb = unjudged.rss_150k_settled_over_idle_mb = why;
    }
  } finally {
    await bot.stop(5000);
    rmSync(dir, { recursive: true, force: true });
  }
});

if (onlyPhases) notes.push(`only these phases ran: ${onlyPhases.join(', ')}.`);
// 3. Pre-fill two stores offline; the empty run's state documents are the template.
const smallDir = dataDir('growth-10k');
const largeDir = join(tempRoot, 'growth-100k');
await phase('prefill', async () => {
  const template = readStateTemplate(join(emptyDir, 'state'));
  const [smallDecisions, conversations] = PLAN.fill.small;
  const [largeDecisions] = PLAN.fill.large;
  const p = progress('pre-fill');
  const small = await prefill(smallDir, { decisions: { to: smallDecisions }, conversations, template, onProgress: (t) => p.tick(`10k store: ${t}`) });
  // The large store is the small one plus more decisions (the same conversations).
  cpSync(smallDir, largeDir, { recursive: true });
  const large = await prefill(largeDir, { decisions: { from: smallDecisions, to: largeDecisions }, conversations: 0, conversationIds: conversations, onProgress: (t) => p.tick(`100k store: ${t}`) });
  p.done(`${smallDecisions} decisions + ${conversations} conversations in ${small.ms} ms; ${largeDecisions - smallDecisions} more decisions in ${large.ms} ms`);
  Object.assign(results, {
    prefill_ms: small.ms + large.ms,
    prefill_100k_decision_mb: round(dirBytes(join(largeDir, 'decisions')) / 2 ** 20, 1),
    prefill_state_mb: round(small.stateBytes / 2 ** 20, 1),
  });
});

// 4. Growth: the same load on the pre-filled stores.
const emptyRps = results.turn_rps as number;
for (const [key, dir, decisions] of [['10k', smallDir, PLAN.fill.small[0]], ['100k', largeDir, PLAN.fill.large[0]]] as const) {
  await phase(`growth ${key}`, async () => {
    const logBefore = dirBytes(join(dir, 'decisions'));
    const r = await botRun(`turns (${decisions} decisions, ${PLAN.fill.small[1]} conversations)`, dir, `growth-${key}`, PLAN.growth);
    const logUsed = dirBytes(join(dir, 'decisions')) > logBefore;
    Object.assign(results, {
      [`growth_${key}_rps`]: r.load.turnsPerS,
      [`growth_${key}_p99_ms`]: r.load.p99,
      [`growth_${key}_ratio`]: round(r.load.turnsPerS / emptyRps, 3),
      [`growth_${key}_cpu_ms`]: r.cpuMsPerTurn,
      [`growth_${key}_start_ms`]: r.startMs,
      [`growth_${key}_rss_mb`]: r.rssMb,
      [`growth_${key}_rss_idle_mb`]: r.idleRssMb,
      [`growth_${key}_decisions`]: decisions,
      [`growth_${key}_conversations`]: PLAN.fill.small[1],
      [`growth_${key}_decision_log_used`]: logUsed,
    });
    if (!logUsed) notes.push(`growth ${key}: the bot did not append to DATA_DIR/decisions, so it does not use the JSON Lines decision log: the pre-filled decisions were not read.`);
  });
}
if (mode === 'smoke') notes.push(`smoke run: the growth rows use ${PLAN.fill.small[0]} and ${PLAN.fill.large[0]} decisions and ${PLAN.fill.small[1]} conversations, not 10,000 and 100,000.`);

// 4b. The team-lead views on the large store: each view over every pre-filled decision.
const VIEW_ROUNDS = { full: 10, quick: 3, smoke: 1 }[mode];
/** Puts a views run's figures under `prefix`: the median per view and the slowest answer of all. */
function viewResults(prefix: string, times: ViewTimes): void {
  for (const [name, t] of Object.entries(times)) results[`${prefix}_${name}_ms`] = t.medianMs;
  results[`${prefix}_max_ms`] = Math.max(...Object.values(times).map((t) => t.maxMs));
  const slowest = Object.entries(times).sort((a, b) => b[1].maxMs - a[1].maxMs)[0];
  if (slowest) results[`${prefix}_slowest`] = slowest[0];
}
await phase('views', async () => {
  const bot = await startBot({ DATA_DIR: largeDir, LEADS_API_TOKEN: VIEWS_TOKEN });
  try {
    await firstTurn(bot.url);
    const p = progress(`team-lead views (${PLAN.fill.large[0]} decisions)`);
    p.tick('asking each view', true);
    viewResults('views_100k', await viewsBench(bot.url, VIEW_ROUNDS));
    p.done(`slowest answer ${results.views_100k_max_ms} ms (${results.views_100k_slowest})`);
  } finally {
    await bot.stop();
  }
});

// 5. PostgreSQL: one instance, then two instances on one throwaway database with the load split across them.
const pgSkipped = await postgresColumn();
if (pgSkipped) {
  results.pg_skipped = pgSkipped;
  process.stderr.write(`  PostgreSQL column skipped: ${pgSkipped}\n`);
}

async function postgresColumn(): Promise<string | undefined> {
  if (noPg) return mode === 'smoke' ? 'smoke run' : '--no-pg';
  const support = join(repoRoot, 'test', 'support', 'postgres.ts');
  if (!existsSync(support)) return 'test/support/postgres.ts does not exist yet';
  if (!/DATABASE_URL/.test(readFileSync(join(repoRoot, 'src', 'bot', 'config.ts'), 'utf8'))) return 'the bot does not read DATABASE_URL yet';
  const { postgresBinDir, startPostgres } = (await import(support)) as typeof import('../test/support/postgres.js');
  const bin = postgresBinDir();
  if (!bin) return 'no PostgreSQL binaries in /usr/lib/postgresql/*/bin (apt-get install -y postgresql, or set PG_BIN_DIR)';
  return phase('postgres', async () => {
    const p = progress('PostgreSQL');
    p.tick('starting a throwaway cluster', true);
    const cluster = await startPostgres(bin);
    const bots: ServerProcess[] = [];
    try {
      const one = await cluster.createDatabase('oa_bench_one');
      const shared = await cluster.createDatabase('oa_bench_shared');
      const single = await startBot({ DATA_DIR: dataDir('pg-single'), DATABASE_URL: one });
      bots.push(single);
      await firstTurn(single.url);
      const alone = await turnLoad({ urls: [single.url], connections: PLAN.connections, warmupS: PLAN.pg[0], durationS: PLAN.pg[1], procedureId: PROCEDURE, tag: 'pg-one', label: 'turns (PostgreSQL, 1 instance)' });
      await single.stop();
      // One after the other: the first creates the schema.
      const a = await startBot({ DATA_DIR: dataDir('pg-a'), DATABASE_URL: shared });
      bots.push(a);
      await firstTurn(a.url);
      const b = await startBot({ DATA_DIR: dataDir('pg-b'), DATABASE_URL: shared });
      bots.push(b);
      await firstTurn(b.url);
      const samplers = [sampleMemory(a.pid), sampleMemory(b.pid)];
      const two = await turnLoad({ urls: [a.url, b.url], connections: PLAN.connections, warmupS: PLAN.pg[0], durationS: PLAN.pg[1], procedureId: PROCEDURE, tag: 'pg-two', label: 'turns (PostgreSQL, 2 instances)' });
      const mems = samplers.map((s) => s.stop());
      Object.assign(results, {
        pg_1_rps: alone.turnsPerS,
        pg_1_p99_ms: alone.p99,
        pg_2_rps: two.turnsPerS,
        pg_2_p50_ms: two.p50,
        pg_2_p99_ms: two.p99,
        pg_2_ratio: round(two.turnsPerS / emptyRps, 3),
        pg_2_vs_1_ratio: round(two.turnsPerS / alone.turnsPerS, 3),
        pg_2_refusals: two.refusals,
        pg_2_rss_mb: round(Math.max(...mems.map((m) => m.hwmMb)), 1),
      });
      for (const [name, r] of [['1 instance', alone], ['2 instances', two]] as const)
        if (r.failures) notes.push(`PostgreSQL ${name}: ${r.failures} failed turns, first: ${r.firstFailure}`);
      // The team-lead views on PostgreSQL: the large store copied in, one instance.
      const views = await cluster.createDatabase('oa_bench_views');
      const viewer = await startBot({ DATA_DIR: dataDir('pg-views'), DATABASE_URL: views, LEADS_API_TOKEN: VIEWS_TOKEN });
      bots.push(viewer);
      await firstTurn(viewer.url);
      p.tick(`copying ${PLAN.fill.large[0]} decisions into PostgreSQL`, true);
      results.pg_views_decisions = await copyToPostgres(join(largeDir, 'decisions'), views);
      p.tick('asking each team-lead view', true);
      viewResults('pg_views_100k', await viewsBench(viewer.url, VIEW_ROUNDS));
      notes.push('postgres: the "other processes" share of this phase includes PostgreSQL itself (its server runs as another user, outside this process tree).');
      return undefined;
    } catch (e) {
      const why = (e as Error).message.split('\n')[0];
      notes.push(`PostgreSQL column failed: ${why}`);
      return `failed: ${why}`;
    } finally {
      await Promise.all(bots.map((bot) => bot.stop(5000)));
      await cluster.destroy();
    }
  });
}

// 6. Search, in process, after the loads (its indexes would otherwise weigh on the load driver's heap).
await phase('search', async () => {
  const s = searchBench(join(repoRoot, 'kb'), PLAN.search.rounds, PLAN.search.warmup);
  Object.assign(results, {
    search_p50_ms: s.real.p50,
    search_p99_ms: s.real.p99,
    search_1000_p50_ms: s.synthetic.p50,
    search_1000_p99_ms: s.synthetic.p99,
    search_questions: s.real.questions,
    search_1000_questions: s.synthetic.questions,
    search_rounds: PLAN.search.rounds,
    search_worst_question_p99_ms: s.real.worstP99,
    search_1000_worst_question_p99_ms: s.synthetic.worstP99,
    search_1000_build_ms: s.synthetic.buildMs,
    search_1000_worst_question: s.synthetic.worstQuestion,
    search_per_question: s.real.perQuestion,
    search_1000_per_question: s.synthetic.perQuestion,
  });
  if (!s.source.startsWith('test/fixtures')) notes.push(`search: ${s.source}.`);
});

// Where the empty-store bot's CPU time went (--profile): the profile this run wrote to bench/profiles/.
if (profile) {
  const runStart = Date.now() - (performance.now() - started);
  const file = readdirSync(PROFILES_DIR)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(PROFILES_DIR, f))
    .filter((f) => statSync(f).mtimeMs >= runStart)
    .sort((x, y) => statSync(y).size - statSync(x).size)[0];
  if (file) {
    process.stderr.write(`\nCPU profile of the empty-store bot under the turn load (startup included): ${relative(repoRoot, file)}\n${summarizeProfile(file, 25)}\n`);
    results.profile_file = relative(repoRoot, file);
  } else notes.push('--profile: the bot wrote no CPU profile (did it exit cleanly?).');
}

// ---------------------------------------------------------------- the table and results.json

interface Row {
  row: string;
  measure: string;
  key: string;
  unit?: string;
  target?: { op: '>=' | '<='; value: number };
}

const g = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
const ROWS: Row[] = [
  { row: 'http', measure: `bare restify POST of the same activity JSON, requests/s (${PLAN.connections} connections)`, key: 'http_rps' },
  { row: 'http', measure: 'p50 / p99 latency', key: 'http_p99_ms', unit: 'ms' },
  { row: 'http', measure: 'server CPU per request', key: 'http_cpu_ms', unit: 'ms' },
  { row: 'echo', measure: `echo bot (CloudAdapter, expectReplies, ConversationState on MemoryStorage, one text reply), turns/s`, key: 'echo_rps' },
  { row: 'echo', measure: 'p50 / p99 latency', key: 'echo_p99_ms', unit: 'ms' },
  { row: 'echo', measure: 'server CPU per turn', key: 'echo_cpu_ms', unit: 'ms' },
  { row: 'echo', measure: 'echo turns/s ÷ bare POST requests/s', key: 'echo_http_ratio' },
  { row: 'turns', measure: `procedure turns/s (${PLAN.connections} conversations, closed loop, empty store)`, key: 'turn_rps' },
  { row: 'turns', measure: 'ratio to the echo bot (turns/s ÷ echo turns/s)', key: 'turn_echo_ratio', target: { op: '>=', value: 0.7 } },
  { row: 'turns', measure: 'ratio to the bare POST (turns/s ÷ requests/s)', key: 'turn_http_ratio' },
  { row: 'turns', measure: 'p50 / p99 latency (closed loop: ≈ conversations ÷ turns/s, a queue)', key: 'turn_p99_ms', unit: 'ms' },
  { row: 'turns', measure: 'p99 of the turn that reaches the outcome / of the other turns', key: 'turn_outcome_p99_ms', unit: 'ms' },
  { row: 'turns', measure: 'server CPU per turn', key: 'turn_cpu_ms', unit: 'ms' },
  { row: 'turns', measure: 'CPU per turn ÷ the echo bot\'s', key: 'turn_cpu_echo_ratio' },
  { row: 'turns', measure: 'load driver CPU per turn (same machine)', key: 'turn_driver_cpu_ms', unit: 'ms' },
  { row: 'turns', measure: 'dialogs completed/s', key: 'dialogs_per_s' },
  { row: 'turns', measure: 'failed turns', key: 'turn_failures' },
  { row: 'paced', measure: `open loop, ${PACED_RATE} turns/s offered (Poisson), ${PACED_CONVERSATIONS} conversations: turns/s answered`, key: 'paced_rps' },
  { row: 'paced', measure: 'p50 latency from the scheduled send', key: 'paced_p50_ms', unit: 'ms' },
  { row: 'paced', measure: 'p99 latency from the scheduled send (the floors\' p99 at the same load)', key: 'paced_p99_ms', unit: 'ms', target: { op: '<=', value: 15 } },
  { row: 'paced', measure: 'p99.9 latency from the scheduled send (the floors\' p99.9)', key: 'paced_p999_ms', unit: 'ms', target: { op: '<=', value: 50 } },
  { row: 'paced', measure: 'p99 split: mean of the turns at or above p99 = queueing + GC + fsync + the rest', key: 'paced_p99_tail_mean_ms', unit: 'ms' },
  { row: 'paced', measure: 'GC pauses per second of load / longest pause', key: 'paced_gc_ms_per_s', unit: 'ms' },
  { row: 'paced', measure: 'fdatasync p50 / p99 (decision log)', key: 'paced_fsync_p50_ms', unit: 'ms' },
  { row: 'paced', measure: 'event-loop delay p99', key: 'paced_loop_delay_p99_ms', unit: 'ms' },
  { row: 'paced', measure: 'the bot\'s p99 / p99.9 ÷ the echo bot\'s', key: 'paced_p99_echo_ratio' },
  { row: 'paced echo', measure: `the echo bot (SDK floor), the same open loop posting text: turns/s answered of ${PACED_RATE}`, key: 'echo_paced_rps' },
  { row: 'paced echo', measure: 'p50 / p99 / p99.9 latency from the scheduled send', key: 'echo_paced_p99_ms', unit: 'ms' },
  { row: 'paced echo', measure: 'p99 split: tail mean = queueing + GC + fsync + the rest', key: 'echo_paced_p99_tail_mean_ms', unit: 'ms' },
  { row: 'paced echo', measure: 'GC pauses per second of load / longest pause', key: 'echo_paced_gc_ms_per_s', unit: 'ms' },
  { row: 'paced http', measure: `bare restify (HTTP ceiling), the same open loop posting text: requests/s answered of ${PACED_RATE}`, key: 'http_paced_rps' },
  { row: 'paced http', measure: 'p50 / p99 / p99.9 latency from the scheduled send', key: 'http_paced_p99_ms', unit: 'ms' },
  { row: 'capacity', measure: `highest offered rate (open loop) whose p99 stays ≤ ${CAPACITY_P99_MS} ms, turns/s (the echo bot's)`, key: 'capacity_rps', target: { op: '>=', value: 600 } },
  { row: 'capacity', measure: 'the same for the echo bot (SDK floor), posting text', key: 'echo_capacity_rps' },
  { row: 'capacity', measure: 'the bot\'s ÷ the echo bot\'s', key: 'capacity_echo_ratio' },
  { row: 'state', measure: `stored state per conversation after a ${WALK_ANSWERS}-answer walk (state files, bytes)`, key: 'state_bytes_per_conversation', target: { op: '<=', value: 1024 } },
  { row: 'start', measure: `process start to first answered turn, ${g(PLAN.stored.conversations)} stored conversations (npm start, after its build)`, key: 'start_ms', unit: 'ms', target: { op: '<=', value: 1000 } },
  { row: 'start', measure: 'the same on an empty store', key: 'start_empty_ms', unit: 'ms' },
  { row: 'memory', measure: `RSS right after ${g(PLAN.distinct.conversations)} distinct conversations`, key: 'rss_after_150k_conversations_mb', unit: 'MiB', target: { op: '<=', value: 200 } },
  { row: 'memory', measure: 'the bot crashed during that run (1 = yes)', key: 'conversations_150k_crashes', target: { op: '<=', value: 0 } },
  { row: 'memory', measure: `RSS after ${PLAN.distinct.settleS} s idle minus RSS idle before the run`, key: 'rss_150k_settled_over_idle_mb', unit: 'MiB', target: { op: '<=', value: 30 } },
  { row: 'memory', measure: 'peak RSS of the server under the turn load (VmHWM)', key: 'rss_mb', unit: 'MiB', target: { op: '<=', value: 200 } },
  { row: 'memory', measure: 'RSS idle after start', key: 'rss_idle_mb', unit: 'MiB' },
  { row: 'memory', measure: 'RSS of the tsx wrapper process (only when started with tsx), not counted above', key: 'rss_tsx_wrapper_mb', unit: 'MiB' },
  { row: 'growth', measure: `turns/s, ${g(PLAN.fill.small[0])} decisions + ${g(PLAN.fill.small[1])} conversations`, key: 'growth_10k_rps' },
  { row: 'growth', measure: 'p99 latency', key: 'growth_10k_p99_ms', unit: 'ms' },
  { row: 'growth', measure: 'ratio to empty store', key: 'growth_10k_ratio' },
  { row: 'growth', measure: `turns/s, ${g(PLAN.fill.large[0])} decisions + ${g(PLAN.fill.small[1])} conversations`, key: 'growth_100k_rps' },
  { row: 'growth', measure: 'p99 latency', key: 'growth_100k_p99_ms', unit: 'ms' },
  { row: 'growth', measure: 'ratio to empty store', key: 'growth_100k_ratio', target: { op: '>=', value: 0.67 } },
  { row: 'growth', measure: 'server CPU per turn', key: 'growth_100k_cpu_ms', unit: 'ms' },
  { row: 'growth', measure: 'start to first answered turn', key: 'growth_100k_start_ms', unit: 'ms' },
  { row: 'growth', measure: 'RSS idle after start / peak under load', key: 'growth_100k_rss_mb', unit: 'MiB' },
  ...viewRows('views', 'views_100k', 'embedded store (JSON Lines)'),
  { row: 'search', measure: `real KB, ${results.search_questions} questions: p50`, key: 'search_p50_ms', unit: 'ms' },
  { row: 'search', measure: 'real KB: p99', key: 'search_p99_ms', unit: 'ms' },
  { row: 'search', measure: `1,000 procedures, ${results.search_1000_questions} questions: p50`, key: 'search_1000_p50_ms', unit: 'ms' },
  { row: 'search', measure: '1,000 procedures: p99', key: 'search_1000_p99_ms', unit: 'ms', target: { op: '<=', value: 5 } },
  { row: 'search', measure: '1,000 procedures: p99 of the slowest question', key: 'search_1000_worst_question_p99_ms', unit: 'ms' },
  { row: 'postgres', measure: 'turns/s, 1 instance', key: 'pg_1_rps' },
  { row: 'postgres', measure: 'p99 latency, 1 instance', key: 'pg_1_p99_ms', unit: 'ms' },
  { row: 'postgres', measure: 'turns/s, 2 instances sharing one database', key: 'pg_2_rps' },
  { row: 'postgres', measure: 'p99 latency, 2 instances', key: 'pg_2_p99_ms', unit: 'ms' },
  { row: 'postgres', measure: '2 instances ÷ 1 lowdb instance', key: 'pg_2_ratio' },
  ...viewRows('postgres', 'pg_views_100k', 'PostgreSQL'),
];

/** The team-lead views' rows: the slowest answer against the target, then each view's median. */
function viewRows(row: string, prefix: string, store: string): Row[] {
  const names: Record<string, string> = {
    decisions: 'decisions list, one page', decisions_name: 'filtered by part of a name', decisions_title: 'filtered by part of a title',
    decisions_wrong: 'verdict=wrong', decisions_none: 'verdict=none&reviewed=false', facets: 'facets (pickers)', gaps: 'gap report', stats: 'stats per day, procedure, outcome',
    funnel: 'one procedure’s funnel', map: 'its map with counts (SVG)',
  };
  return [
    { row, measure: `team-lead views, ${store}, ${g(PLAN.fill.large[0])} decisions: the slowest answer of any view (${VIEW_ROUNDS} rounds each)`, key: `${prefix}_max_ms`, unit: 'ms', target: { op: '<=', value: 200 } },
    ...Object.entries(names).map(([k, measure]) => ({ row, measure: `${measure}: median`, key: `${prefix}_${k}_ms`, unit: 'ms' })),
  ];
}

/** A paced load's p99 split as one cell. */
const tailSplitShown = (p: string) =>
  `${fmt(results[`${p}p99_tail_mean_ms`])} ms (${fmt(results[`${p}p99_tail_turns`])} turns) = queueing ${fmt(results[`${p}p99_queue_ms`])} + GC ${fmt(results[`${p}p99_gc_ms`])} + fsync ${fmt(results[`${p}p99_fsync_ms`])} + the rest ${fmt(results[`${p}p99_other_ms`])}`;

/** Rows that show a second figure (or a breakdown) after the key's own value. */
const both = (a: string, b: string, unit = '') => `${fmt(results[a])}${unit} / ${fmt(results[b])}${unit}`;
const SHOWN: Partial<Record<string, () => string>> = {
  http_p99_ms: () => both('http_p50_ms', 'http_p99_ms', ' ms'),
  echo_p99_ms: () => both('echo_p50_ms', 'echo_p99_ms', ' ms'),
  turn_p99_ms: () => both('turn_p50_ms', 'turn_p99_ms', ' ms'),
  turn_outcome_p99_ms: () => both('turn_outcome_p99_ms', 'turn_question_p99_ms', ' ms'),
  paced_p99_ms: () => `${fmt(results.paced_p99_ms)} ms (echo ${fmt(results.echo_paced_p99_ms)}, bare ${fmt(results.http_paced_p99_ms)})`,
  paced_p999_ms: () => `${fmt(results.paced_p999_ms)} ms (echo ${fmt(results.echo_paced_p999_ms)}, bare ${fmt(results.http_paced_p999_ms)})`,
  paced_p99_tail_mean_ms: () => tailSplitShown('paced_'),
  echo_paced_p99_tail_mean_ms: () => tailSplitShown('echo_paced_'),
  paced_gc_ms_per_s: () => both('paced_gc_ms_per_s', 'paced_gc_max_ms', ' ms'),
  echo_paced_gc_ms_per_s: () => both('echo_paced_gc_ms_per_s', 'echo_paced_gc_max_ms', ' ms'),
  paced_p99_echo_ratio: () => both('paced_p99_echo_ratio', 'paced_p999_echo_ratio'),
  echo_paced_p99_ms: () => `${fmt(results.echo_paced_p50_ms)} / ${fmt(results.echo_paced_p99_ms)} / ${fmt(results.echo_paced_p999_ms)} ms`,
  http_paced_p99_ms: () => `${fmt(results.http_paced_p50_ms)} / ${fmt(results.http_paced_p99_ms)} / ${fmt(results.http_paced_p999_ms)} ms`,
  capacity_rps: () => `${fmt(results.capacity_rps)} (echo ${fmt(results.echo_capacity_rps)})`,
  paced_fsync_p50_ms: () => `${both('paced_fsync_p50_ms', 'paced_fsync_p99_ms', ' ms')} (${fmt(results.paced_fsync_count)} syncs)`,
  rss_after_150k_conversations_mb: () => `${fmt(results.rss_after_150k_conversations_mb)} MiB (${fmt(results.conversations_150k_served)} served in ${fmt(results.conversations_150k_s)} s; idle before ${fmt(results.rss_150k_idle_mb)}, peak ${fmt(results.rss_150k_peak_mb)}, after ${PLAN.distinct.settleS} s idle ${fmt(results.rss_150k_settled_mb)})`,
  growth_100k_rss_mb: () => both('growth_100k_rss_idle_mb', 'growth_100k_rss_mb', ' MiB'),
};


const judged = mode !== 'smoke';
const targets: Record<string, Json> = {};
const fmt = (v: Json | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: 4 }) : v === undefined || v === null || typeof v === 'number' ? '—' : String(v));
const lines: string[] = [];
lines.push(`Bot started with \`${start.command}\`${results.build_ms ? ` (built first in ${results.build_ms} ms, not counted in start_ms)` : ''}.`);
lines.push('');
lines.push(`Benchmark (${mode}) · ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}) · Node ${process.version} · ${new Date().toISOString().slice(0, 16)}Z`);
lines.push('');
lines.push('| row | measure | key | value | target | result |');
lines.push('|---|---|---|---|---|---|');
let pgSkipLine = false;
for (const r of ROWS) {
  const value = results[r.key];
  if (onlyPhases && value === undefined && !r.target) continue;
  if (r.key === 'rss_tsx_wrapper_mb' && !start.tsx) continue; // no wrapper process
  if (r.row === 'postgres' && value === undefined) {
    if (!pgSkipLine) lines.push(`| postgres | skipped: ${results.pg_skipped ?? '?'} | | | | |`);
    pgSkipLine = true;
    continue;
  }
  let targetText = '';
  let verdict = '';
  if (r.target) {
    targetText = `${r.target.op === '>=' ? '≥' : '≤'} ${r.target.value}${r.unit ? ` ${r.unit}` : ''}`;
    const v = typeof value === 'number' ? value : Number.NaN;
    const reached = Number.isFinite(v) ? (r.target.op === '>=' ? v >= r.target.value : v <= r.target.value) : null;
    // A run cut short cannot show a target met, but a miss on the way there is a miss.
    const met = unjudged[r.key] && reached !== false ? null : reached;
    const why = met === null && unjudged[r.key] ? unjudged[r.key] : undefined;
    targets[r.key] = { target: targetText, value: Number.isFinite(v) ? v : null, met: judged ? met : null, ...(why ? { why_not_judged: why } : {}) };
    verdict = !judged || why ? 'not judged' : met === null ? '—' : met ? 'met' : 'MISSED';
  }
  const custom = SHOWN[r.key];
  const shown = custom && value !== undefined ? custom() : `${fmt(value)}${r.unit && value !== undefined ? ` ${r.unit}` : ''}`;
  lines.push(`| ${r.row} | ${r.measure} | ${r.key} | ${shown} | ${targetText} | ${verdict} |`);
}
results.targets = targets;
results.mode = mode;
results.machine = { cpus: cpus().length, model: cpus()[0]?.model ?? '', node: process.version, loadavg: loadavg().map((x) => round(x, 2)) };
results.others_cpu_pct = othersCpu;
results.phase_s = phaseSeconds;
results.total_s = round((performance.now() - started) / 1000, 1);
results.at = new Date().toISOString();
results.notes = notes;
const missed = Object.entries(targets).filter(([, t]) => (t as { met: boolean | null }).met === false).map(([k]) => k);
lines.push('');
lines.push(judged ? (missed.length ? `Targets missed: ${missed.join(', ')}.` : 'All targets met.') : 'Smoke run: targets not judged.');
lines.push(`Other processes' share of the CPUs per phase (%): ${Object.entries(othersCpu).map(([k, v]) => `${k} ${v}`).join(', ')}. Total ${results.total_s} s.`);
for (const n of notes) lines.push(`Note: ${n}`);

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
process.stderr.write('\n');
console.log(lines.join('\n'));
process.stderr.write(`\nresults written to ${outFile}\n`);
