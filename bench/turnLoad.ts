/**
 * The turn load: `connections` concurrent conversations, each walking a procedure by card clicks
 * over POST /api/messages with deliveryMode "expectReplies" until it reaches an outcome, then
 * starting again with a fresh conversation id.
 *
 * Driven by autocannon's request sequences: `requests` is [start, click, click, …]; each autocannon
 * connection keeps a `context` (its conversation) across the sequence. onResponse reads the reply's
 * Adaptive Card and stores the `selectAction.data` of the option to click next; setupRequest of the
 * next step posts it as the activity's `value`. When the outcome card arrives (no options left),
 * the next setupRequest returns null, which makes autocannon restart the sequence with a fresh
 * context: a new conversation. Every response is checked (status 200, a card, no error text), so a
 * broken bot cannot pass for a fast one.
 */
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { progress, round, Samples } from './stats.js';

/** Longest click path followed before a conversation is abandoned (no procedure is this deep). */
const MAX_STEPS = 16;
/** Text of the bot's turn-error reply (src/bot/app.ts onTurnError). */
export const ERROR_TEXT = 'Что-то пошло не так';

export interface TurnLoadOptions {
  /** One URL, or several: connections are spread across them (the PostgreSQL column). */
  urls: string[];
  connections: number;
  durationS: number;
  /** Unmeasured load first, so the server's JIT and caches are warm. */
  warmupS: number;
  /** Procedure each conversation walks. */
  procedureId: string;
  /** Distinguishes conversation ids between runs against the same store. */
  tag: string;
  label: string;
  /** Called after the warm-up, right before the measured run starts. */
  beforeMeasure?: () => void;
}

export interface TurnLoadResult {
  turnsPerS: number;
  p50: number;
  p99: number;
  max: number;
  turns: number;
  /** Dialogs that reached their outcome. */
  dialogs: number;
  /** Non-200 answers, transport errors, timeouts, replies without a card or with the error text. */
  failures: number;
  /** Turns refused politely (PostgreSQL: another instance saved the conversation first, database down). */
  refusals: number;
  durationS: number;
  /** p50/p99 (ms) and count per step kind (latency seen by the driver, from building the request). */
  byKind: Record<StepKind, { p50: number; p99: number; n: number }>;
  firstFailure?: string;
}

interface Conversation {
  id: string;
  /** performance.now() when the current request was built (autocannon writes it right after). */
  sentAt: number;
  user: { id: string; name: string };
  seq: number;
  depth: number;
  next?: unknown;
  done: boolean;
}

interface Counters {
  /** Latency by step: the start turn, a click to the next question, the click that reaches the outcome. */
  byKind: Record<StepKind, Samples>;
  ok: number;
  dialogs: number;
  failures: number;
  refusals: number;
  firstFailure?: string;
}

export type Card = { body?: unknown[] };
type StepKind = 'start' | 'question' | 'outcome';

export function cardOf(activity: any): Card | undefined {
  return activity?.attachments?.find((a: any) => a?.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** The data of a card's tappable options (Action.Submit or Action.Execute), in order (as test/support/cards.ts choicesOf). */
export function choicesOf(card: Card): unknown[] {
  const out: unknown[] = [];
  const walk = (node: any): void => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (node && typeof node === 'object') {
      if (node.selectAction?.type === 'Action.Submit' || node.selectAction?.type === 'Action.Execute') out.push(node.selectAction.data);
      for (const key of ['body', 'items', 'columns', 'actions', 'card']) if (node[key]) walk(node[key]);
    }
  };
  walk(card.body);
  return out;
}

/** What the floors' loads post: a situation as an operator types it. */
export const FLOOR_TEXT = 'клиент не согласен с решением по заявке';

let activitySeq = 0;
let conversationSeq = 0;

/** A message activity of conversation `c` (expectReplies) carrying a click's `value`, or `text`. */
export function activityBody(c: Pick<Conversation, 'id' | 'user'>, value: unknown, text?: string): string {
  return JSON.stringify({
    type: 'message',
    id: `b${++activitySeq}`,
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/',
    timestamp: new Date().toISOString(),
    from: c.user,
    recipient: { id: 'bot', name: 'Помощник' },
    conversation: { id: c.id },
    deliveryMode: 'expectReplies',
    ...(text === undefined ? { value } : { text }),
  });
}

function requestsFor(o: TurnLoadOptions, counters: Counters): autocannon.Request[] {
  const fail = (why: string, c: Conversation) => {
    counters.failures++;
    counters.firstFailure ??= why;
    c.done = true;
  };
  const onResponse = (status: number, body: string, context: any) => {
    const c = context.conversation as Conversation;
    if (status !== 200) return fail(`HTTP ${status}: ${body.slice(0, 300)}`, c);
    let activities: any[];
    try {
      activities = (JSON.parse(body) as { activities?: any[] }).activities ?? [];
    } catch {
      return fail(`not JSON: ${body.slice(0, 300)}`, c);
    }
    const last = activities[activities.length - 1];
    const card = cardOf(last);
    if (!card) {
      const text = String(last?.text ?? '');
      if (text.includes(ERROR_TEXT)) return fail(`turn error reply: ${text.slice(0, 200)}`, c);
      // PostgreSQL refusals (conflict, database down) are answered with text and no card.
      if (text) {
        counters.refusals++;
        c.done = true;
        return;
      }
      return fail(`no card in the reply: ${body.slice(0, 300)}`, c);
    }
    counters.ok++;
    const choices = choicesOf(card);
    const ms = performance.now() - c.sentAt;
    counters.byKind[c.depth === 0 ? 'start' : choices.length === 0 ? 'outcome' : 'question'].add(ms);
    if (choices.length === 0) {
      counters.dialogs++;
      c.done = true;
      return;
    }
    // Different conversations take different paths: option (conversation + depth) mod count.
    c.next = choices[(c.seq + c.depth) % choices.length];
    c.depth++;
  };
  const start: autocannon.Request = {
    method: 'POST',
    path: '/api/messages',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req: any, context: any) => {
      const seq = ++conversationSeq;
      const c: Conversation = { id: `bench-${o.tag}-${seq}`, sentAt: performance.now(), user: { id: `29:bench-operator-${seq % 200}`, name: `Оператор ${seq % 200}` }, seq, depth: 0, done: false };
      context.conversation = c;
      return { ...req, body: activityBody(c, { action: 'start', procedureId: o.procedureId }) };
    },
    onResponse,
  } as autocannon.Request;
  const click: autocannon.Request = {
    method: 'POST',
    path: '/api/messages',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req: any, context: any) => {
      const c = context.conversation as Conversation | undefined;
      // null: autocannon restarts the sequence (request 0, fresh context) — a new conversation.
      if (!c || c.done || c.next === undefined) return null as any;
      const value = c.next;
      c.next = undefined;
      c.sentAt = performance.now();
      return { ...req, body: activityBody(c, value) };
    },
    onResponse,
  } as autocannon.Request;
  return [start, ...Array.from({ length: MAX_STEPS }, () => click)];
}

async function runOnce(o: TurnLoadOptions, durationS: number, measure: boolean): Promise<TurnLoadResult> {
  const counters: Counters = { byKind: { start: new Samples(), question: new Samples(), outcome: new Samples() }, ok: 0, dialogs: 0, failures: 0, refusals: 0 };
  const latencies = new Samples();
  const p = progress(`${o.label}${measure ? '' : ' (warm-up)'}`);
  const started = performance.now();
  let finish!: (err: unknown, result: autocannon.Result) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => (finish = (err, result) => (err ? reject(err) : resolve(result))));
  const instance = autocannon(
    {
      url: o.urls.length === 1 ? o.urls[0] : (o.urls as unknown as string),
      connections: o.connections,
      pipelining: 1,
      duration: durationS,
      timeout: 10,
      requests: requestsFor(o, counters),
    },
    (err, result) => finish(err, result),
  );
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode === 200) latencies.add(responseTime);
  });
  let seconds = 0;
  let lastOk = 0;
  instance.on('tick', () => {
    seconds++;
    const rate = counters.ok - lastOk;
    lastOk = counters.ok;
    p.tick(`${seconds}/${durationS} s, ${rate} turns/s${counters.failures ? `, ${counters.failures} failed` : ''}`);
  });
  const result = await finished;
  const elapsedS = (performance.now() - started) / 1000;
  // Transport errors and timeouts are failures too (autocannon counts them apart from responses).
  const failures = counters.failures + result.errors + result.timeouts;
  const [p50, p99, max] = latencies.percentiles(50, 99, 100);
  const measuredS = result.duration || elapsedS;
  const out: TurnLoadResult = {
    turnsPerS: round(counters.ok / measuredS, 1),
    p50: round(p50),
    p99: round(p99),
    max: round(max),
    turns: counters.ok,
    dialogs: counters.dialogs,
    failures,
    refusals: counters.refusals,
    durationS: round(measuredS, 2),
    byKind: Object.fromEntries(
      Object.entries(counters.byKind).map(([k, v]) => {
        const [kp50, kp99] = v.percentiles(50, 99);
        return [k, { p50: round(kp50), p99: round(kp99), n: v.count }];
      }),
    ) as TurnLoadResult['byKind'],
    ...(counters.firstFailure ? { firstFailure: counters.firstFailure } : result.errors + result.timeouts ? { firstFailure: `${result.errors} transport errors, ${result.timeouts} timeouts` } : {}),
  };
  p.done(`${out.turnsPerS} turns/s, p50 ${out.p50} ms, p99 ${out.p99} ms, ${out.dialogs} dialogs${failures ? `, ${failures} FAILED` : ''}${out.refusals ? `, ${out.refusals} refused` : ''}`);
  return out;
}

/** Warm-up (unmeasured), then the measured run. */
export async function turnLoad(o: TurnLoadOptions): Promise<TurnLoadResult> {
  if (o.warmupS > 0) await runOnce(o, o.warmupS, false);
  o.beforeMeasure?.();
  return runOnce(o, o.durationS, true);
}

/** Turns one conversation of {@link postLoad} takes before a new one starts (about a walk's length). */
const TURNS_PER_CONVERSATION = 4;

/**
 * Requests/s, latency and failures of `connections` concurrent conversations posting text message
 * activities (the same JSON shape as the bot's turns, expectReplies) to a server that answers each
 * with one text activity: the bare restify ceiling and the echo bot. Every reply is checked.
 */
export async function postLoad(
  url: string,
  connections: number,
  durationS: number,
  warmupS: number,
  label: string,
  beforeMeasure?: () => void,
): Promise<{ rps: number; p50: number; p99: number; requests: number; failures: number; firstFailure?: string }> {
  const once = async (seconds: number, measure: boolean) => {
    const latencies = new Samples();
    const p = progress(`${label}${measure ? '' : ' (warm-up)'}`);
    let ok = 0;
    let failures = 0;
    let firstFailure: string | undefined;
    let lastOk = 0;
    let tick = 0;
    const request = {
      method: 'POST',
      path: '/api/messages',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req: any, context: any) => {
        if (!context.conversation || context.conversation.turns >= TURNS_PER_CONVERSATION) {
          const seq = ++conversationSeq;
          context.conversation = { id: `post-${seq}`, seq, depth: 0, done: false, sentAt: 0, user: { id: `29:post-operator-${seq % 200}`, name: `Оператор ${seq % 200}` }, turns: 0 };
        }
        context.conversation.turns++;
        return { ...req, body: activityBody(context.conversation, undefined, FLOOR_TEXT) };
      },
      onResponse: (status: number, body: string) => {
        let text = '';
        try {
          text = String((JSON.parse(body) as { activities?: { text?: string }[] }).activities?.[0]?.text ?? '');
        } catch {
          // counted below
        }
        if (status === 200 && text) return void ok++;
        failures++;
        firstFailure ??= `HTTP ${status}: ${body.slice(0, 300)}`;
      },
    } as autocannon.Request;
    let finish!: (err: unknown, result: autocannon.Result) => void;
    const finished = new Promise<autocannon.Result>((resolve, reject) => (finish = (err, result) => (err ? reject(err) : resolve(result))));
    const instance = autocannon({ url, connections, pipelining: 1, duration: seconds, timeout: 10, requests: [request] }, (err, result) => finish(err, result));
    instance.on('response', (_c: unknown, statusCode: number, _b: number, ms: number) => {
      if (statusCode === 200) latencies.add(ms);
    });
    instance.on('tick', () => {
      tick++;
      p.tick(`${tick}/${seconds} s, ${ok - lastOk} requests/s`);
      lastOk = ok;
    });
    const result = await finished;
    const [p50, p99] = latencies.percentiles(50, 99);
    const out = { rps: round(ok / result.duration, 1), p50: round(p50), p99: round(p99), requests: ok, failures: failures + result.errors + result.timeouts, ...(firstFailure ? { firstFailure } : {}) };
    p.done(`${out.rps} requests/s, p50 ${out.p50} ms, p99 ${out.p99} ms${out.failures ? `, ${out.failures} FAILED` : ''}`);
    return out;
  };
  if (warmupS > 0) await once(warmupS, false);
  beforeMeasure?.();
  return once(durationS, true);
}
