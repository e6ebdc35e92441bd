// A closed programme with known starts and ends, written straight through the Store, for the
// outcome report's tests (HTTP and browser): twelve mentees in five departments, four mentors, two
// check-in rounds, the closing survey, and an earlier programme for the knowledge map over time.
// The expected figures are worked out by hand in tests/outcomes.test.ts.
import type { Baseline, CheckinRecord, FeedbackRecord, Role, Skill } from '../../bot/domain/types';
import { pairId, Store } from '../../bot/storage/store';
import { TENANT, TestUser, user } from './harness';
import { participantFixture, programmeFixture } from './tabSeed';

export const OUTCOME_ID = 'outcome-2026';
export const EARLIER_ID = 'earlier-2025';
const BUSINESS = ['strategy', 'decisions', 'customers', 'money', 'unwritten-rules', 'leadership'];

interface Mentee { u: TestUser; department: string; start: [number, number]; end?: [number, number] }
interface Mentor { u: TestUser; department: string; strategy: [number, number] }

export function outcomePeople() {
  const mentee = (name: string, department: string, start: [number, number], end?: [number, number]): Mentee => ({ u: user(name), department, start, end });
  return {
    admin: user('Olivia Outcome'),
    mentees: [
      mentee('Sal One', 'Sales', [1, 0], [2, 1]), mentee('Sal Two', 'Sales', [0, 0], [1, 0]), mentee('Sal Three', 'Sales', [2, 1], [3, 1]), mentee('Sal Four', 'Sales', [1, 1], [1, 2]),
      mentee('Fin One', 'Finance', [0, 0], [2, 1]), mentee('Fin Two', 'Finance', [1, 0], [1, 0]), mentee('Fin Three', 'Finance', [2, 2], [3, 3]),
      mentee('Lea Legal', 'Legal', [0, 0], [1, 1]),
      mentee('Hal One', 'HR', [1, 0], [2, 0]), mentee('Hal Two', 'HR', [0, 1], [0, 1]),
      // Two who did not answer the closing survey: no end, so not compared.
      mentee('Sal Five', 'Sales', [0, 0]), mentee('Sal Six', 'Sales', [1, 0]),
    ],
    mentors: [
      { u: user('Ian One'), department: 'IT', strategy: [0, 2] }, { u: user('Ian Two'), department: 'IT', strategy: [1, 1] },
      { u: user('Ian Three'), department: 'IT', strategy: [0, 1] }, { u: user('Mark Marketing'), department: 'Marketing', strategy: [2, 3] },
    ] as Mentor[],
  };
}
export type OutcomePeople = ReturnType<typeof outcomePeople>;

/** Per answer, in the order mentees (with an end) then mentors: 1:1 value, flexibility, recommend. */
export const SURVEY_SCORES: Array<[number, number, number]> = [
  [5, 4, 10], [4, 4, 9], [4, 3, 8], [5, 5, 9], [3, 3, 7], [4, 4, 6], [5, 4, 10], [2, 2, 3], [4, 5, 9], [5, 4, 8],
  [4, 3, 9], [3, 4, 10], [5, 4, 9], [4, 5, 7],
];

export async function seedOutcome(store: Store, people: OutcomePeople = outcomePeople()): Promise<OutcomePeople> {
  const at = '2026-01-19T09:00:00.000Z';
  await store.programmes.upsert(programmeFixture(OUTCOME_ID, {
    name: 'Digital Leaders 2026', levels: [1, 2], status: 'closed', startDate: '2026-01-12', endDate: '2026-06-26', closedAt: '2026-07-10T09:00:00.000Z', feedbackUntil: '2026-07-10T09:00:00.000Z',
  }));
  await store.admins.upsert({ tenantId: TENANT, userId: people.admin.aadObjectId, name: people.admin.name, addedBy: 'seed', addedAt: at, source: 'command' });
  const mentorSkills: Skill[] = [3, 3, 2, 1, 0];
  const rows: Array<Promise<unknown>> = [];
  const baseline = (u: TestUser, role: Role, department: string, over: Partial<Baseline>): Baseline => ({ tenantId: TENANT, programmeId: OUTCOME_ID, userId: u.aadObjectId, role, department, skillsAt: at, ...over });
  const survey = (u: TestUser, role: Role, i: number, over: Partial<FeedbackRecord>): FeedbackRecord => ({
    tenantId: TENANT, programmeId: OUTCOME_ID, userId: u.aadObjectId, role, phase: 'end', valueOfOneToOne: SURVEY_SCORES[i][0], flexibility: SURVEY_SCORES[i][1], recommend: SURVEY_SCORES[i][2],
    change: `COMMENT-${u.name}`, submittedAt: '2026-07-01T09:00:00.000Z', ...over,
  });
  const asked = (u: TestUser, role: Role, pair: string): CheckinRecord => ({ tenantId: TENANT, programmeId: OUTCOME_ID, round: 0, userId: u.aadObjectId, pairId: pair, role, dispatch: 'sent', attempts: 1 });
  let answer = 0;
  people.mentees.forEach((m, i) => {
    const mentor = people.mentors[i % 4];
    const pair = pairId(mentor.u.aadObjectId, m.u.aadObjectId);
    rows.push(store.participants.upsert(participantFixture(OUTCOME_ID, m.u.aadObjectId, 'mentee', { name: m.u.name, department: m.department, skills: [...m.start, 0, 0, 0] as Skill[] })));
    rows.push(store.baselines.upsert(baseline(m.u, 'mentee', m.department, { skills: [...m.start, 0, 0, 0] as Skill[] })));
    rows.push(store.checkins.upsert(asked(m.u, 'mentee', pair)));
    if (m.end) rows.push(store.feedback.upsert(survey(m.u, 'mentee', answer++, { levels: { '1': m.end[0] as Skill, '2': m.end[1] as Skill } })));
  });
  people.mentors.forEach((m) => {
    const business = (v: number) => Object.fromEntries(BUSINESS.map((id) => [id, (id === 'strategy' ? v : 1) as Skill]));
    rows.push(store.participants.upsert(participantFixture(OUTCOME_ID, m.u.aadObjectId, 'mentor', { name: m.u.name, department: m.department, skills: mentorSkills })));
    rows.push(store.baselines.upsert(baseline(m.u, 'mentor', m.department, { skills: mentorSkills, business: business(m.strategy[0]), businessAt: at })));
    rows.push(store.checkins.upsert(asked(m.u, 'mentor', 'survey')));
    rows.push(store.feedback.upsert(survey(m.u, 'mentor', answer++, { business: business(m.strategy[1]) })));
  });
  // Four pairs, two rounds: round 1 three pairs met, round 2 two.
  const pairs = people.mentors.map((mentor, i) => ({ mentor: mentor.u, mentee: people.mentees[i].u, id: pairId(mentor.u.aadObjectId, people.mentees[i].u.aadObjectId) }));
  for (const p of pairs) rows.push(store.pairs.upsert({ tenantId: TENANT, programmeId: OUTCOME_ID, id: p.id, mentorId: p.mentor.aadObjectId, menteeId: p.mentee.aadObjectId, status: 'ended', score: 80, reasons: [], proposalId: 'x', createdAt: at }));
  const rec = (round: number, u: TestUser, pair: string, role: Role, over: Partial<CheckinRecord> = {}): CheckinRecord =>
    ({ tenantId: TENANT, programmeId: OUTCOME_ID, round, userId: u.aadObjectId, pairId: pair, role, dispatch: 'sent', attempts: 1, ...over });
  const yes = (tutorials: string[]) => ({ answeredAt: '2026-01-20T09:00:00.000Z', met: 'yes' as const, tutorials, rating: 4 });
  for (const round of [1, 2]) {
    rows.push(store.rounds.upsert({ tenantId: TENANT, programmeId: OUTCOME_ID, round, openedAt: `2026-01-${String(12 + 7 * (round - 1)).padStart(2, '0')}T08:00:00.000Z`, closesAt: '2026-02-01T08:00:00.000Z', status: 'closed', expected: 8, enqueued: true }));
  }
  const [p1, p2, p3, p4] = pairs;
  rows.push(
    store.checkins.upsert(rec(1, p1.mentee, p1.id, 'mentee', yes(['l1-profile', 'l1-network']))), store.checkins.upsert(rec(1, p1.mentor, p1.id, 'mentor', yes(['l1-profile']))),
    store.checkins.upsert(rec(1, p2.mentee, p2.id, 'mentee', yes(['l1-profile']))), store.checkins.upsert(rec(1, p2.mentor, p2.id, 'mentor')),
    store.checkins.upsert(rec(1, p3.mentee, p3.id, 'mentee', yes(['l2-communities']))), store.checkins.upsert(rec(1, p3.mentor, p3.id, 'mentor', { answeredAt: '2026-01-20T10:00:00.000Z', met: 'yes', tutorials: [] })),
    store.checkins.upsert(rec(1, p4.mentee, p4.id, 'mentee')), store.checkins.upsert(rec(1, p4.mentor, p4.id, 'mentor')),
    store.checkins.upsert(rec(2, p1.mentee, p1.id, 'mentee', yes(['l1-profile']))), store.checkins.upsert(rec(2, p1.mentor, p1.id, 'mentor')),
    store.checkins.upsert(rec(2, p2.mentee, p2.id, 'mentee', { answeredAt: '2026-01-27T09:00:00.000Z', met: 'no', tutorials: [] })), store.checkins.upsert(rec(2, p2.mentor, p2.id, 'mentor', yes(['l2-guidelines']))),
    store.checkins.upsert(rec(2, p3.mentee, p3.id, 'mentee')), store.checkins.upsert(rec(2, p3.mentor, p3.id, 'mentor')),
    store.checkins.upsert(rec(2, p4.mentee, p4.id, 'mentee')), store.checkins.upsert(rec(2, p4.mentor, p4.id, 'mentor')),
  );
  // An earlier programme, for the company's knowledge map over time: five people, all at level 1 basic.
  await store.programmes.upsert(programmeFixture(EARLIER_ID, { name: 'Web 2.0 in 2025', levels: [1], status: 'closed', startDate: '2025-03-03', endDate: '2025-06-27', closedAt: '2025-07-11T09:00:00.000Z', createdAt: '2025-02-01T09:00:00.000Z' }));
  for (const [i, name] of ['Early One', 'Early Two', 'Early Three', 'Early Four', 'Early Five'].entries()) {
    const u = user(name);
    rows.push(store.baselines.upsert({ tenantId: TENANT, programmeId: EARLIER_ID, userId: u.aadObjectId, role: 'mentee', department: 'Sales', skills: [1, 0, 0, 0, 0], skillsAt: '2025-03-10T09:00:00.000Z' }));
    if (i < 4) rows.push(store.feedback.upsert({ tenantId: TENANT, programmeId: EARLIER_ID, userId: u.aadObjectId, role: 'mentee', phase: 'end', valueOfOneToOne: 4, flexibility: 4, recommend: 8, levels: { '1': 2 }, change: '', submittedAt: '2025-07-01T09:00:00.000Z' }));
  }
  await Promise.all(rows);
  return people;
}
