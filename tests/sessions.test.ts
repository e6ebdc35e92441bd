// Sessions in the calendar over HTTP: the real server against Azurite, the Bot Connector stand-in
// and the Graph stand-in's calendars (local mode: Graph called without a token). Proposals avoid
// both people's busy times and keep to both working hours; a double click books one series;
// moving one session and cancelling the series change the calendar and tell the partner; the
// partner's decline is seen when the app next looks; Graph throttled or down; someone else's pair.
import { cardOf, textOf } from './connector/connector';
import { inputValue, openUrls } from './helpers/flows';
import { GraphStandIn, startGraph } from './helpers/graph';
import { Harness, startHarness, TENANT, TestUser, user } from './helpers/harness';
import { seedSessionsWorld, SessionsWorld } from './helpers/sessionsWorld';
import type { MySessions, PairSessions, SessionSlots } from '../bot/contract/tabApi';
import { localParts } from '../bot/domain/checkins';
import { key } from '../bot/storage/repository';
import { programmePartition } from '../bot/storage/store';

let graph: GraphStandIn;
let h: Harness;
let w: SessionsWorld;
const admin = user('Ada Admin');

const as = (u: TestUser) => ({ 'x-local-user': u.aadObjectId, 'x-local-tenant': TENANT });
async function api<T>(u: TestUser, path: string, body?: unknown): Promise<{ status: number; body: T & { error?: string; message?: string } }> {
  const res = await fetch(`${h.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...as(u), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T & { error?: string; message?: string } };
}
const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

const slotsFor = (u: TestUser, partner: TestUser, extra: Record<string, string> = {}) => api<SessionSlots>(u, `/api/sessions/slots?${q({ programme: w.programme.id, partner: partner.aadObjectId, ...extra })}`);
const mine = async (u: TestUser): Promise<PairSessions> => (await api<MySessions>(u, `/api/me/sessions?programme=${w.programme.id}`)).body.pairs[0];
const events = () => graph.calendars.organisedBy(w.mentee.aadObjectId);
const row = async () => (await h.svc.store.sessions.get(programmePartition(TENANT, w.programme.id), key(`${w.mentor.aadObjectId}|${w.mentee.aadObjectId}`)))?.value;
const to = (u: TestUser) => h.connector.activities.filter((a) => a.userId === u.aadObjectId && a.activity.type === 'message');

beforeAll(async () => {
  graph = await startGraph({ users: [], groups: [] });
  h = await startHarness({ GRAPH_BASE_URL: graph.url, BOT_ADMINS: admin.aadObjectId });
  w = await seedSessionsWorld(h.svc.store, graph);
  // The bot reaches both people (they wrote to it once).
  await h.say(w.mentor, 'help');
  await h.say(w.mentee, 'help', { locale: 'de-DE' });
});
afterAll(async () => {
  await h?.stop();
  await graph?.stop();
});

describe('finding a time', () => {
  it('proposes at least three times that avoid both calendars\' busy times, inside both working hours, on days both prefer', async () => {
    const { status, body } = await slotsFor(w.mentee, w.mentor);
    expect(status).toBe(200);
    expect(body.slots.length).toBeGreaterThanOrEqual(3);
    expect(body).toMatchObject({ me: { timeZone: 'Europe/Berlin', role: 'mentee' }, partner: { timeZone: 'Europe/London', role: 'mentor' }, minutes: 60, cadenceWeeks: 1 });
    const from = Date.now();
    const busy = [...graph.calendars.busyOf(w.mentor.aadObjectId, from, from + 15 * 86400_000), ...graph.calendars.busyOf(w.mentee.aadObjectId, from, from + 15 * 86400_000)];
    for (const s of body.slots) {
      const [a, b] = [Date.parse(s.start), Date.parse(s.end)];
      expect(b - a).toBe(3600_000);
      expect(busy.some((x) => x.start < b && a < x.end)).toBe(false);
      // London 09-17 and Berlin 08-16: together 10:00-16:00 Berlin.
      const start = localParts(new Date(a), 'Europe/Berlin');
      const end = localParts(new Date(b - 1), 'Europe/Berlin');
      expect(start.hour).toBeGreaterThanOrEqual(10);
      expect(end.hour).toBeLessThan(16);
      expect([1, 2, 3]).toContain(start.weekday); // tue, wed, thu
      expect(a).toBeLessThan(from + 15 * 86400_000);
    }
    // Nothing was written: no series row, no event.
    expect(await row()).toBeUndefined();
    expect(events()).toHaveLength(0);
  });

  it('someone outside the pair is refused, and nothing is asked of Graph for them', async () => {
    const before = graph.log.length;
    const r = await slotsFor(w.stranger, w.mentor);
    expect(r).toMatchObject({ status: 403, body: { error: 'not-your-pair' } });
    expect(graph.log.length).toBe(before);
  });

  it('429: Graph\'s Retry-After is waited out, then the proposals come', async () => {
    graph.fail(1, { status: 429, retryAfter: 1, match: /getSchedule/ });
    const t0 = Date.now();
    const r = await slotsFor(w.mentor, w.mentee);
    expect(r.status).toBe(200);
    expect(r.body.slots.length).toBeGreaterThanOrEqual(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(990);
    const calls = graph.log.filter((x) => x.url.includes('getSchedule')).slice(-2);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
  });
});

describe('booking, moving, cancelling', () => {
  let first: SessionSlots['slots'][number];

  it('Graph down: the answer says so, and nothing is booked', async () => {
    first = (await slotsFor(w.mentee, w.mentor)).body.slots[0];
    graph.fail(3, { status: 503, match: /\/events$/ });
    const r = await api<PairSessions>(w.mentee, '/api/sessions/book', { programme: w.programme.id, partner: w.mentor.aadObjectId, start: first.start });
    expect(r).toMatchObject({ status: 503, body: { error: 'calendar-unavailable', message: expect.stringMatching(/Nothing was booked/) } });
    expect(events()).toHaveLength(0);
    expect((await row())?.status).toBe('failed');
    expect((await mine(w.mentee)).status).toBe('failed');
    graph.clearFaults();
  });

  it('a double click books one recurring Teams meeting with both people until the programme ends', async () => {
    const body = { programme: w.programme.id, partner: w.mentor.aadObjectId, start: first.start };
    const [a, b] = await Promise.all([api<PairSessions>(w.mentee, '/api/sessions/book', body), api<PairSessions>(w.mentee, '/api/sessions/book', body)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(201);
    expect([200, 409]).toContain(statuses[1]);
    const booked = a.status === 201 ? a.body : b.body;
    expect(booked).toMatchObject({ status: 'booked', organizer: 'me', until: w.programme.endDate, next: { start: first.start } });
    expect(booked.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    const [event] = events();
    expect(events()).toHaveLength(1);
    expect(event).toMatchObject({
      isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness',
      recurrence: { pattern: { type: 'weekly', interval: 1 }, range: { type: 'endDate', endDate: w.programme.endDate, recurrenceTimeZone: 'W. Europe Standard Time' } },
      start: { timeZone: 'W. Europe Standard Time' },
    });
    expect(event.attendees.map((x) => x.emailAddress.address)).toEqual([expect.stringMatching(/^lena\.london@/)]);
    // In the organiser's language (German) with the suggested first tutorial.
    expect(event.subject).toBe('Reverse Mentoring: Lena London und Bernd Berlin');
    expect(event.body.content).toMatch(/Vorgeschlagenes Tutorial für die erste Sitzung/);
    // The transactionId of the claim: the failed attempt's id was reused.
    expect(event.transactionId).toBe((await row())?.bookingId);
    // A third press answers with the same series.
    const again = await api<PairSessions>(w.mentee, '/api/sessions/book', body);
    expect(again.status).toBe(200);
    expect(events()).toHaveLength(1);
  });

  it('the mentor gets a card in English with the time in London and the join link', async () => {
    const cards = to(w.mentor).filter((x) => /booked your mentoring sessions/.test(textOf(x)));
    expect(cards).toHaveLength(1);
    const text = textOf(cards[0]);
    const london = new Intl.DateTimeFormat('en', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.parse(first.start));
    expect(text).toContain(`${london} (Europe/London)`);
    expect(JSON.stringify(cardOf(cards[0]))).toContain('meetup-join');
  });

  it('the mentor sees the series booked by their partner, with the next session', async () => {
    const p = await mine(w.mentor);
    expect(p).toMatchObject({ status: 'booked', organizer: 'partner', next: { start: first.start }, me: { timeZone: 'Europe/London' } });
  });

  it('the mentor declines in Outlook: the mentee sees it the next time the app looks', async () => {
    const copyId = graph.calendars.events[graph.calendars.events.length - 1].copies.get(w.mentor.aadObjectId.toLowerCase())!;
    const res = await fetch(`${graph.url}/v1.0/users/${w.mentor.aadObjectId}/events/${encodeURIComponent(copyId)}/decline`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"sendResponse":true}' });
    expect(res.status).toBe(202);
    await new Promise((r) => setTimeout(r, 3100));
    expect((await mine(w.mentee)).partnerResponse).toBe('declined');
    expect((await row())?.partnerResponse).toBe('declined');
    // The mentor accepts after all.
    await fetch(`${graph.url}/v1.0/users/${w.mentor.aadObjectId}/events/${encodeURIComponent(copyId)}/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await new Promise((r) => setTimeout(r, 3100));
    expect((await mine(w.mentee)).partnerResponse).toBe('accepted');
  });

  it('only the organiser may move or cancel; the partner is told how to answer instead', async () => {
    const p = await mine(w.mentor);
    const r = await api(w.mentor, '/api/sessions/move', { programme: w.programme.id, partner: w.mentee.aadObjectId, occurrence: p.upcoming[1].originalStart, start: p.upcoming[1].start });
    expect(r).toMatchObject({ status: 403, body: { error: 'not-organiser', message: expect.stringMatching(/decline the invitation/) } });
    const c = await api(w.mentor, '/api/sessions/cancel', { programme: w.programme.id, partner: w.mentee.aadObjectId });
    expect(c.status).toBe(403);
    expect(events()[0].isCancelled).toBe(false);
  });

  it('moving one session: times around it, the occurrence becomes an exception, the mentor is told', async () => {
    const p = await mine(w.mentee);
    const second = p.upcoming[1];
    const options = await slotsFor(w.mentee, w.mentor, { occurrence: second.originalStart });
    expect(options.status).toBe(200);
    const target = options.body.slots.find((s) => s.start !== second.start)!;
    const r = await api<PairSessions>(w.mentee, '/api/sessions/move', { programme: w.programme.id, partner: w.mentor.aadObjectId, occurrence: second.originalStart, start: target.start });
    expect(r.status).toBe(200);
    expect(r.body.upcoming.find((o) => o.originalStart === second.originalStart)).toMatchObject({ start: target.start, kind: 'moved' });
    const [event] = events();
    expect(event.exceptions.get(Date.parse(second.originalStart))).toEqual({ startUtc: Date.parse(target.start), endUtc: Date.parse(target.start) + 3600_000 });
    expect(to(w.mentor).some((x) => /moved one of your mentoring sessions/.test(textOf(x)))).toBe(true);
    // A move to a time the mentor is busy is refused.
    const busyAt = graph.calendars.busyOf(w.mentor.aadObjectId, Date.now(), Date.now() + 14 * 86400_000)[0];
    const refused = await api(w.mentee, '/api/sessions/move', { programme: w.programme.id, partner: w.mentor.aadObjectId, occurrence: p.upcoming[2].originalStart, start: new Date(busyAt.start).toISOString() });
    expect(refused).toMatchObject({ status: 409, body: { error: 'slot-taken' } });
  });

  it('a check-in for the week has "met" prefilled from the calendar and the next session from the series', async () => {
    await h.say(admin, 'checkins send');
    // The mentee's own card (the round's cards to others may arrive meanwhile).
    const replies = (await h.say(w.mentee, 'checkin')).filter((x) => x.userId === w.mentee.aadObjectId);
    const card = replies.find((x) => inputValue(x, 'met') !== undefined)!;
    expect(inputValue(card, 'met')).toBe('yes');
    expect(textOf(card)).toMatch(/From your calendar: the session is on .+ \(Europe\/Berlin\)\./);
    expect(textOf(card)).toMatch(/Next session \(from your calendar\)/);
    expect(JSON.stringify(cardOf(card))).not.toContain('"id":"nextSession"');
  });

  it('cancelling the series: Outlook cancels it, the mentor is told, a new booking is possible', async () => {
    const r = await api<PairSessions>(w.mentee, '/api/sessions/cancel', { programme: w.programme.id, partner: w.mentor.aadObjectId });
    expect(r).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    expect(graph.calendars.events.find((e) => e.recurrence)?.isCancelled).toBe(true);
    expect(to(w.mentor).some((x) => /cancelled your mentoring sessions/.test(textOf(x)))).toBe(true);
    expect((await mine(w.mentor)).status).toBe('cancelled');
    const slots = await slotsFor(w.mentor, w.mentee);
    expect(slots.body.slots.length).toBeGreaterThanOrEqual(3);
  });

  it('an answer lost on the way back, then a booking at another time: still one series, at the time picked last', async () => {
    const { slots } = (await slotsFor(w.mentee, w.mentor)).body;
    const a = slots[0];
    const b = slots.find((x) => (Date.parse(x.start) - Date.parse(a.start)) % (7 * 86400_000) !== 0)!;
    // Graph makes the series, but every answer to the create is lost (the retries with the same transactionId too).
    graph.fail(3, { status: 503, match: /\/events$/, after: true });
    const lost = await api(w.mentee, '/api/sessions/book', { programme: w.programme.id, partner: w.mentor.aadObjectId, start: a.start });
    expect(lost).toMatchObject({ status: 503, body: { error: 'calendar-unavailable' } });
    expect(events()).toHaveLength(1);
    expect((await row())?.status).toBe('failed');
    graph.clearFaults();
    const before = to(w.mentor).length;
    const r = await api<PairSessions>(w.mentee, '/api/sessions/book', { programme: w.programme.id, partner: w.mentor.aadObjectId, start: b.start });
    expect(r).toMatchObject({ status: 201, body: { status: 'booked', next: { start: b.start } } });
    const [event] = events();
    expect(events()).toHaveLength(1);
    expect(event.startUtc).toBe(Date.parse(b.start));
    expect(event.recurrence?.range.startDate).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(Date.parse(b.start)));
    expect((await row())?.firstStart).toBe(b.start);
    // The mentor is told the time that holds.
    const london = new Intl.DateTimeFormat('en', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.parse(b.start));
    expect(to(w.mentor).slice(before).map(textOf).join()).toContain(`${london} (Europe/London)`);
  });

  it('the organiser leaves the programme: they are asked to cancel the series in Outlook, the partner that they may decline it', async () => {
    const before = h.connector.activities.length;
    const replies = await h.say(w.mentee, 'leave', { locale: 'de-DE' });
    expect(replies.map(textOf).join()).toMatch(/Die Mentoring-Sitzungen, die Sie mit Lena London gebucht haben, bleiben in Ihrem Kalender: Sagen Sie die Serie in Outlook oder Teams ab/);
    const toMentor = h.connector.activities.slice(before).filter((a) => a.userId === w.mentor.aadObjectId).map(textOf).join();
    expect(toMentor).toMatch(/The mentoring sessions Bernd Berlin booked stay in your calendar until they are cancelled: you can decline them/);
  });
});

describe('a pair made by hand: Find a time on the cards, the decline in the check-ins', () => {
  let w2: SessionsWorld;
  const pilot = 'Calendar Pilot';
  const mine2 = async (u: TestUser): Promise<PairSessions> => (await api<MySessions>(u, `/api/me/sessions?programme=${w2.programme.id}`)).body.pairs[0];

  beforeAll(async () => {
    w2 = await seedSessionsWorld(h.svc.store, graph, { name: pilot, people: ['Mira Manchester', 'Dieter Dresden', 'Sid Stranger'], paired: false });
    await h.say(w2.mentor, 'help');
    await h.say(w2.mentee, 'help', { locale: 'de-DE' });
  });

  it('the introductions carry "Find a time" into the tab\'s schedule view of the pair; the mentee is the one asked to book', async () => {
    const done = await h.say(admin, `pair @${w2.mentor.name} @${w2.mentee.name} ${pilot}`, { mentions: [w2.mentor, w2.mentee] });
    expect(done.map(textOf).join()).toMatch(/now mentors Dieter Dresden\. Both got an introduction/);
    const toMentee = to(w2.mentee).find((a) => /^Ihr Mentor: Mira Manchester/.test(textOf(a)))!;
    const toMentor = to(w2.mentor).find((a) => /^Meet your mentee/.test(textOf(a)))!;
    // The mentee (German): "Termin finden", and the card says they book.
    const menteeLink = openUrls(toMentee).find((l) => l.title === 'Termin finden')!;
    expect(menteeLink).toBeDefined();
    expect(textOf(toMentee)).toMatch(/Sie buchen Ihre Sitzungen/);
    const url = new URL(menteeLink.url);
    expect(url.pathname).toBe('/tab/index.html');
    expect(Object.fromEntries(url.searchParams)).toEqual({ view: 'schedule', programme: w2.programme.id, partner: w2.mentor.aadObjectId });
    // The link's pair is the mentee's: its proposals come.
    const slots = await api<SessionSlots>(w2.mentee, `/api/sessions/slots?${url.searchParams.toString()}`);
    expect(slots.status).toBe(200);
    expect(slots.body.slots.length).toBeGreaterThanOrEqual(3);
    // The mentor (English): "Find a time" too, and who usually books.
    const mentorLink = openUrls(toMentor).find((l) => l.title === 'Find a time')!;
    expect(Object.fromEntries(new URL(mentorLink.url).searchParams)).toMatchObject({ view: 'schedule', partner: w2.mentee.aadObjectId });
    expect(textOf(toMentor)).toMatch(/Dieter Dresden usually books your sessions/);
  });

  it('"my pair" has the Find a time button for each live pair', async () => {
    const [card] = await h.say(w2.mentor, 'my pair');
    const find = openUrls(card).filter((l) => l.title === 'Find a time');
    // The mentor has one pair in this programme (the first world's people are others).
    expect(find).toHaveLength(1);
    expect(Object.fromEntries(new URL(find[0].url).searchParams)).toEqual({ view: 'schedule', programme: w2.programme.id, partner: w2.mentee.aadObjectId });
  });

  it('the mentor declines: the mentee\'s check-in says so with "did you meet" at no, the mentor\'s says they declined, times in each one\'s zone', async () => {
    const [slot] = (await api<SessionSlots>(w2.mentee, `/api/sessions/slots?${q({ programme: w2.programme.id, partner: w2.mentor.aadObjectId })}`)).body.slots;
    const booked = await api<PairSessions>(w2.mentee, '/api/sessions/book', { programme: w2.programme.id, partner: w2.mentor.aadObjectId, start: slot.start });
    expect(booked.status).toBe(201);
    const event = graph.calendars.organisedBy(w2.mentee.aadObjectId)[0];
    const copyId = event.copies.get(w2.mentor.aadObjectId.toLowerCase())!;
    const res = await fetch(`${graph.url}/v1.0/users/${w2.mentor.aadObjectId}/events/${encodeURIComponent(copyId)}/decline`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"sendResponse":true}' });
    expect(res.status).toBe(202);
    await new Promise((r) => setTimeout(r, 3100));
    // The app looks when the organiser opens the tab.
    expect((await mine2(w2.mentee)).partnerResponse).toBe('declined');

    const opened = await h.say(admin, `checkins send ${pilot}`);
    expect(opened.map(textOf).join()).toMatch(/Check-in 1 of Calendar Pilot is open/);
    const cardOfPerson = async (u: TestUser, locale?: string) => {
      const replies = (await h.say(u, 'checkin', locale ? { locale } : {})).filter((x) => x.userId === u.aadObjectId);
      return replies.find((x) => inputValue(x, 'met') !== undefined)!;
    };
    const metOf = (a: ReturnType<typeof to>[number]) => inputValue(a, 'met');
    const menteeCard = await cardOfPerson(w2.mentee, 'de-DE');
    expect(metOf(menteeCard)).toBe('no');
    expect(textOf(menteeCard)).toMatch(/Laut Ihrem Kalender: Ihr Tandempartner hat die Sitzungen abgelehnt/);
    expect(textOf(menteeCard)).toContain('(Europe/Berlin)');
    const mentorCard = await cardOfPerson(w2.mentor);
    expect(metOf(mentorCard)).toBe('no');
    expect(textOf(mentorCard)).toMatch(/From your calendar: you declined the sessions/);
    // The next session in the mentor's own zone.
    const london = new Intl.DateTimeFormat('en', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.parse(slot.start));
    expect(textOf(mentorCard)).toContain(`${london} (Europe/London)`);
  });

  it('an admin ends the pair: the organiser is asked to cancel the series in Outlook, the partner that they may decline it', async () => {
    const before = h.connector.activities.length;
    await h.say(admin, `unpair @${w2.mentor.name} ${pilot}`, { mentions: [w2.mentor] });
    const sent = h.connector.activities.slice(before);
    const said = (u: TestUser) => sent.filter((a) => a.userId === u.aadObjectId).map(textOf).join('\n');
    expect(said(w2.mentee)).toMatch(/Die Mentoring-Sitzungen, die Sie mit Mira Manchester gebucht haben, bleiben in Ihrem Kalender: Sagen Sie die Serie in Outlook oder Teams ab/);
    expect(said(w2.mentor)).toMatch(/The mentoring sessions Dieter Dresden booked stay in your calendar until they are cancelled: you can decline them/);
    // The app does not pretend: the meeting is still in the calendar.
    expect(graph.calendars.organisedBy(w2.mentee.aadObjectId)[0].isCancelled).toBe(false);
  });
});

describe('the edge', () => {
  it.each([
    ['no start', { start: undefined }],
    ['a start that is not a date', { start: 'tomorrow' }],
    ['a partner id with odd characters', { partner: 'a|b' }],
  ])('bad bodies get 400: %s', async (_n, over) => {
    const r = await api(w.mentee, '/api/sessions/book', { programme: w.programme.id, partner: w.mentor.aadObjectId, start: new Date(Date.now() + 86400_000).toISOString(), ...over });
    expect(r.status).toBe(400);
  });

  it('a form post or an oversized body never reaches the handler', async () => {
    const form = await fetch(`${h.url}/api/sessions/book`, { method: 'POST', headers: { ...as(w.mentee), 'content-type': 'application/x-www-form-urlencoded' }, body: 'programme=x' });
    expect(form.status).toBe(415);
    const big = await fetch(`${h.url}/api/sessions/book`, { method: 'POST', headers: { ...as(w.mentee), 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(5000) }) });
    expect(big.status).toBe(413);
    const get = await fetch(`${h.url}/api/sessions/book`, { headers: as(w.mentee) });
    expect(get.status).toBe(405);
  });
});
