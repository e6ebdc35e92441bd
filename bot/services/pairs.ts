// Pair use cases shared by onboarding (pause, leave), pairing and data rights.
import type { Pair, Programme } from '../domain/types';
import { key, odataEscape } from '../storage/repository';
import { programmePartition } from '../storage/store';
import { contactOf } from './contacts';
import type { Services } from './services';

/** Pairs of a programme that a person is part of (any status). */
export async function pairsOf(svc: Services, programme: Pick<Programme, 'tenantId' | 'id'>, userId: string): Promise<Pair[]> {
  const u = odataEscape(userId);
  const rows = await svc.store.pairs.list(programmePartition(programme.tenantId, programme.id), `mentorId eq '${u}' or menteeId eq '${u}'`);
  return rows.map((r) => r.value);
}

/** Ends the person's live pairs; returns who their partners were. */
export async function endPairsOf(svc: Services, programme: Pick<Programme, 'tenantId' | 'id'>, userId: string): Promise<Array<{ pair: Pair; partnerName: string }>> {
  const live = (await pairsOf(svc, programme, userId)).filter((p) => p.status === 'active' || p.status === 'paused' || p.status === 'proposed');
  const ended: Array<{ pair: Pair; partnerName: string }> = [];
  for (const pair of live) {
    const { changed, value } = await svc.store.pairs.mutate(programmePartition(programme.tenantId, programme.id), key(pair.id), (p) =>
      p && p.status !== 'ended' ? { ...p, status: 'ended', endedAt: svc.now().toISOString() } : undefined,
    );
    if (changed && value && pair.status !== 'proposed') {
      const partner = value.mentorId === userId ? value.menteeId : value.mentorId;
      ended.push({ pair: value, partnerName: (await contactOf(svc.store, programme.tenantId, partner))?.name ?? '' });
    }
  }
  return ended;
}

/** Pauses or resumes the person's live pairs. */
export async function setPairsPaused(svc: Services, programme: Pick<Programme, 'tenantId' | 'id'>, userId: string, paused: boolean): Promise<void> {
  const from = paused ? 'active' : 'paused';
  for (const pair of await pairsOf(svc, programme, userId)) {
    if (pair.status !== from) continue;
    await svc.store.pairs.mutate(programmePartition(programme.tenantId, programme.id), key(pair.id), (p) =>
      p && p.status === from ? { ...p, status: paused ? 'paused' : 'active' } : undefined,
    );
  }
}
