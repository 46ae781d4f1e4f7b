/** Checks an incoming /api/messages request before the adapter sees it, so bad input gets a 4xx. */
import { nestsDeeperThan } from './jsonDepth.js';
import { isAllowedServiceUrl } from './serviceUrls.js';

export interface RequestProblem {
  status: 400 | 413 | 415;
  message: string;
}

/** Longest message text taken: ten times a long operator message; search cost grows with it. */
export const MAX_ACTIVITY_TEXT = 10_000;
/** Longest sender name: it is written into every decision of that operator. */
export const MAX_NAME = 256;
/** Deepest nesting of the whole activity; real Teams activities (cards included) stay far below. */
export const MAX_DEPTH = 64;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 1024;

export interface ActivityGuardOptions {
  /**
   * Local mode: the serviceUrl is not vouched for by a channel token, so a request that wants its
   * replies posted there (no expectReplies) must name an allowed one.
   */
  untrustedServiceUrl?: { allowedOrigins: readonly string[] };
}

/**
 * What Bot Framework channels always send and the bot relies on: a JSON object with a type, a
 * conversation id, a sender id and a channel id, of bounded size and depth. Anything else is the client's
 * mistake (4xx), not a 500.
 */
export function checkActivityRequest(contentType: string, body: unknown, options: ActivityGuardOptions = {}): RequestProblem | undefined {
  if (!/^application\/json\b/i.test(contentType)) return { status: 415, message: 'Content-Type must be application/json' };
  if (!isObject(body)) return { status: 400, message: 'The body must be a JSON object (a Bot Framework activity)' };
  if (nestsDeeperThan(body, MAX_DEPTH)) return { status: 400, message: `The activity nests deeper than ${MAX_DEPTH} levels` };
  if (typeof body.type !== 'string' || body.type.length === 0 || body.type.length > 64) return { status: 400, message: 'activity.type is missing' };
  if (!isObject(body.conversation) || !isId(body.conversation.id)) return { status: 400, message: 'activity.conversation.id is missing' };
  if (!isObject(body.from) || !isId(body.from.id)) return { status: 400, message: 'activity.from.id is missing' };
  // Conversation state is keyed by channel: without one, botbuilder fails the turn after it began.
  if (!isId(body.channelId)) return { status: 400, message: 'activity.channelId is missing' };
  if (body.from.name !== undefined && body.from.name !== null && (typeof body.from.name !== 'string' || body.from.name.length > MAX_NAME))
    return { status: 400, message: `activity.from.name must be a string of at most ${MAX_NAME} characters` };
  if (body.from.aadObjectId !== undefined && body.from.aadObjectId !== null && !isId(body.from.aadObjectId)) return { status: 400, message: 'activity.from.aadObjectId must be a string of at most 1024 characters' };
  if (body.text !== undefined && typeof body.text !== 'string') return { status: 400, message: 'activity.text must be a string' };
  if (typeof body.text === 'string' && body.text.length > MAX_ACTIVITY_TEXT) return { status: 413, message: `activity.text is longer than ${MAX_ACTIVITY_TEXT} characters` };
  if (body.serviceUrl !== undefined && typeof body.serviceUrl !== 'string') return { status: 400, message: 'activity.serviceUrl must be a string' };
  const untrusted = options.untrustedServiceUrl;
  if (untrusted && body.deliveryMode !== 'expectReplies' && !isAllowedServiceUrl(String(body.serviceUrl ?? ''), untrusted.allowedOrigins))
    return { status: 400, message: 'activity.serviceUrl is not allowed in local mode: use deliveryMode "expectReplies", a 127.0.0.1 serviceUrl, or list its origin in ALLOWED_SERVICE_URLS' };
  return undefined;
}

/** The conversation a valid request belongs to (after {@link checkActivityRequest}). */
export const conversationOf = (body: unknown) => ((body as { conversation: { id: string } }).conversation.id);
