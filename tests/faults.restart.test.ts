// The server process killed (SIGKILL, as a crash) in the middle of a check-in round, then a new
// one started on the same storage and queue: every person gets their card exactly once.
import { QueueClient } from '@azure/storage-queue';
import { ConnectorStandIn, RecordedActivity } from './connector/connector';
import { actionData } from './helpers/flows';
import { ChildServer, startChildServer } from './helpers/childServer';
import { connectionString, testPrefix } from './helpers/storage';
import { TENANT } from './helpers/harness';
import { Store, pairId, roundPartition } from '../bot/storage/store';
import type { CheckinRecord, Level, Pair, Participant, Programme } from '../bot/domain/types';

const PAIRS = 30;
const PROGRAMME = 'crash-2027';
const ADMIN = '00000000-0000-4000-b000-00000000ad00';
const uuid = (n: number) => `00000000-0000-4000-b000-${n.toString(16).padStart(12, '0')}`;
const mentors = Array.from({ length: PAIRS }, (_, i) => uuid(1000 + i));
const mentees = Array.from({ length: PAIRS }, (_, i) => uuid(2000 + i));
const everyone = [...mentors, ...mentees];

async function until(what: string, pred: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function seed(store: Store, serviceUrl: string): Promise<void> {
  const now = new Date().toISOString();
  const programme: Programme = {
    tenantId: TENANT, id: PROGRAMME, name: 'Crash Test', objectives: 'Survive a crash.', startDate: '2027-01-04', endDate: '2027-06-30', levels: [1, 2] as Level[],
    cadenceWeeks: 1, enrolment: 'open', maxMenteesPerMentor: 1, status: 'running', timeZone: 'Europe/Berlin', checkinWeekday: 'mon', checkinHour: 9,
    reminderAfterDays: 3, createdBy: ADMIN, createdAt: now,
  };
  await store.programmes.upsert(programme);
  const person = (userId: string, i: number, role: 'mentor' | 'mentee'): Participant => ({
    tenantId: TENANT, programmeId: PROGRAMME, userId, role, status: 'active', name: `${role} ${i}`, department: role === 'mentor' ? 'IT' : 'Sales',
    seniority: role === 'mentor' ? 'apprentice' : 'director', languages: ['en'], timeZone: 'Europe/Berlin', sessionsPerMonth: 2, preferredDays: ['tue'],
    skills: role === 'mentor' ? [3, 3, 2, 1, 0] : [0, 0, 0, 0, 0], wantLevels: role === 'mentee' ? [1] : [], joinedAt: now, consentAt: now, excluded: [],
  });
  await store.participants.transaction([...mentors.map((m, i) => person(m, i, 'mentor')), ...mentees.map((m, i) => person(m, i, 'mentee'))].map((p) => ['upsert', p]));
  const pairs: Pair[] = mentors.map((m, i) => ({
    tenantId: TENANT, programmeId: PROGRAMME, id: pairId(m, mentees[i]), mentorId: m, menteeId: mentees[i], status: 'active', score: 80, reasons: [],
    proposalId: 'seed', createdAt: now, introducedAt: now,
  }));
  await store.pairs.transaction(pairs.map((p) => ['upsert', p]));
  // Where this tenant's Bot Connector is: the people never wrote to the bot, so their 1:1 chats are opened.
  await store.tenants.upsert({ tenantId: TENANT, serviceUrl, updatedAt: now });
}

describe('the server killed during a check-in round', () => {
  const connector = new ConnectorStandIn();
  const prefix = testPrefix();
  const queueName = `crash-${prefix.toLowerCase()}`.slice(0, 60);
  let store: Store;
  const servers: ChildServer[] = [];
  const env = () => ({
    AZURE_STORAGE_CONNECTION_STRING: connectionString(), TABLE_PREFIX: prefix, CHECKIN_QUEUE: queueName, PORT: '0',
    SCHEDULER_INTERVAL_SECONDS: '0', BOT_ADMINS: ADMIN, SEND_RATE_PER_SECOND: '20',
  });
  const cards = (userId: string) => connector.activities.filter((a: RecordedActivity) => a.userId === userId && actionData(a, 'checkin.submit'));

  beforeAll(async () => {
    await connector.start();
    store = new Store({ connectionString: connectionString(), tablePrefix: prefix });
    await store.ensureTables();
    await seed(store, connector.url);
  });
  afterAll(async () => {
    for (const s of servers) await s.kill();
    await connector.stop();
    await new QueueClient(connectionString(), queueName).deleteIfExists().catch(() => undefined);
  });

  it('a new server finishes the round: every card delivered exactly once, none lost', async () => {
    const first = await startChildServer(env());
    servers.push(first);
    // The admin opens this week's round; the queue holds one job per person.
    const res = await fetch(`${first.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message', channelId: 'msteams', serviceUrl: connector.url, id: 'in-admin-1', from: { id: '29:admin', name: 'Ada Admin', aadObjectId: ADMIN },
        recipient: { id: '28:reverse-mentor-bot', name: 'Reverse Mentor' }, conversation: { id: 'a:1to1-admin', conversationType: 'personal', tenantId: TENANT },
        channelData: { tenant: { id: TENANT } }, text: `checkins send ${PROGRAMME}`, locale: 'en-US',
      }),
    });
    expect(res.status).toBe(200);

    // A third of the cards are out; the next sends hang on the wire when the process dies.
    await until('a third of the cards to go out', () => everyone.filter((u) => cards(u).length).length >= PAIRS * 2 / 3, 60_000);
    connector.hold();
    await until('sends to be in flight', () => connector.heldCount >= 1, 20_000);
    await first.kill();
    await until('the dead process\'s connections to close', () => connector.heldAbandoned === connector.heldCount, 10_000);
    const held = connector.heldCount;
    connector.releaseHeld();
    await until('the abandoned sends to be dropped unprocessed', () => connector.counters.dropped >= held, 10_000);
    const before = everyone.filter((u) => cards(u).length).length;
    expect(before).toBeLessThan(everyone.length);

    // A new process on the same storage and queue. Jobs the dead one had taken come back when
    // their lease (60 s) runs out.
    const second = await startChildServer(env());
    servers.push(second);
    await until('every person to have a card', () => everyone.every((u) => cards(u).length >= 1), 150_000);
    const queue = new QueueClient(connectionString(), queueName);
    await until('the queue to drain', async () => ((await queue.getProperties()).approximateMessagesCount ?? 0) === 0, 30_000);

    for (const u of everyone) expect({ u, cards: cards(u).length }).toEqual({ u, cards: 1 });
    const records = (await store.checkins.list(roundPartition(TENANT, PROGRAMME, 1))).map((r) => r.value as CheckinRecord & { leaseId?: string });
    expect(records).toHaveLength(everyone.length);
    expect(records.every((r) => r.dispatch === 'sent')).toBe(true);
    expect(records.every((r) => !r.leaseId)).toBe(true);
  }, 240_000);
});
