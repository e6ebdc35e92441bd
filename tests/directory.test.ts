// The Microsoft 365 directory over HTTP: the real server against Azurite, the Bot Connector
// stand-in and the Graph stand-in (bot/dev/graphStandIn.ts, with fault injection). Profiles
// prefilled from Entra ID and its department kept over a forged one, no pair within one
// management chain, group enrolment of a nested, paged group exactly once, admins from an Entra
// group, 429's Retry-After waited out, Graph down.
import { cardOf, RecordedActivity, textOf } from './connector/connector';
import { actionData, createProgramme, inputIds, join, ProfileAnswers } from './helpers/flows';
import { entraUser, GraphStandIn, lookUpsOf, startGraph } from './helpers/graph';
import { Harness, startHarness, TENANT, TestUser, user } from './helpers/harness';
import { key } from '../bot/storage/repository';
import { programmePartition } from '../bot/storage/store';
import type { Participant, Pair } from '../bot/domain/types';

/** What the bot said to `u` (typing indicators left out: a slow directory makes teams-ai send them). */
const to = (u: TestUser, replies: RecordedActivity[]) => replies.filter((r) => r.activity.type === 'message' && r.userId === u.aadObjectId);
const say = async (h: Harness, u: TestUser, text: string, opts?: Parameters<Harness['say']>[2]) => to(u, await h.say(u, text, opts));

const row = async (h: Harness, programmeId: string, u: TestUser): Promise<Participant | undefined> =>
  (await h.svc.store.participants.get(programmePartition(TENANT, programmeId), key(u.aadObjectId)))?.value;

/** The value an input of a card starts with. */
function inputValue(a: RecordedActivity, id: string): string | undefined {
  let found: string | undefined;
  const walk = (n: any) => {
    if (!n || typeof n !== 'object' || found !== undefined) return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (n.id === id && typeof n.type === 'string' && n.type.startsWith('Input.')) found = String(n.value ?? '');
    Object.values(n).forEach(walk);
  };
  walk(cardOf(a));
  return found;
}

const mentorAnswers = (over: Partial<ProfileAnswers> = {}): ProfileAnswers => ({ role: 'mentor', department: 'typed', seniority: 'apprentice', skills: [3, 3, 3, 3, 3], ...over });
const menteeAnswers = (over: Partial<ProfileAnswers> = {}): ProfileAnswers => ({ role: 'mentee', department: 'typed', seniority: 'director', skills: [0, 0, 0, 0, 0], wantLevels: [1, 2], ...over });

describe('profiles from Entra ID', () => {
  const admin = user('Ada Admin');
  const ceo = user('Cleo Chief');
  const dana = user('Dana Directory');
  const nia = user('Nia Newbie');
  const gus = user('Gus Graphless');
  const ria = user('Ria Retry');
  let graph: GraphStandIn;
  let h: Harness;
  let programmeId: string;

  beforeAll(async () => {
    graph = await startGraph({
      users: [
        entraUser(admin, { department: 'HR' }),
        entraUser(ceo, { department: 'Executive Board', jobTitle: 'CEO' }),
        entraUser(dana, { department: 'Vertrieb', jobTitle: 'Vertriebsleiterin', officeLocation: 'München', preferredLanguage: 'de-DE', manager: ceo }),
        // In Entra, but with no department and no mailbox: what she types counts.
        entraUser(nia, { mailboxTimeZone: undefined }),
        entraUser(gus, { department: 'Finance', jobTitle: 'Controller', manager: ceo }),
        entraUser(ria, { department: 'Legal', manager: ceo }),
      ],
      groups: [],
    });
    h = await startHarness({ BOT_ADMINS: admin.aadObjectId, GRAPH_BASE_URL: graph.url });
    programmeId = await createProgramme(h, admin);
    await h.say(admin, 'programme open');
  });
  afterAll(async () => {
    await h.stop();
    await graph.stop();
  });

  it('join: the form shows what Entra ID says (department, job title, office, language, time zone) instead of asking', async () => {
    const [form] = await say(h, dana, 'join');
    const text = textOf(form);
    for (const shown of ['Vertrieb', 'Vertriebsleiterin', 'München', 'de-DE', 'Europe/Berlin']) expect(text).toContain(shown);
    expect(inputIds(form)).not.toContain('department');
    expect(inputIds(form)).not.toContain('timeZone');
    expect(inputValue(form, 'languages')?.split(',')).toContain('de');
    // The look-up asked for department explicitly (not a default property) in one request.
    expect(lookUpsOf(graph, dana).map((r) => r.url)).toEqual([expect.stringMatching(/\$select=[^&]*department/)]);
  });

  it('the server keeps Entra\'s department and time zone over forged ones in the submitted card', async () => {
    const replies = await join(h, dana, menteeAnswers({ department: 'Finance', timeZone: 'Asia/Tokyo' }));
    const saved = textOf(replies[replies.length - 1]);
    expect(saved).toMatch(/Welcome to Digital Leaders 2027/);
    expect(saved).toContain('Vertrieb');
    expect(saved).toContain('Vertriebsleiterin');
    expect(saved).toMatch(/come from Entra ID/);
    expect(saved).not.toContain('Finance');
    const stored = await row(h, programmeId, dana);
    expect(stored).toMatchObject({ department: 'Vertrieb', timeZone: 'Europe/Berlin', directory: { department: 'Vertrieb', managers: [ceo.aadObjectId] } });
  });

  it('where the directory has nothing, the person types it and that counts', async () => {
    const [form] = await say(h, nia, 'join');
    expect(inputIds(form)).toEqual(expect.arrayContaining(['department', 'timeZone']));
    await join(h, nia, mentorAnswers({ department: 'Logistics', timeZone: 'Europe/Amsterdam' }));
    expect(await row(h, programmeId, nia)).toMatchObject({ department: 'Logistics', timeZone: 'Europe/Amsterdam', directory: { managers: [] } });
  });

  it('"profile" reads the directory again: a move to another department counts at once', async () => {
    graph.users.get(dana.aadObjectId)!.department = 'Marketing';
    const [card] = await say(h, dana, 'profile');
    expect(textOf(card)).toContain('Department\nMarketing');
    expect(textOf(card)).not.toContain('Department\nVertrieb');
    expect((await row(h, programmeId, dana))?.department).toBe('Marketing');
  });

  it('429: the directory\'s Retry-After is waited out before the look-up is tried again', async () => {
    graph.fail(1, { status: 429, retryAfter: 1, match: new RegExp(ria.aadObjectId) });
    const [form] = await say(h, ria, 'join');
    expect(textOf(form)).toContain('Legal');
    const [throttled, retried] = lookUpsOf(graph, ria);
    expect(throttled.status).toBe(429);
    expect(retried.status).toBe(200);
    expect(retried.at - throttled.at).toBeGreaterThanOrEqual(990);
  });

  it('Graph down: joining works with what the person types and a clear note; nothing half-written; the next refresh fills in', async () => {
    graph.down = true;
    try {
      const [form] = await say(h, gus, 'join');
      expect(textOf(form)).toMatch(/company directory \(Entra ID\) cannot be reached/);
      expect(inputIds(form)).toEqual(expect.arrayContaining(['department', 'timeZone']));
      const replies = to(gus, await join(h, gus, mentorAnswers({ department: 'Accounting', timeZone: 'Europe/London' })));
      // (A new mentor also gets the start card: the saved profile is among the answers.)
      expect(replies.map(textOf).join('\n')).toMatch(/Welcome to Digital Leaders 2027[\s\S]*directory could not be reached: what you typed is saved/);
      const stored = await row(h, programmeId, gus);
      expect(stored).toMatchObject({ status: 'active', department: 'Accounting', timeZone: 'Europe/London' });
      expect(stored?.directory).toBeUndefined();
    } finally {
      graph.down = false;
    }
    // The refresh before the next pairing run puts Entra's values in.
    await h.say(admin, 'pair');
    expect(await row(h, programmeId, gus)).toMatchObject({ department: 'Finance', timeZone: 'Europe/Berlin', directory: { jobTitle: 'Controller', managers: [ceo.aadObjectId] } });
  });
});

describe('reporting lines: never a pair within one management chain', () => {
  const admin = user('Ada Admin');
  const ceo = user('Cleo Chief');
  const cio = user('Carl CIO');
  const lead = user('Lee Lead');
  const bo = user('Bo Boss'); // the mentee, Sales director under the CEO
  const ines = user('Ines Intern'); // two levels under Bo (a matrix department), the best-scoring mentor
  const otto = user('Otto Outside'); // in IT under the CIO: fits, scores less
  let graph: GraphStandIn;
  let h: Harness;
  let programmeId: string;
  const pk = () => programmePartition(TENANT, programmeId);
  const proposed = async () => (await h.svc.store.pairs.list(pk())).map((r) => r.value as Pair).filter((p) => p.status === 'proposed');

  beforeAll(async () => {
    graph = await startGraph({
      users: [
        entraUser(admin, { department: 'HR' }),
        entraUser(ceo, { department: 'Executive Board' }),
        entraUser(cio, { department: 'IT', manager: ceo }),
        entraUser(lead, { department: 'Sales', manager: bo }),
        entraUser(bo, { department: 'Sales', jobTitle: 'Sales Director', manager: ceo }),
        entraUser(ines, { department: 'Digital Sales', jobTitle: 'Apprentice', manager: lead }),
        entraUser(otto, { department: 'IT', jobTitle: 'Apprentice', manager: cio }),
      ],
      groups: [],
    });
    h = await startHarness({ BOT_ADMINS: admin.aadObjectId, GRAPH_BASE_URL: graph.url });
    programmeId = await createProgramme(h, admin, { maxMenteesPerMentor: '1' });
    await h.say(admin, 'programme open');
    await join(h, bo, menteeAnswers({ languages: 'de,en', preferredDays: 'tue,thu' }));
    await join(h, ines, mentorAnswers({ languages: 'de,en', preferredDays: 'tue,thu' }));
    await join(h, otto, mentorAnswers({ languages: 'fr', preferredDays: 'fri', skills: [2, 2, 2, 2, 2] }));
  });
  afterAll(async () => {
    await h.stop();
    await graph.stop();
  });

  it('pairs the mentee with the mentor outside the chain, although the one inside it would score best, and says why', async () => {
    const [card] = await say(h, admin, 'pair');
    const text = textOf(card);
    expect(text).toContain('Otto Outside → Bo Boss');
    expect(text).not.toContain('Ines Intern → Bo Boss');
    expect(text).toMatch(/Ines Intern \(Mentor\): every mentee who fits is in the mentor's reporting line/);
    expect((await proposed()).map((p) => [p.mentorId, p.menteeId])).toEqual([[otto.aadObjectId, bo.aadObjectId]]);
  });

  it('a pair by hand inside the chain is refused, naming the rule', async () => {
    const [answer] = await say(h, admin, 'pair @Ines Intern @Bo Boss', { mentions: [ines, bo] });
    expect(textOf(answer)).toMatch(/in the mentee's reporting line/);
    expect(await h.svc.store.pairs.get(pk(), key(`${ines.aadObjectId}|${bo.aadObjectId}`))).toBeUndefined();
  });

  it('a new manager counts at the next run (the directory is read before pairing, throttling waited out)', async () => {
    graph.users.get(otto.aadObjectId)!.managerId = lead.aadObjectId; // Otto moves under Bo's team lead
    graph.fail(2, { status: 429, retryAfter: 1, scope: 'sub' });
    const [card] = await say(h, admin, 'pair');
    expect(textOf(card)).toMatch(/Bo Boss \(Mentee\): every mentor who fits is in the mentee's reporting line/);
    expect(await proposed()).toEqual([]);
    const stored = (await h.svc.store.participants.get(pk(), key(otto.aadObjectId)))!.value;
    expect(stored.directory?.managers).toEqual([lead.aadObjectId, bo.aadObjectId, ceo.aadObjectId]);
    // The throttled sub-requests went again only after Retry-After.
    const throttled = graph.log.filter((r) => r.inBatch && r.status === 429);
    expect(throttled).toHaveLength(2);
    const retry = graph.log.find((r) => r.inBatch && r.status === 200 && r.url === throttled[0].url && r.at > throttled[0].at);
    expect(retry!.at - throttled[0].at).toBeGreaterThanOrEqual(990);
  });

  it('an admin can switch the rule off for the programme (and on again)', async () => {
    const [off] = await say(h, admin, 'reporting lines off');
    expect(textOf(off)).toMatch(/may now be paired/);
    const [card] = await say(h, admin, 'pair');
    expect(textOf(card)).toContain('Ines Intern → Bo Boss');
    const [on] = await say(h, admin, 'reporting lines on');
    expect(textOf(on)).toMatch(/nobody is paired within one reporting line/);
    const [again] = await say(h, admin, 'pair');
    expect(textOf(again)).not.toContain('→ Bo Boss');
  });
});

describe('Entra groups: enrolment and admins', () => {
  const admin = user('Ada Admin'); // an admin only through the (nested) Entra admin group
  const stranger = user('Stan Stranger');
  const members = ['Una', 'Vic', 'Wim', 'Xia', 'Yan', 'Zoe'].map((n) => user(`${n} Member`));
  const ids = {
    champions: '6c000000-0000-4000-8000-0000000000a1',
    berlin: '6c000000-0000-4000-8000-0000000000a2',
    interns: '6c000000-0000-4000-8000-0000000000a3',
    admins: '6c000000-0000-4000-8000-0000000000a4',
    adminsCore: '6c000000-0000-4000-8000-0000000000a5',
  };
  let graph: GraphStandIn;
  let h: Harness;
  let programmeId: string;
  const [una, vic, wim, xia, yan, zoe] = members;
  /** What a person got: nomination notes and profile forms. */
  const cardsTo = (u: TestUser) => h.connector.activities.filter((a) => a.userId === u.aadObjectId);
  const forms = (u: TestUser) => cardsTo(u).filter((a) => actionData(a, 'profile.save'));
  const notes = (u: TestUser) => cardsTo(u).filter((a) => /You are nominated for/.test(textOf(a)));

  beforeAll(async () => {
    graph = await startGraph(
      {
        users: [entraUser(admin, { department: 'HR' }), entraUser(stranger), ...members.map((m, k) => entraUser(m, { department: k % 2 ? 'Sales' : 'Finance' }))],
        groups: [
          // Six people over three nested groups; Una is in two of them. Pages of 2 (Graph pages too).
          { id: ids.champions, displayName: 'Digital Champions', members: [una.aadObjectId, vic.aadObjectId, ids.berlin] },
          { id: ids.berlin, displayName: 'Champions Berlin', members: [wim.aadObjectId, una.aadObjectId, ids.interns] },
          { id: ids.interns, displayName: 'Champions Interns', members: [xia.aadObjectId, yan.aadObjectId, zoe.aadObjectId] },
          { id: ids.admins, displayName: 'Programme Admins', members: [ids.adminsCore] },
          { id: ids.adminsCore, displayName: 'Programme Admins Core', members: [admin.aadObjectId] },
        ],
      },
      2,
    );
    h = await startHarness({ GRAPH_BASE_URL: graph.url, BOT_ADMIN_GROUP: ids.admins, SEND_RATE_PER_SECOND: '5' });
  });
  afterAll(async () => {
    await h.stop();
    await graph.stop();
  });

  it('BOT_ADMIN_GROUP: a member of the Entra group (through a nested group) runs admin commands; others are refused', async () => {
    programmeId = await createProgramme(h, admin, { enrolment: 'nominated' });
    const [refused] = await say(h, stranger, 'programme new');
    expect(textOf(refused)).toMatch(/"programme new" is for programme admins/);
    await h.say(admin, 'programme open');
  });

  /** The summary that follows a group enrolment in the admin's chat, once its cards are out. */
  const summaryAfter = async (since: number) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const done = h.connector.activities.find((a) => a.at >= since && a.userId === admin.aadObjectId && /people newly nominated as/.test(textOf(a)));
      if (done) return done;
      if (Date.now() > deadline) throw new Error('no summary of the group enrolment');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('enrol group: every member of a nested, paged group is nominated and gets the card once, prefilled from Entra ID, at the shared send rate', async () => {
    const since = Date.now();
    const [answer] = await say(h, admin, 'enrol group Digital Champions as mentor');
    // The admin is answered at once; the cards follow at Teams' pace, then the summary.
    expect(textOf(answer)).toMatch(/Nominating the 6 people of group "Digital Champions" as Mentor/);
    expect(textOf(answer)).toMatch(/run the same command again: nobody gets a second card/);
    const summary = await summaryAfter(since);
    expect(textOf(summary)).toMatch(/Group "Digital Champions" in .*: 6 of 6 people newly nominated as Mentor/);
    expect(textOf(summary)).toMatch(/Cards sent: 6\./);
    for (const m of members) {
      expect(forms(m)).toHaveLength(1);
      expect(notes(m)).toHaveLength(1);
      expect(await row(h, programmeId, m)).toMatchObject({ status: 'nominated', role: 'mentor', nominatedBy: admin.aadObjectId });
    }
    // Twelve cards at SEND_RATE_PER_SECOND=5: no second holds more than the rate (and the one on the wire).
    const sends = h.connector.activities.filter((a) => a.at >= since && members.some((m) => m.aadObjectId === a.userId)).map((a) => a.at);
    expect(sends).toHaveLength(12);
    const busiest = Math.max(...sends.map((t) => sends.filter((u) => u >= t && u < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(6);
    expect(Math.max(...sends) - Math.min(...sends)).toBeGreaterThanOrEqual(1800);
    // The form shows the department from Entra ID and does not ask for it.
    expect(textOf(forms(vic)[0])).toContain('Sales');
    expect(inputIds(forms(vic)[0])).not.toContain('department');
    // Nested groups' members came over several pages, every nextLink followed.
    expect(graph.log.filter((r) => /transitiveMembers/.test(r.url) && /(\$|%24)skiptoken=/.test(r.url)).length).toBeGreaterThanOrEqual(2);
  });

  it('run again (by the group\'s id): nobody gets a second card; a card whose sender died meanwhile goes out once', async () => {
    // As a crashed run leaves it: Zoe's nomination claimed long ago, her card never sent.
    const pk = programmePartition(TENANT, programmeId);
    const cur = (await h.svc.store.participants.get(pk, key(zoe.aadObjectId)))!;
    const { nominationSentAt: _sent, ...unsent } = cur.value;
    await h.svc.store.participants.replace({ ...unsent, nominationClaimedAt: new Date(Date.now() - 10 * 60_000).toISOString() }, cur.etag);
    const since = Date.now();
    const [answer] = await say(h, admin, `enrol group ${ids.champions} as mentor`);
    expect(textOf(answer)).toMatch(/Nominating the 6 people of group "Digital Champions"/);
    const summary = await summaryAfter(since);
    expect(textOf(summary)).toMatch(/Group "Digital Champions" in .*: 1 of 6 people newly nominated/);
    expect(textOf(summary)).toMatch(/Cards sent: 1\. Already in the programme or nominated before: 5\./);
    for (const m of members) expect(forms(m)).toHaveLength(m === zoe ? 2 : 1);
    expect(await row(h, programmeId, zoe)).toMatchObject({ status: 'nominated', nominationSentAt: expect.any(String) });
  });

  it('a nominee confirms with the card they got; an unknown group changes nothing', async () => {
    const replies = await h.submit(una, { ...actionData(forms(una)[0], 'profile.save')!, seniority: 'apprentice', languages: 'en', sessionsPerMonth: '2', preferredDays: 'tue', skill1: '3', skill2: '3', skill3: '2', skill4: '2', skill5: '1', consent: 'true' });
    expect(replies.map(textOf).join('\n')).toMatch(/You are in as Mentor/);
    expect(await row(h, programmeId, una)).toMatchObject({ status: 'active', department: 'Finance' });
    const [unknown] = await say(h, admin, 'enrol group nobody here as mentee');
    expect(textOf(unknown)).toMatch(/There is no Entra group "nobody here"/);
  });
});
