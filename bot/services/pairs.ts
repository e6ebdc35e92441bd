// Pairs after matching: who mentors whom, pausing, ending, introductions, the at-risk flag. The
// proposal side of the pairs table (proposed pairs, approval, manual pairs) is services/matching.ts.
import { odata } from '@azure/data-tables';
import type { Pair, Participant, Programme } from '../domain/types';
import { key } from '../storage/repository';
import { pairId, programmePartition } from '../storage/store';
import { nameOf } from './contacts';
import type { Services } from './services';

type Scope = Pick<Programme, 'tenantId' | 'id'>;
const pk = (p: Scope) => programmePartition(p.tenantId, p.id);

export const isLivePair = (p: Pick<Pair, 'status'>): boolean => p.status === 'active' || p.status === 'paused';

/** Every pair of a programme, or those in `statuses`. */
export async function pairsIn(svc: Services, p: Scope, statuses?: Pair['status'][]): Promise<Pair[]> {
  const filter = statuses?.map((s) => odata`status eq ${s}`).join(' or ');
  return (await svc.store.pairs.list(pk(p), filter)).map((r) => r.value);
}

/** Who is paired with whom and how the pair stands: a projection, as the dispatcher re-reads thousands of rows. */
export const PAIR_FACTS = ['id', 'mentorId', 'menteeId', 'status'] as const;
export type PairFacts = Pick<Pair, (typeof PAIR_FACTS)[number]>;

export async function pairFactsIn(svc: Services, p: Scope): Promise<PairFacts[]> {
  return svc.store.pairs.project(odata`PartitionKey eq ${pk(p)}`, PAIR_FACTS);
}

/** Pairs of a programme that a person is part of (any status). */
export async function pairsOf(svc: Services, p: Scope, userId: string): Promise<Pair[]> {
  return (await svc.store.pairs.list(pk(p), odata`mentorId eq ${userId} or menteeId eq ${userId}`)).map((r) => r.value);
}

/** The pair of one proposal, optionally in one status. */
export async function pairsOfProposal(svc: Services, p: Scope, proposalId: string, status?: Pair['status']): Promise<Pair[]> {
  const filter = status ? odata`proposalId eq ${proposalId} and status eq ${status}` : odata`proposalId eq ${proposalId}`;
  return (await svc.store.pairs.list(pk(p), filter)).map((r) => r.value);
}

/** The pair mentor -> mentee, read by its deterministic key. */
export async function getPair(svc: Services, p: Scope, mentorId: string, menteeId: string): Promise<Pair | undefined> {
  return (await svc.store.pairs.get(pk(p), key(pairId(mentorId, menteeId))))?.value;
}

export async function pairById(svc: Services, p: Scope, id: string): Promise<Pair | undefined> {
  return (await svc.store.pairs.get(pk(p), key(id)))?.value;
}

export interface EndedPair {
  pair: Pair;
  partnerId: string;
  partnerName: string;
}

/** Ends the person's live (and proposed) pairs; returns the live ones that ended, with the partner. */
export async function endPairsOf(svc: Services, p: Scope, userId: string): Promise<EndedPair[]> {
  const live = (await pairsOf(svc, p, userId)).filter((x) => isLivePair(x) || x.status === 'proposed');
  const ended: EndedPair[] = [];
  for (const pair of live) {
    const { changed, value } = await svc.store.pairs.mutate(pk(p), key(pair.id), (x) => (x && x.status !== 'ended' ? { ...x, status: 'ended', endedAt: svc.now().toISOString() } : undefined));
    if (changed && value && pair.status !== 'proposed') {
      const partnerId = value.mentorId === userId ? value.menteeId : value.mentorId;
      ended.push({ pair: value, partnerId, partnerName: await nameOf(svc, p.tenantId, partnerId) });
    }
  }
  return ended;
}

/** Pauses the person's active pairs (recording who paused and until when); returns them. */
export async function pausePairsOf(svc: Services, p: Scope, userId: string, until?: string): Promise<Pair[]> {
  const paused: Pair[] = [];
  for (const pair of await pairsOf(svc, p, userId)) {
    if (pair.status !== 'active') continue;
    const res = await svc.store.pairs.mutate(pk(p), key(pair.id), (x) => (x && x.status === 'active' ? { ...x, status: 'paused', pausedBy: userId, pausedUntil: until } : undefined));
    if (res.changed && res.value) paused.push(res.value);
  }
  return paused;
}

/**
 * Resumes the person's paused pairs; a pair whose other side is paused themselves stays paused, now
 * for that partner's pause. Returns the pairs resumed.
 */
export async function resumePairsOf(svc: Services, p: Scope, userId: string, partner: (id: string) => Promise<Pick<Participant, 'status' | 'pausedUntil'> | undefined>): Promise<Pair[]> {
  const resumed: Pair[] = [];
  for (const pair of await pairsOf(svc, p, userId)) {
    if (pair.status !== 'paused') continue;
    const otherId = pair.mentorId === userId ? pair.menteeId : pair.mentorId;
    const other = await partner(otherId);
    const res = await svc.store.pairs.mutate(pk(p), key(pair.id), (x) => {
      if (!x || x.status !== 'paused') return undefined;
      if (other?.status === 'paused') return { ...x, pausedBy: otherId, pausedUntil: other.pausedUntil };
      return { ...x, status: 'active', pausedBy: undefined, pausedUntil: undefined };
    });
    if (res.changed && res.value?.status === 'active') resumed.push(res.value);
  }
  return resumed;
}

/** Both people were sent their introduction: an approval resumed after a crash skips this pair. */
export async function markIntroduced(svc: Services, p: Scope, id: string): Promise<void> {
  await svc.store.pairs.mutate(pk(p), key(id), (x) => (x && !x.introducedAt ? { ...x, introducedAt: svc.now().toISOString() } : undefined));
}

/** Sets or clears the at-risk flag; true when this call changed it. */
export async function setAtRisk(svc: Services, p: Scope, id: string, atRisk: boolean): Promise<boolean> {
  const res = await svc.store.pairs.mutate(pk(p), key(id), (x) => (x && !!x.atRisk !== atRisk ? { ...x, atRisk } : undefined));
  return res.changed;
}
