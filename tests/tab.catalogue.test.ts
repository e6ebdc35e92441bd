// The tutorial catalogue and the ladder answers that leave it out: ladders carry only what is
// personal and name the catalogue version; GET /api/catalogue/<version>/<locale> serves the words
// under that version for the browser to keep. Real server, Azurite, jose-verified SSO tokens, and
// headless Chromium with its HTTP cache on for what a person sees on a second visit.
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { gunzipSync } from 'zlib';
import type { CatalogueAnswer, MenteeLadder, PersonalLadder } from '../bot/contract/tabApi';
import { getCatalogue, loadCatalogues, tutorialIds, useCatalogueDir } from '../bot/domain/ladder';
import { LOCALES, Locale, TutorialStatus } from '../bot/domain/types';
import { pairId } from '../bot/storage/store';
import { bigCatalogue } from './helpers/bigLadder';
import { launchBrowser, openPage, TabPage } from './helpers/browser';
import { Harness, startHarness, TENANT, TestUser, user } from './helpers/harness';
import { startSso, SsoStandIn } from './helpers/sso';
import { participantFixture, People, programmeFixture, PROGRAMME_ID, seedWorld } from './helpers/tabSeed';

const IMMUTABLE = 'private, max-age=31536000, immutable';

let sso: SsoStandIn;
let h: Harness; // SSO: identity from verified tokens
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

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** One GET over plain HTTP, so what is on the wire (encoding, length, 304s) is what is measured. */
async function get(base: string, p: string, who: TestUser | undefined, headers: Record<string, string> = {}): Promise<Raw> {
  const token = who ? await sso.token({ tenantId: who.tenantId, userId: who.aadObjectId, name: who.name }) : undefined;
  return new Promise((resolve, reject) => {
    http.get(`${base}${p}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = res.headers['content-encoding'] === 'gzip' ? gunzipSync(body).toString('utf8') : body.toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, body, text });
      });
    }).on('error', reject);
  });
}

const version = async (base = h.url) => JSON.parse((await get(base, '/api/config', undefined)).text).catalogue as string;

/** Every text of the catalogue in every language: titles, focus, descriptions, goals, activities. */
function catalogueWords(): string[] {
  const words = new Set<string>();
  for (const locale of LOCALES) {
    for (const lv of getCatalogue(locale).levels) {
      words.add(lv.title).add(lv.focus);
      for (const t of lv.tutorials) [t.title, t.description, t.goal, ...t.activities].forEach((w) => words.add(w));
    }
  }
  return [...words];
}

describe('ladder answers: only what is personal', () => {
  const ladders = (p = PROGRAMME_ID) => [
    [people.mentee, `/api/me/ladder?programme=${p}`],
    [people.mentor, `/api/me/ladder?programme=${p}`],
    [people.mentor, `/api/mentees/${people.mentee.aadObjectId}/ladder?programme=${p}`],
    [people.admin, `/api/mentees/${people.mentee.aadObjectId}/ladder?programme=${p}`],
  ] as const;

  it('carry none of the catalogue’s words in any language, the same answer whatever the language, and name the catalogue version', async () => {
    const words = catalogueWords();
    expect(words.length).toBeGreaterThan(300);
    const v = await version();
    expect(v).toMatch(/^[0-9a-f]{16}$/);
    for (const [who, p] of ladders()) {
      const answers = await Promise.all(LOCALES.map((l) => get(h.url, `${p}&locale=${l}`, who)));
      for (const a of answers) expect(a.status).toBe(200);
      expect(new Set(answers.map((a) => a.text)).size).toBe(1);
      const text = answers[0].text;
      expect(words.filter((w) => text.includes(w))).toEqual([]);
      expect(JSON.parse(text).catalogue).toBe(v);
    }
    // What the tab needs to show instead: statuses by id, figures per level, the next suggestion's id, covered tutorials' ids.
    const mine = JSON.parse((await get(h.url, `/api/me/ladder?programme=${PROGRAMME_ID}`, people.mentee)).text) as PersonalLadder;
    expect(mine.ladder).toMatchObject({ statuses: { done: ['l1-profile'], inProgress: ['l1-network'] }, next: 'l1-network', done: 1, total: 13 });
    expect(mine.history.find((e) => e.round === 1)?.tutorials).toEqual(['l1-profile']);
    const mentor = JSON.parse((await get(h.url, `/api/me/ladder?programme=${PROGRAMME_ID}`, people.mentor)).text) as PersonalLadder;
    expect(mentor.mentees[0].levels).toEqual([
      { level: 1, done: 1, total: 4, percent: 25 }, { level: 2, done: 0, total: 4, percent: 0 }, { level: 3, done: 0, total: 5, percent: 0 },
    ]);
  });
});

describe('GET /api/catalogue/<version>/<locale>', () => {
  it.each([
    ['en', 'Set up your profile', 'Platform first steps'],
    ['de', 'Profil einrichten', getCatalogue('de').levels[0].title],
    ['nl', 'Uw profiel inrichten', getCatalogue('nl').levels[0].title],
  ] as const)('serves every level and tutorial in %s, to keep for a year', async (locale, profile, level1) => {
    const v = await version();
    const r = await get(h.url, `/api/catalogue/${v}/${locale}`, people.mentee);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['cache-control']).toBe(IMMUTABLE);
    expect(r.headers.etag).toBe(`W/"${v}-${locale}"`);
    const c = JSON.parse(r.text) as CatalogueAnswer;
    expect(c).toMatchObject({ version: v, locale });
    expect(c.levels.map((l) => l.level)).toEqual([1, 2, 3, 4, 5]);
    expect(c.levels[0].title).toBe(level1);
    expect(c.levels[0].tutorials.find((t) => t.id === 'l1-profile')?.title).toBe(profile);
    expect(c.levels.flatMap((l) => l.tutorials.map((t) => t.id))).toEqual(tutorialIds());
    // Everything a tutorial shows: description, goal, activities, duration.
    expect(c.levels[0].tutorials[0]).toEqual(getCatalogue(locale).levels[0].tutorials[0]);
  });

  it('answers a browser that has it with 304 and no body, whether it names the tag weakly, strongly or in a list', async () => {
    const v = await version();
    const p = `/api/catalogue/${v}/de`;
    const first = await get(h.url, p, people.mentor);
    const etag = first.headers.etag!;
    for (const inm of [etag, etag.replace(/^W\//, ''), `"other", ${etag}`, '*']) {
      const again = await get(h.url, p, people.mentor, { 'if-none-match': inm });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers.etag).toBe(etag);
      expect(again.headers['cache-control']).toBe(IMMUTABLE);
    }
    // Another language's tag is not this one's.
    const nl = await get(h.url, `/api/catalogue/${v}/nl`, people.mentor, { 'if-none-match': etag });
    expect(nl.status).toBe(200);
    expect(JSON.parse(nl.text).locale).toBe('nl');
  });

  it('is sent gzipped to a browser that takes it, under 40% of the size', async () => {
    const v = await version();
    const [zipped, plain] = [await get(h.url, `/api/catalogue/${v}/en`, people.mentee, { 'accept-encoding': 'gzip, deflate, br' }), await get(h.url, `/api/catalogue/${v}/en`, people.mentee)];
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/accept-encoding/i);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.body.length).toBeLessThan(plain.body.length * 0.4);
    expect(zipped.text).toBe(plain.text);
    expect(zipped.headers.etag).toBe(plain.headers.etag);
  });

  it('a version it does not have is a 404 that names the current one, never kept; another language a 404; no token a 401', async () => {
    const v = await version();
    for (const old of ['0123456789abcdef', v.slice(0, 15), 'x']) {
      const r = await get(h.url, `/api/catalogue/${old}/en`, people.mentee);
      expect(r.status).toBe(404);
      expect(JSON.parse(r.text)).toEqual({ error: 'catalogue-version-unknown', message: expect.any(String), current: v });
      expect(r.headers['cache-control']).toBe('no-store');
    }
    const fr = await get(h.url, `/api/catalogue/${v}/fr`, people.mentee);
    expect(fr.status).toBe(404);
    expect(JSON.parse(fr.text).message).toMatch(/en, de, nl/);
    const anonymous = await get(h.url, `/api/catalogue/${v}/en`, undefined);
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toContain('Set up your profile');
  });

  it('an edited catalogue (after a restart) is a new version: the old one is 404, ladders name the new one, and the new words are served', async () => {
    const before = await version();
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'rm-edited-'));
    const edited = loadCatalogues();
    for (const locale of LOCALES) {
      edited[locale].levels[0].tutorials[0].title = `${edited[locale].levels[0].tutorials[0].title} (Contoso)`;
      fs.writeFileSync(path.join(dir, `catalogue.${locale}.json`), JSON.stringify(edited[locale]));
    }
    const second = await startHarness({ TAB_APP_ID: sso.appId, TAB_JWKS_URL: sso.jwksUrl, TABLE_PREFIX: h.env.TABLE_PREFIX, LADDER_CATALOGUE_DIR: dir });
    try {
      const after = await version(second.url);
      expect(after).not.toBe(before);
      const gone = await get(second.url, `/api/catalogue/${before}/en`, people.mentee);
      expect(gone.status).toBe(404);
      expect(JSON.parse(gone.text).current).toBe(after);
      const ladder = JSON.parse((await get(second.url, `/api/me/ladder?programme=${PROGRAMME_ID}`, people.mentee)).text) as PersonalLadder;
      expect(ladder.catalogue).toBe(after);
      const c = JSON.parse((await get(second.url, `/api/catalogue/${after}/en`, people.mentee)).text) as CatalogueAnswer;
      expect(c.levels[0].tutorials[0].title).toBe('Set up your profile (Contoso)');
    } finally {
      await second.stop();
      useCatalogueDir(undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(await version()).toBe(before);
  });
});

describe('a 100-tutorial ladder', () => {
  let big: Harness;
  let dir: string;
  const mentee = user('Big Mentee');
  const mentor = user('Big Mentor');
  const PROGRAMME = 'big-2026';

  beforeAll(async () => {
    dir = bigCatalogue(20);
    big = await startHarness({ TAB_APP_ID: sso.appId, TAB_JWKS_URL: sso.jwksUrl, LADDER_CATALOGUE_DIR: dir });
    const store = big.svc.store;
    const ids = tutorialIds();
    expect(ids).toHaveLength(100);
    await store.programmes.upsert(programmeFixture(PROGRAMME, { levels: [1, 2, 3, 4, 5] }));
    await store.participants.upsert(participantFixture(PROGRAMME, mentee.aadObjectId, 'mentee', { name: mentee.name }));
    await store.participants.upsert(participantFixture(PROGRAMME, mentor.aadObjectId, 'mentor', { name: mentor.name }));
    const pair = pairId(mentor.aadObjectId, mentee.aadObjectId);
    await store.pairs.upsert({ tenantId: TENANT, programmeId: PROGRAMME, id: pair, mentorId: mentor.aadObjectId, menteeId: mentee.aadObjectId, status: 'active', score: 80, reasons: [], proposalId: 'p', createdAt: '2026-01-05T09:00:00.000Z' });
    // Every tutorial touched (the longest status list there can be): 60 done, 40 in progress.
    for (let i = 0; i < ids.length; i += 100) {
      await store.progress.transaction(ids.slice(i, i + 100).map((tutorialId, k) => ['upsert', {
        tenantId: TENANT, userId: mentee.aadObjectId, tutorialId, status: (k % 5 < 3 ? 'done' : 'in-progress') as TutorialStatus, source: 'tab', updatedAt: '2026-03-01T10:00:00.000Z',
      }]));
    }
    // Twelve weekly check-ins answered by both, each covering two tutorials, with what they learned.
    for (let round = 1; round <= 12; round++) {
      for (const [who, role] of [[mentee, 'mentee'], [mentor, 'mentor']] as const) {
        await store.checkins.upsert({
          tenantId: TENANT, programmeId: PROGRAMME, round, userId: who.aadObjectId, pairId: pair, role, dispatch: 'sent', attempts: 1, sentAt: '2026-01-12T09:00:00.000Z',
          answeredAt: '2026-01-13T15:00:00.000Z', met: 'yes', tutorials: [ids[2 * round], ids[2 * round + 1]], learned: `Week ${round}: how the team shares what it learns`, rating: 4, nextSession: '2026-04-20',
        });
      }
    }
  });
  afterAll(async () => {
    await big?.stop();
    useCatalogueDir(undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is answered in under 8 KB with every status, while its catalogue is many times that and fetched apart', async () => {
    const mine = await get(big.url, `/api/me/ladder?programme=${PROGRAMME}`, mentee);
    expect(mine.status).toBe(200);
    expect(mine.body.length).toBeLessThan(8 * 1024);
    const l = JSON.parse(mine.text) as PersonalLadder;
    expect(l.ladder.statuses.done).toHaveLength(60);
    expect(l.ladder.statuses.inProgress).toHaveLength(40);
    expect(l.ladder).toMatchObject({ done: 60, total: 100, percent: 60 });
    expect(l.history).toHaveLength(12);
    const theirs = await get(big.url, `/api/mentees/${mentee.aadObjectId}/ladder?programme=${PROGRAMME}`, mentor);
    expect(theirs.body.length).toBeLessThan(8 * 1024);
    expect((JSON.parse(theirs.text) as MenteeLadder).ladder.statuses.done).toHaveLength(60);
    const c = await get(big.url, `/api/catalogue/${l.catalogue}/en`, mentee);
    expect(c.status).toBe(200);
    expect(c.body.length).toBeGreaterThan(5 * mine.body.length);
  });
});

// ---------------------------------------------------------------------------------------------
// In the browser, with its HTTP cache on (local identity mode: no Teams host page to route).

describe('the tab in a browser', () => {
  let local: Harness;
  let browser: Browser;
  const open: TabPage[] = [];

  beforeAll(async () => {
    local = await startHarness({ TABLE_PREFIX: h.env.TABLE_PREFIX });
    browser = await launchBrowser();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await local?.stop();
  });

  const at = (who: TestUser, query = '') => `${local.url}/tab/index.html?${[query, `user=${encodeURIComponent(who.aadObjectId)}&tenant=${encodeURIComponent(who.tenantId)}`].filter(Boolean).join('&')}`;
  async function visit(page: Page, url: string, ready: string): Promise<void> {
    await page.goto(url);
    await page.locator('main[aria-busy="false"]').waitFor({ timeout: 15_000 });
    await page.locator(ready).first().waitFor();
  }
  /** The catalogue fetches of the page loaded last, as the browser timed them: transferSize 0 is its cache. */
  const catalogueFetches = (page: Page) =>
    page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((e) => new URL(e.name).pathname.startsWith('/api/catalogue/'))
        .map((e) => ({ path: new URL(e.name).pathname, transferSize: e.transferSize, bodySize: e.decodedBodySize })),
    );
  const text = async (page: Page, selector: string) => (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();
  /** A new browser profile (empty cache) on the mentee's ladder in English. */
  async function firstVisit(): Promise<{ tp: TabPage; page: Page; v: string }> {
    const tp = await openPage(browser, { origin: local.url, httpCache: true });
    open.push(tp);
    await visit(tp.page, at(people.mentee), '[data-ready="ladder"]');
    expect(await text(tp.page, 'li.tutorial[data-tutorial="l1-profile"] h4')).toBe('Set up your profile');
    return { tp, page: tp.page, v: await version(local.url) };
  }

  it('asks for the catalogue once; a reload and the next person’s view show its words from the browser’s cache', async () => {
    const { tp, page, v } = await firstVisit();
    expect(await page.locator('li.tutorial[data-tutorial="l1-profile"]').getAttribute('data-status')).toBe('done');
    let fetches = await catalogueFetches(page);
    expect(fetches.map((f) => f.path)).toEqual([`/api/catalogue/${v}/en`]);
    expect(fetches[0].transferSize).toBeGreaterThan(1000);

    await page.reload();
    await page.locator('main[aria-busy="false"]').waitFor();
    await page.locator('[data-ready="ladder"]').waitFor();
    expect(await text(page, 'li.tutorial[data-tutorial="l1-profile"] h4')).toBe('Set up your profile');
    fetches = await catalogueFetches(page);
    expect(fetches).toEqual([{ path: `/api/catalogue/${v}/en`, transferSize: 0, bodySize: expect.any(Number) }]);
    expect(fetches[0].bodySize).toBeGreaterThan(1000);

    // The mentor's view: level names and covered tutorials from the same cached catalogue.
    await visit(page, at(people.mentor), '[data-ready="mentor"]');
    expect(await text(page, 'ul.level-summary')).toContain('Level 1: Platform first steps');
    expect(await text(page, 'ol.history')).toContain('Set up your profile');
    fetches = await catalogueFetches(page);
    expect(fetches.every((f) => f.transferSize === 0)).toBe(true);
    const served = tp.api.filter((c) => c.path.startsWith('/api/catalogue/'));
    expect(served.every((c) => c.status === 200)).toBe(true);
    expect(tp.problems).toEqual([]);
  });

  it.each([
    ['de', 'Profil einrichten', 'Meine Lernleiter'],
    ['nl', 'Uw profiel inrichten', 'Mijn leerladder'],
  ] as const)('switching the language to %s shows the catalogue in it, fetched once for that language', async (locale, profile, title) => {
    const { tp, page, v } = await firstVisit();
    await visit(page, at(people.mentee, `locale=${locale}`), '[data-ready="ladder"]');
    expect(await text(page, 'h1')).toBe(title);
    expect(await text(page, 'li.tutorial[data-tutorial="l1-profile"] h4')).toBe(profile);
    expect(await text(page, 'fluent-accordion-item[data-level="1"] .level-name')).toMatch(new RegExp(`^\\S+ 1: ${getCatalogue(locale as Locale).levels[0].title}$`));
    expect(await text(page, 'ol.history')).toContain(profile);
    const fetches = await catalogueFetches(page);
    expect(fetches.map((f) => f.path)).toEqual([`/api/catalogue/${v}/${locale}`]);
    expect(fetches[0].transferSize).toBeGreaterThan(1000);
    // Back in English: the English catalogue is still in the cache.
    await visit(page, at(people.mentee, 'locale=en'), '[data-ready="ladder"]');
    expect(await text(page, 'li.tutorial[data-tutorial="l1-profile"] h4')).toBe('Set up your profile');
    expect((await catalogueFetches(page)).map((f) => f.transferSize)).toEqual([0]);
    expect(tp.problems).toEqual([]);
  });

  it('during a deploy (a ladder naming a catalogue version this server no longer has) the tab takes the current one and still shows the ladder', async () => {
    // A page that routes (no HTTP cache) so the ladder answer can be made to name an older version.
    const tp = await openPage(browser, { origin: local.url });
    open.push(tp);
    await tp.page.route(/\/api\/me\/ladder/, async (route) => {
      const res = await route.fetch();
      const body = { ...(await res.json()), catalogue: '00000000deadbeef' };
      await route.fulfill({ status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });
    });
    const v = await version(local.url);
    await visit(tp.page, at(people.mentee), '[data-ready="ladder"]');
    expect(await text(tp.page, 'li.tutorial[data-tutorial="l1-profile"] h4')).toBe('Set up your profile');
    expect(await tp.page.locator('li.tutorial[data-tutorial="l1-profile"]').getAttribute('data-status')).toBe('done');
    const asked = tp.api.filter((c) => c.path.startsWith('/api/catalogue/')).map((c) => `${c.status} ${c.path}`);
    expect(asked).toContain('404 /api/catalogue/00000000deadbeef/en');
    expect(asked).toContain(`200 /api/catalogue/${v}/en`);
    // The browser's own note of the 404; the page logs nothing else.
    expect(tp.problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
  });
});
