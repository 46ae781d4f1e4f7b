import { ActivityTypes, CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, DeliveryModes, INVOKE_RESPONSE_KEY, type Activity, type TurnContext } from 'botbuilder';
import {
  AuthenticationConstants,
  AuthenticationError,
  ConnectorClient,
  ConnectorFactory,
  MicrosoftAppCredentials,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type UserTokenClient,
} from 'botframework-connector';
import type { Config } from '../config.js';
import { isAllowedServiceUrl, ServiceUrlNotAllowedError } from '../http/serviceUrls.js';
import { refusalFor } from '../infra/pg/turnRefusal.js';
import { messageResponse } from '../../dialogs/cardInvoke.js';
import { firstLine } from '../errors.js';
import { DeliveryMarks } from './delivery.js';

/** What one channel request is answered with. */
export interface ChannelReply {
  status: number;
  body?: unknown;
  /** Why the request was refused, for a one-line log (never a token or key). */
  refused?: string;
}

/**
 * CloudAdapter with a request entry point that answers instead of logging: CloudAdapter.process
 * prints every failure with its stack and sends the library's message as the body.
 */
export class BotAdapter extends CloudAdapter {
  /**
   * Runs one parsed activity (already checked by the request guard) as a turn. Authentication
   * failures come back as 401/503 with a generic body; any other failure is thrown.
   */
  async processRequest(authHeader: string, body: Record<string, unknown>, logic: (context: TurnContext) => Promise<void>): Promise<ChannelReply> {
    const activity = { ...body } as unknown as Activity & Record<string, unknown>;
    // As the SDK's validateAndFixActivity: timestamps arrive as ISO text.
    for (const field of ['timestamp', 'expiration', 'localTimestamp'] as const) {
      const raw = activity[field];
      if (typeof raw === 'string') Object.assign(activity, { [`raw${field[0].toUpperCase()}${field.slice(1)}`]: raw, [field]: new Date(raw) });
    }
    try {
      const invoke = await this.processActivity(authHeader, activity, logic);
      return { status: invoke?.status ?? 200, ...(invoke?.body !== undefined ? { body: invoke.body } : {}) };
    } catch (e) {
      if (!(e instanceof AuthenticationError)) throw e;
      const unavailable = Number(e.statusCode) >= 500;
      return unavailable
        ? { status: 503, body: authUnavailableBody, refused: `channel authentication unavailable: ${firstLine(e).slice(0, 120)}` }
        : { status: 401, body: unauthorizedBody, refused: 'the SDK refused the channel token' };
    }
  }
}

/** The body of every 401 for a channel request: nothing about why. */
export const unauthorizedBody = { error: 'unauthorized', message: 'A valid Bot Framework token is required.' } as const;
/** The channel's signing keys cannot be fetched: the request may be retried. */
export const authUnavailableBody = { error: 'auth_unavailable', message: 'Cannot check the channel token right now.' } as const;

/**
 * The Bot Framework adapter: channel authentication from configuration (none in local mode) and
 * what a user sees when a turn fails — a polite Russian message, never a stack trace. With `marks`,
 * decisions a failed turn logged but did not deliver are marked so in the decision log.
 */
export function createAdapter(config: Config, log: (line: string) => void, marks?: DeliveryMarks): BotAdapter {
  // Local mode: no token vouches for the request's serviceUrl, so replies go only where allowed.
  const allowedServiceUrls = config.auth.appId ? undefined : config.allowedServiceUrls;
  const adapter = new BotAdapter(
    new CachingBotFrameworkAuthentication(allowedServiceUrls, {
      MicrosoftAppId: config.auth.appId,
      MicrosoftAppPassword: config.auth.appPassword,
      MicrosoftAppType: config.auth.appType,
      MicrosoftAppTenantId: config.auth.tenantId,
      // Overriding one endpoint makes the SDK expect all of them: the public cloud's, but for where keys are published.
      ...(config.auth.openIdMetadata
        ? {
            ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
            ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
            ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
            OAuthUrl: AuthenticationConstants.OAuthUrl,
            ToBotFromChannelOpenIdMetadataUrl: config.auth.openIdMetadata,
            ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
            CallerId: CallerIdConstants.PublicAzureChannel,
          }
        : {}),
    }),
  );
  if (marks) adapter.use(marks.middleware);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    // First: what this turn posted until now is all of it that reached the operator.
    const delivery = DeliveryMarks.failed(context);
    const conversation = context.activity.conversation?.id ?? '?';
    // PostgreSQL down, or another instance saved this conversation first: expected, answered politely.
    const refusal = refusalFor(error);
    if (refusal) log(`turn refused (conversation ${conversation}): ${refusal.reason}`);
    // Logged without the activity: it may hold customers' personal data.
    else log(`turn error (${context.activity.type}, conversation ${conversation}): ${error.stack ?? error.message}`);
    await answerFailedTurn(context, refusal?.text ?? failedTurnText);
    await delivery.settle(marks, refusal ? { reason: `turn refused: ${refusal.reason}`, anotherTurnSaved: refusal.kind === 'conflict' } : { reason: `turn failed: ${firstLine(error)}` });
  };
  return adapter;
}

const failedTurnText = 'Что-то пошло не так, ответ не получен. Повторите действие или напишите «отмена» и задайте вопрос заново.';

/**
 * The state of a failed turn was not saved: its replies not delivered yet (the expectReplies buffer,
 * an Action.Execute invoke's response) are dropped so they do not contradict it, and the operator
 * gets `text` alone — in place of the invoke's card, which then stays as it was and can be clicked again.
 */
async function answerFailedTurn(context: TurnContext, text: string): Promise<void> {
  context.bufferedReplyActivities.splice(0);
  const { activity } = context;
  if (activity.type === ActivityTypes.Invoke && activity.name === 'adaptiveCard/action' && activity.deliveryMode !== DeliveryModes.ExpectReplies) {
    context.turnState.set(INVOKE_RESPONSE_KEY, { type: ActivityTypes.InvokeResponse, value: { status: 200, body: messageResponse(text) } });
    return;
  }
  await context.sendActivity(text).catch(() => undefined);
}

/** Most distinct (app id, service URL, audience) clients kept; beyond it the cache starts over. */
const MAX_CACHED_CLIENTS = 64;

/**
 * ConfigurationBotFrameworkAuthentication that reuses the outbound clients between turns.
 *
 * Why: CloudAdapterBase.processActivity builds, for every turn, a new ConnectorClient (through the
 * ConnectorFactory that authenticateRequest returns) and a new UserTokenClient, each with its own
 * credentials object and a full @azure/core-client pipeline — about 5 % of the bot's CPU under load
 * (profiled), although with expectReplies nothing is ever sent through them.
 *
 * Why it is safe: what these clients are made of depends only on the bot's configuration (fixed for
 * the life of the adapter) and on the app id taken from claims that were already validated, the
 * service URL and the audience, and those three are the cache key. The clients keep no per-turn
 * state; the credentials fetch and refresh their own tokens. Authentication itself
 * (authenticateRequest) still runs on every request: only the clients it hands out are reused.
 * botbuilder's older BotFrameworkAdapter kept its ConnectorClients the same way (per service URL,
 * app id and scope). In local mode the service URL comes from an unauthenticated request, so the
 * cache is bounded. A failed creation is not cached.
 *
 * In local mode a service URL that is not allowed gets a client that sends nothing: the request guard
 * (checkActivityRequest) lets such a URL through only with expectReplies, whose replies travel back in
 * the HTTP answer, so the turn is served; any request through that client still fails at once.
 */
class CachingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectorClients = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  /** `allowedServiceUrls`: in local mode, the origins replies may be posted to besides this machine. */
  constructor(
    private readonly allowedServiceUrls: readonly string[] | undefined,
    ...settings: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>
  ) {
    super(...settings);
  }

  override async authenticateRequest(activity: Parameters<ConfigurationBotFrameworkAuthentication['authenticateRequest']>[0], authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    return result.connectorFactory ? { ...result, connectorFactory: this.cachedFactory(result.connectorFactory, appIdOf(result.claimsIdentity)) } : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.cachedFactory(super.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return cached(this.userTokenClients, appIdOf(claimsIdentity) ?? '', () => super.createUserTokenClient(claimsIdentity));
  }

  private cachedFactory(inner: ConnectorFactory, appId: string | undefined): ConnectorFactory {
    return new CachedConnectorFactory(inner, appId, this.connectorClients, this.allowedServiceUrls);
  }
}

/** The ConnectorFactory a turn gets: the clients cached per (app id, service URL, audience). One class, not one per turn. */
class CachedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly appId: string | undefined,
    private readonly clients: Map<string, Promise<ConnectorClient>>,
    private readonly allowed: readonly string[] | undefined,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    // Keys as JSON arrays: a refused URL's (one element) never equals a client's (three).
    if (this.allowed && !isAllowedServiceUrl(serviceUrl, this.allowed)) return cached(this.clients, JSON.stringify([serviceUrl]), () => Promise.resolve(refusingClient(serviceUrl)));
    return cached(this.clients, JSON.stringify([this.appId ?? '', serviceUrl, audience ?? '']), () => this.inner.create(serviceUrl, audience));
  }
}

/** A connector client that refuses every request, without credentials: for a service URL replies may not go to. */
const refusingClient = (serviceUrl: string): ConnectorClient =>
  new ConnectorClient(MicrosoftAppCredentials.Empty, { baseUri: serviceUrl, httpClient: { sendRequest: () => Promise.reject(new ServiceUrlNotAllowedError(serviceUrl)) } });

/** The app id the SDK's ParameterizedBotFrameworkAuthentication derives credentials from (audience claim, else appid claim). */
function appIdOf(claimsIdentity: ClaimsIdentity): string | undefined {
  return claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? undefined;
}

function cached<T>(map: Map<string, Promise<T>>, key: string, create: () => Promise<T>): Promise<T> {
  const hit = map.get(key);
  if (hit) return hit;
  if (map.size >= MAX_CACHED_CLIENTS) map.clear();
  const made = create();
  map.set(key, made);
  // A failure is not remembered: the next turn tries again.
  made.catch(() => {
    if (map.get(key) === made) map.delete(key);
  });
  return made;
}
