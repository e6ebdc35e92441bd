// The Bot Framework adapter. With an app id it authenticates every inbound request
// (Bot Framework JWT: signature, issuer, audience, expiry) and answers 401 otherwise.
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config';

export function createAdapter(config: Config): TeamsAdapter {
  const auth = config.appId
    ? {
        MicrosoftAppId: config.appId,
        MicrosoftAppPassword: config.appPassword,
        MicrosoftAppType: config.appType,
        MicrosoftAppTenantId: config.appTenantId,
      }
    : {};
  return new TeamsAdapter(auth, new ConfigurationServiceClientCredentialFactory(auth));
}
