import { CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type { Config } from './config.js';
import { refusalFor } from './pg/turnRefusal.js';

/**
 * The Bot Framework adapter: channel authentication from configuration (none in local mode) and
 * what a user sees when a turn fails — a polite Russian message, never a stack trace.
 */
export function createAdapter(config: Config, log: (line: string) => void): CloudAdapter {
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({
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
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    // PostgreSQL down, or another instance saved this conversation first: expected, answered politely.
    const refusal = refusalFor(error);
    if (refusal) {
      log(`turn refused (conversation ${context.activity.conversation?.id ?? '?'}): ${refusal.reason}`);
      // Nothing of this turn was stored: drop its not-yet-delivered replies (expectReplies) so they do not contradict the state.
      context.bufferedReplyActivities.splice(0);
      await context.sendActivity(refusal.text).catch(() => undefined);
      return;
    }
    // Logged without the activity: it may hold customers' personal data.
    log(`turn error (${context.activity.type}, conversation ${context.activity.conversation?.id ?? '?'}): ${error.stack ?? error.message}`);
    await context.sendActivity('Что-то пошло не так, ответ не получен. Повторите действие или напишите «отмена» и задайте вопрос заново.').catch(() => undefined);
  };
  return adapter;
}
