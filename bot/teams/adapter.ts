// The Bot Framework adapter. With an app id it authenticates every inbound request
// (Bot Framework JWT: signature, issuer, audience, expiry) and answers 401 otherwise.
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config';

/** `connectorClientOptions` lets proactive senders swap the HTTP client (see bot/checkins/connectorHttpClient.ts). */
export function createAdapter(config: Config, connectorClientOptions?: ConstructorParameters<typeof TeamsAdapter>[3]): TeamsAdapter {
  const auth = config.appId
    ? {
        MicrosoftAppId: config.appId,
        MicrosoftAppPassword: config.appPassword,
        MicrosoftAppType: config.appType,
        MicrosoftAppTenantId: config.appTenantId,
      }
    : {};
  return new TeamsAdapter(auth, new ConfigurationServiceClientCredentialFactory(auth), undefined, connectorClientOptions);
}
