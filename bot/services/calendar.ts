// The Outlook calendar through Microsoft Graph, as the small interface the sessions service uses
// (bot/graph/graphCalendar.ts is the client). Every call acts for one signed-in person, with a
// delegated token from the on-behalf-of exchange of their Teams SSO token (none in local mode):
// the app only ever reads free/busy and writes that person's own calendar.
import type { Interval, WorkingHours } from '../domain/sessions';

/** Who the calendar acts for: the tab's signed-in person, and their SSO token for the exchange. */
export interface CalendarUser {
  tenantId: string;
  userId: string;
  /** The Teams SSO token (absent in local mode). */
  assertion?: string;
}

export interface FreeBusy {
  address: string;
  busy: Interval[];
  workingHours?: WorkingHours;
  /** The mailbox could not be read (unknown address, no mailbox). */
  unavailable?: boolean;
}

/** When a weekly series' sessions are. */
export interface SeriesTimes {
  start: number;
  minutes: number;
  /** IANA zone of the organiser. */
  timeZone: string;
  intervalWeeks: number;
  /** Last day, YYYY-MM-DD in `timeZone`. */
  until: string;
}

export interface NewSeries extends SeriesTimes {
  subject: string;
  /** HTML body. */
  body: string;
  attendee: { address: string; name: string };
  /** Graph's transactionId: a create retried after a lost answer returns the first event. */
  transactionId: string;
}

export interface CreatedSeries {
  eventId: string;
  iCalUId: string;
  joinUrl?: string;
  /** The first session's start as Graph holds it (an earlier try's, when the transactionId found that). */
  start?: number;
}

export interface SeriesInCalendar {
  /** The organiser cancelled it, or it is no longer in their calendar. */
  cancelled: boolean;
  attendeeResponse?: 'none' | 'accepted' | 'tentativelyAccepted' | 'declined';
  /** The occurrences in the window asked for (cancelled ones are missing). */
  occurrences: Array<{ id: string; originalStart: number; start: number; end: number }>;
}

export interface CalendarAccess {
  /** Free/busy of these mailboxes in [from, to). */
  freeBusy(addresses: string[], from: number, to: number): Promise<FreeBusy[]>;
  createSeries(s: NewSeries): Promise<CreatedSeries>;
  /** Moves a whole series to new times (its moved sessions go back into the pattern). */
  moveSeries(eventId: string, s: SeriesTimes): Promise<void>;
  /** The organiser's series and its occurrences in [from, to). */
  series(eventId: string, from: number, to: number): Promise<SeriesInCalendar>;
  /** Moves one occurrence (by its planned start) to a new start. */
  moveOccurrence(eventId: string, originalStart: number, start: number, minutes: number, timeZone: string): Promise<void>;
  /** Cancels the whole series; the attendee gets Outlook's cancellation. */
  cancelSeries(eventId: string, comment: string): Promise<void>;
  /** The attendee's own copy of a series (their answer, whether it was cancelled). */
  myCopy(iCalUId: string): Promise<{ response?: SeriesInCalendar['attendeeResponse']; cancelled: boolean } | undefined>;
}

export interface Calendars {
  /** False when this server has no calendar access configured. */
  readonly enabled: boolean;
  forUser(who: CalendarUser): CalendarAccess;
}

/** Graph could not be reached, kept failing or throttling: nothing was changed by this call. */
export class CalendarUnavailableError extends Error {
  override name = 'CalendarUnavailableError';
}
/** The person (or their admin) has not consented to the calendar permission yet. */
export class ConsentRequiredError extends Error {
  override name = 'ConsentRequiredError';
}
/** Graph refused the request itself (a 4xx other than throttling). */
export class CalendarRefusedError extends Error {
  constructor(readonly status: number, readonly code: string) {
    super(`Graph refused: ${status} ${code}`);
  }
}

export const NO_CALENDARS: Calendars = {
  enabled: false,
  forUser: () => {
    throw new CalendarUnavailableError('no calendar configured');
  },
};
