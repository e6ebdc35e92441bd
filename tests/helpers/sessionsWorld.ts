// A running programme with one pair whose two people have Outlook calendars in the Graph stand-in:
// the mentee in Berlin, the mentor in London, each with busy times in the next two weeks, and
// their contacts (sign-in names, languages) as the bot would have stored them.
import type { Programme } from '../../bot/domain/types';
import { localParts } from '../../bot/domain/checkins';
import { instantOf } from '../../bot/domain/sessions';
import type { Store } from '../../bot/storage/store';
import type { GraphStandIn } from './graph';
import { entraUser } from './graph';
import { TENANT, TestUser, upnOf, user } from './harness';
import { pairFixture, participantFixture, programmeFixture } from './tabSeed';

export interface SessionsWorld {
  programme: Programme;
  mentor: TestUser;
  mentee: TestUser;
  stranger: TestUser;
  /** The busy times seeded, per person (ISO). */
  busy: { mentor: Array<{ start: string; end: string }>; mentee: Array<{ start: string; end: string }> };
}

const iso = (at: number) => new Date(at).toISOString();
const day = (at: number) => iso(at).slice(0, 10);

/** The next working day (Mon-Fri, Berlin) at hh:mm Berlin time, `n` working days from now. */
export function berlin(n: number, hh: number, mm = 0, now = Date.now()): number {
  let k = 0;
  for (let d = 1; d < 40; d++) {
    const at = now + d * 86400_000;
    const p = localParts(new Date(at), 'Europe/Berlin');
    if (p.weekday >= 5) continue;
    if (++k === n) return instantOf(p.year, p.month, p.day, hh, mm, 'Europe/Berlin');
  }
  throw new Error('no working day');
}

/** `people`: other names (each world's people need their own sign-in names); `paired: false` leaves the pair to an admin. */
export async function seedSessionsWorld(
  store: Store, graph: GraphStandIn,
  o: { id?: string; name?: string; people?: [string, string, string]; paired?: boolean; preferredDays?: string[]; endInDays?: number } = {},
): Promise<SessionsWorld> {
  const [mentorName, menteeName, strangerName] = o.people ?? ['Lena London', 'Bernd Berlin', 'Stan Stranger'];
  const mentor = user(mentorName);
  const mentee = user(menteeName);
  const stranger = user(strangerName);
  const now = Date.now();
  const programme = programmeFixture(o.id ?? `sessions-${Math.random().toString(36).slice(2, 8)}`, {
    name: o.name ?? 'Digital Leaders 2027', startDate: day(now - 7 * 86400_000), endDate: day(now + (o.endInDays ?? 84) * 86400_000), cadenceWeeks: 1, sessionMinutes: 60, levels: [1, 2, 3],
  });
  await store.programmes.upsert(programme);
  const days = (o.preferredDays ?? ['tue', 'wed', 'thu']) as never[];
  await store.participants.upsert(participantFixture(programme.id, mentor.aadObjectId, 'mentor', { name: mentor.name, timeZone: 'Europe/London', preferredDays: days, department: 'IT' }));
  await store.participants.upsert(participantFixture(programme.id, mentee.aadObjectId, 'mentee', { name: mentee.name, timeZone: 'Europe/Berlin', preferredDays: days, department: 'Sales' }));
  if (o.paired !== false) await store.pairs.upsert(pairFixture(programme.id, mentor.aadObjectId, mentee.aadObjectId));
  for (const [u, locale] of [[mentor, 'en'], [mentee, 'de'], [stranger, 'en']] as const) {
    await store.users.upsert({ tenantId: TENANT, userId: u.aadObjectId, name: u.name, locale, upn: upnOf(u), updatedAt: iso(now) });
  }
  graph.seed({
    users: [entraUser(mentor, { mailboxTimeZone: 'GMT Standard Time' }), entraUser(mentee, { mailboxTimeZone: 'W. Europe Standard Time' }), entraUser(stranger)],
    groups: [],
  });
  // Working hours: London 09:00-17:00 (= 10:00-18:00 Berlin), Berlin 08:00-16:00: together 10:00-16:00 Berlin.
  graph.calendars.setWorkingHours(mentor.aadObjectId, { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '09:00', endTime: '17:00', timeZone: 'GMT Standard Time' });
  graph.calendars.setWorkingHours(mentee.aadObjectId, { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '08:00', endTime: '16:00', timeZone: 'W. Europe Standard Time' });
  // Busy: the mentee every morning of the first three working days until 12:00, the mentor 12:00-14:00 on them.
  const busy = { mentor: [] as Array<{ start: string; end: string }>, mentee: [] as Array<{ start: string; end: string }> };
  for (let n = 1; n <= 3; n++) {
    busy.mentee.push({ start: iso(berlin(n, 8)), end: iso(berlin(n, 12)) });
    busy.mentor.push({ start: iso(berlin(n, 12)), end: iso(berlin(n, 14)) });
  }
  graph.busy(mentor.aadObjectId, busy.mentor.map((b) => ({ ...b, subject: 'Team meeting' })));
  graph.busy(mentee.aadObjectId, busy.mentee.map((b) => ({ ...b, subject: 'Board', showAs: 'busy' as const })));
  return { programme, mentor, mentee, stranger, busy };
}
