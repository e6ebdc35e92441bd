// Who may talk to the bot endpoint: with MicrosoftAppId set, only requests carrying a valid
// Bot Framework token. botbuilder's real verification runs against a local token issuer.
import { textOf } from './connector/connector';
import { BOT_APP_ID, BotTokenIssuer, seedOutboundToken, startBotTokenIssuer } from './helpers/botTokens';
import { Cohort, runningProgramme } from './helpers/cohort';
import { BOT, Harness, OTHER_TENANT, personal, startHarness, TENANT, TestUser, user } from './helpers/harness';
import { diff, snapshot } from './helpers/snapshot';
import { key } from '../bot/storage/repository';

describe('bot endpoint authentication (real botbuilder checks against a local token issuer)', () => {
  let issuer: BotTokenIssuer;
  let h: Harness;
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);

  beforeAll(async () => {
    issuer = await startBotTokenIssuer();
    seedOutboundToken();
    h = await startHarness({ MicrosoftAppId: BOT_APP_ID, MicrosoftAppPassword: 'not-a-real-secret', BOT_OPENID_METADATA_URL: issuer.metadataUrl });
  });
  afterAll(async () => {
    await h.stop();
    await issuer.stop();
    errors.mockRestore();
  });

  function message(u: TestUser, text: string, over: Record<string, unknown> = {}) {
    h.connector.addMember({ id: u.teamsId, name: u.name, aadObjectId: u.aadObjectId });
    h.connector.bindConversation(personal(u).id, u.aadObjectId);
    return {
      type: 'message',
      channelId: 'msteams',
      serviceUrl: h.connector.url,
      id: `in-${Math.random().toString(36).slice(2)}`,
      from: { id: u.teamsId, name: u.name, aadObjectId: u.aadObjectId },
      recipient: BOT,
      conversation: { id: personal(u).id, conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      text,
      locale: 'en-US',
      ...over,
    };
  }

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  type Case = [string, (u: TestUser) => Promise<Record<string, string>>, Record<string, unknown>?];
  const refused: Case[] = [
    ['no Authorization header', async () => ({})],
    ['an empty bearer token', async () => ({ authorization: 'Bearer ' })],
    ['a token that is not a JWT', async () => bearer('not.a.token')],
    ['a Basic credential', async () => ({ authorization: 'Basic dXNlcjpwYXNz' })],
    ['a token signed with a key nobody published (forged)', async () => bearer(await issuer.forged({ serviceUrl: h.connector.url }))],
    ['an unsigned token (alg none)', async () => bearer(issuer.unsigned({ serviceUrl: h.connector.url }))],
    ['an expired token', async () => bearer(await issuer.token({ serviceUrl: h.connector.url, expiresIn: -3600 }))],
    ['a token for another bot (wrong audience)', async () => bearer(await issuer.token({ serviceUrl: h.connector.url, audience: '99999999-0000-4000-8000-000000000000' }))],
    ['a token from another issuer', async () => bearer(await issuer.token({ serviceUrl: h.connector.url, issuer: 'https://evil.example.com' }))],
    ['a token naming an unknown signing key', async () => bearer(await issuer.token({ serviceUrl: h.connector.url, kid: 'someone-elses-key' }))],
    // A real token replayed with a different serviceUrl would send our replies to the attacker.
    ['a valid token for another serviceUrl', async () => bearer(await issuer.token({ serviceUrl: 'https://attacker.example.com/' }))],
    // The key is endorsed for Teams only.
    ['a valid token on a channel the key is not endorsed for', async () => bearer(await issuer.token({ serviceUrl: h.connector.url })), { channelId: 'webchat' }],
  ];

  for (const [name, headers, over] of refused) {
    it(`answers 401 to ${name}, runs nothing and stores nothing`, async () => {
      const mallory = user('Mallory');
      const { status, replies } = await h.post(message(mallory, 'help', over), await headers(mallory));
      expect(status).toBe(401);
      expect(replies).toHaveLength(0);
      expect(await h.svc.store.users.get(key(TENANT), key(mallory.aadObjectId))).toBeUndefined();
    });
  }

  it('processes a request with a valid token and answers through the connector', async () => {
    const alice = user('Alice');
    const { status, replies } = await h.post(message(alice, 'help'), bearer(await issuer.token({ serviceUrl: h.connector.url })));
    expect(status).toBe(200);
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0])).toContain('What I can do');
    expect((await h.svc.store.users.get(key(TENANT), key(alice.aadObjectId)))?.value.name).toBe('Alice');
  });
});

describe('tenant isolation: tenant B never reads or writes tenant A', () => {
  // One person is a configured admin (BOT_ADMINS: an admin in every tenant, by design).
  const globalA = user('Gina Global', TENANT);
  const globalB: TestUser = { ...globalA, tenantId: OTHER_TENANT };
  let h: Harness;
  let a: Cohort;
  let xavierA: TestUser;

  beforeAll(async () => {
    h = await startHarness({ BOT_ADMINS: globalA.aadObjectId });
    a = await runningProgramme(h, globalA);
    // An admin added by command in tenant A only.
    xavierA = user('Xavier Admin', TENANT);
    await h.say(xavierA, 'help');
    await h.say(globalA, `admins add @${xavierA.name}`, { mentions: [xavierA] });
    expect(await h.svc.store.admins.get(key(TENANT), key(xavierA.aadObjectId))).toBeDefined();
  });
  afterAll(async () => h.stop());

  /** The same object ids, arriving from tenant B (a guest, a forged activity, a copy-paste). */
  const inB = (u: TestUser): TestUser => ({ ...u, tenantId: OTHER_TENANT, teamsId: `${u.teamsId}-b` });

  it('nothing tenant B does reads or changes tenant A data, in the bot or the tab API', async () => {
    const before = await snapshot(h.svc.store);
    const mentorB = inB(a.mentors[0]);
    const menteeB = inB(a.mentees[0]);
    const xavierB = inB(xavierA);
    const texts: Record<string, string> = {};
    const say = async (label: string, u: TestUser, text: string, mentions: TestUser[] = []) => {
      texts[label] = (await h.say(u, text, { mentions })).map(textOf).join('\n');
    };
    const submit = async (label: string, u: TestUser, value: Record<string, unknown>) => {
      texts[label] = (await h.submit(u, value)).map(textOf).join('\n');
    };

    // Admin rights do not cross: A's command-added admin is nobody in B.
    await say('xavier programmes', xavierB, 'programmes');
    await say('xavier admins', xavierB, 'admins');
    // The global admin in B sees B's world only.
    await say('global programmes', globalB, 'programmes');
    await say('global admins', globalB, 'admins');
    await say('global knowledge map', globalB, 'knowledge map');
    await say('global knowledge map by name', globalB, `knowledge map ${a.programmeName}`);
    await say('global knowledge map by id', globalB, `knowledge map ${a.programmeId}`);
    await say('global pair', globalB, 'pair');
    await say('global pair by id', globalB, `pair ${a.programmeId}`);
    await say('global unpair', globalB, `unpair @${mentorB.name}`, [mentorB]);
    await say('global open', globalB, `programme open ${a.programmeName}`);
    await say('global close', globalB, `programme close ${a.programmeId}`);
    await say('global remove xavier', globalB, `admins remove @${xavierB.name}`, [xavierB]);
    await submit('global approve', globalB, { ...a.approve });
    await submit('global rerun', globalB, { ...a.approve, verb: 'pair.rerun' });
    // Participants of A, as seen from B, have nothing.
    await say('mentee join', menteeB, 'join');
    await say('mentee profile', menteeB, 'profile');
    await say('mentee my pair', menteeB, 'my pair');
    await say('mentee pause', menteeB, 'pause');
    await say('mentee leave', menteeB, 'leave');
    await submit('mentee join.start', menteeB, { verb: 'join.start', programmeId: a.programmeId });
    await submit('mentee profile.edit', menteeB, { verb: 'profile.edit', programmeId: a.programmeId });
    await submit('mentee profile.save', menteeB, {
      verb: 'profile.save', formFor: menteeB.aadObjectId, programmeId: a.programmeId, role: 'mentee', department: 'Sales', seniority: 'director',
      languages: 'en', timeZone: 'Europe/Berlin', sessionsPerMonth: '2', preferredDays: 'tue', skill1: '0', skill2: '0', skill3: '0', skill4: '0', skill5: '0',
      wantLevels: '1', consent: 'true',
    });

    expect(texts['xavier programmes']).toMatch(/is for programme admins/);
    expect(texts['xavier admins']).toMatch(/is for programme admins/);
    expect(texts['global programmes']).not.toContain(a.programmeName);
    expect(texts['global admins']).not.toContain('Xavier');
    for (const k of ['global knowledge map', 'global pair']) expect(texts[k]).toMatch(/no programme that can do this/);
    for (const k of ['global knowledge map by name', 'global knowledge map by id', 'global pair by id', 'global open', 'global close']) expect(texts[k]).toMatch(/found no programme called/);
    expect(texts['global unpair']).toMatch(/no programme that can do this/);
    expect(texts['global remove xavier']).toMatch(/is not an admin/);
    expect(texts['global approve']).toMatch(/out of date/);
    expect(texts['global rerun']).toMatch(/out of date/);
    expect(texts['mentee join']).toMatch(/no programme you can join/);
    expect(texts['mentee profile']).not.toContain(a.programmeName);
    expect(texts['mentee my pair']).not.toMatch(/Mia|Mo Mentor/);
    expect(texts['mentee pause']).toMatch(/not in a programme/);
    expect(texts['mentee leave']).toMatch(/not in a programme/);
    expect(texts['mentee join.start']).toMatch(/does not exist/);
    expect(texts['mentee profile.edit']).toMatch(/not in a programme/);
    expect(texts['mentee profile.save']).toMatch(/does not exist/);
    // No answer shows A's people (except the person the command itself named).
    for (const [label, text] of Object.entries(texts)) {
      if (label === 'global remove xavier' || label === 'global unpair') continue;
      for (const name of ['Mia Mentor', 'Mo Mentor', 'Sam Senior', 'Sue Senior', 'Xavier']) expect(text).not.toContain(name);
    }

    // The tab API, with tenant B's identity (local identity mode).
    const api = async (u: TestUser, path: string, init: RequestInit = {}) => {
      const res = await fetch(`${h.url}${path}`, {
        ...init,
        headers: { 'x-local-user': u.aadObjectId, 'x-local-tenant': u.tenantId, 'content-type': 'application/json', ...(init.headers ?? {}) },
      });
      return { status: res.status, body: await res.text() };
    };
    const p = a.programmeId;
    expect(JSON.parse((await api(globalB, '/api/programmes')).body).programmes).toEqual([]);
    expect(JSON.parse((await api(menteeB, '/api/me')).body)).toMatchObject({ tenantId: OTHER_TENANT });
    expect((await api(menteeB, '/api/me')).body).not.toContain(p);
    for (const path of [`/api/programmes/${p}`, `/api/programmes/${p}/knowledge-map`, `/api/me/ladder?programme=${p}`, `/api/mentees/${menteeB.aadObjectId}/ladder?programme=${p}`]) {
      expect({ path, status: (await api(mentorB, path)).status }).toEqual({ path, status: 404 });
    }
    for (const path of [`/api/programmes/${p}/dashboard`, `/api/programmes/${p}/export.csv`, `/api/mentees/${menteeB.aadObjectId}/ladder?programme=${p}`]) {
      expect({ path, status: (await api(globalB, path)).status }).toEqual({ path, status: 404 });
    }
    const progress = await api(menteeB, '/api/progress', { method: 'POST', body: JSON.stringify({ programme: p, tutorialId: 'l1-profile', status: 'done' }) });
    expect(progress.status).toBe(404);
    const local = await api(globalB, `/api/local/users?tenant=${OTHER_TENANT}`);
    expect(local.body).not.toMatch(/Mia Mentor|Sam Senior|Xavier/);

    // Storage: not one row of tenant A changed; B's activity wrote only under B's keys.
    const changes = diff(before, await snapshot(h.svc.store));
    const prefixA = key(TENANT);
    expect(changes.filter((c) => c.split(': ')[1].replace(/^(added|removed|changed) /, '').startsWith(prefixA))).toEqual([]);
    expect(changes.every((c) => c.split(': ')[1].replace(/^(added|removed|changed) /, '').startsWith(key(OTHER_TENANT)))).toBe(true);
  });
});
