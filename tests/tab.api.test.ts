// The tab's API on the real server and Azurite, with real jose verification of SSO tokens
// signed by a test key that a local JWKS endpoint publishes (TAB_JWKS_URL).
import type { AddressInfo } from 'net';
import { loadConfig } from '../bot/config';
import { connectionStringFor, freePort } from '../bot/dev/azurite';
import { key } from '../bot/storage/repository';
import { createServices } from '../bot/startup';
import { createServer } from '../bot/server';
import { createApp } from '../bot/teams/app';
import { registerApi } from '../bot/api/routes';
import { csvField } from '../bot/views/csv';
import { Harness, OTHER_TENANT, startHarness, TENANT, user } from './helpers/harness';
import { startSso, SsoStandIn } from './helpers/sso';
import { participantFixture, People, programmeFixture, PROGRAMME_ID, seedWorld } from './helpers/tabSeed';
import { AnswerCache, FiguresCache, SharedCache } from '../bot/api/cache';
import * as http from 'http';
import type { PersonalLadder } from '../bot/contract/tabApi';
import { tutorialIds } from '../bot/domain/ladder';
import type { Pair } from '../bot/domain/types';
import { pairId, Store } from '../bot/storage/store';

let sso: SsoStandIn;
let h: Harness;
let people: People;

beforeAll(async () => {
  sso = await startSso();
  h = await startHarness({ TAB_APP_ID: sso.appId, TAB_JWKS_URL: sso.jwksUrl });
  people = await seedWorld(h.svc.store);
});
afterAll(async () => {
  await h?.stop();
  await sso?.stop();
});

type U = { aadObjectId: string; tenantId: string; name: string };
async function call(path: string, who?: U | string, init: RequestInit = {}) {
  const token = typeof who === 'string' ? who : who ? await sso.token({ tenantId: who.tenantId, userId: who.aadObjectId, name: who.name }) : undefined;
  const res = await fetch(h.url + path, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) },
  });
  const text = await res.text();
  let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}
const ladder = (who: U) => call(`/api/me/ladder?programme=${PROGRAMME_ID}`, who);

describe('SSO token verification', () => {
  it('accepts a valid token and answers who I am', async () => {
    const r = await call('/api/me', people.mentee);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ userId: people.mentee.aadObjectId, tenantId: TENANT, isAdmin: false, mode: 'sso' });
    expect(r.body.memberships).toEqual([expect.objectContaining({ programmeId: PROGRAMME_ID, role: 'mentee' })]);
  });

  it('accepts the bare app id as audience and the v1 issuer', async () => {
    const t = await sso.token({ tenantId: TENANT, userId: people.mentee.aadObjectId, audience: sso.appId, issuer: `https://sts.windows.net/${TENANT}/` });
    expect((await call('/api/me', t)).status).toBe(200);
  });

  it.each([
    ['no token', async () => undefined],
    ['a forged signature', async () => sso.forged({ tenantId: TENANT, userId: people.mentee.aadObjectId })],
    ['an expired token', async () => sso.token({ tenantId: TENANT, userId: people.mentee.aadObjectId, expiresIn: -3600 })],
    ['a wrong audience', async () => sso.token({ tenantId: TENANT, userId: people.mentee.aadObjectId, audience: 'api://localhost/11111111-2222-4333-8444-555555555555' })],
    ['a wrong issuer', async () => sso.token({ tenantId: TENANT, userId: people.mentee.aadObjectId, issuer: 'https://evil.example/v2.0' })],
    ['an issuer of another tenant', async () => sso.token({ tenantId: TENANT, userId: people.mentee.aadObjectId, issuer: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` })],
    ['a token without a user id', async () => sso.token({ tenantId: TENANT, userId: '' })],
    ['an unsigned token (alg none)', async () => unsigned({ tid: TENANT, oid: people.mentee.aadObjectId, aud: `api://localhost/${sso.appId}`, iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, exp: Math.floor(Date.now() / 1000) + 3600 })],
    ['garbage', async () => 'not.a.token'],
  ])('refuses %s with 401', async (_what, make) => {
    const t = await make();
    const r = await call('/api/me', t ?? undefined);
    expect(r.status).toBe(401);
    expect(r.body.error).toMatch(/unauthenticated|invalid-token/);
    expect(r.body.message).toBeTruthy();
  });

  it('refuses the local identity headers when an Entra app is configured, and hides the switcher list', async () => {
    const r = await call('/api/me', undefined, { headers: { 'x-local-user': people.admin.aadObjectId, 'x-local-tenant': TENANT } });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('local-identity-refused');
    expect((await call('/api/local/users')).status).toBe(404);
    expect((await call('/api/config')).body).toMatchObject({ localMode: false });
  });

  it('checks a token again in full when it differs from an accepted one, even by one character', async () => {
    const good = await sso.token({ tenantId: TENANT, userId: people.mentee.aadObjectId, name: people.mentee.name });
    expect((await call('/api/me', good)).status).toBe(200);
    expect((await call('/api/me', good)).body.userId).toBe(people.mentee.aadObjectId); // the second time from the verified tokens
    // The same signature over someone else's claims.
    const [head, body, sig] = good.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const swapped = Buffer.from(JSON.stringify({ ...claims, oid: people.admin.aadObjectId })).toString('base64url');
    expect((await call('/api/me', `${head}.${swapped}.${sig}`)).status).toBe(401);
    // One character of the signature changed.
    const flipped = sig.slice(0, -2) + (sig.slice(-2, -1) === 'A' ? 'B' : 'A') + sig.slice(-1);
    expect((await call('/api/me', `${head}.${body}.${flipped}`)).status).toBe(401);
  });

  it('fetches the key set once and reuses it', async () => {
    const before = sso.fetches();
    for (let i = 0; i < 5; i++) await call('/api/me', people.mentor);
    expect(sso.fetches()).toBe(before);
  });
});

describe('ladders: mine, my mentee\'s, nobody else\'s', () => {
  it('a mentee reads their own ladder with the stored progress, mentor, next session and history', async () => {
    const r = await ladder(people.mentee);
    expect(r.status).toBe(200);
    // Statuses by tutorial id; the words are the catalogue's (tests/tab.catalogue.test.ts).
    expect(r.body.ladder.statuses).toEqual({ done: ['l1-profile'], inProgress: ['l1-network'] });
    expect(r.body.ladder.levels.map((l: { level: number }) => l.level)).toEqual([1, 2, 3]);
    expect(r.body.ladder.levels[0]).toEqual({ level: 1, done: 1, total: 4, percent: 25, complete: false, wanted: true });
    expect(r.body.ladder).toMatchObject({ done: 1, total: 13, percent: 8, next: 'l1-network' });
    expect(r.body.catalogue).toBe((await call('/api/config')).body.catalogue);
    expect(r.body.mentor).toMatchObject({ userId: people.mentor.aadObjectId, name: 'Mia Mentor', pairStatus: 'active' });
    expect(r.body.nextSession).toBe('2026-01-29');
    expect(r.body.history.map((e: { round: number }) => e.round)).toEqual([2, 1]);
    expect(r.body.history[1]).toMatchObject({ met: 'yes', rating: 5, tutorials: ['l1-profile'] });
  });

  it('a mentor sees their mentee in their own ladder answer, and reads that mentee\'s ladder', async () => {
    const mine = await ladder(people.mentor);
    expect(mine.body.role).toBe('mentor');
    expect(mine.body.mentees).toEqual([expect.objectContaining({ userId: people.mentee.aadObjectId, done: 1 })]);
    expect(mine.body.learned[0].text).toBe('How sales forecasts are made');
    const r = await call(`/api/mentees/${people.mentee.aadObjectId}/ladder?programme=${PROGRAMME_ID}`, people.mentor);
    expect(r.status).toBe(200);
    expect(r.body.mentee).toMatchObject({ userId: people.mentee.aadObjectId, name: 'Max Mentee' });
    expect(r.body.ladder.done).toBe(1);
  });

  it.each([
    ['another mentee', () => people.mentee2],
    ['a mentor of someone else', () => people.mentor2],
    ['someone outside the programme', () => people.stranger],
  ])('%s gets 403 with a friendly message', async (_who, caller) => {
    const r = await call(`/api/mentees/${people.mentee.aadObjectId}/ladder?programme=${PROGRAMME_ID}`, caller());
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/belongs to someone else/);
  });

  it('an admin may read any mentee\'s ladder', async () => {
    expect((await call(`/api/mentees/${people.mentee.aadObjectId}/ladder?programme=${PROGRAMME_ID}`, people.admin)).status).toBe(200);
  });

  it('someone outside the programme has no personal ladder there (403)', async () => {
    expect((await ladder(people.stranger)).status).toBe(403);
  });

  it('another tenant sees nothing of this one', async () => {
    const outsider = { ...people.mentee, tenantId: OTHER_TENANT };
    expect((await ladder(outsider)).status).toBe(404);
    expect((await call(`/api/programmes/${PROGRAMME_ID}`, outsider)).status).toBe(404);
    expect((await call('/api/me', outsider)).body.memberships).toEqual([]);
  });
});

describe('marking progress', () => {
  const progressRow = async (userId: string, tutorialId: string) => (await h.svc.store.progress.get(key(TENANT, userId), key(tutorialId)))?.value;
  const post = (who: U, body: Record<string, unknown>) => call('/api/progress', who, { method: 'POST', body: JSON.stringify({ programme: PROGRAMME_ID, ...body }) });

  it('a mentee marks their own tutorial done; it is stored with source tab', async () => {
    const r = await post(people.mentee, { tutorialId: 'l1-find-people', status: 'done' });
    expect(r.status).toBe(200);
    expect(await progressRow(people.mentee.aadObjectId, 'l1-find-people')).toMatchObject({ status: 'done', source: 'tab' });
  });

  it('their mentor may mark it for them', async () => {
    const r = await post(people.mentor, { tutorialId: 'l2-communities', status: 'in-progress', menteeId: people.mentee.aadObjectId });
    expect(r.status).toBe(200);
    expect(await progressRow(people.mentee.aadObjectId, 'l2-communities')).toMatchObject({ status: 'in-progress' });
  });

  it('nobody else may, and a user id in the body never changes who is acting', async () => {
    expect((await post(people.mentor2, { tutorialId: 'l1-find-information', status: 'done', menteeId: people.mentee.aadObjectId })).status).toBe(403);
    expect((await post(people.mentee2, { tutorialId: 'l1-find-information', status: 'done', menteeId: people.mentee.aadObjectId })).status).toBe(403);
    // A stray userId field is ignored: Eve marks her own ladder, not Max's.
    expect((await post(people.mentee2, { tutorialId: 'l1-find-information', status: 'done', userId: people.mentee.aadObjectId })).status).toBe(200);
    expect(await progressRow(people.mentee.aadObjectId, 'l1-find-information')).toBeUndefined();
    expect(await progressRow(people.mentee2.aadObjectId, 'l1-find-information')).toMatchObject({ status: 'done' });
    expect((await post(people.stranger, { tutorialId: 'l1-find-information', status: 'done' })).status).toBe(403);
  });

  it('validates the tutorial and status', async () => {
    expect((await post(people.mentee, { tutorialId: 'no-such-tutorial', status: 'done' })).status).toBe(400);
    expect((await post(people.mentee, { tutorialId: 'l1-profile', status: 'finished' })).status).toBe(400);
    // Level 5 is not part of this programme (levels 1-3).
    const l5 = (await call(`/api/me/ladder?programme=${PROGRAMME_ID}`, people.mentee)).body.ladder.levels.length;
    expect(l5).toBe(3);
    expect((await post(people.mentee, { tutorialId: 'l5-contribute', status: 'done' })).status).toBe(400);
  });
});

describe('programmes, channel overview, knowledge map', () => {
  it('lists all programmes for an admin, but drafts are hidden from others', async () => {
    const a = await call('/api/programmes', people.admin);
    expect(a.body.programmes.map((p: { id: string }) => p.id).sort()).toEqual(['digital-2026', 'draft-2027']);
    const s = await call('/api/programmes', people.stranger);
    expect(s.body.programmes.map((p: { id: string }) => p.id)).toEqual([]);
    expect((await call('/api/programmes/draft-2027', people.mentee)).status).toBe(404);
  });

  it('shows the overview with pairs and the completion distribution', async () => {
    const r = await call(`/api/programmes/${PROGRAMME_ID}`, people.stranger);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'Digital Workplace 2026', pairs: 2, mentors: 2, mentees: 3, rounds: 2 });
    expect(r.body.myRole).toBeUndefined();
    expect(r.body.distribution.hidden).toBe(false);
    const l1 = r.body.distribution.levels[0];
    expect(l1.complete + l1.started + l1.notStarted).toBe(3);
    expect(l1.notStarted).toBe(1);
  });

  it('tells someone who has just joined their role at once; the figures follow within seconds', async () => {
    const before = await call(`/api/programmes/${PROGRAMME_ID}`, people.stranger);
    expect(before.body.myRole).toBeUndefined();
    const record = participantFixture(PROGRAMME_ID, people.stranger.aadObjectId, 'mentor', { name: people.stranger.name });
    await h.svc.store.participants.upsert(record);
    try {
      const after = await call(`/api/programmes/${PROGRAMME_ID}`, people.stranger);
      expect(after.body.myRole).toBe('mentor');
      expect(after.body.mentors).toBeGreaterThanOrEqual(before.body.mentors);
    } finally {
      const k = h.svc.store.participants.keys(record);
      await h.svc.store.participants.delete(k.partitionKey, k.rowKey);
    }
    expect((await call(`/api/programmes/${PROGRAMME_ID}`, people.stranger)).body.myRole).toBeUndefined();
  });

  it('recomputes the programme\'s figures once they are 10 seconds old; a failed computation is not kept', async () => {
    let now = 0;
    const cache = new FiguresCache<number>(10_000, () => now);
    let n = 0;
    expect(await cache.get('p', async () => ++n)).toBe(1);
    now += 9_999;
    expect(await cache.get('p', async () => ++n)).toBe(1);
    now += 2;
    expect(await cache.get('p', async () => ++n)).toBe(2);
    now += 10_001;
    await expect(cache.get('p', async () => Promise.reject(new Error('storage down')))).rejects.toThrow('storage down');
    expect(await cache.get('p', async () => ++n)).toBe(3);
  });

  it('shows the knowledge map without breakdowns below the privacy threshold', async () => {
    const r = await call(`/api/programmes/${PROGRAMME_ID}/knowledge-map`, people.mentee);
    expect(r.status).toBe(200);
    expect(r.body.people).toBe(5);
    const sales = r.body.cells.filter((c: { department: string }) => c.department === 'Sales');
    expect(sales[0]).toMatchObject({ total: 2, hidden: true });
    expect(sales[0].counts).toBeUndefined();
    expect(JSON.stringify(r.body)).not.toContain('Max Mentee');
  });
});

describe('admin dashboard and export', () => {
  it('shows pairs with health, response rate per round and unreachable people', async () => {
    const r = await call(`/api/programmes/${PROGRAMME_ID}/dashboard`, people.admin);
    expect(r.status).toBe(200);
    expect(r.body.pairs[0]).toMatchObject({ health: 'at-risk', mentor: { userId: people.mentor2.aadObjectId } });
    expect(r.body.pairs[1]).toMatchObject({ health: 'ok', lastCheckin: '2026-01-20T15:00:00.000Z', answered: { mentor: 1, mentee: 2 } });
    expect(r.body.rounds).toEqual([
      expect.objectContaining({ round: 1, expected: 4, answered: 2, rate: 50 }),
      expect.objectContaining({ round: 2, expected: 4, answered: 1, rate: 25 }),
    ]);
    expect(r.body.unreachable).toEqual([expect.objectContaining({ userId: people.mentor2.aadObjectId, role: 'mentor' })]);
    expect(r.body.totals).toMatchObject({ pairs: 2, atRisk: 1, responseRate: 38 });
  });

  it('is for admins only', async () => {
    for (const who of [people.mentor, people.mentee, people.stranger]) {
      expect((await call(`/api/programmes/${PROGRAMME_ID}/dashboard`, who)).status).toBe(403);
      expect((await call(`/api/programmes/${PROGRAMME_ID}/export.csv`, who)).status).toBe(403);
    }
  });

  it('exports CSV with quoting and formula-injection protection', async () => {
    const r = await call(`/api/programmes/${PROGRAMME_ID}/export.csv`, people.admin);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="reverse-mentor-[A-Za-z0-9-]+-\d{4}-\d\d-\d\d\.csv"$/);
    const text = (r.body as string).replace(/^\uFEFF/, '');
    const rows = parseCsv(text);
    expect(rows[0][0]).toBe('programme');
    expect(rows).toHaveLength(3);
    const eve = rows.find((row) => row.includes(people.mentee2.aadObjectId))!;
    expect(eve[8]).toBe('Eve "The Boss", Jr.');
    // The department that looks like a formula is neutralised with a leading quote.
    expect(eve[6]).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(rows.every((row) => row.length === rows[0].length)).toBe(true);
  });

  it('csvField defuses every formula prefix and quotes separators', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(42)).toBe('42');
    // Numbers are numbers: a negative recommend score is not a formula.
    expect(csvField(-20)).toBe('-20');
  });
});

describe('what the programme changed: the outcome report and one\'s own progress', () => {
  it('the report and its CSV are for admins only, never across tenants', async () => {
    expect((await call(`/api/programmes/${PROGRAMME_ID}/outcome`)).status).toBe(401);
    for (const who of [people.mentor, people.mentee, people.stranger]) {
      expect((await call(`/api/programmes/${PROGRAMME_ID}/outcome`, who)).status).toBe(403);
      expect((await call(`/api/programmes/${PROGRAMME_ID}/outcome.csv`, who)).status).toBe(403);
    }
    const foreign = { ...user('Fay Foreign', OTHER_TENANT), tenantId: OTHER_TENANT };
    expect((await call(`/api/programmes/${PROGRAMME_ID}/outcome`, foreign)).status).toBe(403);
    const r = await call(`/api/programmes/${PROGRAMME_ID}/outcome`, people.admin);
    expect(r.status).toBe(200);
    // Three mentees, no baselines yet (seeded straight into storage): nothing to compare, nothing shown.
    expect(r.body.levels.map((l: { level: number; people: number; hidden: boolean }) => [l.level, l.people, l.hidden])).toEqual([[1, 0, true], [2, 0, true], [3, 0, true]]);
    expect(r.body.rounds.map((x: { round: number; answered: number; asked: number; sessions: number }) => [x.round, x.answered, x.asked, x.sessions])).toEqual([[1, 2, 4, 1], [2, 1, 4, 0]]);
    const csv = await call(`/api/programmes/${PROGRAMME_ID}/outcome.csv`, people.admin);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="reverse-mentor-outcome-[A-Za-z0-9-]+-\d{4}-\d\d-\d\d\.csv"$/);
    expect(csv.headers.get('cache-control')).toBe('no-store');
    expect((csv.body as string).replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('section,subject,measure,value');
  });

  it("one's own progress: participants only, and the profile stands in for a start not yet frozen", async () => {
    expect((await call(`/api/me/progress?programme=${PROGRAMME_ID}`)).status).toBe(401);
    expect((await call(`/api/me/progress?programme=${PROGRAMME_ID}`, people.stranger)).status).toBe(403);
    expect((await call('/api/me/progress', people.mentee)).status).toBe(400);
    const r = await call(`/api/me/progress?programme=${PROGRAMME_ID}`, people.mentee);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ role: 'mentee', measures: 'levels', start: 'profile', survey: 'none', sessionsHeld: 1, checkinsAnswered: 2 });
    expect(r.body.rows.map((x: { key: string; before: number }) => [x.key, x.before])).toEqual([['1', 1], ['2', 0], ['3', 0]]);
    const mentor = await call(`/api/me/progress?programme=${PROGRAMME_ID}`, people.mentor);
    expect(mentor.body).toMatchObject({ role: 'mentor', measures: 'business', start: 'missing', canRateStart: true });
  });
});

describe('local identity mode (no TAB_APP_ID)', () => {
  let local: Harness;
  beforeAll(async () => {
    local = await startHarness();
    await seedWorld(local.svc.store, people);
  });
  afterAll(async () => local?.stop());

  it('says so in /api/config, lists the switcher\'s people, and takes the headers', async () => {
    const cfg = await fetch(`${local.url}/api/config`).then((r) => r.json());
    expect(cfg.localMode).toBe(true);
    const list = await fetch(`${local.url}/api/local/users?tenant=${TENANT}`).then((r) => r.json());
    expect(list.users.map((u: { userId: string }) => u.userId)).toEqual(expect.arrayContaining([people.mentee.aadObjectId, people.admin.aadObjectId]));
    expect(list.users.find((u: { userId: string }) => u.userId === people.admin.aadObjectId).isAdmin).toBe(true);
    const me = await fetch(`${local.url}/api/me`, { headers: { 'x-local-user': people.mentee.aadObjectId, 'x-local-tenant': TENANT } });
    expect(me.status).toBe(200);
    expect((await me.json()).mode).toBe('local');
  });

  it('still needs someone chosen', async () => {
    expect((await fetch(`${local.url}/api/me`)).status).toBe(401);
  });

  it('does not accept a bearer token it cannot check', async () => {
    const t = await sso.token({ tenantId: TENANT, userId: people.admin.aadObjectId });
    expect((await fetch(`${local.url}/api/me`, { headers: { authorization: `Bearer ${t}` } })).status).toBe(401);
  });
});

describe('shared reads kept a few seconds (programme, participants, pairs)', () => {
  it('someone who has just joined gets their ladder at once, although the participants were read moments ago', async () => {
    expect((await ladder(people.mentee)).status).toBe(200); // the programme's participants are now cached
    const newbie = user('Nina Newbie');
    const record = participantFixture(PROGRAMME_ID, newbie.aadObjectId, 'mentee', { name: newbie.name });
    await h.svc.store.participants.upsert(record);
    try {
      const r = await ladder(newbie);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ role: 'mentee', name: 'Nina Newbie' });
    } finally {
      const k = h.svc.store.participants.keys(record);
      await h.svc.store.participants.delete(k.partitionKey, k.rowKey);
    }
  });

  it('serves a cached record until a write through this server or until it expires; a failed read is not kept', async () => {
    let now = 1_000_000;
    const cache = new SharedCache(h.svc, 5_000, () => now);
    const id = 'cache-check-2026';
    // Another server instance on the same storage: its writes are not seen until the entry expires.
    const otherInstance = new Store({ connectionString: h.env.AZURE_STORAGE_CONNECTION_STRING, tablePrefix: h.env.TABLE_PREFIX });
    await h.svc.store.programmes.upsert(programmeFixture(id, { name: 'Before' }));
    try {
      const [a, b] = await Promise.all([cache.programme(TENANT, id), cache.programme(TENANT, id)]);
      expect([a?.name, b?.name]).toEqual(['Before', 'Before']);
      await h.svc.store.programmes.upsert(programmeFixture(id, { name: 'Changed here' }));
      expect((await cache.programme(TENANT, id))?.name).toBe('Changed here');
      await otherInstance.programmes.upsert(programmeFixture(id, { name: 'After' }));
      now += 4_999;
      expect((await cache.programme(TENANT, id))?.name).toBe('Changed here');
      now += 2;
      expect((await cache.programme(TENANT, id))?.name).toBe('After');
    } finally {
      await h.svc.store.programmes.delete(key(TENANT), key(id));
    }
    // Tables not created yet: the read fails; once they exist, the next call reads again.
    const fresh = new Store({ connectionString: h.env.AZURE_STORAGE_CONNECTION_STRING, tablePrefix: `x${Date.now().toString(36)}` });
    const later = new SharedCache({ ...h.svc, store: fresh }, 5_000, () => now);
    await expect(later.pairs(TENANT, PROGRAMME_ID)).rejects.toThrow();
    await fresh.ensureTables();
    await expect(later.pairs(TENANT, PROGRAMME_ID)).resolves.toEqual([]);
  });
});

describe('personal answers reused until the next write', () => {
  const statusOf = (body: PersonalLadder, id: string) =>
    body.ladder.statuses.done.includes(id) ? 'done' : body.ladder.statuses.inProgress.includes(id) ? 'in-progress' : tutorialIds(body.programme.levels).includes(id) ? 'not-started' : undefined;

  it('a check-in answer that marks a tutorial done shows on the very next ladder request', async () => {
    const mentee = people.mentee;
    const first = (await ladder(mentee)).body as PersonalLadder;
    const untouched = tutorialIds(first.programme.levels).find((id) => statusOf(first, id) === 'not-started')!;
    expect(statusOf((await ladder(mentee)).body, untouched)).toBe('not-started'); // now answered from the cache
    // What the bot writes when the pair says they covered it in a check-in.
    const row = { tenantId: TENANT, userId: mentee.aadObjectId, tutorialId: untouched, status: 'done' as const, source: 'checkin' as const, updatedAt: new Date().toISOString() };
    await h.svc.store.progress.upsert(row);
    try {
      expect(statusOf((await ladder(mentee)).body, untouched)).toBe('done');
    } finally {
      await h.svc.store.progress.delete(key(TENANT, mentee.aadObjectId), key(untouched));
    }
    expect(statusOf((await ladder(mentee)).body, untouched)).toBe('not-started');
  });

  it('a mentor whose pair has just ended is refused the former mentee\'s ladder at once', async () => {
    const path = `/api/mentees/${people.mentee.aadObjectId}/ladder?programme=${PROGRAMME_ID}`;
    expect((await call(path, people.mentor)).status).toBe(200);
    expect((await call(path, people.mentor)).status).toBe(200);
    const k = h.svc.store.pairs.keys({ tenantId: TENANT, programmeId: PROGRAMME_ID, id: pairId(people.mentor.aadObjectId, people.mentee.aadObjectId) } as Pair);
    await h.svc.store.pairs.mutate(k.partitionKey, k.rowKey, (p) => (p ? { ...p, status: 'ended' } : undefined));
    try {
      const r = await call(path, people.mentor);
      expect(r.status).toBe(403);
      // Their own ladder no longer lists the mentee either.
      expect((await ladder(people.mentor)).body.mentees).toEqual([]);
    } finally {
      await h.svc.store.pairs.mutate(k.partitionKey, k.rowKey, (p) => (p ? { ...p, status: 'active' } : undefined));
    }
    expect((await call(path, people.mentor)).status).toBe(200);
  });

  it('each person gets their own answer, even asking the same question at the same moment', async () => {
    const who = [people.mentee, people.mentor, people.mentee2, people.mentee, people.mentor2, people.mentee2];
    const answers = await Promise.all(who.map((u) => ladder(u)));
    const names = ['Max Mentee', 'Mia Mentor', 'Eve "The Boss", Jr.', 'Max Mentee', 'Tom Mentor', 'Eve "The Boss", Jr.'];
    expect(answers.map((a) => a.body.name)).toEqual(names);
    expect(answers.map((a) => a.body.role)).toEqual(['mentee', 'mentor', 'mentee', 'mentee', 'mentor', 'mentee']);
  });

  it('a ladder (4 KB) is sent plain even to a client that takes gzip: compressing it costs more than it saves (the catalogue is gzipped)', async () => {
    const token = await sso.token({ tenantId: TENANT, userId: people.mentee.aadObjectId, name: people.mentee.name });
    const raw = (encoding?: string) =>
      new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http.get(`${h.url}/api/me/ladder?programme=${PROGRAMME_ID}`, { headers: { authorization: `Bearer ${token}`, ...(encoding ? { 'accept-encoding': encoding } : {}) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    const [zipped, plain] = [await raw('gzip, deflate, br'), await raw()];
    expect(zipped.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers.vary).toMatch(/accept-encoding/i);
    // Without the catalogue's words a ladder is a few KB, under the 8 KB from which answers are compressed.
    expect(plain.body.length).toBeLessThan(8 * 1024);
    expect(JSON.parse(zipped.body.toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
    expect(plain.headers['cache-control']).toBe('no-store');
  });

  it('does not keep an answer computed while a write was under way, nor one past its time', async () => {
    let writes = 0;
    let now = 1_000;
    const cache = new AnswerCache({ writesOf: () => writes }, 5_000, () => now);
    let computed = 0;
    const slow = async () => {
      computed++;
      writes++; // someone writes while this answer is being put together
      return { n: computed };
    };
    expect(JSON.parse((await cache.get(TENANT, 'q', slow)).json.toString())).toEqual({ n: 1 });
    const steady = async () => ({ n: ++computed });
    expect(JSON.parse((await cache.get(TENANT, 'q', steady)).json.toString())).toEqual({ n: 2 });
    expect(JSON.parse((await cache.get(TENANT, 'q', steady)).json.toString())).toEqual({ n: 2 });
    now += 5_001;
    expect(JSON.parse((await cache.get(TENANT, 'q', steady)).json.toString())).toEqual({ n: 3 });
    expect(computed).toBe(3);
  });
});

describe('storage outage', () => {
  it('answers 503 with a friendly message', async () => {
    const dead = await freePort();
    const svc = createServices(loadConfig({ AZURE_STORAGE_CONNECTION_STRING: connectionStringFor(dead, dead), PORT: '0', TAB_APP_ID: sso.appId, TAB_JWKS_URL: sso.jwksUrl }));
    const server = createServer(svc, svc.adapter, createApp(svc, svc.adapter), registerApi);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const t = await sso.token({ tenantId: TENANT, userId: user('Anyone').aadObjectId });
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/me`, { headers: { authorization: `Bearer ${t}` } });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'storage-unavailable', message: expect.stringMatching(/try again/) });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

function unsigned(payload: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
}

/** RFC 4180 reader, enough to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), i++;
    } else field += c;
  }
  return rows;
}
