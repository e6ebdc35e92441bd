// A check-in round's people for the benchmarks: pairs, their contacts and conversations seeded
// straight into Table Storage in batches, and what the Bot Connector stand-in received, counted.
import type { createServices } from '../../bot/startup';
import type { Pair, Participant, Programme, UserContact } from '../../bot/domain/types';
import { pairId } from '../../bot/storage/store';
import { AlreadyExistsError } from '../../bot/storage/repository';
import type { ConnectorStandIn, RecordedActivity } from '../connector/connector';

export const TENANT = '7a1f0000-0000-4000-8000-0000000be7c4';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Progress goes to stderr, so a long run shows it is alive without mixing into the figures. */
export const progress = (msg: string) => process.stderr.write(`  ... ${msg}\n`);

export interface Tally {
  /** Check-in cards per person (key: user id). */
  perUser: Map<string, number>;
  stamps: number[];
}

/** Moves recorded activities into counts, so 20,000 cards do not sit in memory as JSON. */
export function drain(connector: ConnectorStandIn, tally: Tally): void {
  const taken: RecordedActivity[] = connector.activities.splice(0);
  for (const a of taken) {
    const data = a.activity.attachments?.[0]?.content?.actions?.[0]?.data;
    if (data?.verb !== 'checkin.submit') continue;
    tally.perUser.set(data.forUser, (tally.perUser.get(data.forUser) ?? 0) + 1);
    tally.stamps.push(a.at);
  }
}

export async function seed(svc: ReturnType<typeof createServices>, connector: ConnectorStandIn, pairs: number, count: number): Promise<Programme[]> {
  const { store } = svc;
  const now = new Date().toISOString();
  const programmes: Programme[] = Array.from({ length: count }, (_, k) => ({
    tenantId: TENANT, id: `bench-programme-${k + 1}`, name: `Bench programme ${k + 1}`, objectives: 'Benchmark', startDate: '2026-01-05', endDate: '2027-12-31',
    levels: [1, 2], cadenceWeeks: 1, enrolment: 'open', maxMenteesPerMentor: 1, status: 'running', timeZone: 'Europe/Berlin',
    checkinWeekday: 'mon', checkinHour: 9, reminderAfterDays: 3, createdBy: 'bench', createdAt: now,
  }));
  for (const p of programmes) await store.programmes.upsert(p);
  await store.tenants.upsert({ tenantId: TENANT, serviceUrl: connector.url, updatedAt: now });
  const programmeOf = (i: number) => programmes[i % count];
  const person = (userId: string, role: 'mentor' | 'mentee', i: number): Participant => ({
    tenantId: TENANT, programmeId: programmeOf(i).id, userId, role, status: 'active', name: `${role} ${i}`, department: role === 'mentor' ? 'IT' : 'Sales',
    seniority: role === 'mentor' ? 'staff' : 'director', languages: ['en'], timeZone: 'Europe/Berlin', sessionsPerMonth: 2, preferredDays: ['tue'],
    skills: [3, 3, 0, 0, 0], wantLevels: role === 'mentee' ? [1, 2] : [], joinedAt: now, excluded: [],
  });
  const people: Participant[] = [];
  const pairRows: Pair[] = [];
  const contacts: UserContact[] = [];
  for (let i = 0; i < pairs; i++) {
    const mentor = `00000000-0000-4000-a000-${String(2 * i).padStart(12, '0')}`;
    const mentee = `00000000-0000-4000-a000-${String(2 * i + 1).padStart(12, '0')}`;
    people.push(person(mentor, 'mentor', i), person(mentee, 'mentee', i));
    pairRows.push({ tenantId: TENANT, programmeId: programmeOf(i).id, id: pairId(mentor, mentee), mentorId: mentor, menteeId: mentee, status: 'active', score: 80, reasons: [], proposalId: 'bench', createdAt: now });
    for (const userId of [mentor, mentee]) {
      const conversation = `a:bench-${userId}`;
      connector.bindConversation(conversation, userId);
      const ref = { channelId: 'msteams', serviceUrl: connector.url, conversation: { id: conversation, tenantId: TENANT }, user: { id: `29:${userId}` }, bot: { id: '28:bench' } };
      contacts.push({ tenantId: TENANT, userId, name: '', locale: 'en', conversationRef: JSON.stringify(ref), updatedAt: now });
    }
  }
  const write = async <T extends object>(repo: { transaction(a: Array<['create', T]>): Promise<void> }, rows: T[]) => {
    const batches: T[][] = [];
    for (let i = 0; i < rows.length; i += 100) batches.push(rows.slice(i, i + 100));
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        const batch = batches[next++].map((r) => ['create', r] as ['create', T]);
        // A batch is all or nothing: one that hit a dropped connection is sent again, and a 409
        // then means the first try had landed.
        for (let attempt = 1; ; attempt++) {
          try {
            await repo.transaction(batch);
            break;
          } catch (err) {
            if (err instanceof AlreadyExistsError) break;
            if (attempt >= 5) throw err;
            await sleep(1000 * attempt);
          }
        }
      }
    }));
  };
  // A batch holds one partition: write each programme's rows together.
  for (const p of programmes) {
    await write(store.participants, people.filter((x) => x.programmeId === p.id));
    await write(store.pairs, pairRows.filter((x) => x.programmeId === p.id));
  }
  await write(store.users, contacts);
  return programmes;
}

/** The most stamps in any one-second window (stamps in order). */
export function busiestSecond(stamps: number[]): number {
  let peak = 0;
  for (let i = 0, j = 0; i < stamps.length; i++) {
    while (stamps[i] - stamps[j] >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}
