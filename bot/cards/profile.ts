// The profile form (join, edit, nomination) with the digital-skills self-assessment, and the
// profile card that shows what was saved.
import { COMMON_TIME_ZONES, LANGUAGES, profileDefaults } from '../domain/programme';
import { DirectoryFacts, LEVELS, Locale, Participant, Programme, Role } from '../domain/types';
import { t } from '../i18n/i18n';
import { levelChoices, levelsLabel, Reader, roleLabel, seniorityChoices, skillChoices, weekdayChoices } from './common';
import { Card, escapeMarkdown, renderCard } from './render';

export interface FormOptions {
  programmes: Programme[];
  existing?: Participant;
  fixedRole?: Role;
  /** The person the form is for: only they may submit it. */
  formFor: string;
  /** The profile's last save (consentAt) when an edit form was made: a save from an older form is refused. */
  version?: string;
  /** What Entra ID says about the person: shown, not asked (the server keeps it whatever is submitted). */
  directory?: DirectoryFacts;
  /** The directory could not be reached: the person types everything, and is told why. */
  directoryDown?: boolean;
}

/** The directory's facts as card facts, people's words escaped. */
export function directoryFacts(locale: Locale, d: DirectoryFacts | undefined): Array<{ title: string; value: string }> {
  if (!d) return [];
  const rows: Array<[string, string | undefined]> = [
    ['fields.department', d.department],
    ['fields.jobTitle', d.jobTitle],
    ['fields.officeLocation', d.officeLocation],
    ['fields.preferredLanguage', d.preferredLanguage],
    ['fields.timeZone', d.timeZone],
  ];
  return rows.filter(([, v]) => v).map(([k, v]) => ({ title: t(locale, k), value: escapeMarkdown(v!) }));
}

export function profileForm(locale: Locale, o: FormOptions): Card {
  const single = o.programmes.length === 1 ? o.programmes[0] : undefined;
  const levels = single ? single.levels : [...LEVELS];
  const name = single ? escapeMarkdown(single.name) : '';
  const directory = o.directory ?? o.existing?.directory;
  const defaults = profileDefaults(o.existing, directory);
  const role = o.fixedRole ?? o.existing?.role;
  return renderCard(
    'profile-form',
    {
      title: o.existing ? t(locale, 'join.titleEdit', { name }) : t(locale, 'join.title', { name }),
      intro: t(locale, 'join.intro'),
      programmeChoices: o.programmes.map((p) => ({ title: escapeMarkdown(p.name), value: p.id })),
      fixedProgrammeId: single?.id ?? '',
      roleFixed: !!o.fixedRole,
      roleNote: o.fixedRole ? t(locale, 'join.roleFixed', { role: roleLabel(locale, o.fixedRole) }) : '',
      defaults: { ...defaults, role: role ?? '' },
      seniorityChoices: seniorityChoices(locale),
      languageChoices: LANGUAGES.map((l) => ({ title: l.toUpperCase(), value: l })),
      timeZoneChoices: COMMON_TIME_ZONES.map((z) => ({ title: z, value: z })),
      dayChoices: weekdayChoices(locale),
      skillRows: LEVELS.map((l, i) => ({ id: `skill${l}`, label: levelChoices(locale)[i].title, value: defaults.skills[i] })),
      skillChoices: skillChoices(locale),
      showWant: role !== 'mentor',
      wantChoices: levelChoices(locale, levels),
      formFor: o.formFor,
      version: o.version ?? '',
      directoryNote: o.directoryDown ? t(locale, 'join.directoryDown') : '',
      directoryIntro: t(locale, 'join.directoryIntro'),
      directoryFacts: directoryFacts(locale, directory),
      directoryConsent: t(locale, 'join.directoryConsent'),
      departmentFromDirectory: !!directory?.department,
      timeZoneFromDirectory: !!directory?.timeZone,
    },
    locale,
  );
}

/** `directoryNote`: say that the directory could not be reached (what is shown is the last stored). */
export function profileCard(to: Reader, rows: Array<{ programme: Programme; participant: Participant }>, headline = '', note = '', directoryNote = ''): Card {
  const L = to.locale;
  return renderCard(
    'profile',
    {
      headline,
      note,
      directoryNote,
      profiles: rows.map(({ programme, participant: p }) => {
        const d = p.directory;
        const facts: Array<[string, string | undefined]> = [
          [t(L, 'fields.role'), roleLabel(L, p.role)],
          [t(L, 'profile.status'), t(L, `profile.statusValue.${p.status}`)],
          [t(L, 'fields.department'), escapeMarkdown(p.department ?? '')],
          [t(L, 'fields.jobTitle'), d?.jobTitle && escapeMarkdown(d.jobTitle)],
          [t(L, 'fields.officeLocation'), d?.officeLocation && escapeMarkdown(d.officeLocation)],
          [t(L, 'fields.seniority'), p.seniority ? t(L, `seniority.${p.seniority}`) : ''],
          [t(L, 'fields.languages'), (p.languages ?? []).map((x) => x.toUpperCase()).join(', ')],
          [t(L, 'fields.preferredLanguage'), d?.preferredLanguage && escapeMarkdown(d.preferredLanguage)],
          [t(L, 'fields.timeZone'), p.timeZone ?? ''],
          [t(L, 'fields.sessionsPerMonth'), t(L, 'profile.availability', { sessions: p.sessionsPerMonth ?? 0, days: (p.preferredDays ?? []).map((x) => t(L, `weekday.${x}`)).join(', ') })],
          [t(L, 'profile.skills'), LEVELS.map((l) => `${l}: ${p.skills?.[l - 1] ?? '-'}`).join(' · ')],
          [t(L, 'profile.wants'), p.role === 'mentee' ? levelsLabel(L, p.wantLevels ?? []) : '-'],
        ];
        return {
          programmeId: programme.id,
          programmeName: escapeMarkdown(programme.name),
          // Directory rows only where the directory has something; the others always.
          facts: facts.filter(([, v], k) => v !== undefined || ![3, 4, 7].includes(k)).map(([title, value]) => ({ title, value: value ?? '' })),
          fromDirectory: !!d,
        };
      }),
    },
    L,
  );
}

/** "pause": until when (a day, or until they resume); `min` is tomorrow and `max` the programme's end where they are. */
export function pauseForm(locale: Locale, programme: Programme, formFor: string, min: string): Card {
  const max = programme.endDate >= min ? programme.endDate : min;
  const inTwoWeeks = new Date(Date.parse(`${min}T12:00:00Z`) + 13 * 86400000).toISOString().slice(0, 10);
  return renderCard(
    'pause-form',
    { title: t(locale, 'pause.title', { name: escapeMarkdown(programme.name) }), min, max, suggested: inTwoWeeks < max ? inTwoWeeks : max, programmeId: programme.id, formFor },
    locale,
  );
}
