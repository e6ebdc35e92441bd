// The tab API of sessions in the calendar (declared through Routes like every route, registered by
// routes.ts): the caller's pairs and their sessions, proposals from both calendars, booking,
// moving one session and cancelling the series. The pair is named by the partner's id; the caller
// must be one of its two people. Graph acts for the caller only (their SSO token, on-behalf-of).
import type { Request } from 'restify';
import type { MySessions, PairSessions, SessionPerson, SessionSlots, SessionTime } from '../contract/tabApi';
import { nextSession, sessionsBetween } from '../domain/sessions';
import type { Participant, Programme, SessionSeries } from '../domain/types';
import { isLivePair, pairsOf } from '../services/pairs';
import { participantIn } from '../services/participants';
import {
  bookSeries, cancelSeries, lookAtCalendar, moveSession, pairContext, PairContext, proposeTimes, seriesOf, SessionError, SessionProblem, sessionMinutesOf,
} from '../services/sessions';
import type { Services } from '../services/services';
import type { Routes } from '../http/routes';
import type { Identity } from './auth';
import { ApiError, badRequest, handle } from './http';

const ID = /^[A-Za-z0-9._:@-]{1,128}$/;
/** The bodies: a few short ids and a date-time. */
const SESSION_BODY = { maxBytes: 2 * 1024, maxDepth: 2 };

/** Each problem as the person reads it in the tab (the tab has the words, by code). */
const ANSWERS: Record<SessionProblem, [number, string]> = {
  'not-your-pair': [403, 'These are not your sessions: only the two people of a pair can plan theirs.'],
  'pair-not-active': [409, 'This pair is paused or has ended: no new sessions can be booked.'],
  'not-organiser': [403, 'Only the person who booked the sessions can move or cancel them. You can decline the invitation in Outlook or Teams.'],
  'no-address': [409, 'The calendar address of one of you is not known yet. Write to the bot once, then try again.'],
  'slot-taken': [409, 'That time is no longer free in both calendars. Please pick another one.'],
  'bad-time': [400, 'That time cannot be used. Please pick one of the proposed times.'],
  'booking-in-progress': [409, 'These sessions are being booked right now. Nothing else was booked.'],
  'already-booked': [409, 'Your sessions are already booked.'],
  'not-booked': [409, 'There are no booked sessions to change.'],
  'programme-over': [409, 'The programme has ended: there is no time left to book sessions in.'],
  'calendar-off': [503, 'Booking sessions in the calendar is not set up on this server.'],
  'consent-required': [403, 'Reverse Mentor needs your permission to read free/busy times and to add the sessions to your calendar.'],
  'calendar-unavailable': [503, 'Your calendar cannot be reached right now. Nothing was booked or changed; please try again in a minute.'],
};

function problem(err: unknown): never {
  if (err instanceof SessionError) {
    const [status, message] = ANSWERS[err.problem];
    throw new ApiError(status, err.problem, message);
  }
  throw err;
}

function idOf(value: unknown, what: string): string {
  if (typeof value !== 'string' || !ID.test(value)) throw badRequest(`${what} is missing or not valid.`);
  return value;
}

function instantOf(value: unknown, what: string): number {
  const at = typeof value === 'string' && value.length <= 40 ? Date.parse(value) : NaN;
  if (!Number.isFinite(at)) throw badRequest(`${what} must be a date and time (ISO 8601).`);
  return at;
}

export interface SessionRouteDeps {
  authenticate(req: Request): Promise<Identity>;
  /** The programme if the caller may see it (404 otherwise). */
  visibleProgramme(who: Identity, programmeId: string): Promise<Programme>;
}

const person = (p: Participant, programme: Programme): SessionPerson => ({ userId: p.userId, name: p.name, role: p.role, timeZone: p.timeZone || programme.timeZone });

const time = (o: { start: number; end: number; originalStart: number; kind: string }): SessionTime => ({
  start: new Date(o.start).toISOString(), end: new Date(o.end).toISOString(), originalStart: new Date(o.originalStart).toISOString(), kind: o.kind === 'moved' ? 'moved' : 'planned',
});

function view(svc: Services, c: PairContext, s: SessionSeries | undefined, stale = false): PairSessions {
  const now = svc.now().getTime();
  const base: PairSessions = {
    programmeId: c.programme.id, partnerId: c.partner.userId, me: person(c.me, c.programme), partner: person(c.partner, c.programme),
    status: s?.status ?? 'none', minutes: s?.minutes ?? sessionMinutesOf(c.programme), cadenceWeeks: c.programme.cadenceWeeks || 1, upcoming: [],
    ...(stale ? { stale } : {}),
  };
  if (!s || s.status !== 'booked') return base;
  const next = nextSession(s, now);
  const upcoming = sessionsBetween(s, now, now + 10 * 7 * 24 * 3600_000).filter((o) => o.kind !== 'cancelled' && o.end > now).sort((a, b) => a.start - b.start).slice(0, 6);
  return {
    ...base, organizer: s.organizerId === c.me.userId ? 'me' : 'partner', until: s.until, joinUrl: s.joinUrl,
    next: next ? time(next) : undefined, upcoming: upcoming.map(time), partnerResponse: s.partnerResponse,
  };
}

export function registerSessionRoutes(routes: Routes, svc: Services, deps: SessionRouteDeps): void {
  const contextOf = async (who: Identity, programmeId: string, partnerId: string): Promise<PairContext> => {
    const programme = await deps.visibleProgramme(who, programmeId);
    return pairContext(svc, programme, { tenantId: who.tenantId, userId: who.userId, assertion: who.assertion, upn: who.upn }, partnerId).catch(problem);
  };

  // The caller's live pairs in a programme with their sessions; the app looks at the calendar for each.
  routes.get(
    '/api/me/sessions',
    handle(async (req, res) => {
      const who = await deps.authenticate(req);
      const programme = await deps.visibleProgramme(who, idOf(req.query?.programme, 'programme'));
      const me = await participantIn(svc, who.tenantId, programme.id, who.userId);
      const pairs = me && me.status !== 'left' ? (await pairsOf(svc, programme, who.userId)).filter(isLivePair) : [];
      const out: PairSessions[] = [];
      for (const pair of pairs) {
        const partnerId = pair.mentorId === who.userId ? pair.menteeId : pair.mentorId;
        const c = await pairContext(svc, programme, { tenantId: who.tenantId, userId: who.userId, assertion: who.assertion, upn: who.upn }, partnerId).catch(() => undefined);
        if (!c) continue;
        const row = await seriesOf(svc, programme, pair.id);
        const looked = row ? await lookAtCalendar(svc, c, row) : undefined;
        out.push(view(svc, c, looked?.series, looked?.stale));
      }
      const answer: MySessions = { calendar: svc.calendars.enabled, pairs: out };
      res.json(200, answer);
    }),
  );

  // Proposals: both calendars' free/busy, nothing written.
  routes.get(
    '/api/sessions/slots',
    handle(async (req, res) => {
      const who = await deps.authenticate(req);
      const c = await contextOf(who, idOf(req.query?.programme, 'programme'), idOf(req.query?.partner, 'partner'));
      const occurrence = req.query?.occurrence !== undefined ? instantOf(req.query.occurrence, 'occurrence') : undefined;
      const { slots, minutes } = await proposeTimes(svc, c, occurrence).catch(problem);
      const answer: SessionSlots = {
        programmeId: c.programme.id, partnerId: c.partner.userId, me: person(c.me, c.programme), partner: person(c.partner, c.programme), minutes,
        cadenceWeeks: c.programme.cadenceWeeks || 1, until: c.programme.endDate, ...(occurrence !== undefined ? { occurrence: new Date(occurrence).toISOString() } : {}),
        slots: slots.map((s) => ({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString(), preferred: s.preferred })),
      };
      res.json(200, answer);
    }),
  );

  const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

  routes.post(
    '/api/sessions/book',
    SESSION_BODY,
    handle(async (req, res) => {
      const who = await deps.authenticate(req);
      const b = body(req);
      const start = instantOf(b.start, 'start');
      const c = await contextOf(who, idOf(b.programme, 'programme'), idOf(b.partner, 'partner'));
      const { series, created } = await bookSeries(svc, c, start).catch(problem);
      res.json(created ? 201 : 200, view(svc, c, series));
    }),
  );

  routes.post(
    '/api/sessions/move',
    SESSION_BODY,
    handle(async (req, res) => {
      const who = await deps.authenticate(req);
      const b = body(req);
      const occurrence = instantOf(b.occurrence, 'occurrence');
      const start = instantOf(b.start, 'start');
      const c = await contextOf(who, idOf(b.programme, 'programme'), idOf(b.partner, 'partner'));
      res.json(200, view(svc, c, await moveSession(svc, c, occurrence, start).catch(problem)));
    }),
  );

  routes.post(
    '/api/sessions/cancel',
    SESSION_BODY,
    handle(async (req, res) => {
      const who = await deps.authenticate(req);
      const b = body(req);
      const c = await contextOf(who, idOf(b.programme, 'programme'), idOf(b.partner, 'partner'));
      res.json(200, view(svc, c, await cancelSeries(svc, c).catch(problem)));
    }),
  );
}
