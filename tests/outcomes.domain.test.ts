// The outcome arithmetic on its own (bot/domain/outcomes.ts): distributions, moved-up shares, the
// privacy threshold, department breakdowns that cannot be subtracted, rounds, the survey, the
// knowledge map at a moment, one's own change, the mid-point, and erased people counted nowhere.
import {
  byDepartment, distribution, isErased, itemOutcome, knowledgeSnapshot, Measured, ownChange, pulseAt, pulseDue, roundsOutcome, sessionsHeld, skillsAtEnd,
  surveyOutcome, tutorialsCovered,
} from '../bot/domain/outcomes';
import { businessIds, loadBusinessItems, validateBusinessItems } from '../bot/domain/business';
import type { CheckinRecord, FeedbackRecord, Skill } from '../bot/domain/types';

const m = (userId: string, department: string, before?: number, after?: number, mid?: number): Measured =>
  ({ userId, department, before: before as Skill, after: after as Skill, mid: mid as Skill });

describe('before and after on one level', () => {
  const people = [
    m('a', 'Sales', 0, 1), m('b', 'Sales', 1, 1), m('c', 'Sales', 2, 3), m('d', 'Finance', 1, 0), m('e', 'Finance', 0, 2), m('f', 'Finance', 3, 3),
    m('g', 'Legal', 1, 2), m('h', 'Sales', 2), // h has no end answer: not compared
  ];

  it('counts the start and the end over the same people, and who moved up', () => {
    const o = itemOutcome('1', people);
    expect(o).toMatchObject({
      people: 7, hidden: false, before: [2, 3, 1, 1], after: [1, 2, 2, 2], movedUp: 4, same: 2, movedDown: 1, movedUpPercent: 57, averageBefore: 1.1, averageAfter: 1.7,
    });
    expect(distribution([0, 3, 3, 9, -1])).toEqual([1, 0, 0, 2]);
  });

  it('is hidden below the threshold of people other than the viewer, with no numbers', () => {
    const three = [m('a', 'X', 0, 1), m('b', 'X', 0, 1), m('c', 'X', 0, 1)];
    expect(itemOutcome('1', three).hidden).toBe(false);
    const asC = itemOutcome('1', three, 'c');
    expect(asC).toMatchObject({ hidden: true, people: 3, before: [0, 0, 0, 0], after: [0, 0, 0, 0], movedUp: 0, movedUpPercent: null, departments: [] });
  });

  it('shows a department from the threshold on and pools the small ones, never one small one alone', () => {
    const o = itemOutcome('1', people);
    // Sales 3 compared, Finance 3, Legal 1: Legal alone would be the total minus the others, so the
    // smallest shown department joins it (Finance and Sales tie at 3; Finance sorts first).
    expect(o.departments).toEqual([
      { department: 'Sales', people: 3, movedUp: 2, movedUpPercent: 67 },
      { departments: 2, people: 4, movedUp: 2, movedUpPercent: 50 },
    ]);
    expect(o.departmentsHidden).toBe(false);
    expect(JSON.stringify(o.departments)).not.toContain('Legal');
  });

  it('pools two small departments that together reach the threshold and keeps the large ones', () => {
    const g = byDepartment([...'abcd'].map((u) => ({ userId: u, department: 'Sales' })).concat([...'efg'].map((u) => ({ userId: u, department: 'IT' })), [{ userId: 'h', department: 'HR' }, { userId: 'i', department: 'HR' }, { userId: 'j', department: 'Legal' }]));
    expect(g.shown.map((x) => [x.department, x.people.length])).toEqual([['IT', 3], ['Sales', 4]]);
    expect(g.other).toMatchObject({ departments: 2 });
    expect(g.other!.people.map((p) => p.userId).sort()).toEqual(['h', 'i', 'j']);
  });

  it('gives no breakdown when no two groups of enough people can be made, and none for a single department', () => {
    const g = byDepartment([...'abc'].map((u) => ({ userId: u, department: 'IT' })).concat([{ userId: 'd', department: 'Marketing' }]));
    expect(g).toEqual({ shown: [], hidden: true });
    expect(byDepartment([...'abcd'].map((u) => ({ userId: u, department: 'IT' })))).toEqual({ shown: [], hidden: false });
  });

  it('the mid-point is counted over those with a start and a pulse answer', () => {
    const o = itemOutcome('1', [m('a', 'X', 0, 2, 1), m('b', 'X', 1, 1, 1), m('c', 'X', 1, 2, 2), m('d', 'X', 0, 1)]);
    expect(o.mid).toEqual({ people: 3, hidden: false, counts: [0, 2, 1, 0], movedUpPercent: 67 });
  });

  it('never counts an erased person', () => {
    const o = itemOutcome('1', [...people, m('erased-abc', 'Sales', 0, 3)]);
    expect(o.people).toBe(7);
    expect(isErased('erased-Zx12')).toBe(true);
    expect(isErased('00000000-0000-4000-9000-000000000001')).toBe(false);
  });
});

const rec = (round: number, userId: string, pairId: string, over: Partial<CheckinRecord> = {}): CheckinRecord =>
  ({ tenantId: 't', programmeId: 'p', round, userId, pairId, role: 'mentee', dispatch: 'sent', attempts: 1, ...over });

describe('rounds, sessions, tutorials', () => {
  const records = [
    rec(1, 'e1', 'p1', { answeredAt: 'x', met: 'yes', tutorials: ['l1-profile', 'l1-network'] }), rec(1, 'm1', 'p1', { answeredAt: 'x', met: 'yes', tutorials: ['l1-profile'] }),
    rec(1, 'e2', 'p2', { answeredAt: 'x', met: 'no' }), rec(1, 'm2', 'p2'),
    rec(2, 'e1', 'p1', { answeredAt: 'x', met: 'rescheduled' }), rec(2, 'm1', 'p1'), rec(2, 'e2', 'p2', { answeredAt: 'x', met: 'yes', tutorials: ['l1-profile'] }), rec(2, 'm2', 'p2'),
    rec(0, 'e1', 'p1'), rec(999999, 'e1', 'p1'), // the survey's and the pulse's records are no rounds
    rec(2, 'erased-x', 'p3', { answeredAt: 'x', met: 'yes', tutorials: ['l2-guidelines'] }),
  ];

  it('per round: pairs that met, who answered, the rate; erased people left out', () => {
    expect(roundsOutcome([{ round: 2, openedAt: 'b' }, { round: 1, openedAt: 'a' }], records)).toEqual([
      { round: 1, openedAt: 'a', asked: 4, answered: 3, rate: 75, sessions: 1, pairs: 2 },
      { round: 2, openedAt: 'b', asked: 4, answered: 2, rate: 50, sessions: 1, pairs: 2 },
    ]);
    expect(sessionsHeld(records, new Set(['p1']))).toBe(1);
    expect(sessionsHeld(records, new Set(['p1', 'p2']))).toBe(2);
  });

  it('the tutorials most covered, by pairs', () => {
    expect(tutorialsCovered(records, ['l1-profile', 'l1-network'])).toEqual([{ id: 'l1-profile', pairs: 2 }, { id: 'l1-network', pairs: 1 }]);
  });
});

describe('the survey', () => {
  const f = (userId: string, v: number, flex: number, recommend?: number, phase?: 'mid' | 'end'): FeedbackRecord =>
    ({ tenantId: 't', programmeId: 'p', userId, role: 'mentee', phase, valueOfOneToOne: v, flexibility: flex, recommend, change: '', submittedAt: 'x' });

  it('distributions, averages and the net promoter score; the pulse apart; erased and the viewer respected', () => {
    const answers = [f('a', 5, 4, 10), f('b', 4, 4, 9), f('c', 3, 2, 7), f('d', 2, 3, 3), f('e', 5, 5, 9, 'end'), f('x', 1, 1, 0, 'mid'), f('erased-q', 1, 1, 0)];
    const s = surveyOutcome('end', answers, 6);
    expect(s).toMatchObject({ asked: 6, answered: 5, hidden: false });
    expect(s.valueOfOneToOne).toEqual({ answered: 5, counts: [0, 1, 1, 1, 2], average: 3.8 });
    expect(s.flexibility.counts).toEqual([0, 1, 1, 2, 1]);
    expect(s.recommend).toEqual({ answered: 5, counts: [0, 0, 0, 1, 0, 0, 0, 1, 0, 2, 1], average: 7.6, nps: 40, promoters: 3, passives: 1, detractors: 1 });
    expect(surveyOutcome('end', answers.slice(0, 3), 6, 'a')).toMatchObject({ hidden: true, valueOfOneToOne: { counts: [0, 0, 0, 0, 0], average: null } });
    expect(surveyOutcome('mid', answers, 6).answered).toBe(1);
  });

  it('answers from before the 0-10 score count for the scores but not the recommend score', () => {
    const old = [f('a', 5, 4), f('b', 4, 4), f('c', 3, 2), f('d', 4, 4, 10)];
    const s = surveyOutcome('end', old, 4);
    expect(s.hidden).toBe(false);
    expect(s.recommend.nps).toBeNull();
  });
});

describe('the knowledge map at a moment, and one person', () => {
  it('counts per level and the share confident or better; departments pooled like any breakdown', () => {
    const people = [
      { userId: 'a', department: 'IT', skills: [3, 3, 2, 1, 0] }, { userId: 'b', department: 'IT', skills: [3, 2, 2, 0, 0] }, { userId: 'c', department: 'IT', skills: [2, 1, 0, 0, 0] },
      { userId: 'd', department: 'Sales', skills: [1, 0, 0, 0, 0] }, { userId: 'e', department: 'Sales', skills: [0, 0, 0, 0, 0] }, { userId: 'f', department: 'Sales', skills: [2, 0, 0, 0, 0] },
    ] as Array<{ userId: string; department: string; skills: Skill[] }>;
    const k = knowledgeSnapshot(people);
    expect(k.levels[0]).toEqual({ level: 1, counts: [1, 1, 2, 2], confidentPercent: 67 });
    expect(k.departments).toEqual([
      { department: 'IT', people: 3, confidentPercent: [100, 67, 67, 0, 0] },
      { department: 'Sales', people: 3, confidentPercent: [33, 0, 0, 0, 0] },
    ]);
    expect(knowledgeSnapshot(people.slice(0, 3), 'a').hidden).toBe(true);
    expect(skillsAtEnd([1, 0, 0, 0, 0], { '1': 3, '2': 2 })).toEqual([3, 2, 0, 0, 0]);
  });

  it("one's own change: start, pulse, end and the difference", () => {
    expect(ownChange(['1', '2'], { '1': 1, '2': 0 }, { '1': 2 }, { '1': 3 })).toEqual([
      { key: '1', before: 1, mid: 2, after: 3, change: 2 },
      { key: '2', before: 0, mid: undefined, after: undefined, change: undefined },
    ]);
  });
});

describe('the mid-point pulse', () => {
  const p = { status: 'running' as const, startDate: '2027-01-04', endDate: '2027-03-01', timeZone: 'Europe/Berlin', checkinWeekday: 'mon' as const, checkinHour: 9, cadenceWeeks: 1 };

  it('is due once, halfway through the dates (4 January to 1 March: 1 February) at the check-in hour, only when turned on and still running', () => {
    expect(pulseAt(p)!.toISOString()).toBe('2027-02-01T08:00:00.000Z');
    expect(pulseDue({ ...p, pulse: true }, new Date('2027-02-01T07:59:00Z'))).toBe(false);
    expect(pulseDue({ ...p, pulse: true }, new Date('2027-02-01T08:00:00Z'))).toBe(true);
    expect(pulseDue({ ...p }, new Date('2027-02-10T08:00:00Z'))).toBe(false);
    expect(pulseDue({ ...p, pulse: true, pulseQueuedAt: 'x' }, new Date('2027-02-10T08:00:00Z'))).toBe(false);
    expect(pulseDue({ ...p, pulse: true, status: 'closing' }, new Date('2027-02-10T08:00:00Z'))).toBe(false);
    expect(pulseDue({ ...p, pulse: true }, new Date('2027-03-05T08:00:00Z'))).toBe(false);
  });
});

describe('the business items (data, like the ladder)', () => {
  it('ship in three languages with the same ids, and a broken edit is reported item by item', () => {
    const shipped = loadBusinessItems();
    expect(validateBusinessItems(shipped)).toEqual([]);
    expect(businessIds()).toEqual(['strategy', 'decisions', 'customers', 'money', 'unwritten-rules', 'leadership']);
    const broken = { ...shipped, de: shipped.de.slice(0, 2), nl: [...shipped.nl.slice(0, 5), { id: 'Bad Id', title: '', description: 'x'.repeat(201) }] };
    expect(validateBusinessItems(broken)).toEqual([
      '[de] business items: has 2 items, needs 3-8',
      '[nl] business item "Bad Id": id must be lower case letters, digits and single hyphens',
      '[nl] business item "Bad Id": title is empty',
      '[nl] business item "Bad Id": description is longer than 200 characters',
      '[de] business items: the ids (strategy, decisions) differ from English (strategy, decisions, customers, money, unwritten-rules, leadership): same ids, same order',
      '[nl] business items: the ids (strategy, decisions, customers, money, unwritten-rules, Bad Id) differ from English (strategy, decisions, customers, money, unwritten-rules, leadership): same ids, same order',
    ]);
  });
});
