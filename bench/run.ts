/**
 * `npm run bench` (tsx bench/run.ts): the bot's turn throughput, latency and memory against a bare
 * restify baseline, and how they hold as the store grows. Prints one table on stdout (progress on
 * stderr) and writes the same figures to bench/results.json. See bench/README.md.
 *
 *   --quick      short durations (under a minute in all)
 *   --smoke      a few seconds, tiny loads and pre-fills, no PostgreSQL, targets not judged (npm test)
 *   --out FILE   write the results there instead of bench/results.json
 *   --no-pg      skip the PostgreSQL column
 *   --profile    run the empty-store bot under --cpu-prof and print where its CPU time goes
 *   --wait-idle  before each phase wait (at most 2 minutes) until other processes leave the CPUs alone
 *   --start CMD  start the bot with CMD instead of package.json "start" (e.g. "tsx src/bot/index.ts")
 *   --only-turns baseline, turns and paced turns only (no pre-fill, growth, PostgreSQL, search)
 *
 * Everything runs on 127.0.0.1; every load is bounded in time; temporary data is removed afterwards.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { prefill, readStateTemplate } from './prefill.js';
import { buildIfNeeded, cpuMsOf, memoryOf, ownProcesses, repoRoot, sampleMemory, startBaseline, startBot as startBotWith, startCommand, type ServerProcess } from './processes.js';
import { pacedLoad } from './pacedLoad.js';
import { summarizeProfile } from './profileSummary.js';
import { searchBench } from './searchBench.js';
import { progress, round, sleep } from './stats.js';
import { getLoad, turnLoad, type TurnLoadResult } from './turnLoad.js';

type Mode = 'full' | 'quick' | 'smoke';
type Json = number | string | boolean | null | Json[] | { [key: string]: Json };

const args = process.argv.slice(2);
const mode: Mode = args.includes('--smoke') ? 'smoke' : args.includes('--quick') ? 'quick' : 'full';
const outIndex = args.indexOf('--out');
const outFile = resolve(outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1] : join(repoRoot, 'bench', 'results.json'));
const profile = args.includes('--profile');
const waitIdle = args.includes('--wait-idle');
const onlyTurns = args.includes('--only-turns');
const noPg = args.includes('--no-pg') || mode === 'smoke' || onlyTurns;
const startIndex = args.indexOf('--start');
const startOverride = startIndex >= 0 ? args[startIndex + 1] : undefined;
const startBot = (env: Record<string, string>, nodeArgs: string[] = []) => startBotWith(env, nodeArgs, startOverride);

/** Seconds of [warm-up, measured] load per phase, pre-fill sizes [decisions, conversations], search rounds. */
const PLAN = {
  full: { connections: 50, paced: [3, 20], baseline: [3, 20], turns: [5, 30], growth: [3, 20], pg: [3, 20], search: { rounds: 200, warmup: 20 }, fill: { small: [10_000, 10_000], large: [100_000, 10_000] } },
  quick: { connections: 50, paced: [1, 5], baseline: [1, 2], turns: [2, 4], growth: [1, 2], pg: [1, 2], search: { rounds: 10, warmup: 2 }, fill: { small: [10_000, 10_000], large: [100_000, 10_000] } },
  smoke: { connections: 10, paced: [0, 1], baseline: [0, 1], turns: [0, 1], growth: [0, 1], pg: [0, 1], search: { rounds: 2, warmup: 1 }, fill: { small: [200, 100], large: [1_000, 100] } },
}[mode];
const PROCEDURE = 'case-repeat-inquiry';
/** Mean pause before each click in the paced load (turn_p99_at_rate_ms): an operator reading a card and clicking. */
const THINK_MS = 200;

const results: Record<string, Json> = {};
const notes: string[] = [];
const phaseSeconds: Record<string, number> = {};
const othersCpu: Record<string, number> = {};

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

/** Runs a phase: optionally waits for idle CPUs first, times it, records what other processes took meanwhile. */
async function phase<T>(name: string, body: () => Promise<T>): Promise<T | undefined> {
  if (onlyTurns && !['baseline', 'turns', 'paced'].includes(name)) return undefined;
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

// ---------------------------------------------------------------- the run

const started = performance.now();
process.stderr.write(`benchmark (${mode}) on ${cpus().length} CPUs, Node ${process.version}; temporary data in ${tempRoot}\n`);
// The bot runs as `npm start` runs it (package.json "start"), built first as `prestart` builds it.
const start = startCommand(startOverride);
results.start_command = start.command;
results.build_ms = buildIfNeeded(start.script);
process.stderr.write(`bot started with: ${start.command}${results.build_ms ? ` (built in ${results.build_ms} ms)` : ''}\n`);

// 1. Baseline: bare restify in its own process.
await phase('baseline', async () => {
  const baseline = await startBaseline();
  try {
    let cpu0 = 0;
    const b = await getLoad(baseline.url, PLAN.connections, PLAN.baseline[1], PLAN.baseline[0], 'baseline (bare restify)', () => (cpu0 = cpuMsOf(baseline.pid)));
    const cpuMs = cpuMsOf(baseline.pid) - cpu0;
    Object.assign(results, { baseline_rps: b.rps, baseline_p50_ms: b.p50, baseline_p99_ms: b.p99, baseline_cpu_ms_per_request: round(cpuMs / Math.max(1, b.requests), 4) });
    if (b.failures) notes.push(`baseline: ${b.failures} failed requests.`);
  } finally {
    await baseline.stop(5000);
  }
});

// 2. Turns on an empty store; start time and memory.
const emptyDir = dataDir('empty');
const profileDir = profile ? dataDir('profile') : undefined;
await phase('turns', async () => {
  const r = await botRun('turns (empty store)', emptyDir, 'empty', PLAN.turns, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  const k = r.load.byKind;
  Object.assign(results, {
    turn_rps: r.load.turnsPerS,
    turn_p50_ms: r.load.p50,
    turn_p99_ms: r.load.p99,
    turn_ratio: round(r.load.turnsPerS / (results.baseline_rps as number), 3),
    turn_max_ms: r.load.max,
    turn_start_p99_ms: k.start.p99,
    turn_question_p99_ms: k.question.p99,
    turn_outcome_p50_ms: k.outcome.p50,
    turn_outcome_p99_ms: k.outcome.p99,
    dialogs_per_s: round(r.load.dialogs / r.load.durationS, 1),
    turn_failures: r.load.failures,
    turn_cpu_ms: r.cpuMsPerTurn,
    turn_driver_cpu_ms: r.driverCpuMsPerTurn,
    turn_cpu_ratio: round((results.baseline_cpu_ms_per_request as number) / r.cpuMsPerTurn, 3),
    rss_mb: r.rssMb,
    rss_idle_mb: r.idleRssMb,
    rss_after_load_mb: r.lastRssMb,
    ...(start.tsx ? { rss_tsx_wrapper_mb: r.wrapperRssMb } : {}),
    start_ms: r.startMs,
    listen_ms: r.listenMs,
  });
  if (profileDir) notes.push(`--profile: the empty-store bot ran with --cpu-prof${start.tsx ? ' as `node --cpu-prof --import tsx` (no tsx wrapper)' : ''}, so its start, memory and speed are not quite those of \`npm start\`.`);
});

// 2b. The same walk at an operator's pace (think time before each click), on a fresh bot: the latency at a realistic load.
await phase('paced', async () => {
  const bot = await startBot({ DATA_DIR: dataDir('paced') });
  try {
    await firstTurn(bot.url);
    const r = await pacedLoad({ url: bot.url, conversations: PLAN.connections, thinkMs: THINK_MS, warmupS: PLAN.paced[0], durationS: PLAN.paced[1], procedureId: PROCEDURE, tag: 'paced', label: `turns (${PLAN.connections} conversations, ${THINK_MS} ms think time)` });
    Object.assign(results, {
      turn_rps_at_rate: r.turnsPerS,
      turn_p50_at_rate_ms: r.p50,
      turn_p99_at_rate_ms: r.p99,
      turn_max_at_rate_ms: r.max,
      turn_outcome_p99_at_rate_ms: r.outcomeP99,
      turn_question_p99_at_rate_ms: r.otherP99,
      turn_rate_think_ms: THINK_MS,
      turn_rate_conversations: PLAN.connections,
      turn_failures_at_rate: r.failures,
    });
    if (r.failures) notes.push(`paced: ${r.failures} failed turns, first: ${r.firstFailure}`);
  } finally {
    await bot.stop(5000);
  }
});

if (onlyTurns) notes.push('--only-turns: no pre-fill, growth, PostgreSQL or search.');
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

// 7. Where the empty-store bot's CPU time went (--profile).
if (profileDir) {
  const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  const file = files.map((f) => join(profileDir, f)).sort((x, y) => statSync(y).size - statSync(x).size)[0];
  if (file) {
    const kept = join(tmpdir(), `oa-bench-${Date.now()}.cpuprofile`);
    cpSync(file, kept);
    process.stderr.write(`\nCPU profile of the empty-store bot (startup included): ${kept}\n${summarizeProfile(kept, 25)}\n`);
    results.profile_file = kept;
  }
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
  { row: 'baseline', measure: 'bare restify GET, requests/s', key: 'baseline_rps' },
  { row: 'baseline', measure: 'p50 latency', key: 'baseline_p50_ms', unit: 'ms' },
  { row: 'baseline', measure: 'p99 latency', key: 'baseline_p99_ms', unit: 'ms' },
  { row: 'baseline', measure: 'server CPU per request', key: 'baseline_cpu_ms_per_request', unit: 'ms' },
  { row: 'turns', measure: `turns/s (${PLAN.connections} conversations, empty store)`, key: 'turn_rps' },
  { row: 'turns', measure: 'p50 latency', key: 'turn_p50_ms', unit: 'ms' },
  { row: 'turns', measure: 'p99 latency', key: 'turn_p99_ms', unit: 'ms', target: { op: '<=', value: 20 } },
  { row: 'turns', measure: 'ratio to baseline (turns/s ÷ requests/s)', key: 'turn_ratio', target: { op: '>=', value: 0.25 } },
  { row: 'turns', measure: 'p99 of the turn that reaches the outcome', key: 'turn_outcome_p99_ms', unit: 'ms' },
  { row: 'turns', measure: 'p99 of the other turns (start / next question)', key: 'turn_question_p99_ms', unit: 'ms' },
  { row: 'turns', measure: 'server CPU per turn', key: 'turn_cpu_ms', unit: 'ms' },
  { row: 'turns', measure: 'CPU ratio (baseline CPU/request ÷ CPU/turn)', key: 'turn_cpu_ratio' },
  { row: 'turns', measure: 'load driver CPU per turn (same machine)', key: 'turn_driver_cpu_ms', unit: 'ms' },
  { row: 'turns', measure: 'dialogs completed/s', key: 'dialogs_per_s' },
  { row: 'turns', measure: 'failed turns', key: 'turn_failures' },
  { row: 'paced', measure: `turns/s offered by ${PLAN.connections} conversations pausing ${THINK_MS} ms (mean) before each click`, key: 'turn_rps_at_rate' },
  { row: 'paced', measure: 'p50 latency at that rate', key: 'turn_p50_at_rate_ms', unit: 'ms' },
  { row: 'paced', measure: 'p99 latency at that rate', key: 'turn_p99_at_rate_ms', unit: 'ms' },
  { row: 'paced', measure: 'p99 at that rate: turn that reaches the outcome / the other turns', key: 'turn_outcome_p99_at_rate_ms', unit: 'ms' },
  { row: 'growth', measure: `turns/s, ${g(PLAN.fill.small[0])} decisions + ${g(PLAN.fill.small[1])} conversations`, key: 'growth_10k_rps' },
  { row: 'growth', measure: 'p99 latency', key: 'growth_10k_p99_ms', unit: 'ms' },
  { row: 'growth', measure: 'ratio to empty store', key: 'growth_10k_ratio' },
  { row: 'growth', measure: `turns/s, ${g(PLAN.fill.large[0])} decisions + ${g(PLAN.fill.small[1])} conversations`, key: 'growth_100k_rps' },
  { row: 'growth', measure: 'p99 latency', key: 'growth_100k_p99_ms', unit: 'ms' },
  { row: 'growth', measure: 'ratio to empty store', key: 'growth_100k_ratio', target: { op: '>=', value: 0.67 } },
  { row: 'growth', measure: 'server CPU per turn', key: 'growth_100k_cpu_ms', unit: 'ms' },
  { row: 'growth', measure: 'start to first answered turn', key: 'growth_100k_start_ms', unit: 'ms' },
  { row: 'growth', measure: 'RSS idle after start / peak under load', key: 'growth_100k_rss_mb', unit: 'MiB' },
  { row: 'search', measure: `real KB, ${results.search_questions} questions: p50`, key: 'search_p50_ms', unit: 'ms' },
  { row: 'search', measure: 'real KB: p99', key: 'search_p99_ms', unit: 'ms' },
  { row: 'search', measure: `1,000 procedures, ${results.search_1000_questions} questions: p50`, key: 'search_1000_p50_ms', unit: 'ms' },
  { row: 'search', measure: '1,000 procedures: p99', key: 'search_1000_p99_ms', unit: 'ms', target: { op: '<=', value: 5 } },
  { row: 'search', measure: '1,000 procedures: p99 of the slowest question', key: 'search_1000_worst_question_p99_ms', unit: 'ms' },
  { row: 'memory', measure: 'peak RSS of the server under the turn load (VmHWM)', key: 'rss_mb', unit: 'MiB', target: { op: '<=', value: 200 } },
  { row: 'memory', measure: 'RSS idle after start', key: 'rss_idle_mb', unit: 'MiB' },
  { row: 'memory', measure: 'RSS of the tsx wrapper process (only when started with tsx), not counted above', key: 'rss_tsx_wrapper_mb', unit: 'MiB' },
  { row: 'start', measure: 'process start to first answered turn (npm start, after its build)', key: 'start_ms', unit: 'ms', target: { op: '<=', value: 2000 } },
  { row: 'start', measure: 'process start to listening', key: 'listen_ms', unit: 'ms' },
  { row: 'postgres', measure: 'turns/s, 1 instance', key: 'pg_1_rps' },
  { row: 'postgres', measure: 'p99 latency, 1 instance', key: 'pg_1_p99_ms', unit: 'ms' },
  { row: 'postgres', measure: 'turns/s, 2 instances sharing one database', key: 'pg_2_rps' },
  { row: 'postgres', measure: 'p99 latency, 2 instances', key: 'pg_2_p99_ms', unit: 'ms' },
  { row: 'postgres', measure: '2 instances ÷ 1 lowdb instance', key: 'pg_2_ratio' },
];

const judged = mode !== 'smoke';
const targets: Record<string, Json> = {};
const fmt = (v: Json | undefined) => (typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 4 }) : v === undefined || v === null ? '—' : String(v));
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
  if (onlyTurns && value === undefined && !r.target) continue;
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
    const met = Number.isFinite(v) ? (r.target.op === '>=' ? v >= r.target.value : v <= r.target.value) : null;
    targets[r.key] = { target: targetText, value: Number.isFinite(v) ? v : null, met: judged ? met : null };
    verdict = !judged ? 'not judged' : met === null ? '—' : met ? 'met' : 'MISSED';
  }
  const shown =
    r.key === 'growth_100k_rss_mb' ? `${fmt(results.growth_100k_rss_idle_mb)} idle / ${fmt(value)}` : r.key === 'turn_outcome_p99_at_rate_ms' ? `${fmt(value)} / ${fmt(results.turn_question_p99_at_rate_ms)}` : fmt(value);
  lines.push(`| ${r.row} | ${r.measure} | ${r.key} | ${shown}${r.unit && value !== undefined ? ` ${r.unit}` : ''} | ${targetText} | ${verdict} |`);
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
