/**
 * The turn load at an operator's pace (issue 7, `turn_p99_at_rate_ms`): `conversations` concurrent
 * conversations, each clicking `procedureId` through to its outcome, but pausing a think time
 * (uniform in [thinkMs / 2, 3 × thinkMs / 2]) before every click, then starting again with a fresh
 * conversation. The turn/s offered is therefore about conversations ÷ (thinkMs + latency), well
 * below saturation, and the latency is what an operator gets under that load, not the queueing of
 * a closed loop with no pause (the `turns` row, where latency ≈ conversations ÷ turns/s).
 *
 * autocannon's connectionRate/overallRate cannot do this: they let each connection send its quota
 * back to back at the start of every second, so 50 connections arrive in one burst. Hence this small
 * driver on node:http with keep-alive. Latency is from writing the request to the end of the reply.
 * Replies are checked as in turnLoad.ts.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { cardOf, choicesOf, ERROR_TEXT } from './turnLoad.js';
import { progress, round, Samples, sleep } from './stats.js';

export interface PacedLoadOptions {
  url: string;
  conversations: number;
  thinkMs: number;
  warmupS: number;
  durationS: number;
  procedureId: string;
  tag: string;
  label: string;
}

export interface PacedLoadResult {
  turnsPerS: number;
  p50: number;
  p99: number;
  max: number;
  /** p99 of the turns that reach the outcome (they append to the decision log) and of the others. */
  outcomeP99: number;
  otherP99: number;
  turns: number;
  failures: number;
  firstFailure?: string;
}

function post(agent: Agent, url: URL, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout after 10 s')));
    req.on('error', reject);
    req.end(body);
  });
}

export async function pacedLoad(o: PacedLoadOptions): Promise<PacedLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.conversations });
  const url = new URL('/api/messages', o.url);
  const latencies = new Samples();
  const outcome = new Samples();
  const other = new Samples();
  let failures = 0;
  let firstFailure: string | undefined;
  let turns = 0;
  const started = performance.now();
  const measureFrom = started + o.warmupS * 1000;
  const stopAt = measureFrom + o.durationS * 1000;
  const p = progress(o.label);
  const ticker = setInterval(() => p.tick(`${Math.round((performance.now() - started) / 1000)}/${o.warmupS + o.durationS} s, ${turns} turns measured`), 1000);
  let seq = 0;
  let activity = 0;

  const conversation = async (n: number) => {
    // Spread the conversations' first clicks over one think time.
    await sleep(Math.random() * o.thinkMs);
    while (performance.now() < stopAt) {
      const id = `paced-${o.tag}-${++seq}`;
      const user = { id: `29:paced-operator-${n}`, name: `Оператор ${n}` };
      let value: unknown = { action: 'start', procedureId: o.procedureId };
      for (let depth = 0; value !== undefined && performance.now() < stopAt; depth++) {
        const body = JSON.stringify({ type: 'message', id: `p${++activity}`, channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', timestamp: new Date().toISOString(), from: user, recipient: { id: 'bot', name: 'Помощник' }, conversation: { id }, deliveryMode: 'expectReplies', value });
        const t = performance.now();
        const counted = t >= measureFrom;
        let why: string | undefined;
        let next: unknown;
        try {
          const res = await post(agent, url, body);
          const ms = performance.now() - t;
          if (res.status !== 200) why = `HTTP ${res.status}: ${res.text.slice(0, 300)}`;
          else {
            const activities = ((JSON.parse(res.text) as { activities?: any[] }).activities ?? []) as any[];
            const last = activities[activities.length - 1];
            const card = cardOf(last);
            if (!card) why = String(last?.text ?? '').includes(ERROR_TEXT) ? `turn error reply: ${String(last?.text).slice(0, 200)}` : `no card in the reply: ${res.text.slice(0, 300)}`;
            else {
              const choices = choicesOf(card);
              next = choices.length ? choices[(n + depth) % choices.length] : undefined;
              if (counted && performance.now() <= stopAt) {
                latencies.add(ms);
                (choices.length ? other : outcome).add(ms);
                turns++;
              }
            }
          }
        } catch (e) {
          why = (e as Error).message;
        }
        if (why) {
          if (counted) failures++;
          firstFailure ??= why;
          break;
        }
        value = next;
        await sleep(o.thinkMs / 2 + Math.random() * o.thinkMs);
      }
    }
  };
  await Promise.all(Array.from({ length: o.conversations }, (_, n) => conversation(n)));
  clearInterval(ticker);
  agent.destroy();
  const [p50, p99, max] = latencies.percentiles(50, 99, 100);
  const out: PacedLoadResult = { turnsPerS: round(turns / o.durationS, 1), p50: round(p50), p99: round(p99), max: round(max), outcomeP99: round(outcome.percentiles(99)[0]), otherP99: round(other.percentiles(99)[0]), turns, failures, ...(firstFailure ? { firstFailure } : {}) };
  p.done(`${out.turnsPerS} turns/s offered at ${o.thinkMs} ms think time, p50 ${out.p50} ms, p99 ${out.p99} ms${failures ? `, ${failures} FAILED` : ''}`);
  return out;
}
