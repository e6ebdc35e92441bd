// Lints infra/azure.bicep, its parameters file and teamsapp.yml as far as can be done here.
// No Bicep CLI is available offline (no registry package ships one: it is downloaded from
// GitHub), so the template is NOT compiled; these checks catch the mistakes a reader would:
// unused or undeclared parameters, references to resources that do not exist, malformed API
// versions, outputs the Toolkit needs, and the security settings the deployment promises.
// strip-bom 5, which @microsoft/app-manifest requires, is ESM-only: jest's CommonJS runtime
// cannot load it (plain node can), so tests use this equivalent.
jest.mock('strip-bom', () => ({
  __esModule: true,
  default: (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s),
}));

import * as fs from 'fs';
import * as path from 'path';
import { parseEnvFile, placeholders, REPO_ROOT } from '../appPackage/package';

const text = (f: string) => fs.readFileSync(path.join(REPO_ROOT, f), 'utf8');
const bicepSource = text('infra/azure.bicep');
/** Removes line and block comments (not inside quoted strings). */
function stripComments(src: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (inString) {
      if (c === '\\') { out += c + src[++i]; continue; }
      if (c === "'") inString = false;
      out += c;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 1;
    } else {
      if (c === "'") inString = true;
      out += c;
    }
  }
  return out;
}
/** The template without comments, so words in them do not count. */
const bicep = stripComments(bicepSource);
/** The template with string contents blanked, except the expressions inside ${...}. */
function stripStrings(src: string): string {
  let out = '';
  let inString = false;
  let depth = 0; // inside ${ ... } of a string
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (!inString || depth > 0) {
      if (inString && c === '}' && --depth === 0) { out += ' '; continue; }
      if (inString && c === '{') depth++;
      if (!inString && c === "'") inString = true;
      out += c;
      continue;
    }
    if (c === '\\') { out += '  '; i++; continue; }
    if (c === "'") { inString = false; out += c; continue; }
    if (c === '$' && src[i + 1] === '{') { depth = 1; out += '  '; i++; continue; }
    out += c === '\n' ? c : ' ';
  }
  return out;
}
const codeOnly = stripStrings(bicep);
const parametersFile = JSON.parse(text('infra/azure.parameters.json')) as { parameters: Record<string, { value: unknown }> };
const teamsappYml = text('teamsapp.yml');
const devEnv = parseEnvFile(text('env/.env.dev'));

const params = [...bicep.matchAll(/^param\s+(\w+)\s+(\w+)(\s*=.*)?$/gm)].map((m) => ({ name: m[1], type: m[2], hasDefault: !!m[3] }));
const vars = [...bicep.matchAll(/^var\s+(\w+)\s*=/gm)].map((m) => m[1]);
const resources = [...bicep.matchAll(/^resource\s+(\w+)\s+'([^']+)'/gm)].map((m) => ({ name: m[1], type: m[2] }));
const outputs = [...bicep.matchAll(/^output\s+(\w+)\s+\w+\s*=/gm)].map((m) => m[1]);
const secureParams = [...bicep.matchAll(/@secure\(\)\s*\n\s*param\s+(\w+)/g)].map((m) => m[1]);

/** Names written to the env file by Toolkit actions (writeToEnvironmentFile values). */
function writtenByActions(yml: string): string[] {
  const names: string[] = [];
  const lines = yml.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)writeToEnvironmentFile:\s*$/.exec(lines[i]);
    if (!m) continue;
    for (let j = i + 1; j < lines.length; j++) {
      const kv = /^(\s*)(\w+):\s*([A-Z][A-Z0-9_]*)\s*$/.exec(lines[j]);
      if (/^\s*#/.test(lines[j])) continue;
      if (!kv || kv[1].length <= m[1].length) break;
      names.push(kv[3]);
    }
  }
  return names;
}

describe('infra/azure.bicep (linted, not compiled: no Bicep CLI here)', () => {
  it('parses into params, resources and outputs', () => {
    expect(params.length).toBeGreaterThan(5);
    expect(resources.length).toBeGreaterThan(10);
    expect(outputs.length).toBeGreaterThan(3);
  });

  it('has balanced brackets and quotes', () => {
    const stack: string[] = [];
    const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
    for (const ch of codeOnly) {
      if ('([{'.includes(ch)) stack.push(ch);
      else if (ch in pairs) expect(stack.pop()).toBe(pairs[ch]);
    }
    expect(stack).toEqual([]);
    for (const line of bicep.split('\n')) {
      expect([line, (line.replace(/\\./g, '').match(/'/g) ?? []).length % 2]).toEqual([line, 0]);
    }
  });

  it('uses every parameter and every variable', () => {
    for (const name of [...params.map((p) => p.name), ...vars]) {
      const uses = [...codeOnly.matchAll(new RegExp(`\\b${name}\\b`, 'g'))].length;
      expect([name, uses]).toEqual([name, expect.any(Number)]);
      expect(uses).toBeGreaterThan(1);
    }
  });

  it('declares each symbol once', () => {
    const all = [...params.map((p) => p.name), ...vars, ...resources.map((r) => r.name), ...outputs];
    expect(all.filter((n, i) => all.indexOf(n) !== i)).toEqual([]);
  });

  it('refers only to declared resources (parent, scope, .id/.name/.properties/.identity)', () => {
    const declared = new Set([...resources.map((r) => r.name), ...params.map((p) => p.name), ...vars]);
    const refs = [
      ...[...codeOnly.matchAll(/\b(parent|scope):\s*(\w+)/g)].map((m) => m[2]),
      ...[...codeOnly.matchAll(/(?<![.\w])(\w+)\.(id|name|properties|identity)\b/g)].map((m) => m[1]),
    ];
    expect(refs.length).toBeGreaterThan(10);
    expect(refs.filter((r) => !declared.has(r))).toEqual([]);
  });

  it('child resources name a parent of the enclosing type', () => {
    const byName = new Map(resources.map((r) => [r.name, r.type.split('@')[0]]));
    for (const m of bicep.matchAll(/^resource\s+(\w+)\s+'([^'@]+)@[^']+'[^\n]*\n\s*parent:\s*(\w+)/gm)) {
      const [, , type, parent] = m;
      expect([type, byName.get(parent)]).toEqual([type, type.split('/').slice(0, -1).join('/')]);
    }
  });

  it('API versions are dates (optionally -preview), none in the future or ancient', () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const r of resources) {
      const m = /^[A-Za-z]+\.[A-Za-z]+\/[A-Za-z/]+@(\d{4}-\d{2}-\d{2})(-preview)?$/.exec(r.type);
      expect([r.type, !!m]).toEqual([r.type, true]);
      const date = m![1];
      expect(Number.isNaN(Date.parse(date))).toBe(false);
      expect(date <= today).toBe(true);
      expect(date >= '2020-01-01').toBe(true);
      expect(m![2]).toBeUndefined(); // no preview APIs in production infrastructure
    }
  });

  it('declares the promised resources', () => {
    const types = resources.map((r) => r.type.split('@')[0]);
    expect(types).toEqual(expect.arrayContaining([
      'Microsoft.Web/serverfarms', 'Microsoft.Web/sites',
      'Microsoft.Storage/storageAccounts', 'Microsoft.Storage/storageAccounts/tableServices',
      'Microsoft.Storage/storageAccounts/tableServices/tables', 'Microsoft.Storage/storageAccounts/queueServices',
      'Microsoft.Storage/storageAccounts/queueServices/queues', 'Microsoft.Authorization/roleAssignments',
      'Microsoft.BotService/botServices', 'Microsoft.BotService/botServices/channels',
      'Microsoft.OperationalInsights/workspaces', 'Microsoft.Insights/components',
    ]));
  });

  it('creates the tables of bot/storage and the check-in queue', () => {
    const list = /var tableNames = \[([\s\S]*?)\]/.exec(bicep)![1];
    const tables = [...list.matchAll(/'(\w+)'/g)].map((m) => m[1]);
    // Exactly the tables bot/storage/store.ts opens (the server also creates a missing one at start).
    const store = [.../const TABLES = \[([^\]]*)\]/.exec(text('bot/storage/store.ts'))![1].matchAll(/'(\w+)'/g)].map((m) => m[1]);
    expect(store).toContain('sessions');
    expect(tables).toEqual(store);
    for (const t of tables) expect(t).toMatch(/^[A-Za-z][A-Za-z0-9]{2,62}$/);
    expect(bicep).toMatch(/var checkinQueueName = 'checkins'/);
  });

  it('keeps the security settings: https only, TLS 1.2, no FTP, no keys, no public blobs', () => {
    for (const s of [
      /httpsOnly: true/, /ftpsState: 'Disabled'/, /minTlsVersion: '1\.2'/, /minimumTlsVersion: 'TLS1_2'/,
      /allowBlobPublicAccess: false/, /allowSharedKeyAccess: false/, /supportsHttpsTrafficOnly: true/,
      /kind: 'StorageV2'/, /linuxFxVersion: 'NODE\|24-lts'/, /type: 'SystemAssigned'/, /msaAppType: 'SingleTenant'/,
      /channelName: 'MsTeamsChannel'/, /location: 'global'/, /reserved: true/,
      /endpoint: 'https:\/\/\$\{webApp\.properties\.defaultHostName\}\/api\/messages'/,
      /alwaysOn: alwaysOn/,
    ]) expect(bicep).toMatch(s);
    expect(secureParams).toContain('botAadAppClientSecret');
    expect(secureParams).toContain('tabAppClientSecret');
    expect(params.find((p) => p.name === 'webAppSku')).toMatchObject({ hasDefault: true });
    expect(bicep).toMatch(/param webAppSku string = 'B1'/);
    expect(bicep).toMatch(/param botServiceSku string = 'F0'/);
  });

  it('grants the web app identity the table and queue data roles on the storage account', () => {
    expect(bicep).toContain("'0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'");
    expect(bicep).toContain("'974c5e8b-45b9-4653-ba55-5f855dd0fb88'");
    const roleBlocks = bicep.split(/^resource /m).filter((b) => b.includes("'Microsoft.Authorization/roleAssignments@"));
    expect(roleBlocks).toHaveLength(2);
    for (const b of roleBlocks) {
      expect(b).toMatch(/scope: storage\b/);
      expect(b).toMatch(/principalId: webApp\.identity\.principalId/);
      expect(b).toMatch(/principalType: 'ServicePrincipal'/);
      expect(b).toMatch(/name: guid\(/);
    }
  });

  it('gives the server every setting it reads (bot/config.ts names)', () => {
    const settings = [...bicep.matchAll(/name: '([A-Za-z_]+)'\s*\n\s*value:/g)].map((m) => m[1]);
    expect(settings).toEqual(expect.arrayContaining([
      'MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppTenantId', 'MicrosoftAppType', 'AZURE_STORAGE_ACCOUNT',
      'TAB_APP_ID', 'TAB_APP_PASSWORD', 'BOT_ADMINS', 'APPLICATIONINSIGHTS_CONNECTION_STRING', 'WEBSITE_RUN_FROM_PACKAGE',
      'SCM_DO_BUILD_DURING_DEPLOYMENT',
    ]));
    expect(settings.filter((s, i) => settings.indexOf(s) !== i)).toEqual([]);
    expect(bicep).not.toMatch(/AZURE_STORAGE_CONNECTION_STRING|listKeys\(/);
  });
});

describe('infra/azure.parameters.json', () => {
  it('sets only declared parameters, and every parameter without a default', () => {
    const given = Object.keys(parametersFile.parameters);
    const declared = params.map((p) => p.name);
    expect(given.filter((g) => !declared.includes(g))).toEqual([]);
    expect(params.filter((p) => !p.hasDefault && !given.includes(p.name)).map((p) => p.name)).toEqual([]);
  });

  it('passes secrets only from SECRET_ variables (kept in env/.env.<env>.user)', () => {
    for (const s of secureParams) expect(String(parametersFile.parameters[s].value)).toMatch(/^\$\{\{SECRET_[A-Z0-9_]+\}\}$/);
    for (const [name, p] of Object.entries(parametersFile.parameters)) {
      if (!secureParams.includes(name)) expect(String(p.value)).not.toMatch(/SECRET_/);
    }
  });

  it('uses placeholders the env file or an earlier provision step provides', () => {
    const known = new Set([...Object.keys(devEnv), ...writtenByActions(teamsappYml)]);
    const used = placeholders(text('infra/azure.parameters.json'));
    expect(used.filter((n) => !known.has(n))).toEqual([]);
  });

  it('allowed values match the @allowed lists', () => {
    for (const [name, p] of Object.entries(parametersFile.parameters)) {
      const allowed = new RegExp(`@allowed\\(\\[([^\\]]*)\\]\\)\\s*\\n\\s*param ${name}\\b`).exec(bicep);
      if (!allowed || String(p.value).includes('${{')) continue;
      expect([...allowed[1].matchAll(/'([^']+)'/g)].map((m) => m[1])).toContain(p.value);
    }
  });
});

describe('teamsapp.yml', () => {
  const actions = [...teamsappYml.matchAll(/^\s*- uses: ([\w/]+)\s*$/gm)].map((m) => m[1]);

  it('is a v1.x Toolkit project with provision, deploy and publish', () => {
    expect(teamsappYml).toMatch(/^version: v1\.\d+$/m);
    expect(teamsappYml).toMatch(/^environmentFolderPath: \.\/env$/m);
    for (const stage of ['provision', 'deploy', 'publish']) expect(teamsappYml).toMatch(new RegExp(`^${stage}:$`, 'm'));
    expect(actions).toEqual(expect.arrayContaining([
      'teamsApp/create', 'aadApp/create', 'aadApp/update', 'arm/deploy', 'teamsApp/validateManifest',
      'teamsApp/zipAppPackage', 'teamsApp/update', 'cli/runNpmCommand', 'azureAppService/zipDeploy',
      'teamsApp/publishAppPackage',
    ]));
  });

  it('runs only npm commands and scripts that exist', () => {
    const scripts = Object.keys((JSON.parse(text('package.json')) as { scripts: Record<string, string> }).scripts);
    const args = [...teamsappYml.matchAll(/name: [^\n]+\n\s+with:\n\s+args: (.+)$/gm)].map((m) => m[1].trim());
    expect(args).toEqual(expect.arrayContaining(['run build', 'run ladder:check']));
    for (const a of args.filter((x) => x.startsWith('run '))) expect([a, scripts.includes(a.split(' ')[1])]).toEqual([a, true]);
  });

  it('refers to files that exist', () => {
    const files = [...teamsappYml.matchAll(/(?:path|parameters|manifestPath|ignoreFile):\s*(\.\/[^\s$]+)\s*$/gm)].map((m) => m[1]);
    expect(files).toEqual(expect.arrayContaining(['./infra/azure.bicep', './infra/azure.parameters.json', './aad.manifest.json', './appPackage/manifest.json']));
    for (const f of files) expect([f, fs.existsSync(path.join(REPO_ROOT, f))]).toEqual([f, true]);
  });

  it('every placeholder comes from the env file, an earlier action, or a Bicep output', () => {
    const known = new Set([...Object.keys(devEnv), ...writtenByActions(teamsappYml), ...outputs, 'TEAMSFX_ENV']);
    for (const f of ['teamsapp.yml', 'aad.manifest.json', 'aad.bot.manifest.json', 'appPackage/manifest.json', 'appPackage/de.json', 'appPackage/nl.json']) {
      const missing = placeholders(text(f)).filter((n) => !known.has(n));
      expect([f, missing]).toEqual([f, []]);
    }
  });

  it('the Bicep outputs it and the manifest need exist', () => {
    expect(outputs).toEqual(expect.arrayContaining(['BOT_AZURE_APP_SERVICE_RESOURCE_ID', 'BOT_DOMAIN', 'BOT_ENDPOINT', 'TAB_DOMAIN', 'TAB_ENDPOINT']));
    expect(teamsappYml).toContain('resourceId: ${{BOT_AZURE_APP_SERVICE_RESOURCE_ID}}');
    // The env template lists every output, so a fresh checkout shows what provision will fill.
    for (const o of outputs) expect([o, o in devEnv]).toEqual([o, true]);
  });

  it('writes secrets only to SECRET_ variables', () => {
    for (const m of teamsappYml.matchAll(/clientSecret:\s*(\S+)/g)) expect(m[1]).toMatch(/^SECRET_/);
  });

  it('aad.bot.manifest.json gives the bot app Graph\'s application permissions for the directory, no more', () => {
    const aad = JSON.parse(text('aad.bot.manifest.json')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(aad.appId).toBe('${{BOT_ID}}');
    expect(aad.id).toBe('${{BOT_OBJECT_ID}}');
    expect(aad.requiredResourceAccess).toEqual([
      { resourceAppId: 'Microsoft Graph', resourceAccess: ['User.Read.All', 'GroupMember.Read.All', 'MailboxSettings.Read'].map((id) => ({ id, type: 'Role' })) },
    ]);
    expect(teamsappYml).toMatch(/- uses: aadApp\/update\n\s+with:\n\s+manifestPath: \.\/aad\.bot\.manifest\.json/);
  });

  it('aad.manifest.json is the tab SSO app with the Teams clients pre-authorized', () => {
    const aad = JSON.parse(text('aad.manifest.json')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(aad.appId).toBe('${{TAB_APP_ID}}');
    expect(aad.identifierUris).toEqual(['api://${{TAB_DOMAIN}}/${{TAB_APP_ID}}']);
    expect(aad.oauth2Permissions[0].value).toBe('access_as_user');
    expect(aad.preAuthorizedApplications.map((a: { appId: string }) => a.appId).sort()).toEqual([
      '1fec8e78-bce4-4aaf-ab1b-5451cc387264', // Teams desktop and mobile
      '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', // Teams web
    ]);
    const manifest = JSON.parse(text('appPackage/manifest.json')) as { webApplicationInfo: { resource: string } };
    expect(aad.identifierUris).toContain(manifest.webApplicationInfo.resource);
    // Delegated only, least privilege: sign-in, and the person's own calendar for sessions (free/busy, the series).
    expect(aad.requiredResourceAccess).toEqual([
      { resourceAppId: 'Microsoft Graph', resourceAccess: [{ id: 'User.Read', type: 'Scope' }, { id: 'Calendars.ReadWrite', type: 'Scope' }] },
    ]);
    // The secret for the on-behalf-of exchange, written to a SECRET_ variable and passed to TAB_APP_PASSWORD.
    expect(teamsappYml).toMatch(/name: Reverse Mentor tab\$\{\{APP_NAME_SUFFIX\}\}\n\s+generateClientSecret: true[\s\S]*?clientSecret: SECRET_TAB_APP_PASSWORD/);
  });
});
