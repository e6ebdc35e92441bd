// Programme rules: what a valid programme and profile are, and the programme's life cycle.
import {
  DirectoryFacts, Level, LEVELS, Participant, Profile, Programme, ProgrammeStatus, Role, SENIORITY, Seniority, Skill, WEEKDAYS, Weekday,
} from './types';
import { DEFAULT_SESSION_MINUTES, SESSION_LENGTHS } from './sessions';
import { daysBetween, Problem, Reader } from './validation';

export const LIMITS = {
  name: 80,
  objectives: 1000,
  department: 60,
  personName: 120,
  maxMenteesPerMentor: 5,
  minDays: 7,
  maxDays: 731,
} as const;

/** Languages people can pick (ISO 639-1). */
export const LANGUAGES = ['en', 'de', 'nl', 'fr', 'es', 'it', 'pl', 'pt', 'tr', 'sv', 'da', 'cs'] as const;

/** Time zones offered in the join card; anything IANA is accepted from other clients. */
export const COMMON_TIME_ZONES = [
  'Europe/London', 'Europe/Lisbon', 'Europe/Berlin', 'Europe/Amsterdam', 'Europe/Brussels', 'Europe/Paris', 'Europe/Madrid',
  'Europe/Rome', 'Europe/Vienna', 'Europe/Zurich', 'Europe/Stockholm', 'Europe/Warsaw', 'Europe/Prague', 'Europe/Istanbul',
  'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'America/Sao_Paulo', 'Asia/Kolkata', 'Asia/Singapore',
  'Asia/Shanghai', 'Asia/Tokyo', 'Australia/Sydney', 'UTC',
] as const;

// ---------------------------------------------------------------- life cycle

const TRANSITIONS: Record<ProgrammeStatus, ProgrammeStatus[]> = {
  draft: ['open'],
  open: ['matching', 'running', 'closing'],
  matching: ['running', 'closing'],
  running: ['closing'],
  closing: ['closed'],
  closed: [],
};

export function canTransition(from: ProgrammeStatus, to: ProgrammeStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** People can join while enrolment is open and the programme has not started closing. */
export const canJoin = (p: Programme): boolean => p.status === 'open' || p.status === 'matching' || p.status === 'running';
/** Matching needs people: never in draft, never once closing. */
export const canPair = (p: Programme): boolean => p.status === 'open' || p.status === 'matching' || p.status === 'running';

// ---------------------------------------------------------------- programme form

export type ProgrammeFields = Pick<
  Programme,
  'name' | 'objectives' | 'startDate' | 'endDate' | 'levels' | 'cadenceWeeks' | 'enrolment' | 'maxMenteesPerMentor' | 'timeZone' | 'checkinWeekday' | 'checkinHour' | 'reminderAfterDays' | 'sessionMinutes'
>;

export function readProgrammeForm(input: Record<string, unknown>): { value?: ProgrammeFields; problems: Problem[] } {
  const r = new Reader(input);
  const name = r.text('name', { max: LIMITS.name, required: true });
  const objectives = r.text('objectives', { max: LIMITS.objectives, required: true });
  const startDate = r.date('startDate', { required: true });
  const endDate = r.date('endDate', { required: true });
  const levels = r.choices('levels', LEVELS.map(String), { min: 1 });
  const cadenceWeeks = r.int('cadenceWeeks', { min: 1, max: 4, required: true });
  const enrolment = r.choice('enrolment', ['open', 'nominated'] as const, { required: true });
  const maxMenteesPerMentor = r.int('maxMenteesPerMentor', { min: 1, max: LIMITS.maxMenteesPerMentor, required: true });
  const timeZone = r.timeZone('timeZone', { required: true });
  const checkinWeekday = r.choice('checkinWeekday', WEEKDAYS, { required: true });
  const checkinHour = r.int('checkinHour', { min: 0, max: 23, required: true });
  const reminderAfterDays = r.int('reminderAfterDays', { min: 1, max: 6, required: true });
  const sessionMinutes = r.choice('sessionMinutes', SESSION_LENGTHS.map(String));
  const problems = r.problems;
  if (startDate && endDate) {
    const days = daysBetween(startDate, endDate);
    if (days <= 0) problems.push({ key: 'endBeforeStart', params: { field: 'endDate' } });
    else if (days < LIMITS.minDays) problems.push({ key: 'tooShortProgramme', params: { field: 'endDate', days: LIMITS.minDays } });
    else if (days > LIMITS.maxDays) problems.push({ key: 'tooLongProgramme', params: { field: 'endDate' } });
  }
  if (problems.length) return { problems };
  return {
    problems,
    value: {
      name: name!, objectives: objectives!, startDate: startDate!, endDate: endDate!,
      levels: levels!.map(Number).sort() as Level[], cadenceWeeks: cadenceWeeks!, enrolment: enrolment!,
      maxMenteesPerMentor: maxMenteesPerMentor!, timeZone: timeZone!, checkinWeekday: checkinWeekday as Weekday,
      checkinHour: checkinHour!, reminderAfterDays: reminderAfterDays!, sessionMinutes: sessionMinutes ? Number(sessionMinutes) : DEFAULT_SESSION_MINUTES,
    },
  };
}

// ---------------------------------------------------------------- profile form

export type ProfileFields = Omit<Profile, 'name'> & { role: Role };

/**
 * Reads the join/profile card. `fixedRole` is set for nominations (the admin chose the role).
 * Mentees must want at least one level of the programme's scope. What the directory has
 * (`directory`: department, time zone) is taken from it, whatever the card says.
 */
export function readProfileForm(
  input: Record<string, unknown>, programme: Programme, fixedRole?: Role, directory?: DirectoryFacts,
): { value?: ProfileFields; problems: Problem[] } {
  const r = new Reader(input);
  const role = fixedRole ?? r.choice('role', ['mentor', 'mentee'] as const, { required: true });
  const department = directory?.department ?? r.text('department', { max: LIMITS.department, required: true });
  const seniority = r.choice('seniority', SENIORITY, { required: true });
  const languages = r.choices('languages', LANGUAGES, { min: 1 });
  const timeZone = directory?.timeZone ?? r.timeZone('timeZone', { required: true });
  const sessionsPerMonth = r.int('sessionsPerMonth', { min: 1, max: 8, required: true });
  const preferredDays = r.choices('preferredDays', WEEKDAYS, { min: 1 });
  const skills = LEVELS.map((l) => r.int(`skill${l}`, { min: 0, max: 3, required: true }));
  const wantLevels = r.choices('wantLevels', programme.levels.map(String));
  const consent = r.bool('consent');
  const problems = r.problems;
  if (consent === false) problems.push({ key: 'consentRequired', params: { field: 'consent' } });
  if (role === 'mentee' && wantLevels && wantLevels.length === 0) problems.push({ key: 'wantLevelsRequired', params: { field: 'wantLevels' } });
  if (problems.length) return { problems };
  return {
    problems,
    value: {
      role: role!, department: department!, seniority: seniority as Seniority, languages: languages!, timeZone: timeZone!,
      sessionsPerMonth: sessionsPerMonth!, preferredDays: preferredDays as Weekday[], skills: skills as Skill[],
      wantLevels: role === 'mentee' ? (wantLevels!.map(Number).sort() as Level[]) : [],
    },
  };
}

/** The language a BCP 47 tag names, if people can pick it ("de-DE" -> "de"). */
export function pickableLanguage(tag: string | undefined): string | undefined {
  const lang = (tag ?? '').split(/[-_]/)[0].toLowerCase();
  return (LANGUAGES as readonly string[]).includes(lang) ? lang : undefined;
}

/** The fields the profile card pre-fills from an existing participant and the directory. */
export function profileDefaults(p?: Participant, directory?: DirectoryFacts) {
  const preferred = pickableLanguage(directory?.preferredLanguage);
  const languages = [...new Set([...(p?.languages ?? []), ...(preferred ? [preferred] : [])])];
  return {
    role: p?.role ?? '',
    department: directory?.department ?? p?.department ?? '',
    seniority: p?.seniority ?? '',
    languages: languages.join(','),
    timeZone: directory?.timeZone ?? p?.timeZone ?? '',
    sessionsPerMonth: String(p?.sessionsPerMonth ?? 2),
    preferredDays: (p?.preferredDays ?? []).join(','),
    skills: LEVELS.map((l) => String(p?.skills[l - 1] ?? '')),
    wantLevels: (p?.wantLevels ?? []).join(','),
  };
}

// ---------------------------------------------------------------- the directory's facts

/** A participant with the directory's facts: its department and time zone win over typed ones. */
export function mergeDirectory(p: Participant, facts: DirectoryFacts): Participant {
  return { ...p, directory: facts, department: facts.department ?? p.department, timeZone: facts.timeZone ?? p.timeZone };
}

/** Whether two reads of the directory say the same (when they were read aside). */
export function sameDirectory(a: DirectoryFacts | undefined, b: DirectoryFacts | undefined): boolean {
  if (!a || !b) return a === b;
  const { readAt: _a, ...x } = a;
  const { readAt: _b, ...y } = b;
  const norm = (o: object) => JSON.stringify(Object.entries(o).filter(([, v]) => v !== undefined).sort(([k1], [k2]) => k1.localeCompare(k2)));
  return norm(x) === norm(y);
}
