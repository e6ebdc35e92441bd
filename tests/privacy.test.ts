// Who sees what (SECURITY.md, "Who sees what"), walked as a table: a programme run through the
// bot like people would (check-ins answered and a closing survey with marked words), then every
// bot card each person received or could ask for and every tab API route, for every role. For
// each piece of data and each role relative to its owner, the test asserts it is seen exactly
// where the table says, and nowhere else.
import { RecordedActivity } from './connector/connector';
import { actionData, businessAnswers, levelAnswers } from './helpers/flows';
import { Cohort, people, runningProgramme } from './helpers/cohort';
import { entraUser, GraphStandIn, startGraph } from './helpers/graph';
import { Harness, OTHER_TENANT, startHarness, TENANT, TestUser, upnOf, user } from './helpers/harness';
import { startSso, SsoStandIn } from './helpers/sso';
import { COMMANDS } from '../bot/handlers/commands';
import { catalogueVersion } from '../bot/domain/ladder';
import { LOCALES } from '../bot/domain/types';
import { programmePartition } from '../bot/storage/store';
import { participantFixture } from './helpers/tabSeed';

/** Roles relative to the person the data is about. */
type Role = 'self' | 'partner' | 'otherParticipant' | 'admin' | 'tenantMember' | 'otherTenant';
const ROLES: Role[] = ['self', 'partner', 'otherParticipant', 'admin', 'tenantMember', 'otherTenant'];

/** The table of SECURITY.md, for the data this test can mark. */
const WHO_SEES: Record<string, { about: 'mentee' | 'mentor' | 'anyone'; roles: Role[] }> = {
  // What a mentee wrote they learned: the pair's shared work, for their mentor too.
  'learned (mentee)': { about: 'mentee', roles: ['self', 'partner'] },
  // What a mentor wrote they learned about the business: theirs.
  'learned (mentor)': { about: 'mentor', roles: ['self'] },
  blockers: { about: 'anyone', roles: ['self'] },
  'survey comment': { about: 'anyone', roles: ['self'] },
  'sign-in name (UPN)': { about: 'anyone', roles: ['self'] },
  // Names: who mentors whom is known to the pair and to the admins who approved it.
  name: { about: 'anyone', roles: ['self', 'partner', 'admin'] },
  // From Entra ID: the person's own (profile, my data).
  'job title': { about: 'anyone', roles: ['self'] },
  office: { about: 'anyone', roles: ['self'] },
  // The managers above a person: their own data; others see matching reasons, never the ids.
  'manager (id)': { about: 'anyone', roles: ['self'] },
  // The sessions a mentee booked (times, the Teams meeting's link): the pair's own.
  'session series (join link)': { about: 'mentee', roles: ['self', 'partner'] },
};

const ACTING = new Set(['pause', 'leave', 'programmeOpen', 'programmeClose', 'pair', 'unpair', 'enrol', 'remind', 'checkinsSend']);

describe('who sees what (SECURITY.md), every bot card and every API route, for every role', () => {
  let h: Harness;
  let sso: SsoStandIn;
  let graph: GraphStandIn;
  let c: Cohort;
  const admin = user('Ada Admin');
  /** Each person's manager in Entra ID: nobody else in the programme (mentors one level lower, under a second manager). */
  const managers = new Map<TestUser, TestUser>();
  const outsider = user('Olga Outsider');
  const foreign = user('Fay Foreign', OTHER_TENANT);
  /** mentee -> mentor of the two pairs. */
  let pairs: Array<{ mentor: TestUser; mentee: TestUser }>;
  const first = (u: TestUser) => u.name.split(' ')[0];
  const marker = (what: 'LEARNED' | 'BLOCKER' | 'COMMENT' | 'JOB' | 'OFFICE' | 'JOIN', u: TestUser) => `${what}-${first(u)}-x7`;

  beforeAll(async () => {
    sso = await startSso();
    // The directory knows everyone, with a marked job title and office and a manager of their own.
    const cast = people();
    const directory = [];
    for (const { u, a } of [...cast.mentors, ...cast.mentees]) {
      const boss = user(`Boss ${first(u)}`);
      managers.set(u, boss);
      const top = a.role === 'mentor' ? user(`Top ${first(u)}`) : undefined;
      directory.push(
        entraUser(u, { department: a.department, jobTitle: marker('JOB', u), officeLocation: marker('OFFICE', u), manager: boss }),
        entraUser(boss, top ? { manager: top } : {}),
        ...(top ? [entraUser(top)] : []),
      );
    }
    graph = await startGraph({ users: directory, groups: [] });
    h = await startHarness({ TAB_APP_ID: sso.appId, TAB_JWKS_URL: sso.jwksUrl, BOT_ADMINS: admin.aadObjectId, GRAPH_BASE_URL: graph.url });
    c = await runningProgramme(h, admin, { cast });
    const stored = (await h.svc.store.pairs.list(programmePartition(TENANT, c.programmeId), "status eq 'active'")).map((r) => r.value);
    const all = [...c.mentors, ...c.mentees];
    const find = (id: string) => all.find((u) => u.aadObjectId === id)!;
    pairs = stored.map((p) => ({ mentor: find(p.mentorId), mentee: find(p.menteeId) }));
    await h.say(outsider, 'help');
    await h.say(foreign, 'help');
    // Each mentee booked their sessions (the row as services/sessions.ts writes it), with a marked join link.
    const now = new Date().toISOString();
    for (const p of stored) {
      const mentee = find(p.menteeId);
      await h.svc.store.sessions.create({
        tenantId: TENANT, programmeId: c.programmeId, pairId: p.id, organizerId: p.menteeId, attendeeId: p.mentorId, status: 'booked', bookingId: `b-${p.menteeId}`,
        claimedAt: now, minutes: 60, timeZone: 'Europe/Berlin', intervalWeeks: 1, until: '2027-06-30', firstStart: new Date(Date.now() + 86400_000).toISOString(), exceptions: [],
        createdAt: now, updatedAt: now, eventId: `ev-${p.menteeId}`, iCalUId: `ical-${p.menteeId}`, joinUrl: `https://teams.microsoft.com/l/meetup-join/${marker('JOIN', mentee)}`,
      });
    }

    // A check-in round, every card answered with marked words.
    await h.say(admin, 'checkins send');
    const isCard = (u: TestUser) => (a: RecordedActivity) => a.userId === u.aadObjectId && !!actionData(a, 'checkin.submit');
    for (const u of all) {
      const [card] = await h.connector.waitFor(isCard(u));
      await h.submit(u, { ...actionData(card, 'checkin.submit'), met: 'yes', tutorials: 'l1-profile', learned: marker('LEARNED', u), rating: '4', blockers: marker('BLOCKER', u), nextSession: '2027-02-01' }, { replyToId: card.activityId });
    }
    // The programme closes: everyone answers the survey with a marked comment.
    await h.say(admin, `programme close ${c.programmeName}`);
    const isSurvey = (u: TestUser) => (a: RecordedActivity) => a.userId === u.aadObjectId && !!actionData(a, 'feedback.submit');
    for (const u of all) {
      const [survey] = await h.connector.waitFor(isSurvey(u));
      // Each person's own ratings: 3 for the first of each side, 2 for the second.
      const mine = [...c.mentees, ...c.mentors].indexOf(u) % 2 ? 2 : 3;
      const ratings = c.mentees.includes(u) ? levelAnswers([1, 2, 3, 4], mine) : businessAnswers(mine);
      await h.submit(u, { ...actionData(survey, 'feedback.submit'), valueOfOneToOne: '4', flexibility: '4', recommend: '9', ...ratings, change: marker('COMMENT', u) }, { replyToId: survey.activityId });
    }
  });
  afterAll(async () => {
    await h?.stop();
    await sso?.stop();
    await graph?.stop();
  });

  /** Everything a person can see: every card the bot sent them, every command's answer, every API route's. */
  async function everythingSeenBy(u: TestUser): Promise<string> {
    const parts: string[] = [];
    // Every command that only shows something, as typed (admin commands answer "for admins" to
    // others). The ones that act (pause, leave, open, close, pair, send, remind) are not typed here:
    // what they send (proposals, check-ins, surveys, notices) is among the cards received below.
    for (const cmd of COMMANDS.filter((x) => !ACTING.has(x.id))) {
      const replies = await h.say(u, cmd.words);
      parts.push(...replies.map((r) => JSON.stringify(r.activity)));
    }
    // Every proactive card and reply the person received through the whole programme.
    parts.push(...h.connector.sentTo(u.aadObjectId).map((a) => JSON.stringify(a.activity)));
    // Every API route, for every id it could be asked about.
    const token = await sso.token({ tenantId: u.tenantId, userId: u.aadObjectId, name: u.name });
    const ids = [...c.mentors, ...c.mentees].map((x) => x.aadObjectId);
    const routes = [
      '/api/me', `/api/me/ladder?programme=${c.programmeId}`, `/api/me/sessions?programme=${c.programmeId}`, '/api/me/data', '/api/programmes', `/api/programmes/${c.programmeId}`,
      `/api/programmes/${c.programmeId}/knowledge-map`, `/api/programmes/${c.programmeId}/dashboard`, `/api/programmes/${c.programmeId}/export.csv`,
      `/api/me/progress?programme=${c.programmeId}`, `/api/programmes/${c.programmeId}/outcome`, `/api/programmes/${c.programmeId}/outcome.csv`,
      ...ids.map((id) => `/api/mentees/${id}/ladder?programme=${c.programmeId}`),
      // The same for everyone: nobody's words in it.
      ...LOCALES.map((l) => `/api/catalogue/${catalogueVersion()}/${l}`),
    ];
    for (const r of routes) {
      const res = await fetch(h.url + r, { headers: { authorization: `Bearer ${token}` } });
      parts.push(await res.text());
    }
    return parts.join('\n');
  }

  /** The person in `role` relative to `owner`. */
  function inRole(owner: TestUser, role: Role): TestUser {
    const pair = pairs.find((p) => p.mentor === owner || p.mentee === owner)!;
    const other = pairs.find((p) => p !== pair)!;
    switch (role) {
      case 'self': return owner;
      case 'partner': return pair.mentor === owner ? pair.mentee : pair.mentor;
      case 'otherParticipant': return pair.mentor === owner ? other.mentor : other.mentee;
      case 'admin': return admin;
      case 'tenantMember': return outsider;
      case 'otherTenant': return foreign;
    }
  }

  function valueOf(what: string, owner: TestUser): string {
    switch (what) {
      case 'learned (mentee)':
      case 'learned (mentor)': return marker('LEARNED', owner);
      case 'blockers': return marker('BLOCKER', owner);
      case 'survey comment': return marker('COMMENT', owner);
      case 'sign-in name (UPN)': return upnOf(owner);
      case 'name': return owner.name;
      case 'job title': return marker('JOB', owner);
      case 'office': return marker('OFFICE', owner);
      case 'manager (id)': return managers.get(owner)!.aadObjectId;
      case 'session series (join link)': return marker('JOIN', owner);
      default: throw new Error(what);
    }
  }

  it('each piece of data is seen exactly by the roles the table names', async () => {
    const seen = new Map<TestUser, string>();
    for (const u of [admin, outsider, foreign, ...c.mentors, ...c.mentees]) seen.set(u, await everythingSeenBy(u));
    const wrong: string[] = [];
    for (const [what, rule] of Object.entries(WHO_SEES)) {
      const owners = rule.about === 'mentee' ? c.mentees : rule.about === 'mentor' ? c.mentors : [...c.mentors, ...c.mentees];
      for (const owner of owners) {
        for (const role of ROLES) {
          const viewer = inRole(owner, role);
          const visible = seen.get(viewer)!.includes(valueOf(what, owner));
          if (visible !== rule.roles.includes(role)) wrong.push(`${what} of ${owner.name}: ${role} (${viewer.name}) ${visible ? 'sees it' : 'does not see it'}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("self-assessments and business ratings: each person sees their own; admins only aggregates, hidden below three people", async () => {
    const as = async (u: TestUser, p: string) => {
      const token = await sso.token({ tenantId: u.tenantId, userId: u.aadObjectId, name: u.name });
      return fetch(h.url + p, { headers: { authorization: `Bearer ${token}` } });
    };
    const everyone = [...c.mentees, ...c.mentors];
    for (const [i, u] of everyone.entries()) {
      const mine = await (await as(u, `/api/me/progress?programme=${c.programmeId}`)).json();
      expect(mine.role).toBe(c.mentees.includes(u) ? 'mentee' : 'mentor');
      expect(mine.rows.map((r: { after: number }) => r.after)).toEqual(mine.rows.map(() => (i % 2 ? 2 : 3)));
      for (const other of everyone.filter((x) => x !== u)) expect(JSON.stringify(mine)).not.toContain(other.aadObjectId);
      // Nobody else's change, and no admin view of it.
      expect((await as(u, `/api/programmes/${c.programmeId}/outcome`)).status).toBe(403);
    }
    expect((await as(outsider, `/api/me/progress?programme=${c.programmeId}`)).status).toBe(403);
    expect((await as(foreign, `/api/me/progress?programme=${c.programmeId}`)).status).toBe(404);
    // Two mentees and two mentors: every per-level and per-item figure is hidden, with no numbers;
    // the survey, answered by all four, shows its distributions.
    const report = await (await as(admin, `/api/programmes/${c.programmeId}/outcome`)).json();
    for (const o of [...report.levels, ...report.business]) expect(o).toMatchObject({ hidden: true, before: [0, 0, 0, 0], after: [0, 0, 0, 0], movedUpPercent: null, departments: [] });
    expect(report.survey).toMatchObject({ hidden: false, answered: 4, valueOfOneToOne: { counts: [0, 0, 0, 4, 0] }, recommend: { nps: 100 } });
    const json = JSON.stringify(report);
    for (const u of everyone) expect(json).not.toContain(u.aadObjectId);
    const csv = await (await as(admin, `/api/programmes/${c.programmeId}/outcome.csv`)).text();
    expect(csv).toMatch(/before and after,hidden: fewer than 3 people other than you/);
  });

  it('admins get counts, rates and flags: no rating, learned or comment field in any admin view', async () => {
    const token = await sso.token({ tenantId: TENANT, userId: admin.aadObjectId, name: admin.name });
    const get = async (p: string) => (await fetch(h.url + p, { headers: { authorization: `Bearer ${token}` } })).json();
    const dash = await get(`/api/programmes/${c.programmeId}/dashboard`);
    expect(dash.pairs.length).toBe(2);
    for (const p of dash.pairs) expect(Object.keys(p)).not.toContain('averageRating');
    for (const m of c.mentees) {
      const ladder = await get(`/api/mentees/${m.aadObjectId}/ladder?programme=${c.programmeId}`);
      expect(ladder.history.length).toBeGreaterThan(0);
      for (const e of ladder.history) expect(Object.keys(e).sort()).toEqual(['answeredAt', 'met', 'round', 'tutorials']);
      expect(ladder.nextSession).toBeUndefined();
      expect(ladder.canEdit).toBe(false);
    }
  });
});

describe('aggregates count the people other than the viewer', () => {
  let h: Harness;
  let sso: SsoStandIn;
  const PROGRAMME = 'threshold-1';
  const sales = [user('Sal One'), user('Sal Two'), user('Sal Three')];
  const it1 = [user('Ita One'), user('Ita Two'), user('Ita Three')];
  const admin = user('Ann Admin');

  beforeAll(async () => {
    sso = await startSso();
    h = await startHarness({ TAB_APP_ID: sso.appId, TAB_JWKS_URL: sso.jwksUrl });
    const { programmeFixture } = await import('./helpers/tabSeed');
    await h.svc.store.programmes.upsert(programmeFixture(PROGRAMME, { name: 'Threshold' }));
    await h.svc.store.admins.upsert({ tenantId: TENANT, userId: admin.aadObjectId, name: admin.name, addedBy: 'seed', addedAt: new Date().toISOString(), source: 'command' });
    for (const u of sales) await h.svc.store.participants.upsert(participantFixture(PROGRAMME, u.aadObjectId, 'mentee', { name: u.name, department: 'Sales', skills: [2, 1, 0, 0, 0] }));
    for (const u of it1) await h.svc.store.participants.upsert(participantFixture(PROGRAMME, u.aadObjectId, 'mentor', { name: u.name, department: 'IT' }));
  });
  afterAll(async () => {
    await h?.stop();
    await sso?.stop();
  });

  const map = async (u: TestUser) => {
    const token = await sso.token({ tenantId: TENANT, userId: u.aadObjectId, name: u.name });
    return (await fetch(`${h.url}/api/programmes/${PROGRAMME}/knowledge-map`, { headers: { authorization: `Bearer ${token}` } })).json();
  };
  const salesCell = (m: { cells: Array<{ department: string; level: number; hidden: boolean; counts?: number[] }> }) => m.cells.find((x) => x.department === 'Sales' && x.level === 1)!;

  it('a member of a 3-person department sees no breakdown of it (the other two would be known); the admin does', async () => {
    const mine = salesCell(await map(sales[0]));
    expect(mine.hidden).toBe(true);
    expect(mine.counts).toBeUndefined();
    const admins = salesCell(await map(admin));
    expect(admins).toMatchObject({ hidden: false, counts: [0, 0, 3, 0] });
    // Where mentors are scarce: three mentors and three mentees other than the admin.
    expect((await map(admin)).supply.every((s: { hidden: boolean }) => !s.hidden)).toBe(true);
    // A mentor counts two other mentors: too few to say what mentors can teach.
    expect((await map(it1[0])).supply.every((s: { hidden: boolean }) => s.hidden)).toBe(true);
  });

  it('with a fourth colleague, the member sees it too', async () => {
    const fourth = user('Sal Four');
    await h.svc.store.participants.upsert(participantFixture(PROGRAMME, fourth.aadObjectId, 'mentee', { name: fourth.name, department: 'Sales', skills: [2, 1, 0, 0, 0] }));
    expect(salesCell(await map(sales[0]))).toMatchObject({ hidden: false, counts: [0, 0, 4, 0] });
  });

  it('someone in the tenant but not in the programme gets no map at all', async () => {
    const token = await sso.token({ tenantId: TENANT, userId: user('Nora Nobody').aadObjectId });
    const res = await fetch(`${h.url}/api/programmes/${PROGRAMME}/knowledge-map`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
  });
});
