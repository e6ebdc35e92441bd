// The tab API's answers about sessions in the calendar (re-exported by tabApi.ts): the schedule
// view's proposals, a pair's series and its next session. Times are ISO instants; the tab shows
// them in each person's own zone.
import type { Role } from '../domain/types';

export interface SessionPerson {
  userId: string;
  name: string;
  role: Role;
  /** IANA zone the times are shown in for this person. */
  timeZone: string;
}

export interface SessionSlot {
  start: string;
  end: string;
  /** On a day both people prefer. */
  preferred: boolean;
}

/** GET /api/sessions/slots?programme=&partner=[&occurrence=]: times that suit both (nothing is written). */
export interface SessionSlots {
  programmeId: string;
  partnerId: string;
  me: SessionPerson;
  partner: SessionPerson;
  minutes: number;
  cadenceWeeks: number;
  /** Last day of the series (the programme's end). */
  until: string;
  /** Moving one session: its planned start. */
  occurrence?: string;
  slots: SessionSlot[];
}

export interface SessionTime {
  start: string;
  end: string;
  /** Where it was planned, when it was moved. */
  originalStart: string;
  kind: 'planned' | 'moved';
}

export type SeriesStatus = 'none' | 'booking' | 'booked' | 'failed' | 'cancelled';

/** One pair's sessions, as the caller sees them. */
export interface PairSessions {
  programmeId: string;
  partnerId: string;
  me: SessionPerson;
  partner: SessionPerson;
  status: SeriesStatus;
  /** Who booked the series (only they may move or cancel it). */
  organizer?: 'me' | 'partner';
  minutes: number;
  cadenceWeeks: number;
  until?: string;
  joinUrl?: string;
  next?: SessionTime;
  /** The next few sessions (for moving one). */
  upcoming: SessionTime[];
  partnerResponse?: 'none' | 'accepted' | 'tentativelyAccepted' | 'declined';
  /** The calendar could not be read just now: what was last known. */
  stale?: boolean;
}

/** GET /api/me/sessions?programme=: the caller's live pairs in a programme. */
export interface MySessions {
  /** False when this server has no calendar access configured (booking is not offered). */
  calendar: boolean;
  pairs: PairSessions[];
}

/** POST /api/sessions/book | move | cancel: the bodies. */
export interface BookSession {
  programme: string;
  partner: string;
  start: string;
}
export interface MoveSession {
  programme: string;
  partner: string;
  occurrence: string;
  start: string;
}
export interface CancelSessions {
  programme: string;
  partner: string;
}
