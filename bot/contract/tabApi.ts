// The tab API's contract: the shape of every answer, imported by the server's views and routes
// and by the tab itself (tab/src), so a change on one side that the other does not follow fails
// to compile. Types only, from the pure domain types.
import type { KnowledgeMap as DomainKnowledgeMap, LevelSupply } from '../domain/knowledgeMap';
import type { ItemOutcome, KnowledgeSnapshot, RoundOutcome, SurveyOutcome } from '../domain/outcomes';
import type { LadderLevel, LadderStatus, LadderView, Level, Locale, MetAnswer, PairStatus, ProgrammeStatus, Role, TutorialStatus } from '../domain/types';

export type { Level, Locale, Role, TutorialStatus };
export type { Catalogue, LadderLevel, LadderLevelView, LadderStatus, LadderView, LevelStatus, Tutorial, TutorialView } from '../domain/types';
export type * from './sessionsApi';

/** GET /api/config: public, tells the page whether it may offer the local identity switcher. */
export interface AppConfig {
  localMode: boolean;
  locales: readonly string[];
  botId?: string;
  tabAppId?: string;
  /** The tutorial catalogue's current version, so the tab can ask for it before any ladder names it. */
  catalogue: string;
}

/**
 * GET /api/catalogue/{version}/{locale}: every level and tutorial of the ladder in one language,
 * the same for everyone. `version` is a hash of the catalogue's content, so an answer never
 * changes: it is sent `private, max-age=31536000, immutable` with an ETag, and the browser asks
 * once per version and language. A version the server does not have is a 404 naming the current
 * one (CatalogueVersionUnknown).
 */
export interface CatalogueAnswer {
  version: string;
  locale: Locale;
  /** All five levels, lowest first, each with its tutorials in ladder order. */
  levels: LadderLevel[];
}

/** The 404 for a catalogue version the server does not serve (an older or mistyped one). */
export interface CatalogueVersionUnknown extends ApiErrorBody {
  error: 'catalogue-version-unknown';
  /** The version this server serves. */
  current: string;
}

export interface Membership {
  programmeId: string;
  name: string;
  status: ProgrammeStatus;
  role: Role;
  participantStatus: string;
}

/** GET /api/me */
export interface Me {
  userId: string;
  tenantId: string;
  name: string;
  isAdmin: boolean;
  memberships: Membership[];
  mode: 'sso' | 'local';
}

export interface ProgrammeBrief {
  id: string;
  name: string;
  status: ProgrammeStatus;
  levels: Level[];
  startDate: string;
  endDate: string;
}

export interface HistoryEntry {
  round: number;
  answeredAt?: string;
  met?: MetAnswer;
  /** Ids of the tutorials covered (titles are the catalogue's). */
  tutorials: string[];
  /** The person's own words; never in an admin's view. */
  learned?: string;
  rating?: number;
  nextSession?: string;
}

export interface PartnerView {
  userId: string;
  name: string;
  department?: string;
  pairStatus: PairStatus;
  atRisk: boolean;
}

export interface Learned {
  round: number;
  answeredAt?: string;
  text: string;
}

export interface MenteeSummary extends PartnerView {
  done: number;
  total: number;
  percent: number;
  /** Per level in scope (titles are the catalogue's). */
  levels: Array<{ level: Level; done: number; total: number; percent: number }>;
  /** What the mentee wrote they learned, newest first. */
  learned: Learned[];
}

/**
 * GET /api/me/ladder?programme=: only what is personal, in no language. Tutorial and level
 * words are the catalogue's (GET /api/catalogue/{catalogue}/{locale}); the tab joins them.
 */
export interface PersonalLadder {
  /** The catalogue version the ladder was computed against. */
  catalogue: string;
  programme: ProgrammeBrief;
  role: Role;
  name: string;
  /** The person's own ladder (for a mentor: their own, usually of little interest). */
  ladder: LadderStatus;
  mentor?: PartnerView;
  nextSession?: string;
  history: HistoryEntry[];
  /** Mentors: their mentees with a ladder summary. */
  mentees: MenteeSummary[];
  /** What this person wrote they learned, newest first. */
  learned: Learned[];
}

/** GET /api/mentees/{id}/ladder?programme= (the mentor's view; an admin's has no free text). Words as for PersonalLadder. */
export interface MenteeLadder {
  /** The catalogue version the ladder was computed against. */
  catalogue: string;
  programme: ProgrammeBrief;
  mentee: { userId: string; name: string; department?: string };
  ladder: LadderStatus;
  nextSession?: string;
  history: HistoryEntry[];
  /** Only the mentee's active mentor may change it. */
  canEdit: boolean;
}

/** POST /api/progress: the body, and the answer. */
export interface ProgressUpdate {
  programme: string;
  tutorialId: string;
  status: TutorialStatus;
  /** A mentor changing their mentee's ladder; absent for one's own. */
  menteeId?: string;
}
export interface ProgressSaved {
  userId: string;
  tutorialId: string;
  status: TutorialStatus;
}

/** GET /api/programmes */
export interface ProgrammeListItem {
  id: string;
  name: string;
  status: ProgrammeStatus;
  startDate: string;
  endDate: string;
  enrolment: 'open' | 'nominated';
  levels: Level[];
  myRole?: Role;
}
export interface ProgrammeList {
  isAdmin: boolean;
  programmes: ProgrammeListItem[];
}

export interface LevelDistribution {
  level: Level;
  title: string;
  complete: number;
  started: number;
  notStarted: number;
}

export interface Distribution {
  /** Fewer than the privacy threshold of mentees other than the viewer: no breakdown (all zero). */
  hidden: boolean;
  threshold: number;
  levels: LevelDistribution[];
  buckets: Array<{ label: string; count: number }>;
}

/** GET /api/programmes/{id}: the channel tab. */
export interface ProgrammeOverview extends ProgrammeBrief {
  objectives: string;
  enrolment: 'open' | 'nominated';
  cadenceWeeks: number;
  pairs: number;
  mentors: number;
  mentees: number;
  rounds: number;
  distribution: Distribution;
  /** The caller's own role in the programme, if any. */
  myRole?: Role;
  /** Whether the caller may see the knowledge map (a participant or an admin). */
  knowledgeMap: boolean;
  channelConversationId?: string;
}

/** GET /api/programmes/{id}/knowledge-map (JSON has no Infinity: no able mentor at all is null). */
export interface KnowledgeMapView extends Omit<DomainKnowledgeMap, 'supply'> {
  supply: Array<Omit<LevelSupply, 'demandPerMentor'> & { demandPerMentor: number | null }>;
  threshold: number;
  levelTitles: Array<{ level: Level; title: string }>;
}

export type PairHealth = 'ok' | 'at-risk' | 'paused' | 'no-checkins' | 'proposed' | 'ended';

export interface PairRow {
  id: string;
  status: PairStatus;
  health: PairHealth;
  atRisk: boolean;
  mentor: { userId: string; name: string; department?: string };
  mentee: { userId: string; name: string; department?: string };
  lastCheckin?: string;
  /** A paused pair: until which day (none = until they resume). */
  pausedUntil?: string;
  answered: { mentor: number; mentee: number };
  menteeLadder: { done: number; total: number; percent: number };
}

export interface RoundRate {
  round: number;
  openedAt: string;
  expected: number;
  answered: number;
  /** 0-100, whole number; null when nobody was asked. */
  rate: number | null;
}

/** GET /api/programmes/{id}/dashboard (admins): counts, rates and flags, never words. */
export interface Dashboard {
  programme: ProgrammeBrief;
  pairs: PairRow[];
  rounds: RoundRate[];
  unreachable: Array<{ userId: string; name: string; role: Role; reason: 'contact' | 'delivery' }>;
  totals: { pairs: number; atRisk: number; responseRate: number | null };
}

// ---------------------------------------------------------------- what the programme changed

export type { Counts, DepartmentChange, ItemOutcome, KnowledgeSnapshot, RoundOutcome, ScoreOutcome, SurveyOutcome } from '../domain/outcomes';

/** One level or business item of a person's own change: 0-3 at the start, the mid-point pulse and the end. */
export interface ChangeRow {
  key: string;
  title: string;
  before?: number;
  mid?: number;
  after?: number;
  /** after - before, when both are known. */
  change?: number;
}

/** GET /api/me/progress?programme=: the caller's own change, never anyone else's (there is no id to ask with). */
export interface MyProgress {
  programme: ProgrammeBrief;
  role: Role;
  /** Mentees measure their ladder levels; mentors their understanding of the business. */
  measures: 'levels' | 'business';
  rows: ChangeRow[];
  /** 'recorded': the start is frozen; 'profile': not paired yet, so the profile as it stands; 'missing': not rated. */
  start: 'recorded' | 'profile' | 'missing';
  /** The mid-point pulse and the closing survey: not sent to them, sent, answered. */
  pulse: 'none' | 'asked' | 'answered';
  survey: 'none' | 'asked' | 'answered';
  tutorialsCovered: Array<{ id: string; title: string }>;
  /** Rounds in which their pair met (either side said so). */
  sessionsHeld: number;
  checkinsAnswered: number;
  /** A mentor without a rated start who can still rate it (the bot's "my progress" sends the card). */
  canRateStart: boolean;
}

export interface LevelOutcomeView extends ItemOutcome {
  level: Level;
  title: string;
}
export interface BusinessOutcomeView extends ItemOutcome {
  title: string;
}

export interface KnowledgeMoment {
  programmeId: string;
  name: string;
  /** When the map was taken: a programme's start (its people as they were paired) or its end (their closing answers). */
  phase: 'start' | 'end';
  date: string;
  map: KnowledgeSnapshot;
}

/**
 * GET /api/programmes/{id}/outcome (admins): what the programme changed, as aggregates only: no
 * names, no ids, no one person's answer; an aggregate with fewer than `threshold` people other
 * than the viewer behind it carries no numbers (`hidden`). People who erased their data are not counted.
 */
export interface OutcomeReport {
  programme: ProgrammeBrief;
  threshold: number;
  generatedAt: string;
  people: { mentees: number; mentors: number };
  /** Mentees, per level in scope: self-assessment at the start and the end. */
  levels: LevelOutcomeView[];
  /** Mentors, per business item. */
  business: BusinessOutcomeView[];
  /** Per check-in round: pairs that met, response rate. */
  rounds: RoundOutcome[];
  totals: { sessions: number; asked: number; answered: number; responseRate: number | null };
  survey: SurveyOutcome;
  /** The mid-point pulse, when the programme has one. */
  pulse?: SurveyOutcome;
  /** The tutorials check-ins covered most, by pairs. */
  tutorials: Array<{ id: string; title: string; level: Level; pairs: number }>;
  /** The company's knowledge map at every programme's start and end, oldest first. */
  knowledge: KnowledgeMoment[];
}

/** GET /api/local/users (local mode only): whom the identity switcher offers. */
export interface LocalUser {
  tenantId: string;
  userId: string;
  name: string;
  roles: string[];
  isAdmin: boolean;
}

/** Every error answer. */
export interface ApiErrorBody {
  error: string;
  message: string;
}
