// The Bot Framework adapter. With an app id it authenticates every inbound request
// (Bot Framework JWT: signature, issuer, audience, expiry) and answers 401 otherwise.
import { CallerIdConstants, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { AuthenticationConstants, AuthenticationError } from 'botframework-connector';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config';

/**
 * The public cloud's Bot Framework endpoints, with the OpenID metadata (signing keys) taken from
 * `metadataUrl`. botbuilder uses either all defaults or all of these, so each is spelled out.
 */
function withMetadataUrl(metadataUrl: string) {
  return {
    ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: metadataUrl,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: true,
  };
}

/** JWT library failures (bad signature, algorithm, malformed token) are the caller's fault: 401. */
const JWT_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError', 'SyntaxError']);

/** `connectorClientOptions` lets proactive senders swap the HTTP client (see bot/checkins/connectorHttpClient.ts). */
export function createAdapter(config: Config, connectorClientOptions?: ConstructorParameters<typeof TeamsAdapter>[3]): TeamsAdapter {
  const auth = config.appId
    ? {
        MicrosoftAppId: config.appId,
        MicrosoftAppPassword: config.appPassword,
        MicrosoftAppType: config.appType,
        MicrosoftAppTenantId: config.appTenantId,
        ...(config.botOpenIdMetadataUrl ? withMetadataUrl(config.botOpenIdMetadataUrl) : {}),
      }
    : {};
  const adapter = new TeamsAdapter(auth, new ConfigurationServiceClientCredentialFactory(auth), undefined, connectorClientOptions);
  // botbuilder lets a token with a forged signature or a foreign algorithm escape as a plain
  // JsonWebTokenError, which CloudAdapter answers with 500. Such a request is unauthorized: 401.
  const bfAuth = (adapter as unknown as { botFrameworkAuthentication: { authenticateRequest: (...a: unknown[]) => Promise<unknown> } }).botFrameworkAuthentication;
  const authenticate = bfAuth.authenticateRequest.bind(bfAuth);
  bfAuth.authenticateRequest = async (...args: unknown[]) => {
    try {
      return await authenticate(...args);
    } catch (err) {
      if (!(err instanceof AuthenticationError) && JWT_ERRORS.has((err as Error)?.name)) {
        throw new AuthenticationError(`Unauthorized: ${(err as Error).message}`, 401);
      }
      throw err;
    }
  };
  return adapter;
}
