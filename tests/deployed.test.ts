// Deployed means authenticated: a server that looks deployed refuses to start without both Entra
// apps (unless the documented ALLOW_OPEN_MODE opt-in says otherwise), local mode listens on
// loopback only, and the local identity switcher exists only in local mode.
import { spawn } from 'child_process';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, loadConfig } from '../bot/config';
import { BOT_APP_ID } from './helpers/botTokens';
import { startHarness, TENANT } from './helpers/harness';
import { connectionString, testPrefix } from './helpers/storage';
import { TAB_APP_ID } from './helpers/sso';

const ROOT = path.join(__dirname, '..');
const AZURITE = { AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=eA==;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;' };
const REAL_ACCOUNT = 'DefaultEndpointsProtocol=https;AccountName=contosomentor;AccountKey=eA==;EndpointSuffix=core.windows.net';
const BOT = { MicrosoftAppId: BOT_APP_ID, MicrosoftAppPassword: 'secret' };

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return '';
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.join('\n');
    throw e;
  }
}

describe('a server that looks deployed', () => {
  it.each([
    ['on App Service (WEBSITE_HOSTNAME)', { ...AZURITE, WEBSITE_HOSTNAME: 'mentor.azurewebsites.net' }],
    ['with a storage account name (managed identity)', { AZURE_STORAGE_ACCOUNT: 'contosomentor' }],
    ['with a real storage account connection string', { AZURE_STORAGE_CONNECTION_STRING: REAL_ACCOUNT }],
    ['listening on every interface (HOST=0.0.0.0)', { ...AZURITE, HOST: '0.0.0.0' }],
    ['in a container app', { ...AZURITE, CONTAINER_APP_NAME: 'mentor' }],
  ])('%s refuses to start without MicrosoftAppId and TAB_APP_ID, naming both', (_what, env) => {
    const text = problems(env);
    expect(text).toMatch(/looks deployed/);
    expect(text).toMatch(/MicrosoftAppId/);
    expect(text).toMatch(/TAB_APP_ID/);
    expect(text).toMatch(/ALLOW_OPEN_MODE=true/);
  });

  it('refuses with only one of the two apps, naming the missing one', () => {
    expect(problems({ ...AZURITE, WEBSITE_HOSTNAME: 'x.azurewebsites.net', ...BOT })).toMatch(/but TAB_APP_ID is not set/);
    expect(problems({ ...AZURITE, WEBSITE_HOSTNAME: 'x.azurewebsites.net', TAB_APP_ID })).toMatch(/but MicrosoftAppId \(with MicrosoftAppPassword\) is not set/);
  });

  it('starts with both apps, on every interface; or with the explicit opt-in', () => {
    const both = loadConfig({ AZURE_STORAGE_CONNECTION_STRING: REAL_ACCOUNT, WEBSITE_HOSTNAME: 'x.azurewebsites.net', ...BOT, TAB_APP_ID });
    expect(both.host).toBe('0.0.0.0');
    const open = loadConfig({ AZURE_STORAGE_ACCOUNT: 'contosomentor', ALLOW_OPEN_MODE: 'true' });
    expect(open.allowOpenMode).toBe(true);
    expect(problems({ ...AZURITE, ALLOW_OPEN_MODE: 'yes please' })).toMatch(/ALLOW_OPEN_MODE must be true or false/);
  });

  it('local use (Azurite on this machine, nothing deployed) is local mode on loopback', () => {
    const c = loadConfig(AZURITE);
    expect(c.host).toBe('127.0.0.1');
    expect(loadConfig({ AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }).host).toBe('127.0.0.1');
  });

  it('the real start (bot/main.ts) exits with the message and does not listen', async () => {
    const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'bot/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...AZURITE, WEBSITE_HOSTNAME: 'mentor.azurewebsites.net', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (b) => (out += b));
    proc.stderr!.on('data', (b) => (out += b));
    const code = await new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(out).toMatch(/looks deployed \(WEBSITE_HOSTNAME\)/);
    expect(out).not.toMatch(/listening/);
  });
});

describe('local mode', () => {
  it('listens on loopback only', async () => {
    const h = await startHarness();
    try {
      const port = Number(new URL(h.url).port);
      // startServer's own default: the configured host.
      expect(h.svc.config.host).toBe('127.0.0.1');
      const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
      if (external) {
        const reached = await new Promise<boolean>((resolve) => {
          const s = net.connect(port, external.address, () => (s.destroy(), resolve(true)));
          s.on('error', () => resolve(false));
        });
        expect(reached).toBe(false);
      }
    } finally {
      await h.stop();
    }
  });

  it.each([
    ['a bot app but no tab app', { ...BOT }],
    ['a tab app', { TAB_APP_ID }],
  ])('with %s, the identity switcher and its headers do not exist', async (_what, env) => {
    const h = await startHarness({ ...env, AZURE_STORAGE_CONNECTION_STRING: connectionString(), TABLE_PREFIX: testPrefix() });
    try {
      expect((await fetch(`${h.url}/api/local/users`)).status).toBe(404);
      const me = await fetch(`${h.url}/api/me`, { headers: { 'x-local-user': '00000000-0000-4000-9000-00000000a0a0', 'x-local-tenant': TENANT } });
      expect(me.status).toBe(401);
      const cfg = await (await fetch(`${h.url}/api/config`)).json();
      expect(cfg.localMode).toBe(false);
    } finally {
      await h.stop();
    }
  });
});
