/** Checks an incoming /api/messages request before the adapter sees it, so bad input gets a 4xx. */

export interface RequestProblem {
  status: 400 | 415;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 1024;

/**
 * What Bot Framework channels always send and the bot relies on: a JSON object with a type, a
 * conversation id and a sender id. Anything else is the client's mistake (400/415), not a 500.
 */
export function checkActivityRequest(contentType: string, body: unknown): RequestProblem | undefined {
  if (!/^application\/json\b/i.test(contentType)) return { status: 415, message: 'Content-Type must be application/json' };
  if (!isObject(body)) return { status: 400, message: 'The body must be a JSON object (a Bot Framework activity)' };
  if (typeof body.type !== 'string' || body.type.length === 0 || body.type.length > 64) return { status: 400, message: 'activity.type is missing' };
  if (!isObject(body.conversation) || !isId(body.conversation.id)) return { status: 400, message: 'activity.conversation.id is missing' };
  if (!isObject(body.from) || !isId(body.from.id)) return { status: 400, message: 'activity.from.id is missing' };
  if (body.text !== undefined && typeof body.text !== 'string') return { status: 400, message: 'activity.text must be a string' };
  if (body.serviceUrl !== undefined && typeof body.serviceUrl !== 'string') return { status: 400, message: 'activity.serviceUrl must be a string' };
  return undefined;
}

/** The conversation a valid request belongs to (after {@link checkActivityRequest}). */
export const conversationOf = (body: unknown) => ((body as { conversation: { id: string } }).conversation.id);
