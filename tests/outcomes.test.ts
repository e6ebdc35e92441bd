// Measured learning over HTTP (real server, Azurite, the Teams stand-in): the outcome report of a
// seeded programme with known starts and ends gives exactly the expected distributions and shares,
// small departments show no breakdown, the CSV has the same numbers, a person sees their own change
// and nobody else's, and people who erase their data drop out of every figure. Then the measuring
// itself through the bot: a mentor's start card, baselines frozen at pairing, the mid-point pulse,
// the closing survey's levels and items, "my progress", and refused submissions storing nothing.
import { RecordedActivity, textOf } from './connector/connector';
import { actionData, BUSINESS_ITEMS, businessAnswers, inputIds, levelAnswers } from './helpers/flows';
import { Cohort, runningProgramme } from './helpers/cohort';
import { Harness, startHarness, TENANT, TestUser, user } from './helpers/harness';
import { EARLIER_ID, OUTCOME_ID, OutcomePeople, seedOutcome } from './helpers/outcomeSeed';
import { runScheduler } from '../bot/checkins/scheduler';
import { pulseAt } from '../bot/domain/outcomes';
import { erasePerson } from '../bot/services/data';
import { key } from '../bot/storage/repository';
import { programmePartition, roundPartition } from '../bot/storage/store';
import type { MyProgress, OutcomeReport } from '../bot/contract/tabApi';

let h: Harness;
let people: OutcomePeople;
const asLocal = (u: TestUser) => ({ headers: { 'x-local-user': u.aadObjectId, 'x-local-tenant': TENANT } });
const get = async (path: string, u: TestUser) => {
  const res = await fetch(h.url + path, asLocal(u));
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
};
const report = async (u: TestUser = people.admin): Promise<OutcomeReport> => (await get(`/api/programmes/${OUTCOME_ID}/outcome`, u)).json();
const csvRows = async (u: TestUser = people.admin) => {
  const text = (await get(`/api/programmes/${OUTCOME_ID}/outcome.csv`, u)).text.replace(/^\uFEFF/, '');
  return text.trim().split('\r\n').slice(1).map((line) => {
    const cells = [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"')).slice(0, 4);
    return { section: cells[0], subject: cells[1], measure: cells[2], value: cells[3] };
  });
};
const cell = (rows: Awaited<ReturnType<typeof csvRows>>, section: string, subject: string, measure: string) =>
  rows.find((r) => r.section === section && r.subject === subject && r.measure === measure)?.value;

describe('the outcome report of a seeded programme (admins, aggregates only)', () => {
  // Its own server (check-in workers of two servers would share the queue).
  beforeAll(async () => {
    h = await startHarness({});
    people = await seedOutcome(h.svc.store);
  });
  afterAll(async () => h?.stop());

  it('mentees per level: the exact start and end distributions over the same people, and the share who moved up', async () => {
    const r = await report();
    expect(r.programme).toMatchObject({ id: OUTCOME_ID, levels: [1, 2] });
    expect(r.people).toEqual({ mentees: 12, mentors: 4 });
    const [l1, l2] = r.levels;
    // Ten mentees have a start and an end; the two who did not answer the survey are not compared.
    expect(l1).toMatchObject({ level: 1, title: 'Platform first steps', people: 10, hidden: false, before: [4, 4, 2, 0], after: [1, 4, 3, 2], movedUp: 7, same: 3, movedDown: 0, movedUpPercent: 70, averageBefore: 0.8, averageAfter: 1.6 });
    expect(l2).toMatchObject({ level: 2, people: 10, before: [6, 3, 1, 0], after: [3, 5, 1, 1], movedUp: 5, movedUpPercent: 50 });
  });

  it('breaks down by department only from three people: Legal (1) and HR (2) are pooled, never shown alone', async () => {
    const [l1, l2] = (await report()).levels;
    expect(l1.departments).toEqual([
      { department: 'Finance', people: 3, movedUp: 2, movedUpPercent: 67 },
      { department: 'Sales', people: 4, movedUp: 3, movedUpPercent: 75 },
      { departments: 2, people: 3, movedUp: 2, movedUpPercent: 67 },
    ]);
    expect(l2.departments.map((d) => d.movedUpPercent)).toEqual([67, 50, 33]);
    const json = JSON.stringify(await report());
    expect(json).not.toMatch(/"Legal"|"HR"/);
  });

  it("mentors' understanding of the business per item; IT (3) and Marketing (1) cannot be split, so no breakdown", async () => {
    const r = await report();
    expect(r.business.map((b) => b.key)).toEqual(BUSINESS_ITEMS);
    const strategy = r.business[0];
    expect(strategy).toMatchObject({ title: "The company's strategy", people: 4, before: [2, 1, 1, 0], after: [0, 2, 1, 1], movedUp: 3, movedUpPercent: 75, departments: [], departmentsHidden: true });
    expect(r.business[1]).toMatchObject({ people: 4, before: [0, 4, 0, 0], after: [0, 4, 0, 0], movedUpPercent: 0 });
  });

  it('sessions held and the response rate per round, the survey, the tutorials most covered', async () => {
    const r = await report();
    expect(r.rounds.map(({ round, asked, answered, rate, sessions, pairs }) => ({ round, asked, answered, rate, sessions, pairs }))).toEqual([
      { round: 1, asked: 8, answered: 5, rate: 63, sessions: 3, pairs: 4 },
      { round: 2, asked: 8, answered: 3, rate: 38, sessions: 2, pairs: 4 },
    ]);
    expect(r.totals).toEqual({ sessions: 5, asked: 16, answered: 8, responseRate: 50 });
    expect(r.survey).toEqual({
      phase: 'end', asked: 16, answered: 14, hidden: false,
      valueOfOneToOne: { answered: 14, counts: [0, 1, 2, 6, 5], average: 4.1 },
      flexibility: { answered: 14, counts: [0, 1, 3, 7, 3], average: 3.9 },
      recommend: { answered: 14, counts: [0, 0, 0, 1, 0, 0, 1, 2, 2, 5, 3], average: 8.1, nps: 43, promoters: 8, passives: 4, detractors: 2 },
    });
    expect(r.pulse).toBeUndefined();
    expect(r.tutorials).toEqual([
      { id: 'l1-profile', title: 'Set up your profile', level: 1, pairs: 2 },
      { id: 'l1-network', title: 'Build your own network', level: 1, pairs: 1 },
      { id: 'l2-communities', title: expect.any(String), level: 2, pairs: 1 },
      { id: 'l2-guidelines', title: expect.any(String), level: 2, pairs: 1 },
    ]);
  });

  it("the company's knowledge map at every programme's start and end, across programmes", async () => {
    const k = (await report()).knowledge;
    expect(k.map((m) => [m.programmeId, m.phase, m.date, m.map.people])).toEqual([
      [EARLIER_ID, 'start', '2025-03-03', 5], [EARLIER_ID, 'end', '2025-07-11', 5],
      [OUTCOME_ID, 'start', '2026-01-12', 16], [OUTCOME_ID, 'end', '2026-07-10', 16],
    ]);
    expect(k.map((m) => m.map.levels[0].confidentPercent)).toEqual([0, 80, 38, 56]);
    expect(k[2].map.levels[0].counts).toEqual([5, 5, 2, 4]);
    expect(k[2].map.departments.map((d) => d.department ?? `pool of ${d.departments}`)).toEqual(['Finance', 'IT', 'Sales', 'pool of 3']);
  });

  it('names no one: no id, no name, no comment, and the same figures in the CSV', async () => {
    const json = JSON.stringify(await report());
    for (const u of [...people.mentees.map((m) => m.u), ...people.mentors.map((m) => m.u)]) {
      expect(json).not.toContain(u.aadObjectId);
      expect(json).not.toContain(u.name);
    }
    expect(json).not.toContain('COMMENT-');
    const r = await report();
    const rows = await csvRows();
    expect(rows.map((x) => JSON.stringify(x)).join('\n')).not.toContain('COMMENT-');
    const l1 = 'Level 1 Platform first steps';
    expect([0, 1, 2, 3].map((i) => Number(cell(rows, 'mentee levels', l1, `start: ${['0 - none', '1 - basic', '2 - confident', '3 - can teach'][i]}`)))).toEqual(r.levels[0].before);
    expect([0, 1, 2, 3].map((i) => Number(cell(rows, 'mentee levels', l1, `end: ${['0 - none', '1 - basic', '2 - confident', '3 - can teach'][i]}`)))).toEqual(r.levels[0].after);
    expect(Number(cell(rows, 'mentee levels', l1, 'moved up (%)'))).toBe(r.levels[0].movedUpPercent);
    expect(Number(cell(rows, 'mentee levels by department', `${l1} / Sales`, 'moved up (%)'))).toBe(75);
    expect(cell(rows, 'mentee levels by department', `${l1} / other departments (2)`, 'people compared')).toBe('3');
    expect(rows.some((x) => /Legal|HR/.test(x.subject))).toBe(false);
    expect(cell(rows, 'mentor business understanding', "The company's strategy", 'by department')).toMatch(/^hidden/);
    expect(Number(cell(rows, 'check-ins', 'round 1 (2026-01-12)', 'response rate (%)'))).toBe(63);
    expect(Number(cell(rows, 'check-ins', 'all rounds', 'sessions held (pairs that met)'))).toBe(5);
    expect(Number(cell(rows, 'closing survey', 'would recommend (0-10)', 'net promoter score'))).toBe(43);
    expect([0, 1, 2, 3, 4].map((i) => Number(cell(rows, 'closing survey', 'value of the 1:1 setting', `${i + 1} of 5`)))).toEqual(r.survey.valueOfOneToOne.counts);
    expect(Number(cell(rows, 'tutorials most covered', 'L1 Set up your profile', 'pairs'))).toBe(2);
    expect(Number(cell(rows, 'knowledge map', 'Digital Leaders 2026 (end, 2026-07-10) level 1', 'confident or better (%)'))).toBe(56);
  });

  it('is for admins only: a participant gets 403 for the report and the CSV', async () => {
    const sal = people.mentees[0].u;
    expect((await get(`/api/programmes/${OUTCOME_ID}/outcome`, sal)).status).toBe(403);
    expect((await get(`/api/programmes/${OUTCOME_ID}/outcome.csv`, sal)).status).toBe(403);
  });

  it('a person sees their own change, and there is no way to ask for anyone else', async () => {
    const sal = people.mentees[0].u;
    const mine: MyProgress = (await get(`/api/me/progress?programme=${OUTCOME_ID}`, sal)).json();
    expect(mine).toMatchObject({ role: 'mentee', measures: 'levels', start: 'recorded', survey: 'answered', sessionsHeld: 2 });
    expect(mine.rows).toEqual([
      { key: '1', title: 'Platform first steps', before: 1, after: 2, change: 1 },
      { key: '2', title: 'Social media and the digital workplace in our company', before: 0, after: 1, change: 1 },
    ]);
    const ian: MyProgress = (await get(`/api/me/progress?programme=${OUTCOME_ID}`, people.mentors[0].u)).json();
    expect(ian).toMatchObject({ role: 'mentor', measures: 'business', start: 'recorded', sessionsHeld: 2 });
    expect(ian.rows[0]).toEqual({ key: 'strategy', title: "The company's strategy", before: 0, after: 2, change: 2 });
    expect(ian.tutorialsCovered.map((t) => t.id)).toEqual(['l1-profile', 'l1-network']);
    // Another mentee's answers are nowhere in it; an id in the query changes nothing.
    const other = (await get(`/api/me/progress?programme=${OUTCOME_ID}&user=${people.mentees[2].u.aadObjectId}`, sal)).json();
    expect(other.rows).toEqual(mine.rows);
    expect((await get(`/api/me/progress?programme=${OUTCOME_ID}`, user('Nobody Here'))).status).toBe(403);
  });

  it('people who erase their data drop out of every figure', async () => {
    const sal = people.mentees[0].u; // Sales, level 1: 1 -> 2, level 2: 0 -> 1
    const ian = people.mentors[0].u; // strategy 0 -> 2
    await erasePerson(h.svc, TENANT, sal.aadObjectId);
    await erasePerson(h.svc, TENANT, ian.aadObjectId);
    const r = await report();
    expect(r.levels[0]).toMatchObject({ people: 9, before: [4, 3, 2, 0], after: [1, 4, 2, 2], movedUp: 6, movedUpPercent: 67 });
    // Sales has three left: still shown.
    expect(r.levels[0].departments[1]).toEqual({ department: 'Sales', people: 3, movedUp: 2, movedUpPercent: 67 });
    // Three mentors other than the viewer: still shown, without Ian.
    expect(r.business[0]).toMatchObject({ people: 3, before: [1, 1, 1, 0], after: [0, 2, 0, 1], movedUp: 2 });
    expect(r.survey).toMatchObject({ asked: 14, answered: 12 });
    expect(r.knowledge[2].map.people).toBe(14);
    const rows = await csvRows();
    expect(Number(cell(rows, 'mentee levels', 'Level 1 Platform first steps', 'people compared'))).toBe(9);
    expect(Number(cell(rows, 'closing survey', 'answers', 'answered'))).toBe(12);
    // What is left of them: anonymous scores without their self-assessment, and no start.
    const stored = (await h.svc.store.feedback.list(programmePartition(TENANT, OUTCOME_ID))).map((f) => f.value).filter((f) => f.userId.startsWith('erased-'));
    expect(stored).toHaveLength(2);
    for (const f of stored) expect(f.levels ?? f.business).toBeUndefined();
    expect(await h.svc.store.baselines.get(programmePartition(TENANT, OUTCOME_ID), key(sal.aadObjectId))).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------

describe('measuring through the bot: start, pulse, end, my progress', () => {
  const admin = user('Ada Measure');
  let c: Cohort;
  let hb: Harness;
  const DAY = 86400000;
  const later = async <T>(at: Date, fn: () => Promise<T>): Promise<T> => {
    const real = hb.svc.now;
    hb.svc.now = () => at;
    try {
      return await fn();
    } finally {
      hb.svc.now = real;
    }
  };
  const baseline = async (u: TestUser) => (await hb.svc.store.baselines.get(programmePartition(TENANT, c.programmeId), key(u.aadObjectId)))?.value;
  const cards = (u: TestUser, verb: string) => hb.connector.sentTo(u.aadObjectId).filter((a) => !!actionData(a, verb));
  /** The bot's answer to a submit (cards the dispatcher sends meanwhile are 'send's, not replies). */
  const answer = (r: RecordedActivity[]) => r.filter((a) => a.kind !== 'send').map(textOf).join('\n');

  beforeAll(async () => {
    hb = await startHarness({ BOT_ADMINS: admin.aadObjectId });
    await hb.say(admin, 'help');
    c = await runningProgramme(hb, admin, { name: 'Measured 2027' });
  });
  afterAll(async () => hb?.stop());

  it("a mentor gets the start card when they join: forged, incomplete and repeated answers store nothing", async () => {
    const [mia, mo] = c.mentors;
    const [card] = cards(mia, 'start.submit');
    expect(card).toBeDefined();
    expect(inputIds(card).sort()).toEqual(BUSINESS_ITEMS.map((id) => `business-${id}`).sort());
    expect(cards(c.mentees[0], 'start.submit')).toHaveLength(0);
    const data = actionData(card, 'start.submit')!;
    // Someone else submits Mia's card.
    let r = await hb.submit(mo, { ...data, ...businessAnswers(2) });
    expect(answer(r)).toMatch(/made for someone else. Nothing was saved/);
    // Mia leaves one out and puts one out of range.
    r = await hb.submit(mia, { ...data, ...businessAnswers([0, 1, 2, 3, 7, 1]), 'business-leadership': '' });
    expect(answer(r)).toMatch(/“The unwritten rules” must be from 0 to 3/);
    expect(answer(r)).toMatch(/Please rate “What leaders deal with”/);
    expect((await baseline(mia))?.business).toBeUndefined();
    r = await hb.submit(mia, { ...data, ...businessAnswers([0, 1, 2, 1, 0, 1]) }, { replyToId: card.activityId });
    expect(textOf(r.find((x) => x.kind === 'update')!)).toMatch(/Saved: your start in Measured 2027/);
    r = await hb.submit(mia, { ...data, ...businessAnswers(3) });
    expect(answer(r)).toMatch(/already rated your start/);
    expect((await baseline(mia))?.business).toEqual({ strategy: 0, decisions: 1, customers: 2, money: 1, 'unwritten-rules': 0, leadership: 1 });
    // A mentee pressing a mentor's card is not a mentor.
    r = await hb.submit(c.mentees[0], { ...data, forUser: c.mentees[0].aadObjectId, ...businessAnswers(1) });
    expect(answer(r)).toMatch(/Only the mentors of Measured 2027/);
  });

  it('approval froze where everyone starts: their self-assessment as it was when paired', async () => {
    for (const u of [...c.mentors, ...c.mentees]) expect((await baseline(u))?.skills).toHaveLength(5);
    expect((await baseline(c.mentees[0]))).toMatchObject({ role: 'mentee', department: 'Sales', skills: [1, 0, 0, 0, 0] });
    // A later profile edit does not move the start.
    const sam = c.mentees[0];
    const [form] = await hb.submit(sam, { verb: 'profile.edit', programmeId: c.programmeId });
    const saved = await hb.submit(sam, {
      ...actionData(form, 'profile.save'), department: 'Sales', seniority: 'director', languages: 'en', timeZone: 'Europe/Berlin', sessionsPerMonth: '2', preferredDays: 'tue',
      skill1: '3', skill2: '3', skill3: '0', skill4: '0', skill5: '0', wantLevels: '1,2', consent: 'true',
    }, { replyToId: form.activityId });
    expect(saved.map(textOf).join()).toMatch(/Your profile in Measured 2027 is updated/);
    expect((await hb.svc.store.participants.get(programmePartition(TENANT, c.programmeId), key(sam.aadObjectId)))!.value.skills).toEqual([3, 3, 0, 0, 0]);
    expect((await baseline(sam))?.skills).toEqual([1, 0, 0, 0, 0]);
  });

  it("'my progress' shows a person their own start, and a mentor without a start gets the card again", async () => {
    const [sam] = c.mentees;
    const replies = await hb.say(sam, 'my progress');
    const text = textOf(replies[0]);
    expect(text).toMatch(/My progress/);
    expect(text).toMatch(/Measured 2027 · Mentee/);
    expect(text).toMatch(/Platform first steps\s+1 - basic → asked at the end/);
    const mo = c.mentors[1];
    const moReplies = await hb.say(mo, 'my progress');
    expect(textOf(moReplies[0])).toMatch(/You have not rated your start yet/);
    expect(moReplies.some((a) => !!actionData(a, 'start.submit'))).toBe(true);
  });

  it('the mid-point pulse: off by default, an admin turns it on, the scheduler sends it once at the midpoint, answers stored once', async () => {
    const [sam] = c.mentees;
    expect(textOf((await hb.say(sam, `programme pulse ${c.programmeName} on`))[0])).toMatch(/is for programme admins/);
    expect(textOf((await hb.say(admin, `programme pulse ${c.programmeName}`))[0])).toMatch(/pulse of Measured 2027 is off/);
    const on = textOf((await hb.say(admin, `programme pulse ${c.programmeName} on`))[0]);
    expect(on).toMatch(/pulse of Measured 2027 is on: both sides of every active pair get one card on \d{4}-\d\d-\d\d/);
    const p = (await hb.svc.store.programmes.get(key(TENANT), key(c.programmeId)))!.value;
    expect(p.pulse).toBe(true);
    // Before the midpoint nothing goes out; after it, once.
    const midpoint = pulseAt(p)!;
    await later(new Date(midpoint.getTime() - 60_000), () => runScheduler(hb.svc));
    expect(cards(sam, 'pulse.submit')).toHaveLength(0);
    await later(new Date(midpoint.getTime() + 60_000), () => runScheduler(hb.svc));
    for (const u of [...c.mentors, ...c.mentees]) await hb.connector.waitFor((a) => a.userId === u.aadObjectId && !!actionData(a, 'pulse.submit'));
    await later(new Date(midpoint.getTime() + DAY), () => runScheduler(hb.svc));
    expect(cards(sam, 'pulse.submit')).toHaveLength(1);
    expect((await hb.svc.store.programmes.get(key(TENANT), key(c.programmeId)))!.value.pulseQueuedAt).toBeTruthy();

    const [card] = cards(sam, 'pulse.submit');
    expect(inputIds(card)).toEqual(['level1', 'level2', 'level3', 'level4', 'valueOfOneToOne', 'flexibility', 'recommend']);
    const data = actionData(card, 'pulse.submit')!;
    let r = await hb.submit(c.mentees[1], { ...data, valueOfOneToOne: '4', flexibility: '4', recommend: '8', ...levelAnswers([1, 2, 3, 4], 1) });
    expect(answer(r)).toMatch(/sent to someone else/);
    r = await hb.submit(sam, { ...data, valueOfOneToOne: '4', flexibility: '4', recommend: '8', ...levelAnswers([1, 2, 3, 4], 1), level4: '' }, { replyToId: card.activityId });
    expect(answer(r)).toMatch(/Please rate “4 Digital workplace collaboration”/);
    r = await hb.submit(sam, { ...data, valueOfOneToOne: '4', flexibility: '4', recommend: '8', ...levelAnswers([1, 2, 3, 4], [2, 1, 0, 0]) }, { replyToId: card.activityId });
    expect(textOf(r.find((x) => x.kind === 'update')!)).toMatch(/mid-point answers for Measured 2027 are saved/);
    r = await hb.submit(sam, { ...data, valueOfOneToOne: '1', flexibility: '1', recommend: '0', ...levelAnswers([1, 2, 3, 4], 0) });
    expect(answer(r)).toMatch(/already answered the mid-point pulse/);
    const stored = (await hb.svc.store.feedback.list(programmePartition(TENANT, c.programmeId))).map((f) => f.value);
    expect(stored).toEqual([expect.objectContaining({ userId: sam.aadObjectId, phase: 'mid', levels: { '1': 2, '2': 1, '3': 0, '4': 0 }, recommend: 8, change: '' })]);
    expect(textOf((await hb.say(admin, `programme pulse ${c.programmeName} off`))[0])).toMatch(/went out on/);
  });

  it('the closing survey asks mentees their levels and mentors the business items; the pulse is then over', async () => {
    const [sam] = c.mentees;
    const [mia] = c.mentors;
    await hb.say(admin, `programme close ${c.programmeName}`);
    const isSurvey = (u: TestUser) => (a: RecordedActivity) => a.userId === u.aadObjectId && !!actionData(a, 'feedback.submit');
    const [samSurvey] = await hb.connector.waitFor(isSurvey(sam));
    const [miaSurvey] = await hb.connector.waitFor(isSurvey(mia));
    expect(inputIds(samSurvey)).toEqual(['level1', 'level2', 'level3', 'level4', 'valueOfOneToOne', 'flexibility', 'recommend', 'change']);
    expect(inputIds(miaSurvey)).toEqual([...BUSINESS_ITEMS.map((id) => `business-${id}`), 'valueOfOneToOne', 'flexibility', 'recommend', 'change']);
    // A pulse answer now is stale.
    const pulse = cards(c.mentees[1], 'pulse.submit')[0];
    const late = await hb.submit(c.mentees[1], { ...actionData(pulse, 'pulse.submit'), valueOfOneToOne: '4', flexibility: '4', recommend: '8', ...levelAnswers([1, 2, 3, 4], 1) });
    expect(answer(late)).toMatch(/mid-point pulse of Measured 2027 is over. Nothing was saved/);
    // Mia answers for her items; Sam for his levels.
    let r = await hb.submit(mia, { ...actionData(miaSurvey, 'feedback.submit'), valueOfOneToOne: '5', flexibility: '4', recommend: '10', ...businessAnswers([2, 2, 3, 1, 2, 2]) }, { replyToId: miaSurvey.activityId });
    expect(textOf(r.find((x) => x.kind === 'update')!)).toMatch(/The company's strategy\s+2 - well/);
    r = await hb.submit(sam, { ...actionData(samSurvey, 'feedback.submit'), valueOfOneToOne: '5', flexibility: '5', recommend: '9', ...levelAnswers([1, 2, 3, 4], [3, 2, 1, 0]) }, { replyToId: samSurvey.activityId });
    expect(textOf(r.find((x) => x.kind === 'update')!)).toMatch(/Thank you for your feedback on Measured 2027/);
    // Their own change, start -> mid-point -> end.
    expect(textOf((await hb.say(sam, 'my progress'))[0])).toMatch(/Platform first steps\s+1 - basic → 2 - confident \(mid-point\) → 3 - can teach/);
    expect(textOf((await hb.say(mia, 'my progress'))[0])).toMatch(/The company's strategy\s+0 - not at all → 2 - well/);
    // In German, for a German reader.
    expect(textOf((await hb.say(sam, 'my progress', { locale: 'de-DE' }))[0])).toMatch(/Mein Fortschritt[\s\S]*1 - Grundlagen → 2 - sicher \(Zwischenstand\) → 3 - kann es vermitteln/);
    // The survey's dispatch record is in round 0, the pulse's in its own round.
    expect(await hb.svc.store.checkins.get(roundPartition(TENANT, c.programmeId, 0), key(sam.aadObjectId))).toBeDefined();
  });
});
