// Data rights over HTTP: "my data" (the card opens the tab, which downloads as whoever is signed
// in: no bearer link), "forget me" (erase after a confirmation, pairs end, partners and admins told,
// anonymous counts stay), "export" (admins, CSV, rights checked at every download).
import { cardOf, RecordedActivity, textOf } from './connector/connector';
import { actionData } from './helpers/flows';
import { Cohort, runningProgramme } from './helpers/cohort';
import { Harness, startHarness, TENANT, TestUser, upnOf, user } from './helpers/harness';
import { diff, snapshot } from './helpers/snapshot';
import { key } from '../bot/storage/repository';
import { programmePartition, roundPartition } from '../bot/storage/store';
import type { CheckinRecord, Pair, SessionSeries } from '../bot/domain/types';

/** The URL of a card's OpenUrl button. */
function linkOf(a: RecordedActivity): string {
  const action = (cardOf(a)?.actions ?? []).find((x: { type: string }) => x.type === 'Action.OpenUrl');
  if (!action) throw new Error(`no link in: ${textOf(a)}`);
  return action.url as string;
}

describe('data rights: my data, forget me, export', () => {
  let h: Harness;
  let c: Cohort;
  const admin = user('Ada Admin');
  let sam: TestUser;
  let partner: TestUser;
  let samPair: Pair;
  let series: SessionSeries;
  /** What the tab downloads, as the person signed in to it (local identity headers here). */
  const asUser = (u: TestUser) => ({ headers: { 'x-local-user': u.aadObjectId, 'x-local-tenant': TENANT } });
  const myData = (u: TestUser) => fetch(`${h.url}/api/me/data`, asUser(u));

  beforeAll(async () => {
    h = await startHarness({ BOT_ADMINS: admin.aadObjectId });
    c = await runningProgramme(h, admin);
    sam = c.mentees[0];
    const pk = programmePartition(TENANT, c.programmeId);
    samPair = (await h.svc.store.pairs.list(pk, `menteeId eq '${sam.aadObjectId}'`))[0].value;
    partner = c.mentors.find((m) => m.aadObjectId === samPair.mentorId)!;
    // A check-in round both of them answered, a feedback row and ladder progress (as the check-in
    // and tab features write them).
    const now = new Date().toISOString();
    await h.svc.store.rounds.create({ tenantId: TENANT, programmeId: c.programmeId, round: 1, openedAt: now, closesAt: now, status: 'closed', expected: 4, enqueued: true });
    for (const [u, role, learned, blockers] of [
      [sam, 'mentee', 'Sam learned to post on Viva Engage', 'no time on Fridays'],
      [partner, 'mentor', 'How budgets are set', 'none'],
    ] as const) {
      const record: CheckinRecord = {
        tenantId: TENANT, programmeId: c.programmeId, round: 1, userId: u.aadObjectId, pairId: samPair.id, role, dispatch: 'sent', attempts: 1,
        sentAt: now, conversationId: `a:1to1-${u.teamsId}`, activityId: 'act-1', answeredAt: now, met: 'yes', tutorials: ['l1-profile'], learned,
        rating: 4, blockers, nextSession: '2027-02-01',
      };
      await h.svc.store.checkins.create(record);
    }
    await h.svc.store.feedback.create({
      tenantId: TENANT, programmeId: c.programmeId, userId: sam.aadObjectId, role: 'mentee', valueOfOneToOne: 5, flexibility: 4, wouldRecommend: true,
      change: 'More time with Sam Senior-level peers', submittedAt: now,
    });
    // Sam booked their sessions in the calendar (the row as services/sessions.ts writes it; the
    // booking itself is tested in sessions.test.ts).
    series = {
      tenantId: TENANT, programmeId: c.programmeId, pairId: samPair.id, organizerId: sam.aadObjectId, attendeeId: partner.aadObjectId, status: 'booked',
      bookingId: 'b-1', claimedAt: now, minutes: 60, timeZone: 'Europe/Berlin', intervalWeeks: 1, until: '2027-06-30', firstStart: '2027-01-12T09:00:00.000Z',
      exceptions: [{ originalStart: '2027-01-19T09:00:00.000Z', start: '2027-01-20T09:00:00.000Z' }], createdAt: now, updatedAt: now,
      eventId: 'AAMkAD-event', iCalUId: '0400-ical', joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_sam%40thread.v2/0', partnerResponse: 'accepted',
    };
    await h.svc.store.sessions.create(series);
    const progress = await fetch(`${h.url}/api/progress`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-local-user': sam.aadObjectId, 'x-local-tenant': TENANT },
      body: JSON.stringify({ programme: c.programmeId, tutorialId: 'l1-profile', status: 'done' }),
    });
    expect(progress.status).toBe(200);
  });
  afterAll(async () => h.stop());

  describe('my data', () => {
    it('sends the person a card that opens their data in the tab, which downloads everything stored about them', async () => {
      const [card] = await h.say(sam, 'my data');
      expect(textOf(card)).toMatch(/Everything Reverse Mentor stores about you/);
      expect(textOf(card)).toMatch(/your profile in 1 programme(?![s(])/);
      expect(textOf(card)).toMatch(/1 check-in record(?![s(])/);
      expect(textOf(card)).toMatch(/1 booking of mentoring sessions in the calendar/);
      expect(textOf(card)).toMatch(/forwarding this card gives nobody your data/);
      // The button opens the tab's data page: it carries no token, names nobody.
      const url = new URL(linkOf(card));
      expect(url.pathname).toBe('/tab/index.html');
      expect(url.searchParams.get('view')).toBe('data');
      expect(linkOf(card)).not.toContain(sam.aadObjectId);
      const res = await myData(sam);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="reverse-mentor-my-data-\d{4}-\d\d-\d\d\.json"$/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const data = await res.json();
      expect(data).toMatchObject({ tenantId: TENANT, userId: sam.aadObjectId, contact: { name: 'Sam Senior', upn: upnOf(sam) } });
      const mine = data.programmes[0];
      expect(mine.programme.name).toBe(c.programmeName);
      expect(mine.participant).toMatchObject({ role: 'mentee', department: 'Sales', seniority: 'director', wantLevels: [1, 2] });
      expect(mine.participant.consentAt).toBeTruthy();
      expect(mine.pairs).toEqual([expect.objectContaining({ id: samPair.id, myRole: 'mentee', partnerName: partner.name, status: 'active' })]);
      expect(mine.checkins).toEqual([expect.objectContaining({ round: 1, learned: 'Sam learned to post on Viva Engage', rating: 4 })]);
      expect(mine.feedback).toMatchObject({ valueOfOneToOne: 5 });
      // The sessions booked for the pair: times, the moved one, the meeting's link.
      expect(mine.sessions).toEqual([expect.objectContaining({ pairId: samPair.id, status: 'booked', firstStart: series.firstStart, joinUrl: series.joinUrl, exceptions: series.exceptions })]);
      expect(data.progress).toEqual([expect.objectContaining({ tutorialId: 'l1-profile', status: 'done' })]);
      // Only Sam's: nothing the partner wrote.
      expect(JSON.stringify(data)).not.toContain('How budgets are set');
    });

    it('a forwarded card or a link scanner gets nothing of the person\'s: the page downloads as whoever opens it', async () => {
      const [card] = await h.say(sam, 'my data');
      const url = new URL(linkOf(card));
      // A scanner (Safe Links) fetching the button's URL gets the tab's page and nothing personal;
      // nothing is used up, Sam still downloads afterwards.
      const scanned = await fetch(`${h.url}${url.pathname}${url.search}`);
      expect(scanned.status).toBe(200);
      expect(await scanned.text()).not.toMatch(/Sam|Viva Engage/);
      expect((await myData(sam)).status).toBe(200);
      expect((await myData(sam)).status).toBe(200);
      // The partner opening the forwarded card downloads the partner's own data, never Sam's.
      const theirs = await (await myData(partner)).json();
      expect(theirs.userId).toBe(partner.aadObjectId);
      expect(JSON.stringify(theirs)).not.toMatch(/Viva Engage|no time on Fridays|Senior-level peers/);
      // Without a signed-in person there is nothing to download.
      expect((await fetch(`${h.url}/api/me/data`)).status).toBe(401);
      // The old bearer-link route is gone.
      expect((await fetch(`${h.url}/api/downloads/anything.at-all`)).status).toBe(404);
    });

    it('asked in a channel, the card goes to the 1:1 chat, never to the channel', async () => {
      const channel = { id: '19:general@thread.tacv2', type: 'channel' as const };
      const before = h.connector.sentTo(sam.aadObjectId).length;
      const replies = await h.say(sam, 'my data', { conversation: channel });
      const inChannel = replies.filter((r) => r.conversationId === channel.id);
      expect(inChannel.map(textOf).join()).toMatch(/sent it to you in our 1:1 chat/);
      expect(inChannel.some((r) => (cardOf(r)?.actions ?? []).some((a: { type: string }) => a.type === 'Action.OpenUrl'))).toBe(false);
      const dm = h.connector.sentTo(sam.aadObjectId).slice(before);
      expect(dm.some((a) => /Download my data/.test(textOf(a)))).toBe(true);
    });

    it('is in German and Dutch too', async () => {
      expect(textOf((await h.say(sam, 'my data', { locale: 'de-DE' }))[0])).toMatch(/Alles, was Reverse Mentor über Sie speichert/);
      expect(textOf((await h.say(sam, 'my data', { locale: 'nl-NL' }))[0])).toMatch(/Alles wat Reverse Mentor over u bewaart/);
    });
  });

  describe('export (admins)', () => {
    it('a non-admin is refused and gets no link', async () => {
      const replies = await h.say(sam, 'export');
      expect(textOf(replies[0])).toMatch(/"export" is for programme admins/);
      expect(cardOf(replies[0])?.actions?.some((a: { type: string }) => a.type === 'Action.OpenUrl')).toBeFalsy();
    });

    it('an admin\'s card opens the admin tab on the programme, whose CSV download re-checks admin rights', async () => {
      const [card] = await h.say(admin, 'export');
      expect(textOf(card)).toContain(`Export: ${c.programmeName}`);
      expect(textOf(card)).toMatch(/2 pair/);
      const url = new URL(linkOf(card));
      expect(url.pathname).toBe('/tab/index.html');
      expect(Object.fromEntries(url.searchParams)).toEqual({ view: 'admin', programme: c.programmeId });
      const exportCsv = (u: TestUser) => fetch(`${h.url}/api/programmes/${c.programmeId}/export.csv`, asUser(u));
      const res = await exportCsv(admin);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/csv/);
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="reverse-mentor-Digital-Leaders-2027-[\d-]+\.csv"/);
      const csv = (await res.text()).replace(/^\uFEFF/, '');
      const lines = csv.trim().split('\r\n');
      expect(lines[0]).toMatch(/^programme,pair status,health/);
      expect(lines).toHaveLength(3);
      expect(csv).toContain('Sam Senior');

      // An admin added by command who is removed before clicking gets nothing.
      const bea = user('Bea Admin');
      await h.say(bea, 'help');
      await h.say(admin, `admins add @${bea.name}`, { mentions: [bea] });
      await h.say(bea, 'export');
      expect((await exportCsv(bea)).status).toBe(200);
      await h.say(admin, `admins remove @${bea.name}`, { mentions: [bea] });
      const refused = await exportCsv(bea);
      expect(refused.status).toBe(403);
      expect(await refused.text()).not.toContain('Sam');
    });
  });

  describe('forget me', () => {
    let confirm: RecordedActivity;

    it('asks for confirmation first; cancelling, a forged or an old confirmation erase nothing', async () => {
      [confirm] = await h.say(sam, 'forget me');
      expect(textOf(confirm)).toMatch(/Erase everything about you\?/);
      expect(textOf(confirm)).toMatch(/partners and the programme admins are told/);
      expect(textOf(confirm)).toMatch(/the sessions booked through Reverse Mentor \(the meetings themselves stay in Outlook/);
      const before = await snapshot(h.svc.store);
      const data = actionData(confirm, 'data.forget')!;
      expect(data.formFor).toBe(sam.aadObjectId);

      const cancel = await h.submit(sam, actionData(confirm, 'data.forgetCancel')!, { replyToId: confirm.activityId });
      expect(cancel.map(textOf).join()).toMatch(/Nothing was erased/);
      // The partner presses Sam's button (a forwarded card, or a forged submit).
      const forged = await h.submit(partner, data);
      expect(textOf(forged[0])).toMatch(/meant for someone else. Nothing was erased/);
      const old = await h.submit(sam, { ...data, issuedAt: new Date(Date.now() - 2 * 3600 * 1000).toISOString() });
      expect(textOf(old[0])).toMatch(/out of date. Nothing was erased/);
      const garbage = await h.submit(sam, { ...data, issuedAt: { $gt: '' } });
      expect(textOf(garbage[0])).toMatch(/out of date. Nothing was erased/);
      expect(diff(before, await snapshot(h.svc.store))).toEqual([]);
    });

    it('erases profile, answers, ladder and contact; ends the pair; tells partner and admins; counts stay anonymous', async () => {
      const before = await snapshot(h.svc.store);
      const sentBefore = h.connector.activities.length;
      const replies = await h.submit(sam, actionData(confirm, 'data.forget')!, { replyToId: confirm.activityId });
      const done = replies.find((r) => /everything about you is erased/.test(textOf(r)));
      expect(done?.kind).toBe('update');
      expect(textOf(done!)).toMatch(/Profiles in 1 programme, 1 check-in record and 1 ladder entry are gone; 1 pair ended/);
      // Sam organised the meeting: it is in Sam's Outlook, which the app can change only while Sam is signed in to the tab.
      expect(textOf(done!)).toMatch(/The mentoring sessions you booked stay in your Outlook calendar.*Cancel them in Outlook or Teams/);

      const after = await snapshot(h.svc.store);
      const all = JSON.stringify(after);
      // Not one row names Sam, his UPN, or holds his words.
      for (const s of [sam.aadObjectId, 'Sam Senior', upnOf(sam), 'Viva Engage', 'no time on Fridays', 'Senior-level peers']) expect(all).not.toContain(s);
      // Gone: his contact, profile and ladder.
      expect(await h.svc.store.users.get(key(TENANT), key(sam.aadObjectId))).toBeUndefined();
      const pk = programmePartition(TENANT, c.programmeId);
      expect(await h.svc.store.participants.get(pk, key(sam.aadObjectId))).toBeUndefined();
      expect(await h.svc.store.progress.list(key(TENANT, sam.aadObjectId))).toEqual([]);
      // The pair's series row is gone.
      expect(await h.svc.store.sessions.list(pk)).toEqual([]);

      // The pair ended and stays as an anonymous row; the partner's own check-in still points at it.
      const pairs = (await h.svc.store.pairs.list(pk)).map((r) => r.value);
      expect(pairs).toHaveLength(2);
      const ended = pairs.find((p) => p.mentorId === partner.aadObjectId)!;
      expect(ended.status).toBe('ended');
      expect(ended.menteeId).toMatch(/^erased-/);
      const round = (await h.svc.store.checkins.list(roundPartition(TENANT, c.programmeId, 1))).map((r) => r.value);
      expect(round).toHaveLength(2);
      const anon = round.find((r) => r.userId === ended.menteeId)!;
      expect(anon).toMatchObject({ met: 'yes', rating: 4, tutorials: ['l1-profile'], pairId: ended.id });
      expect(anon.learned).toBeUndefined();
      expect(anon.blockers).toBeUndefined();
      expect(round.find((r) => r.userId === partner.aadObjectId)).toMatchObject({ pairId: ended.id, learned: 'How budgets are set' });
      const feedback = (await h.svc.store.feedback.list(pk)).map((r) => r.value);
      expect(feedback).toEqual([expect.objectContaining({ userId: ended.menteeId, valueOfOneToOne: 5, change: '' })]);

      // Everything else is untouched: only Sam's rows and the rows pointing at him changed.
      const changed = diff(before, after);
      expect(changed.every((x) => /^(users|participants|pairs|checkins|progress|feedback|proposals|baselines|sessions):/.test(x))).toBe(true);
      expect(changed.filter((x) => x.startsWith('sessions'))).toEqual([`sessions: removed ${pk} / ${key(samPair.id)}`]);
      expect(changed.filter((x) => x.startsWith('participants'))).toEqual([`participants: removed ${pk} / ${key(sam.aadObjectId)}`]);
      // Where he started (frozen when he was paired) goes too: erased people count in no outcome.
      expect(changed.filter((x) => x.startsWith('baselines'))).toEqual([`baselines: removed ${pk} / ${key(sam.aadObjectId)}`]);

      // The partner and the admin are told; nobody is sent anything Sam wrote.
      const sent = h.connector.activities.slice(sentBefore);
      const toPartner = sent.filter((a) => a.userId === partner.aadObjectId).map(textOf).join();
      expect(toPartner).toMatch(/Your pair with Sam Senior in Digital Leaders 2027 has ended/);
      // The invitation Sam sent stays in the partner's calendar until declined.
      expect(toPartner).toMatch(/The mentoring sessions Sam Senior booked stay in your calendar until they are cancelled: you can decline them/);
      expect(sent.filter((a) => a.userId === admin.aadObjectId).map(textOf).join()).toMatch(new RegExp(`pair with ${partner.name} has ended`));
      expect(sent.map(textOf).join()).not.toMatch(/Viva Engage|Fridays/);

      // The admin's views still work with the anonymous rows.
      expect(textOf((await h.say(admin, 'programmes'))[0])).toMatch(/2 mentors, 1 mentee, 1 pair/);
      const dash = await fetch(`${h.url}/api/programmes/${c.programmeId}/dashboard`, { headers: { 'x-local-user': admin.aadObjectId, 'x-local-tenant': TENANT } });
      expect(dash.status).toBe(200);
    });

    it('pressing the button again changes nothing, and "my data" then finds nothing', async () => {
      const before = await snapshot(h.svc.store);
      const again = await h.submit(sam, actionData(confirm, 'data.forget')!);
      expect(again.map(textOf).join()).toMatch(/erased/);
      expect(diff(before, await snapshot(h.svc.store))).toEqual([]);
      const [card] = await h.say(sam, 'my data');
      expect(textOf(card)).toMatch(/your profiles in 0 programmes/);
      const data = await (await myData(sam)).json();
      expect(data.programmes).toEqual([]);
      expect(data.progress).toEqual([]);
    });
  });
});
