// Weekly check-ins, pure rules: when a round is due, what a valid answer is, response rates,
// the at-risk rule, when a reminder is due, and the dispatch lease decisions. No Bot Framework,
// HTTP or storage types here; time zones via Intl only.
import { CheckinRecord, CheckinRound, MetAnswer, Pair, Programme, Role, Skill, SurveyPhase, WEEKDAYS } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Time zones

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Monday ... 6 = Sunday, as WEEKDAYS. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock date and time of `at` in `timeZone`. */
export function localParts(at: Date, timeZone: string): LocalParts {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday);
  return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour % 24, minute: +parts.minute, weekday };
}

/** The instant when the wall clock in `timeZone` shows the given date and time (DST gaps move forward). */
export function zonedTime(year: number, month: number, day: number, hour: number, timeZone: string, minute = 0): Date {
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wanted;
  // Two corrections settle any offset, including across a DST change.
  for (let i = 0; i < 3; i++) {
    const p = localParts(new Date(guess), timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    if (shown === wanted) break;
    guess += wanted - shown;
  }
  return new Date(guess);
}

/** YYYY-MM-DD of `at` in `timeZone`. */
export function localDate(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
function parseDate(s: string): { y: number; m: number; d: number } | undefined {
  const m = ISO_DATE.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [+m[1], +m[2], +m[3]];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return { y, m: mo, d };
}

/** Calendar arithmetic on dates (no time zone involved). */
function addDays(date: { y: number; m: number; d: number }, days: number) {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d) + days * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}
const weekdayOf = (date: { y: number; m: number; d: number }) => (new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay() + 6) % 7;
const dayNumber = (date: { y: number; m: number; d: number }) => Math.round(Date.UTC(date.y, date.m - 1, date.d) / DAY_MS);

// ---------------------------------------------------------------------------------------------
// Schedule

export type ScheduleFields = Pick<Programme, 'status' | 'startDate' | 'endDate' | 'timeZone' | 'checkinWeekday' | 'checkinHour' | 'cadenceWeeks'>;

/** The programme's time window: from the start date's midnight to the end of its end date, local time. */
export function programmeWindow(p: ScheduleFields): { start: Date; end: Date } | undefined {
  const s = parseDate(p.startDate);
  const e = parseDate(p.endDate);
  if (!s || !e || !isTimeZone(p.timeZone)) return undefined;
  const after = addDays(e, 1);
  return { start: zonedTime(s.y, s.m, s.d, 0, p.timeZone), end: zonedTime(after.y, after.m, after.d, 0, p.timeZone) };
}

/** The k-th scheduled slot (k >= 0): the weekday and hour on or after the start date, every cadence weeks. */
function slot(p: ScheduleFields, k: number): Date | undefined {
  const s = parseDate(p.startDate);
  if (!s) return undefined;
  const target = WEEKDAYS.indexOf(p.checkinWeekday);
  const first = addDays(s, (target - weekdayOf(s) + 7) % 7);
  const d = addDays(first, k * 7 * cadence(p));
  return zonedTime(d.y, d.m, d.d, hourOf(p), p.timeZone);
}

const cadence = (p: ScheduleFields) => (Number.isInteger(p.cadenceWeeks) && p.cadenceWeeks > 0 ? p.cadenceWeeks : 1);
const hourOf = (p: ScheduleFields) => (Number.isInteger(p.checkinHour) && p.checkinHour >= 0 && p.checkinHour <= 23 ? p.checkinHour : 9);

/** The latest slot at or before `now`, if any slot has passed yet. */
export function latestSlot(p: ScheduleFields, now: Date): Date | undefined {
  const first = slot(p, 0);
  if (!first || first > now) return undefined;
  const today = localParts(now, p.timeZone);
  const s = parseDate(p.startDate)!;
  const days = dayNumber({ y: today.year, m: today.month, d: today.day }) - dayNumber(s);
  let k = Math.max(0, Math.floor(days / (7 * cadence(p))));
  let at = slot(p, k)!;
  while (at > now && k > 0) at = slot(p, --k)!;
  return at <= now ? at : undefined;
}

/** The first slot strictly after `t`. */
export function slotAfter(p: ScheduleFields, t: Date): Date | undefined {
  const latest = latestSlot(p, t);
  if (!latest) return slot(p, 0);
  // The latest slot's index, then the next one.
  const s = parseDate(p.startDate)!;
  const lp = localParts(latest, p.timeZone);
  const k = Math.round((dayNumber({ y: lp.year, m: lp.month, d: lp.day }) - dayNumber(s)) / (7 * cadence(p)));
  for (let i = Math.max(0, k); i < k + 3; i++) {
    const at = slot(p, i)!;
    if (at > t) return at;
  }
  return undefined;
}

/**
 * When a round opened at `openedAt` stops taking answers: at the first slot at least half a
 * cadence later (so a round opened by hand shortly before a slot takes that slot's place), and
 * no later than the end of the programme.
 */
export function roundClosesAt(p: ScheduleFields, openedAt: Date): Date {
  const half = (cadence(p) * 7 * DAY_MS) / 2;
  const next = slotAfter(p, new Date(openedAt.getTime() + half)) ?? new Date(openedAt.getTime() + cadence(p) * 7 * DAY_MS);
  const window = programmeWindow(p);
  return window && window.end < next && window.end > openedAt ? window.end : next;
}

export const nextRoundNumber = (rounds: Array<Pick<CheckinRound, 'round'>>): number =>
  rounds.reduce((max, r) => Math.max(max, r.round), 0) + 1;

export type Due = { due: true; round: number; slot: Date } | { due: false; reason: 'not-running' | 'outside-dates' | 'no-slot-yet' | 'round-open' };

/**
 * Whether the scheduler should open a round now: the programme is running, now is between its
 * start and end dates, a slot has passed, and no round covers that slot yet (the last round
 * closes after it). A server that was down over several slots opens one round, not a burst.
 */
export function roundDue(p: ScheduleFields, rounds: CheckinRound[], now: Date): Due {
  if (p.status !== 'running') return { due: false, reason: 'not-running' };
  const window = programmeWindow(p);
  if (!window || now < window.start || now >= window.end) return { due: false, reason: 'outside-dates' };
  const at = latestSlot(p, now);
  if (!at || at < window.start) return { due: false, reason: 'no-slot-yet' };
  const last = [...rounds].sort((a, b) => b.round - a.round)[0];
  if (last && new Date(last.closesAt) > at) return { due: false, reason: 'round-open' };
  return { due: true, round: nextRoundNumber(rounds), slot: at };
}

// ---------------------------------------------------------------------------------------------
// Who is asked

export interface Asked {
  userId: string;
  role: Role;
  pairId: string;
}

/**
 * One check-in per person per round (the record's key): both sides of every active pair. A mentor
 * with several mentees answers once, about their first pair by id (the card says which).
 */
export function peopleToAsk(pairs: Array<Pick<Pair, 'id' | 'mentorId' | 'menteeId' | 'status'>>, statuses: ReadonlyArray<Pair['status']> = ['active']): Asked[] {
  const out = new Map<string, Asked>();
  for (const p of [...pairs].filter((x) => statuses.includes(x.status)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (!out.has(p.menteeId)) out.set(p.menteeId, { userId: p.menteeId, role: 'mentee', pairId: p.id });
    if (!out.has(p.mentorId)) out.set(p.mentorId, { userId: p.mentorId, role: 'mentor', pairId: p.id });
  }
  return [...out.values()];
}

// ---------------------------------------------------------------------------------------------
// Answers

export const MAX_LEARNED = 2000;
export const MAX_BLOCKERS = 1000;
export const MAX_CHANGE = 2000;
export const MET_ANSWERS: readonly MetAnswer[] = ['yes', 'rescheduled', 'no'];

export interface Problem {
  field: string;
  /** An i18n key under `checkins.errors` / `feedback.errors`. */
  code: string;
  params?: Record<string, string | number>;
}

export interface CheckinAnswer {
  met: MetAnswer;
  tutorials: string[];
  learned?: string;
  rating?: number;
  blockers?: string;
  nextSession?: string;
}

/** Text as typed, minus control characters (line breaks and tabs stay), trimmed. */
export function cleanText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = String(v)
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/g, '')
    .trim();
  return s || undefined;
}

/** Teams sends a multi-select ChoiceSet as "a,b,c"; tests and other clients may send a list. */
function listOf(v: unknown): string[] | undefined {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? v.map((x) => x.trim()).filter(Boolean) : undefined;
  if (typeof v === 'string') return v.split(',').map((x) => x.trim()).filter(Boolean);
  return undefined;
}

function intOf(v: unknown): number | undefined | null {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : null;
}

/**
 * Validates a submitted check-in. `allowed` are the tutorial ids of the programme's levels;
 * `today` is today's date (YYYY-MM-DD) where the person is. Unknown fields are ignored.
 */
export function validateCheckin(value: Record<string, unknown>, allowed: readonly string[], today: string): { ok: true; answer: CheckinAnswer } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const met = typeof value.met === 'string' ? (value.met.trim() as MetAnswer) : undefined;
  if (!met) problems.push({ field: 'met', code: 'metRequired' });
  else if (!MET_ANSWERS.includes(met)) problems.push({ field: 'met', code: 'metInvalid' });

  const tutorials = listOf(value.tutorials);
  if (!tutorials) problems.push({ field: 'tutorials', code: 'tutorialsInvalid' });
  else if (tutorials.some((t) => !allowed.includes(t))) problems.push({ field: 'tutorials', code: 'tutorialsUnknown' });

  const learned = cleanText(value.learned);
  if (value.learned !== undefined && value.learned !== null && typeof value.learned !== 'string') problems.push({ field: 'learned', code: 'textInvalid' });
  else if (learned && learned.length > MAX_LEARNED) problems.push({ field: 'learned', code: 'learnedTooLong', params: { max: MAX_LEARNED } });
  else if (!learned && met === 'yes') problems.push({ field: 'learned', code: 'learnedRequired' });

  const rating = intOf(value.rating);
  if (rating === null || (rating !== undefined && (rating < 1 || rating > 5))) problems.push({ field: 'rating', code: 'ratingRange' });
  else if (rating === undefined && met === 'yes') problems.push({ field: 'rating', code: 'ratingRequired' });

  const blockers = cleanText(value.blockers);
  if (value.blockers !== undefined && value.blockers !== null && typeof value.blockers !== 'string') problems.push({ field: 'blockers', code: 'textInvalid' });
  else if (blockers && blockers.length > MAX_BLOCKERS) problems.push({ field: 'blockers', code: 'blockersTooLong', params: { max: MAX_BLOCKERS } });

  const next = typeof value.nextSession === 'string' ? value.nextSession.trim() : value.nextSession;
  if (next !== undefined && next !== null && next !== '') {
    if (typeof next !== 'string' || !parseDate(next)) problems.push({ field: 'nextSession', code: 'dateInvalid' });
    else if (next < today) problems.push({ field: 'nextSession', code: 'datePast' });
  }

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    answer: {
      met: met!,
      tutorials: [...new Set(tutorials!)],
      learned,
      rating: rating ?? undefined,
      blockers,
      nextSession: typeof next === 'string' && next ? next : undefined,
    },
  };
}

export interface FeedbackAnswer {
  valueOfOneToOne: number;
  flexibility: number;
  /** 0-10. */
  recommend: number;
  /** The closing survey's comment; the pulse has none (''). */
  change: string;
  /** Mentees: level ("1".."5") -> 0-3, for the levels asked. */
  levels: Record<string, Skill>;
  /** Mentors: business item id -> 0-3, for the items asked. */
  business: Record<string, Skill>;
}

/** What a survey card asks besides the scores: the levels in scope (mentees) or the business items (mentors). */
export interface SurveyScope {
  phase: SurveyPhase;
  levels: number[];
  items: string[];
}

/** Card input ids of the ratings a survey asks: `level<n>` and `business-<id>`. */
export const levelInput = (level: number): string => `level${level}`;
export const itemInput = (id: string): string => `business-${id}`;

/** A 0-3 rating as a card sends it; undefined when missing, null when not one. */
export function ratingOf(v: unknown): Skill | undefined | null {
  const n = intOf(v);
  if (n === undefined) return undefined;
  return n !== null && n >= 0 && n <= 3 ? (n as Skill) : null;
}

/**
 * Validates a closing survey or pulse answer: the two 1-5 scores, the 0-10 recommend score, every
 * rating the card asked (required, 0-3) and, at the end, the optional comment. Unknown fields are ignored.
 */
export function validateFeedback(value: Record<string, unknown>, scope: SurveyScope = { phase: 'end', levels: [], items: [] }): { ok: true; answer: FeedbackAnswer } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const score = (field: 'valueOfOneToOne' | 'flexibility') => {
    const n = intOf(value[field]);
    if (n === undefined) problems.push({ field, code: 'scoreRequired' });
    else if (n === null || n < 1 || n > 5) problems.push({ field, code: 'scoreRange' });
    return n ?? 0;
  };
  const valueOfOneToOne = score('valueOfOneToOne');
  const flexibility = score('flexibility');
  const recommend = intOf(value.recommend);
  if (recommend === undefined) problems.push({ field: 'recommend', code: 'recommendRequired' });
  else if (recommend === null || recommend < 0 || recommend > 10) problems.push({ field: 'recommend', code: 'recommendRange' });
  const rate = (input: string, params: Record<string, string | number>) => {
    const r = ratingOf(value[input]);
    if (r === undefined) problems.push({ field: input, code: 'ratingRequired', params });
    else if (r === null) problems.push({ field: input, code: 'ratingRange', params });
    return r ?? undefined;
  };
  const levels: Record<string, Skill> = {};
  for (const l of scope.levels) {
    const r = rate(levelInput(l), { level: l });
    if (r !== undefined) levels[String(l)] = r;
  }
  const business: Record<string, Skill> = {};
  for (const id of scope.items) {
    const r = rate(itemInput(id), { item: id });
    if (r !== undefined) business[id] = r;
  }
  let change = '';
  if (scope.phase === 'end') {
    change = cleanText(value.change) ?? '';
    if (value.change !== undefined && value.change !== null && typeof value.change !== 'string') problems.push({ field: 'change', code: 'textInvalid' });
    else if (change.length > MAX_CHANGE) problems.push({ field: 'change', code: 'changeTooLong', params: { max: MAX_CHANGE } });
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, answer: { valueOfOneToOne: valueOfOneToOne as number, flexibility: flexibility as number, recommend: recommend as number, change, levels, business } };
}

/** A mentor's business-understanding ratings (the start card): every item required, 0-3. */
export function validateBusinessRatings(value: Record<string, unknown>, items: string[]): { ok: true; ratings: Record<string, Skill> } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const ratings: Record<string, Skill> = {};
  for (const id of items) {
    const r = ratingOf(value[itemInput(id)]);
    if (r === undefined) problems.push({ field: itemInput(id), code: 'ratingRequired', params: { item: id } });
    else if (r === null) problems.push({ field: itemInput(id), code: 'ratingRange', params: { item: id } });
    else ratings[id] = r;
  }
  return problems.length ? { ok: false, problems } : { ok: true, ratings };
}

// ---------------------------------------------------------------------------------------------
// The at-risk rule

/**
 * Whether a pair missed a round: it was asked (someone of the pair has a record in that round)
 * and neither side answered. Undefined when the pair was not asked that round.
 */
export function missedRound(pair: Pick<Pair, 'id' | 'mentorId' | 'menteeId'>, roundRecords: Array<Pick<CheckinRecord, 'userId' | 'pairId' | 'answeredAt'>>): boolean | undefined {
  const mine = roundRecords.filter((r) => r.pairId === pair.id || r.userId === pair.menteeId || r.userId === pair.mentorId);
  if (!mine.length) return undefined;
  return !mine.some((r) => r.answeredAt);
}

/** At risk: the pair missed the two latest closed rounds, and they were consecutive. */
export function atRisk(
  pair: Pick<Pair, 'id' | 'mentorId' | 'menteeId'>,
  closed: Array<{ round: number; records: Array<Pick<CheckinRecord, 'userId' | 'pairId' | 'answeredAt'>> }>,
): boolean {
  const [last, before] = [...closed].sort((a, b) => b.round - a.round);
  if (!last || !before || before.round !== last.round - 1) return false;
  return missedRound(pair, last.records) === true && missedRound(pair, before.records) === true;
}

/** A reminder is due once per round, `reminderAfterDays` after the round opened, to whoever got the card and has not answered. 0 days = no automatic reminders. */
export function reminderDue(
  p: Pick<Programme, 'reminderAfterDays'>,
  round: Pick<CheckinRound, 'status' | 'openedAt'>,
  now: Date,
): boolean {
  if (round.status !== 'open' || !(p.reminderAfterDays > 0)) return false;
  return now.getTime() >= new Date(round.openedAt).getTime() + p.reminderAfterDays * DAY_MS;
}

export const needsReminder = (r: Pick<CheckinRecord, 'dispatch' | 'answeredAt' | 'remindedAt'>): boolean =>
  r.dispatch === 'sent' && !r.answeredAt && !r.remindedAt;

// ---------------------------------------------------------------------------------------------
// Dispatch: what a queue job does with the record it is about

/** The closing survey's dispatch records live in the checkins table as round 0 (rounds start at 1). */
export const SURVEY_ROUND = 0;
/** The mid-point pulse's, as a round no programme reaches (a weekly round for 19,000 years). */
export const PULSE_ROUND = 999_999;

export type JobKind = 'card' | 'reminder' | 'survey' | 'pulse';

export interface Job {
  tenantId: string;
  programmeId: string;
  round: number;
  userId: string;
  /** Absent = the check-in card. */
  kind?: JobKind;
}

/**
 * The record while a worker sends: `leaseId` names the attempt, `leaseUntil` when it expires.
 * Written with the record's ETag before the send, so only one worker (of any instance) sends.
 */
export interface Lease {
  leaseId?: string;
  leaseUntil?: string;
}
export type DispatchRecord = CheckinRecord & Lease;

/** The job has nothing left to do. */
export function jobDone(kind: JobKind, r: DispatchRecord): boolean {
  if (r.dispatch === 'unreachable' || r.dispatch === 'failed') return true;
  if (kind === 'reminder') return !!r.remindedAt || !!r.answeredAt || r.dispatch !== 'sent';
  return r.dispatch === 'sent';
}

export type LeaseState = 'free' | 'mine' | 'held' | 'expired';

/**
 * `held`: another worker is sending right now; wait. `expired`: a worker claimed it and vanished
 * (crash) before recording the outcome. Whether that card reached Teams is unknowable (Teams has
 * no idempotent send and no way to list a chat's messages), so the caller resends: a rare
 * duplicate beats a person silently left without their check-in.
 */
export function leaseState(r: Lease, now: Date, mine?: string): LeaseState {
  if (!r.leaseId) return 'free';
  if (mine && r.leaseId === mine) return 'mine';
  return r.leaseUntil && new Date(r.leaseUntil) > now ? 'held' : 'expired';
}

/** Exponential backoff with full jitter, for 5xx and 429 without Retry-After. */
export function backoffMs(attempt: number, baseMs = 1000, capMs = 60000, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * One queue message: the same job for up to MAX_JOB_PEOPLE people of one round. Each person keeps
 * their own record and lease; batching only cuts queue traffic (and cost) per card.
 */
export interface JobMessage extends Omit<Job, 'userId'> {
  userIds: string[];
}

export const MAX_JOB_PEOPLE = 32;

/**
 * Splits people into messages: small rounds one person each (so workers send in parallel at
 * once), large ones up to MAX_JOB_PEOPLE each.
 */
export function jobMessages(base: Omit<Job, 'userId'>, userIds: string[], workers = 8): JobMessage[] {
  const size = Math.min(MAX_JOB_PEOPLE, Math.max(1, Math.ceil(userIds.length / (workers * 4))));
  const out: JobMessage[] = [];
  for (let i = 0; i < userIds.length; i += size) out.push({ ...base, userIds: userIds.slice(i, i + size) });
  return out;
}

/** The job each person of a message stands for. */
export const jobsOf = (m: JobMessage): Job[] => m.userIds.map((userId) => ({ tenantId: m.tenantId, programmeId: m.programmeId, round: m.round, userId, ...(m.kind ? { kind: m.kind } : {}) }));

export function parseJob(text: string): JobMessage | undefined {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const str = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length < 300;
    if (!str(j.tenantId) || !str(j.programmeId) || !Number.isInteger(j.round) || (j.round as number) < 0) return undefined;
    // One person (`userId`) or several (`userIds`).
    const userIds = j.userIds === undefined && str(j.userId) ? [j.userId as string] : j.userIds;
    if (!Array.isArray(userIds) || !userIds.length || userIds.length > MAX_JOB_PEOPLE || !userIds.every(str)) return undefined;
    const kind = j.kind === undefined ? undefined : ['card', 'reminder', 'survey', 'pulse'].includes(j.kind as string) ? (j.kind as JobKind) : null;
    if (kind === null) return undefined;
    return { tenantId: j.tenantId as string, programmeId: j.programmeId as string, round: j.round as number, userIds: userIds as string[], ...(kind ? { kind } : {}) };
  } catch {
    return undefined;
  }
}
