// The calendar part of the Graph stand-in (bot/dev/graphStandIn.ts): Outlook calendars of the
// directory's users with Graph v1.0's request and response shapes, for what Reverse Mentor uses:
// - POST /users/{id}/calendar/getSchedule: scheduleItems, availabilityView (0 free, 1 tentative,
//   2 busy, 3 out of office), workingHours; at most 20 schedules and 62 days; an unknown address
//   gets its own error entry;
// - POST /users/{id}/events: single or weekly recurring events (patternedRecurrence, endDate or
//   numbered range, in recurrenceTimeZone), attendees (each gets a copy in their calendar,
//   response "none"), isOnlineMeeting with onlineMeetingProvider teamsForBusiness gives
//   onlineMeeting.joinUrl; a repeated transactionId returns the event made the first time;
// - GET /users/{id}/events (with $filter=iCalUId eq '...'), GET /users/{id}/events/{id};
// - GET /users/{id}/calendarView?startDateTime&endDateTime: occurrences expanded (type occurrence or
//   exception, seriesMasterId, originalStart), cancelled occurrences left out, paged by $top;
// - PATCH /users/{id}/events/{id}: an occurrence becomes an exception at its new time, the series
//   master takes new fields (a new start and recurrence move the whole series, dropping exceptions); POST .../cancel (organiser only: a master cancels the series, an
//   occurrence is removed); POST .../accept | tentativelyAccept | decline on an attendee's copy.
// Times come back in UTC unless `Prefer: outlook.timezone="..."` names a zone (Windows or IANA).
import { dayIn, instantOf, Interval } from '../domain/sessions';
import { localParts } from '../domain/checkins';
import { WEEKDAYS } from '../domain/types';
import { ianaZone } from '../graph/timeZones';

export interface CalendarAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BusyBlock {
  start: string;
  end: string;
  showAs?: 'busy' | 'tentative' | 'oof' | 'free';
  subject?: string;
}

export interface StandInWorkingHours {
  daysOfWeek: string[];
  /** 'HH:MM'. */
  startTime: string;
  endTime: string;
  /** Windows zone name (as Exchange gives it). */
  timeZone: string;
}

interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

interface Attendee {
  emailAddress: { address: string; name?: string };
  type: string;
  status: { response: 'none' | 'accepted' | 'tentativelyAccepted' | 'declined' | 'organizer'; time: string };
}

interface Recurrence {
  pattern: { type: string; interval: number; daysOfWeek?: string[]; firstDayOfWeek?: string };
  range: { type: string; startDate: string; endDate?: string; numberOfOccurrences?: number; recurrenceTimeZone?: string };
}

export interface StandInEvent {
  id: string;
  iCalUId: string;
  ownerId: string;
  transactionId?: string;
  subject: string;
  body: { contentType: string; content: string };
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  startUtc: number;
  endUtc: number;
  recurrence?: Recurrence;
  attendees: Attendee[];
  isOnlineMeeting: boolean;
  onlineMeetingProvider: string;
  joinUrl?: string;
  showAs: string;
  isCancelled: boolean;
  createdDateTime: string;
  lastModifiedDateTime: string;
  /** original start (ms) -> the occurrence's new times, or deleted. */
  exceptions: Map<number, { startUtc: number; endUtc: number } | 'deleted'>;
  /** Attendees' copies: user id -> the copy's id. */
  copies: Map<string, string>;
  busyBlock?: boolean;
}

export interface CalendarPerson {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mailboxTimeZone?: string;
}

const MAX_SCHEDULES = 20;
const MAX_SCHEDULE_DAYS = 62;
const GRAPH = 'https://graph.microsoft.com/v1.0';

const err = (status: number, code: string, message: string): CalendarAnswer => ({ status, body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': Math.random().toString(16).slice(2) } } } });
const notFound = () => err(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

/** An IANA zone for a Graph timeZone value (Windows name, IANA or UTC). */
function zoneOf(name: string | undefined): string | undefined {
  if (!name) return 'UTC';
  if (name === 'UTC' || name === 'Coordinated Universal Time') return 'UTC';
  return ianaZone(name);
}

/** Parses a dateTimeTimeZone ("2027-02-02T10:00:00" in a zone) to an instant. */
function instant(d: DateTimeTimeZone | undefined): number | undefined {
  if (!d || typeof d.dateTime !== 'string') return undefined;
  const zone = zoneOf(d.timeZone);
  if (!zone) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z)?$/.exec(d.dateTime);
  if (!m) return undefined;
  if (m[7]) return Date.parse(d.dateTime);
  return instantOf(+m[1], +m[2], +m[3], +m[4], +m[5], zone) + Number(m[6] ?? 0) * 1000;
}

/** An instant as Graph writes it in a zone: "2027-02-02T10:00:00.0000000". */
function written(at: number, zone: string): string {
  const p = localParts(new Date(at), zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(new Date(at).getUTCSeconds())}.0000000`;
}

/** A patternedRecurrence as Graph checks it (weekly or daily; its range must start on the event's day), or Graph's 400. */
function recurrenceOf(r: Recurrence, start: number, startZone: string): Recurrence | CalendarAnswer {
  if (!r.pattern || !['weekly', 'daily'].includes(r.pattern.type) || !r.range || !['endDate', 'numbered', 'noEnd'].includes(r.range.type) || !/^\d{4}-\d{2}-\d{2}$/.test(r.range.startDate ?? '')) {
    return err(400, 'ErrorInvalidRequest', 'The recurrence pattern or range is not valid.');
  }
  if (r.range.type === 'endDate' && !(r.range.endDate && r.range.endDate >= r.range.startDate)) return err(400, 'ErrorInvalidRequest', 'The recurrence range end date must not be before its start date.');
  if (r.pattern.type === 'weekly' && !(r.pattern.daysOfWeek ?? []).length) return err(400, 'ErrorInvalidRequest', 'A weekly recurrence needs daysOfWeek.');
  const rz = zoneOf(r.range.recurrenceTimeZone ?? startZone);
  if (!rz) return err(400, 'TimeZoneNotSupportedException', 'The recurrence time zone is not supported.');
  if (dayIn(start, rz) !== r.range.startDate) return err(400, 'ErrorPropertyValidationFailure', 'The start of the event does not match the start date of the recurrence range.');
  return { pattern: { ...r.pattern, interval: Number(r.pattern.interval) || 1, firstDayOfWeek: r.pattern.firstDayOfWeek ?? 'sunday' }, range: { ...r.range, recurrenceTimeZone: r.range.recurrenceTimeZone ?? startZone } };
}

export class StandInCalendars {
  readonly events: StandInEvent[] = [];
  private readonly workingHours = new Map<string, StandInWorkingHours>();
  private seq = 0;

  constructor(private readonly people: () => Iterable<CalendarPerson>) {}

  private person(idOrAddress: string): CalendarPerson | undefined {
    const k = idOrAddress.toLowerCase();
    for (const p of this.people()) if (p.id.toLowerCase() === k || p.userPrincipalName.toLowerCase() === k) return p;
    return undefined;
  }

  /** Busy times in a person's calendar (their own appointments). */
  busy(userId: string, blocks: BusyBlock[]): void {
    for (const b of blocks) {
      const start = Date.parse(b.start);
      const end = Date.parse(b.end);
      this.events.push(this.make(userId, {
        subject: b.subject ?? 'Busy', startUtc: start, endUtc: end, start: { dateTime: written(start, 'UTC'), timeZone: 'UTC' }, end: { dateTime: written(end, 'UTC'), timeZone: 'UTC' },
        showAs: b.showAs ?? 'busy', busyBlock: true,
      }));
    }
  }

  setWorkingHours(userId: string, wh: StandInWorkingHours): void {
    this.workingHours.set(userId.toLowerCase(), wh);
  }

  /** The events a person organises (series masters and single events, not busy blocks or copies). */
  organisedBy(userId: string): StandInEvent[] {
    return this.events.filter((e) => e.ownerId.toLowerCase() === userId.toLowerCase() && !e.busyBlock);
  }

  private make(ownerId: string, over: Partial<StandInEvent> & Pick<StandInEvent, 'startUtc' | 'endUtc' | 'start' | 'end'>): StandInEvent {
    const n = ++this.seq;
    const now = new Date().toISOString();
    return {
      id: `AAMkAD${Buffer.from(`${ownerId}:${n}`).toString('base64url')}=`, iCalUId: `040000008200E00074C5B7101A82E008${String(n).padStart(16, '0')}`,
      ownerId, subject: '', body: { contentType: 'text', content: '' }, attendees: [], isOnlineMeeting: false, onlineMeetingProvider: 'unknown',
      showAs: 'busy', isCancelled: false, createdDateTime: now, lastModifiedDateTime: now, exceptions: new Map(), copies: new Map(), ...over,
    };
  }

  /** The instants a series' occurrences were planned for, in [from, to). */
  private originals(e: StandInEvent, from: number, to: number): number[] {
    if (!e.recurrence) return e.startUtc < to && e.endUtc > from ? [e.startUtc] : [];
    const zone = zoneOf(e.recurrence.range.recurrenceTimeZone ?? e.start.timeZone) ?? 'UTC';
    const first = localParts(new Date(e.startUtc), zone);
    const [sy, sm, sd] = e.recurrence.range.startDate.split('-').map(Number);
    const end = e.recurrence.range.type === 'endDate' && e.recurrence.range.endDate ? Date.UTC(...(e.recurrence.range.endDate.split('-').map(Number) as [number, number, number])) - Date.UTC(1970, 0, 1) : Infinity;
    const limit = e.recurrence.range.type === 'numbered' ? e.recurrence.range.numberOfOccurrences ?? 1 : Infinity;
    const days = (e.recurrence.pattern.daysOfWeek ?? []).map((d) => d.toLowerCase().slice(0, 3));
    const interval = Math.max(1, e.recurrence.pattern.interval || 1);
    const out: number[] = [];
    let count = 0;
    const startDay = Date.UTC(sy, sm - 1, sd);
    // Weeks start on Monday (firstDayOfWeek), counted from the week of the range's start.
    const weekStart = startDay - ((new Date(startDay).getUTCDay() + 6) % 7) * 86400_000;
    for (let day = startDay; day <= end && count < limit && day < to + 86400_000 * 2; day += 86400_000) {
      const week = Math.floor((day - weekStart) / (7 * 86400_000));
      const weekday = WEEKDAYS[(new Date(day).getUTCDay() + 6) % 7];
      if (e.recurrence.pattern.type === 'weekly' && (week % interval !== 0 || !days.includes(weekday))) continue;
      if (e.recurrence.pattern.type === 'daily' && Math.round((day - startDay) / 86400_000) % interval !== 0) continue;
      const d = new Date(day);
      const at = instantOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), first.hour, first.minute, zone);
      count++;
      if (at >= to) break;
      if (at + (e.endUtc - e.startUtc) > from) out.push(at);
    }
    return out;
  }

  /** Occurrences of an event in [from, to) as they are now (moved ones at their new time, deleted ones left out). */
  private instances(e: StandInEvent, from: number, to: number): Array<{ original: number; start: number; end: number; moved: boolean }> {
    const len = e.endUtc - e.startUtc;
    const widened = this.originals(e, from - 31 * 86400_000, to + 31 * 86400_000);
    const out: Array<{ original: number; start: number; end: number; moved: boolean }> = [];
    for (const o of widened) {
      const ex = e.exceptions.get(o);
      if (ex === 'deleted') continue;
      const start = ex ? ex.startUtc : o;
      const end = ex ? ex.endUtc : o + len;
      if (start < to && end > from) out.push({ original: o, start, end, moved: !!ex });
    }
    return out;
  }

  private occurrenceId(e: StandInEvent, original: number, copyId?: string): string {
    return `${copyId ?? e.id}_OCC_${new Date(original).toISOString().replace(/[-:.]/g, '')}`;
  }

  /** The event a user sees under `id`: their own, or their copy of someone else's (with the master). */
  private find(userId: string, id: string): { master: StandInEvent; copyId?: string; original?: number } | undefined {
    const occ = /^(.*)_OCC_(\d{8}T\d{6}\d{3}Z)$/.exec(id);
    const base = occ ? occ[1] : id;
    const original = occ ? Date.parse(occ[2].replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/, '$1-$2-$3T$4:$5:$6.$7Z')) : undefined;
    const me = userId.toLowerCase();
    for (const e of this.events) {
      if (e.id === base && e.ownerId.toLowerCase() === me) return { master: e, original };
      const copy = e.copies.get(me);
      if (copy === base) return { master: e, copyId: copy, original };
    }
    return undefined;
  }

  /** What the calendar owner sees of an event (organiser's master or an attendee's copy), projected like Graph. */
  private view(userId: string, e: StandInEvent, zone: string, copyId?: string): Record<string, unknown> {
    const organiser = this.person(e.ownerId);
    const me = this.person(userId);
    const mine = e.attendees.find((a) => me && a.emailAddress.address.toLowerCase() === me.userPrincipalName.toLowerCase());
    const zoned = (at: number) => ({ dateTime: written(at, zoneOf(zone) ?? 'UTC'), timeZone: zone });
    return {
      '@odata.etag': `W/"${Buffer.from(e.lastModifiedDateTime).toString('base64')}"`,
      id: copyId ?? e.id, iCalUId: e.iCalUId, createdDateTime: e.createdDateTime, lastModifiedDateTime: e.lastModifiedDateTime,
      subject: e.isCancelled && copyId ? `Canceled: ${e.subject}` : e.subject, body: e.body,
      start: zoned(e.startUtc), end: zoned(e.endUtc), originalStartTimeZone: e.start.timeZone, originalEndTimeZone: e.end.timeZone,
      type: e.recurrence ? 'seriesMaster' : 'singleInstance', recurrence: e.recurrence ?? null, isCancelled: e.isCancelled, isOrganizer: !copyId,
      showAs: e.showAs, responseRequested: true,
      responseStatus: copyId ? { response: mine?.status.response ?? 'none', time: mine?.status.time ?? '0001-01-01T00:00:00Z' } : { response: 'organizer', time: '0001-01-01T00:00:00Z' },
      organizer: { emailAddress: { name: organiser?.displayName ?? '', address: organiser?.userPrincipalName ?? '' } },
      attendees: e.attendees, isOnlineMeeting: e.isOnlineMeeting, onlineMeetingProvider: e.onlineMeetingProvider,
      onlineMeeting: e.joinUrl ? { joinUrl: e.joinUrl } : null, onlineMeetingUrl: null, ...(e.transactionId && !copyId ? { transactionId: e.transactionId } : {}),
      webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(copyId ?? e.id)}&exvsurl=1&path=/calendar/item`,
    };
  }

  /** Events in a person's calendar: their own and their copies of others' (not declined ones, for free/busy). */
  private calendarOf(userId: string): Array<{ e: StandInEvent; copyId?: string; response?: string }> {
    const me = this.person(userId);
    const out: Array<{ e: StandInEvent; copyId?: string; response?: string }> = [];
    for (const e of this.events) {
      if (e.ownerId.toLowerCase() === userId.toLowerCase()) out.push({ e });
      else if (me && e.copies.has(me.id.toLowerCase())) {
        const a = e.attendees.find((x) => x.emailAddress.address.toLowerCase() === me.userPrincipalName.toLowerCase());
        out.push({ e, copyId: e.copies.get(me.id.toLowerCase()), response: a?.status.response });
      }
    }
    return out;
  }

  /** One calendar request for `userId` (the path's user); `body` parsed JSON for POST/PATCH. */
  handle(method: string, userId: string, rest: string[], q: URLSearchParams, body: unknown, prefer: string | undefined, pageSize: number, baseUrl: string): CalendarAnswer {
    const owner = this.person(userId);
    if (!owner) return err(404, 'ErrorInvalidUser', `The requested user '${userId}' is invalid.`);
    if (owner.mailboxTimeZone === undefined) return err(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
    const zone = /outlook\.timezone="([^"]+)"/.exec(prefer ?? '')?.[1] ?? 'UTC';
    if (!zoneOf(zone)) return err(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${zone}'.`);
    const [a, b, c] = rest;
    if (method === 'POST' && a === 'calendar' && b === 'getSchedule' && !c) return this.getSchedule(body, zone);
    if (method === 'POST' && a === 'events' && !b) return this.create(owner, body, zone);
    if (method === 'GET' && a === 'events' && !b) return this.list(owner, q, zone);
    if (method === 'GET' && a === 'events' && b && !c) {
      const f = this.find(owner.id, b);
      return f ? { status: 200, body: this.view(owner.id, f.master, zone, f.copyId) } : notFound();
    }
    if (method === 'PATCH' && a === 'events' && b && !c) return this.update(owner, b, body, zone);
    if (method === 'POST' && a === 'events' && b && c === 'cancel') return this.cancel(owner, b);
    if (method === 'POST' && a === 'events' && b && ['accept', 'decline', 'tentativelyAccept'].includes(c ?? '')) return this.respond(owner, b, c as 'accept');
    if (method === 'GET' && a === 'calendarView' && !b) return this.calendarView(owner, q, zone, pageSize, baseUrl, rest);
    return err(400, 'BadRequest', `Resource not found for the segment '${rest[rest.length - 1] ?? ''}'.`);
  }

  private getSchedule(body: unknown, zone: string): CalendarAnswer {
    const b = (body ?? {}) as { schedules?: unknown; startTime?: DateTimeTimeZone; endTime?: DateTimeTimeZone; availabilityViewInterval?: unknown };
    const schedules = Array.isArray(b.schedules) ? b.schedules.filter((s): s is string => typeof s === 'string') : [];
    const from = instant(b.startTime);
    const to = instant(b.endTime);
    const interval = b.availabilityViewInterval === undefined ? 30 : Number(b.availabilityViewInterval);
    if (!schedules.length || from === undefined || to === undefined) return err(400, 'ErrorInvalidRequest', 'The request is invalid: schedules, startTime and endTime are required.');
    if (schedules.length > MAX_SCHEDULES) return err(400, 'ErrorInvalidRequest', `The number of schedules exceeds the maximum of ${MAX_SCHEDULES}.`);
    if (!(to > from) || to - from > MAX_SCHEDULE_DAYS * 86400_000) return err(400, 'ErrorInvalidTimeInterval', 'The time interval between StartTime and EndTime is invalid or exceeds 62 days.');
    if (!Number.isInteger(interval) || interval < 5 || interval > 1440) return err(400, 'ErrorInvalidRequest', 'availabilityViewInterval must be from 5 to 1440 minutes.');
    const z = zoneOf(zone)!;
    const value = schedules.map((address) => {
      const p = this.person(address);
      if (!p || p.mailboxTimeZone === undefined) return { scheduleId: address, availabilityView: '', error: { message: 'The user or resource could not be found or its mailbox is not enabled.', responseCode: 'ErrorMailRecipientNotFound' } };
      const items: Array<{ status: string; start: number; end: number; subject: string; isRecurring: boolean; isException: boolean; isMeeting: boolean }> = [];
      for (const { e, copyId, response } of this.calendarOf(p.id)) {
        if (e.isCancelled || e.showAs === 'free' || response === 'declined') continue;
        const status = copyId && response !== 'accepted' ? 'tentative' : e.showAs;
        for (const o of this.instances(e, from, to)) items.push({ status, start: o.start, end: o.end, subject: e.subject, isRecurring: !!e.recurrence, isException: o.moved, isMeeting: e.attendees.length > 0 });
      }
      items.sort((x, y) => x.start - y.start);
      const code: Record<string, number> = { free: 0, tentative: 1, busy: 2, oof: 3, workingElsewhere: 0 };
      let view = '';
      for (let s = from; s < to; s += interval * 60_000) {
        const e = s + interval * 60_000;
        view += String(Math.max(0, ...items.filter((i) => i.start < e && i.end > s).map((i) => code[i.status] ?? 2)));
      }
      const wh = this.workingHours.get(p.id.toLowerCase()) ?? { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '08:00', endTime: '17:00', timeZone: p.mailboxTimeZone };
      return {
        scheduleId: address, availabilityView: view,
        scheduleItems: items.map((i) => ({
          isPrivate: false, status: i.status, subject: i.subject, location: '', isMeeting: i.isMeeting, isRecurring: i.isRecurring, isException: i.isException, isReminderSet: true,
          start: { dateTime: written(i.start, z), timeZone: zone }, end: { dateTime: written(i.end, z), timeZone: zone },
        })),
        workingHours: { daysOfWeek: wh.daysOfWeek, startTime: `${wh.startTime}:00.0000000`, endTime: `${wh.endTime}:00.0000000`, timeZone: { name: wh.timeZone } },
      };
    });
    return { status: 200, body: { '@odata.context': `${GRAPH}/$metadata#Collection(microsoft.graph.scheduleInformation)`, value } };
  }

  private create(owner: CalendarPerson, body: unknown, zone: string): CalendarAnswer {
    const b = (body ?? {}) as Record<string, any>;
    if (typeof b.transactionId === 'string' && b.transactionId) {
      const done = this.events.find((e) => e.ownerId === owner.id && e.transactionId === b.transactionId);
      if (done) return { status: 201, body: this.view(owner.id, done, zone) };
    }
    const start = instant(b.start);
    const end = instant(b.end);
    if (start === undefined || end === undefined) return err(400, 'ErrorInvalidRequest', 'Start and End must be valid dateTimeTimeZone values.');
    if (!(end > start)) return err(400, 'ErrorInvalidRequest', 'The end time must be after the start time.');
    const attendees: Attendee[] = [];
    for (const a of Array.isArray(b.attendees) ? b.attendees : []) {
      const address = a?.emailAddress?.address;
      if (typeof address !== 'string' || !address.includes('@')) return err(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
      attendees.push({ emailAddress: { address, name: a.emailAddress.name ?? address }, type: a.type ?? 'required', status: { response: 'none', time: '0001-01-01T00:00:00Z' } });
    }
    const recurrence = b.recurrence ? recurrenceOf(b.recurrence as Recurrence, start, b.start.timeZone) : undefined;
    if (recurrence && 'status' in recurrence) return recurrence;
    const online = b.isOnlineMeeting === true;
    const provider = online ? String(b.onlineMeetingProvider ?? 'teamsForBusiness') : 'unknown';
    const e = this.make(owner.id, {
      subject: String(b.subject ?? ''), body: { contentType: b.body?.contentType === 'html' || b.body?.contentType === 'HTML' ? 'html' : 'text', content: String(b.body?.content ?? '') },
      start: b.start, end: b.end, startUtc: start, endUtc: end, recurrence, attendees, isOnlineMeeting: online, onlineMeetingProvider: provider,
      showAs: typeof b.showAs === 'string' ? b.showAs : 'busy', transactionId: typeof b.transactionId === 'string' ? b.transactionId : undefined,
    });
    if (online && provider === 'teamsForBusiness') {
      e.joinUrl = `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${Buffer.from(e.id).toString('base64url').slice(0, 40)}%40thread.v2/0?context=%7b%22Tid%22%3a%22stand-in%22%7d`;
    }
    for (const a of attendees) {
      const p = this.person(a.emailAddress.address);
      if (p) e.copies.set(p.id.toLowerCase(), `AAMkAD${Buffer.from(`${p.id}:copy:${e.id}`).toString('base64url')}=`);
    }
    this.events.push(e);
    return { status: 201, body: this.view(owner.id, e, zone) };
  }

  private list(owner: CalendarPerson, q: URLSearchParams, zone: string): CalendarAnswer {
    const filter = q.get('$filter');
    let items = this.calendarOf(owner.id).filter((x) => !x.e.busyBlock);
    if (filter) {
      const m = /^\s*iCalUId\s+eq\s+'([^']*)'\s*$/i.exec(filter);
      if (!m) return err(400, 'ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
      items = items.filter((x) => x.e.iCalUId === m[1]);
    }
    return { status: 200, body: { '@odata.context': `${GRAPH}/$metadata#users('${owner.id}')/events`, value: items.map((x) => this.view(owner.id, x.e, zone, x.copyId)) } };
  }

  private update(owner: CalendarPerson, id: string, body: unknown, zone: string): CalendarAnswer {
    const f = this.find(owner.id, id);
    if (!f) return notFound();
    if (f.copyId) return err(403, 'ErrorAccessDenied', 'Only the organizer can change the time of this meeting.');
    const b = (body ?? {}) as Record<string, any>;
    const e = f.master;
    const start = b.start ? instant(b.start) : undefined;
    const end = b.end ? instant(b.end) : undefined;
    if ((b.start && start === undefined) || (b.end && end === undefined)) return err(400, 'ErrorInvalidRequest', 'Start and End must be valid dateTimeTimeZone values.');
    e.lastModifiedDateTime = new Date().toISOString();
    if (f.original !== undefined) {
      if (!this.originals(e, f.original, f.original + 1).includes(f.original) || e.exceptions.get(f.original) === 'deleted') return notFound();
      const cur = e.exceptions.get(f.original) as { startUtc: number; endUtc: number } | undefined;
      const s = start ?? cur?.startUtc ?? f.original;
      const en = end ?? (s + (e.endUtc - e.startUtc));
      if (!(en > s)) return err(400, 'ErrorInvalidRequest', 'The end time must be after the start time.');
      e.exceptions.set(f.original, { startUtc: s, endUtc: en });
      return { status: 200, body: this.occurrenceView(owner.id, e, f.original, zone) };
    }
    if (b.recurrence && e.recurrence) {
      const r = recurrenceOf(b.recurrence as Recurrence, start ?? e.startUtc, b.start?.timeZone ?? e.start.timeZone);
      if ('status' in r) return r;
      e.recurrence = r;
    }
    // A series moved as a whole loses its exceptions, as in Exchange.
    if (e.recurrence && (start !== undefined || b.recurrence)) e.exceptions.clear();
    if (start !== undefined) {
      e.startUtc = start;
      e.start = b.start;
    }
    if (end !== undefined) {
      e.endUtc = end;
      e.end = b.end;
    }
    if (typeof b.subject === 'string') e.subject = b.subject;
    return { status: 200, body: this.view(owner.id, e, zone) };
  }

  private cancel(owner: CalendarPerson, id: string): CalendarAnswer {
    const f = this.find(owner.id, id);
    if (!f) return notFound();
    if (f.copyId) return err(400, 'ErrorInvalidRequest', 'Your request can\'t be completed. You need to be an organizer to cancel a meeting.');
    const e = f.master;
    e.lastModifiedDateTime = new Date().toISOString();
    if (f.original !== undefined) e.exceptions.set(f.original, 'deleted');
    else {
      e.isCancelled = true;
      // The organiser's own copy goes; attendees keep a cancelled copy until they remove it.
      e.ownerId = `${e.ownerId}#cancelled`;
    }
    return { status: 202 };
  }

  private respond(owner: CalendarPerson, id: string, action: 'accept' | 'decline' | 'tentativelyAccept'): CalendarAnswer {
    const f = this.find(owner.id, id);
    if (!f) return notFound();
    if (!f.copyId) return err(400, 'ErrorInvalidRequest', 'Your request can\'t be completed. You can\'t respond to a meeting you organized.');
    const a = f.master.attendees.find((x) => x.emailAddress.address.toLowerCase() === owner.userPrincipalName.toLowerCase());
    if (!a) return notFound();
    a.status = { response: action === 'accept' ? 'accepted' : action === 'decline' ? 'declined' : 'tentativelyAccepted', time: new Date().toISOString() };
    f.master.lastModifiedDateTime = new Date().toISOString();
    return { status: 202 };
  }

  private occurrenceView(userId: string, e: StandInEvent, original: number, zone: string, copyId?: string): Record<string, unknown> {
    const o = this.instances(e, original - 62 * 86400_000, original + 62 * 86400_000).find((x) => x.original === original)!;
    const z = zoneOf(zone) ?? 'UTC';
    return {
      ...this.view(userId, e, zone, copyId), id: this.occurrenceId(e, original, copyId), seriesMasterId: copyId ?? e.id, recurrence: null,
      type: o.moved ? 'exception' : 'occurrence', originalStart: new Date(original).toISOString().replace('.000Z', 'Z'),
      start: { dateTime: written(o.start, z), timeZone: zone }, end: { dateTime: written(o.end, z), timeZone: zone },
    };
  }

  private calendarView(owner: CalendarPerson, q: URLSearchParams, zone: string, pageSize: number, baseUrl: string, rest: string[]): CalendarAnswer {
    const from = Date.parse(q.get('startDateTime') ?? '');
    const to = Date.parse(q.get('endDateTime') ?? '');
    if (!Number.isFinite(from) || !Number.isFinite(to)) return err(400, 'ErrorInvalidParameter', "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
    const z = zoneOf(zone) ?? 'UTC';
    const all: Array<Record<string, unknown> & { _at: number }> = [];
    for (const { e, copyId } of this.calendarOf(owner.id)) {
      if (e.isCancelled && !copyId) continue;
      for (const o of this.instances(e, from, to)) {
        const item = e.recurrence ? this.occurrenceView(owner.id, e, o.original, zone, copyId) : { ...this.view(owner.id, e, zone, copyId), start: { dateTime: written(o.start, z), timeZone: zone }, end: { dateTime: written(o.end, z), timeZone: zone } };
        all.push({ ...item, _at: o.start });
      }
    }
    all.sort((x, y) => x._at - y._at);
    const top = Math.min(pageSize, Number(q.get('$top')) || 10);
    const skip = Number(q.get('$skip') ?? 0) || 0;
    const value = all.slice(skip, skip + top).map(({ _at, ...v }) => v);
    const out: Record<string, unknown> = { '@odata.context': `${GRAPH}/$metadata#users('${owner.id}')/calendarView`, value };
    if (skip + top < all.length) {
      const next = new URLSearchParams(q);
      next.set('$top', String(top));
      next.set('$skip', String(skip + top));
      out['@odata.nextLink'] = `${baseUrl}/v1.0/users/${encodeURIComponent(owner.id)}/${rest.join('/')}?${next.toString()}`;
    }
    return { status: 200, body: out };
  }

  /** Free for tests: every busy interval of a person in [from, to) (for asserting proposals avoid them). */
  busyOf(userId: string, from: number, to: number): Interval[] {
    const out: Interval[] = [];
    for (const { e, response } of this.calendarOf(userId)) {
      if (e.isCancelled || e.showAs === 'free' || response === 'declined') continue;
      for (const o of this.instances(e, from, to)) out.push({ start: o.start, end: o.end });
    }
    return out;
  }
}
