// The tab API's contract: the shape of every answer, imported by the server's views and routes
// and by the tab itself (tab/src), so a change on one side that the other does not follow fails
// to compile. Types only, from the pure domain types.
import type { KnowledgeMap as DomainKnowledgeMap, LevelSupply } from '../domain/knowledgeMap';
import type { LadderView, Level, Locale, MetAnswer, PairStatus, ProgrammeStatus, Role, TutorialStatus } from '../domain/types';

export type { Level, Locale, Role, TutorialStatus };
export type { LadderLevelView, LadderView, TutorialView } from '../domain/types';
export type * from './sessionsApi';

/** GET /api/config: public, tells the page whether it may offer the local identity switcher. */
export interface AppConfig {
  localMode: boolean;
  locales: readonly string[];
  botId?: string;
  tabAppId?: string;
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
  tutorials: Array<{ id: string; title: string }>;
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
  levels: Array<{ level: Level; title: string; done: number; total: number; percent: number }>;
  /** What the mentee wrote they learned, newest first. */
  learned: Learned[];
}

/** GET /api/me/ladder?programme= */
export interface PersonalLadder {
  programme: ProgrammeBrief;
  role: Role;
  name: string;
  /** The person's own ladder (for a mentor: their own, usually of little interest). */
  ladder: LadderView;
  mentor?: PartnerView;
  nextSession?: string;
  history: HistoryEntry[];
  /** Mentors: their mentees with a ladder summary. */
  mentees: MenteeSummary[];
  /** What this person wrote they learned, newest first. */
  learned: Learned[];
}

/** GET /api/mentees/{id}/ladder?programme= (the mentor's view; an admin's has no free text) */
export interface MenteeLadder {
  programme: ProgrammeBrief;
  mentee: { userId: string; name: string; department?: string };
  ladder: LadderView;
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
