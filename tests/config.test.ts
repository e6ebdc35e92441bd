import { ConfigError, loadConfig } from '../bot/config';

const storage = { AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' };

describe('configuration', () => {
  it('has working defaults for local use', () => {
    const c = loadConfig(storage);
    expect(c.port).toBe(3978);
    expect(c.appId).toBe('');
    expect(c.queueName).toBe('checkins');
    expect(c.botAdmins).toEqual([]);
  });

  it('reports every problem at once, each with what to fix', () => {
    let err: ConfigError | undefined;
    try {
      loadConfig({
        PORT: 'eighty',
        MicrosoftAppId: 'not-a-guid',
        BOT_ADMINS: '11111111-1111-1111-1111-111111111111, bob',
        TAB_JWKS_URL: 'ftp://x',
        MicrosoftAppType: 'Weird',
      });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const text = err!.problems.join('\n');
    expect(text).toMatch(/PORT must be a whole number/);
    expect(text).toMatch(/MicrosoftAppId must be a GUID/);
    expect(text).toMatch(/"bob" is not one/);
    expect(text).toMatch(/TAB_JWKS_URL must be an http\(s\) URL/);
    expect(text).toMatch(/MicrosoftAppType must be/);
    expect(text).toMatch(/AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT/);
    expect(err!.message).toMatch(/\.env\.example/);
  });

  it('requires the secret with an app id and the tenant for single-tenant bots', () => {
    expect(() => loadConfig({ ...storage, MicrosoftAppId: '11111111-1111-1111-1111-111111111111', MicrosoftAppType: 'SingleTenant' })).toThrow(
      /MicrosoftAppPassword is required[\s\S]*MicrosoftAppTenantId is required/,
    );
  });

  it('documents every variable it reads in .env.example', () => {
    const fs = require('fs') as typeof import('fs');
    const example = fs.readFileSync(`${__dirname}/../.env.example`, 'utf8');
    const source = fs.readFileSync(`${__dirname}/../bot/config.ts`, 'utf8');
    const read = [...source.matchAll(/(?:str|int|url)\('([A-Za-z_]+)'/g)].map((m) => m[1]);
    expect(read.length).toBeGreaterThan(10);
    for (const name of read) expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
  });
});
