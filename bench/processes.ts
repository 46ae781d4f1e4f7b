/**
 * Child processes of the benchmark: the real bot started as `npm start` starts it (package.json
 * "start"), the bare restify server (the HTTP ceiling) and the echo bot (the SDK floor). Their memory is read from
 * /proc/<pid>/status (VmRSS, VmHWM) of the process that runs the server itself: when started with
 * `tsx`, that is a small wrapper that spawns a second node process with its loader, and that child
 * is the server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { sleep } from './stats.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsxCli = join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** Every child still running, killed on exit if a run is interrupted. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) if (child.pid) killTree(child.pid, 'SIGKILL');
});

/** Sends a signal to a process and its direct children (the tsx wrapper and the server it spawned). */
function killTree(pid: number, signal: NodeJS.Signals): void {
  for (const c of childrenOf(pid)) {
    try {
      process.kill(c, signal);
    } catch {
      // gone already
    }
  }
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}

/** Pids whose parent is `pid` (from /proc/<pid>/stat). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

const CLOCK_TICKS_PER_S = 100; // USER_HZ: 100 on Linux for /proc/<pid>/stat

/** CPU time (user + system) a process has used so far, in milliseconds; NaN if it is gone. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based) → indexes 11 and 12 here.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

/** This process and every descendant (the servers, the tsx wrappers). */
export function ownProcesses(): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const ours = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) if (!ours.has(pid) && ours.has(ppid)) (ours.add(pid), (grew = true));
  }
  return [...ours];
}

export interface Memory {
  /** Resident set now, MiB. */
  rssMb: number;
  /** Peak resident set over the process's life so far (VmHWM), MiB. */
  hwmMb: number;
}

export function memoryOf(pid: number): Memory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

export interface ServerProcess {
  url: string;
  /** The process serving requests (the one whose memory counts). */
  pid: number;
  /** The wrapper's pid when started through the tsx CLI. */
  wrapperPid?: number;
  /** performance.now() just before spawn. */
  spawnedAt: number;
  /** Milliseconds from spawn to the start line. */
  listenMs: number;
  /** The start line (the bot's describe()). */
  startLine: string;
  output(): string;
  /** The exit code once the process has exited (null: killed by a signal), undefined while it runs. */
  exited(): number | null | undefined;
  /** SIGTERM, wait for a clean exit (then SIGKILL after `graceMs`). Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

interface StartOptions {
  env: Record<string, string>;
  /** Arguments after the node binary. */
  args: string[];
  /** Matches the start line; group 1 is the URL. */
  ready: RegExp;
  /** The serving process is a child of the spawned one (tsx CLI). */
  wrapped: boolean;
  timeoutMs?: number;
}

async function startServer(o: StartOptions): Promise<ServerProcess> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, o.args, {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => (live.delete(child), done(code))));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  const timeoutMs = o.timeoutMs ?? 60_000;
  const match = await new Promise<RegExpExecArray>((resolveReady, rejectReady) => {
    const check = () => {
      const m = o.ready.exec(out);
      if (m) {
        cleanup();
        resolveReady(m);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      killTree(child.pid!, 'SIGKILL');
      rejectReady(new Error(`${o.args.join(' ')} did not listen within ${timeoutMs} ms:\n${out.slice(-3000)}`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      cleanup();
      rejectReady(new Error(`${o.args.join(' ')} exited with ${code} before listening:\n${out.slice(-3000)}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', check);
    child.on('exit', onExit);
  });
  const listenMs = performance.now() - spawnedAt;
  const line = out.slice(match.index).split('\n')[0];

  let pid = child.pid!;
  if (o.wrapped) {
    const found = childrenOf(child.pid!).find((c) => /node/.test(safeRead(`/proc/${c}/cmdline`)));
    if (!found) throw new Error('could not find the server process under the tsx wrapper');
    pid = found;
  }
  return {
    url: match[1],
    pid,
    wrapperPid: o.wrapped ? child.pid : undefined,
    spawnedAt,
    listenMs,
    startLine: line,
    output: () => out,
    exited: () => exitCode,
    stop: async (graceMs = 15_000) => {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = sleep(graceMs).then(() => 'timeout' as const);
      const result = await Promise.race([exited, timer]);
      if (result === 'timeout') {
        killTree(child.pid!, 'SIGKILL');
        if (pid !== child.pid) killTree(pid, 'SIGKILL');
        return exited;
      }
      return result;
    },
  };
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * How the bot is started: by default exactly what `npm start` runs (package.json "start", e.g.
 * `node --max-old-space-size=… dist/server.js`), or another command given with --start
 * (e.g. `--start "tsx src/bot/index.ts"`, the start before the precompiled one). "node …"
 * runs this node binary with those arguments; "tsx …" runs the tsx CLI, a wrapper process that
 * spawns the serving one. A command on dist/ needs the build first: see buildIfNeeded.
 */
export function startCommand(override?: string): { command: string; nodeArgs: string[]; script: string; tsx: boolean } {
  const command = override ?? (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start;
  const words = command.trim().split(/\s+/);
  const tsx = words[0] === 'tsx';
  if (!tsx && words[0] !== 'node') throw new Error(`cannot run the start command "${command}": it must start with node or tsx`);
  const scriptAt = words.findIndex((w, i) => i > 0 && !w.startsWith('-'));
  if (scriptAt < 0) throw new Error(`no script in the start command "${command}"`);
  return { command, nodeArgs: words.slice(1, scriptAt), script: words[scriptAt], tsx };
}

/** Builds dist/server.js as `prestart` does (scripts/build.mjs, esbuild) when the start command runs dist/. */
export function buildIfNeeded(script: string): number {
  if (!script.startsWith('dist/')) return 0;
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed (scripts/build.mjs):\n${r.stdout}${r.stderr}`);
  return Math.round(performance.now() - t);
}

/**
 * The bot as `startCommand` says, in local mode (no MicrosoftAppId) on 127.0.0.1. With `extraNodeArgs`
 * (e.g. --cpu-prof, which NODE_OPTIONS does not accept) a tsx command runs as `node <args> --import
 * tsx <script>` instead: the same loader in one process, without the wrapper.
 */
export function startBot(env: Record<string, string>, extraNodeArgs: string[] = [], override?: string): Promise<ServerProcess> {
  const start = startCommand(override);
  const wrapped = start.tsx && extraNodeArgs.length === 0;
  const args = wrapped ? [tsxCli, ...start.nodeArgs, start.script] : [...start.nodeArgs, ...extraNodeArgs, ...(start.tsx ? ['--import', 'tsx'] : []), start.script];
  return startServer({
    env,
    args,
    ready: /Operator assistant on (http:\/\/127\.0\.0\.1:\d+)/,
    wrapped,
  });
}

/** The HTTP ceiling (bench/bareServer.ts), with the same node flags as the bot and a TypeScript loader. */
export function startBare(override?: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServer({
    env,
    args: [...startCommand(override).nodeArgs, '--import', 'tsx', 'bench/bareServer.ts'],
    ready: /bare restify listening on (http:\/\/127\.0\.0\.1:\d+)/,
    wrapped: false,
  });
}

/** The SDK floor (bench/echoBot.ts), with the same node flags as the bot and a TypeScript loader. */
export function startEcho(override?: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServer({
    env,
    args: [...startCommand(override).nodeArgs, '--import', 'tsx', 'bench/echoBot.ts'],
    ready: /echo bot listening on (http:\/\/127\.0\.0\.1:\d+)/,
    wrapped: false,
  });
}

/** Samples a process's memory every `everyMs` until stopped; keeps the largest VmRSS seen. */
export function sampleMemory(pid: number, everyMs = 100): { stop(): { maxRssMb: number; hwmMb: number; lastRssMb: number } } {
  let maxRssMb = 0;
  let last: Memory | undefined;
  const read = () => {
    const m = memoryOf(pid);
    if (m) {
      last = m;
      maxRssMb = Math.max(maxRssMb, m.rssMb);
    }
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    stop() {
      clearInterval(timer);
      read();
      return { maxRssMb, hwmMb: last?.hwmMb ?? Number.NaN, lastRssMb: last?.rssMb ?? Number.NaN };
    },
  };
}
