// A programme's whole life over HTTP (real server, Azurite, the Teams stand-in): partners and
// admins hear about every change to a pair, pauses that end by themselves, the feedback window and
// the programme's end, the retention period, Join cards anywhere, and the local niceties. Time
// moves with the services' clock; the scheduler runs as its timer would.
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { RecordedActivity, textOf } from './connector/connector';
import { actionData } from './helpers/flows';
import { Cohort, runningProgramme } from './helpers/cohort';
import { Harness, startHarness, TENANT, TestUser, user } from './helpers/harness';
import { runScheduler } from '../bot/checkins/scheduler';
import { reset } from '../bot/dev/reset';
import { key } from '../bot/storage/repository';
import { programmePartition, roundPartition } from '../bot/storage/store';
import type { Pair } from '../bot/domain/types';

const DAY = 86400000;
const admin = user('Ada Admin');
const otherAdmin = user('Oli Admin');

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ BOT_ADMINS: `${admin.aadObjectId},${otherAdmin.aadObjectId}` });
  // Both admins have talked to the bot (their 1:1 chats are known); Oli reads German.
  await h.say(admin, 'help');
  await h.say(otherAdmin, 'help', { locale: 'de-DE' });
});
afterAll(async () => h?.stop());

/** What the stand-in delivered to someone from now on. */
function inbox(u: TestUser) {
  const from = h.connector.sentTo(u.aadObjectId).length;
  return () => h.connector.sentTo(u.aadObjectId).slice(from).map(textOf);
}

async function pairsOfCohort(c: Cohort): Promise<Array<{ mentor: TestUser; mentee: TestUser; pair: Pair }>> {
  const all = [...c.mentors, ...c.mentees];
  const rows = (await h.svc.store.pairs.list(programmePartition(TENANT, c.programmeId))).map((r) => r.value).filter((p) => p.status !== 'ended');
  return rows.map((pair) => ({ pair, mentor: all.find((u) => u.aadObjectId === pair.mentorId)!, mentee: all.find((u) => u.aadObjectId === pair.menteeId)! }));
}

const participant = async (c: Cohort, u: TestUser) => (await h.svc.store.participants.get(programmePartition(TENANT, c.programmeId), key(u.aadObjectId)))!.value;
const pairRow = async (c: Cohort, id: string) => (await h.svc.store.pairs.get(programmePartition(TENANT, c.programmeId), key(id)))!.value;
const asLocal = (u: TestUser) => ({ headers: { 'x-local-user': u.aadObjectId, 'x-local-tenant': TENANT } });

/** Runs `fn` with the services' clock moved `days` ahead. */
async function later<T>(days: number, fn: () => Promise<T>): Promise<T> {
  const real = h.svc.now;
  const at = Date.now() + days * DAY;
  h.svc.now = () => new Date(at);
  try {
    return await fn();
  } finally {
    h.svc.now = real;
  }
}

describe('partners and admins hear about every change to their pair, each in their own language, once', () => {
  let c: Cohort;
  let pairs: Awaited<ReturnType<typeof pairsOfCohort>>;
  beforeAll(async () => {
    c = await runningProgramme(h, admin, { name: 'News 2027' });
    pairs = await pairsOfCohort(c);
    // The first pair's mentor reads Dutch.
    await h.say(pairs[0].mentor, 'help', { locale: 'nl-NL' });
  });

  it('pause asks until when; the partner (in Dutch) and the admins are told the date; check-ins and reminders skip the pair', async () => {
    const { mentor, mentee, pair } = pairs[0];
    const partnerInbox = inbox(mentor);
    const adminInbox = inbox(admin);
    const germanAdminInbox = inbox(otherAdmin);
    const [card] = await h.say(mentee, 'pause');
    expect(textOf(card)).toMatch(/Pause in News 2027/);
    const until = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
    // Out of range (past the programme's end) is refused, nothing paused.
    const tooLate = await h.submit(mentee, { ...actionData(card, 'pause.confirm'), how: 'date', until: '2099-01-01' });
    expect(textOf(tooLate[0])).toMatch(/Choose a day from/);
    expect((await participant(c, mentee)).status).toBe('active');
    const done = await h.submit(mentee, { ...actionData(card, 'pause.confirm'), how: 'date', until }, { replyToId: card.activityId });
    expect(textOf(done.find((r) => r.kind === 'update')!)).toContain(`You are paused in News 2027 until ${until}`);
    expect((await participant(c, mentee)).pausedUntil).toBe(until);
    expect(await pairRow(c, pair.id)).toMatchObject({ status: 'paused', pausedBy: mentee.aadObjectId, pausedUntil: until });
    await h.connector.waitFor((a) => a.userId === mentor.aadObjectId && new RegExp(until).test(textOf(a)));
    expect(partnerInbox()).toEqual([expect.stringMatching(new RegExp(`${mentee.name} heeft uw koppel in News 2027 gepauzeerd tot ${until}`))]);
    expect(adminInbox()).toEqual([expect.stringMatching(new RegExp(`${mentee.name} paused in News 2027 until ${until} \\(pair with ${mentor.name}\\)`))]);
    expect(germanAdminInbox()).toEqual([expect.stringMatching(new RegExp(`${mentee.name} pausiert in News 2027 bis ${until}`))]);

    // A round: the other pair gets cards, the paused one none.
    await h.say(admin, 'checkins send News 2027');
    const isCard = (u: TestUser) => (a: RecordedActivity) => a.userId === u.aadObjectId && !!actionData(a, 'checkin.submit');
    await h.connector.waitFor(isCard(pairs[1].mentee));
    await h.connector.waitFor(isCard(pairs[1].mentor));
    expect(h.connector.activities.filter(isCard(mentee))).toHaveLength(0);
    expect(h.connector.activities.filter(isCard(mentor))).toHaveLength(0);
    // Reminders go to the other pair only.
    const remind = (await h.say(admin, 'remind News 2027')).filter((r) => r.userId === admin.aadObjectId);
    expect(textOf(remind[0])).toMatch(/Reminders are on their way to 2 people who have not answered check-in 1 of News 2027/);
    const isReminder = (u: TestUser) => (a: RecordedActivity) => a.userId === u.aadObjectId && /^Reminder: your check-in for News 2027/.test(textOf(a));
    await h.connector.waitFor(isReminder(pairs[1].mentee));
    await h.connector.waitFor(isReminder(pairs[1].mentor));
    expect(h.connector.activities.filter(isReminder(mentee))).toHaveLength(0);

    // Admins see the paused pair and its date in status and on the dashboard.
    const status = textOf((await h.say(admin, 'status News 2027'))[0]);
    expect(status).toContain(`Paused pairs`);
    expect(status).toContain(`${mentor.name} → ${mentee.name} until ${until}`);
    const dash = await (await fetch(`${h.url}/api/programmes/${c.programmeId}/dashboard`, asLocal(admin))).json();
    expect(dash.pairs.find((p: { id: string }) => p.id === pair.id)).toMatchObject({ health: 'paused', pausedUntil: until });
  });

  it('on the day the scheduler resumes the pair by itself, and both people and the admins are told', async () => {
    const { mentor, mentee, pair } = pairs[0];
    const mine = inbox(mentee);
    const partner = inbox(mentor);
    const admins = inbox(admin);
    await later(9, () => runScheduler(h.svc));
    expect((await participant(c, mentee)).status).toBe('paused');
    await later(11, () => runScheduler(h.svc));
    expect((await participant(c, mentee)).status).toBe('active');
    expect((await pairRow(c, pair.id)).status).toBe('active');
    await h.connector.waitFor((a) => a.userId === mentee.aadObjectId && /pause in News 2027 has ended/.test(textOf(a)));
    expect(mine()).toEqual([expect.stringMatching(/Your pause in News 2027 has ended/)]);
    expect(partner()).toEqual([expect.stringMatching(new RegExp(`De pauze van ${mentee.name} in News 2027 is voorbij`))]);
    expect(admins()).toEqual([expect.stringMatching(new RegExp(`The pause of ${mentee.name} in News 2027 has ended`))]);
    // Once: another tick tells nobody anything.
    const before = h.connector.activities.length;
    await later(12, () => runScheduler(h.svc));
    expect(h.connector.activities.length).toBe(before);
  });

  it('a pause until they resume ends with "resume"; the partner hears they are back', async () => {
    const { mentor, mentee } = pairs[1];
    const [card] = await h.say(mentor, 'pause');
    await h.submit(mentor, { ...actionData(card, 'pause.confirm'), how: 'open' });
    const partner = inbox(mentee);
    expect(textOf((await h.say(mentor, 'resume'))[0])).toMatch(/active again/);
    await h.connector.waitFor((a) => a.userId === mentee.aadObjectId && /is back/.test(textOf(a)));
    expect(partner()).toEqual([expect.stringMatching(new RegExp(`${mentor.name} is back: your pair in News 2027 is active again`))]);
  });

  it('unpair tells both people and the other admins; leave tells the partner and the admins', async () => {
    const { mentor, mentee } = pairs[1];
    const mentorInbox = inbox(mentor);
    const menteeInbox = inbox(mentee);
    const oli = inbox(otherAdmin);
    const ada = inbox(admin);
    await h.say(admin, `unpair @${mentee.name} News 2027`, { mentions: [mentee] });
    await h.connector.waitFor((a) => a.userId === otherAdmin.aadObjectId && /beendet/.test(textOf(a)));
    expect(mentorInbox()).toEqual([expect.stringMatching(/was ended by a programme admin/)]);
    expect(menteeInbox()).toEqual([expect.stringMatching(/was ended by a programme admin/)]);
    expect(oli()).toEqual([expect.stringMatching(new RegExp(`Ada Admin hat die Tandems von ${mentee.name} in News 2027 beendet`))]);
    // The admin who did it is not told what they just did (only their own reply).
    expect(ada().filter((x) => /ended the pairs/.test(x))).toEqual([]);

    const { mentor: m0, mentee: e0 } = pairs[0];
    const partner = inbox(m0);
    const admins = inbox(admin);
    expect(textOf((await h.say(e0, 'leave News 2027'))[0])).toMatch(/You have left/);
    await h.connector.waitFor((a) => a.userId === m0.aadObjectId && /verlaten/.test(textOf(a)));
    expect(partner()).toEqual([expect.stringMatching(new RegExp(`Uw koppel met ${e0.name} in News 2027 is beëindigd`))]);
    expect(admins()).toEqual([expect.stringMatching(new RegExp(`${e0.name} left programme "News 2027" \\(pair with ${m0.name}\\)`))]);
  });

  it('a manual pair introduces both people and tells the other admins', async () => {
    const { mentor } = pairs[1];
    const { mentee } = pairs[1];
    const oli = inbox(otherAdmin);
    const replies = await h.say(admin, `pair @${mentor.name} @${mentee.name} override News 2027`, { mentions: [mentor, mentee] });
    expect(replies.map(textOf).join('\n')).toContain(`${mentor.name} now mentors ${mentee.name}. Both got an introduction.`);
    expect(replies.filter((r) => r.userId === mentor.aadObjectId || r.userId === mentee.aadObjectId).map(textOf)).toEqual([
      expect.stringMatching(/^Meet your mentee/), expect.stringMatching(/^Meet your mentor/),
    ]);
    await h.connector.waitFor((a) => a.userId === otherAdmin.aadObjectId && /von Hand/.test(textOf(a)));
    expect(oli()).toEqual([expect.stringMatching(new RegExp(`Ada Admin hat ${mentor.name} und ${mentee.name} in News 2027 von Hand`))]);
  });
});

describe("the programme's end: feedback window, closed, retention", () => {
  let c: Cohort;
  let pairs: Awaited<ReturnType<typeof pairsOfCohort>>;
  beforeAll(async () => {
    c = await runningProgramme(h, admin, { name: 'Ending 2027' });
    pairs = await pairsOfCohort(c);
    // A round everyone answers, with words that must go after the retention period.
    await h.say(admin, 'checkins send Ending 2027');
    for (const u of [...c.mentors, ...c.mentees]) {
      const [card] = await h.connector.waitFor((a) => a.userId === u.aadObjectId && actionData(a, 'checkin.submit')?.programmeId === c.programmeId);
      await h.submit(u, { ...actionData(card, 'checkin.submit'), met: 'yes', tutorials: 'l1-profile', learned: `learned by ${u.name}`, rating: '4', blockers: `blocked ${u.name}`, nextSession: '2027-02-01' });
    }
  });

  it('someone whose partner left still gets the survey; the one who left does not', async () => {
    const { mentor: leaver, mentee: stays } = pairs[0];
    await h.say(leaver, 'leave Ending 2027');
    const replies = await h.say(admin, 'programme close Ending 2027');
    const until = new Date(Date.now() + 14 * DAY).toISOString().slice(0, 10);
    expect(textOf(replies[replies.length - 1])).toContain(`asked for feedback until ${until}`);
    const isSurvey = (u: TestUser) => (a: RecordedActivity) => a.userId === u.aadObjectId && actionData(a, 'feedback.submit')?.programmeId === c.programmeId;
    for (const u of [stays, pairs[1].mentor, pairs[1].mentee]) await h.connector.waitFor(isSurvey(u));
    expect(h.connector.activities.filter(isSurvey(leaver))).toHaveLength(0);
    // Closing again only says when the window ends and how to close at once.
    const again = await h.say(admin, 'programme close Ending 2027');
    expect(textOf(again[0])).toMatch(/already closing; the feedback survey is open until/);
    expect(textOf(again[0])).toContain('programme close Ending 2027 now');
  });

  it('when the window ends the scheduler closes it: surveys answer "closed", it leaves status, and stays exportable', async () => {
    const survey = h.connector.activities.find((a) => a.userId === pairs[1].mentee.aadObjectId && actionData(a, 'feedback.submit')?.programmeId === c.programmeId)!;
    await later(13, () => runScheduler(h.svc));
    expect((await h.svc.store.programmes.get(key(TENANT), key(c.programmeId)))!.value.status).toBe('closing');
    await later(15, () => runScheduler(h.svc));
    const p = (await h.svc.store.programmes.get(key(TENANT), key(c.programmeId)))!.value;
    expect(p.status).toBe('closed');
    expect(p.closedAt).toBeTruthy();
    const answer = await h.submit(pairs[1].mentee, { ...actionData(survey, 'feedback.submit'), valueOfOneToOne: '5', flexibility: '4', recommend: '9', level1: '2', level2: '2', level3: '1', level4: '1' });
    expect(textOf(answer[0])).toMatch(/The feedback survey of Ending 2027 is closed. Nothing was saved/);
    expect(await h.svc.store.feedback.list(programmePartition(TENANT, c.programmeId))).toHaveLength(0);
    expect(textOf((await h.say(admin, 'status'))[0])).not.toMatch(/Ending 2027/);
    expect(textOf((await h.say(admin, 'status Ending 2027'))[0])).toMatch(/Ending 2027/);
    // Exportable, ended pairs and their check-in counts included.
    const csv = await (await fetch(`${h.url}/api/programmes/${c.programmeId}/export.csv`, asLocal(admin))).text();
    const rows = csv.trim().split('\r\n');
    expect(rows).toHaveLength(3);
    const endedRow = rows.find((r) => r.includes(pairs[0].mentee.name))!;
    expect(endedRow).toMatch(/,ended,ended,no,/);
    expect(endedRow).toMatch(/,1,1,/);
  });

  it('after the retention period the free text of check-ins and surveys is erased; the counts stay', async () => {
    const records = async () => (await h.svc.store.checkins.list(roundPartition(TENANT, c.programmeId, 1))).map((r) => r.value);
    expect((await records()).every((r) => r.learned?.startsWith('learned by'))).toBe(true);
    await later(15 + 300, () => runScheduler(h.svc));
    expect((await records()).some((r) => r.learned)).toBe(true);
    await later(15 + 366, () => runScheduler(h.svc));
    const after = await records();
    expect(after).toHaveLength(4);
    for (const r of after) {
      expect(r.learned).toBeUndefined();
      expect(r.blockers).toBeUndefined();
      expect(r.nextSession).toBeUndefined();
      expect(r).toMatchObject({ met: 'yes', rating: 4, tutorials: ['l1-profile'] });
      expect(r.answeredAt).toBeTruthy();
    }
    expect((await h.svc.store.programmes.get(key(TENANT), key(c.programmeId)))!.value.textErasedAt).toBeTruthy();
    const dump = JSON.stringify(await h.svc.store.checkins.query(`PartitionKey ge '${programmePartition(TENANT, c.programmeId)}'`));
    expect(dump).not.toMatch(/learned by|blocked /);
  });

  it('"programme close <name> now" closes at once', async () => {
    const d = await runningProgramme(h, admin, { name: 'Quick 2027' });
    const replies = await h.say(admin, 'programme close Quick 2027 now');
    expect(textOf(replies[replies.length - 1])).toMatch(/Programme "Quick 2027" is closed/);
    expect((await h.svc.store.programmes.get(key(TENANT), key(d.programmeId)))!.value.status).toBe('closed');
  });
});

describe('Join cards anywhere', () => {
  it('a programme opened in the 1:1 chat is posted in a channel with "programme post", and "programme open" there posts it too', async () => {
    const { createProgramme } = await import('./helpers/flows');
    await createProgramme(h, admin, { name: 'Posted 2027' });
    const opened = await h.say(admin, 'programme open Posted 2027');
    expect(textOf(opened[0])).toMatch(/is open for enrolment/);
    // The tip names a command that works.
    expect(textOf(opened[0])).toContain('programme post Posted 2027');
    for (const [i, command] of ['programme post Posted 2027', 'programme open Posted 2027'].entries()) {
      const channel = { id: `19:general-${i}@thread.tacv2`, type: 'channel' as const };
      const replies = await h.say(admin, command, { conversation: channel });
      const card = replies.find((r) => r.conversationId === channel.id && /Reverse mentoring: Posted 2027/.test(textOf(r)));
      expect(card).toBeDefined();
      expect(actionData(card!, 'join.start')).toMatchObject({ programmeId: expect.any(String) });
    }
    // In the 1:1 chat "programme post" says where it works.
    expect(textOf((await h.say(admin, 'programme post Posted 2027'))[0])).toContain('programme post Posted 2027');
  });
});

describe('local niceties', () => {
  it("the identity switcher shows the configured admin's name, not a bare id", async () => {
    const local = await fetch(`${h.url}/api/local/users?tenant=${TENANT}`).then((r) => r.json());
    const ada = local.users.find((u: { userId: string }) => u.userId === admin.aadObjectId);
    expect(ada).toMatchObject({ name: 'Ada Admin', isAdmin: true });
  });

  it('npm run reset removes the local data folder, and refuses while Azurite listens', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rm-reset-'));
    fs.writeFileSync(path.join(dir, '__azurite_db_table__.json'), '{}');
    const busy = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => busy.once('listening', r));
    const port = (busy.address() as net.AddressInfo).port;
    await expect(reset(dir, port)).rejects.toThrow(/stop it first/);
    expect(fs.existsSync(dir)).toBe(true);
    await new Promise((r) => busy.close(r));
    expect(await reset(dir, port)).toMatch(/empty storage/);
    expect(fs.existsSync(dir)).toBe(false);
  });
});

describe("the README's Try it walk, in the order written", () => {
  it('programme new, programme open, join (mentors and mentees), pair, Approve all, checkins send, status, and programme post in a channel', async () => {
    const { createProgramme, join } = await import('./helpers/flows');
    const alex = admin;
    const id = await createProgramme(h, alex, { name: 'Try It 2027' });
    const opened = await h.say(alex, 'programme open');
    expect(textOf(opened[0])).toMatch(/"Try It 2027" is open for enrolment/);
    const megan = user('Megan Bowen');
    const adele = user('Adele Vance');
    expect((await join(h, megan, { role: 'mentor', department: 'IT', seniority: 'staff', skills: [3, 3, 2, 1, 0] }, id)).map(textOf).join()).toMatch(/You are in as Mentor/);
    expect((await join(h, adele, { role: 'mentee', department: 'Sales', seniority: 'director', skills: [0, 0, 0, 0, 0], wantLevels: [1] }, id)).map(textOf).join()).toMatch(/You are in as Mentee/);
    const [proposal] = await h.say(alex, 'pair Try It 2027');
    const approved = await h.submit(alex, actionData(proposal, 'pair.approve')!, { replyToId: proposal.activityId });
    expect(approved.map(textOf).join()).toMatch(/Approved by/);
    expect((await h.say(alex, 'checkins send Try It 2027')).map(textOf).join()).toMatch(/Check-in 1 of Try It 2027 is open/);
    expect(textOf((await h.say(alex, 'status Try It 2027')).find((r) => r.userId === alex.aadObjectId)!)).toMatch(/Health: Try It 2027|Try It 2027/);
    const channel = { id: '19:try-it@thread.tacv2', type: 'channel' as const };
    const posted = await h.say(alex, 'programme post Try It 2027', { conversation: channel });
    expect(posted.some((r) => r.conversationId === channel.id && !!actionData(r, 'join.start'))).toBe(true);
  });
});
