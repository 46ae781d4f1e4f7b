/**
 * Open-loop turn load: turns are sent at Poisson arrival times (exponential gaps, mean 1/rate)
 * whatever the server's latency, and each turn's latency is measured from its scheduled send time,
 * so a slow server cannot slow the load down and hide its own queueing (coordinated omission).
 *
 * Each arrival is the next turn of a conversation waiting for it (first in, first out among the
 * `conversations` kept going); when every conversation has a turn in flight, the arrival starts a
 * new conversation instead of waiting. Two kinds of turns, so the floors take the same load as the
 * bot: `cards` clicks a procedure's cards (the bot; a conversation that reaches its outcome is
 * replaced by a new one), `text` posts a text message and expects a text reply (the echo bot and
 * bare restify; a conversation is replaced after TEXT_TURNS turns, as a dialog is). Requests go over
 * node:http with keep-alive and no socket limit (an agent queue would be a closed loop again).
 * Replies are checked as in turnLoad.ts. Every turn carries an `x-bench-turn` header, which
 * bench/observe.mjs uses to split the tail by cause.
 *
 * Bounded: arrivals stop at the end of the window, or earlier when the bot falls hopelessly behind
 * (too many turns in flight, or the sender is seconds late): that run is marked `overloaded`.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { activityBody, cardOf, choicesOf, ERROR_TEXT } from './turnLoad.js';
import { progress, round, Samples } from './stats.js';

export interface OpenLoadOptions {
  url: string;
  /** Offered turns per second (Poisson arrivals). */
  rate: number;
  /** Conversations kept going at once (more are started when all of them wait for a reply). */
  conversations: number;
  warmupS: number;
  durationS: number;
  /** What each turn posts: the procedure's card clicks, or one text message. */
  turns: { cards: string } | { text: string };
  tag: string;
  label: string;
  /** Stop early (overloaded) beyond this many turns in flight; default 2,000. */
  maxInFlight?: number;
}

/** One measured turn, on the wall clock in ms (performance.timeOrigin + performance.now()). */
export interface TurnTiming {
  id: string;
  scheduled: number;
  sent: number;
  end: number;
  /** The turn reached the outcome (it appends a decision); false for text turns. */
  outcome: boolean;
}

export interface OpenLoadResult {
  rate: number;
  /** Turns answered per second over the measured window. */
  turnsPerS: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  turns: number;
  failures: number;
  firstFailure?: string;
  overloaded: boolean;
  /** Most turns in flight at once. */
  maxInFlight: number;
  timings: TurnTiming[];
}

interface Conversation {
  id: string;
  n: number;
  depth: number;
  user: { id: string; name: string };
  value: unknown;
}

/** Turns of a text conversation before a new one starts (a card dialog here is three). */
const TEXT_TURNS = 3;

const wallNow = () => performance.timeOrigin + performance.now();

function post(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, timeout: 10_000 }, (res) => {
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

let conversationSeq = 0;
let turnSeq = 0;

export async function openLoad(o: OpenLoadOptions): Promise<OpenLoadResult> {
  const agent = new Agent({ keepAlive: true });
  const url = new URL('/api/messages', o.url);
  const maxInFlight = o.maxInFlight ?? 2000;
  const latencies = new Samples();
  const timings: TurnTiming[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let inFlight = 0;
  let peakInFlight = 0;
  let overloaded = false;
  const t0 = wallNow();
  const measureFrom = t0 + o.warmupS * 1000;
  const stopAt = measureFrom + o.durationS * 1000;
  const p = progress(o.label);

  const start = 'cards' in o.turns ? { action: 'start', procedureId: o.turns.cards } : undefined;
  const fresh = (): Conversation => {
    const n = ++conversationSeq;
    return { id: `open-${o.tag}-${n}`, n, depth: 0, user: { id: `29:open-operator-${n % 200}`, name: `Оператор ${n % 200}` }, value: start };
  };
  const ready: Conversation[] = Array.from({ length: o.conversations }, fresh);
  /** Why a reply is wrong, or what the conversation sends next (a card click; undefined after the outcome). */
  const judge = (c: Conversation, last: any): { why: string } | { value: unknown; outcome: boolean } => {
    if ('text' in o.turns) {
      const text = String(last?.text ?? '');
      return text ? { value: undefined, outcome: false } : { why: `no text in the reply: ${JSON.stringify(last).slice(0, 300)}` };
    }
    const card = cardOf(last);
    if (!card) return { why: String(last?.text ?? '').includes(ERROR_TEXT) ? `turn error reply: ${String(last?.text).slice(0, 200)}` : `no card in the reply: ${JSON.stringify(last).slice(0, 300)}` };
    const choices = choicesOf(card);
    // Different conversations take different paths: option (conversation + depth) mod count.
    return { value: choices.length ? choices[(c.n + c.depth) % choices.length] : undefined, outcome: choices.length === 0 };
  };
  const pending = new Set<Promise<void>>();

  const turn = async (c: Conversation, scheduled: number) => {
    const measured = scheduled >= measureFrom;
    const id = `t${++turnSeq}`;
    const body = activityBody(c, c.value, 'text' in o.turns ? o.turns.text : undefined);
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    const sent = wallNow();
    let why: string | undefined;
    try {
      const res = await post(agent, url, { 'x-bench-turn': id, ...(measured ? { 'x-bench-measured': '1' } : {}) }, body);
      const end = wallNow();
      if (res.status !== 200) why = `HTTP ${res.status}: ${res.text.slice(0, 300)}`;
      else {
        const activities = ((JSON.parse(res.text) as { activities?: any[] }).activities ?? []) as any[];
        const reply = judge(c, activities[activities.length - 1]);
        if ('why' in reply) why = reply.why;
        else {
          if (measured) {
            latencies.add(end - scheduled);
            timings.push({ id, scheduled, sent, end, outcome: reply.outcome });
          }
          const more = 'text' in o.turns ? c.depth + 1 < TEXT_TURNS : reply.value !== undefined;
          ready.push(more ? { ...c, depth: c.depth + 1, value: reply.value } : fresh());
        }
      }
    } catch (e) {
      why = (e as Error).message;
    } finally {
      inFlight--;
    }
    if (why) {
      if (measured) failures++;
      firstFailure ??= why;
      ready.push(fresh());
    }
  };

  await new Promise<void>((finish) => {
    let next = t0;
    let lastTick = t0;
    const gap = () => (-Math.log(1 - Math.random()) * 1000) / o.rate;
    const tick = () => {
      const now = wallNow();
      while (next <= now && next < stopAt) {
        if (inFlight >= maxInFlight || now - next > 2000) {
          overloaded = true;
          break;
        }
        const task = turn(ready.shift() ?? fresh(), next);
        pending.add(task);
        void task.finally(() => pending.delete(task));
        next += gap();
      }
      if (now - lastTick >= 1000) {
        lastTick = now;
        p.tick(`${Math.round((now - t0) / 1000)}/${o.warmupS + o.durationS} s at ${o.rate} turns/s, ${inFlight} in flight`);
      }
      if (overloaded || next >= stopAt) return finish();
      setTimeout(tick, Math.max(0, next - wallNow()));
    };
    tick();
  });
  while (pending.size) await Promise.all([...pending]);
  agent.destroy();
  const [p50, p99, p999, max] = latencies.percentiles(50, 99, 99.9, 100);
  const lastScheduled = timings.reduce((m, t) => Math.max(m, t.scheduled), measureFrom);
  const windowS = overloaded ? Math.max(0.001, (lastScheduled - measureFrom) / 1000) : o.durationS;
  const out: OpenLoadResult = {
    rate: o.rate,
    turnsPerS: round(latencies.count / windowS, 1),
    p50: round(p50),
    p99: round(p99),
    p999: round(p999),
    max: round(max),
    turns: latencies.count,
    failures,
    ...(firstFailure ? { firstFailure } : {}),
    overloaded,
    maxInFlight: peakInFlight,
    timings,
  };
  p.done(`${out.turnsPerS} turns/s answered of ${o.rate} offered, p50 ${out.p50} ms, p99 ${out.p99} ms, p99.9 ${out.p999} ms${overloaded ? ', OVERLOADED (stopped early)' : ''}${failures ? `, ${failures} FAILED` : ''}`);
  return out;
}
