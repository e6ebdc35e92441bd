// Where each person started, for measuring what the programme changed (the only writer of the
// baselines table besides erasure): the self-assessment per level frozen when a person is first
// paired (or, at the latest, before the closing survey), and a mentor's understanding of the
// business, rated once on the card they get when they join.
import { businessIds } from '../domain/business';
import { Problem, validateBusinessRatings } from '../domain/checkins';
import type { Baseline, Programme, Skill } from '../domain/types';
import { AlreadyExistsError, key } from '../storage/repository';
import { programmePartition } from '../storage/store';
import { participantIn, participantsOf } from './participants';
import type { Services } from './services';

type Scope = Pick<Programme, 'tenantId' | 'id'>;

export async function baselinesOf(svc: Services, p: Scope): Promise<Baseline[]> {
  return (await svc.store.baselines.list(programmePartition(p.tenantId, p.id))).map((r) => r.value);
}

export async function baselineOf(svc: Services, p: Scope, userId: string): Promise<Baseline | undefined> {
  return (await svc.store.baselines.get(programmePartition(p.tenantId, p.id), key(userId)))?.value;
}

/**
 * Freezes the self-assessment of these people as their start, where it is not frozen yet (a
 * mentor's business ratings on the same row stay). Reads the programme's people and baselines once;
 * new rows go in batches of 100. Safe to repeat and to race: a row frozen meanwhile is left alone.
 */
export async function recordBaselines(svc: Services, p: Scope, userIds: string[]): Promise<number> {
  const wanted = new Set(userIds);
  if (!wanted.size) return 0;
  const pk = programmePartition(p.tenantId, p.id);
  const [people, existing] = await Promise.all([participantsOf(svc, p), baselinesOf(svc, p)]);
  const have = new Map(existing.map((b) => [b.userId, b]));
  const at = svc.now().toISOString();
  const fresh: Baseline[] = [];
  const toFill: Baseline[] = [];
  for (const person of people.filter((x) => wanted.has(x.userId) && x.skills?.length)) {
    const row: Baseline = {
      tenantId: p.tenantId, programmeId: p.id, userId: person.userId, role: person.role, department: person.department, skills: [...person.skills], skillsAt: at,
    };
    const cur = have.get(person.userId);
    if (!cur) fresh.push(row);
    else if (!cur.skills) toFill.push(row);
  }
  for (let i = 0; i < fresh.length; i += 100) {
    const batch = fresh.slice(i, i + 100);
    try {
      await svc.store.baselines.transaction(batch.map((b) => ['create', b]));
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
      toFill.push(...batch);
    }
  }
  for (const row of toFill) {
    await svc.store.baselines.mutate(pk, key(row.userId), (cur) => (!cur ? row : cur.skills ? undefined : { ...cur, role: row.role, department: row.department, skills: row.skills, skillsAt: row.skillsAt }));
  }
  return fresh.length + toFill.length;
}

export type BusinessBaselineResult =
  | { kind: 'saved'; ratings: Record<string, Skill> }
  | { kind: 'already' }
  | { kind: 'notYours' }
  | { kind: 'notMentor' }
  | { kind: 'closed' }
  | { kind: 'invalid'; problems: Problem[] };

/** Programmes whose start can still be rated: not once the end survey is out. */
export const canRateStart = (p: Pick<Programme, 'status'>): boolean => p.status === 'open' || p.status === 'matching' || p.status === 'running';

/**
 * A mentor's business ratings at the start, once. Refused with nothing stored: a card made for
 * someone else, someone who is not a mentor of the programme, a programme already closing, a
 * second answer, a rating missing or out of range.
 */
export async function saveBusinessBaseline(svc: Services, p: Programme, userId: string, forUser: string, value: Record<string, unknown>): Promise<BusinessBaselineResult> {
  if (forUser !== userId) return { kind: 'notYours' };
  const me = await participantIn(svc, p.tenantId, p.id, userId);
  if (!me || me.role !== 'mentor' || me.status === 'left' || me.status === 'nominated') return { kind: 'notMentor' };
  if (!canRateStart(p)) return { kind: 'closed' };
  const pk = programmePartition(p.tenantId, p.id);
  const current = await svc.store.baselines.get(pk, key(userId));
  if (current?.value.business) return { kind: 'already' };
  const checked = validateBusinessRatings(value, businessIds());
  if (!checked.ok) return { kind: 'invalid', problems: checked.problems };
  const at = svc.now().toISOString();
  const res = await svc.store.baselines.mutate(
    pk, key(userId),
    (cur) => (cur?.business ? undefined : { ...(cur ?? { tenantId: p.tenantId, programmeId: p.id, userId, role: me.role, department: me.department }), business: checked.ratings, businessAt: at }),
    { read: current },
  );
  return res.changed ? { kind: 'saved', ratings: checked.ratings } : { kind: 'already' };
}
