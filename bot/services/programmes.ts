// Programmes: the one place that lists, finds, creates and moves them through their life.
import { odata } from '@azure/data-tables';
import { canTransition } from '../domain/programme';
import type { Programme, ProgrammeStatus } from '../domain/types';
import { AlreadyExistsError, key } from '../storage/repository';
import type { Services } from './services';

/** Newest first: by creation, then start date, then name. */
export async function listProgrammes(svc: Services, tenantId: string): Promise<Programme[]> {
  const all = (await svc.store.programmes.list(key(tenantId))).map((v) => v.value);
  return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.startDate.localeCompare(a.startDate) || a.name.localeCompare(b.name));
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

/** Stores a new draft; the id is the form's, so a second press of the same button finds it taken. */
export async function createProgramme(svc: Services, programme: Programme): Promise<'created' | 'exists'> {
  try {
    await svc.store.programmes.create(programme);
    return 'created';
  } catch (err) {
    if (err instanceof AlreadyExistsError) return 'exists';
    throw err;
  }
}

/** Moves a programme to `to` if its current status allows; the ETag makes racing moves safe. */
export async function transition(
  svc: Services,
  tenantId: string,
  id: string,
  to: ProgrammeStatus,
  extra: Partial<Programme> = {},
  from?: ProgrammeStatus[],
): Promise<{ ok: true; programme: Programme } | { ok: false; current?: Programme }> {
  let refused: Programme | undefined;
  const { value, changed } = await svc.store.programmes.mutate(key(tenantId), key(id), (p) => {
    if (!p || !canTransition(p.status, to) || (from && !from.includes(p.status))) {
      refused = p;
      return undefined;
    }
    return { ...p, ...extra, status: to };
  });
  return changed && value ? { ok: true, programme: value } : { ok: false, current: refused };
}

/** Across tenants: programmes running or closing, and closed ones whose free text is still kept (the table is small). */
export async function programmesToTend(svc: Services): Promise<Programme[]> {
  const rows = await svc.store.programmes.query(odata`status eq ${'running'} or status eq ${'closing'} or status eq ${'closed'}`);
  return rows.map((r) => r.value).filter((p) => p.status !== 'closed' || !p.textErasedAt);
}

/** The retention period ran out and the free text of its answers was erased (done once). */
export async function markTextErased(svc: Services, tenantId: string, id: string): Promise<void> {
  await svc.store.programmes.mutate(key(tenantId), key(id), (p) => (p && !p.textErasedAt ? { ...p, textErasedAt: svc.now().toISOString() } : undefined));
}

/** An admin turns the mid-point pulse on or off (it goes out once, so a queued one stays queued). */
export async function setPulse(svc: Services, tenantId: string, id: string, on: boolean): Promise<Programme | undefined> {
  const { value } = await svc.store.programmes.mutate(key(tenantId), key(id), (p) => (p && !!p.pulse !== on ? { ...p, pulse: on } : undefined));
  return value;
}

/** The pulse's cards were queued (done once). */
export async function markPulseQueued(svc: Services, tenantId: string, id: string): Promise<void> {
  await svc.store.programmes.mutate(key(tenantId), key(id), (p) => (p && !p.pulseQueuedAt ? { ...p, pulseQueuedAt: svc.now().toISOString() } : undefined));
}

/** A short random id for programmes and forms (also used as the idempotency key of a form). */
export function newId(): string {
  return (Date.now().toString(36) + Math.random().toString(36).slice(2, 10)).slice(0, 16);
}

/** The admin's switch for the reporting-line rule (unset means on); returns the programme as it is now. */
export async function setReportingLineRule(svc: Services, tenantId: string, id: string, on: boolean): Promise<Programme | undefined> {
  const { value } = await svc.store.programmes.mutate(key(tenantId), key(id), (p) => (p && (p.reportingLineRule !== false) !== on ? { ...p, reportingLineRule: on } : undefined));
  return value;
}
