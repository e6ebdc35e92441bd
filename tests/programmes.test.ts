import { textOf } from './connector/connector';
import { actionData, createProgramme, join, programmeForm } from './helpers/flows';
import { Harness, personal, startHarness, TENANT, user } from './helpers/harness';
import { key } from '../bot/storage/repository';
import { programmePartition } from '../bot/storage/store';

const admin = user('Ada Admin');
const mentors = [
  { u: user('Mia Mentor'), department: 'IT', seniority: 'apprentice', skills: [3, 3, 2, 2, 1] },
  { u: user('Max Mentor'), department: 'IT', seniority: 'staff', skills: [3, 2, 3, 2, 0] },
  { u: user('Mo Mentor'), department: 'Marketing', seniority: 'staff', skills: [3, 3, 3, 1, 0] },
];
const mentees = [
  { u: user('Sam Senior'), department: 'Sales', seniority: 'director', skills: [1, 0, 0, 0, 0], want: [1, 2] },
  { u: user('Sue Senior'), department: 'Finance', seniority: 'executive', skills: [0, 0, 0, 0, 0], want: [1, 3] },
  { u: user('Sid Senior'), department: 'IT', seniority: 'manager', skills: [2, 1, 0, 0, 0], want: [4] },
];

describe('programmes, onboarding and the knowledge map (over HTTP, Azurite behind)', () => {
  let h: Harness;
  let programmeId: string;
  const channel = { id: '19:programme@thread.tacv2', type: 'channel' as const };

  beforeAll(async () => {
    h = await startHarness({ BOT_ADMINS: admin.aadObjectId });
  });
  afterAll(async () => h.stop());

  const participant = (u: { aadObjectId: string }) => h.svc.store.participants.get(programmePartition(TENANT, programmeId), key(u.aadObjectId));

  it('a non-admin trying "programme new" is refused and nothing changes', async () => {
    const replies = await h.say(mentors[0].u, 'programme new');
    expect(textOf(replies[0])).toMatch(/is for programme admins/);
    expect(await h.svc.store.programmes.list(key(TENANT))).toHaveLength(0);
    // Even a forged submit of the create form stores nothing.
    const forged = await h.submit(mentors[0].u, { verb: 'programme.create', formId: 'forged12345', ...programmeForm() });
    expect(textOf(forged[0])).toMatch(/is for programme admins/);
    expect(await h.svc.store.programmes.list(key(TENANT))).toHaveLength(0);
  });

  it('validates the programme form with clear messages and stores nothing when wrong', async () => {
    const [form] = await h.say(admin, 'programme new');
    const data = actionData(form, 'programme.create')!;
    const replies = await h.submit(admin, { ...data, ...programmeForm({ endDate: '2026-12-01', levels: '', cadenceWeeks: '9' }) });
    const text = textOf(replies[0]);
    expect(text).toMatch(/end date must be after the start date/i);
    expect(text).toMatch(/Ladder levels in scope is required/);
    expect(text).toMatch(/Check-in every \(weeks\) must be from 1 to 4/);
    expect(await h.svc.store.programmes.list(key(TENANT))).toHaveLength(0);
  });

  it('an admin creates a programme; pressing the button twice stores it once', async () => {
    const [form] = await h.say(admin, 'programme new');
    const data = actionData(form, 'programme.create')!;
    const first = await h.submit(admin, { ...data, ...programmeForm() }, { replyToId: form.activityId });
    // The form is replaced in place by the summary.
    expect(first.some((r) => r.kind === 'update' && r.activityId === form.activityId && /created as a draft/.test(textOf(r)))).toBe(true);
    const second = await h.submit(admin, { ...data, ...programmeForm() }, { replyToId: form.activityId });
    expect(textOf(second[0])).toMatch(/already created/);
    const all = await h.svc.store.programmes.list(key(TENANT));
    expect(all).toHaveLength(1);
    programmeId = all[0].value.id;
    expect(all[0].value).toMatchObject({ name: 'Digital Leaders 2027', status: 'draft', levels: [1, 2, 3, 4], maxMenteesPerMentor: 1 });
  });

  it('nobody can join a draft programme', async () => {
    const replies = await h.say(mentors[0].u, 'join');
    expect(textOf(replies[0])).toMatch(/no programme you can join/);
  });

  it('opening it in a channel posts the programme card with a Join button there', async () => {
    const replies = await h.say(admin, 'programme open', { conversation: channel });
    const card = replies.find((r) => /Reverse mentoring: Digital Leaders 2027/.test(textOf(r)));
    expect(card?.conversationId).toBe(channel.id);
    expect(actionData(card!, 'join.start')).toEqual({ verb: 'join.start', programmeId });
    expect((await h.svc.store.programmes.get(key(TENANT), key(programmeId)))?.value.status).toBe('open');
    // Opening it again from the 1:1 chat says it is open and how to post its card elsewhere.
    const again = await h.say(admin, 'programme open Digital Leaders 2027');
    expect(textOf(again[0])).toMatch(/already open for enrolment/);
    expect(textOf(again[0])).toMatch(/programme post Digital Leaders 2027/);
  });

  it('the Join button in the channel sends the form to the person privately', async () => {
    const mia = mentors[0].u;
    await h.say(mia, 'help'); // Mia has talked to the bot, so her 1:1 chat is known.
    const before = h.connector.sentTo(mia.aadObjectId).length;
    const replies = await h.submit(mia, { verb: 'join.start', programmeId }, { conversation: channel });
    expect(textOf(replies.find((r) => r.conversationId === channel.id)!)).toMatch(/sent you the form/);
    const dm = h.connector.sentTo(mia.aadObjectId).slice(before);
    expect(dm.some((a) => actionData(a, 'profile.save'))).toBe(true);
  });

  it('three mentors and three mentees from different departments join', async () => {
    for (const m of mentors) {
      const replies = await join(h, m.u, { role: 'mentor', department: m.department, seniority: m.seniority, skills: m.skills });
      expect(textOf(replies[0])).toMatch(/Welcome to Digital Leaders 2027! You are in as Mentor/);
    }
    for (const m of mentees) {
      const replies = await join(h, m.u, { role: 'mentee', department: m.department, seniority: m.seniority, skills: m.skills, wantLevels: m.want });
      expect(textOf(replies[0])).toMatch(/You are in as Mentee/);
    }
    const people = await h.svc.store.participants.list(programmePartition(TENANT, programmeId));
    expect(people).toHaveLength(6);
    const sue = (await participant(mentees[1].u))!.value;
    expect(sue).toMatchObject({ role: 'mentee', department: 'Finance', seniority: 'executive', wantLevels: [1, 3], skills: [0, 0, 0, 0, 0], status: 'active', languages: ['en', 'de'] });
    expect(sue.consentAt).toBeTruthy();
  });

  it('a malformed or forged join submission is refused with a message and nothing is stored', async () => {
    const newbie = user('Nia Newbie');
    const [form] = await h.say(newbie, 'join');
    const data = actionData(form, 'profile.save')!;
    const bad = await h.submit(newbie, { ...data, role: 'boss', department: 'x'.repeat(500), seniority: 'king', languages: 'en,klingon', skill1: '7', consent: 'false' });
    const text = textOf(bad[0]);
    expect(text).toMatch(/Please fix this/);
    expect(text).toMatch(/Role has a value I don't accept/);
    expect(text).toMatch(/Department is too long/);
    expect(text).toMatch(/Level 1 must be from 0 to 3/);
    expect(text).toMatch(/agree to how your data is used/);
    expect(await participant(newbie)).toBeUndefined();
    // The same form submitted by someone else (forwarded or forged) is refused.
    const other = user('Oscar Other');
    const forged = await h.submit(other, { ...data, role: 'mentor', department: 'IT', seniority: 'staff', languages: 'en', timeZone: 'UTC', sessionsPerMonth: '2', preferredDays: 'mon', skill1: '3', skill2: '3', skill3: '3', skill4: '3', skill5: '3', consent: 'true' });
    expect(textOf(forged[0])).toMatch(/filled in for someone else/);
    expect(await participant(other)).toBeUndefined();
    // A stale card for a programme that does not exist.
    const stale = await h.submit(newbie, { ...data, fixedProgrammeId: 'nosuchprogramme', programmeId: 'nosuchprogramme' });
    expect(textOf(stale[0])).toMatch(/does not exist/);
    expect(await participant(newbie)).toBeUndefined();
  });

  it('submitting the same profile twice stores one participant', async () => {
    const mo = mentors[2].u;
    const replies = await h.submit(mo, { verb: 'profile.edit', programmeId });
    const data = actionData(replies[0], 'profile.save')!;
    const answers = { ...data, department: 'Marketing', seniority: 'staff', languages: 'en,nl', timeZone: 'Europe/Amsterdam', sessionsPerMonth: '3', preferredDays: 'wed', skill1: '3', skill2: '3', skill3: '3', skill4: '1', skill5: '0', consent: 'true' };
    await Promise.all([h.submit(mo, answers), h.submit(mo, answers)]);
    const rows = (await h.svc.store.participants.list(programmePartition(TENANT, programmeId))).filter((p) => p.value.userId === mo.aadObjectId);
    expect(rows).toHaveLength(1);
    expect(rows[0].value.languages).toEqual(['en', 'nl']);
    expect(rows[0].value.role).toBe('mentor');
  });

  it('profiles persist across a restart', async () => {
    await h.restart();
    const replies = await h.say(mentees[0].u, 'profile');
    const text = textOf(replies[0]);
    expect(text).toMatch(/Digital Leaders 2027/);
    expect(text).toMatch(/Sales/);
    expect(text).toMatch(/Director/);
  });

  it('the knowledge map shows the right counts and hides cells under 3', async () => {
    const replies = await h.say(admin, 'knowledge map');
    const card = replies[0];
    const rows = (card.activity.attachments[0].content.body as any[]).find((b) => b.type === 'Table').rows as any[];
    const cellTexts = rows.map((r: any) => r.cells.map((c: any) => c.items[0].text));
    // IT has Mia, Max (mentors) and Sid (mentee): 3 people, breakdown shown.
    const it = cellTexts.find((r: string[]) => r[0].startsWith('IT'))!;
    expect(it[0]).toBe('IT (3)');
    // Level 1 in IT: skills 3, 3, 2 -> can teach 2, confident 1, basic 0, none 0.
    expect(it[1]).toBe('2 · 1 · 0 · 0');
    // Level 4 in IT: 2, 2, 0 -> 0 · 2 · 0 · 1.
    expect(it[4]).toBe('0 · 2 · 0 · 1');
    // Sales has one person: no breakdown.
    const sales = cellTexts.find((r: string[]) => r[0].startsWith('Sales'))!;
    expect(sales.slice(1).every((c: string) => c === '< 3')).toBe(true);
    // Level 4 is wanted by Sid; mentors able: Mia (2) and Max (2) -> not scarce. Level 3 wanted by Sue: Max, Mo -> not scarce.
    expect(textOf(card)).toMatch(/Mentors cover what mentees want/);
  });

  it('non-admins cannot see the knowledge map', async () => {
    const replies = await h.say(mentees[0].u, 'knowledge map');
    expect(textOf(replies[0])).toMatch(/is for programme admins/);
  });

  it('pause and resume, then leave tells the admins', async () => {
    const sid = mentees[2].u;
    const [card] = await h.say(sid, 'pause');
    expect(textOf(card)).toMatch(/Pause in Digital Leaders 2027/);
    const replies = await h.submit(sid, { ...actionData(card, 'pause.confirm'), how: 'open' }, { replyToId: card.activityId });
    expect(textOf(replies.find((r) => r.kind === 'update')!)).toMatch(/You are paused in Digital Leaders 2027 until you resume/);
    expect((await participant(sid))!.value.status).toBe('paused');
    expect(textOf((await h.say(sid, 'pause'))[0])).toMatch(/already paused/);
    expect(textOf((await h.say(sid, 'resume'))[0])).toMatch(/active again/);
    await h.say(admin, 'help'); // the admin's chat is known
    const before = h.connector.sentTo(admin.aadObjectId).length;
    expect(textOf((await h.say(sid, 'leave'))[0])).toMatch(/You have left/);
    expect((await participant(sid))!.value.status).toBe('left');
    const toAdmin = h.connector.sentTo(admin.aadObjectId).slice(before);
    expect(toAdmin.some((a) => /Sid Senior left programme "Digital Leaders 2027"/.test(textOf(a)))).toBe(true);
  });

  it('admins: list, add and remove; configured admins cannot be removed by command', async () => {
    const newAdmin = user('Nora New');
    let replies = await h.say(admin, 'admins add @Nora New', { mentions: [newAdmin] });
    expect(textOf(replies[0])).toMatch(/Nora New is now an admin/);
    replies = await h.say(newAdmin, 'programmes');
    expect(textOf(replies[0])).toMatch(/Digital Leaders 2027/);
    replies = await h.say(newAdmin, 'admins remove @Ada Admin', { mentions: [admin] });
    expect(textOf(replies[0])).toMatch(/BOT_ADMINS setting/);
    replies = await h.say(admin, 'admins remove @Nora New', { mentions: [newAdmin] });
    expect(textOf(replies[0])).toMatch(/no longer an admin/);
    replies = await h.say(newAdmin, 'programmes');
    expect(textOf(replies[0])).toMatch(/is for programme admins/);
  });

  it('nominated programmes: enrol records a nomination that counts only once confirmed', async () => {
    const pid = await createProgramme(h, admin, { name: 'Board Digital', enrolment: 'nominated', levels: '5' });
    await h.say(admin, 'programme open Board Digital');
    const ceo = user('Cleo CEO');
    await h.say(ceo, 'help');
    const before = h.connector.sentTo(ceo.aadObjectId).length;
    const replies = await h.say(admin, 'enrol @Cleo CEO as mentee Board Digital', { mentions: [ceo] });
    expect(textOf(replies.find((r) => r.conversationId === personal(admin).id)!)).toMatch(/Cleo CEO is nominated as Mentee in Board Digital/);
    const nomination = (await h.svc.store.participants.get(programmePartition(TENANT, pid), key(ceo.aadObjectId)))!.value;
    expect(nomination.status).toBe('nominated');
    const cards = h.connector.sentTo(ceo.aadObjectId).slice(before);
    expect(cards.some((a) => /You are nominated for Board Digital/.test(textOf(a)))).toBe(true);
    const form = cards.find((a) => actionData(a, 'profile.save'))!;
    // An outsider cannot join a nominated programme.
    const outsider = user('Otto Outsider');
    const refused = await h.submit(outsider, { verb: 'join.start', programmeId: pid });
    expect(textOf(refused[0])).toMatch(/by nomination/);
    // The nominee confirms with the profile; the role is the one the admin chose.
    const done = await h.submit(ceo, {
      ...actionData(form, 'profile.save'), role: 'mentor', department: 'Board', seniority: 'executive', languages: 'en', timeZone: 'Europe/London', sessionsPerMonth: '1', preferredDays: 'fri',
      skill1: '1', skill2: '0', skill3: '0', skill4: '0', skill5: '0', wantLevels: '5', consent: 'true',
    });
    expect(textOf(done[0])).toMatch(/You are in as Mentee/);
    const confirmed = (await h.svc.store.participants.get(programmePartition(TENANT, pid), key(ceo.aadObjectId)))!.value;
    expect(confirmed).toMatchObject({ status: 'active', role: 'mentee', department: 'Board', wantLevels: [5] });
  });

  it('speaks German to a German Teams client', async () => {
    const replies = await h.say(admin, 'programmes', { locale: 'de-DE' });
    expect(textOf(replies[0])).toMatch(/Programme/);
    expect(textOf(replies[0])).toMatch(/offen zur Anmeldung/);
  });
});
