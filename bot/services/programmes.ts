// Programme use cases over storage: find, create, move through the life cycle.
import { canTransition } from '../domain/programme';
import type { Participant, Programme, ProgrammeStatus } from '../domain/types';
import { key } from '../storage/repository';
import { programmePartition } from '../storage/store';
import type { Services } from './services';

export async function listProgrammes(svc: Services, tenantId: string): Promise<Programme[]> {
  const all = (await svc.store.programmes.list(key(tenantId))).map((v) => v.value);
  return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function getProgramme(svc: Services, tenantId: string, id: string): Promise<Programme | undefined> {
  return (await svc.store.programmes.get(key(tenantId), key(id)))?.value;
}

export type Pick1 =
  | { kind: 'found'; programme: Programme }
  | { kind: 'none' }
  | { kind: 'ambiguous'; candidates: Programme[] }
  | { kind: 'notFound'; name: string };

/**
 * The programme a command is about: named in `args` (name or id, case-insensitive), or the only
 * one in `statuses`. Several candidates and no name means the person must say which.
 */
export async function pickProgramme(svc: Services, tenantId: string, args: string, statuses: ProgrammeStatus[]): Promise<Pick1> {
  const all = await listProgrammes(svc, tenantId);
  const name = args.trim().toLowerCase();
  if (name) {
    const byName = all.filter((p) => p.name.toLowerCase() === name || p.id.toLowerCase() === name);
    const found = byName.find((p) => statuses.includes(p.status)) ?? byName[0];
    return found ? { kind: 'found', programme: found } : { kind: 'notFound', name: args.trim() };
  }
  const candidates = all.filter((p) => statuses.includes(p.status));
  if (candidates.length === 1) return { kind: 'found', programme: candidates[0] };
  return candidates.length ? { kind: 'ambiguous', candidates } : { kind: 'none' };
}

/** Moves a programme to `to` if its current status allows; the ETag makes racing moves safe. */
export async function transition(
  svc: Services,
  tenantId: string,
  id: string,
  to: ProgrammeStatus,
  extra: Partial<Programme> = {},
): Promise<{ ok: true; programme: Programme } | { ok: false; current?: Programme }> {
  let refused: Programme | undefined;
  const { value, changed } = await svc.store.programmes.mutate(key(tenantId), key(id), (p) => {
    if (!p || !canTransition(p.status, to)) {
      refused = p;
      return undefined;
    }
    return { ...p, ...extra, status: to };
  });
  return changed && value ? { ok: true, programme: value } : { ok: false, current: refused };
}

export async function participantsOf(svc: Services, p: Pick<Programme, 'tenantId' | 'id'>): Promise<Participant[]> {
  return (await svc.store.participants.list(programmePartition(p.tenantId, p.id))).map((v) => v.value);
}

export async function participantIn(svc: Services, tenantId: string, programmeId: string, userId: string) {
  return svc.store.participants.get(programmePartition(tenantId, programmeId), key(userId));
}

/** Every programme (newest first) the person takes part in, with their participant row. */
export async function myParticipations(svc: Services, tenantId: string, userId: string): Promise<Array<{ programme: Programme; participant: Participant }>> {
  const programmes = await listProgrammes(svc, tenantId);
  const rows = await Promise.all(programmes.map((p) => participantIn(svc, tenantId, p.id, userId)));
  return programmes.flatMap((programme, i) => (rows[i] ? [{ programme, participant: rows[i]!.value }] : []));
}

/** A short random id for programmes and forms (also used as the idempotency key of a form). */
export function newId(): string {
  return (Date.now().toString(36) + Math.random().toString(36).slice(2, 10)).slice(0, 16);
}
