// Sessions in the calendar as a person does it, in headless Chromium: the real server and Azurite,
// the tab inside the Teams host stand-in with SSO tokens the server verifies, the on-behalf-of
// exchange at the local Entra token issuer (HTTPS) and the Graph stand-in, which checks every
// delegated token. The mentee opens the schedule view from the "Next session" panel, sees three
// times in both zones that avoid both calendars' busy times, books one; the stand-in then holds
// exactly one recurring Teams meeting with both people until the programme's end; the mentor's
// card shows the time in London; the week's check-in has "met" prefilled. Without consent the
// view asks for it instead of failing.
import type { Browser, Frame } from 'playwright-core';
import { cardOf, textOf } from './connector/connector';
import { inputValue } from './helpers/flows';
import { launchBrowser, openInTeams, openPage, TabPage } from './helpers/browser';
import { EntraStandIn, startEntra, trustCertificate } from './helpers/entra';
import { GraphStandIn, startGraph } from './helpers/graph';
import { Harness, startHarness, TENANT, TestUser, upnOf, user } from './helpers/harness';
import { seedSessionsWorld, SessionsWorld } from './helpers/sessionsWorld';
import { SsoStandIn, startSso } from './helpers/sso';

const SECRET = 'tab-app-secret';
let sso: SsoStandIn;
let entra: EntraStandIn;
let untrust: () => void;
let graph: GraphStandIn;
let h: Harness;
let w: SessionsWorld;
let browser: Browser;
const open: TabPage[] = [];
const admin = user('Ada Admin');

beforeAll(async () => {
  sso = await startSso();
  entra = await startEntra({ assertionJwksUrl: sso.jwksUrl, assertionAudience: (id) => [`api://localhost/${id}`] });
  untrust = trustCertificate(entra.cert);
  entra.register({ clientId: sso.appId, secret: SECRET });
  graph = await startGraph({ users: [], groups: [] });
  graph.tokens = { verify: (jwt) => entra.verify(jwt), tenantId: TENANT };
  h = await startHarness({
    TAB_APP_ID: sso.appId, TAB_JWKS_URL: sso.jwksUrl, TAB_APP_PASSWORD: SECRET, AZURE_AUTHORITY_HOST: entra.authorityHost, GRAPH_BASE_URL: graph.url, BOT_ADMINS: admin.aadObjectId,
  });
  w = await seedSessionsWorld(h.svc.store, graph);
  await h.say(w.mentor, 'help');
  await h.say(w.mentee, 'help');
  browser = await launchBrowser();
}, 60_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  await graph?.stop();
  await entra?.stop();
  await sso?.stop();
  untrust?.();
});

async function inTeams(who: TestUser, path = '/tab/index.html') {
  const tp = await openPage(browser, { origin: h.url });
  open.push(tp);
  const host = await openInTeams(tp, h.url, path, { userObjectId: who.aadObjectId, tid: who.tenantId, locale: 'en-US' }, () =>
    sso.token({ tenantId: who.tenantId, userId: who.aadObjectId, name: who.name, extra: { preferred_username: `${who.name.toLowerCase().replace(/[^a-z]+/g, '.')}@contoso.example` } }),
  );
  const frame = await host.frame();
  await frame.locator('main[aria-busy="false"]').waitFor({ timeout: 15_000 });
  return { tp, host, frame };
}

const zoned = (iso: string, zone: string) => {
  const day = new Intl.DateTimeFormat('en', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short' }).format(Date.parse(iso));
  const hm = new Intl.DateTimeFormat('en', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.parse(iso));
  return `${day}, ${hm}`;
};

async function slotTexts(frame: Frame): Promise<Array<{ start: string; text: string }>> {
  return frame.locator('label.slot').evaluateAll((els) => els.map((e) => ({ start: e.getAttribute('data-slot') ?? '', text: (e.textContent ?? '').replace(/\s+/g, ' ').trim() })));
}

it('the mentee finds a time from the Next session panel, books it, and both calendars, the mentor\'s card and the check-in follow', async () => {
  const { tp, host, frame } = await inTeams(w.mentee);
  await frame.locator('[data-ready="sessions"]').waitFor();
  await frame.locator('[data-action="find-time"]').click();
  await frame.locator('[data-ready="schedule"]').waitFor({ timeout: 15_000 });
  expect((await frame.locator('h1').innerText()).trim()).toBe('Sessions with Lena London');
  const slots = await slotTexts(frame);
  expect(slots.length).toBeGreaterThanOrEqual(3);
  const from = Date.now();
  const busy = [...graph.calendars.busyOf(w.mentor.aadObjectId, from, from + 15 * 86400_000), ...graph.calendars.busyOf(w.mentee.aadObjectId, from, from + 15 * 86400_000)];
  for (const s of slots.slice(0, 3)) {
    const a = Date.parse(s.start);
    expect(busy.some((b) => b.start < a + 3600_000 && a < b.end)).toBe(false);
    // Both zones: Berlin for the mentee, London for Lena.
    expect(s.text).toContain(`${zoned(s.start, 'Europe/Berlin')}`);
    expect(s.text).toContain('your time');
    expect(s.text).toContain(`${zoned(s.start, 'Europe/London')}`);
    expect(s.text).toContain('for Lena London (Europe/London)');
  }
  // Nothing booked by looking.
  expect(graph.calendars.organisedBy(w.mentee.aadObjectId)).toHaveLength(0);

  await frame.locator('label.slot').first().click();
  await frame.locator('[data-action="book"]').click();
  await frame.locator('.message-title', { hasText: 'Booked: Lena London gets the invitation.' }).waitFor({ timeout: 15_000 });
  await host.screenshot('sessions-booked');

  // Exactly one recurring Teams meeting with both people, until the programme's end.
  const events = graph.calendars.organisedBy(w.mentee.aadObjectId);
  expect(events).toHaveLength(1);
  const [e] = events;
  expect(e.recurrence).toMatchObject({ pattern: { type: 'weekly', interval: 1 }, range: { type: 'endDate', endDate: w.programme.endDate } });
  expect(e.isOnlineMeeting && e.onlineMeetingProvider === 'teamsForBusiness' && !!e.joinUrl).toBe(true);
  expect(e.startUtc).toBe(Date.parse(slots[0].start));
  expect(e.attendees.map((a) => a.emailAddress.address)).toEqual(['lena.london@contoso.example']);
  expect(e.copies.has(w.mentor.aadObjectId.toLowerCase())).toBe(true);
  // Graph was called with delegated tokens from the on-behalf-of exchange, never without.
  expect(entra.log.some((r) => r.grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && r.status === 200 && r.scope.includes('Calendars.ReadWrite'))).toBe(true);
  const calendarCalls = graph.log.filter((r) => /\/(calendar|events|calendarView)/.test(r.url));
  expect(calendarCalls.length).toBeGreaterThan(0);
  expect(calendarCalls.every((r) => /^Bearer eyJ/.test(r.authorization ?? '') && r.status < 400)).toBe(true);

  // The Join button opens the Teams meeting.
  await frame.locator('[data-action="join-meeting"]').first().click();
  let opened = false;
  for (let i = 0; i < 50 && !opened; i++) {
    opened = (await host.state()).links.some((l) => l.startsWith('https://teams.microsoft.com/l/meetup-join/'));
    if (!opened) await new Promise((r) => setTimeout(r, 100));
  }
  expect(opened).toBe(true);

  // The mentor's card: their language, their zone, the join link.
  const card = h.connector.activities.find((a) => a.userId === w.mentor.aadObjectId && /booked your mentoring sessions/.test(textOf(a)))!;
  expect(textOf(card)).toContain(`(Europe/London)`);
  const london = new Intl.DateTimeFormat('en', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.parse(slots[0].start));
  expect(textOf(card)).toContain(london);
  expect(JSON.stringify(cardOf(card))).toContain(e.joinUrl!);

  // The week's check-in: "did you meet" prefilled from the calendar.
  await h.say(admin, 'checkins send');
  const replies = await h.say(w.mentee, 'checkin');
  const checkin = replies.find((r) => r.userId === w.mentee.aadObjectId && inputValue(r, 'met') !== undefined)!;
  expect(inputValue(checkin, 'met')).toBe('yes');

  // Back on the personal tab: the next session with a Join button.
  await frame.locator('a.back').click();
  await frame.locator('[data-ready="sessions"]').waitFor({ timeout: 15_000 });
  expect(await frame.locator('[data-next-session]').getAttribute('data-next-session')).toBe(slots[0].start);
  expect(await frame.locator('[data-action="join-meeting"]').count()).toBe(1);
  expect(tp.problems).toEqual([]);
});

it('without consent to the calendar permission, the view asks for it (and books nothing)', async () => {
  const other = user('Nico Noconsent');
  const mentorB = user('Mara Mentor');
  const { participantFixture, pairFixture } = await import('./helpers/tabSeed');
  await h.svc.store.participants.upsert(participantFixture(w.programme.id, other.aadObjectId, 'mentee', { name: other.name, timeZone: 'Europe/Berlin' }));
  await h.svc.store.participants.upsert(participantFixture(w.programme.id, mentorB.aadObjectId, 'mentor', { name: mentorB.name, timeZone: 'Europe/Berlin' }));
  await h.svc.store.pairs.upsert(pairFixture(w.programme.id, mentorB.aadObjectId, other.aadObjectId));
  for (const u of [other, mentorB]) await h.svc.store.users.upsert({ tenantId: TENANT, userId: u.aadObjectId, name: u.name, locale: 'en', upn: upnOf(u), updatedAt: new Date().toISOString() });
  entra.consent(TENANT, other.aadObjectId, sso.appId, []);
  const { tp, frame } = await inTeams(other, `/tab/index.html?view=schedule&programme=${w.programme.id}&partner=${mentorB.aadObjectId}`);
  await frame.locator('[data-ready="schedule"]').waitFor({ timeout: 15_000 });
  const text = (await frame.locator('main').innerText()).replace(/\s+/g, ' ');
  expect(text).toContain('Your permission is needed');
  expect(text).toMatch(/needs your permission to read free\/busy times/);
  expect(await frame.locator('fluent-message-bar[intent="info"]').count()).toBe(1);
  expect(entra.log.some((r) => r.error === 'invalid_grant 65001')).toBe(true);
  expect(graph.calendars.organisedBy(other.aadObjectId)).toHaveLength(0);
  expect(tp.problems.filter((p) => !/status of 403/.test(p))).toEqual([]);
});
