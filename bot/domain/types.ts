// The programme model. Pure data: no Bot Framework, HTTP or storage types here.

export const LOCALES = ['en', 'de', 'nl'] as const;
export type Locale = (typeof LOCALES)[number];

export const LEVELS = [1, 2, 3, 4, 5] as const;
export type Level = (typeof LEVELS)[number];

/** Self-assessment per ladder level: 0 none, 1 basic, 2 confident, 3 can teach. */
export type Skill = 0 | 1 | 2 | 3;
export const CONFIDENT: Skill = 2;

/** Ordered from least to most senior; the index is the rank. No birth dates: a band suffices. */
export const SENIORITY = ['apprentice', 'staff', 'senior-staff', 'manager', 'director', 'executive'] as const;
export type Seniority = (typeof SENIORITY)[number];
export const seniorityRank = (s: Seniority): number => SENIORITY.indexOf(s);

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type Role = 'mentor' | 'mentee';

export const PROGRAMME_STATUSES = ['draft', 'open', 'matching', 'running', 'closing', 'closed'] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];

export type Enrolment = 'open' | 'nominated';

export interface Programme {
  tenantId: string;
  id: string;
  name: string;
  objectives: string;
  /** ISO dates, YYYY-MM-DD. */
  startDate: string;
  endDate: string;
  levels: Level[];
  cadenceWeeks: number;
  enrolment: Enrolment;
  maxMenteesPerMentor: number;
  status: ProgrammeStatus;
  /** IANA time zone in which check-in rounds open. */
  timeZone: string;
  checkinWeekday: Weekday;
  checkinHour: number;
  reminderAfterDays: number;
  createdBy: string;
  createdAt: string;
  /** Channel where the programme card was posted (for the Join button). */
  channelConversationId?: string;
  /** Closing: the feedback window ends then and the scheduler closes the programme. */
  feedbackUntil?: string;
  closedAt?: string;
  /** After the retention period: when the free text of its check-ins and surveys was erased. */
  textErasedAt?: string;
  /**
   * Never pair two people in one management chain (Entra ID reporting lines). Unset means on;
   * an admin may switch it off for a programme.
   */
  reportingLineRule?: boolean;
  /** An admin asked for the mid-point pulse (`programme pulse ... on`); the scheduler queues it once, at the midpoint. */
  pulse?: boolean;
  /** When the mid-point pulse was queued. */
  pulseQueuedAt?: string;
  /** Length of a mentoring session in minutes (the calendar series); unset means 60. */
  sessionMinutes?: number;
}

export type ParticipantStatus = 'nominated' | 'active' | 'paused' | 'left';

export interface Profile {
  name: string;
  department: string;
  seniority: Seniority;
  languages: string[];
  timeZone: string;
  sessionsPerMonth: number;
  preferredDays: Weekday[];
  /** skills[level - 1] is the self-assessment for that level. */
  skills: Skill[];
  /** Levels a mentee wants to learn (empty for mentors). */
  wantLevels: Level[];
}

/**
 * What Entra ID says about a person (read through Microsoft Graph), kept apart from what they
 * typed: a field the directory has wins over the typed one, and the chain decides reporting lines.
 */
export interface DirectoryFacts {
  department?: string;
  jobTitle?: string;
  officeLocation?: string;
  /** BCP 47, e.g. "de-DE". */
  preferredLanguage?: string;
  /** IANA zone (the mailbox's Windows zone, mapped). */
  timeZone?: string;
  /** Object ids of the person's managers: the direct one first, up to the top of the chain. */
  managers: string[];
  /** When the directory was read. */
  readAt: string;
}

export interface Participant extends Profile {
  tenantId: string;
  programmeId: string;
  userId: string;
  role: Role;
  status: ParticipantStatus;
  nominatedBy?: string;
  joinedAt: string;
  consentAt?: string;
  /** Users this person must never be paired with (admin exclusions). */
  excluded: string[];
  /** Paused: the day (YYYY-MM-DD, programme time zone) the scheduler resumes them; none = until they resume. */
  pausedUntil?: string;
  /** The directory's facts as last read (absent: no directory, or it was never reachable). */
  directory?: DirectoryFacts;
  /** A nomination's card is being sent since then (a claim that lapses, see services/participants.ts). */
  nominationClaimedAt?: string;
  /** A nomination's card was delivered (once per nomination). */
  nominationSentAt?: string;
}

export type PairStatus = 'proposed' | 'active' | 'paused' | 'ended';

export interface Pair {
  tenantId: string;
  programmeId: string;
  /** Deterministic: `${mentorId}_${menteeId}`, so a pair exists at most once per programme. */
  id: string;
  mentorId: string;
  menteeId: string;
  status: PairStatus;
  score: number;
  /** Machine-readable reasons behind the score (codes from the matching domain). */
  reasons: Array<{ code: string; [k: string]: unknown }>;
  proposalId: string;
  /** Set when an admin paired by hand against a hard rule: which rule and who decided. */
  override?: string;
  approvedBy?: string;
  createdAt: string;
  endedAt?: string;
  atRisk?: boolean;
  /** When both introductions went out: an approval resumed after a crash skips these. */
  introducedAt?: string;
  /** Paused: who paused it and until which day (none = until they resume). */
  pausedBy?: string;
  pausedUntil?: string;
}

export type TutorialStatus = 'not-started' | 'in-progress' | 'done';

export interface TutorialProgress {
  tenantId: string;
  userId: string;
  tutorialId: string;
  status: TutorialStatus;
  source: 'checkin' | 'tab';
  updatedAt: string;
}

export interface Admin {
  tenantId: string;
  userId: string;
  name: string;
  addedBy: string;
  addedAt: string;
  /** 'config' admins come from BOT_ADMINS and can only be removed there. */
  source: 'config' | 'command';
}

/** Someone the bot can reach proactively: the stored conversation reference plus display basics. */
export interface UserContact {
  tenantId: string;
  userId: string;
  name: string;
  locale: Locale;
  /** JSON of botbuilder's ConversationReference; opaque to the domain. */
  conversationRef?: string;
  /** User principal name: Teams chat deep links accept only this. */
  upn?: string;
  unreachable?: boolean;
  updatedAt: string;
}

/** A stored matching proposal: the pairs it proposed live in the pairs table with its id. */
export interface ProposalRecord {
  tenantId: string;
  programmeId: string;
  id: string;
  status: 'open' | 'approved' | 'superseded';
  createdBy: string;
  createdAt: string;
  approvedBy?: string;
  approvedAt?: string;
  pairCount: number;
  totalScore: number;
  /** Unmatched people with the reason code that kept them out. */
  unmatched: Array<{ userId: string; role: Role; reason: { code: string; [k: string]: unknown } }>;
}

export interface CheckinRound {
  tenantId: string;
  programmeId: string;
  round: number;
  /** ISO date-time the round opened and when it stops taking answers. */
  openedAt: string;
  closesAt: string;
  /** 'open' while answers are accepted. */
  status: 'open' | 'closed';
  /** How many dispatch records the round wrote (one per person of every active pair). */
  expected: number;
  enqueued: boolean;
  /** When reminder jobs were queued for this round (automatic reminders go out once). */
  remindersAt?: string;
}

export type MetAnswer = 'yes' | 'rescheduled' | 'no';

/** One person's check-in for one round: the dispatch record and, once given, the answer. */
export interface CheckinRecord {
  tenantId: string;
  programmeId: string;
  round: number;
  userId: string;
  pairId: string;
  role: Role;
  /** 'failed': Teams refused the card for another reason, or it kept failing (see attempts). */
  dispatch: 'queued' | 'sent' | 'unreachable' | 'failed';
  attempts: number;
  sentAt?: string;
  conversationId?: string;
  activityId?: string;
  remindedAt?: string;
  answeredAt?: string;
  met?: MetAnswer;
  tutorials?: string[];
  learned?: string;
  rating?: number;
  blockers?: string;
  nextSession?: string;
  /** What the pair's calendar said of the round's week when it opened (services/sessions.ts): the card's prefill. */
  calendarMet?: MetAnswer;
  /** 'declined': the partner declined the series; 'youDeclined': this person did. */
  calendarState?: 'held' | 'planned' | 'moved' | 'cancelled' | 'declined' | 'youDeclined';
  /** ISO instant of that week's session (its new time when moved). */
  calendarAt?: string;
  /** ISO instant of the series' next session after the round opened. */
  calendarNext?: string;
}

/** 'end': the closing survey; 'mid': the optional mid-point pulse (the same questions but the comment). */
export type SurveyPhase = 'mid' | 'end';

/** A closing survey or mid-point pulse answer, once per person and phase. */
export interface FeedbackRecord {
  tenantId: string;
  programmeId: string;
  userId: string;
  role: Role;
  /** Absent on answers from before the pulse existed: the closing survey. */
  phase?: SurveyPhase;
  /** 1-5 each. */
  valueOfOneToOne: number;
  flexibility: number;
  /** 0-10: how likely they would recommend reverse mentoring to a colleague. */
  recommend?: number;
  /** Answers from before the 0-10 score: yes or no. */
  wouldRecommend?: boolean;
  /** Mentees: their self-assessment now, per ladder level in scope ("1".."5" -> 0-3). */
  levels?: Record<string, Skill>;
  /** Mentors: their understanding of the business now, per item id (0-3). */
  business?: Record<string, Skill>;
  change: string;
  submittedAt: string;
}

/**
 * Where a person started (bot/services/outcomes.ts): the self-assessment as it stood when they
 * were first paired (or, at the latest, surveyed), and a mentor's understanding of the business
 * as they rated it when they joined. Compared with the closing survey's answers.
 */
export interface Baseline {
  tenantId: string;
  programmeId: string;
  userId: string;
  role: Role;
  department?: string;
  /** skills[level - 1], as in the profile, frozen. */
  skills?: Skill[];
  skillsAt?: string;
  /** Mentors: item id -> 0 not at all, 1 a little, 2 well, 3 could explain it to others. */
  business?: Record<string, Skill>;
  businessAt?: string;
}

/** One item of the "understanding of the business" set (bot/ladder/business.<locale>.json). */
export interface BusinessItem {
  id: string;
  title: string;
  description: string;
}

export interface TenantRecord {
  tenantId: string;
  /** The Bot Connector endpoint Teams last used for this tenant. */
  serviceUrl: string;
  updatedAt: string;
}

/** The tenant's proactive send schedule, shared by every server instance (the per-app-and-tenant budget). */
export interface SendSchedule {
  tenantId: string;
  /** Epoch ms of the next free send slot: each claim takes the slots from here on. */
  next: number;
  /** Teams answered 429: nobody sends before this (epoch ms). */
  pausedUntil: number;
  /** Epoch ms until which queued jobs are planned at the rate: a new round's jobs come after. */
  plannedUntil?: number;
}

/** A change to one session of a series: moved to another time, or cancelled. */
export interface SessionException {
  /** ISO instant the occurrence was planned for. */
  originalStart: string;
  /** ISO instant it was moved to. */
  start?: string;
  cancelled?: boolean;
}

/**
 * A pair's sessions as one recurring Teams meeting in the organiser's calendar (services/sessions.ts).
 * The times are kept here so check-ins and the tab know the week's session without asking Graph.
 */
export interface SessionSeries {
  tenantId: string;
  programmeId: string;
  pairId: string;
  /** Who booked it: the event is in their calendar, they may move or cancel it. */
  organizerId: string;
  attendeeId: string;
  /** 'booking': claimed, the event is being made; 'failed': Graph failed, a retry reuses bookingId. */
  status: 'booking' | 'booked' | 'failed' | 'cancelled';
  /** Sent to Graph as the event's transactionId: a retried create returns the event already made. */
  bookingId: string;
  claimedAt: string;
  eventId?: string;
  iCalUId?: string;
  joinUrl?: string;
  /** ISO instant of the first session. */
  firstStart?: string;
  minutes: number;
  /** IANA zone of the organiser: the series repeats at the same local time there. */
  timeZone: string;
  intervalWeeks: number;
  /** Last day (YYYY-MM-DD, organiser's zone): the programme's end. */
  until: string;
  exceptions: SessionException[];
  /** The partner's answer to the invitation, as last read from the calendar. */
  partnerResponse?: 'none' | 'accepted' | 'tentativelyAccepted' | 'declined';
  /** When the calendar was last read. */
  syncedAt?: string;
  createdAt: string;
  updatedAt: string;
  cancelledAt?: string;
}

// ---------------------------------------------------------------- the tutorial ladder (bot/domain/ladder.ts)

export interface Tutorial {
  id: string;
  level: Level;
  title: string;
  description: string;
  goal: string;
  /** 2-4 suggested session activities. */
  activities: string[];
  durationMinutes: number;
}

export interface LadderLevel {
  level: Level;
  title: string;
  focus: string;
  tutorials: Tutorial[];
}

export interface Catalogue {
  levels: LadderLevel[];
}

export interface TutorialView extends Tutorial {
  status: TutorialStatus;
}

/** One level of a person's ladder in figures only (its words are the catalogue's). */
export interface LevelStatus {
  level: Level;
  done: number;
  total: number;
  /** Whole-number percentage of done tutorials, 0-100. */
  percent: number;
  /** True when every tutorial of the level is done. */
  complete: boolean;
  /** True when the person wants to learn this level. */
  wanted: boolean;
}

/**
 * A person's ladder without the catalogue: what is personal (statuses, figures, the next
 * suggestion) and nothing that is the same for everyone (titles, descriptions, activities).
 * Joined with the catalogue by joinLadder (bot/domain/ladderJoin.ts) it is a LadderView.
 */
export interface LadderStatus {
  /** The levels in scope, lowest first. */
  levels: LevelStatus[];
  /** Totals over the levels in scope. */
  done: number;
  total: number;
  percent: number;
  /** Ids of the tutorials in scope that are done or in progress, in ladder order; every other one in scope is not started. */
  statuses: { done: string[]; inProgress: string[] };
  /** The next suggested tutorial's id; undefined when everything in scope is done. */
  next?: string;
}

export interface LadderLevelView extends LevelStatus {
  title: string;
  focus: string;
  tutorials: TutorialView[];
}

export interface LadderView {
  /** The levels in scope, lowest first. */
  levels: LadderLevelView[];
  /** Totals over the levels in scope. */
  done: number;
  total: number;
  percent: number;
  /** The next suggested tutorial; undefined when everything in scope is done. */
  next?: TutorialView;
}
