// Participants: joining and profiles, nominations, pausing and leaving. Every write of the
// participants table outside erasure happens here.
import { odata } from '@azure/data-tables';
import { mergeDirectory, sameDirectory, type ProfileFields } from '../domain/programme';
import type { DirectoryFacts, Pair, Participant, Programme, Role } from '../domain/types';
import { key } from '../storage/repository';
import { programmePartition } from '../storage/store';
import { endPairsOf, EndedPair, pausePairsOf, resumePairsOf } from './pairs';
import { listProgrammes } from './programmes';
import type { Services } from './services';

type Scope = Pick<Programme, 'tenantId' | 'id'>;

export async function participantsOf(svc: Services, p: Scope): Promise<Participant[]> {
  return (await svc.store.participants.list(programmePartition(p.tenantId, p.id))).map((v) => v.value);
}

/** What a card needs of its reader and their partner: a projection, as the dispatcher re-reads thousands of rows. */
export const PERSON_FACTS = ['userId', 'name', 'timeZone'] as const;
export type PersonFacts = Pick<Participant, (typeof PERSON_FACTS)[number]>;

export async function peopleFactsOf(svc: Services, p: Scope): Promise<PersonFacts[]> {
  return svc.store.participants.project(odata`PartitionKey eq ${programmePartition(p.tenantId, p.id)}`, PERSON_FACTS);
}

export async function participantIn(svc: Services, tenantId: string, programmeId: string, userId: string): Promise<Participant | undefined> {
  return (await svc.store.participants.get(programmePartition(tenantId, programmeId), key(userId)))?.value;
}

/** Every programme (newest first) the person has a row in, with that row. */
export async function myParticipations(svc: Services, tenantId: string, userId: string): Promise<Array<{ programme: Programme; participant: Participant }>> {
  const programmes = await listProgrammes(svc, tenantId);
  const rows = await Promise.all(programmes.map((p) => participantIn(svc, tenantId, p.id, userId)));
  return programmes.flatMap((programme, i) => (rows[i] ? [{ programme, participant: rows[i]! }] : []));
}

export const isLive = (p: Pick<Participant, 'status'> | undefined): boolean => p?.status === 'active' || p?.status === 'paused';

export type SaveProfile = { kind: 'saved'; created: boolean; participant: Participant } | { kind: 'outdated' };

/**
 * Saves the profile form. An edit form names the save it started from (`version`, the last
 * consentAt): if the profile was saved since (a second form, another device), this one is refused
 * instead of silently overwriting that save.
 */
export async function saveProfile(
  svc: Services, programme: Programme, person: { id: string; name: string }, fields: ProfileFields, version: string, directory?: DirectoryFacts,
): Promise<SaveProfile> {
  const now = svc.now().toISOString();
  let created = false;
  let outdated = false;
  const result = await svc.store.participants.mutate(programmePartition(programme.tenantId, programme.id), key(person.id), (cur): Participant | undefined => {
    if (version && (cur?.consentAt ?? '') !== version) {
      outdated = true;
      return undefined;
    }
    created = !cur || cur.status === 'nominated' || cur.status === 'left';
    // The directory's facts as just read, else the last ones read (Graph down): they win over the card.
    const facts = directory ?? cur?.directory;
    const saved: Participant = {
      ...fields,
      tenantId: programme.tenantId,
      programmeId: programme.id,
      userId: person.id,
      name: person.name,
      status: cur && cur.status === 'paused' ? 'paused' : 'active',
      nominatedBy: cur?.nominatedBy,
      joinedAt: cur && cur.status !== 'nominated' && cur.status !== 'left' ? cur.joinedAt : now,
      consentAt: now,
      excluded: cur?.excluded ?? [],
      ...(cur?.nominationSentAt ? { nominationSentAt: cur.nominationSentAt } : {}),
    };
    return facts ? mergeDirectory(saved, facts) : saved;
  });
  return outdated ? { kind: 'outdated' } : { kind: 'saved', created, participant: result.value! };
}

/**
 * Pauses an active participant, with their live pairs, until `until` (YYYY-MM-DD; undefined = until
 * they resume). Returns the pairs that were paused now; none when they were not active.
 */
export async function pause(svc: Services, programme: Programme, userId: string, until?: string): Promise<Pair[]> {
  const { changed } = await svc.store.participants.mutate(programmePartition(programme.tenantId, programme.id), key(userId), (p) =>
    p && p.status === 'active' ? { ...p, status: 'paused', pausedUntil: until } : undefined,
  );
  return changed ? pausePairsOf(svc, programme, userId, until) : [];
}

/** Resumes a paused participant and the pairs their pause held (a partner's own pause keeps a pair paused). */
export async function resume(svc: Services, programme: Programme, userId: string): Promise<Pair[]> {
  const { changed } = await svc.store.participants.mutate(programmePartition(programme.tenantId, programme.id), key(userId), (p) =>
    p && p.status === 'paused' ? { ...p, status: 'active', pausedUntil: undefined } : undefined,
  );
  if (!changed) return [];
  return resumePairsOf(svc, programme, userId, (id) => participantIn(svc, programme.tenantId, programme.id, id));
}

/** Paused participants whose pause ends on or before `today` (YYYY-MM-DD). */
export async function pausesDue(svc: Services, programme: Scope, today: string): Promise<Participant[]> {
  const paused = await svc.store.participants.list(programmePartition(programme.tenantId, programme.id), odata`status eq ${'paused'}`);
  return paused.map((r) => r.value).filter((p) => p.pausedUntil && p.pausedUntil <= today);
}

/** Withdraws from a programme: pairs end first, so that after a failure in between "leave" again still finds the person in and finishes. */
export async function leaveProgramme(svc: Services, programme: Programme, userId: string): Promise<EndedPair[]> {
  const ended = await endPairsOf(svc, programme, userId);
  await svc.store.participants.mutate(programmePartition(programme.tenantId, programme.id), key(userId), (p) => (p && p.status !== 'left' ? { ...p, status: 'left' } : undefined));
  return ended;
}

/**
 * Nominates someone (they still confirm with the profile form); an existing participant is
 * returned as is. The row claims the nomination card (`nominationSentAt`): whoever creates or
 * claims it sends the card, so a person gets it once even when two enrolments run at once or
 * one runs twice. A nomination whose card never went out (released) is claimed again.
 */
/** A claim on a nomination's card lapses after this: a sender that crashed meanwhile is not waited for. */
export const NOMINATION_CLAIM_MS = 120_000;

/**
 * Claims a nomination's card for sending: the row is created (or a nomination whose card never
 * went out is taken again); `already` when the person is in the programme, their card was sent,
 * or another sender holds the claim. Confirm with nominationSent, or give back with releaseNomination.
 */
export async function nominate(
  svc: Services, programme: Programme, person: { id: string; name: string }, role: Role, by: string, directory?: DirectoryFacts,
): Promise<{ kind: 'nominated'; participant: Participant } | { kind: 'already'; participant: Participant }> {
  let already: Participant | undefined;
  const at = svc.now();
  const now = at.toISOString();
  const claimed = (p: Participant) => !!p.nominationClaimedAt && at.getTime() - new Date(p.nominationClaimedAt).getTime() < NOMINATION_CLAIM_MS;
  const { value } = await svc.store.participants.mutate(programmePartition(programme.tenantId, programme.id), key(person.id), (cur) => {
    if (cur && cur.status !== 'left' && (cur.status !== 'nominated' || cur.nominationSentAt || claimed(cur))) {
      already = cur;
      return undefined;
    }
    if (cur && cur.status === 'nominated') return { ...(directory ? mergeDirectory(cur, directory) : cur), nominationClaimedAt: now };
    const row = {
      tenantId: programme.tenantId, programmeId: programme.id, userId: person.id, role, status: 'nominated', nominatedBy: by,
      name: person.name, department: '', seniority: 'staff', languages: [], timeZone: '', sessionsPerMonth: 0, preferredDays: [],
      skills: [], wantLevels: [], joinedAt: now, excluded: [], nominationClaimedAt: now,
    } as Participant;
    return directory ? mergeDirectory(row, directory) : row;
  });
  return already ? { kind: 'already', participant: already } : { kind: 'nominated', participant: value! };
}

/** The nomination card went out: nobody sends it again. */
export async function nominationSent(svc: Services, programme: Scope, userId: string): Promise<void> {
  await svc.store.participants.mutate(programmePartition(programme.tenantId, programme.id), key(userId), (p) => {
    if (!p || p.status !== 'nominated' || p.nominationSentAt) return undefined;
    const { nominationClaimedAt: _claim, ...rest } = p;
    return { ...rest, nominationSentAt: svc.now().toISOString() } as Participant;
  });
}

/** The nomination card could not be delivered: a later enrolment may claim and send it again. */
export async function releaseNomination(svc: Services, programme: Scope, userId: string): Promise<void> {
  await svc.store.participants.mutate(programmePartition(programme.tenantId, programme.id), key(userId), (p) => {
    if (!p || p.status !== 'nominated' || !p.nominationClaimedAt) return undefined;
    const { nominationClaimedAt: _claim, ...rest } = p;
    return rest as Participant;
  });
}

/**
 * Stores the directory's facts on a participant's row (department and time zone from Entra win);
 * written only when they changed. Returns whether it wrote.
 */
export async function applyDirectory(svc: Services, programme: Scope, userId: string, facts: DirectoryFacts): Promise<boolean> {
  const { changed } = await svc.store.participants.mutate(programmePartition(programme.tenantId, programme.id), key(userId), (p) =>
    p && p.status !== 'left' && !sameDirectory(p.directory, facts) ? mergeDirectory(p, facts) : undefined,
  );
  return changed;
}

/** Never propose these two again (an admin excluded the pair from a proposal). */
export async function excludeEachOther(svc: Services, programme: Scope, a: string, b: string): Promise<void> {
  const pk = programmePartition(programme.tenantId, programme.id);
  for (const [who, other] of [[a, b], [b, a]]) {
    await svc.store.participants.mutate(pk, key(who), (p) => (p && !p.excluded.includes(other) ? { ...p, excluded: [...p.excluded, other] } : undefined));
  }
}
