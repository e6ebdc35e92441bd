// Entra ID as the source of truth about people: departments, job titles, offices, languages,
// time zones and reporting lines, read through Microsoft Graph: the use cases (the interface services
// use is services/directory.ts, bot/graph/ implements it). The directory's facts are stored on
// the participant rows (services/participants.ts writes them): read on join and nomination,
// refreshed before each pairing run and on `profile`. When Graph is down, what people typed is
// used and the next refresh fills in.
import { mergeDirectory, sameDirectory } from '../domain/programme';
import type { DirectoryFacts, Participant, Programme } from '../domain/types';
import { applyDirectory, participantsOf } from './participants';
import { DirectoryGroup, DirectoryMember, DirectoryPerson, DirectoryUnavailableError } from './directory';
import type { Services } from './services';

/** The facts to store: only what the directory has (empty values count as nothing). */
export function factsOf(p: DirectoryPerson, readAt: string): DirectoryFacts {
  const facts: DirectoryFacts = { managers: [...p.managers], readAt };
  for (const k of ['department', 'jobTitle', 'officeLocation', 'preferredLanguage', 'timeZone'] as const) {
    const v = (p[k] ?? '').trim();
    if (v) facts[k] = v;
  }
  return facts;
}

export type Lookup = { kind: 'found'; facts: DirectoryFacts } | { kind: 'unknown' } | { kind: 'unavailable' } | { kind: 'off' };

/** One person's facts, for a form someone is waiting for (bounded retries). */
export async function lookUpPerson(svc: Services, tenantId: string, userId: string): Promise<Lookup> {
  if (!svc.directory.enabled) return { kind: 'off' };
  try {
    const found = (await svc.directory.people(tenantId, [userId], 'person-waiting')).get(userId);
    return found ? { kind: 'found', facts: factsOf(found, svc.now().toISOString()) } : { kind: 'unknown' };
  } catch (err) {
    if (err instanceof DirectoryUnavailableError) return { kind: 'unavailable' };
    throw err;
  }
}

export type Refresh = { kind: 'refreshed'; people: number; changed: number } | { kind: 'unavailable' } | { kind: 'off' };

const REFRESHED: Participant['status'][] = ['nominated', 'active', 'paused'];

/**
 * Reads everyone in the programme from the directory and stores what changed (a move, a new
 * manager), before a pairing run. All of Graph is read first: if it fails, nothing is written.
 */
export async function refreshProgramme(svc: Services, programme: Programme): Promise<Refresh> {
  if (!svc.directory.enabled) return { kind: 'off' };
  const people = (await participantsOf(svc, programme)).filter((p) => REFRESHED.includes(p.status));
  if (!people.length) return { kind: 'refreshed', people: 0, changed: 0 };
  let found: Map<string, DirectoryPerson>;
  try {
    found = await svc.directory.people(programme.tenantId, people.map((p) => p.userId), 'background');
  } catch (err) {
    if (err instanceof DirectoryUnavailableError) return { kind: 'unavailable' };
    throw err;
  }
  const at = svc.now().toISOString();
  const changes = people.filter((p) => found.has(p.userId) && !sameDirectory(p.directory, factsOf(found.get(p.userId)!, at)));
  let changed = 0;
  // A few writes at a time: each row is conditional on its ETag, so a save racing this one wins or is re-applied.
  for (let i = 0; i < changes.length; i += 16) {
    const done = await Promise.all(changes.slice(i, i + 16).map((p) => applyDirectory(svc, programme, p.userId, factsOf(found.get(p.userId)!, at))));
    changed += done.filter(Boolean).length;
  }
  return { kind: 'refreshed', people: people.length, changed };
}

/** Refreshes one person's rows in these programmes (the `profile` command); returns the rows as they are now. */
export async function refreshPerson(
  svc: Services, tenantId: string, userId: string, rows: Array<{ programme: Programme; participant: Participant }>,
): Promise<{ lookup: Lookup; rows: Array<{ programme: Programme; participant: Participant }> }> {
  const lookup = rows.length ? await lookUpPerson(svc, tenantId, userId) : ({ kind: 'off' } as Lookup);
  if (lookup.kind !== 'found') return { lookup, rows };
  const out = [];
  for (const row of rows) {
    if (!sameDirectory(row.participant.directory, lookup.facts)) await applyDirectory(svc, row.programme, userId, lookup.facts);
    out.push({ programme: row.programme, participant: mergeDirectory(row.participant, lookup.facts) });
  }
  return { lookup, rows: out };
}

export type GroupPick = { kind: 'found'; group: DirectoryGroup } | { kind: 'none' } | { kind: 'ambiguous'; groups: DirectoryGroup[] } | { kind: 'unavailable' } | { kind: 'off' };

export async function findGroup(svc: Services, tenantId: string, nameOrId: string): Promise<GroupPick> {
  if (!svc.directory.enabled) return { kind: 'off' };
  try {
    const groups = await svc.directory.groups(tenantId, nameOrId);
    if (groups.length === 1) return { kind: 'found', group: groups[0] };
    return groups.length ? { kind: 'ambiguous', groups } : { kind: 'none' };
  } catch (err) {
    if (err instanceof DirectoryUnavailableError) return { kind: 'unavailable' };
    throw err;
  }
}

/** Every user of a group (nested, all pages), with their facts where the directory gave them. */
export async function groupPeople(svc: Services, tenantId: string, groupId: string): Promise<Array<DirectoryMember & { facts?: DirectoryFacts }> | undefined> {
  try {
    const members = await svc.directory.members(tenantId, groupId);
    const at = svc.now().toISOString();
    const known = await svc.directory.people(tenantId, members.map((m) => m.id), 'background').catch((err) => {
      if (err instanceof DirectoryUnavailableError) return new Map<string, DirectoryPerson>();
      throw err;
    });
    return members.map((m) => (known.has(m.id) ? { ...m, facts: factsOf(known.get(m.id)!, at) } : m));
  } catch (err) {
    if (err instanceof DirectoryUnavailableError) return undefined;
    throw err;
  }
}

// ---------------------------------------------------------------- admins from an Entra group

/** Members of BOT_ADMIN_GROUP per tenant, reused for this long (an admin removed from the group loses rights within it). */
export const ADMIN_GROUP_TTL_MS = 60_000;
const adminGroups = new Map<string, { at: number; members: Set<string> }>();

/** Whether the person is a (transitive) member of the configured admin group; false when Graph cannot say. */
export async function inAdminGroup(svc: Services, tenantId: string, userId: string): Promise<boolean> {
  const groupId = svc.config.botAdminGroup;
  if (!groupId || !svc.directory.enabled) return false;
  const cacheKey = `${tenantId}|${groupId}`;
  let cached = adminGroups.get(cacheKey);
  const now = Date.now();
  if (!cached || now - cached.at > ADMIN_GROUP_TTL_MS) {
    try {
      cached = { at: now, members: new Set((await svc.directory.members(tenantId, groupId)).map((m) => m.id.toLowerCase())) };
      adminGroups.set(cacheKey, cached);
    } catch (err) {
      if (!(err instanceof DirectoryUnavailableError)) throw err;
      // Graph down: the last known members count, or nobody.
      if (!cached) return false;
    }
  }
  return cached.members.has(userId.toLowerCase());
}

/** Forgets cached admin-group members (tests that change the group). */
export function forgetAdminGroup(): void {
  adminGroups.clear();
}
