// Pure check-in rules: when rounds are due (time zones, DST, cadence), who is asked, what a valid
// answer is, the at-risk and reminder rules, leases, backoff, and the send pacer on a fake clock.
import {
  atRisk, backoffMs, jobMessages, jobsOf, leaseState, needsReminder, parseJob, peopleToAsk, reminderDue, roundClosesAt, roundDue, ScheduleFields, validateCheckin,
  validateFeedback, zonedTime,
} from '../bot/domain/checkins';
import type { CheckinRound } from '../bot/domain/types';
import { Pacer } from '../bot/checkins/pacer';
import { ConnectorHttpError, retryAfterMs } from '../bot/teams/connectorHttpClient';
import { classify } from '../bot/teams/proactive';

const programme: ScheduleFields = {
  status: 'running', startDate: '2027-01-04', endDate: '2027-06-30', timeZone: 'Europe/Berlin', checkinWeekday: 'mon', checkinHour: 9, cadenceWeeks: 1,
};
const at = (iso: string) => new Date(iso);
const roundRow = (round: number, openedAt: string, closesAt: string): CheckinRound => ({
  tenantId: 't', programmeId: 'p', round, openedAt, closesAt, status: 'open', expected: 2, enqueued: true,
});

describe('when a round is due', () => {
  it('opens on the weekday and hour in the programme\'s time zone, also across daylight saving', () => {
    expect(zonedTime(2027, 1, 11, 9, 'Europe/Berlin').toISOString()).toBe('2027-01-11T08:00:00.000Z');
    expect(zonedTime(2027, 3, 29, 9, 'Europe/Berlin').toISOString()).toBe('2027-03-29T07:00:00.000Z');
    expect(roundDue(programme, [], at('2027-01-11T07:59:00Z'))).toMatchObject({ due: true, slot: at('2027-01-04T08:00:00Z') });
    expect(roundDue(programme, [], at('2027-03-29T07:30:00Z'))).toEqual({ due: true, round: 1, slot: at('2027-03-29T07:00:00Z') });
    expect(roundDue({ ...programme, timeZone: 'America/New_York' }, [], at('2027-01-04T13:59:00Z'))).toEqual({ due: false, reason: 'no-slot-yet' });
    expect(roundDue({ ...programme, timeZone: 'America/New_York' }, [], at('2027-01-04T14:00:00Z'))).toMatchObject({ due: true });
  });

  it('is not due outside the programme, before the first slot, or while a round covers the slot', () => {
    expect(roundDue({ ...programme, status: 'open' }, [], at('2027-02-01T10:00:00Z'))).toEqual({ due: false, reason: 'not-running' });
    expect(roundDue(programme, [], at('2027-01-03T10:00:00Z'))).toEqual({ due: false, reason: 'outside-dates' });
    expect(roundDue(programme, [], at('2027-07-01T10:00:00Z'))).toEqual({ due: false, reason: 'outside-dates' });
    expect(roundDue(programme, [], at('2027-01-04T07:59:00Z'))).toEqual({ due: false, reason: 'no-slot-yet' });
    const r1 = roundRow(1, '2027-01-11T08:00:00Z', '2027-01-18T08:00:00Z');
    expect(roundDue(programme, [r1], at('2027-01-15T10:00:00Z'))).toEqual({ due: false, reason: 'round-open' });
    expect(roundDue(programme, [r1], at('2027-01-18T08:00:00Z'))).toEqual({ due: true, round: 2, slot: at('2027-01-18T08:00:00Z') });
  });

  it('a server that was down for weeks opens one round, for the latest slot', () => {
    const r1 = roundRow(1, '2027-01-11T08:00:00Z', '2027-01-18T08:00:00Z');
    expect(roundDue(programme, [r1], at('2027-02-10T12:00:00Z'))).toEqual({ due: true, round: 2, slot: at('2027-02-08T08:00:00Z') });
  });

  it('follows a two-week cadence', () => {
    const every2 = { ...programme, cadenceWeeks: 2 };
    expect(roundDue(every2, [], at('2027-01-12T10:00:00Z'))).toMatchObject({ due: true, slot: at('2027-01-04T08:00:00Z') });
    const r1 = roundRow(1, '2027-01-04T08:00:00Z', roundClosesAt(every2, at('2027-01-04T08:00:00Z')).toISOString());
    expect(r1.closesAt).toBe('2027-01-18T08:00:00.000Z');
    expect(roundDue(every2, [r1], at('2027-01-12T10:00:00Z'))).toEqual({ due: false, reason: 'round-open' });
  });

  it('a round opened by hand mid-week runs to the slot at least half a cadence later, never past the end', () => {
    expect(roundClosesAt(programme, at('2027-01-13T10:00:00Z')).toISOString()).toBe('2027-01-18T08:00:00.000Z');
    // Opened on a Friday: Monday's slot is too close, so it runs to the Monday after.
    expect(roundClosesAt(programme, at('2027-01-15T10:00:00Z')).toISOString()).toBe('2027-01-25T08:00:00.000Z');
    expect(roundClosesAt(programme, at('2027-01-11T08:30:00Z')).toISOString()).toBe('2027-01-18T08:00:00.000Z');
    expect(roundClosesAt(programme, at('2027-06-28T08:00:00Z')).toISOString()).toBe('2027-06-30T22:00:00.000Z');
  });
});

describe('who is asked', () => {
  it('both sides of every active pair, a mentor with two mentees once', () => {
    const pairs = [
      { id: 'm1|e1', mentorId: 'm1', menteeId: 'e1', status: 'active' as const },
      { id: 'm1|e2', mentorId: 'm1', menteeId: 'e2', status: 'active' as const },
      { id: 'm2|e3', mentorId: 'm2', menteeId: 'e3', status: 'paused' as const },
    ];
    expect(peopleToAsk(pairs)).toEqual([
      { userId: 'e1', role: 'mentee', pairId: 'm1|e1' },
      { userId: 'm1', role: 'mentor', pairId: 'm1|e1' },
      { userId: 'e2', role: 'mentee', pairId: 'm1|e2' },
    ]);
  });
});

describe('answers', () => {
  const allowed = ['l1-profile', 'l1-network'];
  it('accepts a full answer as Teams sends it', () => {
    expect(validateCheckin({ met: 'yes', tutorials: 'l1-profile,l1-network,l1-profile', learned: '  How budgets work \u0007', rating: '5', blockers: '', nextSession: '2027-01-20' }, allowed, '2027-01-11')).toEqual({
      ok: true,
      answer: { met: 'yes', tutorials: ['l1-profile', 'l1-network'], learned: 'How budgets work', rating: 5, blockers: undefined, nextSession: '2027-01-20' },
    });
    expect(validateCheckin({ met: 'no' }, allowed, '2027-01-11')).toMatchObject({ ok: true, answer: { met: 'no', tutorials: [] } });
  });

  it('names every problem', () => {
    const res = validateCheckin({ met: 'yes', tutorials: ['l9-x'], learned: 'x'.repeat(2001), rating: '0', blockers: 7, nextSession: '2027-02-30' }, allowed, '2027-01-11');
    expect(res.ok).toBe(false);
    expect(!res.ok && res.problems.map((p) => p.code)).toEqual(['tutorialsUnknown', 'learnedTooLong', 'ratingRange', 'textInvalid', 'dateInvalid']);
    const missing = validateCheckin({ met: 'yes' }, allowed, '2027-01-11');
    expect(!missing.ok && missing.problems.map((p) => p.code)).toEqual(['learnedRequired', 'ratingRequired']);
    const bad = validateCheckin({ met: 'maybe', nextSession: '2027-01-10' }, allowed, '2027-01-11');
    expect(!bad.ok && bad.problems.map((p) => p.code)).toEqual(['metInvalid', 'datePast']);
  });

  it('validates the feedback survey: scores in range, every rating the card asked, the comment at the end only', () => {
    expect(validateFeedback({ valueOfOneToOne: '4', flexibility: 5, recommend: '0', change: ' Less admin ' })).toEqual({
      ok: true, answer: { valueOfOneToOne: 4, flexibility: 5, recommend: 0, change: 'Less admin', levels: {}, business: {} },
    });
    const res = validateFeedback({ valueOfOneToOne: '6', recommend: '11', change: 'x'.repeat(2001) });
    expect(!res.ok && res.problems.map((p) => p.code)).toEqual(['scoreRange', 'scoreRequired', 'recommendRange', 'changeTooLong']);
    expect(!validateFeedback({ valueOfOneToOne: '4', flexibility: '4', wouldRecommend: 'yes' }).ok).toBe(true);
    // A mentee's survey asks the programme's levels: each required, 0-3; other levels are ignored.
    const scope = { phase: 'end' as const, levels: [1, 3], items: [] };
    expect(validateFeedback({ valueOfOneToOne: '4', flexibility: '4', recommend: '9', level1: '2', level3: '3', level2: '0' }, scope)).toEqual({
      ok: true, answer: { valueOfOneToOne: 4, flexibility: 4, recommend: 9, change: '', levels: { '1': 2, '3': 3 }, business: {} },
    });
    const rated = validateFeedback({ valueOfOneToOne: '4', flexibility: '4', recommend: '9', level1: '4' }, scope);
    expect(!rated.ok && rated.problems).toEqual([{ field: 'level1', code: 'ratingRange', params: { level: 1 } }, { field: 'level3', code: 'ratingRequired', params: { level: 3 } }]);
    // A mentor's asks the business items; the pulse has no comment (a sent one is not kept).
    const mid = validateFeedback({ valueOfOneToOne: '2', flexibility: '3', recommend: '6', 'business-strategy': '1', change: 'ignored' }, { phase: 'mid', levels: [], items: ['strategy'] });
    expect(mid).toEqual({ ok: true, answer: { valueOfOneToOne: 2, flexibility: 3, recommend: 6, change: '', levels: {}, business: { strategy: 1 } } });
    expect(validateFeedback({ valueOfOneToOne: '2', flexibility: '3', recommend: '6', 'business-strategy': 'x' }, { phase: 'mid', levels: [], items: ['strategy'] }).ok).toBe(false);
  });
});

describe('health', () => {
  const pair = { id: 'm|e', mentorId: 'm', menteeId: 'e' };
  const asked = (answered: boolean) => [
    { userId: 'm', pairId: 'm|e', answeredAt: answered ? 'x' : undefined },
    { userId: 'e', pairId: 'm|e', answeredAt: undefined },
  ];
  it('at risk after two missed rounds in a row; one answer from either side is enough', () => {
    expect(atRisk(pair, [{ round: 1, records: asked(false) }, { round: 2, records: asked(false) }])).toBe(true);
    expect(atRisk(pair, [{ round: 1, records: asked(true) }, { round: 2, records: asked(false) }])).toBe(false);
    expect(atRisk(pair, [{ round: 1, records: asked(false) }, { round: 3, records: asked(false) }])).toBe(false);
    expect(atRisk(pair, [{ round: 2, records: asked(false) }])).toBe(false);
    // Not asked in a round (paired later): not a miss.
    expect(atRisk(pair, [{ round: 1, records: [] }, { round: 2, records: asked(false) }])).toBe(false);
  });

  it('reminders: after the configured days, to those who got the card and neither answered nor were reminded', () => {
    const round = { status: 'open' as const, openedAt: '2027-01-11T08:00:00Z' };
    expect(reminderDue({ reminderAfterDays: 3 }, round, at('2027-01-14T07:59:00Z'))).toBe(false);
    expect(reminderDue({ reminderAfterDays: 3 }, round, at('2027-01-14T08:00:00Z'))).toBe(true);
    expect(reminderDue({ reminderAfterDays: 0 }, round, at('2027-02-14T08:00:00Z'))).toBe(false);
    expect(needsReminder({ dispatch: 'sent' })).toBe(true);
    expect(needsReminder({ dispatch: 'sent', answeredAt: 'x' })).toBe(false);
    expect(needsReminder({ dispatch: 'sent', remindedAt: 'x' })).toBe(false);
    expect(needsReminder({ dispatch: 'unreachable' })).toBe(false);
  });
});

describe('dispatch', () => {
  it('leases: free, mine, held by another worker, expired after a crash', () => {
    const now = at('2027-01-11T08:00:00Z');
    expect(leaseState({}, now)).toBe('free');
    expect(leaseState({ leaseId: 'a', leaseUntil: '2027-01-11T08:01:00Z' }, now, 'a')).toBe('mine');
    expect(leaseState({ leaseId: 'a', leaseUntil: '2027-01-11T08:01:00Z' }, now, 'b')).toBe('held');
    expect(leaseState({ leaseId: 'a', leaseUntil: '2027-01-11T07:59:59Z' }, now, 'b')).toBe('expired');
  });

  it('backoff grows exponentially with jitter and a cap', () => {
    expect([0, 1, 2, 3].map((n) => backoffMs(n, 1000, 60000, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffMs(3, 1000, 60000, () => 1)).toBe(8000);
    expect(backoffMs(20, 1000, 60000, () => 1)).toBe(60000);
  });

  it('jobs from the queue are parsed strictly', () => {
    expect(parseJob('{"tenantId":"t","programmeId":"p","round":2,"userId":"u"}')).toEqual({ tenantId: 't', programmeId: 'p', round: 2, userIds: ['u'] });
    expect(parseJob('{"tenantId":"t","programmeId":"p","round":0,"userIds":["u","v"],"kind":"survey"}')).toEqual({ tenantId: 't', programmeId: 'p', round: 0, userIds: ['u', 'v'], kind: 'survey' });
    const many = JSON.stringify({ tenantId: 't', programmeId: 'p', round: 1, userIds: Array.from({ length: 33 }, (_, i) => `u${i}`) });
    for (const bad of ['', 'nonsense', '{"tenantId":"t","programmeId":"p","round":-1,"userId":"u"}', '{"tenantId":"t","programmeId":"p","round":1,"userId":"u","kind":"spam"}', '{"programmeId":"p","round":1,"userId":"u"}', '{"tenantId":"t","programmeId":"p","round":1,"userIds":[]}', '{"tenantId":"t","programmeId":"p","round":1,"userIds":[3]}', many]) {
      expect(parseJob(bad)).toBeUndefined();
    }
  });

  it('a round\'s people go out one per message when few, up to 32 per message when many', () => {
    const base = { tenantId: 't', programmeId: 'p', round: 1 };
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${i}`);
    expect(jobMessages(base, ids(6)).map((m) => m.userIds.length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(jobMessages(base, ids(100)).map((m) => m.userIds.length)).toEqual([4, ...Array(24).fill(4)]);
    const big = jobMessages(base, ids(20000));
    expect(big).toHaveLength(625);
    expect(big.flatMap((m) => jobsOf(m).map((j) => j.userId))).toEqual(ids(20000));
  });

  it('classifies Bot Connector failures: wait out 429, retry 5xx, give up on 403/404', () => {
    expect(classify(new ConnectorHttpError(429, 3000))).toEqual({ kind: 'throttled', retryAfterMs: 3000 });
    expect(classify(new ConnectorHttpError(503))).toEqual({ kind: 'transient', status: 503 });
    expect(classify(new ConnectorHttpError(undefined))).toEqual({ kind: 'transient', status: undefined });
    expect(classify({ statusCode: 403 })).toEqual({ kind: 'unreachable', status: 403 });
    expect(classify({ response: { status: 404 } })).toEqual({ kind: 'unreachable', status: 404 });
    expect(classify({ statusCode: 400 })).toEqual({ kind: 'rejected', status: 400 });
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('Mon, 11 Jan 2027 08:00:05 GMT', Date.parse('2027-01-11T08:00:00Z'))).toBe(5000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('the send pacer (fake clock)', () => {
  it('spaces sends at the per-app rate, so any second holds at most rate + 1', () => {
    let now = 0;
    const pacer = new Pacer(50, [], () => now);
    const slots = Array.from({ length: 200 }, (_, i) => now + pacer.reserve('t', `c${i}`));
    expect(slots.slice(0, 3)).toEqual([0, 20, 40]);
    for (let i = 0, j = 0; i < slots.length; i++) {
      while (slots[i] - slots[j] >= 1000) j++;
      expect(i - j + 1).toBeLessThanOrEqual(51);
    }
  });

  it('keeps one conversation within 7 a second and 60 per 30 seconds', () => {
    let now = 0;
    const pacer = new Pacer(1000, undefined, () => now);
    const slots = Array.from({ length: 61 }, () => pacer.reserve('t', 'one-chat'));
    expect(slots.slice(0, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 1000]);
    expect(slots[60]).toBeGreaterThanOrEqual(30000);
  });

  it('a 429 pauses the tenant for its Retry-After, other tenants carry on', () => {
    let now = 0;
    const pacer = new Pacer(10, [], () => now);
    expect(pacer.reserve('t', 'a')).toBe(0);
    pacer.pause('t', 3000);
    expect(pacer.reserve('t', 'b')).toBe(3000);
    expect(pacer.reserve('other', 'c')).toBe(0);
    now = 3500;
    expect(pacer.reserve('t', 'd')).toBe(0);
  });
});

describe('the send pacer (real time)', () => {
  it('lets no more than the rate go in any one second, even when timers fire late after the event loop was busy', async () => {
    const pacer = new Pacer(20, []);
    const released: number[] = [];
    const all = Array.from({ length: 50 }, (_, i) => pacer.acquire('t', `c${i}`).then(() => released.push(Date.now())));
    await new Promise((r) => setTimeout(r, 120));
    // A long synchronous stretch (a big storage answer being parsed): the booked slots fall due meanwhile.
    const until = Date.now() + 800;
    while (Date.now() < until);
    await Promise.all(all);
    expect(released).toHaveLength(50);
    released.sort((a, b) => a - b);
    let busiest = 0;
    for (let i = 0, j = 0; i < released.length; i++) {
      while (released[i] - released[j] >= 1000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    // The rate, plus one for the millisecond between the pacer's clock and this test's.
    expect(busiest).toBeLessThanOrEqual(21);
  });
});

