import { mkdtempSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { createApp, type App } from '../../src/bot/app.js';
import { readConfig } from '../../src/bot/config.js';
import { kbDir } from './kb.js';

export const tempDir = (prefix = 'oa-') => mkdtempSync(join(tmpdir(), prefix));

/** The real server on 127.0.0.1 and a free port, on its own data directory. */
export async function startApp(env: Record<string, string> = {}, now?: () => Date, log: (line: string) => void = () => undefined): Promise<App & { url: string; dataDir: string }> {
  const dataDir = env.DATA_DIR ?? tempDir();
  const app = createApp(readConfig({ PORT: '0', HOST: '127.0.0.1', KB_DIR: kbDir, ...env, DATA_DIR: dataDir }), { now, log });
  const url = await app.listen();
  return Object.assign(app, { url, dataDir });
}

let seq = 0;

/** What every activity from the Teams channel carries: a fresh id, the sender, the bot. */
const fromChannel = (user: { id: string; name: string }) => ({
  id: `a${++seq}`,
  channelId: 'msteams',
  serviceUrl: 'http://127.0.0.1:9/',
  timestamp: new Date(),
  from: user,
  recipient: { id: 'bot', name: 'Помощник' },
});

/** Sends one activity as a channel would, with expectReplies, and returns the bot's replies. */
export async function turn(url: string, conversationId: string, input: string | { value: unknown } | Partial<Activity>, user = { id: 'user-1', name: 'Оператор Тест' }): Promise<Partial<Activity>[]> {
  const body: Partial<Activity> = {
    type: 'message',
    ...fromChannel(user),
    conversation: { id: conversationId } as Activity['conversation'],
    deliveryMode: 'expectReplies',
    ...(typeof input === 'string' ? { text: input } : 'value' in input && Object.keys(input).length === 1 ? { value: input.value } : input),
  };
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`POST /api/messages: ${res.status} ${await res.text()}`);
  const json = (await res.json()) as { activities?: Partial<Activity>[] };
  return json.activities ?? [];
}

/** One raw request (any method may carry a body), answered as status and text. */
export function rawRequest(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    // The server may answer and close before the whole body is sent.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    req.end(body);
  });
}

/** The answer to an `adaptiveCard/action` invoke: the HTTP body, as Teams reads it. */
export interface CardInvokeAnswer {
  status: number;
  body: { statusCode: number; type: string; value: any };
}

/**
 * Clicks an Action.Execute button as Teams does (Universal Actions): an `adaptiveCard/action` invoke
 * with the button's verb and data; the answer (the card that replaces the clicked one) is the HTTP body.
 */
export async function invokeAction(url: string, conversation: string | Partial<Activity['conversation']>, action: { verb?: string; data: unknown }, user = { id: 'user-1', name: 'Оператор Тест' }): Promise<CardInvokeAnswer> {
  const body = {
    type: 'invoke',
    name: 'adaptiveCard/action',
    ...fromChannel(user),
    conversation: typeof conversation === 'string' ? { id: conversation } : conversation,
    value: { action: { type: 'Action.Execute', verb: action.verb, data: action.data } },
  };
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as CardInvokeAnswer['body'] };
}
