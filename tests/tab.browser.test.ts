// The tab in a real browser: headless Chromium (playwright-core) against the real server and
// Azurite, with seeded data. Inside "Teams" the tab runs in a frame of a host stand-in that
// speaks the teams-js protocol (initialize, getContext, getAuthToken, config save, theme change);
// its SSO tokens are signed by the test key and verified by the server's real jose code.
// The local identity mode (no Entra app configured) runs on a second server over the same data.
// Screenshots of every view land in test-output/tab/.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { progressOf } from '../bot/services/progress';
import { horizontalOverflow, launchBrowser, openInTeams, openPage, screenshot, SCREENSHOT_DIR, TabPage, tabWalk, TeamsHost } from './helpers/browser';
import { OUTCOME_ID, OutcomePeople, seedOutcome } from './helpers/outcomeSeed';
import { fillColours, pageCount } from './helpers/pdf';
import { Harness, startHarness, TENANT, TestUser } from './helpers/harness';
import { startSso, SsoStandIn } from './helpers/sso';
import { People, programmeFixture, PROGRAMME_ID, seedWorld } from './helpers/tabSeed';

const OPEN_ID = 'open-2027';

let sso: SsoStandIn;
let teams: Harness; // TAB_APP_ID set: identity only from verified SSO tokens
let local: Harness; // no Entra app: the local identity switcher
let people: People;
let browser: Browser;
const open: TabPage[] = [];

/** Builds the tab when its sources are newer than tab/dist (npm test builds it anyway). */
function ensureTabBuilt(): void {
  const tab = path.join(__dirname, '..', 'tab');
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs), 0);
  const built = path.join(tab, 'dist', 'main.js');
  if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < Math.max(newest(path.join(tab, 'src')), newest(path.join(tab, 'public')))) {
    execFileSync(process.execPath, [path.join(tab, 'build.mjs'), '--quiet'], { stdio: 'inherit' });
  }
}

beforeAll(async () => {
  ensureTabBuilt();
  sso = await startSso();
  local = await startHarness({});
  teams = await startHarness({ TAB_APP_ID: sso.appId, TAB_JWKS_URL: sso.jwksUrl, TABLE_PREFIX: local.env.TABLE_PREFIX });
  people = await seedWorld(local.svc.store);
  await local.svc.store.programmes.upsert(
    programmeFixture(OPEN_ID, { name: 'Leadership Online 2027', status: 'open', startDate: '2027-01-11', endDate: '2027-04-30', levels: [4, 5] }),
  );
  browser = await launchBrowser();
}, 60_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

afterAll(async () => {
  await browser?.close();
  await teams?.stop();
  await local?.stop();
  await sso?.stop();
});

interface TeamsTab {
  tp: TabPage;
  host: TeamsHost;
  frame: Frame;
}

/** Opens a tab page inside the Teams host stand-in as `who` and waits until it has rendered. */
async function inTeams(
  who: TestUser,
  tabPath: string,
  o: { theme?: 'default' | 'dark' | 'contrast'; locale?: string; frameContext?: 'content' | 'settings'; width?: number; channelId?: string; entityId?: string; subEntityId?: string } = {},
): Promise<TeamsTab> {
  const tp = await openPage(browser, { origin: teams.url, width: o.width });
  open.push(tp);
  const host = await openInTeams(
    tp,
    teams.url,
    tabPath,
    { userObjectId: who.aadObjectId, tid: who.tenantId, locale: o.locale ?? 'en-US', theme: o.theme ?? 'default', frameContext: o.frameContext ?? 'content', channelId: o.channelId, entityId: o.entityId, subEntityId: o.subEntityId },
    () => sso.token({ tenantId: who.tenantId, userId: who.aadObjectId, name: who.name }),
  );
  const frame = await host.frame();
  await rendered(frame);
  return { tp, host, frame };
}

/** Opens a tab page in local identity mode (the page's own URL says who and how). */
async function inLocalMode(who: TestUser | undefined, query: string, o: { width?: number; height?: number; locale?: string } = {}): Promise<{ tp: TabPage; page: Page }> {
  const tp = await openPage(browser, { origin: local.url, width: o.width, height: o.height, locale: o.locale });
  open.push(tp);
  const id = who ? `user=${encodeURIComponent(who.aadObjectId)}&tenant=${encodeURIComponent(who.tenantId)}` : '';
  const [file, q] = query.startsWith('config.html') ? ['config.html', query.slice('config.html'.length).replace(/^\?/, '')] : ['index.html', query];
  await tp.page.goto(`${local.url}/tab/${file}?${[q, id].filter(Boolean).join('&')}`);
  await rendered(tp.page);
  return { tp, page: tp.page };
}

/** The page finished its first render: main is no longer busy. */
async function rendered(target: Page | Frame): Promise<void> {
  await target.locator('main[aria-busy="false"]').waitFor({ timeout: 15_000 });
}

/** The text of the first match as rendered (innerText: block boundaries become spaces). */
const text = async (target: Page | Frame | Locator, selector: string) => (await target.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();

/** Nothing went wrong in the browser: no console errors, uncaught exceptions, failed or outside requests. */
function clean(tp: TabPage): void {
  expect(tp.problems).toEqual([]);
}

/** Relative luminance of a CSS rgb() colour (WCAG). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0']).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};

async function colours(target: Page | Frame) {
  return target.evaluate(() => {
    const cs = getComputedStyle(document.body);
    const card = document.querySelector('.card');
    return { theme: document.documentElement.dataset.theme, background: cs.backgroundColor, color: cs.color, card: card ? getComputedStyle(card).backgroundColor : '' };
  });
}

const doneCount = async (userId: string) => [...(await progressOf(teams.svc, TENANT, userId)).values()].filter((s) => s === 'done').length;

// ---------------------------------------------------------------------------------------------

describe('personal tab inside Teams (teams-js host stand-in, SSO verified by the server)', () => {
  it("shows the mentee's ladder with the stored progress, the mentor, the next session and the check-in history", async () => {
    const { tp, host, frame } = await inTeams(people.mentee, '/tab/index.html');
    await frame.locator('[data-ready="ladder"]').waitFor();

    expect(await text(frame, 'h1')).toBe('My ladder');
    const row = (id: string) => frame.locator(`li.tutorial[data-tutorial="${id}"]`);
    expect(await row('l1-profile').getAttribute('data-status')).toBe('done');
    expect(await row('l1-profile').locator('fluent-badge').first().textContent()).toBe('Done');
    expect(await row('l1-network').getAttribute('data-status')).toBe('in-progress');
    expect(await row('l1-network').locator('fluent-badge').first().textContent()).toBe('In progress');
    expect(await row('l1-find-people').getAttribute('data-status')).toBe('not-started');
    // Programme levels 1-3: 4 + 4 + 5 tutorials, one of them done.
    expect(await frame.getByText('1 of 13 done (8%)').count()).toBe(1);
    expect(await text(frame, 'fluent-accordion-item[data-level="1"] .level-count')).toBe('(1/4)');
    expect(await text(frame, '[data-next-card] h3')).toBe('Build your own network');
    expect(await frame.getByText('Mia Mentor', { exact: true }).count()).toBe(1);
    expect(await frame.getByText('Jan 29, 2026', { exact: true }).count()).toBe(1);
    const historyText = await text(frame, 'ol.history');
    expect(historyText).toMatch(/Week 2.*Rescheduled.*Week 1.*Met.*Rating 5\/5.*Set up your profile.*How to keep a profile current/);
    // Levels 1 and 2 are the mentee's goals: open; level 3 closed.
    expect(await frame.locator('fluent-accordion-item[data-level="1"]').getAttribute('expanded')).not.toBeNull();
    expect(await frame.locator('fluent-accordion-item[data-level="3"]').getAttribute('expanded')).toBeNull();

    // The host saw the real protocol, and every API call carried the SSO token.
    const state = await host.state();
    expect(state.log.map((m) => m.func).slice(0, 2)).toEqual(['initialize', 'getContext']);
    expect(state.app).toBe('success');
    expect(state.tokens).toBeGreaterThanOrEqual(1);
    const calls = tp.api.filter((c) => c.path !== '/api/config');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const c of calls) {
      expect(c.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(c.localUser).toBeUndefined();
      expect(c.status).toBe(200);
    }
    await host.screenshot('teams-mentee-ladder-default');
    clean(tp);
  });

  it('marks a tutorial done: the page updates, storage has it, and a reload shows it', async () => {
    const { tp, host, frame } = await inTeams(people.mentee, '/tab/index.html');
    const before = await doneCount(people.mentee.aadObjectId);
    const row = () => frame.locator('li.tutorial[data-tutorial="l1-find-people"]');
    expect(await row().getAttribute('data-status')).toBe('not-started');

    await frame.getByRole('button', { name: 'Mark “Find people” done' }).click();
    await frame.locator('li.tutorial[data-tutorial="l1-find-people"][data-status="done"]').waitFor();
    expect(await row().locator('fluent-badge').first().textContent()).toBe('Done');
    await frame.locator('#live', { hasText: '“Find people” is marked done.' }).waitFor();
    // Keyboard focus stays on the tutorial just changed.
    expect(await frame.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Mark “Find people” as not done yet');

    const stored = await progressOf(teams.svc, TENANT, people.mentee.aadObjectId);
    expect(stored.get('l1-find-people')).toBe('done');
    expect(await doneCount(people.mentee.aadObjectId)).toBe(before + 1);
    expect(tp.api.find((c) => c.method === 'POST')).toMatchObject({ path: expect.stringMatching(/^\/api\/progress/), status: 200, authorization: expect.stringMatching(/^Bearer /) });

    await tp.page.reload();
    const again = await host.frame();
    await rendered(again);
    await again.locator('[data-ready="ladder"]').waitFor();
    expect(await again.locator('li.tutorial[data-tutorial="l1-find-people"]').getAttribute('data-status')).toBe('done');
    expect(await again.getByText(`${before + 1} of 13 done`, { exact: false }).count()).toBeGreaterThanOrEqual(1);
    clean(tp);
  });

  it('follows the Teams theme: dark from the context, high contrast when the user switches', async () => {
    const { tp, host, frame } = await inTeams(people.mentee, '/tab/index.html', { theme: 'dark' });
    await frame.locator('[data-ready="ladder"]').waitFor();
    const dark = await colours(frame);
    expect(dark.theme).toBe('dark');
    expect(luminance(dark.background)).toBeLessThan(0.05);
    expect(contrast(dark.color, dark.background)).toBeGreaterThan(7);
    expect(luminance(dark.card)).toBeLessThan(0.1);
    await host.screenshot('teams-mentee-ladder-dark');

    await host.setTheme('contrast');
    await frame.waitForFunction(() => document.documentElement.dataset.theme === 'contrast');
    const hc = await colours(frame);
    expect(luminance(hc.background)).toBeLessThan(0.01);
    expect(contrast(hc.color, hc.background)).toBeGreaterThan(15);
    await host.screenshot('teams-mentee-ladder-contrast');

    await host.setTheme('default');
    await frame.waitForFunction(() => document.documentElement.dataset.theme === 'default');
    const light = await colours(frame);
    expect(luminance(light.background)).toBeGreaterThan(0.8);
    expect(contrast(light.color, light.background)).toBeGreaterThan(7);
    clean(tp);
  });

  it.each([
    ['de-DE', 'de', 'Meine Lernleiter', 'Profil einrichten', '29. Jan. 2026'],
    ['nl-NL', 'nl', 'Mijn leerladder', 'Uw profiel inrichten', '29 jan 2026'],
  ])('speaks the Teams locale %s', async (locale, lang, title, tutorial, date) => {
    const { tp, host, frame } = await inTeams(people.mentee, '/tab/index.html', { locale });
    await frame.locator('[data-ready="ladder"]').waitFor();
    expect(await frame.evaluate(() => document.documentElement.lang)).toBe(lang);
    expect(await text(frame, 'h1')).toBe(title);
    expect(await text(frame, 'li.tutorial[data-tutorial="l1-profile"] h4')).toBe(tutorial);
    expect(await frame.getByText(date, { exact: true }).count()).toBeGreaterThanOrEqual(1);
    expect(tp.api.filter((c) => c.path.startsWith('/api/me/ladder')).every((c) => c.path.includes(`locale=${lang}`))).toBe(true);
    // The words come from the catalogue in that language; the ladder answer has none.
    expect(tp.api.filter((c) => c.path.startsWith('/api/catalogue/')).map((c) => c.path.split('/').pop())).toEqual([lang]);
    await host.screenshot(`teams-mentee-ladder-${lang}`);
    clean(tp);
  });

  it("shows a mentor their mentee's ladder and what both learned, and lets the mentor mark a tutorial done for the mentee", async () => {
    const { tp, host, frame } = await inTeams(people.mentor, '/tab/index.html');
    await frame.locator('[data-ready="mentor"]').waitFor();
    expect(await text(frame, 'h1')).toBe('My mentees');
    const done = await doneCount(people.mentee.aadObjectId);
    const card = frame.locator('section', { has: frame.getByRole('heading', { name: 'Max Mentee', level: 2 }) });
    expect(await card.getByText(`${done} of 13 done`, { exact: false }).count()).toBeGreaterThanOrEqual(1);
    expect(await card.locator('ul.level-summary > li > span').allTextContents()).toEqual(['Level 1: Platform first steps', 'Level 2: Social media and the digital workplace in our company', 'Level 3: Social media principles']);
    expect(await text(frame, 'ol.history')).toContain('Covered: Set up your profile');
    expect(await text(frame, 'section:has(h3:text("What Max Mentee learned"))')).toContain('How to keep a profile current');
    expect(await text(frame, 'section:has(h2:text("What I learned about the business"))')).toContain('How sales forecasts are made');
    // Mia mentors only Max: Eve (Tom's mentee) is not shown.
    expect(await frame.getByText(/Eve "The Boss"/).count()).toBe(0);

    const toggle = frame.getByRole('button', { name: "Open Max Mentee's ladder" });
    await toggle.click();
    await card.locator('[data-ready="ladder"]').waitFor();
    expect(await frame.getByRole('button', { name: "Close Max Mentee's ladder" }).getAttribute('aria-expanded')).toBe('true');
    expect(await card.locator('li.tutorial[data-tutorial="l1-find-information"] h4').textContent()).toBe('Find information');
    expect(await card.locator('li.tutorial[data-tutorial="l1-profile"]').getAttribute('data-status')).toBe('done');
    await host.screenshot('teams-mentor');

    await card.getByRole('button', { name: 'Mark “Find information” done' }).click();
    await card.locator('li.tutorial[data-tutorial="l1-find-information"][data-status="done"]').waitFor();
    expect((await progressOf(teams.svc, TENANT, people.mentee.aadObjectId)).get('l1-find-information')).toBe('done');
    // The mentor's own ladder is untouched.
    expect((await progressOf(teams.svc, TENANT, people.mentor.aadObjectId)).get('l1-find-information')).toBeUndefined();
    clean(tp);
  });

  it("shows an admin a mentee's ladder with titles, statuses, levels and progress, their check-ins without the mentee's words, and nothing to change", async () => {
    const { tp, host, frame } = await inTeams(people.admin, `/tab/index.html?view=mentee&mentee=${people.mentee.aadObjectId}&programme=${PROGRAMME_ID}`);
    await frame.locator('[data-ready="ladder"]').waitFor();
    expect(await text(frame, 'h1')).toBe("Max Mentee's ladder");
    const done = await doneCount(people.mentee.aadObjectId);
    expect(await frame.getByText(`${done} of 13 done`, { exact: false }).count()).toBeGreaterThanOrEqual(1);
    expect(await text(frame, 'fluent-accordion-item[data-level="1"] .level-name')).toBe('Level 1: Platform first steps');
    expect(await text(frame, 'fluent-accordion-item[data-level="3"] .level-name')).toBe('Level 3: Social media principles');
    expect(await text(frame, 'li.tutorial[data-tutorial="l1-profile"] h4')).toBe('Set up your profile');
    expect(await frame.locator('li.tutorial[data-tutorial="l1-profile"]').getAttribute('data-status')).toBe('done');
    expect(await frame.locator('li.tutorial[data-tutorial="l1-network"]').getAttribute('data-status')).toBe('in-progress');
    expect(await text(frame, '[data-next-card] h3')).toBe('Build your own network');
    const historyText = await text(frame, 'ol.history');
    expect(historyText).toMatch(/Week 2.*Rescheduled.*Week 1.*Met.*Covered: Set up your profile/);
    expect(historyText).not.toContain('How to keep a profile current');
    expect(historyText).not.toMatch(/Rating/);
    expect(await frame.locator('li.tutorial fluent-button, [data-next-card] fluent-button').count()).toBe(0);
    await host.screenshot('teams-admin-mentee-ladder');
    clean(tp);
  });

  it("refuses another person's ladder (403) with a friendly message", async () => {
    // Tom mentors Eve, not Max.
    const { tp, host, frame } = await inTeams(people.mentor2, `/tab/index.html?view=mentee&mentee=${people.mentee.aadObjectId}&programme=${PROGRAMME_ID}`);
    const bar = frame.locator('fluent-message-bar');
    await bar.waitFor();
    expect(await bar.getAttribute('intent')).toBe('warning');
    expect(await bar.getAttribute('role')).toBe('alert');
    expect(await text(frame, 'fluent-message-bar')).toBe('Not yours to see This ladder belongs to someone else. Only they, their mentor and programme admins can see it.');
    expect(await frame.locator('li.tutorial').count()).toBe(0);
    expect(tp.api.find((c) => c.path.startsWith('/api/mentees/'))?.status).toBe(403);
    await host.screenshot('teams-forbidden');
    // The only console line is Chromium's own note of the 403 answer; the page itself logs nothing.
    expect(tp.problems.filter((p) => !/Failed to load resource: the server responded with a status of 403/.test(p))).toEqual([]);
    expect(tp.problems).toHaveLength(1);
  });
});

describe('channel tab', () => {
  it('configuration page: choosing a programme makes Save valid, and Save stores the tab through pages.config.setConfig', async () => {
    const { tp, host, frame } = await inTeams(people.admin, '/tab/config.html', { frameContext: 'settings' });
    await frame.locator('[data-ready="config"]').waitFor();
    let state = await host.state();
    expect(state.handlers).toContain('save');
    expect(state.validity).toBe(false);
    // Inside Teams, Teams shows the Save button: the page has none of its own.
    expect(await frame.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await frame.getByText('Select Save to add the tab.').count()).toBe(1);

    const picker = frame.getByLabel('Programme');
    expect(await picker.locator('option').allTextContents()).toEqual(['Choose a programme…', 'Leadership Online 2027', 'Digital Workplace 2026', 'Draft programme']);
    await picker.selectOption(PROGRAMME_ID);
    await tp.page.waitForFunction(() => (window as unknown as { __host: { validity: boolean } }).__host.validity === true);
    await host.screenshot('teams-config');

    await host.pressSave();
    await tp.page.waitForFunction(() => (window as unknown as { __host: { save: unknown } }).__host.save !== null);
    state = await host.state();
    expect(state.save).toEqual({ ok: true });
    const contentUrl = `${teams.url}/tab/index.html?view=channel&programme=${PROGRAMME_ID}`;
    expect(state.settings).toEqual({ entityId: `programme-${PROGRAMME_ID}`, contentUrl, websiteUrl: contentUrl, suggestedDisplayName: 'Digital Workplace 2026' });
    const funcs = state.log.map((m) => m.func);
    expect(funcs.indexOf('settings.setSettings')).toBeLessThan(funcs.indexOf('settings.save.success'));
    clean(tp);
  });

  it('the saved channel tab shows objectives, timeline, numbers, ladder completion and the knowledge map', async () => {
    const { tp, host, frame } = await inTeams(people.mentee, `/tab/index.html?view=channel&programme=${PROGRAMME_ID}`, { channelId: '19:channel@thread.tacv2' });
    await frame.locator('[data-ready="channel"]').waitFor();
    expect(await text(frame, 'h1')).toBe('Digital Workplace 2026');
    expect(await text(frame, '.objectives')).toBe('Leaders learn the digital workplace; juniors learn how the business runs.');
    expect(await text(frame, '.member')).toBe('Mentee You take part in this programme.');
    expect(await text(frame, '.stats')).toBe('2 pairs 2 mentors 3 mentees 2 check-in rounds');
    // One of three mentees: the other two are below the privacy threshold, so no completion breakdown.
    expect(await frame.locator('svg.dist-bar').count()).toBe(0);
    expect(await text(frame, 'section:has(h2:text("Ladder completion"))')).toMatch(/at least 3 mentees other than you/);
    // Knowledge map: departments below the privacy threshold show no numbers; two mentors are too
    // few to say where mentors are scarce.
    const map = await text(frame, 'section:has(h2:text("Knowledge map"))');
    expect(map).toContain('Self-assessments of 5 people');
    expect(map).toContain('fewer than 3');
    expect(map).toContain('Too few people to show where mentors are scarce');
    expect(map).not.toMatch(/mentors able/);
    await host.screenshot('teams-channel');
    clean(tp);
  });

  it('an admin (three mentees besides them) sees the completion per level as images with their numbers in words', async () => {
    const { tp, frame } = await inTeams(people.admin, `/tab/index.html?view=channel&programme=${PROGRAMME_ID}`, { channelId: '19:channel@thread.tacv2' });
    await frame.locator('[data-ready="channel"]').waitFor();
    const bars = await frame.locator('svg.dist-bar').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(bars).toHaveLength(3);
    expect(bars[0]).toMatch(/^Level 1: \d complete, \d started, \d not started$/);
    expect(await text(frame, 'table:has(caption:text("Whole ladder done"))')).toContain('Share of the ladder done');
    clean(tp);
  });

  it('someone outside the programme sees why there is no knowledge map, and never asks for it', async () => {
    const { tp, frame } = await inTeams(people.stranger, `/tab/index.html?view=channel&programme=${PROGRAMME_ID}`);
    await frame.locator('[data-ready="channel"]').waitFor();
    expect(await text(frame, 'section:has(h2:text("Knowledge map"))')).toContain("shown to the programme's participants and admins");
    clean(tp);
  });

  it('someone not yet in an open programme gets a Join button that explains how to join', async () => {
    const { tp, frame } = await inTeams(people.stranger, `/tab/index.html?view=channel&programme=${OPEN_ID}`);
    await frame.locator('[data-ready="channel"]').waitFor();
    const join = frame.getByRole('button', { name: 'Join' });
    expect(await join.getAttribute('aria-expanded')).toBe('false');
    await join.click();
    expect(await join.getAttribute('aria-expanded')).toBe('true');
    expect(await frame.locator('#join-help').isVisible()).toBe(true);
    expect(await text(frame, '#join-help')).toContain('type “join”');
    clean(tp);
  });

  it('local mode: the configuration page saves and shows the address to pin', async () => {
    const { tp, page } = await inLocalMode(people.admin, 'config.html');
    await page.getByLabel('Programme').selectOption(PROGRAMME_ID);
    await page.getByRole('button', { name: 'Save' }).click();
    const url = `${local.url}/tab/index.html?view=channel&programme=${PROGRAMME_ID}`;
    expect(await page.locator('output.content-url').textContent()).toBe(url);
    expect(await page.getByRole('link', { name: 'Open the channel tab' }).getAttribute('href')).toBe(url);
    await screenshot(page, 'local-config');
    clean(tp);
  });
});

describe('my data', () => {
  it('the bot\'s "my data" card opens the data page, whose Download gives the signed-in person their own file', async () => {
    // The card's deep link: the personal tab with the sub-page "my-data".
    const { tp, host, frame } = await inTeams(people.mentee, '/tab/index.html?view=ladder', { entityId: 'ladder', subEntityId: 'my-data' });
    await frame.locator('[data-ready="data"]').waitFor();
    expect(await text(frame, 'h1')).toBe('My data');
    const [download] = await Promise.all([tp.page.waitForEvent('download'), frame.getByRole('button', { name: 'Download my data' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^reverse-mentor-my-data-\d{4}-\d\d-\d\d\.json$/);
    const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    expect(data.userId).toBe(people.mentee.aadObjectId);
    expect(data.programmes.map((p: { programme: { id: string } }) => p.programme.id)).toContain(PROGRAMME_ID);
    await frame.locator('#live', { hasText: 'Your data was downloaded.' }).waitFor();
    await host.screenshot('teams-my-data');
    clean(tp);
  });
});

describe('admin view', () => {
  it('shows pairs with their health, the response rate per week as a chart, the unreachable, and exports CSV', async () => {
    const { tp, host, frame } = await inTeams(people.admin, '/tab/index.html?view=admin');
    await frame.locator('[data-ready="admin"]').waitFor();
    expect(await text(frame, 'h1')).toBe('Programme admin');
    expect(await text(frame, '.stats')).toBe('2 active pairs 1 at risk 38% check-in response rate');
    const rows = await frame.locator('table:has(caption:text("Pairs and their health")) tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^Eve "The Boss", Jr\..*Tom Mentor.*At risk.*never/);
    expect(rows[1]).toMatch(/^Max Mentee.*Mia Mentor.*On track/);
    const chart = frame.getByRole('img', { name: /^Check-in response rate per week:/ });
    expect(await chart.getAttribute('aria-label')).toBe('Check-in response rate per week: Week 1: 50% (2 of 4); Week 2: 25% (1 of 4)');
    expect(await chart.locator('rect.bar').count()).toBe(2);
    expect(await text(frame, 'ul.unreachable')).toBe('Tom Mentor · Mentor · no chat with the bot');
    await host.screenshot('teams-admin');

    const [download] = await Promise.all([tp.page.waitForEvent('download'), frame.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^reverse-mentor-Digital-Workplace-2026-\d{4}-\d\d-\d\d\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r\n/);
    expect(lines[0]).toMatch(/^programme,pair status,health,at risk,mentor id,mentor name/);
    expect(lines).toHaveLength(3);
    expect(csv).toContain('"Eve ""The Boss"", Jr."');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    await frame.locator('#live', { hasText: 'The CSV export was downloaded.' }).waitFor();
    clean(tp);
  });

  it('tells a non-admin that the view is for programme admins', async () => {
    const { tp, frame } = await inTeams(people.mentee, '/tab/index.html?view=admin');
    expect(await text(frame, 'fluent-message-bar')).toBe('Not yours to see This view is for programme admins. An admin can add you with the “admins” command.');
    expect(await frame.locator('table').count()).toBe(0);
    clean(tp);
  });
});

describe('local identity mode, narrow screens and keyboard', () => {
  it('marks the local identity mode clearly, labels the switcher, applies ?theme=dark and never runs names as markup', async () => {
    const { tp, page } = await inLocalMode(people.mentee, 'theme=dark');
    await page.locator('[data-ready="ladder"]').waitFor();
    expect(await text(page, '.local-banner fluent-message-bar')).toMatch(/^Local identity \(no Entra app configured\)/);
    const who = page.getByLabel('Viewing as');
    expect(await who.evaluate((s: HTMLSelectElement) => s.selectedOptions[0].textContent)).toBe('Max Mentee · mentee (Digital Workplace 2026)');
    const dark = await colours(page);
    expect(dark.theme).toBe('dark');
    expect(luminance(dark.background)).toBeLessThan(0.05);
    expect(contrast(dark.color, dark.background)).toBeGreaterThan(7);
    // A name with markup in it is shown as text.
    expect(await who.locator('option').allTextContents()).toContain('<img src=x onerror=alert(1)>Zoe · mentee (Digital Workplace 2026)');
    expect(await page.locator('img').count()).toBe(0);
    await screenshot(page, 'local-mentee-dark');
    expect(tp.api.filter((c) => c.path.startsWith('/api/me')).every((c) => c.localUser === people.mentee.aadObjectId && !c.authorization)).toBe(true);

    // Switching identity shows the page as that person.
    await who.selectOption(`${TENANT}|${people.mentor.aadObjectId}`);
    await page.waitForURL(/user=/);
    await rendered(page);
    await page.locator('[data-ready="mentor"]').waitFor();
    expect(await text(page, 'h1')).toBe('My mentees');
    clean(tp);
  });

  const views: Array<[string, (p: People) => [TestUser, string]]> = [
    ['mentee', (p) => [p.mentee, '']],
    ['mentor', (p) => [p.mentor, '']],
    ['channel', (p) => [p.mentee, `view=channel&programme=${PROGRAMME_ID}`]],
    ['admin', (p) => [p.admin, 'view=admin']],
    ['config', (p) => [p.admin, 'config.html']],
    ['forbidden', (p) => [p.mentor2, `view=mentee&mentee=${p.mentee.aadObjectId}&programme=${PROGRAMME_ID}`]],
    ['mentee-de', (p) => [p.mentee, 'locale=de']],
    ['mentee-nl', (p) => [p.mentee, 'locale=nl&theme=contrast']],
  ];
  it.each(views)('the %s view is usable 320 px wide: no sideways scrolling of the page', async (name, pick) => {
    const [who, query] = pick(people);
    const { tp, page } = await inLocalMode(who, query, { width: 320, height: 720 });
    await page.locator('[data-ready], fluent-message-bar[intent="warning"]').first().waitFor();
    const overflow = await horizontalOverflow(page);
    expect(overflow.offenders).toEqual([]);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(320);
    await screenshot(page, `local-${name}-320`);
    const expected403 = name === 'forbidden' ? 1 : 0;
    expect(tp.problems.filter((p) => !/status of 403/.test(p))).toEqual([]);
    expect(tp.problems).toHaveLength(expected403);
  });

  it('keyboard: every control is reachable with Tab, has a name, and works with Enter and Space', async () => {
    const { tp, page } = await inLocalMode(people.mentee2, '');
    await page.locator('[data-ready="ladder"]').waitFor();
    const stops = await tabWalk(page);
    const unnamed = stops.filter((s) => !s.name);
    expect(unnamed).toEqual([]);
    expect(stops.every((s) => s.visible)).toBe(true);
    const names = stops.map((s) => s.name);
    expect(names[0]).toBe('Viewing as');
    expect(names).toContain('Level 1: Platform first steps (1/4) Your goal');
    expect(names).toContain('Level 3: Social media principles (0/5)');
    expect(names).toContain('Mark “Build your own network” done');
    expect(names).toContain('Mark “Build your own network” as in progress');
    expect(names).toContain('Goal and session activities');

    // Everything a pointer can operate is in the tab order.
    const operable = await page.evaluate(
      () => Array.from(document.querySelectorAll('select, fluent-button:not([disabled]), summary, a[href], fluent-accordion-item')).filter((e) => e.getClientRects().length > 0).length,
    );
    expect(stops.filter((s) => ['combobox', 'button', 'summary', 'link'].includes(s.role)).length).toBe(operable);

    // Level 3 is closed: Enter on its heading opens it.
    const level3 = page.locator('fluent-accordion-item[data-level="3"]');
    expect(await level3.getAttribute('expanded')).toBeNull();
    await level3.locator('button').focus();
    await page.keyboard.press('Enter');
    await page.locator('fluent-accordion-item[data-level="3"][expanded]').waitFor();
    // Space on "Start" marks a tutorial in progress.
    await page.getByRole('button', { name: 'Mark “Blogs” as in progress' }).focus();
    await page.keyboard.press('Space');
    await page.locator('li.tutorial[data-tutorial="l3-blogs"][data-status="in-progress"]').waitFor();
    expect((await progressOf(local.svc, TENANT, people.mentee2.aadObjectId)).get('l3-blogs')).toBe('in-progress');
    clean(tp);
  });
});

describe('what the programme changed: the outcome report, printed, and one person\'s own change', () => {
  let outcome: OutcomePeople;
  const REPORT = `view=admin&programme=${OUTCOME_ID}`;
  beforeAll(async () => {
    outcome = await seedOutcome(local.svc.store);
  });

  it('the admin tab shows the report as charts with their numbers, departments under the threshold pooled, and exports the same numbers as CSV', async () => {
    const { tp, host, frame } = await inTeams(people.admin, `/tab/index.html?${REPORT}`);
    await frame.locator('[data-ready="report"]').waitFor();
    expect(await text(frame, '.report h2')).toBe('What the programme changed');
    const level1 = frame.getByRole('img', { name: /^Level 1: Platform first steps, answers at the start and the end:/ });
    expect(await level1.getAttribute('aria-label')).toBe(
      'Level 1: Platform first steps, answers at the start and the end: Start: 0 none 4, 1 basic 4, 2 confident 2, 3 can teach 0; End: 0 none 1, 1 basic 4, 2 confident 3, 3 can teach 2',
    );
    // Three steps had answers at the start, four at the end.
    expect(await level1.locator('rect').count()).toBe(7);
    const moved = frame.locator('[data-chart="levels-moved"]').getByRole('img');
    expect(await moved.getAttribute('aria-label')).toBe('Share who moved up at least one step: Level 1: Platform first steps: 70% (7 of 10 people); Level 2: Social media and the digital workplace in our company: 50% (5 of 10 people)');
    const item1 = frame.locator('.outcome-item[data-item="1"]');
    expect(await text(item1, 'p')).toBe('7 of 10 people moved up at least one step (70%).');
    expect((await item1.locator('tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim())).toEqual(['Finance 3 67% (2)', 'Sales 4 75% (3)', '2 other departments 3 67% (2)']);
    expect(await frame.locator('.report').innerText()).not.toMatch(/Legal|\bHR\b/);
    // Mentors: IT and Marketing cannot be split without singling out Marketing's one mentor.
    expect(await text(frame, '.outcome-item[data-item="strategy"]')).toContain('No breakdown by department');
    expect(await frame.locator('[data-chart="rounds"]').getByRole('img').getAttribute('aria-label')).toBe(
      'Sessions held and check-in response rate over time: Week 1: 3 pairs of 4 met, 63% answered (5 of 8); Week 2: 2 pairs of 4 met, 38% answered (3 of 8)',
    );
    expect(await text(frame, 'section:has(h2:text("Closing survey"))')).toContain('Net promoter score 43: 8 promoters (9-10), 4 passives (7-8), 2 detractors (0-6); average 8.1/10.');
    expect(await frame.locator('[data-chart="survey-recommend"] rect').count()).toBe(6);
    expect(await frame.locator('[data-chart="tutorials"]').getByRole('img').getAttribute('aria-label')).toMatch(/^Tutorials most covered: Set up your profile: 2 pairs; Build your own network: 1 pair;/);
    expect(await frame.locator('[data-chart="knowledge"]').getByRole('img').getAttribute('aria-label')).toContain('3. Digital Leaders 2026 · start (Jan 12, 2026): Level 1 38%');
    await host.screenshot('teams-outcome-report');

    const [download] = await Promise.all([tp.page.waitForEvent('download'), frame.getByRole('button', { name: 'Export outcome CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^reverse-mentor-outcome-Digital-Leaders-2026-\d{4}-\d\d-\d\d\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('mentee levels,Level 1 Platform first steps,moved up (%),70\r\n');
    expect(csv).toContain('mentee levels,Level 1 Platform first steps,start: 0 - none,4\r\n');
    expect(csv).toContain('mentee levels by department,Level 1 Platform first steps / Sales,moved up (%),75\r\n');
    expect(csv).toContain('closing survey,would recommend (0-10),net promoter score,43\r\n');
    expect(csv).not.toMatch(/Legal|COMMENT-|Sal One/);
    await frame.locator('#live', { hasText: 'The outcome CSV was downloaded.' }).waitFor();
    clean(tp);
  });

  it('prints as a clean report: no buttons or names, the charts and tables on the pages of the PDF', async () => {
    const { tp, page } = await inLocalMode(people.admin, REPORT, { width: 1100 });
    await page.locator('[data-ready="report"]').waitFor();
    await page.emulateMedia({ media: 'print' });
    const layout = await page.evaluate(() => {
      const shown = (el: Element) => { const r = el.getBoundingClientRect(); return getComputedStyle(el).display !== 'none' && r.width > 0 && r.height > 0; };
      return {
        buttons: Array.from(document.querySelectorAll('fluent-button, select')).filter(shown).length,
        banner: shown(document.querySelector('.local-banner')!),
        pairs: document.body.innerText.includes('Pairs and their health'),
        charts: Array.from(document.querySelectorAll('.report svg[role="img"]')).filter(shown).length,
        tables: Array.from(document.querySelectorAll('.report table')).filter(shown).length,
        printHeader: shown(document.querySelector('.report .print-only')!),
      };
    });
    expect(layout).toMatchObject({ buttons: 0, banner: false, pairs: false, printHeader: true });
    expect(layout.charts).toBeGreaterThanOrEqual(10);
    expect(layout.tables).toBeGreaterThanOrEqual(8);
    await screenshot(page, 'print-outcome-report');
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    fs.writeFileSync(path.join(SCREENSHOT_DIR, 'outcome-report.pdf'), pdf);
    expect(pageCount(pdf)).toBeGreaterThanOrEqual(2);
    // The bars are drawn in the report's step colours (0-3: light to dark), the moved-up bars in blue.
    const fills = fillColours(pdf);
    for (const colour of ['#e1dfdd', '#a9d3f2', '#4a9bd9', '#0f5c99', '#0f6cbd']) expect([colour, fills.has(colour)]).toEqual([colour, true]);
    await page.emulateMedia({ media: 'screen' });
    clean(tp);
  });

  it('is usable 320 px wide, and its picture for the README', async () => {
    const narrow = await inLocalMode(people.admin, REPORT, { width: 320, height: 720 });
    await narrow.page.locator('[data-ready="report"]').waitFor();
    const overflow = await horizontalOverflow(narrow.page);
    expect(overflow.offenders).toEqual([]);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(320);
    clean(narrow.tp);
    const { tp, page } = await inLocalMode(people.admin, REPORT, { width: 1000, height: 900 });
    await page.locator('[data-ready="report"]').waitFor();
    // The report's head and the mentees' levels: what a reader of the README should see.
    const top = (await page.locator('.report > section').nth(0).boundingBox())!;
    const levels = (await page.locator('.report > section').nth(1).boundingBox())!;
    const file = path.join(SCREENSHOT_DIR, 'outcome-report.png');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: file, fullPage: true, clip: { x: top.x - 8, y: top.y - 8, width: top.width + 16, height: levels.y + levels.height - top.y + 16 } });
    // `UPDATE_DOCS=1 npx jest tests/tab.browser.test.ts -t README` refreshes the README's picture.
    if (process.env.UPDATE_DOCS === '1') fs.copyFileSync(file, path.join(__dirname, '..', 'docs', 'outcome-report.png'));
    expect(fs.statSync(file).size).toBeGreaterThan(20_000);
    clean(tp);
  });

  it('"My change": a person sees their own start and end, tutorials and sessions, and nobody else\'s', async () => {
    const sal = outcome.mentees[0].u;
    const { tp, page } = await inLocalMode(sal, `programme=${OUTCOME_ID}`);
    await page.locator('[data-ready="change"]').waitFor();
    const section = page.locator('section:has(h2:text("My change"))');
    expect((await section.locator('tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
      'Platform first steps 1 basic 2 confident +1', 'Social media and the digital workplace in our company 0 none 1 basic +1',
    ]);
    expect(await text(section, '.stats')).toBe('2 sessions held 0 tutorials covered 2 check-ins answered');
    expect(await section.getByRole('img').getAttribute('aria-label')).toBe('My change: Platform first steps: 1 basic at the start, 2 confident at the end; Social media and the digital workplace in our company: 0 none at the start, 1 basic at the end');
    // Only their own: the page asked for "me", never for another person.
    expect(tp.api.filter((c) => c.path.startsWith('/api/me/progress')).every((c) => c.localUser === sal.aadObjectId && !/user=/.test(c.path))).toBe(true);
    const other = outcome.mentees[2].u; // Sal Three: 2 -> 3 on level 1
    expect(await section.innerText()).not.toContain(other.name);
    await screenshot(page, 'local-my-change');

    // A mentor sees their understanding of the business.
    const ian = await inLocalMode(outcome.mentors[0].u, `programme=${OUTCOME_ID}`);
    await ian.page.locator('[data-ready="change"]').waitFor();
    expect((await ian.page.locator('section:has(h2:text("My change")) tbody tr').first().innerText()).replace(/\s+/g, ' ').trim()).toBe("The company's strategy 0 not at all 2 well +2");
    clean(tp);
    clean(ian.tp);
  });
});
