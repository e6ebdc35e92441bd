// Configuration from the environment (the contract in PRODUCT.md), validated once at start.
// Every problem is reported at once, each with what to do about it.
import * as fs from 'fs';
import * as path from 'path';

export interface Config {
  port: number;
  /** Bot Framework app registration; empty = local mode (no inbound token checks). */
  appId: string;
  appPassword: string;
  appTenantId: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  /**
   * Where inbound Bot Framework tokens' signing keys are looked up (OpenID metadata). Unset = the
   * public Bot Framework and Entra metadata. Only tests set it, to a local stand-in (see SECURITY.md).
   */
  botOpenIdMetadataUrl?: string;
  /** Public https base URL of this server, for links into the tab when the Teams app id is unknown. */
  publicUrl: string;
  /** The interface to listen on: loopback unless both Entra apps are configured (or HOST says). */
  host: string;
  /** The documented escape hatch: a deployment that runs without authentication (ALLOW_OPEN_MODE). */
  allowOpenMode: boolean;
  /** Either a connection string or an account name used with DefaultAzureCredential. */
  storageConnectionString?: string;
  storageAccount?: string;
  botAdmins: string[];
  /** Entra app of the tab (SSO audience); empty = local identity switcher allowed. */
  tabAppId: string;
  /** Client secret of the tab's Entra app: the on-behalf-of exchange for calendar access (sessions). */
  tabAppPassword?: string;
  tabJwksUrl?: string;
  /** The Teams app's id (manifest id): deep links into the app's tabs; empty = no links. */
  teamsAppId: string;
  tabIssuer?: string;
  /** Check-in scheduler tick; 0 disables the timer (admins can still run `checkins send`). */
  schedulerIntervalMs: number;
  dispatcherConcurrency: number;
  /**
   * How long the tab API may reuse a personal answer (a ladder); 0 = never. Any write through the
   * same instance ends it at once; the limit matters only with several instances.
   */
  apiCacheMs: number;
  /** Per app and tenant proactive send budget, messages per second, shared by all instances (Teams allows about 50). */
  sendRatePerSecond: number;
  /** How long a check-in job or a claimed send stays with an instance that stopped renewing it (crashed). */
  dispatchLeaseSeconds: number;
  queueName: string;
  /** Prefix for table names, so several deployments (or test runs) can share one account. */
  tablePrefix: string;
  /** A folder with the company's edited tutorial catalogue (catalogue.<locale>.json); unset = the shipped one. */
  ladderCatalogueDir?: string;
  /** How long the closing survey stays open after `programme close`, in days. */
  feedbackWindowDays: number;
  /** How long after closing a programme keeps the free text of its check-ins and surveys, in months. */
  retentionMonths: number;
  /**
   * Microsoft Graph's root (calls go to /v1.0/... under it). Unset: https://graph.microsoft.com
   * when a bot app is configured, no directory in local mode (npm start sets its stand-in's).
   */
  graphBaseUrl?: string;
  /** Where @azure/identity asks for tokens (AZURE_AUTHORITY_HOST; default Entra's public cloud). */
  azureAuthorityHost?: string;
  /** Object id of an Entra group whose (transitive) members are admins. */
  botAdminGroup?: string;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}\nSee .env.example for every variable.`);
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const str = (name: string) => (env[name] ?? '').trim();

  const int = (name: string, dflt: number, min: number, max: number): number => {
    const raw = str(name);
    if (!raw) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return dflt;
    }
    return n;
  };

  const url = (name: string): string | undefined => {
    const raw = str(name);
    if (!raw) return undefined;
    try {
      const u = new URL(raw);
      if (!/^https?:$/.test(u.protocol)) throw new Error('protocol');
      return raw;
    } catch {
      problems.push(`${name} must be an http(s) URL (got "${raw}")`);
      return undefined;
    }
  };

  const appId = str('MicrosoftAppId');
  const appPassword = str('MicrosoftAppPassword');
  const appTenantId = str('MicrosoftAppTenantId');
  const appTypeRaw = str('MicrosoftAppType') || (appId ? 'MultiTenant' : 'MultiTenant');
  if (appId && !GUID.test(appId)) problems.push(`MicrosoftAppId must be a GUID (the bot's Entra app id), got "${appId}"`);
  if (!['MultiTenant', 'SingleTenant', 'UserAssignedMSI'].includes(appTypeRaw)) {
    problems.push(`MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI (got "${appTypeRaw}")`);
  }
  if (appId && appTypeRaw !== 'UserAssignedMSI' && !appPassword) {
    problems.push('MicrosoftAppPassword is required when MicrosoftAppId is set (the bot registration client secret)');
  }
  if (appTypeRaw === 'SingleTenant' && appId && !appTenantId) {
    problems.push('MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant');
  }
  if (appTenantId && !GUID.test(appTenantId)) problems.push(`MicrosoftAppTenantId must be a GUID, got "${appTenantId}"`);

  const botOpenIdMetadataUrl = url('BOT_OPENID_METADATA_URL');
  const publicUrlRaw = url('PUBLIC_URL');

  const storageConnectionString = str('AZURE_STORAGE_CONNECTION_STRING') || undefined;
  const storageAccount = str('AZURE_STORAGE_ACCOUNT') || undefined;
  if (storageConnectionString && !/(AccountName=|UseDevelopmentStorage=true|TableEndpoint=)/i.test(storageConnectionString)) {
    problems.push('AZURE_STORAGE_CONNECTION_STRING does not look like an Azure Storage connection string');
  }
  if (storageAccount && !/^[a-z0-9]{3,24}$/.test(storageAccount)) {
    problems.push(`AZURE_STORAGE_ACCOUNT must be a storage account name (3-24 lower-case letters and digits), got "${storageAccount}"`);
  }

  const botAdmins = str('BOT_ADMINS')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const a of botAdmins) {
    if (!GUID.test(a)) problems.push(`BOT_ADMINS must list Entra object ids (GUIDs), comma-separated; "${a}" is not one`);
  }

  const tabAppId = str('TAB_APP_ID');
  if (tabAppId && !GUID.test(tabAppId)) problems.push(`TAB_APP_ID must be a GUID (the tab's Entra app id), got "${tabAppId}"`);
  const tabJwksUrl = url('TAB_JWKS_URL');
  const tabAppPassword = str('TAB_APP_PASSWORD') || undefined;
  if (tabAppPassword && !tabAppId) problems.push('TAB_APP_PASSWORD is set but TAB_APP_ID is not: the secret belongs to the tab\'s Entra app');
  const teamsAppId = str('TEAMS_APP_ID');
  if (teamsAppId && !GUID.test(teamsAppId)) problems.push(`TEAMS_APP_ID must be a GUID (the Teams app's manifest id), got "${teamsAppId}"`);
  const tabIssuer = str('TAB_ISSUER') || undefined;

  const queueName = str('CHECKIN_QUEUE') || 'checkins';
  if (!/^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/.test(queueName)) {
    problems.push(`CHECKIN_QUEUE must be a valid queue name (3-63 lower-case letters, digits, single hyphens), got "${queueName}"`);
  }
  const tablePrefix = str('TABLE_PREFIX');
  if (tablePrefix && !/^[A-Za-z][A-Za-z0-9]{0,20}$/.test(tablePrefix)) {
    problems.push(`TABLE_PREFIX must be letters and digits, starting with a letter, at most 21 characters (got "${tablePrefix}")`);
  }

  const graphBaseUrl = url('GRAPH_BASE_URL')?.replace(/\/+$/, '');
  if (graphBaseUrl && /\/v1\.0$|\/beta$/.test(graphBaseUrl)) problems.push(`GRAPH_BASE_URL is Graph's root, without the version (got "${graphBaseUrl}"; calls add /v1.0)`);
  const azureAuthorityHost = url('AZURE_AUTHORITY_HOST');
  const botAdminGroup = str('BOT_ADMIN_GROUP') || undefined;
  if (botAdminGroup && !GUID.test(botAdminGroup)) problems.push(`BOT_ADMIN_GROUP must be an Entra group's object id (a GUID), got "${botAdminGroup}"`);

  const ladderCatalogueDir = str('LADDER_CATALOGUE_DIR') ? path.resolve(str('LADDER_CATALOGUE_DIR')) : undefined;
  if (ladderCatalogueDir && !fs.statSync(ladderCatalogueDir, { throwIfNoEntry: false })?.isDirectory()) {
    problems.push(`LADDER_CATALOGUE_DIR must be a folder with catalogue.en.json, catalogue.de.json and catalogue.nl.json (no folder "${ladderCatalogueDir}")`);
  }

  const config: Config = {
    port: int('PORT', 3978, 0, 65535),
    appId,
    appPassword,
    appTenantId,
    appType: appTypeRaw as Config['appType'],
    botOpenIdMetadataUrl,
    publicUrl: '',
    host: '',
    allowOpenMode: false,
    storageConnectionString,
    storageAccount,
    botAdmins,
    tabAppId,
    tabAppPassword,
    tabJwksUrl,
    tabIssuer,
    teamsAppId,
    schedulerIntervalMs: int('SCHEDULER_INTERVAL_SECONDS', 300, 0, 86400) * 1000,
    dispatcherConcurrency: int('DISPATCHER_CONCURRENCY', 8, 1, 64),
    apiCacheMs: int('API_CACHE_SECONDS', 3, 0, 300) * 1000,
    sendRatePerSecond: int('SEND_RATE_PER_SECOND', 48, 1, 1000),
    dispatchLeaseSeconds: int('DISPATCH_LEASE_SECONDS', 10, 2, 300),
    queueName,
    tablePrefix,
    ladderCatalogueDir,
    feedbackWindowDays: int('FEEDBACK_WINDOW_DAYS', 14, 0, 90),
    retentionMonths: int('RETENTION_MONTHS', 12, 1, 120),
    graphBaseUrl,
    azureAuthorityHost,
    botAdminGroup,
  };
  // App Service sets WEBSITE_HOSTNAME; locally the server is on localhost.
  const website = str('WEBSITE_HOSTNAME');
  config.publicUrl = (publicUrlRaw ?? (website ? `https://${website}` : `http://localhost:${config.port || 3978}`)).replace(/\/+$/, '');
  if (!config.storageConnectionString && !config.storageAccount) {
    problems.push('Set AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT (npm start sets a local Azurite one for you)');
  }

  // Deployed means authenticated: without both Entra apps anyone could post activities as any
  // person and use the tab API's local identity headers. Local mode listens on loopback only.
  const authenticated = !!(appId && tabAppId);
  const hostRaw = str('HOST');
  config.host = hostRaw || (authenticated ? '0.0.0.0' : '127.0.0.1');
  const openModeRaw = str('ALLOW_OPEN_MODE').toLowerCase();
  if (openModeRaw && !['true', 'false'].includes(openModeRaw)) problems.push(`ALLOW_OPEN_MODE must be true or false (got "${openModeRaw}")`);
  config.allowOpenMode = openModeRaw === 'true';
  const deployedBy = deploymentSigns(env, config);
  if (!authenticated && deployedBy.length && !config.allowOpenMode) {
    const missing = [...(appId ? [] : ['MicrosoftAppId (with MicrosoftAppPassword)']), ...(tabAppId ? [] : ['TAB_APP_ID'])];
    problems.push(
      `This server looks deployed (${deployedBy.join(', ')}) but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: ` +
        'it would accept unauthenticated requests as anyone. Set them (teamsapp provision does), or, only for an isolated test ' +
        'deployment, ALLOW_OPEN_MODE=true.',
    );
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|\[::1\])$/i;

/** What makes this look like a deployment rather than `npm start` on a developer's machine. */
function deploymentSigns(env: NodeJS.ProcessEnv, config: Config): string[] {
  const signs: string[] = [];
  for (const name of ['WEBSITE_HOSTNAME', 'WEBSITE_SITE_NAME', 'WEBSITE_INSTANCE_ID', 'CONTAINER_APP_NAME', 'KUBERNETES_SERVICE_HOST']) {
    if ((env[name] ?? '').trim()) signs.push(name);
  }
  if (config.storageAccount) signs.push('AZURE_STORAGE_ACCOUNT');
  const cs = config.storageConnectionString ?? '';
  if (cs && !isLocalStorage(cs)) signs.push('a storage account connection string');
  if (!LOOPBACK.test(config.host)) signs.push(`HOST=${config.host}`);
  return signs;
}

/** Azurite: the development account, or endpoints on this machine. */
function isLocalStorage(connectionString: string): boolean {
  if (/UseDevelopmentStorage=true/i.test(connectionString)) return true;
  const endpoints = [...connectionString.matchAll(/(?:Table|Queue|Blob)Endpoint=([^;]+)/gi)].map((m) => m[1]);
  if (!endpoints.length) return false;
  return endpoints.every((e) => {
    try {
      return LOOPBACK.test(new URL(e).hostname);
    } catch {
      return false;
    }
  });
}
