import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './kb.js';

export interface BotProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts the bot in its own process, by default `src/bot/index.ts` through tsx (`npm start` runs the
 * same entry point bundled), or with other node `args`, and waits for its start line.
 */
export function spawnBot(env: Record<string, string>, args = ['--no-deprecation', '--import', 'tsx', 'src/bot/index.ts']): Promise<BotProcess> {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = () => {
      const m = /Operator assistant on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        child.stdout!.off('data', onData);
        resolve({ child, url: m[1], output: () => out, exited });
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => reject(Object.assign(new Error(`bot exited with ${code} before listening:\n${out}`), { code, output: out })));
  });
}

/** Runs the entry point expecting it to refuse to start; returns its exit code and output. */
export async function failedStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  try {
    const bot = await spawnBot(env);
    bot.child.kill('SIGKILL');
    throw new Error(`expected the bot not to start, but it listened at ${bot.url}`);
  } catch (e) {
    const err = e as { code?: number | null; output?: string };
    if (err.output === undefined) throw e;
    return { code: err.code ?? null, output: err.output };
  }
}
