// Sessions in the calendar: a pair finds times from both people's free/busy and books one
// recurring Teams meeting in the organiser's calendar; the organiser moves one session or cancels
// the series; the app looks at the calendar whenever one of the pair opens the tab (the partner's
// answer, changes made in Outlook), and check-ins read the week's session from what it stored.
// The only writer of the sessions table. Nothing is written before a pick; a booking claims the
// pair's row first (ETag), so a double click books one series, and the claim's bookingId goes to
// Graph as transactionId, so a create retried after a lost answer finds the first event.
import { randomUUID } from 'crypto';
import { sessionNotice } from '../cards/sessions';
import { escapeMarkdown } from '../cards/render';
import { suggestFirstTutorial } from '../domain/ladder';
import { wantedLevels } from '../domain/matching';
import {
  DEFAULT_SESSION_MINUTES, findSlots, LEAD_MINUTES, metFromCalendar, nextSession, occurrences, SEARCH_DAYS, seriesUntil, sessionsBetween, Slot, STALE_CLAIM_MS,
  weekState, WeekState,
} from '../domain/sessions';
import type { CheckinRound, Locale, MetAnswer, Pair, Participant, Programme, SessionException, SessionSeries } from '../domain/types';
import { t } from '../i18n/i18n';
import { AlreadyExistsError, ConcurrencyError, key, Versioned } from '../storage/repository';
import { programmePartition } from '../storage/store';
import { CalendarAccess, CalendarRefusedError, CalendarUnavailableError, CalendarUser, ConsentRequiredError } from './calendar';
import { contactOf } from './contacts';
import { getPair, isLivePair } from './pairs';
import { participantIn } from './participants';
import type { Services } from './services';

const DAY = 24 * 3600_000;
const WEEK = 7 * DAY;
/** Two looks at the calendar this close together (a page rendering twice) are one. */
const SYNC_EVERY_MS = 3_000;

type Scope = Pick<Programme, 'tenantId' | 'id'>;
const pk = (p: Scope) => programmePartition(p.tenantId, p.id);

export const sessionMinutesOf = (p: Pick<Programme, 'sessionMinutes'>): number => p.sessionMinutes ?? DEFAULT_SESSION_MINUTES;

/** A pair's series row (with its ETag), if one was ever booked. */
export async function seriesOf(svc: Services, p: Scope, pairId: string): Promise<Versioned<SessionSeries> | undefined> {
  return svc.store.sessions.get(pk(p), key(pairId));
}

/** Every series of a programme (one partition read): check-ins take the week's session from here. */
export async function seriesIn(svc: Services, p: Scope): Promise<Map<string, SessionSeries>> {
  return new Map((await svc.store.sessions.list(pk(p))).map((r) => [r.value.pairId, r.value]));
}

/** Why a sessions request cannot go on (the API turns each into a clear answer). */
export type SessionProblem =
  | 'not-your-pair' | 'pair-not-active' | 'not-organiser' | 'no-address' | 'slot-taken' | 'bad-time' | 'booking-in-progress' | 'already-booked'
  | 'not-booked' | 'programme-over' | 'calendar-off' | 'consent-required' | 'calendar-unavailable';

export class SessionError extends Error {
  constructor(readonly problem: SessionProblem) {
    super(problem);
  }
}

export interface PairContext {
  programme: Programme;
  pair: Pair;
  me: Participant;
  partner: Participant;
  /** The tab's signed-in person, for Graph. */
  who: CalendarUser & { upn?: string };
}

/** The caller's pair with `partnerId` in the programme: they must be one of its two people. */
export async function pairContext(svc: Services, programme: Programme, who: PairContext['who'], partnerId: string): Promise<PairContext> {
  const [asMentor, asMentee] = await Promise.all([getPair(svc, programme, who.userId, partnerId), getPair(svc, programme, partnerId, who.userId)]);
  const pair = [asMentor, asMentee].find((x) => x && isLivePair(x));
  if (!pair) throw new SessionError('not-your-pair');
  const [me, partner] = await Promise.all([participantIn(svc, programme.tenantId, programme.id, who.userId), participantIn(svc, programme.tenantId, programme.id, partnerId)]);
  if (!me || !partner || me.status === 'left' || partner.status === 'left') throw new SessionError('not-your-pair');
  return { programme, pair, me, partner, who };
}

const zoneOf = (p: Participant, programme: Programme) => p.timeZone || programme.timeZone;

/** The address Outlook knows a person by: their sign-in name from Teams (or the directory's). */
async function addressOf(svc: Services, tenantId: string, userId: string, fallback?: string): Promise<string | undefined> {
  const upn = (await contactOf(svc, tenantId, userId))?.upn ?? fallback;
  if (upn) return upn;
  if (!svc.directory.enabled) return undefined;
  const found = await svc.directory.people(tenantId, [userId], 'person-waiting').catch(() => new Map());
  return found.get(userId)?.userPrincipalName;
}

function access(svc: Services, who: CalendarUser): CalendarAccess {
  if (!svc.calendars.enabled) throw new SessionError('calendar-off');
  return svc.calendars.forUser(who);
}

/** Graph's failures as the person should hear them; anything else is ours. */
async function graph<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ConsentRequiredError) throw new SessionError('consent-required');
    if (err instanceof CalendarUnavailableError || err instanceof CalendarRefusedError) throw new SessionError('calendar-unavailable');
    throw err;
  }
}

/** The programme's window for sessions: from its start (or now) to the end of its last day. */
function window(programme: Programme, now: number): { from: number; end: number } {
  const start = Date.parse(`${programme.startDate}T00:00:00Z`) - DAY;
  const end = Date.parse(`${programme.endDate}T23:59:59Z`) + DAY;
  return { from: Math.max(now + LEAD_MINUTES * 60_000, start), end };
}

export interface Proposal {
  slots: Slot[];
  minutes: number;
}

/**
 * Times that suit both people in the next two weeks (or, to move one session, around it): both
 * calendars' free/busy, working hours, time zones and preferred days. Reads only.
 */
export async function proposeTimes(svc: Services, c: PairContext, around?: number): Promise<Proposal> {
  const now = svc.now().getTime();
  const { from: earliest, end } = window(c.programme, now);
  if (earliest >= end) throw new SessionError('programme-over');
  const from = around === undefined ? earliest : Math.max(earliest, around - 3 * DAY);
  const to = Math.min(end, around === undefined ? from + SEARCH_DAYS * DAY : around + 7 * DAY);
  const cal = access(svc, c.who);
  const [mine, theirs] = await Promise.all([addressOf(svc, c.programme.tenantId, c.me.userId, c.who.upn), addressOf(svc, c.programme.tenantId, c.partner.userId)]);
  if (!mine || !theirs) throw new SessionError('no-address');
  const [a, b] = await graph(() => cal.freeBusy([mine, theirs], from, to));
  const minutes = sessionMinutesOf(c.programme);
  // Moving a session: its own time is not in the way.
  const series = around === undefined ? undefined : (await seriesOf(svc, c.programme, c.pair.id))?.value;
  const own = series ? sessionsBetween(series, from, to).map((o) => ({ start: o.start, end: o.end })) : [];
  const free = (busy: typeof a.busy) => busy.filter((x) => !own.some((o) => o.start === x.start && o.end === x.end));
  const slots = findSlots({
    from, to, minutes, timeZone: zoneOf(c.me, c.programme),
    people: [
      { timeZone: zoneOf(c.me, c.programme), workingHours: a.workingHours, preferredDays: c.me.preferredDays ?? [], busy: free(a.busy) },
      { timeZone: zoneOf(c.partner, c.programme), workingHours: b.workingHours, preferredDays: c.partner.preferredDays ?? [], busy: free(b.busy) },
    ],
  });
  return { slots, minutes };
}

/** Checks a picked time against both calendars again (it may have filled since the proposal). */
async function stillFree(svc: Services, c: PairContext, start: number, around?: number): Promise<void> {
  const { slots, minutes } = await proposeTimesAt(svc, c, start, around);
  if (!slots.some((s) => s.start === start && s.end === start + minutes * 60_000)) throw new SessionError('slot-taken');
}

/** The proposals for a window that holds `start`. */
async function proposeTimesAt(svc: Services, c: PairContext, start: number, around?: number): Promise<Proposal & { slots: Slot[] }> {
  const now = svc.now().getTime();
  if (!(start > now)) throw new SessionError('bad-time');
  // All fitting times of the day of `start`, not only the spread-out proposals.
  const cal = access(svc, c.who);
  const minutes = sessionMinutesOf(c.programme);
  const [mine, theirs] = await Promise.all([addressOf(svc, c.programme.tenantId, c.me.userId, c.who.upn), addressOf(svc, c.programme.tenantId, c.partner.userId)]);
  if (!mine || !theirs) throw new SessionError('no-address');
  const from = start - 30 * 60_000;
  const to = start + (minutes + 30) * 60_000;
  const [a, b] = await graph(() => cal.freeBusy([mine, theirs], from, to));
  const series = around === undefined ? undefined : (await seriesOf(svc, c.programme, c.pair.id))?.value;
  const own = series ? sessionsBetween(series, from, to).map((o) => ({ start: o.start, end: o.end })) : [];
  const free = (busy: typeof a.busy) => busy.filter((x) => !own.some((o) => o.start === x.start && o.end === x.end));
  const slot = { start, end: start + minutes * 60_000 };
  const ok = [
    { p: c.me, fb: a },
    { p: c.partner, fb: b },
  ].every(({ p, fb }) => findSlots({ from: slot.start, to: slot.end, minutes, timeZone: zoneOf(p, c.programme), people: [{ timeZone: zoneOf(p, c.programme), workingHours: fb.workingHours, preferredDays: [], busy: free(fb.busy) }] }).length > 0);
  return { slots: ok ? [{ ...slot, preferred: true }] : [], minutes };
}

function eventText(locale: Locale, c: PairContext): { subject: string; body: string } {
  const mentor = c.me.role === 'mentor' ? c.me : c.partner;
  const mentee = c.me.role === 'mentee' ? c.me : c.partner;
  const first = suggestFirstTutorial(c.programme.levels, wantedLevels(mentee, c.programme), locale);
  const html = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const subject = t(locale, 'sessions.eventSubject', { programme: c.programme.name, mentor: mentor.name, mentee: mentee.name });
  const parts = [
    `<p>${html(t(locale, 'sessions.eventIntro', { programme: c.programme.name, mentor: mentor.name, mentee: mentee.name }))}</p>`,
    first ? `<p><b>${html(t(locale, 'sessions.eventTutorial'))}</b> ${html(`${first.title} (${first.durationMinutes} min)`)}<br>${html(first.goal)}</p>` : '',
    `<p>${html(t(locale, 'sessions.eventFooter'))}</p>`,
  ];
  return { subject, body: parts.join('') };
}

export interface Booked {
  series: SessionSeries;
  /** False when this request found the series already booked (a second press). */
  created: boolean;
}

/**
 * Books the pair's sessions at `start`: one weekly series (every cadence weeks) until the
 * programme's end, a Teams meeting, in the caller's calendar with the partner invited. The row is
 * claimed first; a second request while it runs is told so, one after it gets the same series.
 */
export async function bookSeries(svc: Services, c: PairContext, start: number): Promise<Booked> {
  if (c.pair.status !== 'active') throw new SessionError('pair-not-active');
  const now = svc.now();
  const existing = await seriesOf(svc, c.programme, c.pair.id);
  if (existing?.value.status === 'booked') return { series: existing.value, created: false };
  if (existing?.value.status === 'booking' && now.getTime() - Date.parse(existing.value.claimedAt) < STALE_CLAIM_MS) throw new SessionError('booking-in-progress');
  const { end } = window(c.programme, now.getTime());
  if (!(start < end)) throw new SessionError('bad-time');
  await stillFree(svc, c, start);
  const zone = zoneOf(c.me, c.programme);
  const at = now.toISOString();
  const claim: SessionSeries = {
    tenantId: c.programme.tenantId, programmeId: c.programme.id, pairId: c.pair.id, organizerId: c.me.userId, attendeeId: c.partner.userId,
    status: 'booking',
    // A failed or abandoned booking keeps its id: Graph returns the event it may have made then.
    bookingId: existing && existing.value.status !== 'cancelled' ? existing.value.bookingId : randomUUID(),
    claimedAt: at, minutes: sessionMinutesOf(c.programme), timeZone: zone, intervalWeeks: c.programme.cadenceWeeks || 1,
    until: seriesUntil(c.programme.endDate, start, zone), firstStart: new Date(start).toISOString(), exceptions: [], createdAt: at, updatedAt: at,
  };
  let etag: string;
  try {
    etag = existing ? await svc.store.sessions.replace(claim, existing.etag) : await svc.store.sessions.create(claim);
  } catch (err) {
    if (err instanceof AlreadyExistsError || err instanceof ConcurrencyError) {
      const now2 = await seriesOf(svc, c.programme, c.pair.id);
      if (now2?.value.status === 'booked') return { series: now2.value, created: false };
      throw new SessionError('booking-in-progress');
    }
    throw err;
  }
  const locale = (await contactOf(svc, c.programme.tenantId, c.me.userId))?.locale ?? 'en';
  const text = eventText(locale, c);
  const attendee = await addressOf(svc, c.programme.tenantId, c.partner.userId);
  let created;
  try {
    if (!attendee) throw new SessionError('no-address');
    const times = { start, minutes: claim.minutes, timeZone: zone, intervalWeeks: claim.intervalWeeks, until: claim.until };
    const cal = access(svc, c.who);
    created = await graph(() => cal.createSeries({ ...times, subject: text.subject, body: text.body, attendee: { address: attendee, name: c.partner.name }, transactionId: claim.bookingId }));
    // An earlier try whose answer was lost made the series at the time picked then (Graph returned
    // it for the same transactionId): it moves to this pick, so there is one series, at this time.
    if (created.start !== undefined && created.start !== start) await graph(() => cal.moveSeries(created!.eventId, times));
  } catch (err) {
    // Nothing half-booked: the row says failed (its bookingId kept for the retry), no series is shown.
    await svc.store.sessions.replace({ ...claim, status: 'failed', updatedAt: svc.now().toISOString() }, etag).catch(() => undefined);
    throw err;
  }
  const booked: SessionSeries = { ...claim, status: 'booked', eventId: created.eventId, iCalUId: created.iCalUId, joinUrl: created.joinUrl, partnerResponse: 'none', syncedAt: at, updatedAt: svc.now().toISOString() };
  await svc.store.sessions.replace(booked, etag);
  await tellPartner(svc, c, booked, { kind: 'booked' });
  return { series: booked, created: true };
}

async function organised(svc: Services, c: PairContext): Promise<Versioned<SessionSeries>> {
  const row = await seriesOf(svc, c.programme, c.pair.id);
  if (!row || row.value.status !== 'booked') throw new SessionError('not-booked');
  if (row.value.organizerId !== c.me.userId) throw new SessionError('not-organiser');
  return row;
}

/** Moves one session (by its planned start) to `start`; the partner is told. */
export async function moveSession(svc: Services, c: PairContext, originalStart: number, start: number): Promise<SessionSeries> {
  const row = await organised(svc, c);
  const s = row.value;
  const planned = occurrences(s, originalStart, originalStart + 1);
  if (!planned.length || s.exceptions.some((e) => Date.parse(e.originalStart) === originalStart && e.cancelled)) throw new SessionError('bad-time');
  if (originalStart + s.minutes * 60_000 <= svc.now().getTime()) throw new SessionError('bad-time');
  await stillFree(svc, c, start, originalStart);
  await graph(() => access(svc, c.who).moveOccurrence(s.eventId!, originalStart, start, s.minutes, s.timeZone));
  const exception: SessionException = { originalStart: new Date(originalStart).toISOString(), start: new Date(start).toISOString() };
  const res = await svc.store.sessions.mutate(pk(c.programme), key(c.pair.id), (x) =>
    x ? { ...x, exceptions: [...x.exceptions.filter((e) => e.originalStart !== exception.originalStart), exception], updatedAt: svc.now().toISOString() } : undefined,
  );
  await tellPartner(svc, c, res.value!, { kind: 'moved', from: originalStart, to: start });
  return res.value!;
}

/** Cancels the whole series in the organiser's calendar (Outlook sends the cancellation); the partner is told here too. */
export async function cancelSeries(svc: Services, c: PairContext): Promise<SessionSeries> {
  const row = await organised(svc, c);
  const locale = (await contactOf(svc, c.programme.tenantId, c.me.userId))?.locale ?? 'en';
  await graph(() => access(svc, c.who).cancelSeries(row.value.eventId!, t(locale, 'sessions.cancelComment', { programme: c.programme.name })));
  const res = await svc.store.sessions.mutate(pk(c.programme), key(c.pair.id), (x) =>
    x && x.status === 'booked' ? { ...x, status: 'cancelled', cancelledAt: svc.now().toISOString(), updatedAt: svc.now().toISOString() } : undefined,
  );
  const cancelled = res.value ?? row.value;
  await tellPartner(svc, c, cancelled, { kind: 'cancelled' });
  return cancelled;
}

/**
 * The app looks at the calendar (whenever one of the pair opens the tab, at most once a minute):
 * the organiser's series (cancelled in Outlook? the partner's answer, sessions moved or deleted
 * there), or the partner's own copy (their answer). Stored, so check-ins and the other person see
 * it. Returns the series and whether the calendar could be read.
 */
export async function lookAtCalendar(svc: Services, c: PairContext, row: Versioned<SessionSeries>): Promise<{ series: SessionSeries; stale: boolean }> {
  const s = row.value;
  const now = svc.now().getTime();
  if (s.status !== 'booked' || !s.eventId || !svc.calendars.enabled) return { series: s, stale: false };
  if (s.syncedAt && now - Date.parse(s.syncedAt) < SYNC_EVERY_MS) return { series: s, stale: false };
  let change: Partial<SessionSeries>;
  try {
    const cal = svc.calendars.forUser(c.who);
    if (s.organizerId === c.me.userId) {
      const from = now - 8 * WEEK;
      const to = now + 6 * WEEK;
      const seen = await cal.series(s.eventId, from, to);
      if (seen.cancelled) change = { status: 'cancelled', cancelledAt: new Date(now).toISOString() };
      else {
        const byOriginal = new Map(seen.occurrences.map((o) => [o.originalStart, o]));
        const exceptions: SessionException[] = [];
        // Occurrences missing from the view were deleted in Outlook (looked at well inside the window,
        // so one moved out of it is not taken for deleted).
        for (const o of occurrences(s, from + 15 * DAY, to - 15 * DAY)) {
          const found = byOriginal.get(o);
          if (!found) exceptions.push({ originalStart: new Date(o).toISOString(), cancelled: true });
          else if (found.start !== o) exceptions.push({ originalStart: new Date(o).toISOString(), start: new Date(found.start).toISOString() });
        }
        for (const o of seen.occurrences) {
          if (o.start !== o.originalStart && !exceptions.some((e) => Date.parse(e.originalStart) === o.originalStart)) {
            exceptions.push({ originalStart: new Date(o.originalStart).toISOString(), start: new Date(o.start).toISOString() });
          }
        }
        const kept = s.exceptions.filter((e) => !exceptions.some((x) => x.originalStart === e.originalStart) && (Date.parse(e.originalStart) < from + 15 * DAY || Date.parse(e.originalStart) > to - 15 * DAY));
        change = { partnerResponse: seen.attendeeResponse ?? s.partnerResponse, exceptions: [...kept, ...exceptions].sort((a, b) => a.originalStart.localeCompare(b.originalStart)) };
      }
    } else {
      const copy = s.iCalUId ? await cal.myCopy(s.iCalUId) : undefined;
      if (copy?.cancelled) change = { status: 'cancelled', cancelledAt: new Date(now).toISOString() };
      else change = copy?.response ? { partnerResponse: copy.response } : {};
    }
  } catch (err) {
    if (err instanceof ConsentRequiredError || err instanceof CalendarUnavailableError || err instanceof CalendarRefusedError) return { series: s, stale: true };
    throw err;
  }
  const res = await svc.store.sessions
    .mutate(pk(c.programme), key(c.pair.id), (x) => (x && x.status === 'booked' ? { ...x, ...change, syncedAt: new Date(now).toISOString() } : undefined), { read: row })
    .catch((err) => (err instanceof ConcurrencyError ? { value: s, changed: false } : Promise.reject(err)));
  return { series: res.value ?? s, stale: false };
}

// ---------------------------------------------------------------------------------------------
// Check-ins

export interface WeekFacts {
  met?: MetAnswer;
  state?: WeekState;
  /** The week's session. */
  at?: string;
  next?: string;
  /** Who declined the series (the attendee), when the state is declined: their card says "you declined". */
  declinedBy?: string;
}

/** What each pair's calendar says about a round's week (one partition read for the programme). */
export async function weekFactsOf(svc: Services, p: Programme, round: Pick<CheckinRound, 'openedAt' | 'closesAt'>): Promise<Map<string, WeekFacts>> {
  const all = await seriesIn(svc, p).catch(() => new Map<string, SessionSeries>());
  const out = new Map<string, WeekFacts>();
  const now = svc.now().getTime();
  for (const [pairId, s] of all) {
    const w = weekState(s, Date.parse(round.openedAt), Date.parse(round.closesAt), p.cadenceWeeks || 1, now);
    const next = nextSession(s, Date.parse(round.openedAt));
    if (!w && !next) continue;
    out.set(pairId, {
      met: metFromCalendar(w?.state), state: w?.state, at: w ? new Date(w.at).toISOString() : undefined, next: next ? new Date(next.start).toISOString() : undefined,
      ...(w?.state === 'declined' ? { declinedBy: s.attendeeId } : {}),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Telling the partner

type News = { kind: 'booked' } | { kind: 'moved'; from: number; to: number } | { kind: 'cancelled' };

/** The partner hears of it in their language and time zone, with the join link. An unreachable partner is not an error. */
async function tellPartner(svc: Services, c: PairContext, s: SessionSeries, news: News): Promise<void> {
  const contact = await contactOf(svc, c.programme.tenantId, c.partner.userId);
  const card = sessionNotice(contact?.locale ?? 'en', {
    programme: c.programme, series: s, news, organiserName: escapeMarkdown(c.me.name || '?'), timeZone: zoneOf(c.partner, c.programme), config: svc.config, partnerId: c.me.userId,
  });
  await svc.notifier.sendToUser(c.programme.tenantId, c.partner.userId, card).catch(() => undefined);
}

/** Whose booked series a pair has, as `readerId` sees it: 'yours' (they organised it), 'theirs', or none. */
export type SeriesOwner = 'yours' | 'theirs';
export function bookedSeriesOwner(s: SessionSeries | undefined, readerId: string): SeriesOwner | undefined {
  if (s?.status !== 'booked') return undefined;
  return s.organizerId === readerId ? 'yours' : 'theirs';
}

/** Erasure: a person's series rows (as organiser or attendee) in a programme are deleted. */
export async function forgetSeriesOf(svc: Services, p: Scope, userId: string): Promise<number> {
  const rows = (await svc.store.sessions.list(pk(p))).filter((r) => r.value.organizerId === userId || r.value.attendeeId === userId);
  for (const r of rows) await svc.store.sessions.delete(pk(p), key(r.value.pairId));
  return rows.length;
}

/** "my data": the series the person is part of. */
export async function seriesOfPerson(svc: Services, p: Scope, userId: string): Promise<SessionSeries[]> {
  return (await svc.store.sessions.list(pk(p))).map((r) => r.value).filter((s) => s.organizerId === userId || s.attendeeId === userId);
}
