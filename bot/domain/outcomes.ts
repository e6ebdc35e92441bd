// What a programme changed, as numbers: before/after distributions per ladder level (mentees) and
// per business item (mentors), the share who moved up, sessions held and response rates per round,
// the survey's distributions and recommend score, the tutorials most covered, the knowledge map at
// the start and the end, and one person's own change. Pure: the caller reads the records.
//
// Privacy (SECURITY.md): an aggregate is given only where at least PRIVACY_THRESHOLD people other
// than the viewer stand behind it; a hidden one carries no numbers. A department breakdown never
// lets a small department be worked out by subtraction: departments under the threshold are pooled
// as "other departments", and when that pool itself would be too small, the smallest shown
// departments join it (or there is no breakdown at all). People who erased their data ("forget
// me" re-keys their rows to an anonymous "erased-..." id) are counted nowhere.
import { localDate, PULSE_ROUND, programmeWindow, ScheduleFields, SURVEY_ROUND, zonedTime } from './checkins';
import { enoughOthers, PRIVACY_THRESHOLD } from './knowledgeMap';
import { CheckinRecord, CheckinRound, CONFIDENT, FeedbackRecord, Level, LEVELS, Programme, Skill } from './types';

export { PRIVACY_THRESHOLD };

/** The id prefix erasure gives a person's anonymous rows (services/data.ts). */
export const ERASED = 'erased';
export const isErased = (userId: string): boolean => userId.startsWith(`${ERASED}-`);

/** Counts per answer: index = the answer (0-3 for ratings, 1-5 or 0-10 for the survey). */
export type Counts = number[];

const percent = (part: number, whole: number): number | null => (whole ? Math.round((part / whole) * 100) : null);
const average = (xs: number[]): number | null => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null);

/** How many of `values` gave each answer from `min` to `max`. */
export function distribution(values: number[], min = 0, max = 3): Counts {
  const out: Counts = Array.from({ length: max - min + 1 }, () => 0);
  for (const v of values) if (Number.isInteger(v) && v >= min && v <= max) out[v - min]++;
  return out;
}

const zeros = (n: number): Counts => Array.from({ length: n }, () => 0);

// ---------------------------------------------------------------------------------------------
// Department breakdowns that cannot be subtracted

export interface Grouped<T> {
  /** Departments shown one by one (at least the threshold of people other than the viewer each). */
  shown: Array<{ department: string; people: T[] }>;
  /** The rest, pooled: shown as one row when it has enough people; undefined when empty. */
  other?: { departments: number; people: T[] };
  /** No breakdown at all: the rest could not be pooled large enough. */
  hidden: boolean;
}

/**
 * Splits people by department for a breakdown. A department is shown on its own from the threshold
 * of people other than the viewer; the others are pooled. A pool that is not empty but under the
 * threshold would be the overall figure minus the shown ones, so the smallest shown departments
 * join it until it is large enough; if it never is, there is no breakdown.
 */
export function byDepartment<T extends { userId: string; department: string }>(people: T[], viewerId?: string): Grouped<T> {
  const groups = new Map<string, T[]>();
  for (const p of people) groups.set(p.department || '', [...(groups.get(p.department || '') ?? []), p]);
  const shown = [...groups.entries()].filter(([, xs]) => enoughOthers(xs, viewerId)).map(([department, xs]) => ({ department, people: xs }));
  let rest = [...groups.entries()].filter(([, xs]) => !enoughOthers(xs, viewerId));
  const pooled = () => rest.flatMap(([, xs]) => xs);
  shown.sort((a, b) => a.people.length - b.people.length || a.department.localeCompare(b.department));
  while (rest.length && !enoughOthers(pooled(), viewerId) && shown.length) {
    const smallest = shown.shift()!;
    rest = [...rest, [smallest.department, smallest.people]];
  }
  shown.sort((a, b) => a.department.localeCompare(b.department));
  // One department only: nothing to break down (its figure is the overall one).
  if (groups.size < 2) return { shown: [], hidden: false };
  // Fewer than two groups of enough people: a breakdown would single people out.
  if ((rest.length && !enoughOthers(pooled(), viewerId)) || shown.length + (rest.length ? 1 : 0) < 2) return { shown: [], hidden: true };
  return { shown, other: rest.length ? { departments: rest.length, people: pooled() } : undefined, hidden: false };
}

// ---------------------------------------------------------------------------------------------
// Before and after, per level or item

/** One person's answers on one level or item. */
export interface Measured {
  userId: string;
  department: string;
  before?: Skill;
  mid?: Skill;
  after?: Skill;
}

export interface DepartmentChange {
  /** Undefined: the pooled other departments. */
  department?: string;
  /** How many departments a pooled row stands for. */
  departments?: number;
  people: number;
  movedUp: number;
  movedUpPercent: number | null;
}

export interface ItemOutcome {
  /** The level ("1".."5") or business item id. */
  key: string;
  /** People with a start and an end answer: the comparison. */
  people: number;
  /** Fewer than the threshold of them other than the viewer: every number below is 0 / null. */
  hidden: boolean;
  /** Counts of 0, 1, 2, 3 at the start and at the end, over the same people. */
  before: Counts;
  after: Counts;
  movedUp: number;
  same: number;
  movedDown: number;
  /** Whole-number percentage of people who moved up at least one step. */
  movedUpPercent: number | null;
  averageBefore: number | null;
  averageAfter: number | null;
  /** The mid-point pulse, over those with a start and a pulse answer. */
  mid: { people: number; hidden: boolean; counts: Counts; movedUpPercent: number | null };
  /** Moved up, by department (see byDepartment); `departmentsHidden` when there can be no breakdown. */
  departments: DepartmentChange[];
  departmentsHidden: boolean;
}

const movedUp = (xs: Measured[], to: 'after' | 'mid') => xs.filter((m) => (m[to] as number) > (m.before as number)).length;

/** Before/after of one level or item over everyone measured on it, as `viewerId` may see it. */
export function itemOutcome(key: string, measured: Measured[], viewerId?: string): ItemOutcome {
  const counted = measured.filter((m) => !isErased(m.userId) && m.before !== undefined);
  const pairs = counted.filter((m) => m.after !== undefined);
  const mids = counted.filter((m) => m.mid !== undefined);
  const hidden = !enoughOthers(pairs, viewerId);
  const midHidden = !enoughOthers(mids, viewerId);
  const mid = midHidden
    ? { people: mids.length, hidden: true, counts: zeros(4), movedUpPercent: null }
    : { people: mids.length, hidden: false, counts: distribution(mids.map((m) => m.mid!)), movedUpPercent: percent(movedUp(mids, 'mid'), mids.length) };
  if (hidden) {
    return {
      key, people: pairs.length, hidden: true, before: zeros(4), after: zeros(4), movedUp: 0, same: 0, movedDown: 0, movedUpPercent: null,
      averageBefore: null, averageAfter: null, mid, departments: [], departmentsHidden: true,
    };
  }
  const up = movedUp(pairs, 'after');
  const down = pairs.filter((m) => m.after! < m.before!).length;
  const grouped = byDepartment(pairs, viewerId);
  const row = (people: Measured[], extra: Pick<DepartmentChange, 'department' | 'departments'>): DepartmentChange => ({
    ...extra, people: people.length, movedUp: movedUp(people, 'after'), movedUpPercent: percent(movedUp(people, 'after'), people.length),
  });
  return {
    key,
    people: pairs.length,
    hidden: false,
    before: distribution(pairs.map((m) => m.before!)),
    after: distribution(pairs.map((m) => m.after!)),
    movedUp: up,
    same: pairs.length - up - down,
    movedDown: down,
    movedUpPercent: percent(up, pairs.length),
    averageBefore: average(pairs.map((m) => m.before!)),
    averageAfter: average(pairs.map((m) => m.after!)),
    mid,
    departments: [
      ...grouped.shown.map((g) => row(g.people, { department: g.department })),
      ...(grouped.other ? [row(grouped.other.people, { departments: grouped.other.departments })] : []),
    ],
    departmentsHidden: grouped.hidden,
  };
}

/** The closing survey's and the pulse's answers by phase (answers from before phases existed are the closing survey's). */
export const phaseOf = (f: Pick<FeedbackRecord, 'phase'>): 'mid' | 'end' => f.phase ?? 'end';

/** The people the report counts: one row each, never an erased person. */
export interface PersonAnswers {
  userId: string;
  role: 'mentor' | 'mentee';
  department: string;
  /** Where they started: level ("1".."5") or item id -> 0-3. */
  before: Record<string, Skill>;
  mid?: Record<string, Skill>;
  after?: Record<string, Skill>;
}

/** The measurements of `keys` (levels or items) for the outcome: one Measured list per key. */
export function measuredPer(keys: string[], people: PersonAnswers[]): Map<string, Measured[]> {
  return new Map(keys.map((k) => [k, people.filter((p) => !isErased(p.userId)).map((p) => ({
    userId: p.userId, department: p.department, before: p.before[k], mid: p.mid?.[k], after: p.after?.[k],
  }))]));
}

/** A baseline's skills as ratings per level ("1".."5"). */
export function levelRatings(skills: Skill[] | undefined, levels: readonly Level[] = LEVELS): Record<string, Skill> {
  const out: Record<string, Skill> = {};
  for (const l of levels) if (skills && skills[l - 1] !== undefined && skills[l - 1] !== null) out[String(l)] = skills[l - 1];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rounds: sessions held and response rate over time

export interface RoundOutcome {
  round: number;
  openedAt: string;
  /** People asked and who answered. */
  asked: number;
  answered: number;
  rate: number | null;
  /** Pairs that met that round (either side answered "met: yes"). */
  sessions: number;
  /** Pairs asked that round. */
  pairs: number;
}

/** The parts of a check-in answer the outcome counts. */
type Answer = Pick<CheckinRecord, 'round' | 'userId' | 'pairId' | 'answeredAt' | 'met' | 'tutorials'>;

const isRound = (r: Pick<CheckinRecord, 'round'>) => r.round !== SURVEY_ROUND && r.round !== PULSE_ROUND;

export function roundsOutcome(rounds: Array<Pick<CheckinRound, 'round' | 'openedAt'>>, records: Answer[]): RoundOutcome[] {
  const counted = records.filter((r) => isRound(r) && !isErased(r.userId));
  return [...rounds].sort((a, b) => a.round - b.round).map((r) => {
    const mine = counted.filter((x) => x.round === r.round);
    const answered = mine.filter((x) => x.answeredAt).length;
    return {
      round: r.round, openedAt: r.openedAt, asked: mine.length, answered, rate: percent(answered, mine.length),
      sessions: new Set(mine.filter((x) => x.answeredAt && x.met === 'yes').map((x) => x.pairId)).size,
      pairs: new Set(mine.map((x) => x.pairId)).size,
    };
  });
}

/** Sessions held by these pairs: rounds in which either side said they met. */
export function sessionsHeld(records: Answer[], pairIds: ReadonlySet<string>): number {
  return new Set(records.filter((r) => isRound(r) && pairIds.has(r.pairId) && r.answeredAt && r.met === 'yes').map((r) => `${r.round}|${r.pairId}`)).size;
}

/** The tutorials check-ins covered, by how many pairs covered each; most first (ties in `order`). */
export function tutorialsCovered(records: Answer[], order: string[], limit = 10): Array<{ id: string; pairs: number }> {
  const pairsOf = new Map<string, Set<string>>();
  for (const r of records.filter((x) => isRound(x) && x.answeredAt && !isErased(x.userId))) {
    for (const t of r.tutorials ?? []) pairsOf.set(t, (pairsOf.get(t) ?? new Set()).add(r.pairId));
  }
  const rank = (id: string) => (order.indexOf(id) < 0 ? Infinity : order.indexOf(id));
  return [...pairsOf.entries()]
    .map(([id, s]) => ({ id, pairs: s.size }))
    .sort((a, b) => b.pairs - a.pairs || rank(a.id) - rank(b.id) || a.id.localeCompare(b.id))
    .slice(0, limit);
}

// ---------------------------------------------------------------------------------------------
// The survey

export interface ScoreOutcome {
  answered: number;
  counts: Counts;
  average: number | null;
}

export interface SurveyOutcome {
  phase: 'mid' | 'end';
  /** People asked (dispatch records) and who answered (erased people not counted). */
  asked: number;
  answered: number;
  hidden: boolean;
  /** 1-5. */
  valueOfOneToOne: ScoreOutcome;
  flexibility: ScoreOutcome;
  /** 0-10; `nps`: percent promoters (9-10) minus percent detractors (0-6), from -100 to 100. */
  recommend: ScoreOutcome & { nps: number | null; promoters: number; passives: number; detractors: number };
}

export function surveyOutcome(phase: 'mid' | 'end', records: FeedbackRecord[], asked: number, viewerId?: string): SurveyOutcome {
  const counted = records.filter((f) => phaseOf(f) === phase && !isErased(f.userId));
  const hidden = !enoughOthers(counted, viewerId);
  const score = (xs: number[], min: number, max: number): ScoreOutcome =>
    hidden ? { answered: xs.length, counts: zeros(max - min + 1), average: null } : { answered: xs.length, counts: distribution(xs, min, max), average: average(xs) };
  const rec = counted.map((f) => f.recommend).filter((x): x is number => typeof x === 'number');
  const promoters = rec.filter((x) => x >= 9).length;
  const detractors = rec.filter((x) => x <= 6).length;
  // The recommend score only from enough answers that have it (answers from before the score have a yes/no).
  const recHidden = hidden || !enoughOthers(counted.filter((f) => typeof f.recommend === 'number'), viewerId);
  return {
    phase,
    asked,
    answered: counted.length,
    hidden,
    valueOfOneToOne: score(counted.map((f) => f.valueOfOneToOne), 1, 5),
    flexibility: score(counted.map((f) => f.flexibility), 1, 5),
    recommend: recHidden
      ? { answered: rec.length, counts: zeros(11), average: null, nps: null, promoters: 0, passives: 0, detractors: 0 }
      : {
          answered: rec.length, counts: distribution(rec, 0, 10), average: average(rec),
          nps: Math.round(((promoters - detractors) / rec.length) * 100), promoters, passives: rec.length - promoters - detractors, detractors,
        },
  };
}

// ---------------------------------------------------------------------------------------------
// The company's knowledge map at a moment

export interface SnapshotPerson {
  userId: string;
  department: string;
  /** skills[level - 1]. */
  skills: Skill[];
}

export interface KnowledgeSnapshot {
  people: number;
  hidden: boolean;
  /** Per level: counts of 0-3 and the share confident or better. */
  levels: Array<{ level: Level; counts: Counts; confidentPercent: number | null }>;
  /** Per department (pooled like any breakdown): the share confident or better per level, in level order. */
  departments: Array<{ department?: string; departments?: number; people: number; confidentPercent: Array<number | null> }>;
  departmentsHidden: boolean;
}

export function knowledgeSnapshot(people: SnapshotPerson[], viewerId?: string): KnowledgeSnapshot {
  const counted = people.filter((p) => !isErased(p.userId));
  const hidden = !enoughOthers(counted, viewerId);
  const confident = (xs: SnapshotPerson[], l: Level) => percent(xs.filter((p) => (p.skills[l - 1] ?? 0) >= CONFIDENT).length, xs.length);
  if (hidden) {
    return { people: counted.length, hidden, levels: LEVELS.map((level) => ({ level, counts: zeros(4), confidentPercent: null })), departments: [], departmentsHidden: true };
  }
  const grouped = byDepartment(counted, viewerId);
  const row = (xs: SnapshotPerson[]) => ({ people: xs.length, confidentPercent: LEVELS.map((l) => confident(xs, l)) });
  return {
    people: counted.length,
    hidden,
    levels: LEVELS.map((level) => ({ level, counts: distribution(counted.map((p) => p.skills[level - 1] ?? 0)), confidentPercent: confident(counted, level) })),
    departments: [
      ...grouped.shown.map((g) => ({ department: g.department, ...row(g.people) })),
      ...(grouped.other ? [{ departments: grouped.other.departments, ...row(grouped.other.people) }] : []),
    ],
    departmentsHidden: grouped.hidden,
  };
}

/** A person's map row at the end: where they started, with the levels they re-assessed in the closing survey. */
export function skillsAtEnd(start: Skill[], after: Record<string, Skill> | undefined): Skill[] {
  return LEVELS.map((l) => (after && after[String(l)] !== undefined ? after[String(l)] : (start[l - 1] ?? 0))) as Skill[];
}

// ---------------------------------------------------------------------------------------------
// One person's own change

export interface OwnChange {
  key: string;
  before?: Skill;
  mid?: Skill;
  after?: Skill;
  /** after - before, when both are known. */
  change?: number;
}

export function ownChange(keys: string[], before: Record<string, Skill> | undefined, mid: Record<string, Skill> | undefined, after: Record<string, Skill> | undefined): OwnChange[] {
  return keys.map((key) => {
    const b = before?.[key];
    const a = after?.[key];
    return { key, before: b, mid: mid?.[key], after: a, change: a !== undefined && b !== undefined ? a - b : undefined };
  });
}

// ---------------------------------------------------------------------------------------------
// The mid-point pulse

/** The programme's midpoint: the day halfway through its dates, at its check-in hour, local time. */
export function pulseAt(p: ScheduleFields): Date | undefined {
  const w = programmeWindow(p);
  if (!w) return undefined;
  const day = localDate(new Date((w.start.getTime() + w.end.getTime()) / 2), p.timeZone);
  const [y, m, d] = day.split('-').map(Number);
  return zonedTime(y, m, d, Number.isInteger(p.checkinHour) ? p.checkinHour : 9, p.timeZone);
}

/** The scheduler queues the pulse once: asked for, running, the midpoint passed, not queued yet, before the end. */
export function pulseDue(p: ScheduleFields & Pick<Programme, 'pulse' | 'pulseQueuedAt'>, now: Date): boolean {
  if (!p.pulse || p.pulseQueuedAt || p.status !== 'running') return false;
  const at = pulseAt(p);
  const w = programmeWindow(p);
  return !!at && !!w && now >= at && now < w.end;
}
