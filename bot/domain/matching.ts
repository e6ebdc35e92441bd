// Matching: pairs a programme's mentors and mentees.
//
// 1. Hard rules (checkHardRules): a pair that breaks one is never proposed. Two come from the
//    directory (Entra ID): never within one management chain, and the mentor lower in the
//    organisation (org depth: managers above a person) when both depths are known.
// 2. Soft score (scoreEdge): 0-100 with machine-readable reasons for the bot layer to translate.
// 3. The whole cohort is one optimal assignment with mentor capacity (match): first as many
//    pairs as possible, then the highest total score. Never greedy.
// 4. Everyone left out gets the most specific rule that kept them out (UnmatchedReason).
//
// Pure domain logic: no Bot Framework, HTTP or storage types here.

import { solveAssignment } from './assignment';
import { CONFIDENT, LEVELS, Level, Participant, Programme, Role, WEEKDAYS, Weekday, seniorityRank } from './types';

// ---------------------------------------------------------------------------------------------
// Public types

export interface PairRef {
  mentorId: string;
  menteeId: string;
}

export interface MatchInput {
  programme: Pick<Programme, 'levels' | 'maxMenteesPerMentor' | 'reportingLineRule'>;
  mentors: Participant[];
  mentees: Participant[];
  /** Pairs that existed before: never re-paired. */
  pastPairs?: PairRef[];
  /** Pairs an admin ruled out. */
  excludedPairs?: PairRef[];
  /** Mentees a mentor already has (active pairs), by mentor id: reduces the capacity left. */
  existingLoad?: Record<string, number>;
}

export type HardRule =
  | 'same-department' | 'not-less-senior' | 'not-lower-in-org' | 'level-not-covered' | 'reporting-line' | 'capacity' | 'excluded' | 'past-partner';

export type RuleViolation =
  | { rule: 'level-not-covered'; level: Level }
  | { rule: Exclude<HardRule, 'level-not-covered'> };

/** Why a pair scores what it does. `points` is the share of the 0-100 score (0 for cautions). */
export type ScoreReason =
  | { code: 'teaches-level'; level: Level; points: number }
  | { code: 'confident-level'; level: Level; points: number }
  | { code: 'covers-other-levels'; levels: Level[]; points: number }
  | { code: 'shared-language'; lang: string; points: number }
  | { code: 'same-days'; days: Weekday[]; points: number }
  | { code: 'same-sessions'; perMonth: number; points: number }
  | { code: 'similar-sessions'; mentor: number; mentee: number; points: number }
  | { code: 'tz-close'; hours: number; points: number }
  // Cautions: nothing gained, but the admin should see them.
  | { code: 'no-shared-language'; points: number }
  | { code: 'tz-far'; hours: number; points: number };

/**
 * Why someone stayed unmatched: the first filter, in the order listed, that left no candidate
 * (department, seniority, org depth, levels, reporting line, exclusions, past partners, capacity). The last two of
 * each role mean suitable partners existed but the optimum gave them to others.
 */
export type UnmatchedReason =
  // both roles
  | { code: 'no-other-department' }
  | { code: 'only-excluded-partners' }
  | { code: 'only-past-partners' }
  // mentees
  | { code: 'no-mentors' }
  | { code: 'no-less-senior-mentor' }
  /** Every mentor left is at the mentee's org depth or above (Entra ID). */
  | { code: 'no-lower-mentor-in-org' }
  /** Nobody still in the running is confident in `level` (the lowest such; `levels`: all such). */
  | { code: 'no-mentor-covers-level'; level: Level; levels: Level[] }
  /** Each wanted level is covered by someone, but nobody covers all of them. */
  | { code: 'no-mentor-covers-all-levels'; levels: Level[] }
  /** Every mentor who fits is in the mentee's management chain (above or below). */
  | { code: 'mentors-in-reporting-line' }
  /** Every suitable mentor is full with the mentees they already have (existingLoad). */
  | { code: 'mentors-already-full' }
  /** Suitable mentors exist (`candidates`), but their capacity went to others in the optimum. */
  | { code: 'all-mentors-full'; candidates: number }
  // mentors
  | { code: 'no-mentees' }
  /** existingLoad already uses the programme's maxMenteesPerMentor. */
  | { code: 'no-capacity-left' }
  | { code: 'no-more-senior-mentee' }
  | { code: 'no-higher-mentee-in-org' }
  /** The mentor is not confident in what the remaining mentees want (most requested first). */
  | { code: 'no-mentee-fits'; levels: Level[] }
  /** Every mentee who fits is in the mentor's management chain. */
  | { code: 'mentees-in-reporting-line' }
  /** Suitable mentees exist (`candidates`), but the optimum paired them with others. */
  | { code: 'mentees-taken'; candidates: number };

export interface ProposedPair {
  mentorId: string;
  menteeId: string;
  score: number;
  reasons: ScoreReason[];
}

export interface UnmatchedPerson {
  userId: string;
  role: Role;
  reason: UnmatchedReason;
}

export interface Proposal {
  /** In mentee input order. */
  pairs: ProposedPair[];
  /** Mentees first, then mentors, each in input order. */
  unmatched: UnmatchedPerson[];
  totalScore: number;
}

// ---------------------------------------------------------------------------------------------
// Hard rules: the readable reference. The edge builder below applies the same rules on
// bitmasks for speed; tests check both agree on every pair of random cohorts.

const norm = (s: string): string => s.trim().toLowerCase();
/** 'en-GB' and 'en' share a language. */
const langKey = (s: string): string => norm(s).split(/[-_]/)[0];
const skillAt = (p: Participant, level: Level): number => p.skills[level - 1] ?? 0;

/** The levels a mentee wants that the programme covers, ascending. */
export function wantedLevels(mentee: Participant, programme: Pick<Programme, 'levels'>): Level[] {
  return LEVELS.filter((l) => mentee.wantLevels.includes(l) && programme.levels.includes(l));
}

/** Mentees a mentor may still take in this run: the programme maximum minus active pairs. */
export function capacityLeft(mentorId: string, input: Pick<MatchInput, 'programme' | 'existingLoad'>): number {
  const max = Math.floor(input.programme.maxMenteesPerMentor) || 0;
  return Math.max(0, max - (input.existingLoad?.[mentorId] ?? 0));
}

const samePair = (p: PairRef, mentorId: string, menteeId: string): boolean =>
  p.mentorId === mentorId && p.menteeId === menteeId;

/** Admin exclusions, either person's own exclusion list, and pairing someone with themself. */
function isExcluded(mentor: Participant, mentee: Participant, input: MatchInput): boolean {
  return (
    mentor.userId === mentee.userId ||
    (mentor.excluded ?? []).includes(mentee.userId) ||
    (mentee.excluded ?? []).includes(mentor.userId) ||
    (input.excludedPairs ?? []).some((p) => samePair(p, mentor.userId, mentee.userId))
  );
}

/** Managers above a person in Entra ID (0 at the top); undefined without directory facts. */
export function orgDepth(p: Pick<Participant, 'directory'>): number | undefined {
  return p.directory ? p.directory.managers.length : undefined;
}

/** The mentor must sit lower in the organisation; an unknown depth on either side proves nothing against it. */
function lowerInOrg(mentor: Participant, mentee: Participant): boolean {
  const m = orgDepth(mentor);
  const e = orgDepth(mentee);
  return m === undefined || e === undefined || m > e;
}

/** One is the other's manager at any depth, by either person's own chain. */
export function inReportingLine(a: Pick<Participant, 'userId' | 'directory'>, b: Pick<Participant, 'userId' | 'directory'>): boolean {
  return (a.directory?.managers ?? []).includes(b.userId) || (b.directory?.managers ?? []).includes(a.userId);
}

/** The reporting-line rule applies unless the admin switched it off for the programme. */
const reportingLinesApply = (programme: Pick<Programme, 'reportingLineRule'>): boolean => programme.reportingLineRule !== false;

/** An unknown seniority band proves nothing, so it fails the rule. */
function lessSenior(mentor: Participant, mentee: Participant): boolean {
  const m = seniorityRank(mentor.seniority);
  return m >= 0 && m < seniorityRank(mentee.seniority);
}

export function checkHardRules(mentor: Participant, mentee: Participant, input: MatchInput): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (norm(mentor.department) === norm(mentee.department)) out.push({ rule: 'same-department' });
  if (!lessSenior(mentor, mentee)) out.push({ rule: 'not-less-senior' });
  if (!lowerInOrg(mentor, mentee)) out.push({ rule: 'not-lower-in-org' });
  for (const level of wantedLevels(mentee, input.programme)) {
    if (skillAt(mentor, level) < CONFIDENT) out.push({ rule: 'level-not-covered', level });
  }
  if (reportingLinesApply(input.programme) && inReportingLine(mentor, mentee)) out.push({ rule: 'reporting-line' });
  if (isExcluded(mentor, mentee, input)) out.push({ rule: 'excluded' });
  if ((input.pastPairs ?? []).some((p) => samePair(p, mentor.userId, mentee.userId))) out.push({ rule: 'past-partner' });
  if (capacityLeft(mentor.userId, input) <= 0) out.push({ rule: 'capacity' });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Features: each participant compiled once to numbers and bitmasks, so that scoring millions of
// candidate pairs stays cheap. Bit (level - 1) stands for a level, bit d for WEEKDAYS[d].

/** Internal: a participant compiled for matching (exported for the type of EdgeSet). */
export interface Features {
  dept: number;
  rank: number;
  /** Org depth; unknown: UNKNOWN_MENTOR_DEPTH for a mentor, -1 for a mentee (the rule then passes). */
  depth: number;
  /** Levels with skill >= CONFIDENT, and with skill 3 ("can teach"). */
  confident: number;
  teach: number;
  /** Wanted levels within the programme's scope. */
  want: number;
  /** Normalised language codes, in the person's order. */
  langs: string[];
  /** A bit per language interned in this run (only the first 30 languages of a run get one). */
  langMask: number;
  days: number;
  /** NaN when unknown. */
  sessions: number;
  /** UTC offset in hours at REFERENCE_DATE; NaN when the zone is unknown. */
  utcOffset: number;
}

/** Languages a run can hold as bits; with more, buildEdges compares the lists instead. */
const LANGUAGE_BITS = 30;
/** Above every known band: a mentor of unknown seniority is never "less senior". */
const UNKNOWN_MENTOR_RANK = 1000;
/** Below everyone: a mentor whose org depth is unknown is never "higher" than a mentee. */
const UNKNOWN_MENTOR_DEPTH = 1 << 20;

/** Interns departments and languages so that the hot loop compares integers. One per run. */
class Compiler {
  private readonly depts = new Map<string, number>();
  private readonly langIds = new Map<string, number>();
  constructor(readonly scope: number) {}

  /** True while every language seen has its own bit in langMask. */
  get languageMasksExact(): boolean {
    return this.langIds.size <= LANGUAGE_BITS;
  }

  private intern(map: Map<string, number>, key: string): number {
    let id = map.get(key);
    if (id === undefined) map.set(key, (id = map.size));
    return id;
  }

  /** `asMentor` places an unknown seniority where it fails the seniority rule (see lessSenior). */
  compile(p: Participant, asMentor: boolean): Features {
    let confident = 0;
    let teach = 0;
    for (const l of LEVELS) {
      if (skillAt(p, l) >= CONFIDENT) confident |= bit(l);
      if (skillAt(p, l) >= 3) teach |= bit(l);
    }
    const langs = [...new Set((p.languages ?? []).map(langKey))].filter((l) => l !== '');
    const langMask = langs.reduce((mask, l) => {
      const id = this.intern(this.langIds, l);
      return id < LANGUAGE_BITS ? mask | (1 << id) : mask;
    }, 0);
    return {
      dept: this.intern(this.depts, norm(p.department)),
      rank: seniorityRank(p.seniority) >= 0 ? seniorityRank(p.seniority) : asMentor ? UNKNOWN_MENTOR_RANK : -1,
      depth: orgDepth(p) ?? (asMentor ? UNKNOWN_MENTOR_DEPTH : -1),
      confident,
      teach,
      want: levelMask(p.wantLevels ?? []) & this.scope,
      langs,
      langMask,
      days: dayMask(p.preferredDays ?? []),
      sessions: Number.isFinite(p.sessionsPerMonth) && p.sessionsPerMonth > 0 ? p.sessionsPerMonth : NaN,
      utcOffset: utcOffsetHours(p.timeZone),
    };
  }
}

const bit = (level: Level): number => 1 << (level - 1);
const levelMask = (levels: readonly number[]): number =>
  levels.reduce((m, l) => ((LEVELS as readonly number[]).includes(l) ? m | bit(l as Level) : m), 0);
const dayMask = (days: readonly string[]): number =>
  days.reduce((m, d) => ((WEEKDAYS as readonly string[]).includes(d) ? m | (1 << WEEKDAYS.indexOf(d as Weekday)) : m), 0);
const levelsOf = (mask: number): Level[] => LEVELS.filter((l) => (mask & bit(l)) !== 0);
const daysOf = (mask: number): Weekday[] => WEEKDAYS.filter((_, d) => (mask & (1 << d)) !== 0);

/** Popcount of masks up to 7 bits (levels and weekdays). */
const POP = Uint8Array.from({ length: 128 }, (_, m) => m.toString(2).replace(/0/g, '').length);

/** A fixed instant, so that offsets (and scores) do not change with daylight saving time. */
const REFERENCE_DATE = new Date(Date.UTC(2025, 0, 15, 12));
const offsetCache = new Map<string, number>();

/** The zone's UTC offset in hours at REFERENCE_DATE; NaN for an unknown or empty zone. */
export function utcOffsetHours(zone: string): number {
  let hours = offsetCache.get(zone);
  if (hours !== undefined) return hours;
  hours = NaN;
  if (zone) {
    try {
      const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
        .formatToParts(REFERENCE_DATE)
        .find((p) => p.type === 'timeZoneName')?.value;
      const m = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?)?$/.exec(name ?? '');
      if (m) hours = m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) + Number(m[3] ?? 0) / 60) : 0;
    } catch {
      // RangeError: not an IANA zone this runtime knows. Scored neutral.
    }
  }
  offsetCache.set(zone, hours);
  return hours;
}

// ---------------------------------------------------------------------------------------------
// Soft score: parts of fractions 0..1 times their weights, which add up to 100.
// Unknown data (no days, no languages, unknown zone) scores a neutral half.

export const SCORE_WEIGHTS = { goals: 40, otherLevels: 10, language: 15, days: 15, sessions: 10, timeZone: 10 } as const;
export const MAX_SCORE = 100;
const NEUTRAL = 0.5;
/** Time zones this many hours apart (or more) get nothing for closeness. */
const TZ_SPAN_HOURS = 8;
/** Sessions per month this far apart (or more) get nothing for cadence. */
const SESSIONS_SPAN = 3;
/** Closeness up to this many hours is worth naming as a reason; from TZ_FAR_HOURS a caution. */
const TZ_CLOSE_HOURS = 3;
const TZ_FAR_HOURS = 6;

/** The mentee's goals: wanted in-scope levels or, when none is given, the whole scope. */
const goalMask = (want: number, scope: number): number => want || scope;

/** Per goal level: can teach 1, confident 0.5 (how far above "confident" the mentor is). */
function goalFraction(goals: number, confident: number, teach: number): number {
  if (goals === 0) return NEUTRAL;
  return (POP[goals & teach] + 0.5 * POP[goals & confident & ~teach]) / POP[goals];
}

/** Share of the programme's other levels the mentor is confident in (a broader mentor). */
function otherLevelsFraction(goals: number, scope: number, confident: number): number {
  const others = scope & ~goals;
  return others === 0 ? 1 : POP[others & confident] / POP[others];
}

/** Goals and other levels: the part of the score that depends on skills. */
function levelPoints(goals: number, scope: number, confident: number, teach: number): number {
  return (
    SCORE_WEIGHTS.goals * goalFraction(goals, confident, teach) +
    SCORE_WEIGHTS.otherLevels * otherLevelsFraction(goals, scope, confident)
  );
}

function sharedLanguage(m: Features, e: Features): string | undefined {
  return e.langs.find((l) => m.langs.includes(l));
}

function languageFraction(m: Features, e: Features): number {
  if (m.langs.length === 0 || e.langs.length === 0) return NEUTRAL;
  return sharedLanguage(m, e) ? 1 : 0;
}

/** languageFraction on masks: exact while every language of the run has its own bit. */
function languageFractionOfMasks(a: number, b: number): number {
  if (a === 0 || b === 0) return NEUTRAL;
  return (a & b) !== 0 ? 1 : 0;
}

/** Shared preferred days relative to the shorter list. */
function daysFraction(a: number, b: number): number {
  if (a === 0 || b === 0) return NEUTRAL;
  return POP[a & b] / Math.min(POP[a], POP[b]);
}
/** SCORE_WEIGHTS.days * daysFraction for every pair of day masks. */
const DAY_POINTS = Float64Array.from({ length: 128 * 128 }, (_, k) => SCORE_WEIGHTS.days * daysFraction(k >> 7, k & 127));

function sessionsFraction(a: number, b: number): number {
  const diff = Math.abs(a - b);
  return diff !== diff ? NEUTRAL : 1 - Math.min(1, diff / SESSIONS_SPAN); // diff !== diff: NaN
}

/** Hours between two offsets on a 24 h clock (UTC+14 and UTC-10 are 0 h apart); NaN if unknown. */
function tzHours(a: number, b: number): number {
  const d = Math.abs(a - b); // offsets lie within -12..+14, so d <= 26
  return d > 12 ? Math.abs(24 - d) : d;
}

function tzFraction(a: number, b: number): number {
  const h = tzHours(a, b);
  return h !== h ? NEUTRAL : 1 - Math.min(1, h / TZ_SPAN_HOURS);
}

/**
 * The score: an integer 0-100, so that totals and the solver's arithmetic are exact.
 * buildEdges computes the same sum in the same order, with the first two parts from tables.
 */
function scoreOf(m: Features, e: Features, scope: number): number {
  const w = SCORE_WEIGHTS;
  return Math.round(
    levelPoints(goalMask(e.want, scope), scope, m.confident, m.teach) +
      DAY_POINTS[(m.days << 7) | e.days] +
      w.language * languageFraction(m, e) +
      w.sessions * sessionsFraction(m.sessions, e.sessions) +
      w.timeZone * tzFraction(m.utcOffset, e.utcOffset),
  );
}

const pts = (x: number): number => Math.round(x * 10) / 10;

/** The same parts as scoreOf, as reasons, largest contribution first. */
function reasonsOf(m: Features, e: Features, scope: number): ScoreReason[] {
  const w = SCORE_WEIGHTS;
  const out: ScoreReason[] = [];
  const goals = goalMask(e.want, scope);
  for (const level of levelsOf(goals)) {
    if (m.teach & bit(level)) out.push({ code: 'teaches-level', level, points: pts(w.goals / POP[goals]) });
    else if (m.confident & bit(level)) out.push({ code: 'confident-level', level, points: pts((0.5 * w.goals) / POP[goals]) });
  }
  const others = scope & ~goals & m.confident;
  if (others) {
    const points = pts(w.otherLevels * otherLevelsFraction(goals, scope, m.confident));
    out.push({ code: 'covers-other-levels', levels: levelsOf(others), points });
  }

  const lang = sharedLanguage(m, e);
  if (lang) out.push({ code: 'shared-language', lang, points: w.language });
  else if (m.langs.length && e.langs.length) out.push({ code: 'no-shared-language', points: 0 });

  if (m.days & e.days) out.push({ code: 'same-days', days: daysOf(m.days & e.days), points: pts(DAY_POINTS[(m.days << 7) | e.days]) });

  const sessionPoints = pts(w.sessions * sessionsFraction(m.sessions, e.sessions));
  if (m.sessions === e.sessions) out.push({ code: 'same-sessions', perMonth: m.sessions, points: sessionPoints });
  else if (Math.abs(m.sessions - e.sessions) <= 1) {
    out.push({ code: 'similar-sessions', mentor: m.sessions, mentee: e.sessions, points: sessionPoints });
  }

  const hours = tzHours(m.utcOffset, e.utcOffset);
  if (hours <= TZ_CLOSE_HOURS) out.push({ code: 'tz-close', hours, points: pts(w.timeZone * tzFraction(m.utcOffset, e.utcOffset)) });
  else if (hours >= TZ_FAR_HOURS) out.push({ code: 'tz-far', hours, points: 0 });

  // Stable sort: equal contributions keep the order above (goals first).
  return out.sort((a, b) => b.points - a.points);
}

/** Soft score 0-100 of a pair and why; says nothing about hard rules (see checkHardRules). */
export function scoreEdge(
  mentor: Participant,
  mentee: Participant,
  programme: Pick<Programme, 'levels'>,
): { score: number; reasons: ScoreReason[] } {
  const c = new Compiler(levelMask(programme.levels));
  const m = c.compile(mentor, true);
  const e = c.compile(mentee, false);
  return { score: scoreOf(m, e, c.scope), reasons: reasonsOf(m, e, c.scope) };
}

/** Everything the admin needs about one pair, e.g. before pairing two people by hand. */
export function explainPair(
  mentor: Participant,
  mentee: Participant,
  input: MatchInput,
): { allowed: boolean; violations: RuleViolation[]; score: number; reasons: ScoreReason[] } {
  const violations = checkHardRules(mentor, mentee, input);
  return { allowed: violations.length === 0, violations, ...scoreEdge(mentor, mentee, input.programme) };
}

// ---------------------------------------------------------------------------------------------
// Edges: the cost matrix of the cohort. Rows are mentees, columns mentors, plus one last
// column "stays unmatched" that takes any number of mentees.

/** Pair-specific rules, as bit flags. */
const EXCLUDED = 1;
const PAST = 2;
const REPORTING_LINE = 4;

export interface EdgeSet {
  input: MatchInput;
  /** Active participants, first occurrence of each user id, in input order. */
  mentors: Participant[];
  mentees: Participant[];
  /** Mentees each mentor may still take (programme maximum minus existing load). */
  capacity: Int32Array;
  /** Columns of `cost`: mentors.length + 1; the last is "stays unmatched". */
  cols: number;
  /**
   * Row-major mentees x cols: MAX_SCORE - score for an allowed pair, Infinity where a hard rule
   * forbids it, and `unmatchedCost` in the last column.
   */
  cost: Float64Array;
  /**
   * Cost of leaving a mentee out: more than any total score, so one more pair always beats any
   * gain in score. The optimum has the most pairs, then the highest total score.
   */
  unmatchedCost: number;
  /** EXCLUDED | PAST | REPORTING_LINE flags by menteeIndex * mentors.length + mentorIndex; only listed pairs. */
  blocked: Map<number, number>;
  mentorFeatures: Features[];
  menteeFeatures: Features[];
  scope: number;
}

function activeUnique(people: Participant[]): Participant[] {
  const seen = new Set<string>();
  return people.filter((p) => p.status === 'active' && !seen.has(p.userId) && (seen.add(p.userId), true));
}

/**
 * Exclusions, past partners and (when the rule applies) pairs within one management chain, by
 * index pair. The chains are walked once per person (a few managers each), never per pair.
 */
function blockedPairs(mentors: Participant[], mentees: Participant[], input: MatchInput): Map<number, number> {
  const mentorIx = new Map(mentors.map((p, j) => [p.userId, j]));
  const menteeIx = new Map(mentees.map((p, i) => [p.userId, i]));
  const blocked = new Map<number, number>();
  const mark = (mentorId: string, menteeId: string, flag: number): void => {
    const j = mentorIx.get(mentorId);
    const i = menteeIx.get(menteeId);
    if (j === undefined || i === undefined) return;
    const key = i * mentors.length + j;
    blocked.set(key, (blocked.get(key) ?? 0) | flag);
  };
  for (const p of input.excludedPairs ?? []) mark(p.mentorId, p.menteeId, EXCLUDED);
  for (const p of input.pastPairs ?? []) mark(p.mentorId, p.menteeId, PAST);
  for (const m of mentors) for (const id of m.excluded ?? []) mark(m.userId, id, EXCLUDED);
  for (const e of mentees) {
    for (const id of e.excluded ?? []) mark(id, e.userId, EXCLUDED);
    mark(e.userId, e.userId, EXCLUDED); // someone enrolled in both roles
  }
  if (reportingLinesApply(input.programme)) {
    // A mentor above the mentee, or the mentee above the mentor, by each person's own chain.
    for (const e of mentees) for (const id of e.directory?.managers ?? []) mark(id, e.userId, REPORTING_LINE);
    for (const m of mentors) for (const id of m.directory?.managers ?? []) mark(m.userId, id, REPORTING_LINE);
  }
  return blocked;
}

export function buildEdges(input: MatchInput): EdgeSet {
  const mentors = activeUnique(input.mentors);
  const mentees = activeUnique(input.mentees);
  const compiler = new Compiler(levelMask(input.programme.levels));
  const scope = compiler.scope;
  const mf = mentors.map((p) => compiler.compile(p, true));
  const ef = mentees.map((p) => compiler.compile(p, false));
  const capacity = Int32Array.from(mentors, (m) => capacityLeft(m.userId, input));
  const blocked = blockedPairs(mentors, mentees, input);

  const nM = mentors.length;
  const cols = nM + 1;
  const totalCapacity = capacity.reduce((a, b) => a + b, 0);
  const unmatchedCost = MAX_SCORE * (Math.min(mentees.length, totalCapacity) + 1) + 1;
  const cost = new Float64Array(mentees.length * cols);

  // Mentors as flat arrays for the hot loop.
  const open = Uint8Array.from(capacity, (c) => (c > 0 ? 1 : 0));
  const dept = Int32Array.from(mf, (m) => m.dept);
  const rank = Int32Array.from(mf, (m) => m.rank);
  const depth = Int32Array.from(mf, (m) => m.depth);
  const confident = Int32Array.from(mf, (m) => m.confident);
  const skills = Int32Array.from(mf, (m) => m.confident | (m.teach << 5));
  const days = Int32Array.from(mf, (m) => m.days << 7);
  const langs = Int32Array.from(mf, (m) => m.langMask);
  const sessions = Float64Array.from(mf, (m) => m.sessions);
  const utcOffset = Float64Array.from(mf, (m) => m.utcOffset);
  const masksExact = compiler.languageMasksExact;
  // levelPoints by goal mask, indexed by the mentor's skills.
  const levelTables = new Map<number, Float64Array>();
  const levelTable = (goals: number): Float64Array => {
    let t = levelTables.get(goals);
    if (!t) levelTables.set(goals, (t = Float64Array.from({ length: 1024 }, (_, k) => levelPoints(goals, scope, k & 31, k >> 5))));
    return t;
  };
  const w = SCORE_WEIGHTS;
  const maxScore = MAX_SCORE; // a local: exported constants are property loads in CommonJS

  for (let i = 0; i < mentees.length; i++) {
    const e = ef[i];
    const { dept: eDept, rank: eRank, depth: eDepth, want: eWant, days: eDays, langMask: eLangs, sessions: eSessions, utcOffset: eOffset } = e;
    const levels = levelTable(goalMask(eWant, scope));
    const row = i * cols;
    for (let j = 0; j < nM; j++) {
      // The hard rules of checkHardRules; exclusions, past partners and reporting lines are set after the loop.
      if (open[j] === 0 || dept[j] === eDept || rank[j] >= eRank || depth[j] <= eDepth || (eWant & ~confident[j]) !== 0) {
        cost[row + j] = Infinity;
        continue;
      }
      // scoreOf, term by term in the same order (so rounding is identical).
      const score = Math.round(
        levels[skills[j]] +
          DAY_POINTS[days[j] | eDays] +
          w.language * (masksExact ? languageFractionOfMasks(langs[j], eLangs) : languageFraction(mf[j], e)) +
          w.sessions * sessionsFraction(sessions[j], eSessions) +
          w.timeZone * tzFraction(utcOffset[j], eOffset),
      );
      cost[row + j] = maxScore - score;
    }
    cost[row + nM] = unmatchedCost;
  }
  for (const key of blocked.keys()) cost[Math.floor(key / nM) * cols + (key % nM)] = Infinity;
  return { input, mentors, mentees, capacity, cols, cost, unmatchedCost, blocked, mentorFeatures: mf, menteeFeatures: ef, scope };
}

/** Solves the edge set: mentor index per mentee, -1 when the mentee stays unmatched. */
export function solveEdges(edges: EdgeSet): Int32Array {
  const nM = edges.mentors.length;
  const capacity = new Int32Array(edges.cols);
  capacity.set(edges.capacity);
  capacity[nM] = edges.mentees.length; // "unmatched" has room for everyone
  const colOf = solveAssignment(edges.cost, edges.mentees.length, edges.cols, capacity);
  return colOf.map((j) => (j === nM ? -1 : j));
}

// ---------------------------------------------------------------------------------------------
// Explaining the result.

/**
 * The funnel that explains unmatched people: the hard rules in this order, from the most
 * structural to the most circumstantial. Someone is kept out by the first step that no
 * candidate gets past.
 */
const FUNNEL = [
  'same-department', 'not-less-senior', 'not-lower-in-org', 'level-not-covered', 'reporting-line', 'excluded', 'past-partner', 'capacity',
] as const;
const PASSES_ALL = FUNNEL.length;
const STEP = Object.fromEntries(FUNNEL.map((rule, k) => [rule, k])) as Record<(typeof FUNNEL)[number], number>;

/** How many funnel steps a mentor and a mentee pass in a row (PASSES_ALL: the pair is allowed). */
function stepsPassed(m: Features, e: Features, flags: number, capacity: number): number {
  if (m.dept === e.dept) return STEP['same-department'];
  if (m.rank >= e.rank) return STEP['not-less-senior'];
  if (m.depth <= e.depth) return STEP['not-lower-in-org'];
  if ((e.want & ~m.confident) !== 0) return STEP['level-not-covered'];
  if (flags & REPORTING_LINE) return STEP['reporting-line'];
  if (flags & EXCLUDED) return STEP.excluded;
  if (flags & PAST) return STEP['past-partner'];
  if (capacity <= 0) return STEP.capacity;
  return PASSES_ALL;
}

/** The blocked pairs of one mentee (by mentor index) and of one mentor (by mentee index), for explaining. */
interface BlockedIndex {
  byMentee: Map<number, Map<number, number>>;
  byMentor: Map<number, Map<number, number>>;
}

function indexBlocked(edges: EdgeSet): BlockedIndex {
  const byMentee = new Map<number, Map<number, number>>();
  const byMentor = new Map<number, Map<number, number>>();
  const nM = edges.mentors.length;
  const add = (m: Map<number, Map<number, number>>, k: number, other: number, flags: number) => {
    let row = m.get(k);
    if (!row) m.set(k, (row = new Map()));
    row.set(other, flags);
  };
  for (const [key, flags] of edges.blocked) {
    add(byMentee, Math.floor(key / nM), key % nM, flags);
    add(byMentor, key % nM, Math.floor(key / nM), flags);
  }
  return { byMentee, byMentor };
}

/** A mentee with no pair. */
function menteeReason(edges: EdgeSet, i: number, index: BlockedIndex): UnmatchedReason {
  const { mentorFeatures: mf, capacity } = edges;
  const e = edges.menteeFeatures[i];
  const blocked = index.byMentee.get(i);
  if (mf.length === 0) return { code: 'no-mentors' };
  let furthest = 0;
  let candidates = 0;
  let coveredBySome = 0; // levels covered by mentors who got as far as the level step
  for (let j = 0; j < mf.length; j++) {
    const passed = stepsPassed(mf[j], e, blocked === undefined ? 0 : (blocked.get(j) ?? 0), capacity[j]);
    furthest = Math.max(furthest, passed);
    if (passed >= STEP['level-not-covered']) coveredBySome |= mf[j].confident;
    if (passed === PASSES_ALL) candidates++;
  }
  switch (FUNNEL[furthest]) {
    case 'same-department':
      return { code: 'no-other-department' };
    case 'not-less-senior':
      return { code: 'no-less-senior-mentor' };
    case 'not-lower-in-org':
      return { code: 'no-lower-mentor-in-org' };
    case 'level-not-covered': {
      const uncovered = levelsOf(e.want & ~coveredBySome);
      if (uncovered.length) return { code: 'no-mentor-covers-level', level: uncovered[0], levels: uncovered };
      return { code: 'no-mentor-covers-all-levels', levels: levelsOf(e.want) };
    }
    case 'reporting-line':
      return { code: 'mentors-in-reporting-line' };
    case 'excluded':
      return { code: 'only-excluded-partners' };
    case 'past-partner':
      return { code: 'only-past-partners' };
    case 'capacity':
      return { code: 'mentors-already-full' };
    default:
      // Allowed mentors exist: the optimum filled them all (else one more pair would fit).
      return { code: 'all-mentors-full', candidates };
  }
}

/** A mentor with no pair in this run: the same funnel from the mentor's side. */
function mentorReason(edges: EdgeSet, j: number, index: BlockedIndex): UnmatchedReason {
  const ef = edges.menteeFeatures;
  const m = edges.mentorFeatures[j];
  const blocked = index.byMentor.get(j);
  if (ef.length === 0) return { code: 'no-mentees' };
  if (edges.capacity[j] <= 0) return { code: 'no-capacity-left' };
  let furthest = 0;
  let candidates = 0;
  const missing = new Int32Array(LEVELS.length); // by level - 1: mentees wanting a level the mentor lacks
  for (let i = 0; i < ef.length; i++) {
    const passed = stepsPassed(m, ef[i], blocked === undefined ? 0 : (blocked.get(i) ?? 0), edges.capacity[j]);
    furthest = Math.max(furthest, passed);
    if (passed === STEP['level-not-covered']) {
      const lacking = ef[i].want & ~m.confident;
      for (let b = 0; b < LEVELS.length; b++) if (lacking & (1 << b)) missing[b]++;
    }
    if (passed === PASSES_ALL) candidates++;
  }
  switch (FUNNEL[furthest]) {
    case 'same-department':
      return { code: 'no-other-department' };
    case 'not-less-senior':
      return { code: 'no-more-senior-mentee' };
    case 'not-lower-in-org':
      return { code: 'no-higher-mentee-in-org' };
    case 'level-not-covered': {
      const levels = LEVELS.filter((l) => missing[l - 1] > 0);
      return { code: 'no-mentee-fits', levels: levels.sort((a, b) => missing[b - 1] - missing[a - 1] || a - b) };
    }
    case 'reporting-line':
      return { code: 'mentees-in-reporting-line' };
    case 'excluded':
      return { code: 'only-excluded-partners' };
    case 'past-partner':
      return { code: 'only-past-partners' };
    default:
      // Allowed mentees exist: the optimum paired them all elsewhere.
      return { code: 'mentees-taken', candidates };
  }
}

/** Turns a solution (mentor index per mentee, -1 for none) into the admin's proposal. */
export function explain(edges: EdgeSet, mentorOf: Int32Array): Proposal {
  const { mentors, mentees, mentorFeatures: mf, menteeFeatures: ef, scope } = edges;
  const pairs: ProposedPair[] = [];
  const unmatched: UnmatchedPerson[] = [];
  const paired = new Uint8Array(mentors.length);
  const index = indexBlocked(edges);
  let totalScore = 0;
  for (let i = 0; i < mentees.length; i++) {
    const j = mentorOf[i];
    if (j < 0) {
      unmatched.push({ userId: mentees[i].userId, role: 'mentee', reason: menteeReason(edges, i, index) });
      continue;
    }
    const score = MAX_SCORE - edges.cost[i * edges.cols + j];
    pairs.push({ mentorId: mentors[j].userId, menteeId: mentees[i].userId, score, reasons: reasonsOf(mf[j], ef[i], scope) });
    paired[j] = 1;
    totalScore += score;
  }
  mentors.forEach((m, j) => {
    if (!paired[j]) unmatched.push({ userId: m.userId, role: 'mentor', reason: mentorReason(edges, j, index) });
  });
  return { pairs, unmatched, totalScore };
}

/**
 * Proposes pairs for the whole cohort: the most pairs any assignment allows, and among those
 * the highest total score, with no hard rule broken and no mentor over capacity.
 * Only participants with status 'active' take part.
 */
export function match(input: MatchInput): Proposal {
  const edges = buildEdges(input);
  return explain(edges, solveEdges(edges));
}
