// The signed-in person's Outlook calendar through Microsoft Graph v1.0, with delegated tokens from
// the on-behalf-of exchange of their Teams SSO token (@azure/identity's OnBehalfOfCredential, one
// per SSO token, so MSAL caches the Graph token for as long as the tab reuses it). Only the
// person's own calendar is written (`/users/{their id}/...`, which is /me for a delegated token),
// so Calendars.ReadWrite is all it needs. In local mode (no tab app) calls carry no token.
// - free/busy: POST calendar/getSchedule for both people, in UTC, 30-minute view, with workingHours;
// - a series: POST events with a weekly recurrence in the organiser's Windows zone until the
//   programme's end, isOnlineMeeting + teamsForBusiness (Outlook makes the Teams meeting and
//   its joinUrl; no OnlineMeetings permission), and a transactionId so a retry finds the first;
// - the series as it is: GET events/{id} (cancelled? the attendee's answer) and calendarView
//   (moved and deleted occurrences), every @odata.nextLink followed here;
// - PATCH an occurrence to move it; POST events/{id}/cancel for the series.
// Retry-After is honoured before any backoff; a person is waiting, so the budget is short.
import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import type { TokenCredential } from '@azure/identity';
import { dayIn, DEFAULT_WORKING_HOURS, instantOf, Interval, timeIn, weekdayIn, WorkingHours } from '../domain/sessions';
import type { Weekday } from '../domain/types';
import {
  CalendarAccess, CalendarRefusedError, Calendars, CalendarUnavailableError, CalendarUser, ConsentRequiredError, CreatedSeries, FreeBusy, NewSeries, NO_CALENDARS,
  SeriesInCalendar, SeriesTimes,
} from '../services/calendar';
import { authorityOptions, DEFAULT_GRAPH_BASE_URL, graphResource } from './graphDirectory';
import { backoffMs, graphClient, retryable, retryAfterMs } from './graphHttp';
import { ianaZone, windowsZone } from './timeZones';

const BUDGET = { attempts: 3, maxWaitMs: 5_000, timeoutMs: 10_000 };
const GRAPH_DAYS: Record<string, Weekday> = { monday: 'mon', tuesday: 'tue', wednesday: 'wed', thursday: 'thu', friday: 'fri', saturday: 'sat', sunday: 'sun' };
const WEEKDAY_NAMES: Record<Weekday, string> = { mon: 'monday', tue: 'tuesday', wed: 'wednesday', thu: 'thursday', fri: 'friday', sat: 'saturday', sun: 'sunday' };

/** "2027-02-02T10:00:00.0000000" in UTC (what Graph gives without a Prefer header) as an instant. */
function utc(d: { dateTime?: string | null; timeZone?: string | null } | null | undefined): number {
  const text = d?.dateTime ?? '';
  const zone = d?.timeZone && d.timeZone !== 'UTC' ? ianaZone(d.timeZone) : 'UTC';
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(text);
  if (!m) return NaN;
  return instantOf(+m[1], +m[2], +m[3], +m[4], +m[5], zone ?? 'UTC');
}

/** An instant as a wall-clock dateTime in a zone, for Graph ("2027-02-02T10:00:00"). */
function wall(at: number, zone: string): string {
  return `${dayIn(at, zone)}T${timeIn(at, zone)}:00`;
}

const isoUtc = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, '');

/** A token refusal that a consent would fix (AADSTS65001 consent_required, interaction_required). */
function consentMissing(err: unknown): boolean {
  const text = err instanceof Error ? `${err.name} ${err.message}` : String(err);
  return /AADSTS65001|AADSTS65004|consent_required|interaction_required|AuthenticationRequiredError/i.test(text);
}

/**
 * A weekly series' start, end and recurrence as Graph takes them. Exchange keeps the series in the
 * organiser's Windows zone, so 10:00 stays 10:00 across daylight saving.
 */
function seriesTimes(s: SeriesTimes) {
  const win = windowsZone(s.timeZone);
  const zone = win ? s.timeZone : 'UTC';
  const tz = win ?? 'UTC';
  return {
    start: { dateTime: wall(s.start, zone), timeZone: tz },
    end: { dateTime: wall(s.start + s.minutes * 60_000, zone), timeZone: tz },
    recurrence: {
      pattern: { type: 'weekly', interval: s.intervalWeeks, daysOfWeek: [WEEKDAY_NAMES[weekdayIn(s.start, zone)]], firstDayOfWeek: 'monday' },
      range: { type: 'endDate', startDate: dayIn(s.start, zone), endDate: s.until, recurrenceTimeZone: tz },
    },
  };
}

class GraphCalendarAccess implements CalendarAccess {
  constructor(private readonly client: Client, private readonly me: string, private readonly sleep: (ms: number) => Promise<void>) {}

  private get base(): string {
    return `/users/${encodeURIComponent(this.me)}`;
  }

  private async call<T>(send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await send(AbortSignal.timeout(BUDGET.timeoutMs));
      } catch (err) {
        if (err instanceof ConsentRequiredError || err instanceof CalendarUnavailableError) throw err;
        // The SDK wraps what the token middleware threw into a GraphError named after it.
        if (err instanceof GraphError && err.code === 'ConsentRequiredError') throw new ConsentRequiredError(err.message);
        if (err instanceof GraphError && err.code === 'CalendarUnavailableError') throw new CalendarUnavailableError(err.message);
        const status = err instanceof GraphError && err.statusCode > 0 ? err.statusCode : undefined;
        if (status !== undefined && !retryable(status)) {
          const code = err instanceof GraphError ? err.code ?? '' : '';
          if (status === 401) throw new CalendarUnavailableError(`Graph 401 ${code}`);
          throw new CalendarRefusedError(status, code);
        }
        const wait = retryAfterMs(err instanceof GraphError ? err.headers?.get('Retry-After') : undefined) ?? backoffMs(attempt);
        if (attempt + 1 >= BUDGET.attempts || wait > BUDGET.maxWaitMs) throw new CalendarUnavailableError(`Graph ${status ?? 'unreachable'}`);
        await this.sleep(wait);
      }
    }
  }

  async freeBusy(addresses: string[], from: number, to: number): Promise<FreeBusy[]> {
    type Item = { status?: string; start?: { dateTime: string; timeZone: string }; end?: { dateTime: string; timeZone: string } };
    type Info = { scheduleId?: string; error?: unknown; scheduleItems?: Item[]; workingHours?: { daysOfWeek?: string[]; startTime?: string; endTime?: string; timeZone?: { name?: string } } };
    const answer = (await this.call((signal) =>
      this.client.api(`${this.base}/calendar/getSchedule`).options({ signal }).post({
        schedules: addresses, startTime: { dateTime: isoUtc(from), timeZone: 'UTC' }, endTime: { dateTime: isoUtc(to), timeZone: 'UTC' }, availabilityViewInterval: 30,
      }),
    )) as { value?: Info[] };
    return addresses.map((address) => {
      const info = (answer.value ?? []).find((v) => (v.scheduleId ?? '').toLowerCase() === address.toLowerCase());
      if (!info || info.error) return { address, busy: [], unavailable: true };
      const busy: Interval[] = (info.scheduleItems ?? [])
        .filter((i) => i.status !== 'free' && i.status !== 'workingElsewhere')
        .map((i) => ({ start: utc(i.start), end: utc(i.end) }))
        .filter((i) => Number.isFinite(i.start) && Number.isFinite(i.end));
      const wh = info.workingHours;
      const zone = ianaZone(wh?.timeZone?.name);
      const workingHours: WorkingHours | undefined = wh && zone
        ? {
            days: (wh.daysOfWeek ?? []).map((d) => GRAPH_DAYS[d.toLowerCase()]).filter((d): d is Weekday => !!d),
            start: (wh.startTime ?? DEFAULT_WORKING_HOURS.start).slice(0, 5),
            end: (wh.endTime ?? DEFAULT_WORKING_HOURS.end).slice(0, 5),
            timeZone: zone,
          }
        : undefined;
      return { address, busy, workingHours };
    });
  }

  async createSeries(s: NewSeries): Promise<CreatedSeries> {
    const event = (await this.call((signal) =>
      this.client.api(`${this.base}/events`).options({ signal }).post({
        subject: s.subject,
        body: { contentType: 'html', content: s.body },
        ...seriesTimes(s),
        attendees: [{ emailAddress: { address: s.attendee.address, name: s.attendee.name }, type: 'required' }],
        isOnlineMeeting: true,
        onlineMeetingProvider: 'teamsForBusiness',
        allowNewTimeProposals: true,
        showAs: 'busy',
        isReminderOn: true,
        reminderMinutesBeforeStart: 15,
        transactionId: s.transactionId,
      }),
    )) as { id?: string; iCalUId?: string; start?: { dateTime: string; timeZone: string }; onlineMeeting?: { joinUrl?: string } | null };
    if (!event.id) throw new CalendarUnavailableError('Graph made no event');
    let joinUrl = event.onlineMeeting?.joinUrl ?? undefined;
    if (!joinUrl) {
      // Outlook may add the Teams meeting a moment after the create.
      const again = (await this.call((signal) => this.client.api(`${this.base}/events/${encodeURIComponent(event.id!)}`).select('onlineMeeting').options({ signal }).get()).catch(() => undefined)) as
        | { onlineMeeting?: { joinUrl?: string } }
        | undefined;
      joinUrl = again?.onlineMeeting?.joinUrl;
    }
    const start = utc(event.start);
    return { eventId: event.id, iCalUId: event.iCalUId ?? '', joinUrl, ...(Number.isFinite(start) ? { start } : {}) };
  }

  async moveSeries(eventId: string, s: SeriesTimes): Promise<void> {
    await this.call((signal) => this.client.api(`${this.base}/events/${encodeURIComponent(eventId)}`).options({ signal }).patch(seriesTimes(s)));
  }

  async series(eventId: string, from: number, to: number): Promise<SeriesInCalendar> {
    let master: { isCancelled?: boolean; attendees?: Array<{ status?: { response?: string } }> };
    try {
      master = (await this.call((signal) => this.client.api(`${this.base}/events/${encodeURIComponent(eventId)}`).select('isCancelled,attendees').options({ signal }).get())) as typeof master;
    } catch (err) {
      if (err instanceof CalendarRefusedError && err.status === 404) return { cancelled: true, occurrences: [] };
      throw err;
    }
    const response = master.attendees?.[0]?.status?.response as SeriesInCalendar['attendeeResponse'];
    const occurrences: SeriesInCalendar['occurrences'] = [];
    type Occ = { id?: string; seriesMasterId?: string; originalStart?: string; start?: { dateTime: string; timeZone: string }; end?: { dateTime: string; timeZone: string } };
    let path: string | undefined = `${this.base}/calendarView?startDateTime=${encodeURIComponent(new Date(from).toISOString())}&endDateTime=${encodeURIComponent(new Date(to).toISOString())}&$select=id,seriesMasterId,originalStart,start,end,type&$top=100`;
    for (let pages = 0; path && pages < 20; pages++) {
      const url: string = path;
      const page = (await this.call((signal) => this.client.api(url).options({ signal }).get())) as { value?: Occ[]; '@odata.nextLink'?: string };
      for (const o of page.value ?? []) {
        if (o.seriesMasterId !== eventId || !o.id) continue;
        occurrences.push({ id: o.id, originalStart: Date.parse(o.originalStart ?? ''), start: utc(o.start), end: utc(o.end) });
      }
      const next = page['@odata.nextLink'];
      path = next ? next.replace(/^https?:\/\/[^/]+\/v1\.0/, '') : undefined;
    }
    return { cancelled: !!master.isCancelled, attendeeResponse: response, occurrences };
  }

  async moveOccurrence(eventId: string, originalStart: number, start: number, minutes: number, timeZone: string): Promise<void> {
    const around = 15 * 24 * 3600_000;
    const found = (await this.series(eventId, Math.min(originalStart, start) - around, Math.max(originalStart, start) + around)).occurrences.find((o) => o.originalStart === originalStart);
    if (!found) throw new CalendarRefusedError(404, 'OccurrenceNotFound');
    const win = windowsZone(timeZone);
    const zone = win ? timeZone : 'UTC';
    await this.call((signal) =>
      this.client.api(`${this.base}/events/${encodeURIComponent(found.id)}`).options({ signal }).patch({
        start: { dateTime: wall(start, zone), timeZone: win ?? 'UTC' },
        end: { dateTime: wall(start + minutes * 60_000, zone), timeZone: win ?? 'UTC' },
      }),
    );
  }

  async cancelSeries(eventId: string, comment: string): Promise<void> {
    try {
      await this.call((signal) => this.client.api(`${this.base}/events/${encodeURIComponent(eventId)}/cancel`).options({ signal }).post({ comment }));
    } catch (err) {
      // Already gone from the organiser's calendar: cancelled is what was wanted.
      if (err instanceof CalendarRefusedError && err.status === 404) return;
      throw err;
    }
  }

  async myCopy(iCalUId: string): Promise<{ response?: SeriesInCalendar['attendeeResponse']; cancelled: boolean } | undefined> {
    const filter = `iCalUId eq '${iCalUId.replace(/'/g, "''")}'`;
    const page = (await this.call((signal) => this.client.api(`${this.base}/events`).filter(filter).select('responseStatus,isCancelled').options({ signal }).get())) as {
      value?: Array<{ responseStatus?: { response?: string }; isCancelled?: boolean }>;
    };
    const copy = page.value?.[0];
    if (!copy) return undefined;
    return { response: copy.responseStatus?.response as SeriesInCalendar['attendeeResponse'], cancelled: !!copy.isCancelled };
  }
}

export interface GraphCalendarsOptions {
  baseUrl: string;
  /** The delegated credential for one person (on-behalf-of their SSO token); undefined: local mode, no token. */
  credential?: (who: CalendarUser) => TokenCredential;
  sleep?: (ms: number) => Promise<void>;
}

/** Credentials per SSO token, so the Graph token MSAL got for it is reused while the tab keeps the token. */
const MAX_CREDENTIALS = 2_000;

export class GraphCalendars implements Calendars {
  readonly enabled = true;
  private readonly root: string;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GraphCalendarsOptions) {
    this.root = options.baseUrl.replace(/\/+$/, '');
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  forUser(who: CalendarUser): CalendarAccess {
    const credential = this.options.credential?.(who);
    const client = graphClient(this.root, credential, `${graphResource(this.root)}/Calendars.ReadWrite`, (err) =>
      consentMissing(err) ? new ConsentRequiredError('calendar consent missing') : new CalendarUnavailableError(`no Graph token: ${err instanceof Error ? err.name : 'error'}`),
    );
    return new GraphCalendarAccess(client, who.userId, this.sleep);
  }
}

/** On-behalf-of credentials of the tab's Entra app, one per SSO token (bounded). */
export function oboCredential(c: { tabAppId: string; tabAppPassword?: string; azureAuthorityHost?: string }): (who: CalendarUser) => TokenCredential {
  const identity = require('@azure/identity') as typeof import('@azure/identity');
  const byToken = new Map<string, TokenCredential>();
  return (who) => {
    if (!who.assertion) throw new CalendarUnavailableError('no SSO token to exchange');
    let cred = byToken.get(who.assertion);
    if (!cred) {
      cred = new identity.OnBehalfOfCredential({
        tenantId: who.tenantId, clientId: c.tabAppId, clientSecret: c.tabAppPassword ?? '', userAssertionToken: who.assertion, ...authorityOptions(c.azureAuthorityHost),
      });
      byToken.set(who.assertion, cred);
      if (byToken.size > MAX_CREDENTIALS) byToken.delete(byToken.keys().next().value!);
    }
    return cred;
  };
}

/**
 * The calendars a server uses: Graph on behalf of the signed-in person when the tab's Entra app has
 * a secret (TAB_APP_PASSWORD) for the exchange; in local mode (no Entra apps) GRAPH_BASE_URL's
 * stand-in without a token; otherwise none (the tab says booking is not set up).
 */
export function createCalendars(c: { graphBaseUrl?: string; appId: string; tabAppId: string; tabAppPassword?: string; azureAuthorityHost?: string }): Calendars {
  const local = !c.appId && !c.tabAppId;
  if (local) return c.graphBaseUrl ? new GraphCalendars({ baseUrl: c.graphBaseUrl }) : NO_CALENDARS;
  if (!c.tabAppId || !c.tabAppPassword) return NO_CALENDARS;
  return new GraphCalendars({ baseUrl: c.graphBaseUrl || DEFAULT_GRAPH_BASE_URL, credential: oboCredential(c) });
}
