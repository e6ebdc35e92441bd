// A small programme world for the tab's tests, written straight through the Store:
// an admin, two pairs (one at risk), an unpaired mentee, progress, two check-in rounds.
import type { CheckinRecord, Level, Pair, Participant, Programme, Role } from '../../bot/domain/types';
import { pairId, Store } from '../../bot/storage/store';
import { TENANT, user } from './harness';

export const PROGRAMME_ID = 'digital-2026';

export function programmeFixture(id: string, over: Partial<Programme> = {}): Programme {
  return {
    tenantId: TENANT, id, name: 'Digital Workplace 2026', objectives: 'Leaders learn the digital workplace; juniors learn how the business runs.',
    startDate: '2026-01-12', endDate: '2026-06-26', levels: [1, 2, 3] as Level[], cadenceWeeks: 1, enrolment: 'open', maxMenteesPerMentor: 2,
    status: 'running', timeZone: 'Europe/Berlin', checkinWeekday: 'mon', checkinHour: 9, reminderAfterDays: 3, createdBy: 'seed',
    createdAt: '2026-01-01T09:00:00.000Z', ...over,
  };
}

export function participantFixture(programmeId: string, userId: string, role: Role, over: Partial<Participant> = {}): Participant {
  return {
    tenantId: TENANT, programmeId, userId, role, status: 'active', name: userId, department: role === 'mentor' ? 'IT' : 'Sales',
    seniority: role === 'mentor' ? 'apprentice' : 'director', languages: ['en'], timeZone: 'Europe/Berlin', sessionsPerMonth: 2,
    preferredDays: ['tue'], skills: role === 'mentor' ? [3, 3, 2, 1, 0] : [1, 0, 0, 0, 0], wantLevels: role === 'mentee' ? [1, 2] : [],
    joinedAt: '2026-01-02T09:00:00.000Z', excluded: [], ...over,
  };
}

export function pairFixture(programmeId: string, mentorId: string, menteeId: string, over: Partial<Pair> = {}): Pair {
  return {
    tenantId: TENANT, programmeId, id: pairId(mentorId, menteeId), mentorId, menteeId, status: 'active', score: 80, reasons: [{ code: 'covers', levels: [1, 2] }],
    proposalId: 'proposal-1', createdAt: '2026-01-05T09:00:00.000Z', ...over,
  };
}

export function seedPeople() {
  return {
    admin: user('Ada Admin'),
    mentor: user('Mia Mentor'),
    mentee: user('Max Mentee'),
    mentor2: user('Tom Mentor'),
    mentee2: user('Eve Mentee'),
    mentee3: user('Zoe Mentee'),
    stranger: user('Sam Stranger'),
  };
}
export type People = ReturnType<typeof seedPeople>;

const checkin = (round: number, u: string, pair: string, role: Role, over: Partial<CheckinRecord> = {}): CheckinRecord => ({
  tenantId: TENANT, programmeId: PROGRAMME_ID, round, userId: u, pairId: pair, role, dispatch: 'sent', attempts: 1, sentAt: `2026-01-${12 + 7 * (round - 1)}T09:00:00.000Z`, ...over,
});

export async function seedWorld(store: Store, people: People = seedPeople()): Promise<People> {
  const { admin, mentor, mentee, mentor2, mentee2, mentee3, stranger } = people;
  const now = '2026-02-01T10:00:00.000Z';
  await store.programmes.upsert(programmeFixture(PROGRAMME_ID));
  await store.programmes.upsert(programmeFixture('draft-2027', { name: 'Draft programme', status: 'draft' }));
  await store.admins.upsert({ tenantId: TENANT, userId: admin.aadObjectId, name: admin.name, addedBy: 'seed', addedAt: now, source: 'command' });
  await Promise.all([
    store.participants.upsert(participantFixture(PROGRAMME_ID, mentor.aadObjectId, 'mentor', { name: mentor.name, department: 'IT' })),
    store.participants.upsert(participantFixture(PROGRAMME_ID, mentee.aadObjectId, 'mentee', { name: mentee.name, department: 'Sales' })),
    store.participants.upsert(participantFixture(PROGRAMME_ID, mentor2.aadObjectId, 'mentor', { name: mentor2.name, department: '=HYPERLINK("http://evil.example","x")' })),
    store.participants.upsert(participantFixture(PROGRAMME_ID, mentee2.aadObjectId, 'mentee', { name: 'Eve "The Boss", Jr.', department: 'Finance' })),
    store.participants.upsert(participantFixture(PROGRAMME_ID, mentee3.aadObjectId, 'mentee', { name: '<img src=x onerror=alert(1)>Zoe', department: 'Sales' })),
  ]);
  const p1 = pairFixture(PROGRAMME_ID, mentor.aadObjectId, mentee.aadObjectId);
  const p2 = pairFixture(PROGRAMME_ID, mentor2.aadObjectId, mentee2.aadObjectId, { atRisk: true });
  await Promise.all([store.pairs.upsert(p1), store.pairs.upsert(p2)]);
  await Promise.all([
    store.progress.upsert({ tenantId: TENANT, userId: mentee.aadObjectId, tutorialId: 'l1-profile', status: 'done', source: 'checkin', updatedAt: now }),
    store.progress.upsert({ tenantId: TENANT, userId: mentee.aadObjectId, tutorialId: 'l1-network', status: 'in-progress', source: 'tab', updatedAt: now }),
    store.progress.upsert({ tenantId: TENANT, userId: mentee2.aadObjectId, tutorialId: 'l1-profile', status: 'done', source: 'checkin', updatedAt: now }),
  ]);
  for (const round of [1, 2]) {
    await store.rounds.upsert({
      tenantId: TENANT, programmeId: PROGRAMME_ID, round, openedAt: `2026-01-${12 + 7 * (round - 1)}T08:00:00.000Z`,
      closesAt: `2026-01-${18 + 7 * (round - 1)}T08:00:00.000Z`, status: round === 2 ? 'open' : 'closed', expected: 4, enqueued: true,
    });
  }
  await Promise.all([
    store.checkins.upsert(checkin(1, mentee.aadObjectId, p1.id, 'mentee', {
      answeredAt: '2026-01-13T15:00:00.000Z', met: 'yes', tutorials: ['l1-profile'], learned: 'How to keep a profile current', rating: 5, nextSession: '2026-01-20',
    })),
    store.checkins.upsert(checkin(1, mentor.aadObjectId, p1.id, 'mentor', {
      answeredAt: '2026-01-13T16:00:00.000Z', met: 'yes', tutorials: ['l1-profile'], learned: 'How sales forecasts are made', rating: 4, nextSession: '2026-01-20',
    })),
    store.checkins.upsert(checkin(1, mentee2.aadObjectId, p2.id, 'mentee')),
    store.checkins.upsert(checkin(1, mentor2.aadObjectId, p2.id, 'mentor', { dispatch: 'unreachable' })),
    store.checkins.upsert(checkin(2, mentee.aadObjectId, p1.id, 'mentee', {
      answeredAt: '2026-01-20T15:00:00.000Z', met: 'rescheduled', tutorials: [], learned: '', rating: 4, nextSession: '2026-01-29',
    })),
    store.checkins.upsert(checkin(2, mentor.aadObjectId, p1.id, 'mentor')),
    store.checkins.upsert(checkin(2, mentee2.aadObjectId, p2.id, 'mentee')),
    store.checkins.upsert(checkin(2, mentor2.aadObjectId, p2.id, 'mentor', { dispatch: 'unreachable' })),
  ]);
  await store.users.upsert({ tenantId: TENANT, userId: mentor2.aadObjectId, name: mentor2.name, locale: 'en', unreachable: true, updatedAt: now });
  void stranger;
  return people;
}
