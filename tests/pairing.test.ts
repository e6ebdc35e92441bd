// Pairing over HTTP with Azurite behind: proposals, swap, exclude, approval by racing admins,
// introductions exactly once, manual pairing with a recorded override, unpair, "my pair".
import { cardOf, RecordedActivity, textOf } from './connector/connector';
import { actionData, createProgramme, join } from './helpers/flows';
import { Harness, startHarness, TENANT, TestUser, upnOf, user } from './helpers/harness';
import { key } from '../bot/storage/repository';
import { programmePartition } from '../bot/storage/store';
import type { Pair } from '../bot/domain/types';

const admin = user('Ada Admin');
const admin2 = user('Ben Admin');
const mia = { u: user('Mia Mentor'), role: 'mentor' as const, department: 'IT', seniority: 'apprentice', skills: [3, 3, 2, 2, 1] };
const mo = { u: user('Mo Mentor'), role: 'mentor' as const, department: 'Marketing', seniority: 'staff', skills: [3, 3, 3, 1, 0] };
const max = { u: user('Max Mentor'), role: 'mentor' as const, department: 'IT', seniority: 'staff', skills: [3, 2, 3, 2, 0] };
const sam = { u: user('Sam Senior'), role: 'mentee' as const, department: 'Sales', seniority: 'director', skills: [1, 0, 0, 0, 0], wantLevels: [1, 2] };
const sue = { u: user('Sue Senior'), role: 'mentee' as const, department: 'Finance', seniority: 'executive', skills: [0, 0, 0, 0, 0], wantLevels: [1, 3] };
// Only the IT mentors cover level 4, and Sid is in IT himself: nobody may mentor him.
const sid = { u: user('Sid Senior'), role: 'mentee' as const, department: 'IT', seniority: 'manager', skills: [2, 1, 0, 0, 0], wantLevels: [4] };
const everyone = [mia, mo, max, sam, sue, sid];

/** Collects the activities sent to a person's 1:1 conversation. */
const toUser = (h: Harness, u: TestUser) => h.connector.activities.filter((a) => a.userId === u.aadObjectId);
const intros = (h: Harness, u: TestUser) => toUser(h, u).filter((a) => /^Meet your (mentor|mentee)/.test(textOf(a)));

describe('pairing (over HTTP, Azurite behind)', () => {
  let h: Harness;
  let programmeId: string;
  const pk = () => programmePartition(TENANT, programmeId);
  const pairsStored = async () => (await h.svc.store.pairs.list(pk())).map((r) => r.value as Pair);
  const active = async () => (await pairsStored()).filter((p) => p.status === 'active');
  const rankOf: Record<string, number> = { apprentice: 0, staff: 1, 'senior-staff': 2, manager: 3, director: 4, executive: 5 };

  beforeAll(async () => {
    h = await startHarness({ BOT_ADMINS: `${admin.aadObjectId},${admin2.aadObjectId}` });
    programmeId = await createProgramme(h, admin, { maxMenteesPerMentor: '1' });
    await h.say(admin, 'programme open');
    for (const p of everyone) {
      const replies = await join(h, p.u, p);
      expect(replies.map(textOf).join(' ')).toMatch(/saved|welcome|joined/i);
    }
  });
  afterAll(async () => h.stop());

  let proposal: RecordedActivity;

  it('a non-admin cannot run "pair", nor press a proposal button; nothing is stored', async () => {
    const replies = await h.say(sam.u, 'pair');
    expect(textOf(replies[0])).toMatch(/is for programme admins/);
    const forged = await h.submit(sam.u, { verb: 'pair.approve', programmeId, proposalId: 'anything' });
    expect(textOf(forged[0])).toMatch(/is for programme admins/);
    expect(await h.svc.store.proposals.list(pk())).toHaveLength(0);
    expect(await pairsStored()).toHaveLength(0);
  });

  it('"pair" proposes pairs that keep every rule, with scores and reasons, and says why Sid is left out', async () => {
    [proposal] = await h.say(admin, 'pair');
    const text = textOf(proposal);
    expect(text).toMatch(/Pairing proposal: Digital Leaders 2027/);
    expect(text).toMatch(/2 pairs, average score \d+\/100\./);
    expect(text).toMatch(/Sid Senior \(mentee\): no mentor in another department covers level 4/i);
    const proposed = (await pairsStored()).filter((p) => p.status === 'proposed');
    expect(proposed).toHaveLength(2);
    const people = Object.fromEntries(everyone.map((p) => [p.u.aadObjectId, p]));
    for (const pair of proposed) {
      const [m, e] = [people[pair.mentorId], people[pair.menteeId]];
      expect(m.role).toBe('mentor');
      expect(e.role).toBe('mentee');
      expect(m.department).not.toBe(e.department);
      expect(rankOf[m.seniority]).toBeLessThan(rankOf[e.seniority]);
      for (const level of (e as typeof sam).wantLevels) expect(m.skills[level - 1]).toBeGreaterThanOrEqual(2);
      expect(pair.reasons.length).toBeGreaterThan(0);
      expect(text).toContain(`${m.u.name} → ${e.u.name}`);
    }
    // The card offers all four actions.
    for (const verb of ['pair.approve', 'pair.rerun', 'pair.swap', 'pair.exclude']) expect(actionData(proposal, verb)).toBeDefined();
    expect(await h.svc.store.programmes.get(key(TENANT), key(programmeId))).toMatchObject({ value: { status: 'matching' } });
  });

  it('swapping mentees keeps the rules and updates the proposal in place', async () => {
    const before = (await pairsStored()).filter((p) => p.status === 'proposed');
    const data = actionData(proposal, 'pair.swap')!;
    const replies = await h.submit(admin, { ...data, pairA: before[0].id, pairB: before[1].id }, { replyToId: proposal.activityId });
    expect(replies.some((r) => r.kind === 'update' && r.activityId === proposal.activityId && /Swapped/.test(textOf(r)))).toBe(true);
    const after = (await pairsStored()).filter((p) => p.status === 'proposed');
    const key2 = (p: Pair) => `${p.mentorId}>${p.menteeId}`;
    expect(after.map(key2).sort()).toEqual(
      [`${before[0].mentorId}>${before[1].menteeId}`, `${before[1].mentorId}>${before[0].menteeId}`].sort(),
    );
  });

  it('a swap that would break a rule is refused and changes nothing', async () => {
    // Max (IT, covers 1-4) and Sid (IT) are never proposed; build a fake pair id for Sid: stale.
    const current = (await pairsStored()).filter((p) => p.status === 'proposed');
    const data = actionData(proposal, 'pair.swap')!;
    const replies = await h.submit(admin, { ...data, pairA: current[0].id, pairB: 'not-a-pair' });
    expect(textOf(replies[0])).toMatch(/out of date|break a rule/);
    expect((await pairsStored()).filter((p) => p.status === 'proposed').map((p) => p.id).sort()).toEqual(current.map((p) => p.id).sort());
  });

  it('excluding a pair re-runs the matching without it, and never proposes it again', async () => {
    const current = (await pairsStored()).filter((p) => p.status === 'proposed');
    const ruledOut = current.find((p) => p.mentorId === mia.u.aadObjectId)!;
    const data = actionData(proposal, 'pair.exclude')!;
    const replies = await h.submit(admin, { ...data, excludePair: ruledOut.id }, { replyToId: proposal.activityId });
    expect(replies.map(textOf).join(' ')).toMatch(/Excluded/);
    const fresh = replies.find((r) => /Pairing proposal/.test(textOf(r)))!;
    proposal = fresh;
    const proposed = (await pairsStored()).filter((p) => p.status === 'proposed');
    expect(proposed.map((p) => p.id)).not.toContain(ruledOut.id);
    expect(proposed.length).toBeGreaterThan(0);
    // The old proposal is superseded: its buttons are refused.
    const stale = await h.submit(admin, { ...data, excludePair: ruledOut.id });
    expect(textOf(stale[0])).toMatch(/out of date/);
  });

  it('two admins approving at once create each pair once and introduce each person exactly once', async () => {
    const proposed = (await pairsStored()).filter((p) => p.status === 'proposed');
    const data = actionData(proposal, 'pair.approve')!;
    h.connector.activities.length = 0;
    const [a, b] = await Promise.all([h.submit(admin, data, { replyToId: proposal.activityId }), h.submit(admin2, data)]);
    const answers = [...a, ...b].map(textOf).join(' | ');
    expect(answers).toMatch(/Approved by/);
    expect(answers).toMatch(/already approved/);
    const live = await active();
    expect(live.map((p) => p.id).sort()).toEqual(proposed.map((p) => p.id).sort());
    for (const pair of live) {
      expect(pair.proposalId).toBe(data.proposalId);
      expect(pair.score).toBeGreaterThan(0);
      for (const id of [pair.mentorId, pair.menteeId]) {
        const person = everyone.find((p) => p.u.aadObjectId === id)!;
        await h.connector.waitFor((x) => x.userId === id && /^Meet your/.test(textOf(x)));
        expect(intros(h, person.u)).toHaveLength(1);
      }
    }
    // Approving again creates nothing and introduces nobody again.
    const again = await h.submit(admin, data);
    expect(textOf(again[0])).toMatch(/already approved/);
    expect(await active()).toHaveLength(live.length);
    for (const p of everyone) expect(intros(h, p.u).length).toBeLessThanOrEqual(1);
    expect((await h.svc.store.programmes.get(key(TENANT), key(programmeId)))?.value.status).toBe('running');
  });

  it('the introduction tells who the other is, the objectives, the first tutorial and links a Teams chat', async () => {
    const pair = (await active()).find((p) => p.menteeId === sam.u.aadObjectId || p.menteeId === sue.u.aadObjectId)!;
    const mentor = everyone.find((p) => p.u.aadObjectId === pair.mentorId)!;
    const mentee = everyone.find((p) => p.u.aadObjectId === pair.menteeId)!;
    const [toMentee] = intros(h, mentee.u);
    const text = textOf(toMentee);
    expect(text).toContain(`Meet your mentor: ${mentor.u.name}`);
    expect(text).toContain(mentor.department);
    expect(text).toMatch(/Senior managers learn the digital workplace/);
    expect(text).toMatch(/Suggested first session/);
    const chat = JSON.stringify(cardOf(toMentee));
    expect(chat).toContain(`https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(upnOf(mentor.u))}`);
    const [toMentor] = intros(h, mentor.u);
    expect(textOf(toMentor)).toContain(`Meet your mentee: ${mentee.u.name}`);
    expect(textOf(toMentor)).toMatch(/Wants to learn/);
    // No calendar on this server: no "Find a time" button (sessions.test.ts has the one with it).
    expect(textOf(toMentee)).not.toMatch(/Find a time/);
  });

  it('"my pair" shows each person their pair', async () => {
    const pair = (await active())[0];
    const mentee = everyone.find((p) => p.u.aadObjectId === pair.menteeId)!;
    const mentor = everyone.find((p) => p.u.aadObjectId === pair.mentorId)!;
    const [mine] = await h.say(mentee.u, 'my pair');
    expect(textOf(mine)).toContain(`Your mentor: ${mentor.u.name}`);
    const [none] = await h.say(sid.u, 'my pair');
    expect(textOf(none)).toMatch(/You have no pair yet/);
  });

  it('pairing by hand checks the rules; only an explicit override pairs anyway, and it is recorded', async () => {
    const refused = await h.say(admin, 'pair', { mentions: [max.u, sid.u] });
    expect(textOf(refused[0])).toMatch(/cannot be paired.*same department/s);
    expect((await pairsStored()).some((p) => p.menteeId === sid.u.aadObjectId)).toBe(false);

    const forced = await h.say(admin, 'pair override', { mentions: [max.u, sid.u] });
    const done = forced.map(textOf).find((x) => /now mentors/.test(x));
    expect(done).toMatch(/Max Mentor now mentors Sid Senior/);
    expect(done).toMatch(/override is recorded/);
    const stored = (await pairsStored()).find((p) => p.menteeId === sid.u.aadObjectId)!;
    expect(stored).toMatchObject({ status: 'active', mentorId: max.u.aadObjectId });
    expect(stored.override).toMatch(/same-department/);
    await h.connector.waitFor((x) => x.userId === sid.u.aadObjectId && /^Meet your mentor/.test(textOf(x)));

    const twice = await h.say(admin, 'pair override', { mentions: [max.u, sid.u] });
    expect(textOf(twice[0])).toMatch(/already a pair/);
    expect((await pairsStored()).filter((p) => p.menteeId === sid.u.aadObjectId)).toHaveLength(1);
  });

  it('"unpair" ends the pair and tells both people; a non-admin cannot', async () => {
    const refused = await h.say(sam.u, 'unpair', { mentions: [sid.u] });
    expect(textOf(refused[0])).toMatch(/is for programme admins/);
    expect((await active()).some((p) => p.menteeId === sid.u.aadObjectId)).toBe(true);

    const replies = await h.say(admin, 'unpair', { mentions: [sid.u] });
    expect(replies.map(textOf).join(' | ')).toMatch(/1 pair of Sid Senior ended/);
    expect((await active()).some((p) => p.menteeId === sid.u.aadObjectId)).toBe(false);
    await h.connector.waitFor((x) => x.userId === max.u.aadObjectId && /was ended by a programme admin/.test(textOf(x)));
    await h.connector.waitFor((x) => x.userId === sid.u.aadObjectId && /was ended by a programme admin/.test(textOf(x)));
  });
});
