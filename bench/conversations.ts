/**
 * Loads about how many conversations the bot keeps, rather than how fast it answers:
 *  - {@link newConversations}: `count` distinct conversations, each one start turn (a procedure's
 *    first card), as many at once as `connections`: what 150,000 conversations (or an attacker)
 *    leave in memory, and the 20,000 stored conversations the start is measured with. Operators
 *    come from a pool of 200, as in the other loads. Bounded by `count` and by `maxS`.
 *  - {@link walkAnswers}: conversations that each answer `answers` questions by card clicks,
 *    starting the next procedure of a list whenever one reaches its outcome: what a conversation
 *    costs in stored state.
 * Every reply is checked as in turnLoad.ts.
 */
import autocannon from 'autocannon';
import { activityBody, cardOf, choicesOf, ERROR_TEXT } from './turnLoad.js';
import { progress, round } from './stats.js';

export interface NewConversationsResult {
  /** Conversations whose start turn was answered with a card. */
  served: number;
  failures: number;
  firstFailure?: string;
  seconds: number;
  /** Stopped by `maxS` before `count` conversations were served. */
  timedOut: boolean;
}

const operator = (n: number) => ({ id: `29:conv-operator-${n % 200}`, name: `Оператор ${n % 200}` });

/** Why a reply is not a card (undefined when it is one). */
function notACard(status: number, body: string): string | undefined {
  if (status !== 200) return `HTTP ${status}: ${body.slice(0, 300)}`;
  try {
    const activities = (JSON.parse(body) as { activities?: any[] }).activities ?? [];
    const last = activities[activities.length - 1];
    if (cardOf(last)) return undefined;
    return String(last?.text ?? '').includes(ERROR_TEXT) ? `turn error reply: ${String(last?.text).slice(0, 200)}` : `no card in the reply: ${body.slice(0, 300)}`;
  } catch {
    return `not JSON: ${body.slice(0, 300)}`;
  }
}

export async function newConversations(o: { url: string; count: number; connections: number; maxS: number; procedureId: string; tag: string; label: string; onSecond?: () => void }): Promise<NewConversationsResult> {
  let seq = 0;
  let served = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const p = progress(o.label);
  const started = Date.now();
  const request = {
    method: 'POST',
    path: '/api/messages',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req: any) => {
      const n = ++seq;
      return { ...req, body: activityBody({ id: `conv-${o.tag}-${n}`, user: operator(n) }, { action: 'start', procedureId: o.procedureId }) };
    },
    onResponse: (status: number, body: string) => {
      const why = notACard(status, body);
      if (!why) return void served++;
      failures++;
      firstFailure ??= why;
    },
  } as autocannon.Request;
  let finish!: (err: unknown, result: autocannon.Result) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => (finish = (err, result) => (err ? reject(err) : resolve(result))));
  const instance = autocannon({ url: o.url, connections: o.connections, pipelining: 1, amount: o.count, timeout: 10, requests: [request] }, (err, result) => finish(err, result));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    instance.stop();
  }, o.maxS * 1000);
  instance.on('tick', () => {
    o.onSecond?.();
    p.tick(`${served}/${o.count} conversations, ${Math.round((Date.now() - started) / 1000)} s`);
  });
  const result = await finished;
  clearTimeout(timer);
  const out: NewConversationsResult = {
    served,
    failures: failures + result.errors + result.timeouts,
    ...(firstFailure ? { firstFailure } : result.errors + result.timeouts ? { firstFailure: `${result.errors} transport errors, ${result.timeouts} timeouts` } : {}),
    seconds: round((Date.now() - started) / 1000, 1),
    timedOut: timedOut && served < o.count,
  };
  p.done(`${served} conversations in ${out.seconds} s${out.timedOut ? ` (stopped at the ${o.maxS} s bound)` : ''}${out.failures ? `, ${out.failures} FAILED` : ''}`);
  return out;
}

/** Each conversation (its own operator) answers `answers` questions; returns the answers given in all. */
export async function walkAnswers(o: { url: string; conversations: number; answers: number; procedureIds: string[]; tag: string }): Promise<{ answers: number; failures: number; firstFailure?: string }> {
  let given = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const post = async (c: { id: string; user: { id: string; name: string } }, value: unknown) => {
    const res = await fetch(`${o.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: activityBody(c, value) });
    const body = await res.text();
    const why = notACard(res.status, body);
    if (why) throw new Error(why);
    const activities = (JSON.parse(body) as { activities: any[] }).activities;
    return choicesOf(cardOf(activities[activities.length - 1])!);
  };
  const walk = async (n: number) => {
    const c = { id: `walk-${o.tag}-${n}`, user: { id: `29:walk-operator-${o.tag}-${n}`, name: `Оператор ${n}` } };
    let answered = 0;
    for (let k = 0; answered < o.answers && k < o.procedureIds.length * 2; k++) {
      let choices = await post(c, { action: 'start', procedureId: o.procedureIds[(n + k) % o.procedureIds.length] });
      for (let depth = 0; choices.length && answered < o.answers; depth++) {
        choices = await post(c, choices[(n + depth) % choices.length]);
        answered++;
      }
    }
    given += answered;
    if (answered < o.answers) throw new Error(`conversation ${c.id} answered only ${answered} of ${o.answers} questions`);
  };
  // A few at a time: this measures bytes, not speed.
  for (let n = 0; n < o.conversations; n += 5)
    await Promise.all(
      Array.from({ length: Math.min(5, o.conversations - n) }, (_, i) =>
        walk(n + i).catch((e: Error) => {
          failures++;
          firstFailure ??= e.message;
        }),
      ),
    );
  return { answers: given, failures, ...(firstFailure ? { firstFailure } : {}) };
}
