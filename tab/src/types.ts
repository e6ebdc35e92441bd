// Shapes of the API's answers (see bot/services/tabViews.ts).
export type Level = 1 | 2 | 3 | 4 | 5;
export type TutorialStatus = 'not-started' | 'in-progress' | 'done';
export type Role = 'mentor' | 'mentee';

export interface AppConfig {
  localMode: boolean;
  locales: string[];
  botId?: string;
  tabAppId?: string;
}

export interface Tutorial {
  id: string;
  level: Level;
  title: string;
  description: string;
  goal: string;
  activities: string[];
  durationMinutes: number;
  status: TutorialStatus;
}

export interface LadderLevel {
  level: Level;
  title: string;
  focus: string;
  tutorials: Tutorial[];
  done: number;
  total: number;
  percent: number;
  complete: boolean;
  wanted: boolean;
}

export interface Ladder {
  levels: LadderLevel[];
  done: number;
  total: number;
  percent: number;
  next?: Tutorial;
}

export interface Membership {
  programmeId: string;
  name: string;
  status: string;
  role: Role;
  participantStatus: string;
}

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
  status: string;
  levels: Level[];
  startDate: string;
  endDate: string;
}

export interface HistoryEntry {
  round: number;
  answeredAt?: string;
  met?: 'yes' | 'rescheduled' | 'no';
  tutorials: Array<{ id: string; title: string }>;
  learned?: string;
  rating?: number;
  nextSession?: string;
}

export interface Partner {
  userId: string;
  name: string;
  department?: string;
  pairStatus: string;
  atRisk: boolean;
}

export interface Learned {
  round: number;
  answeredAt?: string;
  text: string;
}

export interface MenteeSummary extends Partner {
  done: number;
  total: number;
  percent: number;
  levels: Array<{ level: Level; title: string; done: number; total: number; percent: number }>;
  learned: Learned[];
}

export interface PersonalLadder {
  programme: ProgrammeBrief;
  role: Role;
  name: string;
  ladder: Ladder;
  mentor?: Partner;
  nextSession?: string;
  history: HistoryEntry[];
  mentees: MenteeSummary[];
  learned: Learned[];
}

export interface MenteeLadder {
  programme: ProgrammeBrief;
  mentee: { userId: string; name: string; department?: string };
  ladder: Ladder;
  nextSession?: string;
  history: HistoryEntry[];
  canEdit: boolean;
}

export interface ProgrammeListItem {
  id: string;
  name: string;
  status: string;
  startDate: string;
  endDate: string;
  enrolment: string;
  levels: Level[];
  myRole?: Role;
}

export interface ProgrammeOverview extends ProgrammeBrief {
  objectives: string;
  enrolment: 'open' | 'nominated';
  cadenceWeeks: number;
  pairs: number;
  mentors: number;
  mentees: number;
  rounds: number;
  distribution: {
    hidden: boolean;
    threshold: number;
    levels: Array<{ level: Level; title: string; complete: number; started: number; notStarted: number }>;
    buckets: Array<{ label: string; count: number }>;
  };
  myRole?: Role;
  knowledgeMap: boolean;
}

export interface KnowledgeMap {
  levels: Level[];
  departments: string[];
  cells: Array<{ department: string; level: Level; total: number; counts?: [number, number, number, number]; hidden: boolean }>;
  supply: Array<{ level: Level; hidden: boolean; mentorsAble: number; menteesWanting: number; demandPerMentor: number | null; scarce: boolean }>;
  people: number;
  threshold: number;
  levelTitles: Array<{ level: Level; title: string }>;
}

export interface PairRow {
  id: string;
  status: string;
  health: 'ok' | 'at-risk' | 'paused' | 'no-checkins' | 'proposed' | 'ended';
  atRisk: boolean;
  mentor: { userId: string; name: string; department?: string };
  mentee: { userId: string; name: string; department?: string };
  lastCheckin?: string;
  answered: { mentor: number; mentee: number };
  menteeLadder: { done: number; total: number; percent: number };
}

export interface Dashboard {
  programme: ProgrammeBrief;
  pairs: PairRow[];
  rounds: Array<{ round: number; openedAt: string; expected: number; answered: number; rate: number | null }>;
  unreachable: Array<{ userId: string; name: string; role: Role; reason: 'contact' | 'delivery' }>;
  totals: { pairs: number; atRisk: number; responseRate: number | null };
}

export interface LocalUser {
  tenantId: string;
  userId: string;
  name: string;
  roles: string[];
  isAdmin: boolean;
}
