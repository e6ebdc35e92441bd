// Input hardening, table-driven: bad commands, card submissions and raw activities. Each one
// must get a clear answer and leave storage exactly as it was (every table compared).
import { cardOf, RecordedActivity, textOf } from './connector/connector';
import { Cohort, runningProgramme } from './helpers/cohort';
import { actionData, programmeForm } from './helpers/flows';
import { BOT, Conv, Harness, OTHER_TENANT, personal, startHarness, TENANT, TestUser, user } from './helpers/harness';
import { diff, snapshot } from './helpers/snapshot';

const KB = 1024;
const MB = 1024 * 1024;
const channel: Conv = { id: '19:programme@thread.tacv2', type: 'channel' };
const groupChat: Conv = { id: '19:group-chat@thread.v2', type: 'groupChat' };

interface Outcome {
  status: number;
  replies: RecordedActivity[];
}

interface Case {
  name: string;
  run: (x: Ctx) => Promise<Outcome>;
  /** What the answer must say (all replies' text), or the HTTP status for requests refused outright. */
  answer: RegExp | { status: number };
  /** Extra checks on the replies. */
  check?: (replies: RecordedActivity[], x: Ctx) => void;
}

interface Ctx {
  h: Harness;
  c: Cohort;
  admin: TestUser;
  mentor: TestUser;
  mentee: TestUser;
  outsider: TestUser;
  /** A valid join form for the outsider, before the test spoils it. */
  joinForm: Record<string, unknown>;
  /** The data of the mentee's and the mentor's check-in cards (round 1, open) and a valid answer. */
  menteeCheckin: Record<string, unknown>;
  mentorCheckin: Record<string, unknown>;
  checkinAnswer: Record<string, unknown>;
  say(u: TestUser, text: string, opts?: { conversation?: Conv; mentions?: TestUser[] }): Promise<Outcome>;
  submit(u: TestUser, value: Record<string, unknown>, opts?: { conversation?: Conv }): Promise<Outcome>;
  raw(u: TestUser, over: Record<string, unknown>, body?: string): Promise<Outcome>;
}

const joinAnswers = (formFor: string, programmeId: string) => ({
  verb: 'profile.save', formFor, programmeId, role: 'mentor', department: 'IT', seniority: 'staff', languages: 'en', timeZone: 'Europe/Berlin',
  sessionsPerMonth: '2', preferredDays: 'tue', skill1: '3', skill2: '3', skill3: '2', skill4: '1', skill5: '0', wantLevels: '', consent: 'true',
});

const cases: Case[] = [
  // ------------------------------------------------------------ typed commands
  { name: 'an unknown verb', run: (x) => x.say(x.mentee, 'make coffee'), answer: /I don't know "make coffee"/ },
  { name: 'a near miss of a command', run: (x) => x.say(x.mentee, 'forgt me'), answer: /Did you mean "forget me"\?/ },
  { name: 'an empty message', run: (x) => x.say(x.mentee, ''), answer: /What I can do/ },
  { name: 'white space and control characters only', run: (x) => x.say(x.mentee, ' \u0000\u0007\t\u001b '), answer: /What I can do/ },
  { name: 'a 600-character message', run: (x) => x.say(x.mentee, 'join '.repeat(120)), answer: /too long for a command/ },
  { name: 'a message over 64 KB (Table Storage property limit)', run: (x) => x.say(x.mentee, 'x'.repeat(70 * KB)), answer: /too long for a command/ },
  {
    name: 'a request over 1 MB (Table Storage entity limit)',
    run: (x) => x.raw(x.mentee, { type: 'message', text: 'y'.repeat(MB + 10 * KB) }),
    answer: { status: 413 },
  },
  {
    name: 'Markdown in an unknown command is echoed as text, not formatting or a link',
    run: (x) => x.say(x.mentee, '**boss** [click](https://evil.example) _now_'),
    answer: /I don't know/,
    check: (r) => {
      const text = textOf(r[0]);
      expect(text).toContain('\\*\\*boss\\*\\* \\[click\\]\\(https://evil.example\\) \\_now\\_');
      expect(text).not.toMatch(/[^\\]\[click\]/);
    },
  },
  {
    name: 'an Adaptive Card template expression stays literal text',
    run: (x) => x.say(x.mentee, 'hello ${t.common.notAdmin} ${json(t)}'),
    answer: /I don't know "hello \$\{t\.common\.notadmin\} \$\{json\\\(t\\\)\}"/,
  },
  {
    name: 'HTML and script tags are dropped from the echo',
    run: (x) => x.say(x.mentee, '<script>alert(1)</script><img src=x onerror=alert(2)>'),
    answer: /I don't know "alert\\\(1\\\)"/,
    check: (r) => expect(textOf(r[0])).not.toMatch(/<script|onerror/),
  },
  { name: 'an admin command from a non-admin (programme new)', run: (x) => x.say(x.mentor, 'programme new'), answer: /"programme new" is for programme admins/ },
  { name: 'an admin command from a non-admin (pair)', run: (x) => x.say(x.mentee, 'pair'), answer: /"pair" is for programme admins/ },
  { name: 'an admin command from a non-admin (unpair @someone)', run: (x) => x.say(x.mentor, `unpair @${x.mentee.name}`, { mentions: [x.mentee] }), answer: /"unpair" is for programme admins/ },
  { name: 'an admin command from a non-admin (admins add @self)', run: (x) => x.say(x.outsider, `admins add @${x.outsider.name}`, { mentions: [x.outsider] }), answer: /"admins" is for programme admins/ },
  { name: 'an admin command from a non-admin (export)', run: (x) => x.say(x.mentee, 'export'), answer: /"export" is for programme admins/ },
  { name: 'enrol with an unknown role', run: (x) => x.say(x.admin, `enrol @${x.outsider.name} as boss`, { mentions: [x.outsider] }), answer: /Use: enrol|enrol @person/i },
  { name: 'enrol without naming anyone', run: (x) => x.say(x.admin, 'enrol as mentor'), answer: /Use: enrol|enrol @person/i },
  { name: 'unpair without naming anyone', run: (x) => x.say(x.admin, 'unpair'), answer: /Use: unpair @person/ },
  { name: 'pair with one person only', run: (x) => x.say(x.admin, `pair @${x.mentor.name}`, { mentions: [x.mentor] }), answer: /Use: pair @mentor @mentee/ },
  { name: 'admins add without naming anyone', run: (x) => x.say(x.admin, 'admins add'), answer: /Use: admins, admins add @person/ },
  { name: 'admins with an unknown sub-command', run: (x) => x.say(x.admin, 'admins frobnicate'), answer: /Use: admins, admins add @person/ },
  { name: 'a programme that does not exist', run: (x) => x.say(x.admin, 'knowledge map No Such Programme'), answer: /I found no programme called "No Such Programme"/i },
  {
    name: "another tenant's programme id",
    run: (x) => x.say({ ...x.admin, tenantId: OTHER_TENANT }, `programme close ${x.c.programmeId}`),
    answer: /I found no programme called/,
  },
  {
    name: 'an admin command from a non-admin @mentioning the bot in a channel',
    run: (x) => x.say(x.mentor, 'programme new', { conversation: channel }),
    answer: /"programme new" is for programme admins/,
    check: (r) => expect(r.every((a) => a.conversationId === channel.id)).toBe(true),
  },
  {
    name: '"forget me" in a group chat: the confirmation goes to the 1:1 chat only',
    run: (x) => x.say(x.mentee, 'forget me', { conversation: groupChat }),
    answer: /I sent it to you in our 1:1 chat/,
    check: (r, x) => {
      expect(r.filter((a) => a.conversationId === groupChat.id).some((a) => actionData(a, 'data.forget'))).toBe(false);
      expect(r.some((a) => a.userId === x.mentee.aadObjectId && actionData(a, 'data.forget'))).toBe(true);
    },
  },
  {
    name: '"my data" @mentioning the bot and someone else in a channel answers for the sender only, privately',
    run: (x) => x.say(x.mentee, `my data @${x.mentor.name}`, { conversation: channel, mentions: [x.mentor] }),
    answer: /I sent it to you in our 1:1 chat/,
    check: (r, x) => expect(r.some((a) => a.userId === x.mentor.aadObjectId)).toBe(false),
  },
  {
    name: '"my data" in a group chat from someone the bot has never talked to',
    run: (x) => x.say(user('Nina New'), 'my data', { conversation: groupChat }),
    answer: /sent it to you in our 1:1 chat|open a chat with me/,
  },

  // ------------------------------------------------------------ card submissions
  { name: 'a submission without a verb', run: (x) => x.submit(x.mentee, { programmeId: x.c.programmeId }), answer: /out of date or was not recognised/ },
  { name: 'an unknown verb', run: (x) => x.submit(x.mentee, { verb: 'drop.tables', table: 'participants' }), answer: /out of date or was not recognised/ },
  { name: 'a verb of the wrong type', run: (x) => x.submit(x.mentee, { verb: 42 }), answer: /out of date or was not recognised/ },
  { name: 'a "command" button with arguments of the wrong type', run: (x) => x.submit(x.mentee, { verb: 'command', args: { $ne: null } }), answer: /out of date or was not recognised/ },
  { name: 'a "command" button forged to run an admin command', run: (x) => x.submit(x.mentee, { verb: 'command', args: 'programme close' }), answer: /"programme close" is for programme admins/ },
  { name: 'a profile form with every field missing', run: (x) => x.submit(x.outsider, { verb: 'profile.save', formFor: x.outsider.aadObjectId, programmeId: x.c.programmeId }), answer: /Please fix this[\s\S]*is required/ },
  { name: "a profile form made for someone else", run: (x) => x.submit(x.outsider, { ...x.joinForm, formFor: x.mentee.aadObjectId }), answer: /filled in for someone else. Nothing was stored/ },
  {
    name: 'a profile form with wrong types',
    run: (x) => x.submit(x.outsider, { ...x.joinForm, department: { $gt: '' }, skill1: [3], sessionsPerMonth: 'lots', languages: 7, consent: 'yes' }),
    answer: /Please fix this[\s\S]*Department must be text/,
  },
  { name: 'a profile form with a 70 KB department', run: (x) => x.submit(x.outsider, { ...x.joinForm, department: 'D'.repeat(70 * KB) }), answer: /Department is too long/ },
  {
    name: 'a profile form with extra fields (status, tenant, admin) and a bad role',
    run: (x) => x.submit(x.outsider, { ...x.joinForm, role: 'admin', status: 'active', tenantId: OTHER_TENANT, userId: x.mentee.aadObjectId, isAdmin: true, etag: '*' }),
    answer: /Role has a value I don't accept/,
  },
  {
    name: 'Markdown and control characters in free text with consent missing',
    run: (x) => x.submit(x.outsider, { ...x.joinForm, department: '[Sales](https://evil.example)\u0000\u001b**', consent: 'false' }),
    answer: /agree to how your data is used/,
    check: (r) => expect(r.map(textOf).join()).not.toContain('evil.example'),
  },
  { name: 'a profile form for a programme that does not exist', run: (x) => x.submit(x.outsider, { ...x.joinForm, programmeId: 'nosuchprogramme1' }), answer: /That programme does not exist/ },
  { name: "a profile form for another tenant's programme", run: (x) => x.submit({ ...x.outsider, tenantId: OTHER_TENANT }, { ...x.joinForm, formFor: x.outsider.aadObjectId }), answer: /That programme does not exist/ },
  { name: 'a programme id with key-breaking characters', run: (x) => x.submit(x.outsider, { ...x.joinForm, programmeId: "x'|/#?\\" }), answer: /Please fix this|does not exist/ },
  { name: 'join.start without a programme', run: (x) => x.submit(x.outsider, { verb: 'join.start' }), answer: /That programme does not exist/ },
  { name: 'join.start with a number for the programme', run: (x) => x.submit(x.outsider, { verb: 'join.start', programmeId: 12345 }), answer: /That programme does not exist/ },
  { name: "profile.edit of a programme the person is not in", run: (x) => x.submit(x.outsider, { verb: 'profile.edit', programmeId: x.c.programmeId }), answer: /not in a programme that can do this/ },
  { name: 'programme.create by a non-admin', run: (x) => x.submit(x.mentor, { verb: 'programme.create', formId: 'forgedform0001', ...programmeForm() }), answer: /is for programme admins/ },
  {
    name: 'programme.create with wrong types',
    run: (x) => x.submit(x.admin, { verb: 'programme.create', formId: 'badtypes000001', ...programmeForm({ levels: [{ a: 1 }], maxMenteesPerMentor: 'many', startDate: '2027-02-30', enrolment: 'everyone' }) }),
    answer: /Please fix this/,
  },
  {
    name: 'programme.create with a 70 KB name',
    run: (x) => x.submit(x.admin, { verb: 'programme.create', formId: 'longname000001', ...programmeForm({ name: 'N'.repeat(70 * KB) }) }),
    answer: /is too long/,
  },
  { name: 'programme.create with a path-like form id', run: (x) => x.submit(x.admin, { verb: 'programme.create', formId: '../../x|y', ...programmeForm() }), answer: /Please fix this/ },
  { name: 'a replayed programme.create (the form of an existing programme)', run: (x) => x.submit(x.admin, { verb: 'programme.create', formId: x.c.programmeId, ...programmeForm() }), answer: /already created; nothing new was stored/ },
  { name: 'a replayed approval of an approved proposal', run: (x) => x.submit(x.admin, x.c.approve), answer: /already approved/ },
  { name: 'an approval from a non-admin', run: (x) => x.submit(x.mentee, x.c.approve), answer: /is for programme admins/ },
  { name: 'an approval naming a proposal that does not exist', run: (x) => x.submit(x.admin, { ...x.c.approve, proposalId: 'nosuchproposal' }), answer: /proposal is out of date/ },
  { name: 'an approval with an object for the programme id', run: (x) => x.submit(x.admin, { ...x.c.approve, programmeId: { $ne: '' } }), answer: /proposal is out of date/ },
  {
    name: "a swap naming other people's pairs",
    run: (x) => x.submit(x.admin, { ...x.c.approve, verb: 'pair.swap', pairA: `${x.mentor.aadObjectId}|${x.mentee.aadObjectId}`, pairB: 'x|y' }),
    answer: /proposal is out of date/,
  },
  { name: 'an exclude naming a pair not in the proposal', run: (x) => x.submit(x.admin, { ...x.c.approve, verb: 'pair.exclude', excludePair: 'someone|else' }), answer: /out of date/ },
  { name: "a forget-me confirmation for someone else's account", run: (x) => x.submit(x.outsider, { verb: 'data.forget', formFor: x.mentee.aadObjectId, issuedAt: new Date().toISOString() }), answer: /meant for someone else. Nothing was erased/ },
  { name: 'a forget-me confirmation without a date', run: (x) => x.submit(x.mentee, { verb: 'data.forget', formFor: x.mentee.aadObjectId }), answer: /out of date. Nothing was erased/ },
  { name: 'a forget-me confirmation dated in the future', run: (x) => x.submit(x.mentee, { verb: 'data.forget', formFor: x.mentee.aadObjectId, issuedAt: '2099-01-01T00:00:00Z' }), answer: /out of date. Nothing was erased/ },

  // ------------------------------------------------------------ check-in cards
  { name: "a check-in answer on someone else's card", run: (x) => x.submit(x.outsider, { ...x.menteeCheckin, ...x.checkinAnswer }), answer: /sent to someone else. Nothing was saved/ },
  { name: "a check-in answer claiming to be the partner", run: (x) => x.submit(x.mentor, { ...x.menteeCheckin, ...x.checkinAnswer }), answer: /sent to someone else. Nothing was saved/ },
  { name: "a check-in answer naming another pair", run: (x) => x.submit(x.mentee, { ...x.menteeCheckin, pairId: x.mentorCheckin.pairId === x.menteeCheckin.pairId ? 'x|y' : x.mentorCheckin.pairId, ...x.checkinAnswer }), answer: /belongs to another pair. Nothing was saved/ },
  { name: 'a check-in answer for a round that does not exist (stale card)', run: (x) => x.submit(x.mentee, { ...x.menteeCheckin, round: '7', ...x.checkinAnswer }), answer: /not part of this check-in|closed/ },
  { name: 'a check-in answer with a round of the wrong type', run: (x) => x.submit(x.mentee, { ...x.menteeCheckin, round: { $gt: 0 }, ...x.checkinAnswer }), answer: /out of date or was not recognised/ },
  { name: "a check-in answer for another tenant's programme", run: (x) => x.submit({ ...x.mentee, tenantId: OTHER_TENANT }, { ...x.menteeCheckin, ...x.checkinAnswer }), answer: /out of date or was not recognised/ },
  {
    name: 'a check-in answer with wrong values (rating 9, unknown tutorial, 70 KB text, bad date)',
    run: (x) => x.submit(x.mentee, { ...x.menteeCheckin, ...x.checkinAnswer, rating: '9', tutorials: 'l9-hacking', learned: 'L'.repeat(70 * KB), nextSession: '2027-13-45' }),
    answer: /Please fix this|must be|too long|don't accept/,
  },

  // ------------------------------------------------------------ raw activities
  { name: 'an activity without a tenant', run: (x) => x.raw(x.mentee, { type: 'message', text: 'join', channelData: {}, conversation: { id: personal(x.mentee).id, conversationType: 'personal' } }), answer: /came without a tenant or user/ },
  { name: 'an activity without a sender', run: (x) => x.raw(x.mentee, { type: 'message', text: 'join', from: undefined }), answer: { status: 400 } },
  { name: 'an activity with a sender of the wrong type', run: (x) => x.raw(x.mentee, { type: 'message', text: 'join', from: 'admin' }), answer: { status: 400 } },
  { name: 'an activity that is a JSON list', run: (x) => x.raw(x.mentee, {}, '[{"type":"message","text":"join"}]'), answer: { status: 400 } },
  { name: 'an activity without a type', run: (x) => x.raw(x.mentee, { type: undefined, text: 'join' }), answer: { status: 400 } },
  { name: 'a body that is not JSON', run: (x) => x.raw(x.mentee, {}, '{"type": "message", "text": '), answer: { status: 400 } },
  { name: 'a card value that is a list', run: (x) => x.raw(x.mentee, { type: 'message', value: [{ verb: 'data.forget' }] }), answer: /What I can do/ },
  { name: 'text of the wrong type', run: (x) => x.raw(x.mentee, { type: 'message', text: { verb: 'forget me' } }), answer: { status: 400 } },
];

describe('input hardening: bad input gets a clear answer and changes nothing', () => {
  let x: Ctx;
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const warns = jest.spyOn(console, 'warn').mockImplementation(() => undefined);

  beforeAll(async () => {
    const admin = user('Ada Admin');
    const h = await startHarness({ BOT_ADMINS: admin.aadObjectId });
    // Dozens of answers to the same chats in a row: Teams' rate limits are not what this suite tests.
    h.connector.limits = { perConversation: [], perApp: [] };
    const c = await runningProgramme(h, admin);
    const outsider = user('Olga Outsider');
    const outcome = async (p: Promise<RecordedActivity[]>, before: number): Promise<Outcome> => {
      await p;
      return { status: 200, replies: h.connector.activities.slice(before) };
    };
    x = {
      h, c, admin, mentor: c.mentors[0], mentee: c.mentees[0], outsider,
      joinForm: joinAnswers(outsider.aadObjectId, c.programmeId),
      menteeCheckin: {}, mentorCheckin: {}, checkinAnswer: {},
      say: (u, text, opts) => outcome(h.say(u, text, opts), h.connector.activities.length),
      submit: (u, value, opts) => outcome(h.submit(u, value, opts), h.connector.activities.length),
      raw: async (u, over, body) => {
        h.connector.addMember({ id: u.teamsId, name: u.name, aadObjectId: u.aadObjectId });
        h.connector.bindConversation(personal(u).id, u.aadObjectId);
        const activity = {
          type: 'message', channelId: 'msteams', serviceUrl: h.connector.url, id: `in-${Math.random().toString(36).slice(2)}`,
          from: { id: u.teamsId, name: u.name, aadObjectId: u.aadObjectId }, recipient: BOT,
          conversation: { id: personal(u).id, conversationType: 'personal', tenantId: u.tenantId }, channelData: { tenant: { id: u.tenantId } },
          locale: 'en-US', ...over,
        };
        const before = h.connector.activities.length;
        const res = await fetch(`${h.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body ?? JSON.stringify(activity) });
        await res.text();
        return { status: res.status, replies: h.connector.activities.slice(before) };
      },
    };
    // This week's check-in round is open and every card delivered before the snapshots.
    await h.say(admin, `checkins send ${c.programmeName}`);
    const cardOfUser = async (u: TestUser) =>
      actionData((await h.connector.waitFor((a) => a.userId === u.aadObjectId && !!actionData(a, 'checkin.submit')))[0], 'checkin.submit')!;
    x.menteeCheckin = await cardOfUser(c.mentees[0]);
    x.mentorCheckin = await cardOfUser(c.mentors[1]);
    x.checkinAnswer = { met: 'yes', tutorials: 'l1-profile', learned: 'How the budget works', rating: '4', nextSession: '2027-02-01' };
    // Everyone has talked to the bot once, so their contact rows exist before the snapshots.
    for (const u of [admin, outsider, ...c.mentors, ...c.mentees]) await h.say(u, 'help');
    await h.say({ ...admin, tenantId: OTHER_TENANT }, 'help');
    await h.say({ ...outsider, tenantId: OTHER_TENANT }, 'help');
    await h.say({ ...c.mentees[0], tenantId: OTHER_TENANT }, 'help');
    await h.say(c.mentees[0], 'help', { conversation: channel });
  });
  afterAll(async () => {
    await x.h.stop();
    errors.mockRestore();
    warns.mockRestore();
  });

  it('covers at least 40 bad inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const before = await snapshot(x.h.svc.store);
      const { status, replies } = await c.run(x);
      if ('status' in c.answer) {
        expect(status).toBe(c.answer.status);
        expect(replies).toHaveLength(0);
      } else {
        expect(status).toBe(200);
        expect(replies.length).toBeGreaterThan(0);
        expect(replies.map(textOf).join('\n')).toMatch(c.answer);
        // Every answer is a card or text the person can read, never a stack trace.
        for (const r of replies) expect(cardOf(r) ?? r.activity.text).toBeTruthy();
        expect(replies.map(textOf).join('\n')).not.toMatch(/Error:|at \w+ \(|stack/);
      }
      c.check?.(replies, x);
      expect(diff(before, await snapshot(x.h.svc.store))).toEqual([]);
    });
  }
});
