// Sessions in the calendar, pure rules: finding times that suit both people (their free/busy,
// working hours, time zones and preferred days), the weekly series on the programme's cadence,
// and what the calendar says about a week (held, moved, cancelled, declined) and the next
// session. No Graph, HTTP or storage types here; time zones via Intl only.
import { localParts, zonedTime } from './checkins';
import type { MetAnswer, SessionSeries, Weekday } from './types';
import { WEEKDAYS } from './types';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WEEK = 7 * DAY;

/** How long the schedule view looks ahead for a first session. */
export const SEARCH_DAYS = 14;
/** Candidate starts are on these minute marks. */
export const STEP_MINUTES = 30;
/** At least this many proposals when the calendars allow it, at most MAX_SLOTS. */
export const MIN_SLOTS = 3;
export const MAX_SLOTS = 6;
/** Session lengths a programme may set, minutes. */
export const SESSION_LENGTHS = [30, 45, 60, 90] as const;
export const DEFAULT_SESSION_MINUTES = 60;
/** A first session is proposed no sooner than this after the look-up. */
export const LEAD_MINUTES = 60;

export interface Interval {
  start: number;
  end: number;
}

export interface WorkingHours {
  days: Weekday[];
  /** 'HH:MM' in `timeZone`. */
  start: string;
  end: string;
  /** IANA. */
  timeZone: string;
}

/** Office hours when a mailbox says nothing. */
export const DEFAULT_WORKING_HOURS: Omit<WorkingHours, 'timeZone'> = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' };

export interface SlotPerson {
  /** IANA zone the person lives in (their profile's or mailbox's). */
  timeZone: string;
  workingHours?: WorkingHours;
  /** Empty: any working day. */
  preferredDays: Weekday[];
  busy: Interval[];
}

export interface SlotQuery {
  from: number;
  to: number;
  minutes: number;
  people: SlotPerson[];
  /** The organiser's zone: at most one proposal per local day of theirs while enough days have one. */
  timeZone: string;
}

export interface Slot {
  start: number;
  end: number;
  /** On a day both people prefer. */
  preferred: boolean;
}

const minutesOf = (hhmm: string): number => {
  const m = /^(\d{1,2}):(\d{2})/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
};

/** Weekday key of an instant in a zone. */
export function weekdayIn(at: number, timeZone: string): Weekday {
  return WEEKDAYS[localParts(new Date(at), timeZone).weekday];
}

/** YYYY-MM-DD of an instant in a zone. */
export function dayIn(at: number, timeZone: string): string {
  const p = localParts(new Date(at), timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** 'HH:MM' of an instant in a zone. */
export function timeIn(at: number, timeZone: string): string {
  const p = localParts(new Date(at), timeZone);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** The instant (epoch ms) a wall clock in `timeZone` shows y-m-d h:min (a time skipped by daylight saving moves forward). */
export function instantOf(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  return zonedTime(year, month, day, hour, timeZone, minute).getTime();
}

/** Whether [start, end) lies within the person's working hours on one of their working days. */
function inWorkingHours(start: number, end: number, wh: WorkingHours): boolean {
  const a = localParts(new Date(start), wh.timeZone);
  const b = localParts(new Date(end - 1), wh.timeZone);
  if (a.day !== b.day || !wh.days.includes(WEEKDAYS[a.weekday])) return false;
  const from = a.hour * 60 + a.minute;
  const to = b.hour * 60 + b.minute + 1;
  return from >= minutesOf(wh.start) && to <= minutesOf(wh.end);
}

const overlaps = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;

/**
 * Times that suit everyone: inside each person's working hours (their own zone), clear of each
 * one's busy times, on STEP_MINUTES marks. Days both prefer come first; one proposal per day of
 * the organiser's while there are enough days, the earliest of each day; sorted by time.
 */
export function findSlots(q: SlotQuery): Slot[] {
  const step = STEP_MINUTES * MINUTE;
  const len = q.minutes * MINUTE;
  const fits: Slot[] = [];
  for (let s = Math.ceil(q.from / step) * step; s + len <= q.to; s += step) {
    const slot = { start: s, end: s + len };
    let ok = true;
    let preferred = true;
    for (const p of q.people) {
      const wh = p.workingHours ?? { ...DEFAULT_WORKING_HOURS, timeZone: p.timeZone };
      if (!inWorkingHours(s, s + len, wh) || p.busy.some((b) => overlaps(b, slot))) {
        ok = false;
        break;
      }
      if (p.preferredDays.length && !p.preferredDays.includes(weekdayIn(s, p.timeZone))) preferred = false;
    }
    if (ok) fits.push({ ...slot, preferred });
  }
  const picked: Slot[] = [];
  const days = new Set<string>();
  const take = (pool: Slot[], onePerDay: boolean) => {
    for (const s of pool) {
      if (picked.length >= MAX_SLOTS) return;
      if (picked.includes(s)) continue;
      const day = dayIn(s.start, q.timeZone);
      if (onePerDay && days.has(day)) continue;
      // Never two proposals that overlap.
      if (picked.some((p) => overlaps(p, s))) continue;
      days.add(day);
      picked.push(s);
    }
  };
  take(fits.filter((s) => s.preferred), true);
  if (picked.length < MIN_SLOTS) take(fits, true);
  if (picked.length < MIN_SLOTS) take(fits, false);
  return picked.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------------------------
// The series

export type SeriesShape = Pick<SessionSeries, 'firstStart' | 'minutes' | 'timeZone' | 'intervalWeeks' | 'until'>;

/** The original starts of the series' occurrences in [from, to), weekly at the first one's local time and weekday. */
export function occurrences(s: SeriesShape, from: number, to: number): number[] {
  if (!s.firstStart) return [];
  const first = Date.parse(s.firstStart);
  const p = localParts(new Date(first), s.timeZone);
  const [uy, um, ud] = s.until.split('-').map(Number);
  const lastDay = Date.UTC(uy, um - 1, ud);
  const out: number[] = [];
  const every = Math.max(1, s.intervalWeeks) * 7;
  for (let k = 0; ; k++) {
    const d = new Date(Date.UTC(p.year, p.month - 1, p.day) + k * every * DAY);
    if (d.getTime() > lastDay) break;
    const at = instantOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), p.hour, p.minute, s.timeZone);
    if (at >= to) break;
    if (at >= from) out.push(at);
    if (k > 600) break;
  }
  return out;
}

export type OccurrenceKind = 'planned' | 'moved' | 'cancelled';

export interface Occurrence {
  originalStart: number;
  start: number;
  end: number;
  kind: OccurrenceKind;
}

/** The series' occurrences in [from, to) as the calendar has them: moved ones at their new time, cancelled ones marked. */
export function sessionsBetween(s: SessionSeries, from: number, to: number): Occurrence[] {
  if (s.status !== 'booked' || !s.firstStart) return [];
  const len = s.minutes * MINUTE;
  const exceptions = new Map(s.exceptions.map((e) => [Date.parse(e.originalStart), e]));
  // A moved occurrence counts where it was planned and where it went: look a week around the window.
  return occurrences(s, from - WEEK, to + WEEK)
    .map((o): Occurrence => {
      const e = exceptions.get(o);
      if (e?.cancelled) return { originalStart: o, start: o, end: o + len, kind: 'cancelled' };
      if (e?.start) return { originalStart: o, start: Date.parse(e.start), end: Date.parse(e.start) + len, kind: 'moved' };
      return { originalStart: o, start: o, end: o + len, kind: 'planned' };
    })
    .filter((o) => (o.kind === 'cancelled' ? o.originalStart : Math.min(o.start, o.originalStart)) < to && Math.max(o.start, o.originalStart) >= from);
}

/** The next session that is still to come (cancelled ones skipped; a cancelled series has none). */
export function nextSession(s: SessionSeries, now: number): Occurrence | undefined {
  if (s.status !== 'booked') return undefined;
  const horizon = now + 5 * 4 * WEEK;
  return sessionsBetween(s, now - DAY, horizon)
    .filter((o) => o.kind !== 'cancelled' && o.end > now)
    .sort((a, b) => a.start - b.start)[0];
}

export type WeekState = 'held' | 'planned' | 'moved' | 'cancelled' | 'declined';

/**
 * What the calendar says about a check-in round's week: the session of the period before the
 * round opened (`periodWeeks` back), else the one still to come before it closes. Held when its
 * time has passed; planned when it is still to come; moved, cancelled, or declined by the partner.
 */
export function weekState(s: SessionSeries | undefined, openedAt: number, closesAt: number, periodWeeks: number, now: number): { state: WeekState; at: number } | undefined {
  if (!s || s.status !== 'booked') return undefined;
  const all = sessionsBetween(s, openedAt - periodWeeks * WEEK, closesAt);
  const before = all.filter((o) => o.originalStart < openedAt && o.originalStart >= openedAt - periodWeeks * WEEK);
  const after = all.filter((o) => o.originalStart >= openedAt && o.originalStart < closesAt);
  const o = before.length ? before[before.length - 1] : after[0];
  if (!o) return undefined;
  if (s.partnerResponse === 'declined') return { state: 'declined', at: o.start };
  if (o.kind === 'cancelled') return { state: 'cancelled', at: o.originalStart };
  if (o.kind === 'moved') return { state: 'moved', at: o.start };
  return { state: o.end <= now ? 'held' : 'planned', at: o.start };
}

/** The check-in's "did you meet" as the calendar suggests it. */
export function metFromCalendar(state: WeekState | undefined): MetAnswer | undefined {
  if (state === 'held' || state === 'planned') return 'yes';
  if (state === 'moved') return 'rescheduled';
  if (state === 'cancelled' || state === 'declined') return 'no';
  return undefined;
}

/** The last day of a series: the programme's end date, never before the first session's day. */
export function seriesUntil(programmeEnd: string, firstStart: number, timeZone: string): string {
  const first = dayIn(firstStart, timeZone);
  return programmeEnd < first ? first : programmeEnd;
}

/** A booking claimed this long ago and not finished was left by a crashed instance: it may be taken over. */
export const STALE_CLAIM_MS = 2 * MINUTE;
