// Two people acting on the same record at the same moment, over HTTP against Azurite: exactly one
// wins, the other is told, nothing is duplicated and no update is lost.
import { RecordedActivity, textOf } from './connector/connector';
import { Cohort, runningProgramme } from './helpers/cohort';
import { actionData, programmeForm } from './helpers/flows';
import { BOT, Harness, personal, startHarness, TENANT, TestUser, upnOf, user } from './helpers/harness';
import { key } from '../bot/storage/repository';
import { programmePartition, roundPartition } from '../bot/storage/store';
import type { Pair } from '../bot/domain/types';

const texts = (r: RecordedActivity[]) => r.map(textOf).join('\n');

/**
 * Sends one activity and returns only the bot's answers to it (replies to its id, or updates of
 * the card it came from): requests running at the same time each get their own answers.
 */
async function send(h: Harness, u: TestUser, what: { text?: string; value?: Record<string, unknown>; mentions?: TestUser[]; replyToId?: string }): Promise<RecordedActivity[]> {
  const id = `in-${Math.random().toString(36).slice(2)}`;
  h.connector.addMember({ id: u.teamsId, name: u.name, aadObjectId: u.aadObjectId, userPrincipalName: upnOf(u) });
  h.connector.bindConversation(personal(u).id, u.aadObjectId);
  let text = what.text;
  const entities: Array<Record<string, unknown>> = [];
  for (const m of what.mentions ?? []) {
    h.connector.addMember({ id: m.teamsId, name: m.name, aadObjectId: m.aadObjectId, userPrincipalName: upnOf(m) });
    entities.push({ type: 'mention', text: `<at>${m.name}</at>`, mentioned: { id: m.teamsId, name: m.name } });
    text = text?.replace(`@${m.name}`, `<at>${m.name}</at>`);
  }
  const { status } = await h.post({
    type: 'message', channelId: 'msteams', serviceUrl: h.connector.url, id, from: { id: u.teamsId, name: u.name, aadObjectId: u.aadObjectId },
    recipient: BOT, conversation: { id: personal(u).id, conversationType: 'personal', tenantId: u.tenantId }, channelData: { tenant: { id: u.tenantId } },
    locale: 'en-US', text, value: what.value, entities, replyToId: what.replyToId,
  });
  expect(status).toBe(200);
  return h.connector.activities.filter((a) => a.activity.replyToId === id || (what.replyToId && a.kind === 'update' && a.activityId === what.replyToId && a.at >= 0));
}

describe('concurrency: same record, same moment', () => {
  let h: Harness;
  const admin = user('Ada Admin');
  const admin2 = user('Ben Admin');
  let c: Cohort;
  const pk = () => programmePartition(TENANT, c.programmeId);
  const pairs = async () => (await h.svc.store.pairs.list(pk())).map((r) => r.value as Pair);
  const intros = (userId: string) => h.connector.activities.filter((a) => a.userId === userId && /^Meet your (mentor|mentee)/.test(textOf(a)));

  beforeAll(async () => {
    h = await startHarness({ BOT_ADMINS: `${admin.aadObjectId},${admin2.aadObjectId}` });
    c = await runningProgramme(h, admin, { approve: false });
    await h.say(admin2, 'help');
  });
  afterAll(async () => h.stop());

  it('two admins approve the same proposal at once: one approves, the other is told, pairs and introductions once', async () => {
    const [a, b] = await Promise.all([send(h, admin, { value: c.approve }), send(h, admin2, { value: c.approve })]);
    const outcomes = [texts(a), texts(b)];
    expect(outcomes.filter((t) => /Approved by/.test(t))).toHaveLength(1);
    expect(outcomes.filter((t) => /already approved/.test(t))).toHaveLength(1);
    const all = await pairs();
    expect(all.filter((p) => p.status === 'active')).toHaveLength(2);
    expect(new Set(all.map((p) => p.menteeId)).size).toBe(all.length);
    for (const u of [...c.mentors, ...c.mentees]) expect(intros(u.aadObjectId)).toHaveLength(1);
    expect((await h.svc.store.proposals.list(pk())).filter((p) => p.value.status === 'approved')).toHaveLength(1);
  });

  it('two admins unpair the same person at once: the pair ends once, each side is told once', async () => {
    const sam = c.mentees[0];
    const pair = (await pairs()).find((p) => p.menteeId === sam.aadObjectId && p.status === 'active')!;
    const notes = (userId: string) => h.connector.activities.filter((a) => a.userId === userId && /was ended by a programme admin/.test(textOf(a))).length;
    const [a, b] = await Promise.all([
      send(h, admin, { text: `unpair @${sam.name}`, mentions: [sam] }),
      send(h, admin2, { text: `unpair @${sam.name}`, mentions: [sam] }),
    ]);
    const outcomes = [texts(a), texts(b)];
    expect(outcomes.filter((t) => /1 pair of Sam Senior ended/.test(t))).toHaveLength(1);
    expect(outcomes.filter((t) => /Sam Senior has no active pair/.test(t))).toHaveLength(1);
    const after = (await h.svc.store.pairs.get(pk(), key(pair.id)))!.value;
    expect(after.status).toBe('ended');
    expect(notes(pair.mentorId)).toBe(1);
    expect(notes(pair.menteeId)).toBe(1);
  });

  it('two profile edits at once (two forms, two devices): one is saved, the other is refused and told', async () => {
    const mo = c.mentors[1];
    const [profile] = await h.say(mo, 'profile');
    const edit = actionData(profile, 'profile.edit')!;
    const [form1] = await h.submit(mo, edit);
    const [form2] = await h.submit(mo, edit);
    const base: Record<string, unknown> = { ...actionData(form1, 'profile.save')!, role: 'mentor', seniority: 'staff', languages: 'en', timeZone: 'Europe/Berlin', sessionsPerMonth: '2', preferredDays: 'tue', skill1: '3', skill2: '3', skill3: '3', skill4: '1', skill5: '0', consent: 'true' };
    expect(base.version).toBeTruthy();
    expect(actionData(form2, 'profile.save')!.version).toBe(base.version);
    const [a, b] = await Promise.all([
      send(h, mo, { value: { ...base, department: 'Design' }, replyToId: form1.activityId }),
      send(h, mo, { value: { ...base, department: 'Research' }, replyToId: form2.activityId }),
    ]);
    const outcomes = [texts(a), texts(b)];
    expect(outcomes.filter((t) => /profile in Digital Leaders 2027 is updated/.test(t))).toHaveLength(1);
    expect(outcomes.filter((t) => /changed this at the same moment. Nothing was overwritten/.test(t))).toHaveLength(1);
    const stored = (await h.svc.store.participants.get(pk(), key(mo.aadObjectId)))!.value;
    const winner = /updated/.test(outcomes[0]) ? 'Design' : 'Research';
    expect(stored.department).toBe(winner);
    // A third press of an old form (a replay) is refused too and changes nothing.
    const replay = await h.submit(mo, { ...base, department: 'Legal' });
    expect(texts(replay)).toMatch(/Nothing was overwritten/);
    expect((await h.svc.store.participants.get(pk(), key(mo.aadObjectId)))!.value.department).toBe(winner);
  });

  it('the same programme form pressed twice at once creates one programme', async () => {
    const [form] = await h.say(admin, 'programme new');
    const data = { ...actionData(form, 'programme.create')!, ...programmeForm({ name: 'Race Programme' }) };
    const [a, b] = await Promise.all([send(h, admin, { value: data }), send(h, admin2, { value: data })]);
    const outcomes = [texts(a), texts(b)];
    expect(outcomes.filter((t) => /created as a draft/.test(t))).toHaveLength(1);
    expect(outcomes.filter((t) => /already created/.test(t))).toHaveLength(1);
    expect((await h.svc.store.programmes.list(key(TENANT))).filter((p) => p.value.name === 'Race Programme')).toHaveLength(1);
  });

  it('both sides of a pair answer the same check-in at the same moment, each twice: two answers stored, both ladders updates kept', async () => {
    const [mentor, mentee] = [c.mentors[1], c.mentees[1]];
    const opened = await send(h, admin, { text: `checkins send ${c.programmeName}` });
    expect(texts(opened)).toMatch(/Check-in 1 of Digital Leaders 2027 is open/);
    const cardFor = async (u: TestUser) => (await h.connector.waitFor((a) => a.userId === u.aadObjectId && !!actionData(a, 'checkin.submit')))[0];
    const [mentorCard, menteeCard] = [await cardFor(mentor), await cardFor(mentee)];
    const answer = (card: RecordedActivity, tutorial: string) => ({
      ...actionData(card, 'checkin.submit')!, met: 'yes', tutorials: tutorial, learned: 'Something new', rating: '4', nextSession: '2027-02-01',
    });
    const results = await Promise.all([
      send(h, mentor, { value: answer(mentorCard, 'l1-profile'), replyToId: mentorCard.activityId }),
      send(h, mentor, { value: answer(mentorCard, 'l1-profile'), replyToId: mentorCard.activityId }),
      send(h, mentee, { value: answer(menteeCard, 'l1-network'), replyToId: menteeCard.activityId }),
      send(h, mentee, { value: answer(menteeCard, 'l1-network'), replyToId: menteeCard.activityId }),
    ]);
    for (const pairOfPresses of [results.slice(0, 2), results.slice(2)]) {
      const outcomes = pairOfPresses.map(texts);
      expect(outcomes.filter((t) => /already answered/.test(t))).toHaveLength(1);
      expect(outcomes.filter((t) => !/already answered/.test(t) && /saved|Check-in/i.test(t))).toHaveLength(1);
    }
    const round = (await h.svc.store.checkins.list(roundPartition(TENANT, c.programmeId, 1))).map((r) => r.value);
    expect(round.filter((r) => r.answeredAt).map((r) => r.userId).sort()).toEqual([mentor.aadObjectId, mentee.aadObjectId].sort());
    // Both answers' tutorials count on the mentee's ladder: neither write lost the other.
    const ladder = (await h.svc.store.progress.list(key(TENANT, mentee.aadObjectId))).map((r) => `${r.value.tutorialId}:${r.value.status}`).sort();
    expect(ladder).toEqual(['l1-network:done', 'l1-profile:done']);
  });

  it('the same person presses "Erase everything" twice at once: erased once, both presses answered', async () => {
    const sue = c.mentees[1];
    const [confirm] = await h.say(sue, 'forget me');
    const data = actionData(confirm, 'data.forget')!;
    const [a, b] = await Promise.all([send(h, sue, { value: data }), send(h, sue, { value: data })]);
    expect(texts(a)).toMatch(/erased|changed this at the same moment/);
    expect(texts(b)).toMatch(/erased|changed this at the same moment/);
    const rows = JSON.stringify(await Promise.all([h.svc.store.participants.list(pk()), h.svc.store.pairs.list(pk()), h.svc.store.users.list(key(TENANT))]));
    expect(rows).not.toContain(sue.aadObjectId);
    // One anonymous pair row for her ended pair, not two.
    expect((await pairs()).filter((p) => p.menteeId.startsWith('erased-'))).toHaveLength(1);
  });
});
